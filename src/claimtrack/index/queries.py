"""Read queries over the index, for the reading commands, threads and briefs.

Stdlib `sqlite3` and plain SQL (no SQLAlchemy on the read path: see "What sqlmodel is for" in
docs/architecture.md for the measured cost). Results are small frozen dataclasses whose fields
are named as the columns of index/schema.py, so a record's SELECT list is made from its fields
(`_select`), and each record owns its JSON shape (`to_dict`, the shapes docs/reading.md
documents): `--json` needs this module and the stdlib, nothing that renders.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field, fields
from functools import lru_cache

from ..problems import UnknownId


# The --json shapes (docs/reading.md), each spelled once: the record's attributes, in this order.
# A brief (views/brief.py) writes its own items through the same tuples (`json_of`).
SIDE_JSON = ("id", "name", "colour")
ISSUE_JSON = ("id", "title", "question", "summary", "tags")
CLAIM_JSON = ("id", "issue", "statement", "kind", "by", "actor", "side", "actor_kind", "said_on", "said_on_first",
              "said_on_last", "said_on_inferred", "said_on_note", "after", "status", "against", "answers", "tags")
LINK_JSON = ("src", "type", "dst", "basis", "note")
HISTORY_JSON = ("on", "on_inferred", "status", "note")
SOURCE_META_JSON = ("id", "title", "outlet", "outlet_inferred", "url", "author", "published", "published_inferred")
SOURCE_COPY_JSON = ("copy_of", "truncated")  # whether the text is a copy, after what the source says of itself
CITATION_WORDS_JSON = ("quote", "channel", "reported_by", "second_hand", "reported_on", "reported_on_inferred", "via", "note")


def json_of(obj, names: tuple[str, ...]) -> dict:
    """The attributes `names` of a record as JSON-ready values (a tuple as a list)."""
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True)
class SideRec:
    id: str
    name: str
    colour: str

    def to_dict(self) -> dict:
        return json_of(self, SIDE_JSON)


@dataclass(frozen=True)
class ActorRec:
    id: str
    name: str
    side: str  # '' for a third party or an outlet with no side
    role: str | None
    aliases: tuple[str, ...]
    kind: str = "person"


_ACTOR_EXPRS = {"side": "COALESCE(side, '')"}


@dataclass(frozen=True)
class IssueRec:
    id: str
    title: str
    question: str
    summary: str | None
    tags: tuple[str, ...]

    def to_dict(self) -> dict:
        return json_of(self, ISSUE_JSON)


@dataclass(frozen=True)
class ClaimRec:
    id: str
    issue: str
    statement: str
    kind: str
    by: str
    actor_name: str
    side: str
    said_on: str
    said_on_sort: str
    said_on_inferred: bool
    said_on_note: str | None
    status: str
    tags: tuple[str, ...]
    actor_kind: str = "person"
    said_on_first: str = ""
    said_on_last: str = ""
    after: str | None = None
    against: tuple[str, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()  # (side or actor id, note) of unrecorded accusations answered

    @property
    def actor(self) -> str:
        """The actor's name, as the JSON calls it (`by` is the id)."""
        return self.actor_name

    def to_dict(self) -> dict:
        out = json_of(self, CLAIM_JSON)
        out["answers"] = [{"against": a, "note": n} for a, n in self.answers]
        return out


# The fields of ClaimRec that the claims table does not hold: from the actor the claim is by.
_CLAIM_EXPRS = {"actor_name": "COALESCE(a.name, c.by)", "side": "COALESCE(a.side, '')", "actor_kind": "COALESCE(a.kind, 'person')"}


@dataclass(frozen=True)
class LinkRec:
    src: str
    type: str
    dst: str
    basis: str = "analyst"  # reported: the text presents it; analyst: the dataset's reading
    note: str | None = None

    def to_dict(self) -> dict:
        """One link, the same object in every JSON output."""
        return json_of(self, LINK_JSON)


@dataclass(frozen=True)
class StatusChangeRec:
    claim_id: str
    on: str
    on_sort: str
    on_inferred: bool
    status: str
    note: str

    def to_dict(self) -> dict:
        return json_of(self, HISTORY_JSON)


@dataclass(frozen=True)
class SourceRec:
    id: str
    title: str
    outlet: str
    outlet_inferred: bool
    url: str
    author: str
    published: str | None
    published_inferred: bool
    published_note: str | None
    retrieved: str | None
    sha256: str
    notes: tuple[str, ...]
    copy_of: str | None = None
    truncated: bool = False
    original_sha256: str | None = None

    def to_dict(self) -> dict:
        return {**json_of(self, SOURCE_META_JSON), **json_of(self, SOURCE_COPY_JSON)}


@dataclass(frozen=True)
class CitationRec:
    claim_id: str
    idx: int
    source: str
    quote: str
    via: str | None
    note: str | None
    start: int | None
    end: int | None
    channel: str | None = None
    reported_by: tuple[str, ...] = ()
    reported_on: str | None = None
    reported_on_inferred: bool = False

    @property
    def second_hand(self) -> bool:
        return bool(self.reported_by)

    def to_dict(self, n: int) -> dict:
        """The citation as the JSON writes it, numbered `n` as its issue numbers it."""
        return {"n": n, **json_of(self, ("source", *CITATION_WORDS_JSON, "start", "end"))}


@dataclass(frozen=True)
class IssueSummary:
    issue: IssueRec
    claims: int
    per_side: dict[str, int] = field(hash=False)
    statuses: dict[str, int] = field(hash=False)
    disputed: int
    unanswered: int
    latest: str | None


@dataclass(frozen=True)
class IssueCounts:
    """An issue's claims counted as the browser's list shows them (issue_counts)."""

    issue: IssueRec
    claims: int
    per_side: dict[str, int] = field(hash=False)  # in the order a scan of the claims meets the sides
    disputed: int
    unanswered: int


@dataclass(frozen=True)
class SearchHit:
    kind: str  # claim | quote | source
    ref: str  # claim id or source id
    issue: str | None
    snippet: str  # with \x02 ... \x03 around matched words
    rank: float


# --- records from rows: the SELECT list from the record's fields, the values by their types ------


def _select(rec: type, alias: str = "", exprs: dict[str, str] | None = None) -> str:
    """The SELECT list of a record: each field from the column of its name (schema.py names
    them alike), or from the expression `exprs` gives for a field the table does not hold."""
    exprs = exprs or {}
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{exprs[f.name]} AS {f.name}" if f.name in exprs else f'{prefix}"{f.name}"' for f in fields(rec))


def _json_list(value: str | None) -> tuple[str, ...]:
    return tuple(json.loads(value or "[]"))


def _json_pairs(value: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((a["against"], a["note"]) for a in json.loads(value or "[]"))


# How a column's stored value becomes the field's, by the field's type; other types are as stored.
_FROM_COLUMN = {"bool": bool, "tuple[str, ...]": _json_list, "tuple[tuple[str, str], ...]": _json_pairs}


@lru_cache(maxsize=None)
def _maker(rec: type):
    """A function from a row selected with `_select(rec)` (its values in the fields' order) to a
    record, each value decoded by its field's type."""
    decoders = [_FROM_COLUMN.get(f.type) for f in fields(rec)]
    if not any(decoders):
        return lambda row: rec(*row)
    at = [(i, d) for i, d in enumerate(decoders) if d]

    def make(row):
        values = list(row)
        for i, decode in at:
            values[i] = decode(values[i])
        return rec(*values)

    return make


def _record(rec: type, row):
    return _maker(rec)(row)


def _records(rec: type, rows) -> list:
    make = _maker(rec)
    return [make(r) for r in rows]


_CLAIM_SELECT = f"SELECT {_select(ClaimRec, 'c', _CLAIM_EXPRS)} FROM claims c LEFT JOIN actors a ON a.id = c.by"
_LINK_SELECT = f"SELECT {_select(LinkRec, 'l')} FROM links l"


def _claims(rows) -> list[ClaimRec]:
    return _records(ClaimRec, rows)


def sides(conn: sqlite3.Connection) -> list[SideRec]:
    return _records(SideRec, conn.execute(f"SELECT {_select(SideRec)} FROM sides ORDER BY ord"))


def actors(conn: sqlite3.Connection) -> list[ActorRec]:
    return _records(ActorRec, conn.execute(f"SELECT {_select(ActorRec, '', _ACTOR_EXPRS)} FROM actors ORDER BY ord"))


def issues(conn: sqlite3.Connection) -> list[IssueRec]:
    return _records(IssueRec, conn.execute(f"SELECT {_select(IssueRec)} FROM issues ORDER BY id"))


def get_issue(conn: sqlite3.Connection, issue_id: str) -> IssueRec:
    """One issue, by its key (not by reading them all: 1,000 issues cost 15 ms)."""
    found = _records(IssueRec, conn.execute(f"SELECT {_select(IssueRec)} FROM issues WHERE id = ?", (issue_id,)))
    if found:
        return found[0]
    raise UnknownId("issue", issue_id, closest(issue_id, [i.id for i in issues(conn)]))


def closest(wanted: str, known: list[str], n: int = 3) -> list[str]:
    """Ids near `wanted`: by spelling, then those that contain it (resolve.closest, the one "did you mean")."""
    from ..resolve import closest as near

    return near(wanted, known, n)


def _claim_filter(
    issue: str | None = None,
    side: str | None = None,
    actor: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    ids: list[str] | None = None,
) -> tuple[str, list]:
    """The WHERE clause (over claims c LEFT JOIN actors a) and its arguments for the filters."""
    where, args = [], []
    for column, value in (("c.issue", issue), ("a.side", side), ("c.by", actor), ("c.status", status), ("c.kind", kind)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    if since:  # a date that may fall on or after `since` (its last possible day)
        where.append("c.said_on_last >= ?")
        args.append(since)
    if until:  # a date that may fall on or before `until` (its first possible day)
        where.append("c.said_on_first <= ?")
        args.append(until)
    if ids is not None:
        where.append(f"c.id IN ({','.join('?' * len(ids))})")
        args.extend(ids)
    return (" WHERE " + " AND ".join(where) if where else ""), args


def claims(conn: sqlite3.Connection, **filters) -> list[ClaimRec]:
    """Claims in date order (then id), filtered (see _claim_filter). Dates compare on the earliest
    day they can mean."""
    cond, args = _claim_filter(**filters)
    return in_stated_order(_claims(conn.execute(_CLAIM_SELECT + cond + " ORDER BY c.said_on_sort, c.id", args)))


def in_stated_order(claims: list[ClaimRec]) -> list[ClaimRec]:
    """Claims in date order, where a claim whose `after` names another claim of the same sort
    date comes after it (the order the text states: "a day before"), else as they were."""
    if not any(c.after for c in claims):
        return claims
    out = list(claims)
    for _ in range(len(out)):
        moved = False
        where = {c.id: i for i, c in enumerate(out)}
        for i, c in enumerate(out):
            j = where.get(c.after) if c.after else None
            if j is not None and j > i and out[j].said_on_sort == c.said_on_sort:
                out.insert(j, out.pop(i))
                moved = True
                break
        if not moved:
            break
    return out


def get_claim(conn: sqlite3.Connection, claim_id: str) -> ClaimRec:
    row = conn.execute(_CLAIM_SELECT + " WHERE c.id = ?", (claim_id,)).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute("SELECT id FROM claims")]
        raise UnknownId("claim", claim_id, closest(claim_id, known))
    return _record(ClaimRec, row)


def claim_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY id")]


def links(conn: sqlite3.Connection, issue: str | None = None) -> list[LinkRec]:
    """Links whose source claim is in `issue` or whose target is (threads may cross issues)."""
    if issue is None:
        rows = conn.execute(_LINK_SELECT + " ORDER BY l.src, l.ord")
    else:
        rows = conn.execute(
            _LINK_SELECT + " WHERE l.src IN (SELECT id FROM claims WHERE issue = ?) "
            "OR l.dst IN (SELECT id FROM claims WHERE issue = ?) ORDER BY l.src, l.ord",
            (issue, issue),
        )
    return _records(LinkRec, rows)


def links_of(conn: sqlite3.Connection, claim_id: str) -> tuple[list[LinkRec], list[LinkRec]]:
    """(outgoing, incoming) links of one claim."""
    out = _records(LinkRec, conn.execute(_LINK_SELECT + " WHERE l.src = ? ORDER BY l.ord", (claim_id,)))
    inc = _records(LinkRec, conn.execute(_LINK_SELECT + " WHERE l.dst = ? ORDER BY l.src", (claim_id,)))
    return out, inc


def _per_claim(conn: sqlite3.Connection, rec: type, table: str, claim_ids: list[str]) -> dict[str, list]:
    """The rows of `table` (status_changes, citations) for each claim, in their file's order."""
    out: dict[str, list] = {cid: [] for cid in claim_ids}
    select = f"SELECT {_select(rec)} FROM {table}"
    for chunk in _chunks(claim_ids):
        for record in _records(rec, conn.execute(f"{select} WHERE claim_id IN ({','.join('?' * len(chunk))}) ORDER BY claim_id, idx", chunk)):
            out[record.claim_id].append(record)
    return out


def history(conn: sqlite3.Connection, claim_ids: list[str]) -> dict[str, list[StatusChangeRec]]:
    return _per_claim(conn, StatusChangeRec, "status_changes", claim_ids)


def citations(conn: sqlite3.Connection, claim_ids: list[str]) -> dict[str, list[CitationRec]]:
    return _per_claim(conn, CitationRec, "citations", claim_ids)


def sources(conn: sqlite3.Connection, ids: list[str] | None = None) -> dict[str, SourceRec]:
    select = f"SELECT {_select(SourceRec)} FROM sources"
    if ids is None:
        rows = list(conn.execute(f"{select} ORDER BY published_sort, id"))
    else:
        rows = []
        for chunk in _chunks(ids):
            rows += conn.execute(f"{select} WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return {s.id: s for s in _records(SourceRec, rows)}


def source_body(conn: sqlite3.Connection, source_id: str) -> str:
    row = conn.execute("SELECT body FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute("SELECT id FROM sources")]
        raise UnknownId("source", source_id, closest(source_id, known))
    return row[0]


def files_with_problems(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT path FROM files WHERE problems != '[]' ORDER BY path")]


# A claim counted as unanswered, in issue_summaries and issue_counts alike: an accusation that
# nothing rebuts and that is neither retracted nor superseded.
_UNANSWERED = ("c.kind IN ('accusation', 'counter-accusation') AND c.status NOT IN ('retracted', 'superseded') "
               "AND NOT EXISTS (SELECT 1 FROM links l WHERE l.dst = c.id AND l.type = 'rebuts')")


def issue_summaries(conn: sqlite3.Connection) -> list[IssueSummary]:
    """Each issue with its claims per side, status counts, disputed and unanswered counts."""
    rows = conn.execute(
        "SELECT c.issue, COALESCE(a.side, '') AS side, c.status, c.said_on_sort, c.said_on, "
        f"CASE WHEN {_UNANSWERED} THEN 1 ELSE 0 END AS unanswered "
        "FROM claims c LEFT JOIN actors a ON a.id = c.by"
    ).fetchall()
    per_issue: dict[str, dict] = {}
    for issue, side, status, sort, said_on, unanswered in rows:
        s = per_issue.setdefault(issue, {"claims": 0, "per_side": {}, "statuses": {}, "disputed": 0, "unanswered": 0, "latest": None})
        s["claims"] += 1
        s["per_side"][side] = s["per_side"].get(side, 0) + 1
        s["statuses"][status] = s["statuses"].get(status, 0) + 1
        s["disputed"] += status == "disputed"
        s["unanswered"] += unanswered
        # Of claims said on days that sort alike ("2025-11-05" and "../2025-11-05"), the greater
        # text: the same answer whatever order the rows come in (SQLite's index and a team's
        # PostgreSQL one read them in different orders), and the more precise of those two.
        if s["latest"] is None or (sort, said_on) > s["latest"]:
            s["latest"] = (sort, said_on)
    out = []
    for issue in issues(conn):
        s = per_issue.get(issue.id, {"claims": 0, "per_side": {}, "statuses": {}, "disputed": 0, "unanswered": 0, "latest": None})
        out.append(IssueSummary(issue, s["claims"], s["per_side"], s["statuses"], s["disputed"], s["unanswered"], s["latest"][1] if s["latest"] else None))
    return out


def _row_order(conn) -> str:
    """The column that orders a table's rows as a scan reads them: SQLite's rowid, PostgreSQL's
    ctid (a team's index, teamdb/reads.py)."""
    return "ctid" if getattr(conn, "dialect", None) == "postgresql" else "rowid"


def issue_counts(conn: sqlite3.Connection) -> list[IssueCounts]:
    """Each issue (in id order) with its claims, per side, disputed and unanswered: the counts of
    issue_summaries, the same numbers, counted by the database in one grouped query (one row per
    issue and side: about 4,000 rows at 100,000 claims, where issue_summaries reads 100,000) and
    without the statuses and latest date, which the browser does not show. The sides of each
    issue are in the order of their first claim in the table (`_row_order`): in SQLite's index,
    the order in which issue_summaries meets them."""
    order = _row_order(conn)
    rows = conn.execute(
        "SELECT c.issue, COALESCE(a.side, '') AS side, COUNT(*) AS n, "
        f"SUM(CASE WHEN c.status = 'disputed' THEN 1 ELSE 0 END), SUM(CASE WHEN {_UNANSWERED} THEN 1 ELSE 0 END), "
        f"MIN(c.{order}) AS first FROM claims c LEFT JOIN actors a ON a.id = c.by "
        "GROUP BY c.issue, COALESCE(a.side, '') ORDER BY c.issue, first"
    ).fetchall()
    per_issue: dict[str, list] = {}
    for issue, side, n, disputed, unanswered, _ in rows:
        counts = per_issue.get(issue)
        if counts is None:
            counts = per_issue[issue] = [0, {}, 0, 0]
        counts[0] += n
        counts[1][side] = n
        counts[2] += disputed
        counts[3] += unanswered
    return [IssueCounts(issue, *per_issue.get(issue.id, (0, {}, 0, 0))) for issue in issues(conn)]


SEARCH_SYNTAX = """\
Words match whole words, in any case and with or without accents; every word must be there.

  "handed over"    the words next to each other, in this order (a phrase)
  negotiat*        a prefix: any word that begins so (negotiate, negotiations)
  ISIS OR Daesh    either of the two (OR in capitals, between two terms)
  -ceasefire       leave out what has this word (or -"a phrase")
"""

_QUERY_PART = re.compile(r'(-?)"([^"]*)"?(\*?)|(\S+)')
_TOKEN = re.compile(r"[^\W_]+")  # unicode61's tokens, near enough: letters and digits, no underscore


@dataclass(frozen=True)
class Term:
    """One thing to find: its tokens (several for a phrase), the last one a prefix or not."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: every clause must match (a clause is one or more terms, any of which may),
    and no `without` term may."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    without: tuple[Term, ...] = ()

    @property
    def terms(self) -> list[Term]:
        return [t for clause in self.clauses for t in clause]


def parse_search(text: str) -> SearchQuery:
    """A user's search text as a SearchQuery (see SEARCH_SYNTAX): bare words match exactly,
    "a phrase" as a phrase, word* as a prefix, OR between two terms, -word to leave out."""
    clauses: list[list[Term]] = []
    without: list[Term] = []
    join_next = False
    for m in _QUERY_PART.finditer(text):
        if m.group(4) is not None:
            raw = m.group(4)
            if raw == "OR":
                join_next = bool(clauses)
                continue
            negated, body, star = raw.startswith("-") and len(raw) > 1, raw, raw.endswith("*")
            body = body[1:] if negated else body
            body = body.rstrip("*")
        else:
            negated, body, star = m.group(1) == "-", m.group(2), m.group(3) == "*"
        tokens = tuple(_fold(t) for t in _TOKEN.findall(body))
        if not tokens:
            join_next = False
            continue
        term = Term(tokens, star)
        if negated:
            without.append(term)
        elif join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return SearchQuery(tuple(tuple(c) for c in clauses), tuple(without))


def as_typed(text: str) -> str:
    """Search text being typed, with the word under the cursor read as a prefix (`cana` finds
    `canals`): for a search-as-you-type box, where the last word is not finished yet."""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    if not last or text[-1].isspace() or last.endswith(("*", '"')) or last == "OR" or text.count('"') % 2:
        return text
    return text + "*"


def _fts_term(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def fts_query(text: str | SearchQuery) -> str:
    """A user's search (SEARCH_SYNTAX) as an FTS5 query; "" when it has nothing to find."""
    query = parse_search(text) if isinstance(text, str) else text
    if not query.clauses:
        return ""
    parts = []
    for clause in query.clauses:
        alts = [_fts_term(t) for t in clause]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    out = " AND ".join(parts)
    if query.without:
        out = f"({out})" + "".join(f" NOT {_fts_term(t)}" for t in query.without)
    return out


def fulltext_filter(alias: str, issue: str | None = None, side: str | None = None, actor: str | None = None) -> tuple[str, list]:
    """The condition (and its arguments) on a full-text table, `alias` with kind and ref columns,
    that keeps what the filters allow: the statement or a quote of a matching claim, a source a
    matching claim cites. ("", []) without filters. SQLite's fts and PostgreSQL's fulltext alike."""
    claim_filter, cargs = [], []
    for column, value in (("c.issue", issue), ("a.side", side), ("c.by", actor)):
        if value:
            claim_filter.append(f"{column} = ?")
            cargs.append(value)
    if not claim_filter:
        return "", []
    cond = " AND ".join(claim_filter)
    return (
        f"(({alias}.kind IN ('claim', 'quote') AND {alias}.ref IN (SELECT c.id FROM claims c LEFT JOIN actors a ON a.id = c.by WHERE {cond})) "
        f"OR ({alias}.kind = 'source' AND {alias}.ref IN (SELECT ci.source FROM citations ci JOIN claims c ON c.id = ci.claim_id "
        f"LEFT JOIN actors a ON a.id = c.by WHERE {cond})))"
    ), cargs + cargs


def search(
    conn: sqlite3.Connection,
    text: str,
    issue: str | None = None,
    side: str | None = None,
    actor: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Full-text search (SQLite FTS5) over statements, quotes and source bodies, best first.

    With an issue, side or actor filter, sources match only where a claim of that filter cites them.
    A connection with a full-text search of its own (a team's PostgreSQL index) answers itself.
    """
    if hasattr(conn, "fulltext_search"):
        return conn.fulltext_search(text, issue=issue, side=side, actor=actor, limit=limit)
    query = fts_query(text)
    if not query:
        return []
    where, args = ["fts MATCH ?"], [query]
    cond, cargs = fulltext_filter("fts", issue=issue, side=side, actor=actor)
    if cond:
        where.append(cond)
        args += cargs
    sql = f"SELECT fts.rowid, fts.kind, fts.ref, fts.issue, bm25(fts) AS rank FROM fts WHERE {' AND '.join(where)} ORDER BY rank LIMIT ?"
    ranked = conn.execute(sql, args + [limit]).fetchall()
    return [SearchHit(kind, ref, issue, _snippet(conn, rowid, query, text), rank) for rowid, kind, ref, issue, rank in ranked]


SNIPPET_TOKENS = 24  # words in a snippet, as FTS5's snippet() is asked for
SQL_SNIPPET_UP_TO = 20_000  # characters; above, FTS5's snippet() costs the square of the hits in the text
SNIPPET_HITS = 64  # matches looked at in a long text: the snippet's cost is bounded, whatever the text holds


def _snippet(conn: sqlite3.Connection, rowid: int, query: str, text: str) -> str:
    """The snippet of one hit: FTS5's own for a short text, a bounded one of ours for a long one."""
    (length,) = conn.execute("SELECT length(text) FROM fts WHERE rowid = ?", (rowid,)).fetchone()
    if (length or 0) <= SQL_SNIPPET_UP_TO:
        row = conn.execute(
            f"SELECT snippet(fts, 0, char(2), char(3), '…', {SNIPPET_TOKENS}) FROM fts WHERE fts MATCH ? AND rowid = ?", (query, rowid)
        ).fetchone()
        return row[0] if row else ""
    (body,) = conn.execute("SELECT text FROM fts WHERE rowid = ?", (rowid,)).fetchone()
    return long_snippet(body, text)


def snippet_parts(snippet: str, breaks: str = " ") -> list[tuple[str, bool]]:
    """An FTS snippet (matches between \\x02 and \\x03) as (text, matched) parts on one line,
    line breaks shown as `breaks`; matches separated only by spaces are joined into one."""
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split("[\x02\x03]", snippet)):
        piece = re.sub(r"[^\S\n]+", " ", piece)
        piece = re.sub(r" ?\n[\s]*", breaks, piece)
        if not piece:
            continue
        strong = i % 2 == 1
        if parts and parts[-1][1] == strong:
            parts[-1] = (parts[-1][0] + piece, strong)
        elif strong and len(parts) >= 2 and parts[-1][0] == " " and parts[-2][1]:
            parts[-2:] = [(parts[-2][0] + " " + piece, True)]
        else:
            parts.append((piece, strong))
    return parts


def _fold(word: str) -> str:
    """A token as unicode61 with remove_diacritics compares it: lower case, no accents."""
    import unicodedata

    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _terms(text: str) -> tuple[set[str], tuple[str, ...]]:
    """The words a search looks for, as folded tokens: (whole words, prefixes)."""
    terms = parse_search(text).terms
    words = {tok for t in terms for tok in (t.tokens[:-1] if t.prefix else t.tokens)}
    return words, tuple(t.tokens[-1] for t in terms if t.prefix)


def _hits(body: str, query_text: str, start: int = 0, end: int | None = None, most: int = SNIPPET_HITS,
          every_token: bool = False) -> list[tuple[int, int, str]]:
    """The first `most` matched tokens in body[start:end], as (start, end, folded token).

    A regular expression over the exact words (in any case) finds them in one pass; every token
    is folded (for matches through accents, which it does not see) when it finds none, or when
    asked (for the few words of a snippet)."""
    words, prefixes = _terms(query_text)
    if not words and not prefixes:
        return []
    end = len(body) if end is None else end
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)
                            + [rf"{re.escape(p)}[^\W_]*" for p in prefixes])
    fast = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    found: list[tuple[int, int, str]] = []
    for finder in (_TOKEN,) if every_token else (fast, _TOKEN):
        for m in finder.finditer(body, start, end):
            folded = _fold(m.group())
            if folded in words or folded.startswith(prefixes):
                found.append((m.start(), m.end(), folded))
                if len(found) >= most:
                    return found
        if found:
            return found
    return found


_SENTENCE_END = re.compile(r"(?:[.!?…][\"'”’)\]]*\s+|\n\s*)")


def long_snippet(body: str, query_text: str, tokens: int = SNIPPET_TOKENS) -> str:
    """A snippet of a long text in FTS5's shape (matches between \\x02 and \\x03, '…' where
    it is cut), at a cost linear in the text up to its first SNIPPET_HITS matches: the
    window of `tokens` words holding the most distinct query words, begun at its sentence's
    start when that is near."""
    hits = _hits(body, query_text)
    if not hits:
        return body[: 200] + ("…" if len(body) > 200 else "")
    reach = tokens * 7  # characters a window of `tokens` words spans, about
    best, best_score = 0, -1
    for i, (start, _, _) in enumerate(hits):
        distinct = {h[2] for h in hits[i:] if h[0] < start + reach}
        if len(distinct) > best_score:
            best, best_score = i, len(distinct)
    first = hits[best][0]
    lead = body[max(0, first - 80) : first]
    ends = list(_SENTENCE_END.finditer(lead))
    if first <= 80 and not ends and not _TOKEN.search(lead):
        begin = 0
    elif ends:
        begin = first - len(lead) + ends[-1].end()
    else:
        before = list(_TOKEN.finditer(lead))[-3:]
        begin = first - len(lead) + (before[0].start() if before else len(lead))
    finish, count = begin, 0
    for m in _TOKEN.finditer(body, begin):
        finish, count = m.end(), count + 1
        if count >= tokens:
            break
    out, at = [], begin
    for start, stop, _ in _hits(body, query_text, begin, finish, most=tokens, every_token=True):
        out += [body[at:start], "\x02", body[start:stop], "\x03"]
        at = stop
    out.append(body[at:finish])
    return ("…" if begin > 0 else "") + "".join(out) + ("…" if finish < len(body.rstrip()) else "")


def _chunks(items: list[str], size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- for the reading commands (issue 4) -------------------------------------------------------


def claims_page(conn: sqlite3.Connection, limit: int | None = None, newest_first: bool = False, **filters) -> tuple[list[ClaimRec], int]:
    """The first `limit` claims (all when None) in date order (the newest first with
    `newest_first`), filtered as `claims`, and how many match."""
    cond, args = _claim_filter(**filters)
    total = conn.execute(f"SELECT COUNT(*) FROM claims c LEFT JOIN actors a ON a.id = c.by{cond}", args).fetchone()[0]
    sql = _CLAIM_SELECT + cond + (" ORDER BY c.said_on_sort DESC, c.id DESC" if newest_first else " ORDER BY c.said_on_sort, c.id")
    if limit is not None:
        sql += " LIMIT ?"
        args = args + [limit]
    return _claims(conn.execute(sql, args)), total


def names_of(conn: sqlite3.Connection, kind: str) -> list[tuple[str, tuple[str, ...]]]:
    """(id, names) of every issue, side, actor, claim or source in the index, for resolve.lookup."""
    from ..resolve import source_names

    if kind == "issue":
        return [(i.id, (i.title,)) for i in issues(conn)]
    if kind == "side":
        return [(s.id, (s.name,)) for s in sides(conn)]
    if kind == "actor":
        return [(a.id, (a.name, *a.aliases)) for a in actors(conn)]
    if kind == "claim":
        return [(cid, (cid.split("/", 1)[1],)) for cid in claim_ids(conn)]
    if kind == "source":
        return [(s.id, tuple(source_names(s.outlet, s.published))) for s in sources(conn).values()]
    raise ValueError(f"no such kind of id: {kind}")


def _describe(conn: sqlite3.Connection, kind: str):
    """How an id is shown in a list to choose from: with its name, or its outlet, date and title."""
    if kind == "actor":
        named = {a.id: a.name for a in actors(conn)}
    elif kind == "side":
        named = {s.id: s.name for s in sides(conn)}
    elif kind == "issue":
        named = {i.id: i.title for i in issues(conn)}
    elif kind == "source":
        named = {s.id: f"{s.outlet}, {s.published or 'undated'}: {s.title}" for s in sources(conn).values()}
    else:
        named = {}
    return lambda i: f"{i} ({named[i]})" if named.get(i) else i


_ID_TABLES = {"issue": "issues", "side": "sides", "actor": "actors", "claim": "claims", "source": "sources"}


def _is_id(conn: sqlite3.Connection, kind: str, wanted: str) -> bool:
    """Whether `wanted` is exactly the id of one: resolve.lookup's first try, by the table's key,
    before every id and name of the kind is read (100,000 claim ids take 0.1-0.3 s)."""
    return conn.execute(f"SELECT 1 FROM {_ID_TABLES[kind]} WHERE id = ?", (wanted,)).fetchone() is not None


def resolve_id(conn: sqlite3.Connection, kind: str, wanted: str) -> str:
    """The id of the issue, side, actor, claim or source a user typed: an id, a name, an alias, in
    any case, or a unique prefix (resolve.py). UnknownId with the closest ids on a miss; with the
    ids to choose from when it fits several."""
    from ..resolve import ambiguous_error, lookup

    if kind in _ID_TABLES and _is_id(conn, kind, wanted.strip()):
        return wanted.strip()
    m = lookup(wanted.strip(), names_of(conn, kind), words=kind in ("actor", "side", "issue"))
    if m.id is not None:
        return m.id
    if m.ambiguous:
        raise ambiguous_error(kind, m, _describe(conn, kind))
    raise UnknownId(kind, wanted, list(m.near))


def resolve_target(conn: sqlite3.Connection, wanted: str) -> tuple[str, str]:
    """('issue' or 'claim', its id) for a reference a user typed to `show`: an issue (id, title,
    prefix) or a claim (ISSUE/NAME, a name alone, a prefix of either); an exact id wins."""
    from .. import resolve
    from ..resolve import ambiguous_error, lookup

    wanted = wanted.strip()
    if "/" in wanted:
        return "claim", resolve_id(conn, "claim", wanted)
    if _is_id(conn, "issue", wanted):
        return "issue", wanted
    issue_names, claim_names = names_of(conn, "issue"), names_of(conn, "claim")
    named = [cid for cid, (name,) in claim_names if name == wanted]
    if len(named) == 1:
        return "claim", named[0]
    # Issues first: every claim id begins with its issue's, so `sanct` means the issue sanctuary.
    m = lookup(wanted, issue_names, words=False)
    if m.id is not None:
        return "issue", m.id
    if m.ambiguous:
        raise ambiguous_error("issue", m, _describe(conn, "issue"))
    m = lookup(wanted, claim_names, words=False)
    if m.id is not None:
        return "claim", m.id
    if m.ambiguous:
        raise ambiguous_error("claim", m)
    raise UnknownId("issue or claim", wanted, list(resolve.closest(wanted, issue_names + claim_names)))


def resolve_ref(conn: sqlite3.Connection, wanted: str) -> str:
    """'issue' or 'claim' for an id a user typed; UnknownId naming the closest ids otherwise."""
    return resolve_target(conn, wanted)[0]


def check_filter(conn: sqlite3.Connection, kind: str, wanted: str | None) -> str | None:
    """The id an --issue, --side or --actor value names (resolve_id); UnknownId when it names none."""
    if wanted is None:
        return None
    return resolve_id(conn, kind, wanted)


# --- for briefs (issue 6) ---------------------------------------------------------------------


def file_hashes(conn: sqlite3.Connection, paths: list[str]) -> dict[str, str]:
    """The sha256 of each file's bytes as the index last saw them, by path relative to the root
    (`claims/actors.yaml`, `claims/ISSUE/NAME.yaml`, `sources/ID.md`); paths not indexed are left out."""
    out: dict[str, str] = {}
    for chunk in _chunks(paths):
        for r in conn.execute(f"SELECT path, sha256 FROM files WHERE path IN ({','.join('?' * len(chunk))})", chunk):
            out[r[0]] = r[1]
    return out


# --- for the browser (issue 15) ---------------------------------------------------------------


def citations_of_source(conn: sqlite3.Connection, source_id: str) -> list[CitationRec]:
    """Every citation of one source, in the order of the passages they quote (unanchored last)."""
    rows = conn.execute(
        f"SELECT {_select(CitationRec)} FROM citations WHERE source = ? ORDER BY start IS NULL, start, claim_id, idx",
        (source_id,),
    )
    return _records(CitationRec, rows)

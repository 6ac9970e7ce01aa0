"""Reading the team's database with the queries the local index answers (queries.py).

queries.py speaks plain SQL to a sqlite3 connection. PgIndex is a connection that takes the same
calls — `execute(sql, args)` returning rows that index by position and by name — and runs the
same SQL on PostgreSQL after a few mechanical translations (`?` marks to psycopg's `%s`, a
literal `%` doubled, LIKE as ILIKE because SQLite's LIKE ignores ASCII case, an empty `IN ()` as
an empty subquery). Everything a read command does is then the same code on either engine,
except full-text search: FTS5's MATCH, bm25 and snippet have PostgreSQL counterparts (tsquery,
ts_rank, ts_headline), in `search` below, which queries.search hands over to.

Only psycopg is imported (not SQLAlchemy): a read command pays for the driver and nothing else.
A command's reads run in one read-only REPEATABLE READ transaction, so a sync that commits while
`show` is reading is seen entirely or not at all.
"""

from __future__ import annotations

import re

from . import DatabaseError, libpq_url, shown_url
from .schema import PG_SCHEMA, TS_CONFIG

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%|\bLIKE\b|\bIN \(\)|[^'\"?%LI]+|.", re.IGNORECASE | re.DOTALL)


def translate(sql: str) -> str:
    """SQLite-flavoured SQL as psycopg runs it on PostgreSQL (see the module's docstring)."""
    out = []
    for token in _TOKEN.findall(sql):
        upper = token.upper()
        if token == "?":
            out.append("%s")
        elif token[0] == "'":
            out.append(token.replace("%", "%%"))
        elif token == "%":
            out.append("%%")
        elif upper == "LIKE":
            out.append("ILIKE")
        elif upper == "IN ()":
            out.append("IN (SELECT NULL WHERE FALSE)")
        else:
            out.append(token)
    return "".join(out)


class _Row(tuple):
    """A row like sqlite3.Row: by position, by column name, and dict(row)."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor):
    names = [c.name for c in cursor.description or ()]
    cls = type("Row", (_Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})
    return lambda values: cls(values)


class PgIndex:
    """A read connection to the team's index that answers queries.py's calls."""

    dialect = "postgresql"

    def __init__(self, raw, url: str):
        self.raw = raw
        self.url = url
        self._sql: dict[str, str] = {}

    def execute(self, sql: str, args=()):
        pg_sql = self._sql.get(sql)
        if pg_sql is None:
            pg_sql = self._sql[sql] = translate(sql)
        return self.raw.execute(pg_sql, tuple(args))

    def fulltext_search(self, text: str, issue=None, side=None, actor=None, limit: int = 20):
        return search(self, text, issue=issue, side=side, actor=actor, limit=limit)

    def close(self) -> None:
        self.raw.close()


def connect(url: str) -> PgIndex:
    """A read-only connection to a synced database; DatabaseError when there is none to read."""
    import psycopg

    try:
        raw = psycopg.connect(libpq_url(url), row_factory=_row_factory)
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseError(f"cannot connect to {shown_url(url)}: {first} — check the URL and that the server runs") from None
    raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    raw.read_only = True
    conn = PgIndex(raw, url)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except psycopg.errors.UndefinedTable:
        raw.close()
        raise DatabaseError(f"{shown_url(url)} holds no claimtrack index — run 'claimtrack sync {shown_url(url)}' in a dataset first") from None
    if row is None or row[0] != PG_SCHEMA:
        raw.close()
        raise DatabaseError(f"{shown_url(url)} was synced by another version of claimtrack — run 'claimtrack sync {shown_url(url)}' again")
    return conn


def tsquery(text: str) -> str:
    """A user's search as a tsquery, read as queries.fts_query reads it (queries.SEARCH_SYNTAX):
    words exact, phrases with <->, word* as :*, OR as |, -word as !."""
    from ..index.queries import parse_search

    query = parse_search(text)

    def term(t) -> str:
        words = [f"'{w}'" for w in t.tokens]
        if t.prefix:
            words[-1] += ":*"
        return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"

    if not query.clauses:
        return ""
    parts = [term(c[0]) if len(c) == 1 else "(" + " | ".join(term(t) for t in c) + ")" for c in query.clauses]
    return " & ".join(parts + [f"!{term(t)}" for t in query.without])


# \x02 and \x03 mark matched words, as FTS5's snippet() does for queries.search
_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1, FragmentDelimiter=\" … \""


def search(conn: PgIndex, text: str, issue=None, side=None, actor=None, limit: int = 20):
    """queries.search on PostgreSQL: the same filters, tsvector matching, ts_rank ordering.

    `rank` is the negated ts_rank, so that lower is better as with bm25; ties go by kind and ref.
    """
    from ..index.queries import SearchHit, fulltext_filter

    query = tsquery(text)
    if not query:
        return []
    where, args = ["f.tsv @@ q.q"], []
    cond, cargs = fulltext_filter("f", issue=issue, side=side, actor=actor)
    if cond:
        where.append(cond)
        args += cargs
    sql = (
        f"SELECT top.kind, top.ref, top.issue, ts_headline('{TS_CONFIG}', top.text, top.q, ?), -top.rank FROM ("
        f"SELECT f.kind, f.ref, f.issue, f.text, q.q, ts_rank(f.tsv, q.q) AS rank "
        f"FROM fulltext f, to_tsquery('{TS_CONFIG}', ?) AS q(q) WHERE {' AND '.join(where)} "
        "ORDER BY rank DESC, f.kind, f.ref, f.id LIMIT ?) AS top ORDER BY top.rank DESC, top.kind, top.ref"
    )
    rows = conn.execute(sql, [_HEADLINE, query, *args, limit])
    return [SearchHit(r[0], r[1], r[2], r[3], float(r[4])) for r in rows]

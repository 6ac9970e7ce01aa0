"""The write side of the index: parse changed files and replace their rows in one transaction.

Imported only when something changed, because parsing needs pydantic and YAML. Rows are made
from the models by the tables' column names (`_row`: a column is the model's field of that name,
or a part of the date beside it) and written with the stdlib sqlite3 driver. The tables are
defined with sqlmodel in schema.py; schema.sql is the SQL SQLAlchemy makes of them (a test holds
the two equal), so building an index never pays SQLAlchemy's import.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable, get_args, get_origin

from .location import SCHEMA_VERSION, IndexUnusable, Stamp, index_path
from pydantic import BaseModel

from ..model import ActorsFile, Claim, FuzzyDate, Inferred, Issue, Source
from ..quotes import SourceText
from ..layout import ACTORS, CLAIM, ISSUE, SOURCE, classify
from ..store import load_text, split_front_matter

FTS_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5("
    "text, kind UNINDEXED, ref UNINDEXED, issue UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
)


def _schema_sql() -> str:
    from importlib import resources

    return resources.files("claimtrack.index").joinpath("schema.sql").read_text(encoding="utf-8")


def _index_statements() -> list[str]:
    """The CREATE INDEX statements of schema.sql, each alone."""
    return [stmt.strip() for stmt in _schema_sql().split(";") if stmt.strip().upper().startswith("CREATE INDEX")]


def create_schema(path: Path, indexes: bool = True) -> None:
    """The tables of schema.py (schema.sql is their SQL, held equal by a test), FTS5 beside them.
    Without `indexes` (a first build), the tables alone: their indexes are made once the rows are
    in (create_indexes), one sort each rather than an update of eight B-trees per claim."""
    conn = sqlite3.connect(path)
    try:
        script = _schema_sql()
        if not indexes:
            made = set(_index_statements())
            script = ";\n".join(stmt for stmt in script.split(";") if stmt.strip() not in made)
        conn.executescript(script)
        conn.execute(FTS_SQL)
        # FTS5 writes its pending terms out as a new segment whenever they pass `hashsize` (1 MB
        # by default), and merges segments as they pile up: a first build of 100,000 claims
        # (114 MB of text) spent a quarter of its full-text time doing that. With 64 MB it writes
        # far fewer, larger segments (2.97 -> 2.25 s of CPU for that text; search answers the
        # same). The memory is taken only by a change that large; the setting stays with the index.
        conn.execute("INSERT INTO fts(fts, rank) VALUES ('hashsize', ?)", (FTS_HASHSIZE,))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
        conn.commit()
    finally:
        conn.close()


FTS_HASHSIZE = 64 * 1024 * 1024  # bytes of pending full-text terms before FTS5 writes a segment (create_schema)
PARALLEL_FROM = 1000  # files; below this a process pool costs more than it saves
FLUSH_EVERY = 5000  # files per bulk insert, so memory stays bounded


def apply_changes(
    root: Path,
    todo: list[tuple[Stamp, str | None, bytes | None]],
    gone: list[str],
    create: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Replace the rows of changed files and drop those of deleted ones, in one transaction.

    Parsing (read, hash, YAML, validation) runs in a process pool on a large change, while this
    process inserts the rows of what is already parsed.

    A first build (`create`) goes into a new file beside the index, with no journal and no sync
    (a crash leaves only that file, which the next build replaces), and is renamed into place
    when it is complete: a reader sees the old index or the whole new one, never half of it.
    The caller holds the refresh lock.
    """
    target = index_path(root)
    path = target.with_name(f"{target.name}.new") if create else target
    if create:
        for stale in (path, path.with_name(path.name + "-journal")):
            stale.unlink(missing_ok=True)
        create_schema(path, indexes=False)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        if create:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: the FTS index is built in memory
        conn.execute("BEGIN IMMEDIATE")  # writers queue up instead of failing on a stale snapshot
        writer = _Writer(conn)
        for rel in gone:
            _delete(conn, *classify(rel))
            conn.execute("DELETE FROM files WHERE path = ?", (rel,))
        total = len(todo)
        rows = _Rows()
        held = _Citations()
        for n, (kind, ident, parsed) in enumerate(_parse_all(root, todo, held), 1):
            if not create:
                _delete(conn, kind, ident)
                conn.execute("DELETE FROM files WHERE path = ?", (parsed["path"],))
            rows.extend(parsed, held)
            if n % FLUSH_EVERY == 0:
                writer.flush(rows)
                rows = _Rows()
            if progress and (n % 200 == 0 or n == total):
                progress(n, total)
        writer.flush(rows)
        writer.flush_citations(held)
        if create:
            for stmt in _index_statements():
                conn.execute(stmt)
        _anchor_citations(conn)
        conn.execute("COMMIT")
        if create:
            conn.execute("PRAGMA journal_mode=WAL")  # as every later connection wants it (index._raw)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        if create:
            path.unlink(missing_ok=True)
        raise
    conn.close()
    if create:
        for suffix in ("-wal", "-shm"):  # the empty index's, which the new one replaces
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(path, target)


def _parse_all(root: Path, todo, held: "_Citations"):
    """Every file of `todo` parsed, as (kind, id, rows): the sources last, each with the quotes
    that cite it among the files parsed before it (held), so that a source's body is read,
    parsed and prepared for anchoring once, by the one process that parses it, and each of its
    quotes anchored there. The other files' rows come back while the sources are still to be
    parsed; `held` keeps their citations until a source's spans fill them in."""
    first = [(str(root), *stamp, digest, data, None) for stamp, digest, data in todo if stamp[0] != SOURCE]
    sources = [(str(root), *stamp, digest, data) for stamp, digest, data in todo if stamp[0] == SOURCE]
    if len(todo) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        yield from map(_parse_job, first)
        yield from map(_parse_job, [(*job, held.quotes.pop(job[2], None)) for job in sources])
        return
    workers = min(os.cpu_count() or 2, 4)
    from .workers import ForkedWorkers, WorkerDied, fork_available

    died = IndexUnusable(f"{index_path(root)}: a process parsing the files died (killed, or out of memory) — "
                         "the index was not updated; run the command again")
    if not fork_available():  # Windows: spawned workers, which are sent their jobs
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(workers) as pool:
            try:
                yield from pool.map(_parse_job, first, chunksize=64)
                yield from pool.map(_parse_job, [(*job, held.quotes.pop(job[2], None)) for job in sources], chunksize=8)
            except BrokenProcessPool:
                raise died from None
        return
    try:
        with ForkedWorkers(_parse_job, workers, first, chunk=64) as pool:
            yield from pool.results()
            # the quotes of every claim are known only now; a source is a job of its own size
            pool.next_phase([(*job, held.quotes.pop(job[2], None)) for job in sources], chunk=8)
            yield from pool.results()
    except WorkerDied:
        raise died from None


def _parse_job(job) -> tuple[str, str, dict]:
    root, kind, ident, rel, size, mtime, digest, data, quotes = job
    if data is None:
        try:
            with open(os.path.join(root, rel), "rb") as fh:  # not pathlib: its parsing of the path cost more than the read
                data = fh.read()
        except OSError:
            data = b""
    if digest is None:
        digest = hashlib.sha256(data).hexdigest()
    rows = _Rows()
    problems, value = rows.add(kind, ident, rel, data)
    file_row = {"path": rel, "kind": kind, "ident": ident, "size": size, "mtime_ns": mtime, "sha256": digest,
                "problems": json.dumps([p.to_dict() for p in problems], ensure_ascii=False) if problems else "[]"}
    parsed = {"path": rel, "file": tuple(file_row[c] for c in table_columns()["files"]), "tables": rows.tables}
    if quotes:
        parsed["spans"] = _anchor_quotes(value, data, quotes)
    return kind, ident, parsed


def _anchor_quotes(source: Source | None, data: bytes, quotes: list[tuple[str, int, str]]) -> list[tuple]:
    """(claim id, citation index, start, end, anchored) of each quote in a source's body, the
    body prepared once for all of them. A source whose metadata is invalid still has a body
    (its front matter is split off, not parsed again); a file with none, or not UTF-8, anchors
    nothing (its citations stay unanchored, as a missing source's do)."""
    if source is not None:
        body = source.body
    else:
        try:
            split = split_front_matter(data.decode("utf-8"))
        except UnicodeDecodeError:
            split = None
        if split is None:
            return []
        body = split[1]
    text = SourceText(body)
    spans = []
    for claim_id, idx, quote in quotes:
        anchor = text.anchor(quote)
        spans.append((claim_id, idx, anchor.start, anchor.end, True) if anchor else (claim_id, idx, None, None, True))
    return spans


class _Citations:
    """The citation rows of the claims parsed so far, kept until the source they cite is parsed
    (its job anchors their quotes), then written at once; `quotes` by source id, for its job."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], list] = {}
        self.quotes: dict[str, list[tuple[str, int, str]]] = {}
        at = table_columns()["citations"].index
        self._key = (at("claim_id"), at("idx"), at("source"), at("quote"))
        self._span = (at("start"), at("end"), at("anchored"))

    def hold(self, rows: list[tuple]) -> None:
        claim, idx, source, quote = self._key
        for row in rows:
            self.rows[row[claim], row[idx]] = list(row)
            self.quotes.setdefault(row[source], []).append((row[claim], row[idx], row[quote]))

    def fill(self, spans: list[tuple]) -> None:
        start, end, anchored = self._span
        for claim_id, idx, *span in spans:
            row = self.rows.get((claim_id, idx))
            if row is not None:
                row[start], row[end], row[anchored] = span


def _delete_fts(conn: sqlite3.Connection, ref: str, kinds: tuple[str, ...]) -> None:
    marks = ",".join("?" * len(kinds))
    conn.execute(f"DELETE FROM fts WHERE rowid IN (SELECT fts_rowid FROM fulltext_rows WHERE ref = ? AND kind IN ({marks}))", (ref, *kinds))
    conn.execute(f"DELETE FROM fulltext_rows WHERE ref = ? AND kind IN ({marks})", (ref, *kinds))


def _delete_actors(conn: sqlite3.Connection, ident: str) -> None:
    conn.execute("DELETE FROM sides")
    conn.execute("DELETE FROM actors")


def _delete_issue(conn: sqlite3.Connection, ident: str) -> None:
    conn.execute("DELETE FROM issues WHERE id = ?", (ident,))


def _delete_claim(conn: sqlite3.Connection, ident: str) -> None:
    for table, column in (("claims", "id"), ("links", "src"), ("status_changes", "claim_id"), ("citations", "claim_id")):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (ident,))
    _delete_fts(conn, ident, ("claim", "quote"))


def _delete_source(conn: sqlite3.Connection, ident: str) -> None:
    conn.execute("DELETE FROM sources WHERE id = ?", (ident,))
    _delete_fts(conn, ident, ("source",))
    conn.execute('UPDATE citations SET anchored = 0, start = NULL, "end" = NULL WHERE source = ?', (ident,))


# The rows each kind of file (layout.py) contributes are removed by its entry here, before its
# new rows go in (_Rows.ROWS makes them); a kind with no rows has no entry.
_DELETE: dict[str, Callable[[sqlite3.Connection, str], None]] = {
    ACTORS: _delete_actors, ISSUE: _delete_issue, CLAIM: _delete_claim, SOURCE: _delete_source,
}


def _delete(conn: sqlite3.Connection, kind: str, ident: str) -> None:
    """Remove the rows a file contributed, before its new rows go in."""
    remove = _DELETE.get(kind)
    if remove is not None:
        remove(conn, ident)


# --- rows from models, by the tables' column names ---------------------------------------------


@lru_cache(maxsize=None)
def table_columns() -> dict[str, tuple[str, ...]]:
    """Each table's columns, in order, as schema.sql makes them (read from an empty in-memory copy)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(_schema_sql())
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')) for t in names}
    finally:
        conn.close()


def _as_text(value):
    """A date or a metadata value that may be inferred, as its column holds it: its text."""
    return value.value if isinstance(value, (FuzzyDate, Inferred)) else value


def _json_list(value: list) -> str:
    return json.dumps(value, ensure_ascii=False) if value else "[]"


def _json_models(value: list) -> str:
    return json.dumps([v.model_dump() for v in value], ensure_ascii=False) if value else "[]"


def _store_for(model: type, name: str) -> Callable | None:
    """How a field's value is stored, chosen once from its type: a list as JSON, a date or a
    maybe-inferred value as its text; None for a value stored as it is."""
    field = model.model_fields.get(name)
    if field is None:
        return None  # a property (Claim.issue): text
    kind = field.annotation
    if get_origin(kind) is list:
        (item,) = get_args(kind) or (str,)
        return _json_models if isinstance(item, type) and issubclass(item, BaseModel) else _json_list
    if kind in (FuzzyDate, Inferred) or {FuzzyDate, Inferred} & set(get_args(kind)):
        return _as_text
    return None


def _inferred(value) -> bool:
    """The `X_inferred` column of a field X: an inferred date or metadata value."""
    return isinstance(value, Inferred) or (isinstance(value, FuzzyDate) and value.inferred)


# The columns a date fills beside its own (`said_on_sort`, `published_note`, ...), by suffix.
_DATE_PARTS = {
    "sort": lambda d: d.sort_key,
    "first": lambda d: d.span.first,
    "last": lambda d: d.span.last,
    "note": lambda d: d.note,
}


def _part(get):
    return lambda date: None if date is None else get(date)


def _has(model: type, name: str) -> bool:
    return name in model.model_fields or isinstance(getattr(model, name, None), property)


@lru_cache(maxsize=None)
def _plan(table: str, model: type, given: tuple[str, ...]) -> tuple[tuple[tuple[int, str], ...], Callable, tuple[tuple[int, Callable], ...]]:
    """How the rows of `table` are made from a `model`, worked out once: where the given values
    go ((position, name), in order), a getter of the other columns' attributes (a date's for
    each of its parts), and (position, how the value is stored) where it is not stored as it
    is. LookupError names a column the model does not have."""
    columns, attrs, stores, places = [], [], [], []
    for at, column in enumerate(table_columns()[table]):
        if column in given:
            places.append((at, column))
            continue
        base, _, suffix = column.rpartition("_")
        if _has(model, column):
            attr, store = column, _store_for(model, column)
        elif suffix == "inferred" and _has(model, base):
            attr, store = base, _inferred
        elif suffix in _DATE_PARTS and _has(model, base):
            attr, store = base, _part(_DATE_PARTS[suffix])
        else:
            raise LookupError(f"{table}.{column} is not a field of {model.__name__} nor a part of one: give it to _row")
        if store is not None:
            stores.append((len(columns), store))
        columns.append(column)
        attrs.append(attr)
    get = attrgetter(*attrs) if len(attrs) > 1 else (lambda obj, _get=attrgetter(*attrs): (_get(obj),))
    return tuple(places), get, tuple(stores)


def _row(table: str, obj: BaseModel, **given) -> tuple:
    """The row of `table` for one model, its values in the table's column order (a tuple is
    what the worker sends back and what executemany takes): each column by its name (see
    _plan), or as given."""
    places, get, stores = _plan(table, type(obj), tuple(given))
    values = list(get(obj))
    for i, store in stores:
        values[i] = store(values[i])
    for at, name in places:
        values.insert(at, given[name])
    return tuple(values)


class _Rows:
    """Rows gathered per table, each a tuple in its table's column order (table_columns; the
    full-text rows: text, kind, ref, issue), so a worker process sends back no column names."""

    def __init__(self) -> None:
        self.files: list[tuple] = []
        self.tables: dict[str, list[tuple]] = {}

    def extend(self, parsed: dict, held: _Citations) -> None:
        """Take in one file's rows; its citations go to `held`, and a source's spans into them."""
        self.files.append(parsed["file"])
        for table, rows in parsed["tables"].items():
            if table == "citations":
                held.hold(rows)
            else:
                self.tables.setdefault(table, []).extend(rows)
        if "spans" in parsed:
            held.fill(parsed["spans"])

    def _put(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)

    def add(self, kind: str, ident: str, rel: str, data: bytes):
        """The rows of one file, by its kind; (its problems, its model or None)."""
        try:
            text_ = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            from ..problems import error

            return [error(rel, 0, "bad-encoding", f"not UTF-8 ({exc.reason}) — save the file as UTF-8")], None
        rows = self.ROWS.get(kind)
        if rows is None:
            return [], None
        value, problems = load_text(kind, ident, text_)
        if value is not None:
            rows(self, value)
        return problems, value

    def _issue(self, issue: Issue) -> None:
        self._put("issues", _row("issues", issue, id=issue.id))

    def _actors(self, actors: ActorsFile) -> None:
        seen_s, seen_a = set(), set()
        for i, side in enumerate(actors.sides):
            if side.id not in seen_s:
                seen_s.add(side.id)
                self._put("sides", _row("sides", side, ord=i))
        for i, actor in enumerate(actors.actors):
            if actor.id not in seen_a:
                seen_a.add(actor.id)
                self._put("actors", _row("actors", actor, ord=i))

    def _claim(self, c: Claim) -> None:
        self._put("claims", _row("claims", c))
        for n, (kind, ref) in enumerate(c.link_refs()):
            self._put("links", _row("links", ref, src=c.id, type=kind, dst=ref.claim, ord=n))
        for i, h in enumerate(c.history):
            self._put("status_changes", _row("status_changes", h, claim_id=c.id, idx=i))
        for i, cit in enumerate(c.citations):
            # the span is found by the job that parses the source (_anchor_quotes), or, for a
            # source not parsed in this change, from its stored body (_anchor_citations)
            self._put("citations", _row("citations", cit, claim_id=c.id, idx=i, start=None, end=None, anchored=False))
            self._put("fts", (cit.quote, "quote", c.id, c.issue))
        self._put("fts", (c.statement, "claim", c.id, c.issue))

    def _source(self, s: Source) -> None:
        m = s.meta
        self._put("sources", _row("sources", m, id=s.id, body=s.body))
        # its text is the title and the body, joined where it is written (_Writer.flush): a
        # worker sends the body once, in the source's row, not a second time in this one
        self._put("fts", (None, "source", s.id, None))

    # The rows of each kind of file (layout.py) that goes into the index; the others have none.
    ROWS: dict[str, Callable[["_Rows", Any], None]] = {ACTORS: _actors, ISSUE: _issue, CLAIM: _claim, SOURCE: _source}



class _Writer:
    """Bulk inserts of row tuples, in statements that name the tables' columns (table_columns:
    the order the rows were made in)."""

    FTS_COLUMNS = ("rowid", "text", "kind", "ref", "issue")

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.next_fts = (conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM fts").fetchone()[0] or 0) + 1

    def flush(self, rows: "_Rows") -> None:
        if rows.files:
            self._insert("files", table_columns()["files"], rows.files)
        for table, batch in rows.tables.items():
            if not batch:
                continue
            if table == "fts":
                batch = self._source_texts(batch, rows.tables.get("sources", []))
                first = self.next_fts
                self.next_fts += len(batch)
                self._insert("fulltext_rows", table_columns()["fulltext_rows"], [(rowid, r[2], r[1]) for rowid, r in enumerate(batch, first)])
                self._insert("fts", self.FTS_COLUMNS, [(rowid, *r) for rowid, r in enumerate(batch, first)])
            else:
                self._insert(table, table_columns()[table], batch)

    @staticmethod
    def _source_texts(batch: list[tuple], sources: list[tuple]) -> list[tuple]:
        """The full-text rows, a source's text (None from _Rows._source) made of its row in the
        same batch: the title, a line break, the body."""
        if not sources:
            return batch
        at = table_columns()["sources"].index
        ident, title, body = at("id"), at("title"), at("body")
        texts = {row[ident]: f"{row[title]}\n{row[body]}" for row in sources}
        return [(texts[r[2]], *r[1:]) if r[0] is None else r for r in batch]

    def flush_citations(self, held: _Citations) -> None:
        if held.rows:
            self._insert("citations", table_columns()["citations"], list(held.rows.values()))
        held.rows.clear()

    def _insert(self, table: str, columns: tuple[str, ...], rows: list) -> None:
        quoted = ", ".join(f'"{c}"' for c in columns)
        sql = f'INSERT OR REPLACE INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
        self.conn.executemany(sql, rows)


def _anchor_citations(raw: sqlite3.Connection) -> None:
    """Compute the span of every citation not yet anchored against its source's current body."""
    pending: dict[str, list[tuple[str, int, str]]] = {}
    for claim_id, idx, quote, source_id in raw.execute(
        "SELECT claim_id, idx, quote, source FROM citations WHERE anchored = 0"
    ):
        pending.setdefault(source_id, []).append((claim_id, idx, quote))
    if not pending:
        return
    updates = []
    ids = list(pending)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for source_id, body in raw.execute(f"SELECT id, body FROM sources WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            prepared = SourceText(body)
            for claim_id, idx, quote in pending[source_id]:
                anchor = prepared.anchor(quote)
                updates.append((anchor.start if anchor else None, anchor.end if anchor else None, claim_id, idx))
    raw.executemany('UPDATE citations SET start = ?, "end" = ?, anchored = 1 WHERE claim_id = ? AND idx = ?', updates)

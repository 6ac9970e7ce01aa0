"""`claimtrack sync`: copy the local index into the team's PostgreSQL database, incrementally.

The local SQLite index is refreshed first (it parses only what changed on disk), then compared
with the database file by file on the sha256 of each file's bytes: only the rows of files whose
hash differs are replaced, and the rows of files the dataset no longer has are deleted. Rows are
copied from the local index, not parsed again, so both indexes hold the same rows by construction.

A sync is one transaction that starts by taking a transaction-level advisory lock: two analysts
syncing two clones at the same moment run one after the other, and each computes its changes
against what the other committed. The database then holds exactly one clone's state (the later
sync's), never a mixture; readers see it before or after a sync, never during.

Besides the rows of a changed file, a changed or removed source changes where the quotes of the
claims citing it are found (citations.start/end): those claims' citations are copied again too.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import DatabaseError, libpq_url, shown_url

LOCK = "claimtrack sync"  # the advisory lock's key is hashtext() of this
CHUNK = 2000  # ids per IN (...) list: well under both engines' limits on parameters


@dataclass
class SyncReport:
    url: str  # password masked
    files: int = 0  # in the dataset
    changed: list[str] = field(default_factory=list)  # paths added or changed since the last sync
    removed: list[str] = field(default_factory=list)  # paths gone since the last sync
    created: bool = False  # the tables were made (first sync, or another schema)
    with_problems: list[str] = field(default_factory=list)  # paths whose rows are left out (claimtrack check says why)


def engine_for(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine("postgresql+psycopg://" + libpq_url(url)[len("postgresql://"):], poolclass=NullPool)


def database_error(exc: Exception, url: str) -> DatabaseError:
    """A driver's error as one line that says what to do."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return DatabaseError(f"{shown_url(url)}: {first} — check the URL, that the server runs and that the user may create tables in the database")


def sync(root: Path, url: str, progress: Callable[[int, int], None] | None = None) -> SyncReport:
    from sqlalchemy.exc import DBAPIError

    from ..index.refresh import connect, refresh_index

    report = SyncReport(shown_url(url))
    libpq_url(url)  # a wrong scheme is a usage error before anything is read
    refresh_index(root, progress=progress)
    lite = connect(root)
    engine = engine_for(url)
    try:
        lite.execute("BEGIN")  # one snapshot of the local index for the whole copy
        with engine.begin() as pg:
            _copy(lite, pg, report)
    except DBAPIError as exc:
        raise database_error(exc, url) from None
    finally:
        lite.close()
        engine.dispose()
    return report


def _copy(lite: sqlite3.Connection, pg, report: SyncReport) -> None:
    from sqlalchemy import text

    from . import schema

    pg.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": LOCK})
    report.created = schema.ensure(pg)
    md = schema.metadata()
    files = md.tables["files"]
    local = {r[0]: (r[1], r[2], r[3], r[4]) for r in lite.execute("SELECT path, kind, ident, sha256, problems FROM files")}
    remote = {r.path: (r.kind, r.ident, r.sha256) for r in pg.execute(files.select().with_only_columns(files.c.path, files.c.kind, files.c.ident, files.c.sha256))}
    report.files = len(local)
    report.changed = sorted(p for p, v in local.items() if remote.get(p, (None, None, None))[2] != v[2])
    report.removed = sorted(set(remote) - set(local))
    report.with_problems = sorted(p for p, v in local.items() if v[3] != "[]")
    if not report.changed and not report.removed:
        return

    def idents(kind: str, paths: list[str], table: dict) -> list[str]:
        return [table[p][1] for p in paths if table[p][0] == kind]

    claims_in = idents("claim", report.changed, local)
    claims_out = claims_in + idents("claim", report.removed, remote)
    sources_in = idents("source", report.changed, local)
    sources_out = sources_in + idents("source", report.removed, remote)
    issues_in = idents("issue", report.changed, local)
    issues_out = issues_in + idents("issue", report.removed, remote)
    actors = "claims/actors.yaml" in report.changed or "claims/actors.yaml" in report.removed
    # the claims whose quotes are anchored in a changed or removed source
    cited = {r[0] for chunk in _chunks(sources_out)
             for r in lite.execute(f"SELECT claim_id FROM citations WHERE source IN ({_marks(chunk)})", chunk)}
    recite = sorted(set(claims_out) | cited)

    writer = _Copier(lite, pg, md)
    writer.delete("files", "path", report.changed + report.removed)
    for table, column in (("claims", "id"), ("links", "src"), ("status_changes", "claim_id")):
        writer.delete(table, column, claims_out)
    writer.delete("citations", "claim_id", recite)
    writer.delete("sources", "id", sources_out)
    writer.delete("issues", "id", issues_out)
    writer.delete_fulltext(("claim", "quote"), claims_out)
    writer.delete_fulltext(("source",), sources_out)
    if actors:
        pg.execute(md.tables["sides"].delete())
        pg.execute(md.tables["actors"].delete())

    writer.copy("files", "path", report.changed)
    for table, column in (("claims", "id"), ("links", "src"), ("status_changes", "claim_id")):
        writer.copy(table, column, claims_in)
    writer.copy("citations", "claim_id", recite)
    writer.copy("sources", "id", sources_in)
    writer.copy("issues", "id", issues_in)
    writer.copy_fulltext(claims_in + sources_in)
    if actors and "claims/actors.yaml" in local:
        writer.copy("sides", None, [])
        writer.copy("actors", None, [])


def _marks(items: list) -> str:
    return ",".join("?" * len(items))


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _Copier:
    """Deletes in the database and copies rows from the local index, a chunk of ids at a time,
    with SQLAlchemy Core bulk inserts."""

    def __init__(self, lite: sqlite3.Connection, pg, md):
        from sqlalchemy import Boolean

        self.lite, self.pg, self.md = lite, pg, md
        self.booleans = {t.name: [c.name for c in t.columns if isinstance(c.type, Boolean)] for t in md.sorted_tables}

    def delete(self, table: str, column: str, ids: list[str]) -> None:
        t = self.md.tables[table]
        for chunk in _chunks(sorted(set(ids))):
            self.pg.execute(t.delete().where(t.c[column].in_(chunk)))

    def delete_fulltext(self, kinds: tuple[str, ...], refs: list[str]) -> None:
        t = self.md.tables["fulltext"]
        for chunk in _chunks(sorted(set(refs))):
            self.pg.execute(t.delete().where(t.c.kind.in_(kinds), t.c.ref.in_(chunk)))

    def copy(self, table: str, column: str | None, ids: list[str]) -> None:
        t = self.md.tables[table]
        names = [c.name for c in t.columns]
        select = "SELECT " + ", ".join(f'"{n}"' for n in names) + f' FROM "{table}"'
        if column is None:
            batches = [self.lite.execute(select).fetchall()]
        else:
            batches = (self.lite.execute(select + f' WHERE "{column}" IN ({_marks(chunk)})', chunk).fetchall()
                       for chunk in _chunks(sorted(set(ids))))
        for rows in batches:
            if rows:
                self.pg.execute(t.insert(), [self._row(table, names, r) for r in rows])

    def copy_fulltext(self, refs: list[str]) -> None:
        t = self.md.tables["fulltext"]
        for chunk in _chunks(sorted(set(refs))):
            rows = self.lite.execute(
                "SELECT fts.text, fts.kind, fts.ref, fts.issue FROM fts WHERE fts.rowid IN "
                f"(SELECT fts_rowid FROM fulltext_rows WHERE ref IN ({_marks(chunk)})) ORDER BY fts.rowid",
                chunk,
            ).fetchall()
            if rows:
                self.pg.execute(t.insert(), [{"text": r[0], "kind": r[1], "ref": r[2], "issue": r[3]} for r in rows])

    def _row(self, table: str, names: list[str], values) -> dict:
        row = dict(zip(names, values, strict=True))
        for name in self.booleans[table]:
            if row[name] is not None:
                row[name] = bool(row[name])
        return row

"""The SQLite index: derived from the files, refreshed before every read, safe to delete.

The freshness check uses only the stdlib (`os.stat` and `sqlite3`), so a read on an index that is
already fresh never imports pydantic, YAML or SQLAlchemy. Only changed files are parsed again: a
file whose size and mtime match its row is skipped; one whose bytes hash the same is only
re-stamped. Rows are written through SQLAlchemy Core on the sqlmodel tables (see tables.py).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

INDEX_DIR = ".claimtrack"
INDEX_FILE = "index.sqlite"
SCHEMA_VERSION = "5"  # keep equal to tables.SCHEMA_VERSION (a test holds them together)

# (kind, id, relative path, size, mtime_ns)
Stamp = tuple[str, str, str, int, int]


@dataclass
class RefreshReport:
    parsed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    restamped: list[str] = field(default_factory=list)
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.parsed or self.removed)


def index_path(root: Path) -> Path:
    return root / INDEX_DIR / INDEX_FILE


def connect(root: Path) -> sqlite3.Connection:
    """A connection to the index as it is; call refresh_index first to make it fresh."""
    path = index_path(root)
    path.parent.mkdir(exist_ok=True)
    gitignore = path.parent / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n")
    conn = sqlite3.connect(path, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def scan_files(root: Path) -> list[Stamp]:
    """Every dataset file with its size and mtime; stdlib only."""
    out: list[Stamp] = []

    def add(kind: str, ident: str, rel: str, entry: os.DirEntry) -> None:
        st = entry.stat()
        out.append((kind, ident, rel, st.st_size, st.st_mtime_ns))

    claims = root / "claims"
    for entry in os.scandir(claims):
        if entry.name.startswith("."):
            continue
        if entry.name == "actors.yaml" and entry.is_file():
            add("actors", "", "claims/actors.yaml", entry)
        elif entry.is_dir():
            issue = entry.name
            for f in os.scandir(entry.path):
                if f.name.startswith(".") or not f.name.endswith(".yaml") or not f.is_file():
                    continue
                if f.name == "_issue.yaml":
                    add("issue", issue, f"claims/{issue}/_issue.yaml", f)
                else:
                    add("claim", f"{issue}/{f.name[:-5]}", f"claims/{issue}/{f.name}", f)
    for f in os.scandir(root / "sources"):
        if f.name.endswith(".md") and not f.name.startswith(".") and f.is_file():
            add("source", f.name[:-3], f"sources/{f.name}", f)
    return out


def _schema_ok(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == SCHEMA_VERSION


@contextmanager
def _refresh_lock(root: Path) -> Iterator[None]:
    """One refresher at a time, so that two first reads do not both rebuild (and delete) the index."""
    (root / INDEX_DIR).mkdir(exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: SQLite's own locking is all there is
        yield
        return
    with open(root / INDEX_DIR / "refresh.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def refresh_index(root: Path, progress: Callable[[int, int], None] | None = None) -> RefreshReport:
    """Bring the index up to date with the files; parse only what changed."""
    with _refresh_lock(root):
        return _refresh(root, progress)


def folder_digests(stamps: list[Stamp]) -> dict[str, str]:
    """A digest of the names, sizes and mtimes of each folder's files. A folder whose digest
    matches the stored one has no changed file, and its files' stamps need not even be read."""
    lines: dict[str, list[str]] = {}
    for _, _, rel, size, mtime in stamps:
        folder, _, name = rel.rpartition("/")
        lines.setdefault(folder, []).append(f"{name}\t{size}\t{mtime}")
    return {
        folder: hashlib.sha1("\n".join(sorted(rows)).encode("utf-8", "surrogateescape")).hexdigest()
        for folder, rows in lines.items()
    }


def manifest(folders: dict[str, str]) -> str:
    """One digest of them all: when it matches the stored one, nothing changed."""
    return hashlib.sha1("\n".join(f"{k}\t{v}" for k, v in sorted(folders.items())).encode("utf-8", "surrogateescape")).hexdigest()


def _stored(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _stamps_in(conn: sqlite3.Connection, folders: list[str]) -> dict[str, tuple]:
    """The stored stamps of the files directly in these folders."""
    known: dict[str, tuple] = {}
    for folder in folders:
        if folder == "claims":  # its only file; a range over claims/ would take every claim
            rows = conn.execute("SELECT path, size, mtime_ns, sha256 FROM files WHERE path = 'claims/actors.yaml'")
        else:  # '0' sorts just after '/': the range is the folder's own paths
            rows = conn.execute("SELECT path, size, mtime_ns, sha256 FROM files WHERE path >= ? AND path < ?", (folder + "/", folder + "0"))
        for r in rows:
            if r[0].rpartition("/")[0] == folder:
                known[r[0]] = (r[1], r[2], r[3])
    return known


def _refresh(root: Path, progress: Callable[[int, int], None] | None) -> RefreshReport:
    report = RefreshReport()
    path = index_path(root)
    current = scan_files(root)
    folders_now = folder_digests(current)
    digest_now = manifest(folders_now)
    try:
        conn = connect(root)
        schema_ok = _schema_ok(conn)
    except sqlite3.DatabaseError:  # not a database at all: it is only a cache, start again
        conn, schema_ok = sqlite3.connect(":memory:"), False
    try:
        if schema_ok and _stored(conn, "manifest") == digest_now:
            return report
        if not schema_ok:
            conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            conn = connect(root)
            report.rebuilt = True
            known: dict[str, tuple] = {}
        else:
            stored = {k[4:]: v for k, v in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'dir:%'")}
            changed = sorted({f for f, d in folders_now.items() if stored.get(f) != d} | (set(stored) - set(folders_now)))
            known = _stamps_in(conn, changed)
            wanted = set(changed)
            current = [st for st in current if st[2].rpartition("/")[0] in wanted]
        todo: list[tuple[Stamp, str | None, bytes | None]] = []
        restamp: list[tuple[int, int, str]] = []
        for stamp in current:
            kind, ident, rel, size, mtime = stamp
            old = known.get(rel)
            if old is None:
                todo.append((stamp, None, None))  # new: the parser reads and hashes it
                continue
            if old[0] == size and old[1] == mtime:
                continue
            try:
                data = (root / rel).read_bytes()
            except OSError:
                continue
            digest = hashlib.sha256(data).hexdigest()
            if old[2] == digest:
                restamp.append((size, mtime, rel))
                continue
            todo.append((stamp, digest, data))
        present = {s[2] for s in current}
        gone = [rel for rel in known if rel not in present]
        if restamp:
            conn.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", restamp)
            conn.commit()
            report.restamped = [r[2] for r in restamp]
    finally:
        conn.close()
    if todo or gone or report.rebuilt:
        from .indexer import apply_changes

        apply_changes(root, todo, gone, create=report.rebuilt, progress=progress)
        report.parsed = [t[0][2] for t in todo]
        report.removed = gone
    conn = connect(root)
    try:
        conn.execute("DELETE FROM meta WHERE key LIKE 'dir:%'")
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [(f"dir:{f}", d) for f, d in folders_now.items()])
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('manifest', ?)", (digest_now,))
        conn.commit()
    finally:
        conn.close()
    return report


def open_index(root: Path, refresh: bool = True) -> sqlite3.Connection:
    """A fresh, read-ready connection to the index."""
    if refresh:
        refresh_index(root)
    return connect(root)

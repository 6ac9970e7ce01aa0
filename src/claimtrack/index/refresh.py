"""The SQLite index: derived from the files, refreshed before every read, safe to delete.

The freshness check uses only the stdlib (`os.stat` and `sqlite3`), so a read on an index that is
already fresh never imports pydantic, YAML or SQLAlchemy. Only changed files are parsed again: a
file whose size and mtime match its row is skipped; one whose bytes hash the same is only
re-stamped. Rows are made by build.py, imported only then, and written with the stdlib sqlite3
driver into the tables of schema.py (created from schema.sql).

Three ways to be fresh: the stat walk (`refresh_index`: every file stat'ed, one digest per folder
compared before any file's stamp); the watcher's word (`claimtrack watch` vouches, nothing is
stat'ed: watchstate.py); and the watcher's own refresh (`refresh_paths`: only the paths its
events name).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator


from .location import (  # noqa: F401  (re-exported: callers look for them here)
    INDEX_DIR,
    INDEX_FILE,
    SCHEMA_VERSION,
    IndexUnusable,
    Stamp,
    cache_dir,
    cache_home,
    index_dir,
    index_path,
)


@dataclass
class RefreshReport:
    parsed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    restamped: list[str] = field(default_factory=list)
    rebuilt: bool = False
    repaired: str | None = None  # why an unreadable index was rebuilt (the SQLite message)
    vouched: bool = False  # a running `claimtrack watch` vouched for the index: no file was stat'ed
    targeted: bool = False  # only the paths the watcher's events named were stat'ed (refresh_paths)

    @property
    def changed(self) -> bool:
        return bool(self.parsed or self.removed)


def _note(message: str) -> None:
    """A repair is diagnostic, never output: one line on stderr."""
    print(f"claimtrack: note: {message}", file=sys.stderr, flush=True)


Notify = Callable[[str], None]


def _prepare(root: Path, where: Path) -> None:
    """Create the index's folder; in the dataset, with a .gitignore so it is never committed;
    in the cache, with a note of which dataset it serves (for whoever cleans the cache)."""
    try:
        where.mkdir(parents=True, exist_ok=True)
        if where == root / INDEX_DIR:
            gitignore = where / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
        else:
            served = where / "dataset.txt"
            if not served.exists():
                served.write_text(f"{root.resolve()}\n", encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise IndexUnusable(f"{where}: cannot create the index folder ({exc.strerror}) — make it writable, or set XDG_CACHE_HOME to a folder you can write") from None


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def connect(root: Path, notify: Notify | None = _note) -> "IndexConnection":
    """A connection to the index as it is (call refresh_index first to make it fresh); a query
    that finds the index broken rebuilds it and is answered (see IndexConnection)."""
    return IndexConnection(root, notify)


# ------------------------------------------------------------------------------ what went wrong


_REPAIRABLE = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_ERROR", "SQLITE_SCHEMA", "SQLITE_MISMATCH",
               "SQLITE_RANGE", "SQLITE_FORMAT", "SQLITE_CONSTRAINT")


def _repairable(exc: sqlite3.DatabaseError) -> bool:
    """A broken index (a bad page, a missing table, not a database at all) is rebuilt; a busy
    one, a full disk or an I/O error is not: rebuilding would not help, and would lose it."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if not name:
        return not isinstance(exc, sqlite3.OperationalError) or "no such" in str(exc)
    return any(name == n or name.startswith(n + "_") for n in _REPAIRABLE)


def _unusable(exc: BaseException, where: Path) -> IndexUnusable:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        what = "another claimtrack command has held the index for 30s — try again when it is done"
    elif name.startswith("SQLITE_FULL"):
        what = "the disk is full — free some space and try again (the files are unchanged)"
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        what = "it cannot be written — make the folder writable, or set XDG_CACHE_HOME to a folder you can write"
    else:
        what = f"remove {where} and run the command again"
    return IndexUnusable(f"{where / INDEX_FILE}: the index cannot be used ({exc}) — {what}")


def _remove_index(where: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = where / (INDEX_FILE + suffix)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise IndexUnusable(f"{path}: cannot be removed to rebuild the index ({exc.strerror}) — remove it") from None


def _identity(where: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(where / INDEX_FILE)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class _Result(list):
    """Every row of a query, read at once (so that a broken page fails in execute, where it can
    be repaired, never half-way through a loop), with the cursor methods the queries use."""

    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


class IndexConnection:
    """A read connection to the index that repairs it: a query that finds the index broken
    (a corrupt page, a dropped table) rebuilds it from the files, says so once on stderr, and
    runs again. Errors that a rebuild cannot cure (busy, disk full, I/O) become IndexUnusable."""

    def __init__(self, root: Path, notify: Notify | None = _note):
        self.root = root
        self.notify = notify
        self.where = index_dir(root)
        _prepare(root, self.where)
        self._repaired = False
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        self._identity = _identity(self.where)
        try:
            return _raw(self.where / INDEX_FILE)
        except sqlite3.DatabaseError as exc:
            if not _repairable(exc):
                raise _unusable(exc, self.where) from None
            # A file that is not a database: the first query repairs it.
            conn = sqlite3.connect(self.where / INDEX_FILE, timeout=30)
            conn.row_factory = sqlite3.Row
            return conn

    def execute(self, sql: str, params=()) -> _Result:
        try:
            return _Result(self._conn.execute(sql, params).fetchall())
        except sqlite3.DatabaseError as exc:
            if self._repaired or not _repairable(exc):
                raise _unusable(exc, self.where) from None
            self._repair(exc)
        try:
            return _Result(self._conn.execute(sql, params).fetchall())
        except sqlite3.DatabaseError as exc:
            raise _unusable(exc, self.where) from None

    def _repair(self, exc: sqlite3.DatabaseError) -> None:
        self._repaired = True
        self._conn.close()
        with _refresh_lock(self.where):
            if _identity(self.where) == self._identity:  # nobody else rebuilt it meanwhile
                _remove_index(self.where)
                try:
                    _refresh(self.root, self.where, None)
                except sqlite3.DatabaseError as again:
                    raise _unusable(again, self.where) from None
                if self.notify:
                    self.notify(f"the index was unreadable ({exc}); rebuilt it")
        self._conn = _raw(self.where / INDEX_FILE)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "IndexConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def scan_files(root: Path) -> list[Stamp]:
    """Every dataset file with its size and mtime; stdlib only.

    The files are layout.walk_entries' (in the file system's order, unsorted: the digests sort),
    the kinds that are read as text; an original page or a stray is no row of the index. What is
    no file of the dataset is left out, never read (paths.refusal: a name that is not UTF-8,
    which SQLite could not even store, or a symbolic link out of the dataset); `check` reports
    each. A name that is not an id is kept: its row carries the loader's bad-id."""
    from ..layout import TEXT_KINDS, walk_entries

    out: list[Stamp] = []
    for kind, ident, rel, entry in walk_entries(root, ordered=False):
        if kind in TEXT_KINDS and entry.is_file():
            st = entry.stat()
            out.append((kind, ident, rel, st.st_size, st.st_mtime_ns))
    return out


def _schema_state(conn: sqlite3.Connection) -> str:
    """'ok', 'new' (an empty file: build it) or 'old' (another schema version: rebuild it,
    silently, as after an upgrade). A file that is not a database raises."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return "new"
    if "meta" not in tables:
        return "old"
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return "ok" if row is not None and row[0] == SCHEMA_VERSION else "old"


@contextmanager
def _refresh_lock(where: Path) -> Iterator[None]:
    """One refresher at a time, so that two first reads do not both rebuild (and delete) the index."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: SQLite's own locking is all there is
        yield
        return
    try:
        fh = open(where / "refresh.lock", "a")
    except OSError as exc:
        raise IndexUnusable(f"{where / 'refresh.lock'}: cannot be opened ({exc.strerror}) — remove it, or make {where} writable") from None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def refresh_index(root: Path, progress: Callable[[int, int], None] | None = None, notify: Notify | None = _note,
                  trust_watcher: bool = True) -> RefreshReport:
    """Bring the index up to date with the files; parse only what changed.

    While `claimtrack watch` runs and proves it has seen every change made before this call
    (watch.watcher_vouches), the index is fresh and no file is even stat'ed; otherwise, the stat
    walk. An index that cannot be read (a corrupt page, a dropped table, not a database) is
    rebuilt from the files and `notify` told why; what a rebuild cannot cure raises IndexUnusable."""
    where = index_dir(root)
    _prepare(root, where)
    if trust_watcher and (where / INDEX_FILE).exists():
        from .watchstate import watcher_vouches

        if watcher_vouches(root, where / INDEX_FILE):
            return RefreshReport(vouched=True)
    with _refresh_lock(where):
        try:
            return _refresh(root, where, progress)
        except sqlite3.DatabaseError as exc:
            if not _repairable(exc):
                raise _unusable(exc, where) from None
            broken = exc
        _remove_index(where)
        try:
            report = _refresh(root, where, progress)
        except sqlite3.DatabaseError as exc:
            raise _unusable(exc, where) from None
    report.rebuilt, report.repaired = True, str(broken)
    if notify:
        notify(f"the index was unreadable ({broken}); rebuilt it")
    return report


def rebuild_index(root: Path, progress: Callable[[int, int], None] | None = None) -> RefreshReport:
    """Drop the index and build it again from every file."""
    where = index_dir(root)
    _prepare(root, where)
    with _refresh_lock(where):
        _remove_index(where)
        try:
            return _refresh(root, where, progress)
        except sqlite3.DatabaseError as exc:
            raise _unusable(exc, where) from None


@dataclass
class VerifyReport:
    files: int  # files whose bytes were hashed
    stale: list[str]  # indexed with other content than the file holds now; read again
    refresh: RefreshReport
    integrity: str | None = None  # SQLite's integrity check, when it failed (the index was rebuilt)


def verify_index(root: Path, progress: Callable[[int, int], None] | None = None, notify: Notify | None = _note) -> VerifyReport:
    """Hash every file and compare with the index, and run SQLite's own integrity check.

    The freshness check looks at sizes and mtimes only; a copy that keeps them (`cp -p`,
    `rsync -a`, `tar`) over a file the index holds leaves the index serving the old text.
    Files whose hash differs are parsed again; a failed integrity check rebuilds the index."""
    refresh = refresh_index(root, progress, notify)
    where = index_dir(root)
    with _refresh_lock(where):
        conn = _raw(where / INDEX_FILE)
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            known = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute("SELECT path, kind, ident, size, sha256 FROM files")}
        except sqlite3.DatabaseError as exc:
            check, known = [str(exc)], {}
        finally:
            conn.close()
        if check != ["ok"]:
            _remove_index(where)
            try:
                refresh = _refresh(root, where, progress)
            except sqlite3.DatabaseError as exc:
                raise _unusable(exc, where) from None
            refresh.rebuilt, refresh.repaired = True, "; ".join(check[:3])
            return VerifyReport(len(refresh.parsed), [], refresh, refresh.repaired)
        todo: list[tuple[Stamp, str | None, bytes | None]] = []
        stamps = {s[2]: s for s in scan_files(root)}
        for rel, stamp in stamps.items():
            if rel not in known:
                continue
            read = _read_hashed(root / rel)
            if read is not None and read[1] != known[rel][3]:
                todo.append((stamp, read[1], read[0]))
        if todo:
            from .build import apply_changes

            try:
                apply_changes(root, todo, [], progress=progress)
            except sqlite3.DatabaseError as exc:
                raise _unusable(exc, where) from None
    return VerifyReport(len(known), sorted(t[0][2] for t in todo), refresh)


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


def _read_hashed(path: Path) -> tuple[bytes, str] | None:
    """A file's bytes and their sha256; None when it cannot be read (gone since the scan)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data, hashlib.sha256(data).hexdigest()


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


def _restamp(conn: sqlite3.Connection, restamp: list[tuple[int, int, str]], report: RefreshReport) -> None:
    """Store the new size and mtime of files whose bytes did not change (copied, touched)."""
    if restamp:
        conn.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", restamp)
        conn.commit()
        report.restamped = [r[2] for r in restamp]


def _compare(root: Path, current: list[Stamp], known: dict[str, tuple]) -> tuple[list, list]:
    """What to parse again (new files, and files whose bytes changed) and what only to re-stamp
    (stamps moved, bytes the same), of `current` against the stored stamps `known`."""
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
        read = _read_hashed(root / rel)
        if read is None:
            continue
        data, digest = read
        if old[2] == digest:
            restamp.append((size, mtime, rel))
            continue
        todo.append((stamp, digest, data))
    return todo, restamp


def _refresh(root: Path, where: Path, progress: Callable[[int, int], None] | None) -> RefreshReport:
    """The refresh itself; a broken index raises sqlite3.DatabaseError (refresh_index repairs it)."""
    report = RefreshReport()
    current = scan_files(root)
    folders_now = folder_digests(current)
    digest_now = manifest(folders_now)
    conn = _raw(where / INDEX_FILE)
    try:
        state = _schema_state(conn)
        if state == "ok" and _stored(conn, "manifest") == digest_now:
            return report
        if state != "ok":
            conn.close()
            _remove_index(where)
            conn = _raw(where / INDEX_FILE)
            report.rebuilt = True
            known: dict[str, tuple] = {}
        else:
            stored = {k[4:]: v for k, v in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'dir:%'")}
            changed = sorted({f for f, d in folders_now.items() if stored.get(f) != d} | (set(stored) - set(folders_now)))
            known = _stamps_in(conn, changed)
            wanted = set(changed)
            current = [st for st in current if st[2].rpartition("/")[0] in wanted]
        todo, restamp = _compare(root, current, known)
        present = {s[2] for s in current}
        gone = [rel for rel in known if rel not in present]
        _restamp(conn, restamp, report)
    finally:
        conn.close()
    if todo or gone or report.rebuilt:
        from .build import apply_changes

        apply_changes(root, todo, gone, create=report.rebuilt, progress=progress)
        report.parsed = [t[0][2] for t in todo]
        report.removed = gone
    conn = _raw(where / INDEX_FILE)
    try:
        conn.execute("DELETE FROM meta WHERE key LIKE 'dir:%'")
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [(f"dir:{f}", d) for f, d in folders_now.items()])
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('manifest', ?)", (digest_now,))
        conn.commit()
    finally:
        conn.close()
    return report


# ------------------------------------------------------------------ the watcher's refresh


class NeedsWalk(Exception):
    """The paths named cannot be refreshed one by one (a symbolic link, a watched folder itself,
    an index without folder digests): refresh with the stat walk instead."""


class _Named:
    """A path as a walker's directory entry (name, path, is_symlink), for paths.refusal; its
    lstat is taken once."""

    def __init__(self, path: str):
        self.path = path
        self.name = os.path.basename(path)
        try:
            self.st: os.stat_result | None = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            self.st = None

    def is_symlink(self) -> bool:
        return self.st is not None and stat.S_ISLNK(self.st.st_mode)


def stamp_of(root: Path, rel: str) -> Stamp | None:
    """The stamp scan_files would give the file at `rel` now, or None when the walk would leave
    it out (gone, a folder, a dot-file, not a dataset file, refused): the same rules as
    scan_files's walk, applied to one path (tests hold the two equal). A symbolic link raises
    NeedsWalk: a change to its target is notified under the target's name, not the link's."""
    from ..layout import TEXT_KINDS, classify
    from ..paths import refusal

    parts = rel.split("/")
    entries = [_Named(str(root.joinpath(*parts[:n]))) for n in range(2, len(parts) + 1)]
    if any(e.is_symlink() for e in entries):
        raise NeedsWalk(f"{rel}: a symbolic link")
    leaf = entries[-1]
    if leaf.st is None or not stat.S_ISREG(leaf.st.st_mode) or any(e.name.startswith(".") for e in entries):
        return None
    if any(refusal(root, e) is not None for e in entries):
        return None
    kind, ident = classify(rel)
    return (kind, ident, rel, leaf.st.st_size, leaf.st.st_mtime_ns) if kind in TEXT_KINDS else None


def refresh_paths(root: Path, rels: list[str]) -> RefreshReport:
    """Refresh only what the named paths (relative to root, `/`-separated: what the watcher's
    events name) can have changed: each named file is stat'ed and compared with its row; a name
    that is, or was, an issue folder has its files listed again. Nothing else is stat'ed, so this
    is right only when the caller knows no other file changed: the watcher, which is told of every
    change. The folder digests and the manifest are kept as a stat walk would leave them, so a
    later walk (a read without the watcher) finds nothing to do. NeedsWalk when the paths cannot
    be taken one by one; sqlite3.DatabaseError on a broken index (refresh_index repairs it)."""
    where = index_dir(root)
    if not (where / INDEX_FILE).exists():
        raise NeedsWalk("no index yet")
    files: set[str] = set()
    folders: set[str] = set()  # issue folders to list again
    for rel in rels:
        parts = rel.split("/")
        if len(parts) < 2 or parts[0] not in ("claims", "sources") or "" in parts or ".." in parts:
            raise NeedsWalk(f"{rel}: not a path the walk would meet one by one")
        if parts[0] == "claims" and len(parts) == 2:
            folders.add(rel)  # an issue folder made, removed or renamed, or a file beside them
        if (parts[0] == "claims" and len(parts) <= 3) or (parts[0] == "sources" and len(parts) == 2):
            files.add(rel)
    report = RefreshReport(targeted=True)
    with _refresh_lock(where):
        conn = _raw(where / INDEX_FILE)
        try:
            if _schema_state(conn) != "ok" or _stored(conn, "manifest") is None:
                raise NeedsWalk("the index has no folder digests yet")
            touched = sorted({f.rpartition("/")[0] for f in files} | folders)
            known = _stamps_in(conn, touched)
            for folder in folders:
                files.update(rel for rel in known if rel.rpartition("/")[0] == folder)  # each file it held
                try:
                    names = os.listdir(root / folder) if os.path.isdir(root / folder) else []
                except OSError:
                    names = []
                files.update(f"{folder}/{name}" for name in names)
            fresh = {rel: stamp_of(root, rel) for rel in sorted(files)}
            current = [st for st in fresh.values() if st is not None]
            todo, restamp = _compare(root, current, known)
            gone = sorted(rel for rel, st in fresh.items() if st is None and rel in known)
            after: list[Stamp] = [("", "", rel, v[0], v[1]) for rel, v in known.items() if rel not in fresh] + current
            digests = folder_digests(after)
            stored = {k[4:]: v for k, v in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'dir:%'")}
            for folder in touched:
                stored.pop(folder, None)
                if folder in digests:
                    stored[folder] = digests[folder]
            _restamp(conn, restamp, report)
        finally:
            conn.close()
        if todo or gone:
            from .build import apply_changes

            apply_changes(root, todo, gone)
            report.parsed = [t[0][2] for t in todo]
            report.removed = gone
        conn = _raw(where / INDEX_FILE)
        try:
            conn.executemany("DELETE FROM meta WHERE key = ?", [(f"dir:{f}",) for f in touched])
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [(f"dir:{f}", stored[f]) for f in touched if f in stored])
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('manifest', ?)", (manifest(stored),))
            conn.commit()
        finally:
            conn.close()
    return report


def open_index(root: Path, refresh: bool = True) -> IndexConnection:
    """A fresh, read-ready connection to the index."""
    if refresh:
        refresh_index(root)
    return connect(root)

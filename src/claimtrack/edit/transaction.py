"""The one door every write goes through: the lock, the transaction, and the index afterwards.

    with Transaction(root) as tx:          # takes the dataset lock, loads the dataset
        tx.put("claims/flow/x.yaml", text)  # stage whole new file texts
        warnings = tx.commit()              # validate the whole result, then write
    refresh_after_write(root)               # bring the index up to date, under the lock

`commit` puts the staged files in place *in memory*, runs every rule of `claimtrack check`, and
refuses (`WriteRefused`) when the result has an error the change introduced; errors that were
already in the dataset do not block an unrelated write. Then each file is written to a temporary
file beside it and renamed into place; if anything fails midway, the files already written are
put back as they were. The lock serialises writers, so two commands writing at once both land.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..model import Dataset
from ..paths import INDEX_DIR, stage_atomic
from ..problems import ClaimtrackError, Problem, WriteRefused, error, sort_problems
from ..layout import ACTORS, CLAIM, ORIGINAL, STRAY, classify
from ..store import claim_path, load_dataset, take_file
from .inputs import SLUG, InputError
from .names import find_claim


# ------------------------------------------------------------------------------ the lock


@contextmanager
def dataset_lock(root: Path, timeout: float = 30.0) -> Iterator[None]:
    """Serialise writers: one command changes the dataset at a time."""
    from filelock import FileLock, Timeout

    (root / INDEX_DIR).mkdir(exist_ok=True)
    lock = FileLock(str(root / INDEX_DIR / "write.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise ClaimtrackError(f"another claimtrack command has been writing to {root} for {timeout:.0f}s — try again when it is done") from None
    try:
        yield
    finally:
        lock.release()


def refresh_after_write(root: Path) -> None:
    """Bring the index up to date after a write, under the write lock: writers that finish
    together refresh it one at a time. The indexer is imported before the lock is taken, so
    the lock is held only for the work itself. Errors are raised as they are: the write is done,
    and the caller decides how to say that the index is not (it is rebuilt on the next read)."""
    import claimtrack.index.build  # noqa: F401
    from ..index.refresh import refresh_index

    with dataset_lock(root):
        refresh_index(root)


# ---------------------------------------------------------------------------- the transaction


def _fact(p: Problem) -> tuple:
    """What a problem is about, without its hint (suggestions change as the dataset grows)."""
    return (p.path, p.code, p.severity, p.message.split(" — ")[0])


def introduced(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The problems of `after` that `before` did not have."""
    counts = Counter(_fact(p) for p in before)
    out = []
    for p in after:
        k = _fact(p)
        if counts[k] > 0:
            counts[k] -= 1
        else:
            out.append(p)
    return out


class Transaction:
    """A locked read-modify-write of the dataset: stage whole files with `put`, then `commit`."""

    def __init__(self, root: Path, timeout: float = 30.0):
        self.root = Path(root)
        self.timeout = timeout
        self.changes: dict[str, str | bytes] = {}  # bytes only for a source's original page
        self.ds: Dataset
        self.problems: list[Problem]
        self._lock = None

    def __enter__(self) -> "Transaction":
        self._lock = dataset_lock(self.root, self.timeout)
        try:
            self._lock.__enter__()
        except OSError as exc:  # .claimtrack/ cannot be made or written: a full or read-only disk
            raise WriteFailed(".claimtrack/write.lock", exc, "could not take the write lock") from None
        try:
            self.ds, self.problems = load_dataset(self.root)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._lock.__exit__(*exc)

    def claim(self, wanted: str) -> str:
        """The id of a claim to change; a claim whose file does not load is named as such."""
        try:
            return find_claim(self.ds, wanted)
        except InputError:
            cid = wanted.strip()
            if "/" in cid and (self.root / claim_path(cid)).is_file():
                raise InputError(f"{claim_path(cid)} has errors, so it cannot be changed this way — mend it first with 'claimtrack edit {cid}' ('claimtrack check' shows what is wrong)") from None
            raise

    def read(self, rel: str) -> str:
        if rel in self.changes:
            return self.changes[rel]
        return (self.root / rel).read_bytes().decode("utf-8")

    def put(self, rel: str, text: str | bytes) -> None:
        """Stage a whole file. A source's original page (sources/<id>.html) is bytes, kept exactly
        as fetched; every other file is text."""
        kind, _ = classify(rel)  # a path that climbs out of the dataset is refused (LeavesDataset)
        if kind == STRAY:
            raise ValueError(f"not a dataset file: {rel}")
        if isinstance(text, bytes) != (kind == ORIGINAL):
            raise TypeError(f"{rel}: {'bytes' if kind == ORIGINAL else 'str'} expected")
        self.changes[rel] = text

    # -- validation

    def candidate(self) -> tuple[Dataset, list[Problem]]:
        """The dataset with the staged files in place, and the loading problems of the result.
        Its locator is the loaded one with the staged texts (and the staged original pages'
        sha256) in place, so the rules locate a problem in the text that is about to be written."""
        ds = self.ds.model_copy(update={name: dict(getattr(self.ds, name)) for name in ("sides", "actors", "issues", "claims", "sources")})
        ds.locator = locator = self.ds.locator.copy()
        problems = [p for p in self.problems if p.path not in self.changes]
        for rel, content in self.changes.items():
            kind, ident = classify(rel)
            if kind != ACTORS and not all(SLUG.match(part) for part in ident.split("/")):
                problems.append(error(rel, 0, "bad-id", f"'{ident}' is not a valid id (lower-case letters, digits and hyphens) — choose another name"))
                continue
            problems += take_file(ds, locator, kind, ident, rel, content)
            if kind == CLAIM and ident.split("/")[0] not in ds.issues:
                problems.append(error(rel, 0, "missing-issue-file", f"the issue '{ident.split('/')[0]}' does not exist — create it first"))
        return ds, problems

    def validate(self) -> tuple[list[Problem], list[Problem]]:
        """(errors, warnings) that the staged change introduces, each located in its new text."""
        from ..check import run_checks

        ds, loaded = self.candidate()
        after = loaded + run_checks(self.root, ds)
        if not after:
            return [], []
        before = self.problems + run_checks(self.root, self.ds)
        new = sort_problems(introduced(before, after))
        return [p for p in new if p.severity == "error"], [p for p in new if p.severity == "warning"]

    # -- writing

    def commit(self, force: bool = False) -> list[Problem]:
        """Validate, then write every staged file atomically; the warnings the change introduced.

        Refuses with WriteRefused (nothing written) when the change introduces an error, unless
        `force` (the user chose to keep an edit with its errors). A disk that fails (full, an I/O
        error, read-only) raises WriteFailed with the dataset as it was. A Ctrl-C while the files
        are being put in place waits until they all are; it then reaches the caller with the
        files recorded in `committed()`, so the message can say what is on disk."""
        errors, warnings = self.validate()  # in memory: the staged texts are in the candidate's locator
        if errors and not force:
            raise WriteRefused(errors)
        with _interrupt_deferred():
            write_files(self.root, self.changes)
            _committed.extend(self.changes)
        return errors + warnings if force else warnings


_committed: list[str] = []  # every file this process has committed, in order


def committed() -> list[str]:
    """The relative paths this process has written (a write is recorded once all its files are
    in place): what the CLI names when a command is interrupted, or fails, after its write."""
    return list(_committed)


class WriteFailed(ClaimtrackError):
    """The disk refused a write (full, an I/O error, read-only, no permission). `restored` is
    False when the files already put in place could not all be put back."""

    ADVICE = {
        "ENOSPC": "free some disk space, then run the command again",
        "EDQUOT": "free some space in your disk quota, then run the command again",
        "EFBIG": "the file is larger than this process may write (ulimit -f); raise the limit, then run the command again",
        "EROFS": "the dataset is on a read-only file system; copy it somewhere writable",
        "EACCES": "you may not write there; check the folder's permissions",
        "EPERM": "you may not write there; check the folder's permissions",
        "EIO": "the disk reported an I/O error; check the disk, then run the command again",
    }

    def __init__(self, rel: str, exc: OSError, doing: str = "could not write", not_restored: list[str] | None = None):
        import errno as errno_names

        self.rel, self.exc, self.not_restored = str(rel), exc, list(not_restored or [])
        reason = exc.strerror or str(exc) or type(exc).__name__
        advice = self.ADVICE.get(errno_names.errorcode.get(exc.errno or 0, ""), "run the command again once the cause is fixed")
        if self.not_restored:
            state = f"the change is only partly undone: {', '.join(self.not_restored)} could not be put back, restore it from your copy or version control"
        else:
            state = "nothing was changed"
        super().__init__(f"{self.rel}: {doing}: {reason} — {state}; {advice}")


def _interrupt_deferred():
    """A context in which Ctrl-C (SIGINT) is held back and raised at its end: files are put in
    place, or put back, as a whole. Only the main thread can handle signals; elsewhere a no-op."""
    import signal
    import threading
    from contextlib import contextmanager, nullcontext

    if threading.current_thread() is not threading.main_thread():
        return nullcontext()

    @contextmanager
    def deferred():
        held: list[int] = []
        previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        if held:
            if previous is signal.default_int_handler:
                raise KeyboardInterrupt
            if callable(previous):
                previous(signal.SIGINT, None)

    return deferred()


def _missing_folders(folder: Path) -> list[Path]:
    """`folder` and its ancestors that do not exist yet, outermost first."""
    out = []
    while not folder.exists():
        out.append(folder)
        folder = folder.parent
    return out[::-1]


def _remove_folders(made: list[Path]) -> None:
    """Remove the folders a failed write made, innermost first; one that is not empty stays."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


def write_files(root: Path, changes: dict[str, str | bytes]) -> None:
    """Write the files as one change: all of them, or (on any failure) none.

    First every new text goes to a temporary file beside its target, synced to disk: this is
    where a full disk or an I/O error shows, and then only temporary files exist, which are
    removed. Then each is renamed over its target (a rename needs no new space); if one rename
    fails, the targets already replaced get their old bytes back. Raises WriteFailed for an
    OSError, with `not_restored` naming any file that could not be put back."""
    for rel, text in changes.items():
        if isinstance(text, bytes):
            continue
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(f"{rel}: the text holds {text[exc.start:exc.end]!r}, which cannot be stored as UTF-8 — nothing was written; remove that character") from None
    staged: list[tuple[str, Path, Path, bytes | None]] = []  # rel, target, temporary file, old bytes
    made: list[Path] = []
    rel = ""
    try:
        for rel, text in changes.items():
            path = root / rel
            old = path.read_bytes() if path.exists() else None
            made += _missing_folders(path.parent)
            staged.append((rel, path, stage_atomic(path, text if isinstance(text, bytes) else text.encode("utf-8")), old))
    except BaseException as exc:
        for _, _, tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        _remove_folders(made)
        if isinstance(exc, OSError):
            raise WriteFailed(rel, exc) from None
        raise
    done: list[tuple[str, Path, bytes | None]] = []
    try:
        for rel, path, tmp, old in staged:
            os.replace(tmp, path)
            done.append((rel, path, old))
    except BaseException as exc:
        for _, _, tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        not_restored = []
        for done_rel, path, old in reversed(done):
            try:
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    _put_back(path, old)
            except OSError:
                not_restored.append(done_rel)
        if not not_restored:
            _remove_folders(made)
        if isinstance(exc, OSError):
            raise WriteFailed(rel, exc, not_restored=not_restored) from None
        raise
    for folder in dict.fromkeys(path.parent for _, path, _, _ in staged):
        _sync_folder(folder)


def _put_back(path: Path, old: bytes) -> None:
    tmp = stage_atomic(path, old)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (a power cut then keeps the new names); best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)



class ChangedOnDisk(ClaimtrackError):
    pass


RECOVER_DIR = ".claimtrack/recover"


def keep_recovery(root: Path, claim_id: str, data: bytes, now: dt.datetime | None = None) -> Path:
    """Keep an edit that was not saved, byte for byte, as
    .claimtrack/recover/<issue>__<name>.<UTC time>.yaml, and return its path. A name already
    taken (two edits in one second) gets -2, -3... Raises OSError when it cannot be written."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(root) / RECOVER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{claim_id.replace('/', '__')}.{stamp}"
    n = 1
    while True:
        path = folder / (f"{base}.yaml" if n == 1 else f"{base}-{n}.yaml")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            n += 1
            continue
        break
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path

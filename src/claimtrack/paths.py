"""Where things are (the dataset root, the path of each file) and how a file is written safely.
Stdlib only, so that a read on a fresh index, or a brief, imports no YAML or pydantic.

Every id becomes a path here and nowhere else: `claim_path`, `issue_path` and `source_path`
refuse a string that is not an id (so `../../x` never names a file), and `dataset_file` refuses
a path whose symbolic links lead out of the dataset. The walk (layout.walk_entries, for the
loader and the index) asks `link_leaves` of every link it meets, and `shown` of every name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from .problems import ClaimtrackError, DatasetNotFound

ENV_ROOT = "CLAIMTRACK_ROOT"
ACTORS_FILE = "claims/actors.yaml"
ISSUE_FILE = "_issue.yaml"
INDEX_DIR = ".claimtrack"


def is_dataset(path: Path) -> bool:
    return (path / "claims").is_dir() and (path / "sources").is_dir()


def find_root(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Path:
    """The dataset root: `explicit`, else $CLAIMTRACK_ROOT, else the nearest folder upwards."""
    given = explicit or os.environ.get(ENV_ROOT)
    if given:
        root = Path(given).expanduser().resolve()
        if not is_dataset(root):
            raise DatasetNotFound(
                f"{root} is not a claimtrack dataset (it needs claims/ and sources/) — "
                f"run 'claimtrack init {given}' to start one"
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_dataset(folder):
            return folder
    raise DatasetNotFound(
        "not inside a claimtrack dataset (no claims/ and sources/ here or above) — "
        "run 'claimtrack init DIR' to start one, or pass --root DIR"
    )


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class BadId(ClaimtrackError):
    """A string given as an id that is not one (so it cannot name a file of the dataset)."""


class LeavesDataset(ClaimtrackError):
    """A dataset file reached through a symbolic link that points outside the dataset."""


class LinkedFile(ClaimtrackError):
    """A write to a path that is a symbolic link: claimtrack never writes through one."""


ID = r"[a-z0-9][a-z0-9-]*"  # the one spelling of an id: the models' patterns, the writers' checks, the allow comments
_ID = re.compile(ID)


def is_id(text: object) -> bool:
    """An id is a lower-case slug: letters a-z, digits and hyphens, not starting with a hyphen."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


def shown(name: str) -> str:
    """A name from the file system or the command line, printable: bytes that are not UTF-8
    (decoded by Python as lone surrogates) shown as escapes, `\\xff`."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte (it came from elsewhere)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _refuse(kind: str, ident: str, form: str) -> BadId:
    return BadId(f"'{shown(ident)}' is not a {kind} id — {form}: lower-case letters, digits and hyphens")


def claim_path(claim_id: str) -> str:
    """claims/<issue>/<name>.yaml, for a claim id and nothing else (BadId otherwise)."""
    issue, sep, name = claim_id.partition("/")
    if not (sep and is_id(issue) and is_id(name)):
        raise _refuse("claim", claim_id, "a claim id is <issue>/<name>, each part")
    return f"claims/{issue}/{name}.yaml"


def source_path(source_id: str) -> str:
    """sources/<id>.md, for a source id and nothing else (BadId otherwise)."""
    if not is_id(source_id):
        raise _refuse("source", source_id, "a source id is")
    return f"sources/{source_id}.md"


def original_path(source_id: str) -> str:
    """The page a source was archived from, kept beside its text (HTML sources only)."""
    return f"sources/{source_id}.html"


def issue_path(issue_id: str) -> str:
    """claims/<id>/_issue.yaml, for an issue id and nothing else (BadId otherwise)."""
    if not is_id(issue_id):
        raise _refuse("issue", issue_id, "an issue id is")
    return f"claims/{issue_id}/{ISSUE_FILE}"


def _homes(root: Path) -> tuple[str, ...]:
    """Where a link may point: into the dataset root, or into claims/ and sources/ where they
    are themselves links (a dataset whose folders live on another disk)."""
    return tuple({os.path.realpath(root / part) for part in ("", "claims", "sources")})


def _within(target: str, homes: tuple[str, ...]) -> bool:
    return any(target == home or target.startswith(home.rstrip(os.sep) + os.sep) for home in homes)


def link_leaves(root: Path, path: str | os.PathLike) -> str | None:
    """Where the symbolic link `path` really points, when that is outside the dataset; None when
    it stays inside. Only called for links, so a dataset without them pays nothing."""
    target = os.path.realpath(path)
    return None if _within(target, _homes(root)) else target


def refusal(root: Path, entry: os.DirEntry, folder: bool = False) -> tuple[str, str] | None:
    """Why an entry a walker met in claims/ or sources/ is no file of the dataset, as (problem
    code, message); None when it is one. Costs nothing for a plain file with a UTF-8 name (the
    link test comes from the directory listing)."""
    try:
        entry.name.encode("utf-8")
    except UnicodeEncodeError:
        what = "folder" if folder else "file"
        return "bad-file-name", f"the {what} name is not UTF-8 — rename it (an id is lower-case letters, digits and hyphens)"
    if entry.is_symlink():
        target = link_leaves(root, entry.path)
        if target is not None:
            return "symlink-outside", (f"symlink leaves the dataset (it points to {shown(target)}) — "
                                       "replace the link with the file itself, or remove it")
    return None


def dataset_file(root: Path, rel: str) -> Path:
    """`root / rel` for a path inside the dataset: relative, no `..`, and no symbolic link on the
    way that points out of the dataset (LeavesDataset). A link that stays inside is followed."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise LeavesDataset(f"{shown(rel)} is not a path inside the dataset — give an id, not a path")
    here = root
    for part in parts:
        here = here / part
        if here.is_symlink():
            target = link_leaves(root, here)
            if target is not None:
                raise LeavesDataset(f"{shown(rel)}: symlink leaves the dataset (it points to {shown(target)}) — "
                                    "replace the link with the file itself, or remove it")
    return root / rel


def stage_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path`, synced to disk, and return its path:
    the first half of an atomic write (the caller renames it into place, or removes it). It is
    where a full disk or an I/O error shows, before anything the user sees has changed. The file
    gets the mode a plain open() would give it, or the mode of the file it will replace
    (mkstemp's own is 0600). A failure removes the temporary file and re-raises.

    Refuses a `path` that is a symbolic link (LinkedFile): renaming over it would turn a linked
    claim into a plain copy, and writing through it could reach a file outside the dataset."""
    if os.path.islink(path):
        raise LinkedFile(f"{shown(str(path))} is a symbolic link (to {shown(os.path.realpath(path))}) — claimtrack does not "
                         "write through links; change the file it points to, or replace the link with a copy; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777  # keep the mode of the file it replaces
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # as open() would create it
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return Path(tmp)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place: a reader never
    sees half a file, and a crash or a full disk leaves the old one whole and no temporary file."""
    tmp = stage_atomic(path, text.encode("utf-8"))
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Where things are (the dataset root, the path of each file) and how a file is written safely.
Stdlib only, so that a read on a fresh index, or a brief, imports no YAML or pydantic."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .problems import DatasetNotFound

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


def claim_path(claim_id: str) -> str:
    issue, name = claim_id.split("/", 1)
    return f"claims/{issue}/{name}.yaml"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}.md"


def original_path(source_id: str) -> str:
    """The page a source was archived from, kept beside its text (HTML sources only)."""
    return f"sources/{source_id}.html"


def issue_path(issue_id: str) -> str:
    return f"claims/{issue_id}/{ISSUE_FILE}"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place: a reader never
    sees half a file, and a crash leaves the old one whole. The file gets the mode a plain open()
    would give it (or keeps the mode of the file it replaces; mkstemp's own is 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777  # keep the mode of the file it replaces
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # as open() would create it (mkstemp's own is 0600)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise

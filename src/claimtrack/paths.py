"""Where things are: the dataset root and the path of each file. Stdlib only, so that a read on a
fresh index can find its dataset without importing YAML or pydantic."""

from __future__ import annotations

import hashlib
import os
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


def issue_path(issue_id: str) -> str:
    return f"claims/{issue_id}/{ISSUE_FILE}"

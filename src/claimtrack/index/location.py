"""Where a dataset's index lives, what its file is, and which version of the schema it holds: the
names both the freshness check (refresh.py) and the writer (build.py) need, kept apart so that
neither imports the other's module for them (build is imported by refresh only when something
changed). Stdlib only, so the freshness check on every read pays nothing for them."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..problems import ClaimtrackError

INDEX_DIR = ".claimtrack"
INDEX_FILE = "index.sqlite"
SCHEMA_VERSION = "5"  # of the tables in schema.py: raise it when one changes (the index is then rebuilt)

# (kind, id, relative path, size, mtime_ns)
Stamp = tuple[str, str, str, int, int]


class IndexUnusable(ClaimtrackError):
    """The index cannot be built or read where it must live, and rebuilding it does not help:
    something in its way that is not claimtrack's to delete, a full disk, an I/O error."""


# ------------------------------------------------------------------------------ where it lives


def cache_home() -> Path:
    """$XDG_CACHE_HOME/claimtrack (an absolute path only, as the XDG spec says), else ~/.cache/claimtrack."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "claimtrack"


def cache_dir(root: Path) -> Path:
    """The index's folder for a dataset whose own .claimtrack/ cannot be written: one per dataset,
    named by the hash of its absolute path."""
    return cache_home() / hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK)


def index_dir(root: Path) -> Path:
    """Where the index of `root` lives: the dataset's own .claimtrack/ when it can be written,
    else the user's cache folder (cache_dir). Raises IndexUnusable, saying what to remove, when
    something that is not a folder stands where .claimtrack/ or its index.sqlite must be."""
    own = root / INDEX_DIR
    try:
        st = os.stat(own)
    except FileNotFoundError:
        return own if _writable(root) else cache_dir(root)
    except OSError as exc:
        raise IndexUnusable(f"{own}: cannot be read ({exc.strerror}) — remove it; claimtrack rebuilds its index there") from None
    if not stat.S_ISDIR(st.st_mode):
        raise IndexUnusable(f"{own} is a file, not claimtrack's index folder — remove or rename it; claimtrack keeps its index there")
    if not _writable(own):
        return cache_dir(root)
    db = own / INDEX_FILE
    try:
        st = os.stat(db)
    except FileNotFoundError:
        return own
    except OSError as exc:
        raise IndexUnusable(f"{db}: cannot be read ({exc.strerror}) — remove it; claimtrack rebuilds it") from None
    if not stat.S_ISREG(st.st_mode):
        raise IndexUnusable(f"{db} is not a file — remove it; claimtrack rebuilds its index there")
    return own if os.access(db, os.R_OK | os.W_OK) else cache_dir(root)


def index_path(root: Path) -> Path:
    return index_dir(root) / INDEX_FILE

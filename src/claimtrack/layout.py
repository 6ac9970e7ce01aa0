"""The dataset's layout: which relative path is which kind of file, and the one walk over them.

Stdlib only: the index's freshness check (index.refresh.scan_files) walks with it before every
read, and a read on a fresh index imports no YAML or pydantic.

The kinds of file (docs/format.md):

    actors    claims/actors.yaml                 sides and actors
    issue     claims/<issue>/_issue.yaml         an issue
    claim     claims/<issue>/<name>.yaml         a claim, id <issue>/<name>
    source    sources/<id>.md                    a source: front matter and the archived text
    original  sources/<id>.html beside <id>.md   the page a source's text was taken from, as bytes
    folder    claims/<issue>/ with no _issue.yaml
    stray     anything else under claims/ or sources/

`classify` answers for one path, `walk` for the whole dataset; how each kind is parsed is the
store's table (store.FILE_KINDS), beside the pydantic loaders it names, so that this module stays
free of them. A new kind of file is a line in the table above, a branch in `classify` and `walk`,
and an entry in store.FILE_KINDS.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from .paths import ACTORS_FILE, ISSUE_FILE, LeavesDataset, refusal, shown
from .problems import Problem, error

ACTORS, ISSUE, CLAIM, SOURCE, ORIGINAL, FOLDER, STRAY = "actors", "issue", "claim", "source", "original", "folder", "stray"

# The kinds whose text is read into the dataset (and the index): the others are bytes or names.
TEXT_KINDS = (ACTORS, ISSUE, CLAIM, SOURCE)


def classify(rel: str) -> tuple[str, str]:
    """(kind, id) of a dataset file's relative path, by its shape alone: the id is what the path
    says, an id or not (the loader reports a name that is no id as bad-id). A path that climbs
    out of the dataset is refused (LeavesDataset); one of no kind is (STRAY, ""). A page
    sources/<id>.html is an ORIGINAL by its shape; the walk, which sees the folder, calls it a
    STRAY when no sources/<id>.md is beside it."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise LeavesDataset(f"{shown(rel)} is not a path inside the dataset — nothing was written")
    if rel == ACTORS_FILE:
        return ACTORS, ""
    if len(parts) == 3 and parts[0] == "claims" and parts[2] == ISSUE_FILE:
        return ISSUE, parts[1]
    if len(parts) == 3 and parts[0] == "claims" and parts[2].endswith(".yaml"):
        return CLAIM, f"{parts[1]}/{parts[2][:-5]}"
    if len(parts) == 2 and parts[0] == "sources" and parts[1].endswith(".md"):
        return SOURCE, parts[1][:-3]
    if len(parts) == 2 and parts[0] == "sources" and parts[1].endswith(".html"):
        return ORIGINAL, parts[1][:-5]
    return STRAY, ""


def _listing(folder: str | Path, ordered: bool) -> list[os.DirEntry]:
    entries = list(os.scandir(folder))
    if ordered:
        entries.sort(key=lambda e: e.name)
    return entries


def _text_ids(listing: list[os.DirEntry]) -> set[str]:
    return {e.name[:-3] for e in listing if e.name.endswith(".md") and e.is_file()}


def _plain_files(root: Path, listing: list[os.DirEntry], folder: str, refused: list[Problem],
                 skip: str = "") -> tuple[list[tuple[str, str, os.DirEntry]], os.DirEntry | None]:
    """(name, relative path, entry) of each file of a folder's listing that is a file of the
    dataset, and the entry named `skip` (None without one), for the caller to look at. Hidden
    names and sub-folders are passed over; each refusal goes to `refused`. One pass and a
    list, not a generator: the freshness check walks 10,000 claims with it before every read."""
    out = []
    skipped = None
    for entry in listing:
        name = entry.name
        if name == skip:
            skipped = entry
            continue
        if name[0] == ".":
            continue
        rel = folder + name
        why = refusal(root, entry)
        if why is not None:
            refused.append(error(shown(rel), 0, *why))
        elif entry.is_file():
            out.append((name, rel, entry))
    return out, skipped


def walk_entries(root: Path, refused: list[Problem] | None = None, ordered: bool = True) -> Iterator[tuple[str, str, str, os.DirEntry | None]]:
    """Every file of the dataset as (kind, id, relative path, directory entry); the entry is None
    for a FOLDER (it is the folder's own). In each issue folder the issue file comes first.

    An entry that is no file of the dataset (a name that is not UTF-8, a symbolic link out of the
    dataset: see paths.refusal) is never yielded nor read; its problem goes to `refused`. Hidden
    names (a leading '.') are passed over. `ordered` sorts each folder by name (the loader's order,
    so problems and the dataset come out the same on every file system); the freshness check
    walks in the file system's order, which is what it needs and costs no sort."""
    refused = [] if refused is None else refused

    def refuse(rel: str, why: tuple[str, str]) -> None:
        refused.append(error(shown(rel), 0, *why))

    # The freshness check runs this before every read: per entry, one refusal() call and one
    # path string (measured against the walk it replaced: no slower at 10,000 claims).
    for entry in _listing(root / "claims", ordered):
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir():
            why = refusal(root, entry, True)
            if why is not None:
                refuse(f"claims/{name}/", why)
                continue
            held: list[Problem] = []  # the refusals inside, said after the issue file's
            files, issue_file = _plain_files(root, _listing(entry.path, ordered), f"claims/{name}/", held, ISSUE_FILE)
            if issue_file is None:
                yield FOLDER, name, f"claims/{name}/", None
            else:
                rel = f"claims/{name}/{ISSUE_FILE}"
                why = refusal(root, issue_file)
                if why is None:
                    yield ISSUE, name, rel, issue_file
                else:
                    refuse(rel, why)
            refused += held
            for fname, rel, f in files:
                if fname.endswith(".yaml"):
                    yield CLAIM, f"{name}/{fname[:-5]}", rel, f
                else:
                    yield STRAY, "", rel, f
            continue
        rel = f"claims/{name}"
        why = refusal(root, entry)
        if why is not None:
            refuse(rel, why)
        elif name == "actors.yaml":
            yield ACTORS, "", ACTORS_FILE, entry
        else:
            yield STRAY, "", rel, entry
    listing = _listing(root / "sources", ordered)
    texts: set[str] | None = None  # the ids with a text, listed at the first .html met
    for name, rel, entry in _plain_files(root, listing, "sources/", refused)[0]:
        if name.endswith(".md"):
            yield SOURCE, name[:-3], rel, entry
        elif name.endswith(".html") and name[:-5] in (texts := _text_ids(listing) if texts is None else texts):
            yield ORIGINAL, name[:-5], rel, entry
        else:
            yield STRAY, "", rel, entry


def walk(root: Path, refused: list[Problem] | None = None) -> Iterator[tuple[str, str, str]]:
    """Every file of the dataset as (kind, id, relative path), sorted: walk_entries without the entries."""
    for kind, ident, rel, _ in walk_entries(root, refused):
        yield kind, ident, rel

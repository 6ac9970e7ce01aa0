"""A source file as two parts: the front matter a person may edit, and the body nobody does.

Why apart: the body is the archived text, pinned by the sha256 in the front matter; every quote
is anchored in it. `source edit` therefore hands the editor the front matter alone and puts the
body back byte for byte, and refuses an edit that changes the sha256 (the one way left to
un-pin the body). The passages of `source show` come from the index's citation offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..problems import ClaimtrackError


class SourceEditRefused(ClaimtrackError):
    """An edit of a source's front matter that would change what pins its body."""


def split_source(text: str) -> tuple[str, str]:
    """(front matter, the rest of the file from the closing `---` on) of a source file's text;
    ValueError when it has no front matter."""
    from ..store import split_front_matter

    parts = split_front_matter(text)
    if parts is None:
        raise ValueError("no front matter")
    front, body, _ = parts
    opening = text.index("\n") + 1
    return front, text[opening + len(front):]


def join_source(original: str, front: str) -> str:
    """The source file with its front matter replaced by `front`, the body as it was."""
    opening = original[: original.index("\n") + 1]
    if front and not front.endswith("\n"):
        front += "\n"
    return opening + front + split_source(original)[1]


def _sha256_of(front: str) -> str | None:
    """The sha256 a front matter records; None when it records none or is no YAML mapping (the
    loader then reports the YAML with its line)."""
    import yaml

    from ..store import parse_yaml

    try:
        data = parse_yaml(front)
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    return data.get("sha256") if isinstance(data, dict) else None


def front_problem(original: str, front: str) -> str | None:
    """Why an edited front matter cannot be saved over the original's body, or None: the body
    is pinned by its sha256, and the edit may not change or remove it."""
    if any(line.rstrip("\r") == "---" for line in front.split("\n")):
        return "the front matter may not hold a '---' line — the body is not part of this edit and is kept as it was"
    old = _sha256_of(split_source(original)[0])
    if old is not None and _sha256_of(front) != old:
        return ("sha256 pins the archived body and cannot be changed or removed — put it back as it was "
                "(the body is never edited; archive a corrected text as a new source instead)")
    return None


def save_front(root: Path, source_id: str, front: str, original: bytes) -> list:
    """Put an edited front matter in place over the unchanged body, unless the file changed on
    disk since it was read; refused (nothing written) when the result does not check clean or
    would change the sha256. Returns the warnings the change introduced."""
    from ..store import source_path
    from .transaction import ChangedOnDisk, Transaction

    rel = source_path(source_id)
    text = original.decode("utf-8")
    why = front_problem(text, front)
    if why:
        raise SourceEditRefused(f"{rel}: {why}")
    with Transaction(root) as tx:
        path = tx.root / rel
        if (path.read_bytes() if path.exists() else None) != original:
            raise ChangedOnDisk(f"{rel} changed on disk while you were editing it — nothing was written; run 'claimtrack source edit {source_id}' again")
        tx.put(rel, join_source(text, front))
        return tx.commit()


@dataclass(frozen=True)
class Passage:
    """A stretch of a source's body that citations quote, and the claims that cite it."""

    start: int
    end: int
    claims: tuple[str, ...]


def passages(citations) -> tuple[list[Passage], list]:
    """The cited stretches of a body, overlapping ones merged, in order; and the citations
    with no place in the body (their quote is not found: `check` reports them)."""
    anchored = sorted((c for c in citations if c.start is not None), key=lambda c: (c.start, c.end))
    out: list[list] = []
    for c in anchored:
        if out and c.start < out[-1][1]:
            out[-1][1] = max(out[-1][1], c.end)
            out[-1][2].append(c.claim_id)
        else:
            out.append([c.start, c.end, [c.claim_id]])
    return [Passage(s, e, tuple(dict.fromkeys(ids))) for s, e, ids in out], [c for c in citations if c.start is None]

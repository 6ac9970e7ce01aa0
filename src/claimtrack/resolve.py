"""One resolver for every id a user types: an id, a name, an alias, any case, a unique prefix.

Why one module: `add --by Mujahid` and `list --actor Mujahid` must mean the same actor, and a
miss must suggest the same closest names whichever command was typed. It works over plain lists
of `(id, names)` so that the index's records (queries.py) and the loaded models (edit/names.py) share
it; it imports nothing outside the standard library.

The order of the tries, each one only when the one before found nothing:

1. the id itself, exactly;
2. the id, a name or an alias, ignoring case and runs of spaces;
3. a prefix of the id, a name or an alias (`taliban-gov` for `taliban-government`);
4. a prefix of a word of a name or alias (`mujahid` for `Zabihullah Mujahid`).

A try that fits more than one id stops there: the answer is ambiguous, with the ids that fit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

Entries = Sequence[tuple[str, Sequence[str]]]  # (id, its names and aliases)

_WORDS = re.compile(r"[\w']+")


def norm(text: str) -> str:
    """The form labels are compared in: case folded, spaces collapsed."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Match:
    """What a typed reference resolves to: one id, or the ids it fits, or the nearest on a miss."""

    wanted: str
    id: str | None = None
    ambiguous: tuple[str, ...] = ()
    near: tuple[str, ...] = ()


def lookup(wanted: str, entries: Entries, words: bool = True) -> Match:
    """Resolve `wanted` among `entries` (see the module docstring for the order of the tries).
    words=False leaves out the fourth try, for ids whose names are not people's (claims, sources)."""
    entries = list(entries)
    ids = [e[0] for e in entries]
    if wanted in ids:
        return Match(wanted, wanted)
    key = norm(wanted)
    if not key:
        return Match(wanted, near=())
    labels = [(eid, [norm(eid), *(norm(n) for n in names if n)]) for eid, names in entries]
    tries = (
        lambda ls: key in ls,
        lambda ls: any(label.startswith(key) for label in ls),
        lambda ls: any(w.startswith(key) for label in ls[1:] for w in _WORDS.findall(label)),
    )
    for fits in tries[: 3 if words else 2]:
        hits = list(dict.fromkeys(eid for eid, ls in labels if fits(ls)))
        if len(hits) == 1:
            return Match(wanted, hits[0])
        if hits:
            return Match(wanted, ambiguous=tuple(hits))
    return Match(wanted, near=tuple(closest(wanted, entries)))


def closest(wanted: str, entries: Entries | Iterable[str], n: int = 3) -> list[str]:
    """The ids whose id, name or alias is nearest `wanted` in spelling (only those about as near
    as the best), else those with a label that contains it: the one "did you mean" of the tool."""
    pairs: list[tuple[str, Sequence[str]]] = [(e, ()) if isinstance(e, str) else e for e in entries]
    low = norm(wanted)
    if not low:
        return []
    scored: dict[str, float] = {}
    for eid, names in pairs:
        for label in (eid, *names):
            m = difflib.SequenceMatcher(None, low, norm(label))
            if m.real_quick_ratio() >= 0.5 and m.quick_ratio() >= 0.5:
                r = m.ratio()
                if r >= 0.6 and r > scored.get(eid, 0):
                    scored[eid] = r
    if scored:
        best = max(scored.values())
        ranked = sorted(scored.items(), key=lambda s: (-s[1], s[0]))
        return [eid for eid, r in ranked if r >= best - 0.08][:n]
    return [eid for eid, names in pairs if any(low in norm(label) for label in (eid, *names))][:n]


def did_you_mean(options: Iterable[str]) -> str:
    """`did you mean 'a', 'b'? ` (with its trailing space), or nothing when there is nothing near."""
    options = list(options)
    return f"did you mean {', '.join(repr(o) for o in options)}? " if options else ""


def source_names(outlet: str | None, published: str | None) -> list[str]:
    """The names a source answers to besides its id: its outlet and date, either way round, the
    outlet as written or as in ids (`arab-news 2025-11-05`, `Arab News 2025-11-05`)."""
    if not outlet or outlet == "unknown" or not published:
        return []
    slug = "-".join(re.findall(r"[a-z0-9]+", outlet.casefold()))
    out = [f"{outlet} {published}", f"{published} {outlet}"]
    if slug:
        out += [f"{slug} {published}", f"{published} {slug}"]
    return list(dict.fromkeys(out))


def ambiguous_error(kind: str, m: Match, describe=lambda i: i):
    """The UnknownId for a reference that fits several ids: it lists them to choose from."""
    from .problems import UnknownId

    shown = "; ".join(describe(i) for i in m.ambiguous[:8]) + (f"; and {len(m.ambiguous) - 8} more" if len(m.ambiguous) > 8 else "")
    exc = UnknownId(kind, m.wanted, list(m.ambiguous))
    exc.args = (f"'{m.wanted}' fits more than one {kind}: {shown} — give more of it, or the id",)
    return exc

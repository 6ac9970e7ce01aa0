"""The text of the browser's rows and panes: pure functions from records to rich `Text`.

Everything from the data goes through `clean`/`one_line` (control characters shown as escapes, never
read as markup). Each row that shows a claim carries its side's mark, so sides are told apart
without colour; the colour itself comes from the side's record. Under NO_COLOR a quote inside its
passage is also set between «guillemets», as in the plain output of `claimtrack show`.
"""

from __future__ import annotations

import re
from rich.style import Style
from rich.text import Text

from ..index import queries as q
from ..safetext import clean, one_line

PASSIVE = {"rebuts": "rebutted by", "supports": "supported by", "supersedes": "superseded by"}
QUOTE = Style(reverse=True, bold=True)
MATCH = Style(reverse=True)
CHANGE_MARK = "↻"  # a claim that supersedes an earlier position of its side


def side_style(side: q.SideRec | None) -> Style:
    if side is None:
        return Style(bold=True)
    try:
        return Style(color=side.colour, bold=True)
    except Exception:  # a colour rich cannot parse: no colour, not a crash
        return Style(bold=True)


def mark(claim: q.ClaimRec, sides: dict[str, q.SideRec], marks: dict[str, str]) -> Text:
    return Text(marks.get(claim.side, "??"), style=side_style(sides.get(claim.side)))


def precision(value: str, inferred: bool) -> str:
    """A date as written, with its precision said in words and ~ when inferred."""
    what = {4: "year", 7: "month", 10: "day"}.get(len(value), "")
    out = value + ("~" if inferred else "")
    return f"{out} ({what} precision{', inferred' if inferred else ''})" if what else out


def short_date(value: str | None, inferred: bool = False) -> str:
    return (value or "unknown") + ("~" if inferred else "")


def issue_option_parts(counts: q.IssueCounts, sides: dict[str, q.SideRec], marks: dict[str, str]) -> list[tuple[str, str | None]]:
    """An issue's row in the list, two lines as (text, style) pieces (made into a Text by
    `assembled`): the title, then claims per side (by mark) and the disputed and unanswered counts."""
    out: list[tuple[str, str | None]] = [(one_line(counts.issue.title), "bold"), ("\n", None)]
    order = [sid for sid in sides if sid in counts.per_side] + [sid for sid in counts.per_side if sid not in sides]
    for sid in order:
        out.append((marks.get(sid, "??"), "bold"))  # no side colour: it would vanish on the highlight
        out.append((f" {counts.per_side[sid]} · ", None))
    out.append((f"{counts.disputed} disputed · {counts.unanswered} unanswered", None))
    return out


def assembled(parts: list[tuple[str, str | None]]) -> Text:
    """(text, style) pieces as one rich Text that folds what is too wide."""
    out = Text(overflow="fold")
    for piece, style in parts:
        out.append(piece, style=style)
    return out


def tree_label(node_claim: q.ClaimRec, link: str | None, sides, marks, *, repeat: bool = False, context: bool = False) -> Text:
    """A thread node: how it answers its parent ("↳ rebutted by" under the claim rebutted), the
    side's mark, the kind and the statement."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if link is not None:
        out.append(f"↳ {PASSIVE.get(link, link + ' by')} ", style="italic")
    out.append_text(mark(node_claim, sides, marks))
    out.append(f" {node_claim.kind}: ", style="dim" if context else "")
    out.append(one_line(node_claim.statement), style="dim" if context else "")
    if repeat:
        out.append("  (shown above)", style="dim italic")
    return out


def passage_text(text: str, spans: list[tuple[int, int]], plain: bool, cut_before: bool = False, cut_after: bool = False) -> Text:
    """`text` with each span (offsets into it) highlighted: reverse video, and «…» when plain."""
    out = Text(overflow="fold")
    if cut_before:
        out.append("…")
    at = 0
    for s, e in spans:
        if s < at:
            s = at
        if e <= s:
            continue
        out.append(clean(text[at:s]))
        out.append(("«" if plain else "") + clean(text[s:e]) + ("»" if plain else ""), style=QUOTE)
        at = e
    out.append(clean(text[at:]))
    if cut_after:
        out.append("…")
    return out


def snippet(snippet_text: str, plain: bool) -> Text:
    """An FTS snippet (matches between \\x02 and \\x03) on one line, the matches highlighted."""
    out = Text(no_wrap=True, overflow="ellipsis")
    strong = False
    for piece in re.split("([\x02\x03])", snippet_text):
        if piece in ("\x02", "\x03"):
            strong = piece == "\x02"
            continue
        piece = re.sub(r"\s+", " ", clean(piece))
        if strong:
            out.append(("«" if plain else "") + piece + ("»" if plain else ""), style=MATCH)
        else:
            out.append(piece)
    return out

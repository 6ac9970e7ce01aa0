"""Drawing for the reading commands: pure functions from data (records, IssueView, ClaimDetail) to
rich renderables, and to the documented `--json` shapes. Nothing here prints or owns a Console.

Text that comes from the data is never read as markup: it goes into `rich.text.Text` objects, after
`clean()` has turned control characters (ESC included) and bidi overrides into visible escapes.
Everything wraps or folds within the width it is given; nothing is cut without an ellipsis.

Two things adapt to the console at render time: emphasis (a search match, a quote in its passage)
is reverse video on a colour terminal and «guillemets» in plain output (piped, or NO_COLOR); and a
few tables change layout below `NARROW` columns so that they still read at 60.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Iterable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.cells import cell_len as _rich_cell_len, chop_cells, get_character_cell_size
from rich.segment import Segment
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style

from ..safetext import clean, one_line  # noqa: F401  (part of render's vocabulary)
from rich.text import Text
from rich.tree import Tree

from ..index import queries as q
from .datewords import INFERRED_MARK, fmt_date
from .threads import ClaimDetail, IssueView, ThreadNode, TimelineRow, sides_in
from ..vocab import actor_label

if TYPE_CHECKING:
    from rich.table import Table  # imported where a table is drawn: show ISSUE and timeline draw none

NARROW = 90  # below this width, tables switch to a stacked layout
MARK_OPEN, MARK_CLOSE = "«", "»"  # emphasis in plain output
EMPHASIS = Style(reverse=True, bold=True)
HIGHLIGHT_MARK = "▶ "  # before the claim `issue_tree(highlight=...)` points at
PARAGRAPH = " ¶ "  # a line break inside a search snippet of a source
PASSIVE = {"rebuts": "rebutted by", "supports": "supported by", "supersedes": "superseded by"}

# The marks and punctuation the views draw, with the characters rich itself knows to be one
# cell wide: a text of only these is as wide as it is long. rich measures any other character
# one by one in Python, which was the largest single cost of drawing a 200-claim issue.
_ONE_CELL = frozenset(c for c in [*map(chr, range(0x20, 0x7F)), *map(chr, range(0xA0, 0x180)), *"—–“”‘’„‚…·▸◂⚑✓✗↶↻↗↙→¶«»‹›"]
                      if get_character_cell_size(c) == 1)


def cell_len(text: str) -> int:
    """rich's cell_len, the same for every text, without the per-character look-up when every
    character is one cell wide."""
    return len(text) if _ONE_CELL.issuperset(text) else _rich_cell_len(text)


# --- safe text -------------------------------------------------------------------------------

def data(text: str | None, style: Style | str = "") -> Text:
    """A Text of data: literal (never markup), cleaned, folding words longer than the width."""
    return Text(clean(text), style=style, overflow="fold")


def break_id(ident: str, width: int | None) -> str:
    """An id (already cleaned) broken after '/' or '-' into lines of at most `width` cells, so
    that a long id wraps between its words; a piece longer than the width is left to fold."""
    if width is None or width < 8 or cell_len(ident) <= width:
        return ident
    head, slash, name = ident.partition("/")
    if slash and cell_len(head) < width and cell_len(name) <= width:  # issue/ on a line, the name on the next
        return head + "/\n" + name
    lines, line = [], ""
    for piece in re.findall(r"[^/-]*[/-]|[^/-]+$", ident):
        if line and cell_len(line + piece) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)


_TOKEN = re.compile(r"\s*\S+\s*")
_GLUE_BEFORE = {"·", "—", "▸", "◂"}  # never at the start of a line: kept with what precedes
_GLUE_AFTER = set("▸◂⚑✓✗↶↻")  # never at the end of a line: kept with what follows
_STATUS_WORDS = {"asserted", "disputed", "corroborated", "refuted", "retracted", "superseded", "⚑", "✓", "✗", "↶", "↻"}


def wrap_offsets(text: str, width: int) -> list[int]:
    """Where to break one line of `text` (no line breaks in it) to fit `width` cells, by the
    reading rules: a line never starts with the · separator nor ends with a link label (…▸) or a
    status mark, and a word too long for a line (an id) breaks only after '/' or '-', folding
    only when it has none."""
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    units: list[list[tuple[int, str]]] = []
    for i, (start, tok) in enumerate(tokens):
        word = tok.strip()
        prev = tokens[i - 1][1].strip() if i else ""
        status = word in _STATUS_WORDS and prev in ("·", *_STATUS_WORDS)  # "· status" stays with what precedes it
        if units and (word in _GLUE_BEFORE or (prev and prev[-1] in _GLUE_AFTER) or status):
            units[-1].append((start, tok))
        else:
            units.append([(start, tok)])
    breaks: list[int] = []
    used = 0

    def place_token(start: int, tok: str) -> None:
        nonlocal used
        word = tok.rstrip()
        if used and used + cell_len(word) > width:
            room = width - used
            cut = _id_cut(word, room) if room >= 8 else None
            if cut is None:
                breaks.append(start)
                used = 0
            else:
                breaks.append(start + cut)
                word, tok, start, used = word[cut:], tok[cut:], start + cut, 0
        while cell_len(word) > width:  # longer than a whole line: after '/' or '-', else fold
            cut = _id_cut(word, width) or max(1, len(chop_cells(word, width)[0]))
            breaks.append(start + cut)
            word, tok, start = word[cut:], tok[cut:], start + cut
        used += cell_len(tok)

    for unit in units:
        first = unit[0][0]
        last_start, last_tok = unit[-1]
        length = cell_len(text[first:last_start] + last_tok.rstrip())
        linked = any(t.strip() in ("▸", "◂") for _, t in unit)  # a link label and its id: split the id, not the label
        fits_id = linked and used + length > width and _id_cut(last_tok.rstrip(), width - used - cell_len(text[first:last_start])) is not None
        if used and used + length > width and length <= width and not fits_id:
            breaks.append(first)
            used = 0
        if used + length <= width:
            used += cell_len(text[first:last_start] + last_tok)
        else:
            for start, tok in unit:
                place_token(start, tok)
    return [b for b in breaks if 0 < b < len(text)]


def plain_wrap(text: str, width: int) -> list[str] | None:
    """The lines rich's `Text(text).wrap(console, width, overflow="fold")` makes, computed on the
    characters alone (rich's own divide_line; its trailing-space and fold rules), for plain
    output, where styles are never written: about a third of `show ISSUE`'s drawing was rich
    carrying styles through the wrap of the citations. None for a text with a tab (rich expands
    tabs by its own rules: the caller wraps the Text then). A test holds the two equal."""
    if "\t" in text:
        return None
    from rich._wrap import divide_line
    from rich.cells import set_cell_size

    width = max(1, width)
    out = []
    for line in text.split("\n"):
        cuts = divide_line(line, width, fold=True)
        for start, end in zip([0, *cuts], [*cuts, len(line)], strict=True):
            piece = line[start:end]
            # Text.rstrip_end then Text.truncate: a piece is over the width only by the spaces
            # after its last word, and cutting it to the width cuts the same characters.
            if cell_len(piece) > width:
                piece = set_cell_size(piece, width)
            out.append(piece)
    return out


def wrapped_lines(console: Console, text: Text | str, width: int) -> list[list[Segment]]:
    """A text's lines as rich wraps it (overflow fold), as segments: cut from its characters
    alone (plain_wrap) when the console writes no style, else by rich itself."""
    if _writes_no_style(console):
        pieces = plain_wrap(text.plain if isinstance(text, Text) else text, width)
        if pieces is not None:
            return [[Segment(piece)] for piece in pieces]
    text = text if isinstance(text, Text) else Text(text)
    return [list(line.render(console, end="")) for line in text.wrap(console, width, overflow="fold")]


def _id_cut(word: str, room: int) -> int | None:
    """The longest prefix of `word` ending in '/' or '-' that fits `room` cells, as a length."""
    best = None
    for m in re.finditer(r"[/-]", word):
        if cell_len(word[: m.end()]) <= room:
            best = m.end()
    return best


class Wrap:
    """A Text wrapped by `wrap_offsets`' rules instead of rich's own (which may start a line
    with a separator or split an id anywhere); trailing spaces trimmed from each line."""

    def __init__(self, text: Text):
        self.text = text

    def lines(self, console: Console, width: int) -> list[list[Segment]]:
        """The text's lines at `width` cells, as segments (what a tree puts after its guides).
        In plain output the styles are never written, so the lines are cut from the characters
        alone (the same cuts: a test holds the two ways equal)."""
        width = max(1, width)
        if _writes_no_style(console) and "\t" not in self.text.plain:
            return [[Segment(piece)] for piece in self.plain_lines(width)]
        out = []
        for line in self.text.split("\n", allow_blank=True):
            pieces = line.divide(wrap_offsets(line.plain, width)) if cell_len(line.plain) > width else [line]
            for piece in pieces:
                piece.rstrip()
                # Segments, not the Text: it already fits, and a Text yielded would be wrapped again.
                out.append(list(piece.render(console, end="")))
        return out

    def plain_lines(self, width: int) -> list[str]:
        """The lines' characters, as `lines` cuts them."""
        out = []
        for line in self.text.plain.split("\n"):
            cuts = wrap_offsets(line, width) if cell_len(line) > width else []
            out += [line[a:b].rstrip() for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(console, options.max_width):
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lines = self.text.plain.split("\n")
        longest = max((cell_len(l) for l in lines), default=0)
        shortest = max((max((cell_len(w) for w in re.split(r"(?<=[/-])|\s+", l) if w), default=0) for l in lines), default=0)
        return Measurement(min(shortest, longest), longest).clamp(max_width=options.max_width)


_OPENING_MARKS = "“\"«„‘'‹"
_CLOSING_MARKS = "”\"»“’'›"


def quoted(text: str) -> str:
    """A quote between “ and ”, but not doubled: a quote that itself starts with a quote mark
    keeps its own (“Pakistan had demanded…” and not ““Pakistan had demanded…”), and then its own
    closing mark too when it ends with one. The quote's characters are never changed."""
    if text[:1] in _OPENING_MARKS:
        return text if text[-1:] in _CLOSING_MARKS else text + "”"
    return "“" + text + "”"


def chain_text(cit: q.CitationRec, names: dict[str, str] | None = None) -> str:
    """How the claim reached the source: the channel, then the intermediaries nearest the speaker
    first ("post on X; reported by Ariana News → Arab News"); the old `via` where that is all.
    An intermediary that is an actor id is named by its actor's name (`names`: id -> name)."""
    names = names or {}
    parts = []
    if cit.channel:
        parts.append(one_line(cit.channel))
    if cit.reported_by:
        parts.append("reported by " + " → ".join(one_line(names.get(r, r)) for r in cit.reported_by))
    if cit.via and not (cit.channel or cit.reported_by):
        parts.append("via " + one_line(cit.via))
    if cit.reported_on:
        parts.append("this source dates it " + fmt_date(cit.reported_on, cit.reported_on_inferred))
    return "; ".join(parts)


def link_basis(link: q.LinkRec) -> str:
    """A link's basis as a short parenthesis for the terminal: (reported) or (analyst: note)."""
    basis = link.basis or "analyst"
    return f"({basis}: {one_line(link.note)})" if link.note else f"({basis})"


def side_style(side: q.SideRec | None) -> Style:
    if side is None:
        return Style(bold=True)
    try:
        return Style(color=side.colour, bold=True)
    except Exception:  # a colour the index holds but rich cannot parse: no colour, not a crash
        return Style(bold=True)


def side_text(side: q.SideRec | None, fallback: str = "") -> Text:
    return data(side.name if side else (fallback or "(no side)"), side_style(side))


def _outlet_known(source: q.SourceRec) -> bool:
    return bool(source.outlet) and source.outlet != "unknown"


def source_name(source: q.SourceRec | None, source_id: str) -> str:
    """How a citation names its source: the outlet (~ when inferred), or the source id when the
    outlet is unknown (or the source is missing)."""
    if source is None or not _outlet_known(source):
        return clean(source_id)
    return one_line(source.outlet) + (INFERRED_MARK if source.outlet_inferred else "")


def _is_plain(console: Console) -> bool:
    return console.no_color or console.color_system is None


def _writes_no_style(console: Console) -> bool:
    """Whether the console writes no style at all (no colour system: piped, or NO_COLOR as
    make_console sets it), so that lines may be cut from their characters alone. A console
    with NO_COLOR but a colour system still writes bold and italic."""
    return console.color_system is None


class Emphasised:
    """A paragraph with emphasised spans: reverse video on a colour terminal, «…» in plain text.

    `parts` is a list of (text, emphasised); the text is cleaned here.
    """

    def __init__(self, parts: list[tuple[str, bool]], style: Style | str = "", prefix: Text | None = None):
        self.parts = parts
        self.style = style
        self.prefix = prefix

    def text(self, plain: bool) -> Text:
        out = self.prefix.copy() if self.prefix is not None else Text()
        out.overflow = "fold"
        for piece, strong in self.parts:
            piece = clean(piece)
            if strong and plain:
                out.append(MARK_OPEN + piece + MARK_CLOSE, self.style)
            elif strong:
                out.append(piece, EMPHASIS)
            else:
                out.append(piece, self.style)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(_is_plain(console))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text(_is_plain(console)))


class ByWidth:
    """One of two layouts, chosen by the width available when it is drawn: `wide(width)` may
    return None when it cannot fit, and then `narrow(width)` is drawn."""

    def __init__(
        self,
        narrow: Callable[[int], RenderableType],
        wide: Callable[[int], RenderableType | None],
        threshold: int = NARROW,
    ):
        self.narrow, self.wide, self.threshold = narrow, wide, threshold

    def pick(self, width: int) -> RenderableType:
        if width >= self.threshold:
            wide = self.wide(width)
            if wide is not None:
                return wide
        return self.narrow(width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.pick(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.pick(options.max_width))


def _legend(*dates_inferred: bool) -> list[Text]:
    if any(dates_inferred):
        return [Text(""), Text(f"{INFERRED_MARK} inferred: a date or outlet the source does not state", style="dim", overflow="fold")]
    return []


# A status's meaning at a glance: a mark that reads without colour (NO_COLOR, a printout), and a
# style on a colour terminal. Neither says who is right: "refuted" is what the cited evidence shows.
STATUS_MARKS = {"asserted": "", "disputed": "⚑ ", "corroborated": "✓ ", "refuted": "✗ ", "retracted": "↶ ", "superseded": "↻ "}
STATUS_STYLES = {"asserted": "", "disputed": "bold yellow", "corroborated": "bold green", "refuted": "bold red",
                 "retracted": "dim strike", "superseded": "dim"}


def status_text(status: str) -> Text:
    """A status with its mark and style (STATUS_MARKS, STATUS_STYLES)."""
    return Text(STATUS_MARKS.get(status, "") + status, style=STATUS_STYLES.get(status, ""))


def _meta(claim: q.ClaimRec, side: q.SideRec | None, *, date: bool = True, kind: bool = True, status: bool = True) -> Text:
    """Side · actor · date · kind · status, one line (wrapping at the dots when it must)."""
    out = Text(overflow="fold")
    out.append_text(side_text(side, claim.side))
    name = actor_label(claim.actor_name, claim.actor_kind)
    fields = [] if side is not None and name == side.name else [one_line(name)]
    if date:
        fields.append(fmt_date(claim.said_on, claim.said_on_inferred))
    if kind:
        fields.append(claim.kind)
    for f in fields:
        out.append(" · ")
        out.append(f)
    if status:
        out.append(" · ")
        out.append_text(status_text(claim.status))
    return out


def _name(claim_id: str, issue: str) -> str:
    """A claim id shown within its issue: the name alone; from another issue, the whole id."""
    prefix = issue + "/"
    return claim_id[len(prefix):] if claim_id.startswith(prefix) else claim_id


# --- claimtrack issues -----------------------------------------------------------------------


def issues_table(summaries: list[q.IssueSummary], sides: list[q.SideRec]) -> RenderableType:
    """Issues with claims per side, how many are disputed or unanswered, and the latest date."""
    used = [s for s in sides if any(x.per_side.get(s.id) for x in summaries)]
    known = {s.id for s in sides}
    orphans = any(k not in known for x in summaries for k in x.per_side)

    def wide(width: int) -> Table | None:
        # Column widths computed here, not left to rich: counts never wrap, side names wrap
        # at spaces under their column, and the title takes what is left (or the table is narrow).
        def words(text: str) -> int:
            return max((len(w) for w in text.split()), default=1)

        count_cols = [(side_text(s), max(words(s.name), min(12, len(s.name)))) for s in used]
        if orphans:
            count_cols.append((Text("other"), 5))
        count_cols += [(Text("Disputed"), 8), (Text("Unanswered"), 10)]
        id_width = min(24, max(len("Issue"), *(len(x.issue.id) for x in summaries)))
        latest = max(len("Latest"), *(len(fmt_date(x.latest)) for x in summaries))
        gaps = 3 * (len(count_cols) + 2)  # padding and the column divider between columns
        room = width - (id_width + latest + sum(w for _, w in count_cols) + gaps)
        longest = max(len(x.issue.title) for x in summaries)
        if room < min(16, longest):
            return None
        title = min(room, longest)
        table = _table()
        table.add_column("Issue", overflow="fold", width=id_width)
        table.add_column("Title", overflow="fold", width=title)
        for header, w in count_cols:
            table.add_column(header, justify="right", overflow="fold", width=w)
        table.add_column("Latest", overflow="fold", width=latest)
        for x in summaries:
            row: list[RenderableType] = [data(x.issue.id), data(x.issue.title)]
            row += [str(x.per_side.get(s.id, 0)) for s in used]
            if orphans:
                row.append(str(sum(v for k, v in x.per_side.items() if k not in known)))
            row += [str(x.disputed), str(x.unanswered), fmt_date(x.latest) if x.latest else "—"]
            table.add_row(*row)
        return table

    def narrow(width: int) -> Table:
        table = _table(show_lines=True)
        # The title column as wide as its longest line, but never more than 3/5 of the width.
        longest = max(max(cell_len(clean(x.issue.id)), cell_len(clean(x.issue.title))) for x in summaries)
        table.add_column("Issue", overflow="fold", max_width=max(12, min(longest, width * 3 // 5)))
        table.add_column("Claims", overflow="fold")
        for x in summaries:
            left = Text(overflow="fold")
            left.append(clean(x.issue.id), style="bold")
            left.append("\n" + clean(x.issue.title))
            right = Text(overflow="fold")
            for s in used:
                if x.per_side.get(s.id):
                    right.append_text(side_text(s))
                    right.append(f" {x.per_side[s.id]}\n")
            other = sum(v for k, v in x.per_side.items() if k not in known)
            if other:
                right.append(f"other {other}\n")
            if x.claims:
                right.append(f"{x.disputed} disputed, {x.unanswered} unanswered\nlatest {fmt_date(x.latest)}")
            else:
                right.append("no claims yet")
            table.add_row(left, right)
        return table

    if not summaries:
        return Text("No issues yet: start one with 'claimtrack issue add ID --title TITLE --question QUESTION'.", overflow="fold")
    return ByWidth(narrow, wide)


def _box():
    from rich import box

    return box.SIMPLE_HEAD


def _table(**kw) -> Table:
    """A table in the house style: a rule under the header, no frame, no blank edge lines."""
    from rich.table import Table

    return Table(box=_box(), pad_edge=False, show_edge=False, **kw)


# --- claimtrack show ISSUE -------------------------------------------------------------------


def issue_header(issue: q.IssueRec, as_of: str | None = None, summary: bool = True) -> Group:
    title = Text(overflow="fold")
    title.append(clean(issue.id), style="bold")
    title.append(": ")
    title.append(clean(issue.title), style="bold")
    if as_of:
        title.append(f" (as of {as_of})")
    parts: list[RenderableType] = [title, Text("Question: ", style="italic", overflow="fold").append(one_line(issue.question))]
    if summary and issue.summary:  # set apart from the question, and named: it is the dataset's summary, not a claim
        parts += [Text(""), Text("Summary: ", style="italic", overflow="fold").append(data(one_line(issue.summary), style="dim"))]
    return Group(*parts)


def _marks(numbers: dict[tuple[str, int], int], view: IssueView, claim_id: str) -> str:
    return "".join(f"[{numbers[(c.claim_id, c.idx)]}]" for c in view.citations.get(claim_id, []) if (c.claim_id, c.idx) in numbers)


def _external_lines(view: IssueView, claim_id: str) -> list[Text]:
    """Links that leave the issue: shown under the node, since the tree holds one issue only."""
    lines = []
    for link in view.links_out(claim_id):
        if link.dst not in view.claims:
            other = view.external.get(link.dst)
            line = Text(f"↗ {link.type} ", style="dim", overflow="fold")
            line.append(clean(link.dst))
            if other is not None:
                line.append(" (another issue)")
            lines.append(line)
    for link in view.links_in(claim_id):
        if link.src not in view.claims:
            line = Text(f"↙ {PASSIVE.get(link.type, link.type)} ", style="dim", overflow="fold")
            line.append(clean(link.src))
            line.append(" (another issue)")
            lines.append(line)
    return lines


def _node_label(view: IssueView, node: ThreadNode, numbers: dict, highlight: str | None) -> RenderableType:
    claim = node.claim
    first = Text(overflow="fold")
    mine = highlight is not None and claim.id == highlight
    if mine:
        first.append(HIGHLIGHT_MARK, style="bold")
    if node.link:
        basis = f" ({node.basis}: {one_line(node.note)})" if node.note else f" ({node.basis or 'analyst'})"
        first.append(f"{node.link}{basis} ▸ ", style="italic")
    first.append(clean(_name(claim.id, view.issue.id)), style=EMPHASIS if mine else "bold")
    if node.repeat:
        first.append(" (shown above)", style="dim")
        return Wrap(first)
    statement = data(one_line(claim.statement))
    marks = _marks(numbers, view, claim.id)
    if marks:
        statement.append(" " + marks, style="dim")
    # One Text of several lines (not a Group): a 200-claim tree renders in half the time.
    return Wrap(Text("\n", overflow="fold").join([first, _meta(claim, view.side_of(claim)), statement, *_external_lines(view, claim.id)]))


class _Thread:
    """A thread drawn as rich's Tree draws it (the same guides, styles and widths, character for
    character), with each claim's label laid out once by `Wrap.lines`: rich's Tree renders every
    label through its general layout again, which was two thirds of `show ISSUE`'s drawing."""

    def __init__(self, label: Wrap, children: list["_Thread"]):
        self.label, self.children = label, children

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.ascii_only:
            space, cont, fork, end = Tree.ASCII_GUIDES
        else:
            space, cont, fork, end = Tree.TREE_GUIDES[0]
        guide = console.get_style("dim") + Style(bold=False, underline2=False)  # rich's own for a guide
        new_line = Segment.line()

        def draw(node: "_Thread", above: list[str], first: str, rest: str):
            own = [*above, first] if first else above
            for i, line in enumerate(node.label.lines(console, options.max_width - sum(cell_len(g) for g in own))):
                for g in (own if i == 0 else [*above, rest] if rest else above):
                    yield Segment(g, guide)
                yield from line
                yield new_line
            below = [*above, rest] if rest else above
            for j, child in enumerate(node.children):
                last = j == len(node.children) - 1
                yield from draw(child, below, end if last else fork, space if last else cont)

        yield from draw(self, [], "", "")


def _grow(view: IssueView, node: ThreadNode, numbers: dict, highlight: str | None) -> _Thread:
    return _Thread(_node_label(view, node, numbers, highlight),
                   [_grow(view, child, numbers, highlight) for child in node.children])


class _Numbered:
    """Rows of a right-aligned label and a text wrapped under itself ("[12] words… / ....words").

    What a two-column Table.grid draws, without its measuring: for an issue of 200 claims the
    grid cost two thirds of the whole `show`.
    """

    def __init__(self, rows: list[tuple[str, Text]]):
        self.rows = rows

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        label_width = max((cell_len(label) for label, _ in self.rows), default=0)
        text_width = max(1, options.max_width - label_width - 1)
        for label, text in self.rows:
            for i, line in enumerate(wrapped_lines(console, text, text_width)):
                yield Segment((label.rjust(label_width) if i == 0 else " " * label_width) + " ")
                yield from line
                yield Segment.line()

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        label_width = max((cell_len(label) for label, _ in self.rows), default=0)
        return Measurement(label_width + 2, options.max_width)


def citation_list(rows: Iterable[tuple[int, q.CitationRec, q.SourceRec | None]], names: dict[str, str] | None = None) -> _Numbered:
    """Numbered citations: [n] outlet, date — “quote” (via, note)."""
    out = []
    for n, cit, source in rows:
        line = Text(overflow="fold")
        line.append(source_name(source, cit.source), style="bold")
        if source is not None:
            line.append(", " + fmt_date(source.published, source.published_inferred))
        line.append(" — " + quoted(one_line(cit.quote)))
        chain = chain_text(cit, names)
        if chain:
            line.append(" (" + chain + ")", style="italic")
        if cit.note:
            line.append("\nnote: " + one_line(cit.note), style="dim")
        out.append((f"[{n}]", line))
    return _Numbered(out)


def issue_tree(view: IssueView, *, highlight: str | None = None) -> RenderableType:
    """Every thread of the issue as a tree (a root claim, the claims answering it nested under it),
    then the numbered citations. `highlight`, a claim id, marks that claim with ▶."""
    threads = view.threads
    numbers = view.citation_numbers()
    parts: list[RenderableType] = [issue_header(view.issue, view.as_of)]
    if not threads:
        parts += [Text(""), Text("No claims in this issue yet.")]
    for i, root in enumerate(threads, 1):
        parts.append(Text(""))
        heading = Text(f"Thread {i} of {len(threads)}", style="bold underline")
        parts += [heading, _grow(view, root, numbers, highlight)]
    cited = []
    for key, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        cit = next(c for c in view.citations[key[0]] if c.idx == key[1])
        cited.append((n, cit, view.sources.get(cit.source)))
    if cited:
        names = {a.id: actor_label(a.name, a.kind) for a in view.actors.values()}
        parts += [Text(""), Text("Citations", style="bold underline"), citation_list(cited, names)]
    inferred = [c.said_on_inferred for c in view.claims.values()]
    inferred += [s.published_inferred or s.outlet_inferred for s in view.sources.values()]
    return Group(*parts, *_legend(*inferred))


# --- claimtrack show CLAIM -------------------------------------------------------------------


def _linked_claim(link_text: str, other: q.ClaimRec, sides: dict[str, q.SideRec]) -> Group:
    head = Text(overflow="fold")
    head.append(link_text + " ", style="italic")
    head.append(clean(other.id), style="bold")
    return Group(Wrap(head), Wrap(_meta(other, sides.get(other.side))), data(one_line(other.statement)))


def claim_detail(d: ClaimDetail) -> RenderableType:
    """One claim in full: statement, who and when, status and history, links in and out with the
    linked statements, and each citation's quote inside its passage of the source."""
    c = d.claim
    parts: list[RenderableType] = []
    title = Text(overflow="fold")
    title.append(clean(c.id), style="bold")
    parts.append(title)
    parts.append(Text(f"in {clean(d.issue.id)}: {one_line(d.issue.title)}", style="dim", overflow="fold"))
    parts.append(Text(""))
    parts.append(data(one_line(c.statement)))
    parts.append(Text(""))

    from rich.table import Table

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    who = Text(overflow="fold")
    who.append(clean(actor_label(c.actor_name, c.actor_kind)))
    if d.actor is not None and d.actor.kind != "person":
        who.append(f" [{d.actor.kind}]", style="dim")
    if d.actor is not None and d.actor.role:
        who.append(" (" + one_line(d.actor.role) + ")", style="dim")
    facts.add_row("Side", side_text(d.side, c.side))
    facts.add_row("By", who)
    when = Text(fmt_date(c.said_on, c.said_on_inferred), overflow="fold")
    if c.said_on_inferred and c.said_on_note:
        when.append(" inferred: " + one_line(c.said_on_note), style="dim")
    facts.add_row("Said on", when)
    facts.add_row("Kind", c.kind)
    facts.add_row("Status", status_text(c.status))
    if c.against:
        facts.add_row("Against", data(", ".join(c.against)))
    for target, note in c.answers:
        facts.add_row("Answers", data(f"accusations by {target} not recorded as claims: {one_line(note)}"))
    if c.after:
        facts.add_row("After", data(c.after))
    if c.tags:
        facts.add_row("Tags", data(", ".join(c.tags)))
    parts.append(facts)

    parts += [Text(""), Text("History", style="bold underline")]
    if d.history:
        hist = Table.grid(padding=(0, 2))
        hist.add_column(no_wrap=True)
        hist.add_column(no_wrap=True)
        hist.add_column(overflow="fold")
        for h in d.history:
            hist.add_row(fmt_date(h.on, h.on_inferred), status_text(h.status), data(one_line(h.note)))
        parts.append(hist)
    else:
        parts.append(Text(f"no recorded changes: {c.status} since {fmt_date(c.said_on, c.said_on_inferred)}", style="dim"))

    parts += [Text(""), Text("Links", style="bold underline")]
    if not d.links_out and not d.links_in:
        parts.append(Text("none: this claim answers nothing and nothing answers it", style="dim"))
    linked = [(f"{link.type} {link_basis(link)} ▸", other) for link, other in d.links_out]
    linked += [(f"{PASSIVE.get(link.type, link.type)} {link_basis(link)} ◂", other) for link, other in d.links_in]
    for i, (how, other) in enumerate(linked):
        if i:
            parts.append(Text(""))
        parts.append(_linked_claim(how, other, d.sides))

    parts += [Text(""), Text("Citations", style="bold underline")]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for cq in d.citations:
        cit, src = cq.citation, cq.source
        head = Text(overflow="fold")
        if src is not None:
            head.append(source_name(src, cit.source), style="bold")
            head.append(", " + fmt_date(src.published, src.published_inferred) + ": ")
            head.append(one_line(src.title), style="italic")
        if src is None:
            head.append(clean(cit.source), style="bold")
            head.append(" (not in the index)", style="dim")
        elif _outlet_known(src):  # otherwise the source id already names it
            head.append("\nsource " + clean(cit.source), style="dim")
        chain = chain_text(cit, d.actor_names)
        if chain:
            head.append("\n" + chain, style="italic")
        if src is not None and (src.copy_of or src.truncated):
            notes = ([f"a copy of {src.copy_of}"] if src.copy_of else []) + (["the archived text stops short"] if src.truncated else [])
            head.append("\n" + "; ".join(notes), style="dim")
        body: list[RenderableType] = [head]
        if cq.passage is not None:
            p = cq.passage
            text = p.text
            body.append(
                Emphasised(
                    [
                        (("…" if p.cut_before else "") + text[: p.quote_start], False),
                        (text[p.quote_start : p.quote_end], True),
                        (text[p.quote_end :] + ("…" if p.cut_after else ""), False),
                    ]
                )
            )
        else:
            missing = Text(quoted(one_line(cit.quote)), overflow="fold")
            missing.append(" (not found in the source's text: run claimtrack check)", style="dim")
            body.append(missing)
        if cit.note:
            body.append(Text("note: " + one_line(cit.note), style="dim", overflow="fold"))
        if cq.n > 1:
            grid.add_row("", "")
        grid.add_row(f"[{cq.n}]", Group(*body))
    parts.append(grid)
    inferred = [c.said_on_inferred] + [h.on_inferred for h in d.history] + [o.said_on_inferred for _, o in d.links_out + d.links_in]
    inferred += [cq.source.published_inferred or cq.source.outlet_inferred for cq in d.citations if cq.source]
    legend = _legend(*inferred)
    if any(cq.passage for cq in d.citations):
        legend = legend or [Text("")]
        legend.append(
            ByPlain(
                Text(f"{MARK_OPEN}…{MARK_CLOSE}: the quoted words in their passage of the source", style="dim", overflow="fold"),
                Text("reverse video: the quoted words in their passage of the source", style="dim", overflow="fold"),
            )
        )
    return Group(*parts, *legend)


class ByPlain:
    """One of two renderables: the first in plain output, the second on a colour terminal."""

    def __init__(self, plain: RenderableType, coloured: RenderableType):
        self.plain, self.coloured = plain, coloured

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.plain if _is_plain(console) else self.coloured


class _FixedGrid:
    """A table whose column widths are already decided, drawn as `_table(show_lines=True)` draws
    it (rich's SIMPLE_HEAD box without edges: a rule under the header, a blank line between rows,
    one space of padding inside each column but the outer ones), character for character, with
    each cell laid out once: rich's Table renders every cell through its general layout and
    padding, which was most of `timeline`'s time. Cells are `Wrap`s, Texts or strings."""

    def __init__(self, headers: list[tuple[Text, int]], rows: list[list]):
        self.headers, self.rows = headers, rows

    @staticmethod
    def _lines(console: Console, cell, width: int) -> list[list[Segment]]:
        return cell.lines(console, width) if isinstance(cell, Wrap) else wrapped_lines(console, cell, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [w for _, w in self.headers]
        n = len(widths)
        pads = [(0 if i == 0 else 1, 0 if i == n - 1 else 1) for i in range(n)]
        header_style = console.get_style("table.header")
        new_line = Segment.line()
        total = sum(w + l + r for w, (l, r) in zip(widths, pads, strict=True)) + n - 1

        def draw(cells: list[list[list[Segment]]], style: Style | None, bottom: bool):
            height = max(len(c) for c in cells)
            for line_no in range(height):
                for i, (cell, width, (left, right)) in enumerate(zip(cells, widths, pads, strict=True)):
                    if i:
                        yield Segment(" ")  # the box's divider
                    at = line_no - (height - len(cell)) if bottom else line_no
                    if not 0 <= at < len(cell):  # below (or, in the header, above) the cell's text
                        yield Segment(" " * (left + width + right), style)
                        continue
                    if left:
                        yield Segment(" " * left, style)
                    line = cell[at]
                    yield from line
                    room = width - sum(seg.cell_length for seg in line)
                    if room > 0:
                        yield Segment(" " * room, style)
                    if right:
                        yield Segment(" " * right, style)
                yield new_line

        # The few header cells through rich itself, which pads them in their own style.
        header = [console.render_lines(text, options.update(width=width, justify="left", overflow="fold", height=None), style=header_style)
                  for text, width in self.headers]
        yield from draw(header, header_style, bottom=True)
        yield Segment("─" * total)
        yield new_line
        for k, row in enumerate(self.rows):
            if k:
                yield Segment(" " * total)
                yield new_line
            yield from draw([self._lines(console, cell, width) for cell, width in zip(row, widths, strict=True)], None, bottom=False)


# --- claimtrack timeline ---------------------------------------------------------------------


def _timeline_cell(view: IssueView, claims: list[q.ClaimRec], changes: set[str], width: int | None = None) -> Wrap:
    out = Text(overflow="fold")
    for i, c in enumerate(claims):
        if i:
            out.append("\n\n")
        out.append(clean(_name(c.id, view.issue.id)), style="bold")
        out.append("\n" + one_line(c.actor_name) + " · " + c.kind + " · ", style="dim")
        out.append_text(status_text(c.status))
        if c.id in changes:
            replaced = [l.dst for l in view.links_out(c.id) if l.type == "supersedes"]
            out.append("\n↻ changes position: supersedes ", style="bold")
            out.append(", ".join(clean(_name(r, view.issue.id)) for r in replaced), style="bold")
        out.append("\n" + one_line(c.statement))
    return Wrap(out)  # ids break after / or - only, a status mark stays with its status


def timeline_table(view: IssueView, rows: list[TimelineRow]) -> RenderableType:
    """The issue's claims by date, one column per side, so the narratives read side by side."""
    sides = sides_in(view)
    known = {s.id for s in sides}
    extra = sorted({c.side for c in view.claims.values()} - known)

    columns = [s.id for s in sides] + extra

    def wide(width: int) -> _FixedGrid:
        date = max(len("Date"), *(len(fmt_date(r.date)) + 1 for r in rows))
        each = (width - date - 3 * len(columns)) // len(columns)
        headers = [(Text("Date"), date)] + [(side_text(s), each) for s in sides] + [(data(e or "(no side)"), each) for e in extra]
        body = []
        for row in rows:
            changes = {c.id for c in row.changes}
            cells: list = [fmt_date(row.date, any(c.said_on_inferred for cs in row.cells.values() for c in cs))]
            for sid in [s.id for s in sides] + extra:
                claims = row.cells.get(sid, [])
                cells.append(_timeline_cell(view, claims, changes, each) if claims else "")
            body.append(cells)
        return _FixedGrid(headers, body)

    def narrow(width: int) -> RenderableType:
        # One column per side does not fit: one entry per date, each side's claims in turn, the
        # side named and coloured, in the same left-to-right order as the wide table.
        parts: list[RenderableType] = []
        for row in rows:
            changes = {c.id for c in row.changes}
            inferred = any(c.said_on_inferred for cs in row.cells.values() for c in cs)
            parts.append(Text(fmt_date(row.date, inferred), style="bold underline"))
            present = [sid for sid in columns if row.cells.get(sid)]
            for k, sid in enumerate(present):
                if k:
                    parts.append(Text(""))
                parts.append(Padding(side_text(view.sides.get(sid), sid), (0, 0, 0, 2)))
                parts.append(Padding(_timeline_cell(view, row.cells[sid], changes, width - 4), (0, 0, 0, 4)))
            if row is not rows[-1]:
                parts.append(Text(""))
        return Group(*parts)

    inferred = [c.said_on_inferred for c in view.claims.values()]
    head: list[RenderableType] = [issue_header(view.issue, view.as_of, summary=False), Text("")]
    if not rows:
        return Group(*head, Text("No claims in this issue yet."))
    legend = _legend(*inferred)
    if any(r.changes for r in rows):
        legend = (legend or [Text("")]) + [Text("↻ a change of position: the claim supersedes an earlier one of its side", style="dim", overflow="fold")]
    return Group(*head, ByWidth(narrow, wide), *legend)


# --- claimtrack search -----------------------------------------------------------------------


def search_results(
    text: str,
    hits: list[q.SearchHit],
    claims: dict[str, q.ClaimRec],
    sources: dict[str, q.SourceRec],
    sides: dict[str, q.SideRec],
) -> RenderableType:
    """Hits best first: what matched (a claim, a quote, a source), its context, the snippet."""
    if not hits:
        return Text(f"No matches for “{one_line(text)}”.", overflow="fold")
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for i, hit in enumerate(hits, 1):
        head = Text(overflow="fold")
        lines: list[RenderableType] = [Wrap(head)]
        if hit.kind in ("claim", "quote"):
            head.append("claim " if hit.kind == "claim" else "quote cited by ", style="italic")
            head.append(clean(hit.ref), style="bold")
            claim = claims.get(hit.ref)
            if claim is not None:
                lines.append(Wrap(_meta(claim, sides.get(claim.side))))
        else:
            head.append("source ", style="italic")
            head.append(clean(hit.ref), style="bold")
            src = sources.get(hit.ref)
            if src is not None:
                meta = Text(overflow="fold")
                meta.append(source_name(src, hit.ref) if _outlet_known(src) else "outlet unknown")
                meta.append(", " + fmt_date(src.published, src.published_inferred) + ": ")
                meta.append(one_line(src.title), style="italic")
                lines.append(meta)
        lines.append(Emphasised(q.snippet_parts(hit.snippet, PARAGRAPH if hit.kind == "source" else " ")))
        if i > 1:
            grid.add_row("", "")
        grid.add_row(f"{i}.", Group(*lines))
    legend = ByPlain(
        Text(f"{MARK_OPEN}…{MARK_CLOSE}: matched words", style="dim"),
        Text("reverse video: matched words", style="dim"),
    )
    inferred = [c.said_on_inferred for c in claims.values()] + [s.published_inferred or s.outlet_inferred for s in sources.values()]
    n = len(hits)
    return Group(
        Text(f"{n} match{'es' * (n != 1)} for “{one_line(text)}”, best first", overflow="fold"),
        Text(""),
        grid,
        Text(""),
        legend,
        *_legend(*inferred)[1:],
    )


# --- claimtrack list -------------------------------------------------------------------------


def claims_table(claims: list[q.ClaimRec], sides: dict[str, q.SideRec], total: int | None = None) -> RenderableType:
    """Claims as a table, in the order given; with `total`, a line saying how many were left out."""
    if not claims:
        return Text("No claims match.")

    def cell(c: q.ClaimRec, statement: bool, width: int) -> Wrap:
        out = Text(overflow="fold")
        out.append(clean(c.id), style="bold")
        out.append("\n")
        out.append_text(_meta(c, sides.get(c.side), date=False))
        if statement:
            out.append("\n" + one_line(c.statement))
        return Wrap(out)

    def wide(width: int) -> Table:
        # The claim column as wide as the longest id when that leaves the statement half the width.
        date = max(len("Date"), *(len(fmt_date(c.said_on, c.said_on_inferred)) for c in claims))
        room = width - date - 6  # padding and dividers of three columns
        longest = max(max(cell_len(clean(c.id)), cell_len(_meta(c, sides.get(c.side), date=False).plain)) for c in claims)
        claim = min(longest, room // 2)
        table = _table(show_lines=True)
        table.add_column("Date", no_wrap=True, width=date)
        table.add_column("Claim", overflow="fold", width=claim)
        table.add_column("Statement", overflow="fold", width=room - claim)
        for c in claims:
            table.add_row(fmt_date(c.said_on, c.said_on_inferred), cell(c, False, claim), data(one_line(c.statement)))
        return table

    def narrow(width: int) -> Table:
        table = _table(show_lines=True)
        table.add_column("Date", no_wrap=True)
        table.add_column("Claim", overflow="fold")
        date = max(len("Date"), *(len(fmt_date(c.said_on, c.said_on_inferred)) for c in claims))
        for c in claims:
            table.add_row(fmt_date(c.said_on, c.said_on_inferred), cell(c, True, width - date - 3))
        return table

    parts: list[RenderableType] = [ByWidth(narrow, wide)]
    if total is not None and total > len(claims):
        more = total - len(claims)
        parts.append(Text(""))
        parts.append(Text(f"… and {more} more (of {total}): narrow with --issue, --side, --since, or show all with --limit 0", overflow="fold"))
    parts += _legend(*[c.said_on_inferred for c in claims])
    return Group(*parts)

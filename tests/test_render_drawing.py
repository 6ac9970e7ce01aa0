"""The thread tree and the timeline's grid are drawn by claimtrack's own code (render._Thread,
render._FixedGrid) for speed, and must look exactly as rich's Tree and Table drew them: the same
characters, and on a colour terminal the same escape codes. Each test draws the same thing both
ways, on generated labels, at several widths, plain and in colour."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from claimtrack.views import render

WORDS = st.sampled_from(["claim", "·", "—", "rebuts ▸", "pk-denies-afghan-accusations", "sanctuary/af-says-x",
                         "“quoted”", "⚑", "disputed", "a", "longer-word-with-hyphens-in-it", "北京", "Pakistan"])
STYLES = st.sampled_from(["", "bold", "dim", "italic", "bold cyan", "reverse bold"])


@st.composite
def labels(draw) -> Text:
    text = Text(overflow="fold")
    for i in range(draw(st.integers(1, 3))):
        if i:
            text.append("\n")
        for j, word in enumerate(draw(st.lists(WORDS, min_size=1, max_size=14))):
            text.append((" " if j else "") + word, style=draw(STYLES))
    return text


@st.composite
def trees(draw, depth: int = 0):
    children = draw(st.lists(trees(depth + 1), max_size=3)) if depth < 3 else []
    return draw(labels()), children


def _drawn(renderable, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="truecolor" if colour else None,
                      no_color=False, markup=False, emoji=False, highlight=False)  # the tests' NO_COLOR set aside
    console.print(renderable)
    return out.getvalue()


def _rich_tree(node) -> Tree:
    label, children = node
    tree = Tree(render.Wrap(label), guide_style="dim")

    def grow(branch, kids):
        for kid_label, grandchildren in kids:
            grow(branch.add(render.Wrap(kid_label)), grandchildren)

    grow(tree, children)
    return tree


def _thread(node) -> render._Thread:
    label, children = node
    return render._Thread(render.Wrap(label), [_thread(child) for child in children])


@settings(max_examples=150, deadline=None)
@given(tree=trees(), width=st.sampled_from([24, 40, 60, 120]), colour=st.booleans())
def test_a_thread_is_drawn_as_richs_tree_draws_it(tree, width, colour):
    assert _drawn(_thread(tree), width, colour) == _drawn(_rich_tree(tree), width, colour)


@st.composite
def grids(draw):
    columns = draw(st.integers(1, 4))
    headers = [(Text(draw(st.sampled_from(["Date", "Northern Republic", "Mediation Council of the Long Name"])),
                     style=draw(STYLES)), draw(st.integers(4, 24))) for _ in range(columns)]
    rows = [[draw(st.one_of(st.just(""), st.builds(render.Wrap, labels()))) for _ in range(columns)]
            for _ in range(draw(st.integers(0, 4)))]
    return headers, rows


def _rich_table(headers, rows) -> Table:
    table = render._table(show_lines=True)
    for header, width in headers:
        table.add_column(header, overflow="fold", width=width)
    for row in rows:
        table.add_row(*[Text("") if cell == "" else cell for cell in row])
    return table


@settings(max_examples=150, deadline=None)
@given(grid=grids(), colour=st.booleans())
def test_a_fixed_grid_is_drawn_as_richs_table_draws_it(grid, colour):
    headers, rows = grid
    width = sum(w for _, w in headers) + 3 * len(headers) + 10
    assert _drawn(render._FixedGrid(headers, rows), width, colour) == _drawn(_rich_table(headers, rows), width, colour)


TEXTS = st.lists(st.sampled_from(["word", " ", "  ", "\n", "—", "“quoted”", "longer-word-with-hyphens-in-it", "北京",
                                  "a", "·", "x" * 30, "sanctuary/af-says-x"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, width=st.integers(1, 50))
def test_plain_wrap_cuts_where_rich_wraps(text, width):
    console = Console(file=io.StringIO(), width=200, color_system=None)
    assert render.plain_wrap(text, width) == [line.plain for line in Text(text).wrap(console, width, overflow="fold")]


@settings(max_examples=200, deadline=None)
@given(label=labels(), width=st.integers(4, 80))
def test_a_label_cut_from_its_characters_is_the_label_rich_renders(label, width):
    plain = Console(file=io.StringIO(), width=200, color_system=None)
    coloured = Console(file=io.StringIO(), width=200, color_system="truecolor", force_terminal=True, no_color=False)
    wrap = render.Wrap(label)
    fast = ["".join(seg.text for seg in line) for line in wrap.lines(plain, width)]
    assert fast == ["".join(seg.text for seg in line) for line in wrap.lines(coloured, width)]


def test_a_text_with_a_tab_is_left_to_rich():
    assert render.plain_wrap("a\tb", 10) is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab —–“”‘’…·▸⚑✓↻«»北京\u0301\u200d\ufe0f😀é"), max_size=30))
def test_a_texts_width_is_the_width_rich_measures(text):
    from rich.cells import cell_len as rich_cell_len

    assert render.cell_len(text) == rich_cell_len(text)

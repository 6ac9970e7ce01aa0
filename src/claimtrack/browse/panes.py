"""The main screen: the issues, the selected issue's threads as a tree, the selected claim in full.

Each pane is a widget that is handed data (records from `queries`, `threads`) and draws it; the
app decides what to load and keeps the history of where the reader has been.
"""

from __future__ import annotations

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Group
from rich.control import strip_control_codes
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.visual import Visual, visualize

from ..index import queries as q
from ..safetext import clean, one_line
from ..views.threads import ClaimDetail, IssueView, ThreadNode
from . import labels
from .data import Filters, filter_threads


class Jump(Static, can_focus=True):
    """A selectable row inside a pane (a link, a citation, a cited passage): enter or a click
    goes where `target` says."""

    BINDINGS = [Binding("enter", "go", "open", show=False)]

    def __init__(self, renderable, target: tuple, **kw):
        super().__init__(renderable, **kw)
        self.target = target

    def action_go(self) -> None:
        self.app.jump(self.target)

    def on_click(self) -> None:
        self.focus()
        self.app.jump(self.target)


class JumpPane(VerticalScroll):
    """A scrolling pane whose Jump rows are visited with up/down (j/k); it scrolls when it has none."""

    BINDINGS = [
        Binding("down,j", "step(1)", "next", show=False),
        Binding("up,k", "step(-1)", "previous", show=False),
    ]

    def jumps(self) -> list[Jump]:
        return list(self.query(Jump))

    def focus_first(self, target: tuple | None = None) -> None:
        """Focus the row leading to `target` and scroll to it; with none, the pane itself at its top
        (so that a claim is read from its statement down; j/↓ then reaches the first row)."""
        chosen = next((j for j in self.jumps() if j.target == target), None) if target is not None else None
        if chosen is None:
            self.focus()
            self.scroll_home(animate=False)
        else:
            chosen.focus(scroll_visible=False)
            where = chosen.parent if isinstance(chosen.parent, Passage) else chosen
            self.call_after_refresh(lambda: self.scroll_to_widget(where, animate=False, top=True))

    def action_step(self, by: int) -> None:
        items = self.jumps()
        focused = self.screen.focused
        if not items:
            self.scroll_relative(y=by, animate=False)
            return
        if focused in items:
            i = items.index(focused) + by
            if 0 <= i < len(items):
                items[i].focus(scroll_visible=False)
                self.scroll_to_widget(items[i].parent if isinstance(items[i].parent, Passage) else items[i], animate=False)
                return
            self.scroll_relative(y=by, animate=False)  # at either end: show what lies beyond
            return
        items[0 if by > 0 else -1].focus()


class Passage(Vertical):
    """A passage of a source and the rows that cite it, kept together when scrolled to."""


class IssuePrompt(Visual):
    """An issue's row in the list (labels.issue_option_parts), made into Textual's Content only when it
    is drawn. The list asks every option for its height as soon as it is laid out (999 options at
    100,000 claims, a few of them shown): the height is counted here from the plain lines, broken
    where the Content breaks them (rich's divide_line, at the same width), without making the
    Content; under rules that change how lines break (no wrap, a line pad) it is the Content's."""

    def __init__(self, widget: OptionList, parts: list[tuple[str, str | None]]) -> None:
        self.widget = widget
        self.parts = parts
        self.lines = strip_control_codes("".join(piece for piece, _ in parts)).split("\n")
        self.widest = max(cell_len(line) for line in self.lines)
        self._heights: dict[tuple[int, bool], int] = {}
        self._content: Visual | None = None

    @property
    def content(self) -> Visual:
        if self._content is None:
            self._content = visualize(self.widget, labels.assembled(self.parts))
        return self._content

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def get_height(self, rules, width: int) -> int:
        if rules.get("line_pad", 0) or rules.get("text_wrap", "wrap") == "nowrap" or width <= 0 or any("\t" in line for line in self.lines):
            return self.content.get_height(rules, width)
        if self.widest <= width:  # every line fits: no line is broken
            return len(self.lines)
        fold = rules.get("text_overflow", "fold") == "fold"
        height = self._heights.get((width, fold))
        if height is None:
            height = self._heights[(width, fold)] = sum(len(divide_line(line, width, fold=fold)) + 1 for line in self.lines)
        return height

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules) -> int:
        return self.content.get_minimal_width(rules)

    def render_strips(self, width: int, height: int | None, style, options) -> list:
        return self.content.render_strips(width, height, style, options)


class IssueList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("l,right", "app.focus_pane('threads')", "threads", show=False),
    ]


class ThreadTree(Tree):
    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("space", "toggle_node", "expand/collapse", show=False),
        Binding("l,right", "inward", "expand or go right", show=False),
        Binding("h,left", "outward", "collapse or go left", show=False),
    ]

    def action_inward(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()
        else:
            self.app.action_focus_pane("claim")

    def action_outward(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and node.is_expanded:
            node.collapse()
        elif node is not None and node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
        else:
            self.app.action_focus_pane("issues")


class ClaimPane(JumpPane):
    BINDINGS = [Binding("h,left", "app.focus_pane('threads')", "threads", show=False)]

    def show(self, detail: ClaimDetail | None, marks: dict[str, str], plain: bool) -> None:
        self.remove_children()
        if detail is None:
            self.mount(Static(Text("No claim selected: choose one in the threads.", style="dim")))
            return
        self.mount_all(claim_widgets(detail, marks, plain))
        self.scroll_home(animate=False)


def claim_widgets(d: ClaimDetail, marks: dict[str, str], plain: bool) -> list:
    """The claim in full, as widgets: facts and history as text, links and citations as Jump rows."""
    c = d.claim
    out: list = []
    head = Text(overflow="fold")
    head.append(clean(c.id), style="bold")
    head.append(f"\nin {clean(d.issue.id)}: {one_line(d.issue.title)}\n\n", style="dim")
    head.append(one_line(c.statement))
    out.append(Static(head, classes="statement"))

    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    side = Text(marks.get(c.side, "??") + " ", style=labels.side_style(d.side))
    side.append(one_line(d.side.name) if d.side else (clean(c.side) or "(no side)"), style=labels.side_style(d.side))
    who = Text(one_line(c.actor_name), overflow="fold")
    if d.actor is not None and d.actor.role:
        who.append(" (" + one_line(d.actor.role) + ")", style="dim")
    when = Text(labels.precision(c.said_on, c.said_on_inferred), overflow="fold")
    if c.said_on_inferred and c.said_on_note:
        when.append(": " + one_line(c.said_on_note), style="dim")
    facts.add_row("Side", side)
    facts.add_row("By", who)
    facts.add_row("Said on", when)
    facts.add_row("Kind", c.kind)
    facts.add_row("Status", Text(c.status, style="bold"))
    hist = Table.grid(padding=(0, 1))
    hist.add_column(no_wrap=True)
    hist.add_column(no_wrap=True)
    hist.add_column(overflow="fold")
    for h in d.history:
        hist.add_row(labels.short_date(h.on, h.on_inferred), h.status, Text(one_line(h.note), overflow="fold"))
    history = hist if d.history else Text(f"no recorded changes: {c.status} since {labels.short_date(c.said_on, c.said_on_inferred)}", style="dim")
    out.append(Static(Group(facts, Text(""), Text("Status history", style="bold underline"), history), classes="facts"))

    out.append(Static(Text("Links (enter to open)", style="bold underline"), classes="heading"))
    if not d.links_out and not d.links_in:
        out.append(Static(Text("none: this claim answers nothing and nothing answers it", style="dim")))
    rows = [(f"this claim {link.type} ▸ ", other) for link, other in d.links_out]
    rows += [(f"◂ {labels.PASSIVE.get(link.type, link.type + ' by')} ", other) for link, other in d.links_in]
    for how, other in rows:
        t = Text(overflow="fold")
        t.append(how, style="italic")
        t.append_text(labels.mark(other, d.sides, marks))
        t.append(f" {clean(other.id)} · {other.kind} · {labels.short_date(other.said_on, other.said_on_inferred)} · {other.status}\n", style="")
        t.append(one_line(other.statement), style="dim")
        out.append(Jump(t, ("claim", other.id), classes="link"))

    out.append(Static(Text("Citations (enter: the whole source)", style="bold underline"), classes="heading"))
    if not d.citations:
        out.append(Static(Text("none", style="dim")))
    for cq in d.citations:
        cit, src = cq.citation, cq.source
        t = Text(overflow="fold")
        t.append(f"[{cq.n}] ", style="bold")
        if src is not None:
            outlet = one_line(src.outlet) if src.outlet and src.outlet != "unknown" else clean(cit.source)
            t.append(outlet + ("~" if src.outlet_inferred else ""), style="bold")
            t.append(", " + labels.short_date(src.published, src.published_inferred) + ": ")
            t.append(one_line(src.title), style="italic")
        else:
            t.append(clean(cit.source) + " (not in the index)", style="bold")
        if cit.via:
            t.append("\nvia " + one_line(cit.via), style="italic")
        t.append("\n")
        if cq.passage is not None:
            p = cq.passage
            t.append_text(labels.passage_text(p.text, [(p.quote_start, p.quote_end)], plain, p.cut_before, p.cut_after))
        else:
            t.append("“" + one_line(cit.quote) + "” ")
            t.append("(not found in the source's text: run claimtrack check)", style="dim")
        if cit.note:
            t.append("\nnote: " + one_line(cit.note), style="dim")
        out.append(Jump(t, ("source", cit.source, c.id, cit.idx), classes="citation"))
    return out


class MainScreen(Screen):
    """Issues → threads → claim. Moving the highlight shows; enter opens (and is remembered)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield IssueList(id="issues")
                tree = ThreadTree("threads", id="threads")
                tree.show_root = False
                tree.auto_expand = False
                yield tree
            yield ClaimPane(id="claim")
        yield Footer()

    def __init__(self) -> None:
        super().__init__()
        self.issue_id: str | None = None
        self.view: IssueView | None = None
        self.claim_id: str | None = None
        self.nodes: dict[str, object] = {}

    def on_mount(self) -> None:
        self.query_one("#issues").border_title = "Issues"
        self.query_one("#threads").border_title = "Threads"
        self.query_one("#claim").border_title = "Claim"
        self.app.open_start()

    # -- filling the panes

    def fill_issues(self, counts: list[q.IssueCounts], sides: dict[str, q.SideRec], marks: dict[str, str]) -> None:
        issues = self.query_one(IssueList)
        issues.clear_options()
        issues.add_options([Option(IssuePrompt(issues, labels.issue_option_parts(s, sides, marks)), id=s.issue.id) for s in counts])

    def fill_threads(self, view: IssueView, filters: Filters, marks: dict[str, str]) -> None:
        tree = self.query_one(ThreadTree)
        tree.clear()
        self.nodes = {}
        roots, matched = filter_threads(view.threads, filters)

        def add(parent, node: ThreadNode) -> None:
            label = labels.tree_label(node.claim, node.link, view.sides, marks, repeat=node.repeat,
                                      context=node.claim.id not in matched)
            if node.children:
                child = parent.add(label, data=node.claim.id, expand=True)
            else:
                child = parent.add_leaf(label, data=node.claim.id)
            self.nodes.setdefault(node.claim.id, child)  # in the order of the tree's lines
            for kid in node.children:
                add(child, kid)

        for root in roots:
            add(tree.root, root)
        tree.root.expand()
        legend = "  ".join(f"{marks.get(s.id, '??')}={one_line(s.name)}" for s in view.sides.values()
                           if any(c.side == s.id for c in view.claims.values()))
        shown = f"{len(matched)} of {len(view.claims)} claims match: {filters.describe()}" if filters.active else f"{len(view.claims)} claims"
        tree.border_title = f"Threads · {clean(view.issue.id)}"
        tree.border_subtitle = shown + (" · " + legend if legend else "")

    def select_issue(self, issue_id: str) -> None:
        issues = self.query_one(IssueList)
        try:
            index = issues.get_option_index(issue_id)
        except Exception:
            return
        if issues.highlighted != index:
            issues.highlighted = index

    def select_claim_node(self, claim_id: str | None) -> bool:
        tree = self.query_one(ThreadTree)
        node = self.nodes.get(claim_id) if claim_id else None
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        tree.move_cursor(node)
        return True

    def place(self) -> tuple:
        return ("main", self.issue_id, self.claim_id)

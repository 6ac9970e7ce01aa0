"""The browser's other screens: a whole source, an issue's timeline, search, filters, help."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..index import queries as q
from ..safetext import clean, one_line
from ..views.threads import IssueView
from ..vocab import KINDS, STATUSES
from . import labels
from .data import Filters, Result, SourceView, TimelineEntry, day_bound, spans_in
from .panes import Jump, JumpPane, Passage

# Every key, for the help screen (the bindings below say the same; a test holds them together).
KEYS: list[tuple[str, str]] = [
    ("↑ ↓ / k j", "move in a list, the tree, or between the selectable rows of a pane"),
    ("← → / h l", "collapse / expand a thread, or move to the pane on the left / right"),
    ("enter", "open: an issue's threads, a claim, a link's claim, a citation's source"),
    ("space", "expand or collapse the thread under the cursor"),
    ("tab / shift+tab", "next / previous pane or field"),
    ("/", "search claims and sources as you type (enter or ↓ to the results)"),
    ("t", "the issue's timeline: one column per side, in date order"),
    ("s", "the whole source of the selected citation (or of the claim's first)"),
    ("F", "filters: side, actor, status, kind, date range"),
    ("b / f", "back / forward through where you have been"),
    ("escape", "close this screen (back)"),
    ("?", "this help"),
    ("q", "quit"),
]


class SourceScreen(Screen):
    """A source's whole text, every cited passage marked, each citing claim a row to open."""

    BINDINGS = [Binding("escape", "app.back", "back")]

    def __init__(self, view: SourceView, plain: bool, sides: dict[str, q.SideRec], marks: dict[str, str], focus: tuple | None):
        super().__init__()
        self.view, self.plain, self.sides, self.marks, self.focus_target = view, plain, sides, marks, focus

    def compose(self) -> ComposeResult:
        s = self.view.source
        head = Text(overflow="fold")
        if s is not None:
            head.append(one_line(s.title), style="bold")
            outlet = one_line(s.outlet) + ("~" if s.outlet_inferred else "")
            head.append(f"\n{outlet} · published {labels.short_date(s.published, s.published_inferred)} · "
                        f"retrieved {s.retrieved or 'unknown'} · {clean(s.id)}", style="dim")
            head.append(f"\nurl: {clean(s.url)}", style="dim")
        cited = sum(len(p.marks) for p in self.view.paragraphs)
        head.append(f"\n{cited} cited passage{'s' * (cited != 1)} marked ▌; enter on a row opens the claim", style="dim")
        yield Static(head, id="source-head")
        pane = JumpPane(id="source-body")
        pane.border_title = "Source"
        with pane:
            spans = [(m.citation.start, m.citation.end) for p in self.view.paragraphs for m in p.marks]
            plain_run: list[str] = []
            for para in self.view.paragraphs:
                if not para.marks and not spans_in(para, spans):
                    plain_run.append(para.text)
                    continue
                if plain_run:
                    yield Static(Text(clean("\n".join(plain_run)), overflow="fold"), classes="uncited")
                    plain_run = []
                with Passage(classes="cited"):
                    yield Static(labels.passage_text(para.text, spans_in(para, spans), self.plain), classes="passage")
                    for m in para.marks:
                        yield Jump(self.mark_row(m), ("claim", m.citation.claim_id), classes="cites")
            if plain_run:
                yield Static(Text(clean("\n".join(plain_run)), overflow="fold"), classes="uncited")
            for m in self.view.unanchored:
                yield Jump(self.mark_row(m, anchored=False), ("claim", m.citation.claim_id), classes="cites")
        yield Footer()

    def mark_row(self, m, anchored: bool = True) -> Text:
        t = Text(overflow="fold")
        t.append("  ↳ quoted by ", style="italic")
        if m.claim is not None:
            t.append_text(labels.mark(m.claim, self.sides, self.marks))
            t.append(f" {clean(m.claim.id)} · {m.claim.kind} · {labels.short_date(m.claim.said_on, m.claim.said_on_inferred)}")
        else:
            t.append(clean(m.citation.claim_id))
        if not anchored:
            t.append(f"  “{one_line(m.citation.quote)}” (not found in the text)", style="dim")
        return t

    def on_mount(self) -> None:
        pane = self.query_one(JumpPane)
        target = None
        if self.focus_target is not None:
            target = ("claim", self.focus_target[0])
        pane.focus_first(target)

    def place(self) -> tuple:
        focused = self.focused
        claim = focused.target[1] if isinstance(focused, Jump) else (self.focus_target[0] if self.focus_target else None)
        return ("source", self.view.source.id if self.view.source else "", claim, None)


class TimelineScreen(Screen):
    """One column per side, one row per claim in date order; ↻ marks a change of position."""

    BINDINGS = [
        Binding("escape", "app.back", "back"),
        Binding("j", "cursor('down')", show=False),
        Binding("k", "cursor('up')", show=False),
    ]

    def __init__(self, view: IssueView, entries: list[TimelineEntry], marks: dict[str, str], filters: Filters, claim_id: str | None):
        super().__init__()
        self.view, self.entries, self.marks, self.filters, self.claim_id = view, entries, marks, filters, claim_id

    def compose(self) -> ComposeResult:
        title = Text(overflow="fold")
        title.append(f"Timeline · {clean(self.view.issue.id)}: {one_line(self.view.issue.title)}", style="bold")
        note = f"{len(self.entries)} claims" + (f" matching {self.filters.describe()}" if self.filters.active else "")
        title.append(f"\n{note} · {labels.CHANGE_MARK} a change of position (it supersedes an earlier one) · enter opens the claim", style="dim")
        yield Static(title, id="timeline-head")
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def sides(self) -> list[q.SideRec]:
        used = {e.claim.side for e in self.entries} | {c.side for c in self.view.claims.values()}
        out = [s for s in self.view.sides.values() if s.id in used]
        if any(c.side not in self.view.sides for c in self.view.claims.values()):
            out.append(q.SideRec("", "(no side)", ""))
        return out

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        sides = self.sides()
        width = max(16, (self.app.size.width - 13 - 3 * len(sides)) // max(1, len(sides)))
        table.add_column("Date", width=11, key="date")
        for s in sides:
            table.add_column(Text(f"{self.marks.get(s.id, '??')} {one_line(s.name)}", style=labels.side_style(s if s.colour else None)),
                             width=width, key=s.id or "-")
        for e in self.entries:
            cells = []
            for s in sides:
                if e.claim.side == s.id or (not s.id and e.claim.side not in self.view.sides):
                    t = Text(overflow="fold")
                    if e.change:
                        t.append(labels.CHANGE_MARK + " ", style="bold")
                    t.append_text(labels.mark(e.claim, self.view.sides, self.marks))
                    t.append(f" {e.claim.kind} · {e.claim.status}\n", style="dim")
                    t.append(one_line(e.claim.statement))
                    cells.append(t)
                else:
                    cells.append("")
            date = Text(e.date + ("~" if e.claim.said_on_inferred else ""))
            table.add_row(date, *cells, key=e.claim.id, height=None)
        if self.claim_id is not None:
            try:
                table.move_cursor(row=table.get_row_index(self.claim_id), animate=False)
            except Exception:
                pass
        table.focus()

    def action_cursor(self, where: str) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if where == "down" else table.action_cursor_up()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.jump(("claim", event.row_key.value))

    def selected_claim(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.entries:
            return None
        return self.entries[table.cursor_row].claim.id if 0 <= table.cursor_row < len(self.entries) else None

    def place(self) -> tuple:
        return ("timeline", self.view.issue.id, self.selected_claim())


class SearchScreen(Screen):
    """Search as you type over statements, quotes and sources (the FTS of `claimtrack search`)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "close")]

    def __init__(self, run, filters: Filters, text: str = ""):
        super().__init__()
        self.run, self.filters, self.text = run, filters, text
        self.results: list[Result] = []

    def compose(self) -> ComposeResult:
        yield Input(value=self.text, placeholder="search claims, quotes and sources…", id="search-input")
        yield Static(id="search-status")
        yield OptionList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.refresh_results(self.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_results(event.value)

    def refresh_results(self, text: str) -> None:
        self.text = text
        self.results = self.run(text, self.filters) if text.strip() else []
        results = self.query_one(OptionList)
        results.clear_options()
        options: list = []
        for i, r in enumerate(self.results):
            options += [None, Option(self.row(r), id=str(i))] if i else [Option(self.row(r), id=str(i))]
        results.add_options(options)  # None: a separating rule between results
        where = f" · filters: {self.filters.describe()}" if self.filters.active else ""
        status = f"{len(self.results)} result{'s' * (len(self.results) != 1)}{where}" if text.strip() else f"type to search{where}"
        self.query_one("#search-status", Static).update(Text(status + " · ↓ or enter to the results, enter opens", style="dim"))

    def row(self, r: Result) -> Text:
        app = self.app
        t = Text(no_wrap=True, overflow="ellipsis")
        if r.claim is not None:
            t.append(f"{r.hit.kind:<6} ", style="bold")
            t.append_text(labels.mark(r.claim, app.sides, app.marks))
            t.append(f" {clean(r.claim.id)} · {r.claim.kind} · {labels.short_date(r.claim.said_on, r.claim.said_on_inferred)}")
        else:
            t.append("source ", style="bold")
            s = r.source
            t.append(clean(r.hit.ref) if s is None else f"{one_line(s.outlet)}, {labels.short_date(s.published, s.published_inferred)}: {one_line(s.title)}")
        t.append("\n  ")
        t.append_text(labels.snippet(r.hit.snippet, app.no_color))
        return t

    def on_key(self, event) -> None:
        if event.key in ("down", "enter") and self.focused is self.query_one(Input) and self.results:
            event.stop()
            results = self.query_one(OptionList)
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        r = self.results[int(event.option.id)]
        if r.claim is not None:
            self.app.jump(("claim", r.claim.id))
        else:
            self.app.jump(("source", r.hit.ref, None, None))


class FiltersScreen(ModalScreen):
    """Side, actor, status, kind and a date range; applied to the threads, timeline and search."""

    BINDINGS = [Binding("escape", "app.pop_screen", "cancel")]

    def __init__(self, filters: Filters, sides: list[q.SideRec], actors: list[q.ActorRec]):
        super().__init__()
        self.filters, self.side_recs, self.actor_recs = filters, sides, actors

    def compose(self) -> ComposeResult:
        f = self.filters
        with Vertical(id="filters-box"):
            yield Static(Text("Filters (empty: any)", style="bold"))
            yield Select([(f"{s.id} — {one_line(s.name)}", s.id) for s in self.side_recs], prompt="side: any",
                         value=f.side or Select.NULL, id="f-side")
            yield Select([(f"{a.id} — {one_line(a.name)}", a.id) for a in self.actor_recs], prompt="actor: any",
                         value=f.actor or Select.NULL, id="f-actor")
            yield Select([(s, s) for s in STATUSES], prompt="status: any", value=f.status or Select.NULL, id="f-status")
            yield Select([(k, k) for k in KINDS], prompt="kind: any", value=f.kind or Select.NULL, id="f-kind")
            with Horizontal(classes="dates"):
                yield Input(value=f.since or "", placeholder="since YYYY[-MM[-DD]]", id="f-since")
                yield Input(value=f.until or "", placeholder="until YYYY[-MM[-DD]]", id="f-until")
            yield Static(id="f-error")
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="f-apply", variant="primary")
                yield Button("Clear", id="f-clear")

    def on_mount(self) -> None:
        self.query_one("#f-side").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "f-clear":
            self.app.set_filters(Filters())
        else:
            self.apply()

    def apply(self) -> None:
        def value(wid: str):
            v = self.query_one(wid, Select).value
            return None if v is Select.NULL else v

        since = self.query_one("#f-since", Input).value.strip() or None
        until = self.query_one("#f-until", Input).value.strip() or None
        for what, v in (("since", since), ("until", until)):
            if v is not None:
                try:
                    day_bound(v, what == "until")
                except ValueError as exc:
                    self.query_one("#f-error", Static).update(Text(f"{what}: {exc}", style="bold"))
                    return
        self.app.set_filters(Filters(value("#f-side"), value("#f-actor"), value("#f-status"), value("#f-kind"), since, until))


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "close")]

    def compose(self) -> ComposeResult:
        from rich.console import Group
        from rich.table import Table

        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, what in KEYS:
            keys.add_row(key, what)
        notes = Text("\nThe mouse works too: click a row to select it, click it again (or enter) to open. Every row "
                     "names its side by a mark (the legend is under the threads); colours come from the data.", style="dim")
        with VerticalScroll(id="help-box"):
            yield Static(Group(Text("claimtrack browse — keys (escape closes)\n", style="bold"), keys, notes), id="help-text")

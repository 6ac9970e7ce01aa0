"""The browser's app: what is loaded when, and the history of where the reader has been.

A *place* is a tuple naming a view and what is selected in it:
    ("main", ISSUE, CLAIM|None)  ("timeline", ISSUE, CLAIM|None)  ("source", SOURCE, CLAIM|None, IDX|None)
Opening something (enter, a link, a search result) records a place; `b` and `f` walk the record.
Before a new place is recorded, the current one is updated with what is selected now, so that
`b` comes back to the claim the reader was on, not the one the screen was opened with.

Read-only: every read goes through `queries`/`threads` on the index connection it is given. The
screens other than the main one are imported when first opened (a shorter time to first screen).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.widgets import OptionList, Tree

from ..index import queries as q
from ..views import threads
from . import data
from .panes import ClaimPane, IssueList, Jump, MainScreen, ThreadTree


class BrowserApp(App):
    """claimtrack browse: issues → threads → claim → source, with timeline, search and filters."""

    CSS_PATH = "browse.tcss"
    TITLE = "claimtrack browse"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("question_mark", "help", "help"),
        Binding("slash", "search", "search"),
        Binding("t", "timeline", "timeline"),
        Binding("s", "source", "source"),
        Binding("F", "filters", "filters"),
        Binding("b", "back", "back"),
        Binding("f", "forward", "fwd"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, conn: sqlite3.Connection, start: str | None = None):
        super().__init__()
        self.conn = conn
        self.start = start
        self.filters = data.Filters()
        self.side_list = q.sides(conn)
        self.sides = {s.id: s for s in self.side_list}
        self.marks = data.side_marks(self.side_list)
        self.places: list[tuple] = []
        self.pos = -1
        self.main = MainScreen()
        self._details: dict[str, threads.ClaimDetail] = {}

    def get_default_screen(self) -> MainScreen:
        return self.main

    # -- start-up

    def open_start(self) -> None:
        """Fill the issues and go to the place asked for on the command line (the main screen calls
        this once it is mounted)."""
        counts = q.issue_counts(self.conn)
        self.main.fill_issues(counts, self.sides, self.marks)
        first = counts[0].issue.id if counts else None
        place: tuple | None = None
        if self.start and "/" in self.start:
            claim = q.get_claim(self.conn, self.start)
            place = ("main", claim.issue, claim.id)
        elif self.start:
            place = ("main", self.start, None)
        elif first:
            place = ("main", first, None)
        if place is None:
            self.main.query_one(ClaimPane).show(None, self.marks, self.no_color)
            return
        self.places, self.pos = [place], 0
        self.show_place(place)
        if self.start and "/" in self.start:
            self.call_after_refresh(lambda: self.action_focus_pane("claim"))
        elif self.start:
            self.call_after_refresh(lambda: self.action_focus_pane("threads"))
        else:
            self.main.query_one(IssueList).focus()

    # -- loading what the panes show

    def load_issue(self, issue_id: str) -> None:
        """Fill the threads for an issue (and show its first claim); nothing is recorded."""
        if self.main.issue_id == issue_id and self.main.view is not None:
            return
        self.main.issue_id = issue_id
        self.main.view = threads.load_issue_view(self.conn, issue_id)
        self.main.fill_threads(self.main.view, self.filters, self.marks)
        self.main.claim_id = None
        tree = self.main.query_one(ThreadTree)
        first = next(iter(self.main.nodes), None)
        self.show_claim(first)
        tree.cursor_line = 0 if first else -1

    def show_claim(self, claim_id: str | None) -> None:
        if claim_id == self.main.claim_id:
            return
        self.main.claim_id = claim_id
        detail = None
        if claim_id is not None:
            detail = self._details.get(claim_id)
            if detail is None:
                detail = self._details[claim_id] = threads.load_claim_detail(self.conn, claim_id)
        pane = self.main.query_one(ClaimPane)
        pane.border_title = f"Claim · {detail.claim.id}" if detail else "Claim"
        pane.show(detail, self.marks, self.no_color)

    def show_place(self, place: tuple) -> None:
        """Go to a place without recording it."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        kind = place[0]
        if kind in ("main", "timeline"):
            _, issue_id, claim_id = place
            self.main.select_issue(issue_id)
            self.load_issue(issue_id)
            if claim_id is not None and self.main.select_claim_node(claim_id):
                self.show_claim(claim_id)
            elif claim_id is not None:  # filtered out of the tree, or in no thread: show it all the same
                self.show_claim(claim_id)
            if kind == "timeline":
                from .screens import TimelineScreen

                view = self.main.view
                self.push_screen(TimelineScreen(view, data.timeline_entries(view, self.filters), self.marks, self.filters, claim_id))
        elif kind == "source":
            from .screens import SourceScreen

            _, source_id, claim_id, idx = place
            view = data.load_source(self.conn, source_id)
            self.push_screen(SourceScreen(view, self.no_color, self.sides, self.marks, (claim_id, idx) if claim_id else None))

    def record(self, place: tuple) -> None:
        if self.places and hasattr(self.screen, "place"):
            self.places[self.pos] = self.screen.place()
        del self.places[self.pos + 1 :]
        if not self.places or self.places[-1] != place:
            self.places.append(place)
        self.pos = len(self.places) - 1

    def go(self, place: tuple) -> None:
        self.record(place)
        self.show_place(place)

    def jump(self, target: tuple) -> None:
        """Where a Jump row, a search result or a timeline row leads."""
        if target[0] == "claim":
            claim = q.get_claim(self.conn, target[1])
            self.go(("main", claim.issue, claim.id))
            self.call_after_refresh(lambda: self.action_focus_pane("claim"))
        elif target[0] == "source":
            _, source_id, claim_id, idx = target
            self.go(("source", source_id, claim_id, idx))

    # -- events from the main screen's panes

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, IssueList) and event.option.id:
            self.load_issue(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, IssueList) and event.option.id:
            self.load_issue(event.option.id)
            self.record(("main", event.option.id, self.main.claim_id))
            self.action_focus_pane("threads")

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        # The cursor's node now, not the event's: when a tree is refilled, an event can still name
        # a node of the lines it had before.
        node = event.control.cursor_node if isinstance(event.control, ThreadTree) else None
        if node is not None and node.data:
            self.show_claim(node.data)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.control, ThreadTree) and event.node.data:
            self.show_claim(event.node.data)
            self.record(("main", self.main.issue_id, event.node.data))
            self.action_focus_pane("claim")

    # -- actions

    def action_focus_pane(self, which: str) -> None:
        if self.screen is not self.main:
            return
        if which == "issues":
            self.main.query_one(IssueList).focus()
        elif which == "threads":
            self.main.query_one(ThreadTree).focus()
        else:
            self.main.query_one(ClaimPane).focus_first()

    def action_help(self) -> None:
        from .screens import HelpScreen
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from .screens import SearchScreen
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(lambda text, f: data.search(self.conn, text, f), self.filters))

    def action_filters(self) -> None:
        from .screens import FiltersScreen
        if not isinstance(self.screen, FiltersScreen):
            self.push_screen(FiltersScreen(self.filters, self.side_list, q.actors(self.conn)))

    def set_filters(self, filters: data.Filters) -> None:
        from .screens import SearchScreen, TimelineScreen
        self.filters = filters
        self.pop_screen()
        if self.main.view is not None:
            claim = self.main.claim_id
            self.main.fill_threads(self.main.view, filters, self.marks)
            if not self.main.select_claim_node(claim):
                self.main.query_one(ThreadTree).cursor_line = 0
        if isinstance(self.screen, TimelineScreen):  # the timeline under the filters: draw it again
            self.show_place(self.screen.place())
        elif isinstance(self.screen, SearchScreen):
            self.screen.filters = filters
            self.screen.refresh_results(self.screen.text)

    def action_timeline(self) -> None:
        from .screens import TimelineScreen
        if self.main.issue_id is None or isinstance(self.screen, TimelineScreen):
            return
        self.go(("timeline", self.main.issue_id, self.main.claim_id))

    def action_source(self) -> None:
        """The whole source of the focused citation, or of the shown claim's first citation."""
        focused = self.screen.focused
        if isinstance(focused, Jump) and focused.target[0] == "source":
            self.jump(focused.target)
            return
        if self.screen is not self.main or self.main.claim_id is None:
            return
        detail = self._details.get(self.main.claim_id)
        if detail is not None and detail.citations:
            cit = detail.citations[0].citation
            self.jump(("source", cit.source, cit.claim_id, cit.idx))
        else:
            self.notify("This claim cites no source.", timeout=3)

    def action_back(self) -> None:
        if self.pos <= 0:
            if len(self.screen_stack) > 1:
                self.pop_screen()
            return
        if hasattr(self.screen, "place"):
            self.places[self.pos] = self.screen.place()
        self.pos -= 1
        self.show_place(self.places[self.pos])

    def action_forward(self) -> None:
        if self.pos >= len(self.places) - 1:
            return
        if hasattr(self.screen, "place"):
            self.places[self.pos] = self.screen.place()
        self.pos += 1
        self.show_place(self.places[self.pos])


def run(root: Path, start: str | None) -> None:
    """Open the browser on a fresh index (the caller refreshed it)."""
    from ..index.refresh import connect

    conn = connect(root)
    try:
        BrowserApp(conn, start).run()
    finally:
        conn.close()


"""`claimtrack browse`, driven headless through Textual's own harness (App.run_test and Pilot):
keys pressed, then what is selected and shown asserted. The dataset is the fictional one of
conftest (sides UP, DO and ME by their marks), written under tmp_path."""

from __future__ import annotations

import asyncio
import functools
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app as cli_app
from conftest import CLAIMS, ISSUE, write_dataset

pytest.importorskip("textual")

from textual.widgets import DataTable, Input, OptionList, Static  # noqa: E402

from claimtrack.browse import data  # noqa: E402
from claimtrack.browse.app import BrowserApp  # noqa: E402
from claimtrack.browse.panes import ClaimPane, IssueList, Jump, Passage, ThreadTree  # noqa: E402
from claimtrack.browse.screens import KEYS, FiltersScreen, HelpScreen, SearchScreen, SourceScreen, TimelineScreen  # noqa: E402
from claimtrack.index.refresh import connect, refresh_index  # noqa: E402

REVISED = """\
    statement: Downstream's spokesperson later said the shortfall was smaller than first feared.
    kind: statement
    by: down-spokesman
    said_on: 2024-05-10
    status: asserted
    supersedes: [flow/down-accuses-cut]
    citations:
      - source: 2024-05-10-unknown-commission-report
        quote: smaller than first feared
    """


def sync(test):
    """Run an `async def` test on its own event loop (no asyncio plugin needed for Pilot)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def open_index(root: Path):
    refresh_index(root)
    return connect(root)


def browser(root: Path, start: str | None = None) -> BrowserApp:
    return BrowserApp(open_index(root), start)


def tree_rows(app: BrowserApp) -> list[str]:
    tree = app.main.query_one(ThreadTree)
    return [str(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)]


def text_of(widget) -> str:
    """What a Static shows, as plain text (tables and groups drawn by rich, wide enough not to wrap)."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=300, color_system=None)
    console.print(widget.content)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())


def jumps(screen) -> list[Jump]:
    return list(screen.query(Jump))


@sync
async def test_opens_on_the_first_issue_with_its_threads_and_claim(dataset):
    app = browser(dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.main.issue_id == "flow"
        assert isinstance(app.focused, IssueList)
        rows = tree_rows(app)
        assert rows[0].startswith("DO accusation: Downstream's spokesperson said")
        assert any(r.startswith("↳ rebutted by UP denial:") for r in rows)
        assert any(r.startswith("↳ supported by ME statement:") for r in rows)
        assert app.main.claim_id == "flow/down-accuses-cut"


@sync
async def test_moving_down_the_issues_shows_each_ones_first_thread_and_claim(tmp_path):
    second = {k.replace("flow/", "dam/"): v.replace("flow/", "dam/") for k, v in CLAIMS.items()}
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, **second}, issues={"flow": ISSUE, "dam": ISSUE})
    app = browser(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.main.issue_id == "dam"
        await pilot.press("down")
        await pilot.pause()
        tree = app.main.query_one(ThreadTree)
        assert app.main.issue_id == "flow"
        assert app.main.claim_id == tree.cursor_node.data == "flow/down-accuses-cut"


@sync
async def test_the_issue_list_shows_claims_per_side_and_counts(dataset):
    app = browser(dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        prompt = str(app.main.query_one(IssueList).get_option_at_index(0).prompt)
        assert "The dam's flow" in prompt
        assert "UP 2 · DO 1 · ME 1 · 1 disputed · 1 unanswered" in prompt


@sync
async def test_arrows_and_jk_move_through_the_threads_and_show_each_claim(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, ThreadTree)
        await pilot.press("down")
        second = app.main.claim_id
        await pilot.press("j")
        third = app.main.claim_id
        await pilot.press("k")
        assert app.main.claim_id == second
        assert len({"flow/down-accuses-cut", second, third}) == 3
        pane = app.main.query_one(ClaimPane)
        assert pane.border_title == f"Claim · {second}"


@sync
async def test_left_collapses_a_thread_and_right_expands_it(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(tree_rows(app)) == 4
        await pilot.press("h")
        assert len(tree_rows(app)) == 1
        await pilot.press("l")
        assert len(tree_rows(app)) == 4
        await pilot.press("h", "h")  # collapsed at the root: the next h goes to the issues
        assert isinstance(app.focused, IssueList)


@sync
async def test_enter_on_a_claim_opens_it_in_full(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        pane = app.main.query_one(ClaimPane)
        shown = "\n".join(text_of(w) for w in pane.query(Static))
        assert "Downstream's spokesperson said Upstream deliberately cut the flow" in shown
        assert "DO Downstream Kingdom" in shown
        assert "Lena Ortiz (government spokesperson)" in shown
        assert "2024-03-02 (day precision)" in shown
        assert "2024-03-02 disputed Upstream's Water Ministry rejected it the same day." in " ".join(shown.split())
        assert "◂ rebutted by UP flow/up-denies-cut" in shown
        assert "◂ supported by ME flow/commission-gauges" in shown
        # the quote inside its passage, marked (NO_COLOR is set: «…» as well as reverse video)
        assert "had “«deliberately cut the flow below the treaty minimum»” at the new dam." in shown
        assert isinstance(app.focused, ClaimPane)


@sync
async def test_an_inferred_date_says_so_with_its_note(dataset):
    app = browser(dataset, "flow/commission-gauges")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        shown = "\n".join(text_of(w) for w in app.main.query_one(ClaimPane).query(Static))
        assert "2024-05-10~ (day precision, inferred): the report's date" in shown


@sync
async def test_a_link_jumps_to_the_linked_claim_and_back_and_forward_return(dataset):
    app = browser(dataset, "flow/up-denies-cut")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, ClaimPane)  # read from the statement down
        await pilot.press("j")
        assert isinstance(app.focused, Jump) and app.focused.target == ("claim", "flow/down-accuses-cut")
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.claim_id == "flow/down-accuses-cut"
        await pilot.press("b")
        await pilot.pause()
        assert app.main.claim_id == "flow/up-denies-cut"
        await pilot.press("f")
        await pilot.pause()
        assert app.main.claim_id == "flow/down-accuses-cut"
        await pilot.press("f")  # nothing further: stays
        assert app.main.claim_id == "flow/down-accuses-cut"


@sync
async def test_back_returns_to_the_claim_last_selected_not_the_one_first_opened(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        chosen = app.main.claim_id
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.claim_id == chosen


@sync
async def test_s_opens_the_whole_source_with_every_cited_passage_marked(dataset):
    app = browser(dataset, "flow/down-accuses-cut")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.view.source.id == "2024-03-02-daily-river-flow-dispute"
        rows = jumps(screen)
        assert [r.target[1] for r in rows] == ["flow/down-accuses-cut", "flow/up-denies-cut", "flow/up-counter-canals"]
        assert app.focused is rows[0]
        passages = [text_of(p.query_one(Static)) for p in screen.query(Passage)]
        assert any("«deliberately cut the flow below the treaty minimum»" in p for p in passages)
        assert any("«rejected the accusation as ‘baseless’»" in p for p in passages)  # the source's own characters
        uncited = "\n".join(text_of(w) for w in screen.query(".uncited"))
        assert "Flow dispute flares" in uncited


@sync
async def test_a_row_of_the_source_opens_the_claim_that_quotes_it(dataset):
    app = browser(dataset, "flow/down-accuses-cut")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.claim_id == "flow/up-counter-canals"
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)


@sync
async def test_enter_on_a_citation_opens_its_source_at_that_passage(dataset):
    app = browser(dataset, "flow/up-counter-canals")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        citation = [j for j in jumps(app.main) if j.target[0] == "source"][0]
        citation.focus()
        await pilot.pause()
        assert app.focused is citation
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.focused.target == ("claim", "flow/up-counter-canals")


@sync
async def test_timeline_has_one_column_per_side_in_date_order(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Date", "UP Upstream Republic", "DO Downstream Kingdom", "ME River Commission"]
        keys = [r.key.value for r in table.ordered_rows]  # a day's claims in the order of their ids
        assert keys == ["flow/up-counter-canals", "flow/down-accuses-cut", "flow/up-denies-cut", "flow/commission-gauges"]
        assert str(table.get_row_at(1)[2]).startswith("DO accusation · disputed")
        assert table.get_row_at(1)[1] == ""


@sync
async def test_timeline_marks_a_change_of_position_and_enter_opens_the_row(tmp_path):
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/down-revises": REVISED})
    app = browser(root, "flow")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        row = table.get_row_index("flow/down-revises")
        assert str(table.get_row_at(row)[2]).startswith("↻ DO statement")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.claim_id == "flow/down-revises"


@sync
async def test_search_finds_as_you_type_and_opens_a_result(dataset):
    app = browser(dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"cana")
        screen = app.screen
        assert [r.hit.ref for r in screen.results if r.claim] == ["flow/up-counter-canals"] * len([r for r in screen.results if r.claim])
        assert screen.results
        await pilot.press("down")
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.claim_id == "flow/up-counter-canals"


def test_search_uses_the_same_fts_as_the_search_command(dataset):
    conn = open_index(dataset)
    from claimtrack.index import queries as q

    assert [r.hit for r in data.search(conn, "treaty minimum")] == q.search(conn, "treaty minimum", limit=50)


def test_search_results_follow_the_filters(dataset):
    conn = open_index(dataset)
    everything = data.search(conn, "flow")
    downstream = data.search(conn, "flow", data.Filters(side="downstream"))
    disputed = data.search(conn, "flow", data.Filters(status="disputed"))
    assert {r.claim.side for r in everything if r.claim} > {r.claim.side for r in downstream if r.claim} == {"downstream"}
    assert {r.claim.id for r in disputed if r.claim} == {"flow/down-accuses-cut"}
    assert {r.hit.ref for r in disputed if r.source} <= {"2024-03-02-daily-river-flow-dispute"}


@sync
async def test_filters_narrow_the_threads_keeping_the_answered_claim_as_context(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        assert isinstance(app.screen, FiltersScreen)
        app.screen.query_one("#f-side").value = "upstream"
        await pilot.click("#f-apply")
        await pilot.pause()
        assert app.screen is app.main
        assert app.filters == data.Filters(side="upstream")
        rows = tree_rows(app)
        assert len(rows) == 3 and rows[0].startswith("DO accusation")  # context for its two answers
        assert all(r.startswith("↳ rebutted by UP") for r in rows[1:])
        assert "2 of 4 claims match: side=upstream" in app.main.query_one(ThreadTree).border_subtitle


@sync
async def test_a_date_filter_that_is_not_a_date_is_refused_in_place(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        app.screen.query_one("#f-since", Input).value = "2024-13"
        await pilot.click("#f-apply")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)
        assert "since: '2024-13' is not a date" in text_of(app.screen.query_one("#f-error"))
        assert app.filters == data.Filters()


@sync
async def test_a_date_range_filter_reaches_the_timeline(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        app.screen.query_one("#f-since", Input).value = "2024-04"
        await pilot.click("#f-apply")
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [r.key.value for r in table.ordered_rows] == ["flow/commission-gauges"]


@sync
async def test_help_lists_every_key(dataset):
    app = browser(dataset)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app.screen.query_one("#help-text"))
        listed = " ".join(k for k, _ in KEYS)
        for binding in BrowserApp.BINDINGS:
            key = {"question_mark": "?", "slash": "/"}.get(binding.key, binding.key)
            assert key in listed, binding
        for key, what in KEYS:
            assert what in " ".join(shown.split())
        await pilot.press("escape")
        assert app.screen is app.main


@sync
async def test_q_quits(dataset):
    app = browser(dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@sync
async def test_it_fits_80_by_24(dataset):
    app = browser(dataset, "flow")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for wid in ("#issues", "#threads", "#claim"):
            region = app.main.query_one(wid).region
            assert region.width >= 30 and region.height >= 6, (wid, region)


@pytest.mark.slow
@sync
async def test_the_shipped_dataset_walks_from_the_issue_list_to_a_quoted_passage(tmp_path):
    runner = CliRunner()
    root = tmp_path / "example"
    result = runner.invoke(cli_app, ["init", "--example", str(root)])
    assert result.exit_code == 0, result.output
    app = browser(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        issues = app.main.query_one(IssueList)
        while app.main.issue_id != "sanctuary":
            await pilot.press("down")
        await pilot.press("enter", "enter", "s")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.focused.target == ("claim", app.main.claim_id)
        assert issues.highlighted is not None


# --- the plain data behind the panes ---------------------------------------------------------


def test_side_marks_are_short_and_never_shared():
    from claimtrack.index.queries import SideRec

    sides = [SideRec("pakistan", "Pakistan", ""), SideRec("afghanistan", "Afghanistan", ""), SideRec("pakistan-and-afghanistan", "both", "")]
    marks = data.side_marks(sides)
    assert len(set(marks.values())) == 3
    assert marks["afghanistan"] == "AF"


def test_a_date_bound_means_the_first_or_last_day():
    assert data.day_bound("2024", last=False) == "2024-01-01"
    assert data.day_bound("2024-03", last=True) == "2024-03-31"
    with pytest.raises(ValueError):
        data.day_bound("2024-02-30", last=False)


def test_a_source_view_places_each_citation_in_its_line(dataset):
    view = data.load_source(open_index(dataset), "2024-03-02-daily-river-flow-dispute")
    cited = {m.citation.claim_id: p.text for p in view.paragraphs for m in p.marks}
    assert cited["flow/up-denies-cut"].startswith("Upstream's Water Ministry rejected")
    assert view.unanchored == []


# --- the command ------------------------------------------------------------------------------


def test_browse_refuses_to_run_without_a_terminal(dataset):
    result = CliRunner().invoke(cli_app, ["browse", "--root", str(dataset)])
    assert result.exit_code == 2
    assert "browse needs a terminal" in result.output


def test_browse_names_the_closest_ids_for_an_unknown_one(dataset):
    result = CliRunner().invoke(cli_app, ["browse", "flow/down-acuses-cut", "--root", str(dataset)])
    assert result.exit_code == 1
    assert "flow/down-accuses-cut" in result.output


def _imports(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimtrack", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}


def test_textual_is_imported_only_when_browse_runs(dataset):
    assert "textual" not in _imports("--help")
    assert "textual" not in _imports("show", "flow", "--root", str(dataset))

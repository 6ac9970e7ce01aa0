"""The reading commands through the CLI, against the fixture dataset: golden output at 60 and 120
columns, unknown ids, filters, limits, and plain output without escape codes.

Snapshots live in tests/snapshots/read/. After a change to the output, re-record them with
CLAIMTRACK_UPDATE_SNAPSHOTS=1 and read the diff by eye before keeping it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import CLAIMS, assert_golden, copy_dataset, write_dataset

runner = CliRunner()
SNAPSHOTS = Path(__file__).parent / "snapshots" / "read"

COMMANDS = {
    "issues": ["issues"],
    "show-issue": ["show", "flow"],
    "show-claim": ["show", "flow/up-denies-cut"],
    "timeline": ["timeline", "flow"],
    "search": ["search", "treaty minimum"],
    "list": ["list"],
}


@pytest.fixture
def dataset(built_dataset, tmp_path) -> Path:
    """The test's own copy of the fixture dataset, its index built once for the module."""
    return copy_dataset(built_dataset, tmp_path)


def run(root: Path, args: list[str], width: int = 120, code: int = 0, **env: str):
    """The command's result, once its exit code is the one expected."""
    result = runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": str(width), **env})
    assert result.exit_code == code, (args, result.output)
    return result


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_output_matches_the_snapshot(dataset, name, width):
    result = run(dataset, COMMANDS[name], width)
    assert result.exit_code == 0, result.output
    assert_golden(SNAPSHOTS / f"{name}-{width}.txt", result.stdout)


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_line_fits_the_width(dataset, name, width):
    result = run(dataset, COMMANDS[name], width)
    too_long = [line for line in result.stdout.splitlines() if cell_len(line) > width]
    assert too_long == []


def test_show_an_unknown_issue_names_the_closest_and_exits_1(dataset):
    result = run(dataset, ["show", "flw"], code=1)
    assert result.exit_code == 1
    assert result.stderr == "claimtrack: error: no issue or claim 'flw' — did you mean: flow?\n"
    assert result.stdout == ""


def test_show_an_unknown_claim_names_the_closest_claims(dataset):
    result = run(dataset, ["show", "flow/up-denys-cut"], code=1)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no claim 'flow/up-denys-cut' — did you mean: flow/up-denies-cut" in result.stderr


def test_a_claim_name_without_its_issue_shows_the_claim(dataset):
    """A claim's name alone names it when no other issue has a claim of that name (resolve.py)."""
    result = run(dataset, ["show", "up-denies-cut"])
    assert result.exit_code == 0, result.stderr
    assert "flow/up-denies-cut" in result.stdout


def test_an_id_near_nothing_says_where_the_ids_are(dataset):
    result = run(dataset, ["show", "zzzz"], code=1)
    assert result.exit_code == 1
    assert result.stderr == (
        "claimtrack: error: no issue or claim 'zzzz' — 'claimtrack issues' lists the issues, "
        "'claimtrack list --issue ISSUE' their claims\n"
    )


def test_timeline_of_an_unknown_issue_exits_1(dataset):
    result = run(dataset, ["timeline", "flows"], code=1)
    assert result.exit_code == 1
    assert "no issue 'flows' — did you mean: flow?" in result.stderr


@pytest.mark.parametrize("option", ["--issue", "--side", "--actor"])
def test_an_unknown_filter_value_is_a_usage_error_not_an_empty_list(dataset, option):
    for command in (["list"], ["search", "flow"]):
        result = run(dataset, [*command, option, "nobody-at-all"], code=2)
        assert result.exit_code == 2, command
        assert result.stderr.startswith(f"claimtrack: error: no {option[2:]} 'nobody-at-all'")


def test_unknown_status_and_bad_dates_are_usage_errors(dataset):
    assert "did you mean: disputed?" in run(dataset, ["list", "--status", "disputd"], code=2).stderr
    for bad in ("2024-13", "24", "2024-02-30", "yesterday"):
        result = run(dataset, ["list", "--since", bad], code=2)
        assert result.exit_code == 2, bad
        assert "is not a date" in result.stderr


def _listed(result) -> list[str]:
    return re.findall(r"flow/[a-z-]+", result.stdout)


def test_list_filters_by_side_kind_and_status(dataset):
    assert _listed(run(dataset, ["list", "--side", "upstream", "--reverse"])) == ["flow/up-counter-canals", "flow/up-denies-cut"]
    assert _listed(run(dataset, ["list", "--kind", "denial"])) == ["flow/up-denies-cut"]
    assert _listed(run(dataset, ["list", "--status", "disputed"])) == ["flow/down-accuses-cut"]
    assert _listed(run(dataset, ["list", "--actor", "commission"])) == ["flow/commission-gauges"]


def test_list_dates_compare_on_the_earliest_day_and_whole_periods(dataset):
    # up-counter-canals is dated 2024-03 (the month): it counts from 2024-03-01.
    assert _listed(run(dataset, ["list", "--until", "2024-03-01"])) == ["flow/up-counter-canals"]
    assert len(_listed(run(dataset, ["list", "--until", "2024-03"]))) == 3
    assert _listed(run(dataset, ["list", "--since", "2024-04"])) == ["flow/commission-gauges"]
    assert len(_listed(run(dataset, ["list", "--since", "2024", "--until", "2024"]))) == 4


def test_list_says_how_many_were_left_out_by_the_limit(dataset):
    result = run(dataset, ["list", "--limit", "2"])
    assert len(_listed(result)) == 2
    assert "… and 2 more (of 4)" in result.stdout
    assert "more (of" not in run(dataset, ["list", "--limit", "0"]).stdout


def test_search_filters_sources_by_the_claims_that_cite_them(dataset):
    result = run(dataset, ["search", "gauges", "--side", "upstream"], code=1)
    assert result.exit_code == 1  # nothing found, as grep says it
    assert "No matches" in result.stdout
    assert "flow/commission-gauges" in run(dataset, ["search", "gauges", "--side", "mediator"]).stdout


def test_search_marks_the_matched_words_in_plain_output(dataset):
    result = run(dataset, ["search", "diverted"])
    assert "had itself «diverted» water" in result.stdout
    assert "«…»: matched words" in result.stdout


def test_piped_output_has_no_escape_codes(dataset):
    for args in COMMANDS.values():
        result = run(dataset, args, NO_COLOR="")
        assert "\x1b" not in result.stdout, args


def test_no_color_on_a_terminal_writes_plain_text(dataset):
    for args in COMMANDS.values():
        result = run(dataset, args, FORCE_COLOR="1", NO_COLOR="1")
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout, args


def test_a_colour_terminal_gets_side_colours_and_reverse_video_matches(dataset):
    result = runner.invoke(
        app, ["search", "diverted", "--root", str(dataset)], env={"COLUMNS": "120", "FORCE_COLOR": "1", "NO_COLOR": "", "COLORTERM": "truecolor"}
    )
    assert result.exit_code == 0, result.output
    assert "\x1b[1;38;2;31;119;180mUpstream Republic" in result.stdout  # the side's colour, from the data
    assert "\x1b[1;7mdiverted" in result.stdout
    assert "«" not in result.stdout


def test_show_claim_highlights_the_quote_in_its_passage(dataset):
    result = run(dataset, ["show", "flow/up-counter-canals"])
    assert "The ministry added that «Downstream had itself diverted water for its new canals».\n" in result.stdout


def test_show_issue_marks_links_that_leave_the_issue(tmp_path):
    claims = dict(CLAIMS)
    claims["canals/down-denies-diversion"] = """\
        statement: Downstream's spokesperson denied any diversion.
        kind: denial
        by: down-spokesman
        said_on: 2024-03-03
        status: asserted
        rebuts: [flow/up-counter-canals]
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: the drought alone
        """
    root = write_dataset(tmp_path / "ds", claims=claims, issues={"flow": "title: Flow\nquestion: Q?\n", "canals": "title: Canals\nquestion: Q?\n"})
    flow = run(root, ["show", "flow"]).stdout
    assert "↙ rebutted by canals/down-denies-diversion (another issue)" in flow
    canals = run(root, ["show", "canals"]).stdout
    assert "↗ rebuts flow/up-counter-canals (another issue)" in canals


def test_read_commands_accept_every_filter_they_document(dataset):
    for args in (["list", "--help"], ["search", "--help"]):
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        text = result.stdout
        for option in ("--issue", "--side", "--actor", "--json"):
            assert option in text



"""`claimtrack add` with options: a new claim file, stable YAML, and nothing written on bad input."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.check import check_dataset
from claimtrack.cli.app import app
from claimtrack.store import load_claim_text
from conftest import write_dataset

runner = CliRunner()

REPORT = "2024-05-10-unknown-commission-report"
DISPUTE = "2024-03-02-daily-river-flow-dispute"


def tree_digest(root: Path) -> dict[str, str]:
    """Every dataset file's sha256 (the index folder aside: it is a cache, and holds the lock)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".claimtrack" not in p.relative_to(root).parts
    }


def add_args(root: Path, **over: str) -> list[str]:
    opts = {
        "--issue": "flow",
        "--by": "Lena Ortiz",
        "--kind": "statement",
        "--said-on": "2024-05",
        "--statement": "Downstream's spokesperson said the shortfall was smaller than first feared.",
        "--cite": REPORT,
        "--quote": "smaller than first feared",
    }
    opts.update(over)
    args = ["add", "--root", str(root)]
    for key, value in opts.items():
        args += [key, value]
    return args


def test_add_writes_the_claim_in_the_documented_layout(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--supersedes": "down-accuses-cut", "--name": "down-shortfall-smaller"}))
    assert result.exit_code == 0, result.output
    written = dataset / "claims/flow/down-shortfall-smaller.yaml"
    assert written.read_text() == textwrap.dedent("""\
        statement: Downstream's spokesperson said the shortfall was smaller than first feared.
        kind: statement
        by: down-spokesman
        said_on: 2024-05
        status: asserted
        supersedes: [flow/down-accuses-cut]
        history:
          - on: 2024-05
            status: asserted
            note: Recorded from 2024-05-10-unknown-commission-report.
        citations:
          - source: 2024-05-10-unknown-commission-report
            quote: "smaller than first feared"
        """)


def test_add_prints_the_thread_with_the_new_claim_marked_and_the_path(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--name": "down-shortfall-smaller", "--supports": "down-accuses-cut"}))
    assert result.exit_code == 0, result.output
    assert "▶" in result.stdout
    marked = [line for line in result.stdout.splitlines() if "▶" in line]
    assert any("down-shortfall-smaller" in line for line in marked)
    assert result.stdout.rstrip().endswith("Wrote claims/flow/down-shortfall-smaller.yaml")


def test_the_new_claim_reads_back_through_the_library(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--name": "new", "--said-on": "2024-05-10", "--inferred": "the report's date", "--tag": "gauges"}))
    assert result.exit_code == 0, result.output
    claim, problems = load_claim_text("flow/new", (dataset / "claims/flow/new.yaml").read_text())
    assert problems == []
    assert (claim.by, claim.said_on.value, claim.said_on.inferred, claim.said_on.note) == ("down-spokesman", "2024-05-10", True, "the report's date")
    assert [(h.on.value, h.status) for h in claim.history] == [("2024-05-10", "asserted")]
    assert claim.tags == ["gauges"]


def test_the_dataset_checks_clean_after_an_add(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--name": "added"}))
    assert result.exit_code == 0, result.output
    loaded, problems = check_dataset(dataset)
    assert problems == []
    assert "flow/added" in loaded.claims  # the check saw the new claim, not the dataset as it was


def test_long_statements_are_folded_near_100_columns(dataset):
    long = "Downstream's spokesperson said " + "that the shortfall was smaller than first feared, " * 4 + "and more."
    result = runner.invoke(app, add_args(dataset, **{"--statement": long, "--name": "long"}))
    assert result.exit_code == 0, result.output
    text = (dataset / "claims/flow/long.yaml").read_text()
    assert text.startswith("statement: >-\n  Downstream's")
    assert max(len(line) for line in text.splitlines()) <= 100
    claim, _ = load_claim_text("flow/long", text)
    assert claim.statement == long


def test_a_year_and_a_quote_with_quote_marks_round_trip(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--said-on": "2024", "--cite": DISPUTE, "--quote": "rejected the accusation as ‘baseless’", "--name": "y"}))
    assert result.exit_code == 0, result.output
    text = (dataset / "claims/flow/y.yaml").read_text()
    assert "said_on: 2024\n" in text
    assert "!!" not in text  # no Python or explicit tags
    claim, problems = load_claim_text("flow/y", text)
    assert problems == [] and claim.citations[0].quote == "rejected the accusation as ‘baseless’"


def test_several_citations_and_links_are_kept_in_order(dataset):
    args = add_args(dataset, **{"--name": "multi", "--rebuts": "flow/up-denies-cut"}) + [
        "--rebuts", "up-counter-canals", "--cite", DISPUTE, "--quote", "deliberately cut the flow", "--via", "the report", "--via", "a TV channel"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    claim, _ = load_claim_text("flow/multi", (dataset / "claims/flow/multi.yaml").read_text())
    assert claim.targets("rebuts") == ["flow/up-denies-cut", "flow/up-counter-canals"]
    assert [(c.source, c.via) for c in claim.citations] == [(REPORT, "the report"), (DISPUTE, "a TV channel")]


def test_the_file_name_comes_from_the_statement_and_never_overwrites(dataset):
    first = runner.invoke(app, add_args(dataset))
    second = runner.invoke(app, add_args(dataset))
    assert first.exit_code == second.exit_code == 0
    names = sorted(p.name for p in (dataset / "claims/flow").glob("downstreams-*.yaml"))
    assert names == ["downstreams-spokesperson-shortfall-smaller-first-d755-2.yaml", "downstreams-spokesperson-shortfall-smaller-first-d755.yaml"]


def test_two_clones_adding_claims_that_begin_alike_get_different_names(tmp_path):
    """The hash in a default name is of who said what, when: two people in two clones, adding
    different claims whose statements share their first words, write different files."""
    a, b = write_dataset(tmp_path / "a"), write_dataset(tmp_path / "b")
    one = runner.invoke(app, add_args(a, **{"--statement": "Downstream's spokesperson said the shortfall was smaller than first feared, in May."}))
    two = runner.invoke(app, add_args(b, **{"--statement": "Downstream's spokesperson said the shortfall was smaller than first feared, in April."}))
    assert one.exit_code == two.exit_code == 0
    [first] = (a / "claims/flow").glob("downstreams-*.yaml")
    [second] = (b / "claims/flow").glob("downstreams-*.yaml")
    assert first.name != second.name


def test_the_same_claim_added_in_two_clones_gets_the_same_name(tmp_path):
    a, b = write_dataset(tmp_path / "a"), write_dataset(tmp_path / "b")
    assert runner.invoke(app, add_args(a)).exit_code == runner.invoke(app, add_args(b)).exit_code == 0
    assert [p.name for p in (a / "claims/flow").glob("downstreams-*.yaml")] == [p.name for p in (b / "claims/flow").glob("downstreams-*.yaml")]


def test_an_actor_is_found_by_alias(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--by": "the water ministry", "--name": "alias"}))
    assert result.exit_code == 0, result.output
    assert "by: up-ministry\n" in (dataset / "claims/flow/alias.yaml").read_text()


def test_a_status_other_than_asserted_gets_the_note_in_its_history(dataset):
    result = runner.invoke(app, add_args(dataset, **{"--status": "corroborated", "--note": "The commission's gauges agree.", "--name": "c"}))
    assert result.exit_code == 0, result.output
    claim, _ = load_claim_text("flow/c", (dataset / "claims/flow/c.yaml").read_text())
    assert (claim.status, claim.history[0].status, claim.history[0].note) == ("corroborated", "corroborated", "The commission's gauges agree.")


def test_warnings_the_new_claim_causes_are_shown_on_stderr(dataset):
    # --keep-status: without it the rebutted claim becomes disputed (tests/test_workflow_links.py)
    result = runner.invoke(app, [*add_args(dataset, **{"--rebuts": "commission-gauges", "--name": "r"}), "--keep-status"])
    assert result.exit_code == 0
    assert "claims/flow/commission-gauges.yaml:5: warning: status is 'asserted' but flow/r rebuts it" in result.stderr


# -------------------------------------------------------------------------- refusals


FAILURES = {
    "unknown actor": ({"--by": "Lena Ortega"}, "unknown actor 'Lena Ortega' — did you mean 'down-spokesman'?"),
    "unknown source": ({"--cite": "2024-05-10-commission-report"}, "unknown source '2024-05-10-commission-report' — did you mean '2024-05-10-unknown-commission-report'?"),
    "quote not in the source": ({"--quote": "the flow at 93 percent"}, "quote not found in source '2024-05-10-unknown-commission-report' — the closest passage is: \"the flow at 92 percent\""),
    "link to no such claim": ({"--rebuts": "flow/up-denies-cutt"}, "--rebuts 'flow/up-denies-cutt': no such claim — did you mean 'flow/up-denies-cut'?"),
    "date in the future": ({"--said-on": "2999-01-01"}, "said_on 2999-01-01 is in the future — give the date it was said"),
    "empty statement": ({"--statement": "  "}, "the statement is empty — write one neutral, attributive sentence"),
    "unknown issue": ({"--issue": "flows"}, "no issue 'flows' — did you mean 'flow'?"),
    "bad kind": ({"--kind": "acusation"}, "unknown kind 'acusation' — did you mean 'accusation'?"),
    "bad date": ({"--said-on": "March 2024"}, "said_on: 'March 2024' is not a date — write an EDTF date"),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_bad_input_is_one_line_exit_1_and_nothing_changes(dataset, case):
    over, message = FAILURES[case]
    before = tree_digest(dataset)
    result = runner.invoke(app, add_args(dataset, **over))
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("claimtrack: error: ")
    assert message in result.stderr
    assert tree_digest(dataset) == before


def test_missing_options_are_a_usage_error_naming_them(dataset):
    result = runner.invoke(app, ["add", "--root", str(dataset), "--issue", "flow", "--statement", "X said y."])
    assert result.exit_code == 2
    assert "missing --by, --kind, --said-on, --cite/--quote" in result.stderr


def test_a_cite_without_its_quote_is_a_usage_error(dataset):
    result = runner.invoke(app, add_args(dataset) + ["--cite", DISPUTE])
    assert result.exit_code == 2
    assert "2 --cite but 1 --quote" in result.stderr


def test_no_options_without_a_terminal_fails_at_once_instead_of_waiting(dataset):
    result = runner.invoke(app, ["add", "--root", str(dataset)], input="")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "run 'claimtrack add' on a terminal to be guided, or pass --issue" in result.stderr

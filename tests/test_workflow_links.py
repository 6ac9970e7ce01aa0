"""A counterclaim in one command: `add --rebuts X` and `link A rebuts X` dispute X, `supersedes`
supersedes it, in the same write, with a dated history entry naming the answer; and `cite`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.store import load_claim_text
from conftest import copy_dataset, tree_digest

runner = CliRunner()


@pytest.fixture
def dataset(built_dataset, tmp_path) -> Path:
    """The test's own copy of the fixture dataset, its index built once for the module."""
    return copy_dataset(built_dataset, tmp_path)

REPORT = "2024-05-10-unknown-commission-report"
DISPUTE = "2024-03-02-daily-river-flow-dispute"


def claim(root: Path, claim_id: str):
    issue, name = claim_id.split("/")
    obj, problems = load_claim_text(claim_id, (root / "claims" / issue / f"{name}.yaml").read_text(encoding="utf-8"))
    assert problems == []
    return obj


def add(root: Path, *extra: str, said_on: str = "2024-05-11"):
    return runner.invoke(app, ["add", "--root", str(root), "--issue", "flow", "--by", "up-ministry", "--kind", "rebuttal",
                               "--said-on", said_on, "--statement", "Upstream's Water Ministry said the gauges were wrong.",
                               "--cite", REPORT, "--quote", "its gauges showed the flow", "--name", "up-answer", *extra])


def test_add_rebuts_disputes_an_asserted_claim_with_a_dated_history_entry(dataset):
    result = add(dataset, "--rebuts", "commission-gauges")
    assert result.exit_code == 0, result.output
    target = claim(dataset, "flow/commission-gauges")
    assert target.status == "disputed"
    last = target.history[-1]
    assert (last.on.value, last.status, last.note) == ("2024-05-11", "disputed", "flow/up-answer rebuts it.")
    assert "Also changed: flow/commission-gauges is now disputed (was asserted)" in result.stdout
    assert "warning" not in result.stderr


def test_add_keep_status_leaves_the_target_alone(dataset):
    before = (dataset / "claims/flow/commission-gauges.yaml").read_bytes()
    result = add(dataset, "--rebuts", "commission-gauges", "--keep-status")
    assert result.exit_code == 0, result.output
    assert (dataset / "claims/flow/commission-gauges.yaml").read_bytes() == before
    assert "Also changed" not in result.stdout


def test_a_rebuttal_of_a_claim_already_disputed_changes_nothing_else(dataset):
    before = (dataset / "claims/flow/down-accuses-cut.yaml").read_bytes()
    result = add(dataset, "--rebuts", "down-accuses-cut")
    assert result.exit_code == 0, result.output
    assert (dataset / "claims/flow/down-accuses-cut.yaml").read_bytes() == before


def test_add_supersedes_makes_the_earlier_position_superseded(dataset):
    result = add(dataset, "--supersedes", "up-denies-cut")
    assert result.exit_code == 0, result.output
    target = claim(dataset, "flow/up-denies-cut")
    assert target.status == "superseded"
    assert (target.history[-1].status, target.history[-1].note) == ("superseded", "flow/up-answer supersedes it.")


def test_nothing_changes_when_the_add_fails(dataset):
    before = tree_digest(dataset)
    result = add(dataset, "--rebuts", "commission-gauges", said_on="2999-01-01")  # a date in the future
    assert result.exit_code == 1
    assert tree_digest(dataset) == before
    result = runner.invoke(app, ["add", "--root", str(dataset), "--issue", "flow", "--by", "up-ministry", "--kind", "rebuttal",
                                 "--said-on", "2024-05-11", "--statement", "S.", "--cite", REPORT, "--quote", "words not in it",
                                 "--rebuts", "commission-gauges"])
    assert result.exit_code == 1
    assert tree_digest(dataset) == before


def test_link_rebuts_disputes_the_target_in_the_same_write(dataset):
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-counter-canals", "rebuts", "flow/commission-gauges"])
    assert result.exit_code == 0, result.output
    target = claim(dataset, "flow/commission-gauges")
    assert target.status == "disputed"
    assert (target.history[-1].on.value, target.history[-1].note) == ("2024-03", "flow/up-counter-canals rebuts it.")
    assert "Also changed: flow/commission-gauges is now disputed" in result.stdout


def test_link_keep_status(dataset):
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-counter-canals", "rebuts", "flow/commission-gauges", "--keep-status"])
    assert result.exit_code == 0, result.output
    assert claim(dataset, "flow/commission-gauges").status == "asserted"


def test_a_refused_link_changes_nothing(dataset):
    before = tree_digest(dataset)
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/commission-gauges", "rebuts", "flow/commission-gauges"])
    assert result.exit_code == 1
    assert tree_digest(dataset) == before


# ------------------------------------------------------------------------------------- cite


def cite(root: Path, *args: str, code: int = 0):
    result = runner.invoke(app, ["cite", "--root", str(root), *args])
    assert result.exit_code == code, result.output
    return result


def test_cite_adds_a_citation_in_the_sources_own_characters(dataset):
    result = cite(dataset, "down-accuses-cut", "--source", DISPUTE, "--quote", "rejected the accusation as 'baseless'",
                  "--channel", "statement", "--reported-by", "Radio One > Wire Service", "--reported-on", "2024-03-02", "--note", "the ministry's answer")
    assert result.exit_code == 0, result.output
    c = claim(dataset, "flow/down-accuses-cut").citations[-1]
    assert (c.source, c.quote, c.channel, c.reported_by, c.reported_on.value, c.note) == (
        DISPUTE, "rejected the accusation as ‘baseless’", "statement", ["Radio One", "Wire Service"], "2024-03-02", "the ministry's answer")
    assert "is stored as the source has it" in result.stdout


def test_cite_keeps_the_files_other_lines(dataset):
    path = dataset / "claims/flow/down-accuses-cut.yaml"
    text = path.read_text(encoding="utf-8")
    result = cite(dataset, "flow/down-accuses-cut", "--source", REPORT, "--quote", "smaller than first feared")
    assert result.exit_code == 0, result.output
    new = path.read_text(encoding="utf-8")
    assert new.startswith(text) and new[len(text):] == f"  - source: {REPORT}\n    quote: \"smaller than first feared\"\n"


def test_cite_refuses_a_quote_not_in_the_source_and_changes_nothing(dataset):
    before = tree_digest(dataset)
    result = cite(dataset, "down-accuses-cut", "--source", REPORT, "--quote", "smaller than first fared", code=1)
    assert result.exit_code == 1
    assert "quote not found in source" in result.stderr and "smaller than first feared" in result.stderr
    assert tree_digest(dataset) == before


def test_cite_refuses_the_same_words_twice(dataset):
    before = tree_digest(dataset)
    result = cite(dataset, "down-accuses-cut", "--source", DISPUTE, "--quote", "deliberately cut the flow below the treaty minimum", code=1)
    assert result.exit_code == 1
    assert "already cites these words" in result.stderr
    assert tree_digest(dataset) == before


def test_cite_refuses_an_unknown_claim_or_source(dataset):
    assert "no claim 'nope'" in cite(dataset, "nope", "--source", REPORT, "--quote", "x", code=1).stderr
    result = cite(dataset, "down-accuses-cut", "--source", "2024-05-10-unknown-commission-reprt", "--quote", "x", code=1)
    assert result.exit_code == 1
    assert "unknown source" in result.stderr and REPORT in result.stderr

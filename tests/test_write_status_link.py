"""`claimtrack status`, `link` and `unlink`: one file changed, its comments and layout kept."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.store import load_claim_text
from conftest import CLAIMS, write_dataset

runner = CliRunner()

REPORT = "2024-05-10-unknown-commission-report"

COMMENTED = """\
# Checked against the Daily River's print edition. -- an analyst
statement: Upstream's Water Ministry rejected the accusation as baseless and blamed the drought.
kind: denial
by: up-ministry   # the ministry, not the minister
said_on: 2024-03-02
status: asserted
rebuts: [flow/down-accuses-cut]
citations:
  # the first paragraph
  - source: 2024-03-02-daily-river-flow-dispute
    quote: "rejected the accusation as 'baseless'"
"""


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-denies-cut": COMMENTED})


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".claimtrack" not in p.parts}


def read_claim(root: Path, claim_id: str):
    issue, name = claim_id.split("/")
    claim, problems = load_claim_text(claim_id, (root / "claims" / issue / f"{name}.yaml").read_text())
    assert problems == []
    return claim


# ------------------------------------------------------------------------------- status


def test_status_sets_the_status_and_appends_a_dated_history_entry(dataset):
    result = runner.invoke(app, ["status", "--root", str(dataset), "flow/commission-gauges", "disputed",
                                 "--note", "Upstream called the gauges faulty.", "--on", "2024-05-12"])
    assert result.exit_code == 0, result.output
    assert "flow/commission-gauges is now disputed (claims/flow/commission-gauges.yaml)" in result.stdout
    claim = read_claim(dataset, "flow/commission-gauges")
    assert claim.status == "disputed"
    assert [(h.on.value, h.status, h.note) for h in claim.history] == [("2024-05-12", "disputed", "Upstream called the gauges faulty.")]


def test_status_with_a_citation_adds_it_noted_as_the_evidence(dataset):
    result = runner.invoke(app, ["status", "--root", str(dataset), "down-accuses-cut", "corroborated", "--on", "2024-05-10",
                                 "--note", "The commission's gauges showed the flow below the minimum.",
                                 "--cite", REPORT, "--quote", "92 percent of the treaty minimum"])
    assert result.exit_code == 0, result.output
    claim = read_claim(dataset, "flow/down-accuses-cut")
    assert [h.status for h in claim.history] == ["disputed", "corroborated"]
    assert claim.citations[-1].source == REPORT
    assert claim.citations[-1].note == "Evidence for the status change to 'corroborated' on 2024-05-10."


def test_status_changes_that_one_file_only(dataset):
    before = digests(dataset)
    result = runner.invoke(app, ["status", "--root", str(dataset), "flow/up-denies-cut", "disputed", "--note", "Contradicted.", "--on", "2024-05-10"])
    assert result.exit_code == 0, result.output
    after = digests(dataset)
    assert [k for k in before if before[k] != after[k]] == ["claims/flow/up-denies-cut.yaml"]


def test_status_keeps_comments_and_writes_the_history_where_the_format_puts_it(commented):
    result = runner.invoke(app, ["status", "--root", str(commented), "flow/up-denies-cut", "disputed", "--note", "The commission's gauges contradict the drought account.", "--on", "2024-05-10"])
    assert result.exit_code == 0, result.output
    assert (commented / "claims/flow/up-denies-cut.yaml").read_text() == textwrap.dedent("""\
        # Checked against the Daily River's print edition. -- an analyst
        statement: Upstream's Water Ministry rejected the accusation as baseless and blamed the drought.
        kind: denial
        by: up-ministry   # the ministry, not the minister
        said_on: 2024-03-02
        status: disputed
        rebuts: [flow/down-accuses-cut]
        history:
          - on: 2024-05-10
            status: disputed
            note: The commission's gauges contradict the drought account.
        citations:
          # the first paragraph
          - source: 2024-03-02-daily-river-flow-dispute
            quote: "rejected the accusation as 'baseless'"
        """)


def test_status_without_a_note_is_a_usage_error(dataset):
    result = runner.invoke(app, ["status", "--root", str(dataset), "flow/up-denies-cut", "disputed"])
    assert result.exit_code == 2
    assert "needs --note TEXT" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["flow/up-denies-cut", "debunked", "--note", "x"], "unknown status 'debunked'"),
    (["flow/nope", "disputed", "--note", "x"], "no claim 'flow/nope'"),
    (["flow/up-denies-cut", "disputed", "--note", "x", "--on", "2999-01-01"], "is in the future"),
    (["flow/up-denies-cut", "disputed", "--note", "x", "--cite", REPORT, "--quote", "95 percent"], "quote not found"),
    (["flow/up-denies-cut", "disputed", "--note", " "], "needs a note saying why"),
])
def test_a_bad_status_change_changes_nothing(dataset, args, message):
    before = digests(dataset)
    result = runner.invoke(app, ["status", "--root", str(dataset), *args])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert digests(dataset) == before


# --------------------------------------------------------------------------------- links


def test_link_adds_to_an_existing_flow_list_and_keeps_comments(commented):
    result = runner.invoke(app, ["link", "--root", str(commented), "flow/up-denies-cut", "rebuts", "commission-gauges"])
    assert result.exit_code == 0, result.output
    assert "flow/up-denies-cut now rebuts flow/commission-gauges" in result.stdout
    text = (commented / "claims/flow/up-denies-cut.yaml").read_text()
    assert "rebuts: [flow/down-accuses-cut, flow/commission-gauges]\n" in text
    assert "by: up-ministry   # the ministry, not the minister\n" in text
    assert text.startswith("# Checked against the Daily River's print edition.")


def test_link_creates_the_key_in_the_documented_order(dataset):
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-counter-canals", "supports", "flow/up-denies-cut"])
    assert result.exit_code == 0, result.output
    text = (dataset / "claims/flow/up-counter-canals.yaml").read_text()
    assert "rebuts: [flow/down-accuses-cut]\nsupports: [flow/up-denies-cut]\ncitations:" in text


def test_link_warns_when_the_target_status_no_longer_fits(dataset):
    # --keep-status: without it the target becomes disputed (tests/test_workflow_links.py)
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-counter-canals", "rebuts", "flow/commission-gauges", "--keep-status"])
    assert result.exit_code == 0
    assert "warning: status is 'asserted' but flow/up-counter-canals rebuts it — set 'disputed'" in result.stderr


def test_linking_twice_changes_nothing(dataset):
    before = digests(dataset)
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-denies-cut", "rebuts", "flow/down-accuses-cut"])
    assert result.exit_code == 0
    assert "already rebuts" in result.stdout
    assert digests(dataset) == before


@pytest.mark.parametrize("args, message", [
    (["flow/up-denies-cut", "rebuts", "flow/nope"], "link to 'flow/nope': no such claim"),
    (["flow/up-denies-cut", "refutes", "flow/commission-gauges"], "unknown link type 'refutes' — did you mean 'rebuts'?"),
    (["flow/up-denies-cut", "rebuts", "flow/up-denies-cut"], "cannot rebut itself"),
])
def test_a_bad_link_changes_nothing(dataset, args, message):
    before = digests(dataset)
    result = runner.invoke(app, ["link", "--root", str(dataset), *args])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert digests(dataset) == before


def test_a_supersedes_cycle_is_refused(dataset):
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-counter-canals", "supersedes", "flow/up-denies-cut"])
    assert result.exit_code == 0, result.output
    before = digests(dataset)
    result = runner.invoke(app, ["link", "--root", str(dataset), "flow/up-denies-cut", "supersedes", "flow/up-counter-canals"])
    assert result.exit_code == 1
    assert "supersedes forms a cycle" in result.stderr
    assert result.stderr.startswith("claimtrack: error: claims/flow/up-counter-canals.yaml:")
    assert digests(dataset) == before


def test_unlink_removes_the_link_and_an_emptied_key(dataset):
    result = runner.invoke(app, ["unlink", "--root", str(dataset), "flow/up-denies-cut", "rebuts", "flow/down-accuses-cut"])
    assert result.exit_code == 0, result.output
    assert "no longer rebuts" in result.stdout
    text = (dataset / "claims/flow/up-denies-cut.yaml").read_text()
    assert "rebuts" not in text
    assert read_claim(dataset, "flow/up-denies-cut").rebuts == []


def test_unlink_keeps_other_links_and_comments(commented):
    linked = runner.invoke(app, ["link", "--root", str(commented), "flow/up-denies-cut", "rebuts", "flow/commission-gauges"])
    unlinked = runner.invoke(app, ["unlink", "--root", str(commented), "flow/up-denies-cut", "rebuts", "flow/down-accuses-cut"])
    assert linked.exit_code == unlinked.exit_code == 0, linked.output + unlinked.output
    text = (commented / "claims/flow/up-denies-cut.yaml").read_text()
    assert "rebuts: [flow/commission-gauges]\n" in text
    assert "# the first paragraph\n" in text


def test_unlinking_a_link_that_is_not_there_says_what_is(dataset):
    before = digests(dataset)
    result = runner.invoke(app, ["unlink", "--root", str(dataset), "flow/up-denies-cut", "supports", "flow/down-accuses-cut"])
    assert result.exit_code == 1
    assert "flow/up-denies-cut does not support flow/down-accuses-cut — it supports nothing; nothing was changed" in result.stderr
    assert digests(dataset) == before

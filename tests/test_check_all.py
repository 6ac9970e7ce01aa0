"""`check` reports everything at once and nothing twice: every problem of a file in one run,
a broken file still exists for the link rules, a broken actor is one error, counts in the
singular where they are one."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from claimtrack.check import check_dataset
from claimtrack.cli.app import app
from conftest import ACTORS, CLAIMS, SOURCE_BODIES, edited, write_dataset

runner = CliRunner()
ACCUSATION = "claims/flow/down-accuses-cut.yaml"


def three_problems() -> dict[str, str]:
    """The accusation with a bad kind, an unknown actor and a quote not in its source: three
    independent problems, each in its own field."""
    claims = dict(CLAIMS)
    text = edited(CLAIMS["flow/down-accuses-cut"], "kind: accusation", "kind: acusation")
    text = edited(text, "by: down-spokesman", "by: down-spokesmn")
    claims["flow/down-accuses-cut"] = edited(text, '"deliberately cut the flow below', '"deliberately cut the water below')
    return claims


def codes(root: Path) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in check_dataset(root)[1]]


def test_a_file_with_three_independent_problems_reports_all_three(tmp_path):
    root = write_dataset(tmp_path / "ds", claims=three_problems())
    found = codes(root)
    assert sorted(c for path, c in found if path == ACCUSATION) == ["bad-value", "quote-not-found", "unknown-actor"]


def test_three_problems_in_one_file_cause_no_error_elsewhere(tmp_path):
    root = write_dataset(tmp_path / "ds", claims=three_problems())
    assert [f for f in codes(root) if f[0] != ACCUSATION] == []


def test_check_exits_1_and_prints_the_three(tmp_path):
    root = write_dataset(tmp_path / "ds", claims=three_problems())
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert result.stdout.count(f"{ACCUSATION}:") == 3
    assert "3 errors, 0 warnings" in result.stderr


def test_a_claim_with_a_schema_error_still_exists_for_the_links_to_it(tmp_path):
    claims = dict(CLAIMS)
    claims["flow/down-accuses-cut"] = edited(CLAIMS["flow/down-accuses-cut"], "status: disputed\n        history", "status: disputd\n        history")
    root = write_dataset(tmp_path / "ds", claims=claims)
    found = codes(root)
    assert found and all(path == ACCUSATION for path, _ in found)  # the rebuttals of it are not "unknown-claim"


def test_a_link_to_a_missing_claim_in_an_invalid_file_is_still_reported(tmp_path):
    claims = dict(CLAIMS)
    text = edited(CLAIMS["flow/up-denies-cut"], "kind: denial", "kind: denyal")
    claims["flow/up-denies-cut"] = edited(text, "rebuts: [flow/down-accuses-cut]", "rebuts: [flow/down-accuses-cuts]")
    root = write_dataset(tmp_path / "ds", claims=claims)
    assert sorted(c for p, c in codes(root) if p == "claims/flow/up-denies-cut.yaml") == ["bad-value", "unknown-claim"]


def test_a_field_with_a_schema_error_is_reported_once(tmp_path):
    claims = dict(CLAIMS)
    claims["flow/down-accuses-cut"] = edited(CLAIMS["flow/down-accuses-cut"], "by: down-spokesman", "by: Down Spokesman!")
    root = write_dataset(tmp_path / "ds", claims=claims)
    found = [c for p, c in codes(root) if p == ACCUSATION]
    assert len(found) == 1 and "unknown-actor" not in found


def test_a_broken_actor_entry_is_one_error_not_one_per_claim(tmp_path):
    actors = edited(ACTORS, "    role: government spokesperson\n", "    role: government spokesperson\n    rank: senior\n")
    root = write_dataset(tmp_path / "ds", actors=actors)
    found = codes(root)
    assert found == [("claims/actors.yaml", "unknown-field")]


def test_a_broken_actor_entry_leaves_the_other_actors_known(tmp_path):
    actors = edited(ACTORS, "    role: government spokesperson\n", "    role: government spokesperson\n    rank: senior\n")
    claims = dict(CLAIMS)
    claims["flow/up-denies-cut"] = edited(CLAIMS["flow/up-denies-cut"], "by: up-ministry", "by: up-ministri")
    root = write_dataset(tmp_path / "ds", actors=actors, claims=claims)
    assert sorted(codes(root)) == [("claims/actors.yaml", "unknown-field"), ("claims/flow/up-denies-cut.yaml", "unknown-actor")]


def test_the_counts_line_is_singular_for_one(tmp_path):
    root = tmp_path / "ds"
    write_dataset(root, claims={}, sources={}, issues={})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "no problems in 1 file (0 claims, 0 sources, 0 issues)\n"


def test_the_counts_line_is_singular_for_one_claim_source_and_issue(tmp_path):
    history = "        history:\n          - on: 2024-03-02\n            status: disputed\n            note: Upstream's Water Ministry rejected it the same day.\n"
    text = edited(CLAIMS["flow/down-accuses-cut"], history, "")  # before the status, which the history repeats
    claims = {"flow/down-accuses-cut": edited(text, "status: disputed", "status: asserted")}
    source = "2024-03-02-daily-river-flow-dispute"
    root = write_dataset(tmp_path / "ds", claims=claims, sources={source: SOURCE_BODIES[source]})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "no problems in 4 files (1 claim, 1 source, 1 issue)\n"

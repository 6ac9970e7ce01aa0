"""One resolver for every id a user types (resolve.py): an id, a name, an alias, any case, a
unique prefix, a surname; the closest on a miss; the ids to choose from when it fits several.
Through the commands that take an id, against the fixture dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack import resolve
from claimtrack.cli.app import app
from conftest import ACTORS, copy_dataset, edited, write_dataset

runner = CliRunner()


@pytest.fixture
def dataset(built_dataset, tmp_path) -> Path:
    """The test's own copy of the fixture dataset, its index built once for the module."""
    return copy_dataset(built_dataset, tmp_path)

ENTRIES = [("down-spokesman", ["Lena Ortiz", "Lena Ortis"]), ("up-ministry", ["Upstream Water Ministry", "the Water Ministry"]),
           ("commission", ["River Commission secretariat"])]


def run(root, *args: str):
    return runner.invoke(app, [*args, "--root", str(root)])


@pytest.mark.parametrize("typed", ["down-spokesman", "Lena Ortiz", "lena ortiz", "LENA  ORTIZ", "Lena Ortis", "down-spok", "Ortiz", "lena"])
def test_an_actor_is_found_by_id_name_alias_case_prefix_or_surname(typed):
    assert resolve.lookup(typed, ENTRIES).id == "down-spokesman"


def test_a_prefix_of_several_ids_is_ambiguous_and_names_them():
    m = resolve.lookup("up", [("up-ministry", []), ("up-army", [])])
    assert (m.id, m.ambiguous) == (None, ("up-ministry", "up-army"))


def test_an_exact_id_wins_over_a_longer_id_it_prefixes():
    assert resolve.lookup("up", [("up", []), ("up-army", [])]).id == "up"


def test_a_miss_suggests_the_closest_by_id_or_name():
    m = resolve.lookup("Lena Ortez", ENTRIES)
    assert m.id is None and m.near == ("down-spokesman",)


def test_word_prefixes_are_left_out_when_asked():
    assert resolve.lookup("deny", [("flow/up-deny", ["up-deny"])], words=False).id is None


def test_list_by_actor_name(dataset):
    result = run(dataset, "list", "--actor", "Lena Ortiz", "--json")
    assert result.exit_code == 0, result.output
    assert '"flow/down-accuses-cut"' in result.stdout and "flow/up-denies-cut" not in result.stdout


def test_list_by_actor_surname_in_another_case(dataset):
    result = run(dataset, "list", "--actor", "ortiz", "--json")
    assert result.exit_code == 0, result.output
    assert '"flow/down-accuses-cut"' in result.stdout


def test_list_by_side_name(dataset):
    result = run(dataset, "list", "--side", "Downstream Kingdom", "--json")
    assert result.exit_code == 0, result.output
    assert '"flow/down-accuses-cut"' in result.stdout and "flow/up-denies-cut" not in result.stdout


def test_list_by_side_prefix(dataset):
    result = run(dataset, "list", "--side", "downs", "--json")
    assert result.exit_code == 0, result.output
    assert '"flow/down-accuses-cut"' in result.stdout


def test_list_by_issue_title(dataset):
    result = run(dataset, "list", "--issue", "the dam's flow", "--json")
    assert result.exit_code == 0, result.output
    assert '"flow/down-accuses-cut"' in result.stdout


def test_an_ambiguous_actor_names_each_candidate_with_its_name(tmp_path):
    actors = edited(ACTORS, "  - id: commission\n", "  - id: up-army\n    name: Upstream Army\n    side: upstream\n  - id: commission\n")
    root = write_dataset(tmp_path / "ds", actors=actors)
    result = run(root, "list", "--actor", "upstream")
    assert result.exit_code == 2  # a filter value that names no one thing is a usage error (issue 15: the same for every bad value)
    assert "'upstream' fits more than one actor: up-ministry (Upstream Water Ministry); up-army (Upstream Army)" in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_unknown_actor_suggests_the_closest(dataset):
    result = run(dataset, "list", "--actor", "Lena Ortez")
    assert result.exit_code == 2
    assert "no actor 'Lena Ortez' — did you mean: down-spokesman?" in result.stderr


def test_show_by_a_unique_claim_prefix(dataset):
    result = run(dataset, "show", "flow/up-den", "--json")
    assert result.exit_code == 0, result.output
    assert '"flow/up-denies-cut"' in result.stdout


def test_show_an_issue_by_title_in_another_case(dataset):
    result = run(dataset, "show", "THE DAM'S FLOW", "--json")
    assert result.exit_code == 0, result.output
    assert '"issue"' in result.stdout


def test_timeline_by_issue_prefix(dataset):
    result = run(dataset, "timeline", "fl", "--json")
    assert result.exit_code == 0, result.output


def test_brief_by_issue_title(dataset):
    result = run(dataset, "brief", "The dam's flow")
    assert result.exit_code == 0, result.output
    assert "dam" in result.stdout


def test_status_by_a_claim_prefix(dataset):
    result = run(dataset, "status", "flow/up-den", "retracted", "--note", "Withdrawn.", "--on", "2024-04-01")
    assert result.exit_code == 0, result.output
    assert "status: retracted" in (dataset / "claims" / "flow" / "up-denies-cut.yaml").read_text()


def test_link_by_claim_names_prefixes(dataset):
    result = run(dataset, "link", "flow/commission-g", "supports", "up-counter")
    assert result.exit_code == 0, result.output
    assert "flow/up-counter-canals" in (dataset / "claims" / "flow" / "commission-gauges.yaml").read_text()


def test_add_by_an_actor_surname(dataset):
    result = run(dataset, "add", "--issue", "flow", "--by", "ortiz", "--kind", "statement", "--said-on", "2024-05-10",
                 "--statement", "Downstream's spokesperson said the shortfall was smaller than first feared.",
                 "--cite", "2024-05-10-unknown", "--quote", "smaller than first feared")
    assert result.exit_code == 0, result.output
    written = [p for p in (dataset / "claims" / "flow").glob("*.yaml") if "by: down-spokesman" in p.read_text() and "feared" in p.read_text()]
    assert len(written) == 1


def test_add_with_an_unknown_source_suggests_and_points_to_source_list(dataset):
    result = run(dataset, "add", "--issue", "flow", "--by", "ortiz", "--kind", "statement", "--said-on", "2024-05-10",
                 "--statement", "A statement.", "--cite", "2024-05-10-unknwn-commission-report", "--quote", "smaller")
    assert result.exit_code == 1
    assert "did you mean '2024-05-10-unknown-commission-report'?" in result.stderr


def test_show_prefers_the_issue_a_prefix_begins(dataset):
    """Every claim id begins with its issue's id: a prefix of the issue names the issue."""
    result = run(dataset, "show", "fl", "--json")
    assert result.exit_code == 0, result.output
    assert '"issue"' in result.stdout

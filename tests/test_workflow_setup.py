"""`side add`, `actor add`, `issue add` and `actors`: a dataset grown from `claimtrack init`
without writing YAML by hand, each write checked like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.edit.init import init_dataset
from claimtrack.store import load_actors_text, load_dataset, load_issue_text
from conftest import ACTORS, edited, tree_digest, write_dataset

runner = CliRunner()


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    return init_dataset(tmp_path / "empty")


def run(root: Path, *args: str, input: str | None = None):
    return runner.invoke(app, [*args, "--root", str(root)], input=input)


def actors_file(root: Path):
    actors, problems = load_actors_text((root / "claims" / "actors.yaml").read_text(encoding="utf-8"))
    assert problems == []
    return actors


def test_side_add_on_an_empty_dataset_writes_the_side(empty):
    result = run(empty, "side", "add", "upstream", "--name", "Upstream Republic", "--colour", "dark_orange")
    assert result.exit_code == 0, result.output
    assert [(s.id, s.name, s.colour) for s in actors_file(empty).sides] == [("upstream", "Upstream Republic", "dark_orange")]
    assert "Added the side upstream" in result.stdout


def test_side_add_keeps_the_files_comment_and_picks_an_unused_colour(empty):
    assert run(empty, "side", "add", "one", "--name", "One", "--colour", "#1f77b4").exit_code == 0
    result = run(empty, "side", "add", "two", "--name", "Two")
    assert result.exit_code == 0, result.output
    text = (empty / "claims" / "actors.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Sides and actors of the dispute.")
    assert [s.colour for s in actors_file(empty).sides] == ["#1f77b4", "#d62728"]


def test_a_bad_colour_names_valid_ones_and_no_pattern(empty):
    before = tree_digest(empty)
    result = run(empty, "side", "add", "one", "--name", "One", "--colour", "bleu")
    assert result.exit_code == 1
    assert "did you mean blue?" in result.stderr and "dark_orange" in result.stderr and "#1f77b4" in result.stderr
    assert "^#" not in result.stderr and "[0-9" not in result.stderr
    assert tree_digest(empty) == before


def test_a_colour_name_in_an_existing_actors_file_is_no_error(tmp_path):
    root = write_dataset(tmp_path / "ds", actors=edited(ACTORS, 'colour: "#1f77b4"', "colour: blue"))
    ds, problems = load_dataset(root)
    assert problems == []
    assert ds.sides["upstream"].colour == "blue"


def test_a_colour_that_is_no_colour_in_an_actors_file_is_a_located_error(tmp_path):
    root = write_dataset(tmp_path / "ds", actors=edited(ACTORS, 'colour: "#1f77b4"', "colour: sky"))
    result = run(root, "check")
    assert result.exit_code == 1
    assert "claims/actors.yaml:4: error:" in result.stdout + result.stderr
    assert "'sky' is not a colour" in result.stdout + result.stderr


def test_the_brief_gets_a_colour_name_as_hex(tmp_path):
    from claimtrack.views import brief as B
    from claimtrack.index.queries import SideRec

    assert B._side_info(SideRec("x", "X", "dark_orange")).colour == "#ff8700"
    assert B._side_info(SideRec("x", "X", "Blue")).colour == "#000080"


def test_side_add_refuses_a_taken_id_and_changes_nothing(dataset):
    before = tree_digest(dataset)
    result = run(dataset, "side", "add", "upstream", "--name", "Again")
    assert result.exit_code == 1
    assert "the side 'upstream' exists already" in result.stderr
    assert tree_digest(dataset) == before


def test_actor_add_writes_kind_role_and_aliases(dataset):
    result = run(dataset, "actor", "add", "up-pm", "--name", "Anna  Kessler", "--side", "upstream", "--kind", "person",
                 "--role", "prime minister", "--alias", "Kessler", "--alias", "the premier")
    assert result.exit_code == 0, result.output
    actor = {a.id: a for a in actors_file(dataset).actors}["up-pm"]
    assert (actor.name, actor.side, actor.kind, actor.role, actor.aliases) == ("Anna Kessler", "upstream", "person", "prime minister", ["Kessler", "the premier"])


def test_a_third_party_needs_no_side_but_a_person_does(dataset):
    assert run(dataset, "actor", "add", "un", "--name", "United Nations", "--kind", "third-party").exit_code == 0
    before = tree_digest(dataset)
    result = run(dataset, "actor", "add", "someone", "--name", "Someone")
    assert result.exit_code == 1
    assert "a person needs a side — give one of: downstream, mediator, upstream" in result.stderr
    assert tree_digest(dataset) == before


@pytest.mark.parametrize("args, message", [
    (["--name", "X", "--side", "upstrem"], "unknown side 'upstrem' — did you mean 'upstream'?"),
    (["--name", "X", "--side", "upstream", "--kind", "persn"], "unknown actor kind 'persn'"),
])
def test_actor_add_refuses_an_unknown_side_or_kind(dataset, args, message):
    before = tree_digest(dataset)
    result = run(dataset, "actor", "add", "x", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert tree_digest(dataset) == before


def test_actor_add_refuses_a_taken_id(dataset):
    result = run(dataset, "actor", "add", "up-ministry", "--name", "X", "--side", "upstream")
    assert result.exit_code == 1
    assert "the actor id 'up-ministry' is taken (by Upstream Water Ministry)" in result.stderr


def test_issue_add_writes_the_issue_file(empty):
    result = run(empty, "issue", "add", "flow", "--title", "The dam's flow", "--question", "Did Upstream cut the flow?", "--summary", "Two accounts.")
    assert result.exit_code == 0, result.output
    issue, problems = load_issue_text("flow", (empty / "claims" / "flow" / "_issue.yaml").read_text(encoding="utf-8"))
    assert problems == []
    assert (issue.title, issue.question, issue.summary) == ("The dam's flow", "Did Upstream cut the flow?", "Two accounts.")


@pytest.mark.parametrize("args, code, message", [
    # a complete command line whose values the dataset refuses: an error
    (["flow", "--title", "T", "--question", "Q"], 1, "the issue 'flow' exists already"),
    (["Bad_Id", "--title", "T", "--question", "Q"], 1, "'Bad_Id' is not a valid issue id"),
    # a command line missing what the command needs (and not --interactive): a usage error
    (["new", "--title", "T"], 2, "an issue needs an ID, --title TEXT and --question TEXT"),
])
def test_issue_add_refuses_bad_input(dataset, args, code, message):
    before = tree_digest(dataset)
    result = run(dataset, "issue", "add", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert tree_digest(dataset) == before


def test_the_guided_forms_ask_for_what_the_options_leave_out(empty):
    side = run(empty, "side", "add", "--interactive", input="Upstream Republic\n\nblue\n")
    assert side.exit_code == 0, side.output
    actor = run(empty, "actor", "add", "--interactive", input="Upstream Water Ministry\n2\n\n\nministry\nthe Ministry\n")
    assert actor.exit_code == 0, actor.output
    issue = run(empty, "issue", "add", "--interactive", input="The dam's flow\n\nDid Upstream cut the flow?\n\n")
    assert issue.exit_code == 0, issue.output
    actors = actors_file(empty)
    assert [(s.id, s.colour) for s in actors.sides] == [("upstream-republic", "blue")]
    assert [(a.id, a.kind, a.side, a.role, a.aliases) for a in actors.actors] == [("upstream-water-ministry", "institution", "upstream-republic", "ministry", ["the Ministry"])]
    assert (empty / "claims" / "dams-flow" / "_issue.yaml").is_file()


def test_a_guided_form_asks_again_after_a_bad_answer(empty):
    result = run(empty, "side", "add", "--interactive", input="Upstream\nBad Id\nup\nbleu\nblue\n")
    assert result.exit_code == 0, result.output
    assert "'Bad Id' is not a valid side id" in result.stdout
    assert "'bleu' is not a colour" in result.stdout
    assert [(s.id, s.colour) for s in actors_file(empty).sides] == [("up", "blue")]


def test_a_guided_form_cut_short_writes_nothing(empty):
    before = tree_digest(empty)
    result = run(empty, "side", "add", "--interactive", input="Upstream\n")
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert tree_digest(empty) == before


def test_without_a_terminal_missing_options_are_a_usage_error(empty):
    result = run(empty, "side", "add", "upstream")
    assert result.exit_code == 2
    assert "a side needs an ID and --name NAME" in result.stderr


def test_actors_lists_sides_and_actors_as_json(dataset):
    result = run(dataset, "actors", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [s["id"] for s in out["sides"]] == ["upstream", "downstream", "mediator"]
    assert out["actors"][1] == {"id": "down-spokesman", "name": "Lena Ortiz", "kind": "person", "side": "downstream",
                                "role": "government spokesperson", "aliases": ["Lena Ortis"]}


def test_actors_as_a_table_names_each_actors_side(dataset):
    result = run(dataset, "actors")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "down-spokesman" in line)
    assert "Downstream Kingdom" in line and "Lena Ortiz" in line

"""`claimtrack edit`: $EDITOR on a copy, checked on save, offered again while it has errors."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import CLAIMS, edited

runner = CliRunner()

ORIGINAL = textwrap.dedent(CLAIMS["flow/up-denies-cut"])
FIXED = edited(ORIGINAL, "blamed the drought.", "blamed the drought alone.")
BAD_ACTOR = edited(ORIGINAL, "by: up-ministry", "by: up-minstry")
BAD_YAML = edited(ORIGINAL, "kind: denial", "kind: [denial")

EDITOR = """\
import pathlib, sys
# A stand-in for a person at an editor: each run saves the next prepared text.
steps = sorted(pathlib.Path(sys.argv[1]).iterdir())
if not steps:
    sys.exit(3)
pathlib.Path(sys.argv[2]).write_text(steps[0].read_text())
steps[0].unlink()
"""


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """Call with the texts the 'user' saves, one per editor run."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    steps = tmp_path / "steps"
    steps.mkdir()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {steps}")

    def prepare(*texts: str) -> Path:
        for n, text in enumerate(texts):
            (steps / f"{n:02}.yaml").write_text(text)
        return steps

    return prepare


def claim_file(root: Path) -> Path:
    return root / "claims/flow/up-denies-cut.yaml"


def edit(root: Path, input: str = "", code: int = 0):
    result = runner.invoke(app, ["edit", "--root", str(root), "up-denies-cut"], input=input)
    assert result.exit_code == code, result.output
    return result


def test_a_good_edit_is_saved(dataset, editor):
    editor(FIXED)
    result = edit(dataset)
    assert result.exit_code == 0, result.output
    assert "Saved claims/flow/up-denies-cut.yaml" in result.stdout
    assert claim_file(dataset).read_text() == FIXED


def test_an_unchanged_file_is_left_alone(dataset, editor):
    editor(ORIGINAL)
    result = edit(dataset)
    assert result.exit_code == 0
    assert "No changes" in result.stdout


def test_errors_are_shown_with_their_line_and_the_file_can_be_edited_again(dataset, editor):
    editor(BAD_ACTOR, FIXED)
    result = edit(dataset, input="e\n")
    assert result.exit_code == 0, result.output
    assert "claims/flow/up-denies-cut.yaml:3: error: unknown actor 'up-minstry' — did you mean 'up-ministry'?" in result.stderr
    assert "(e)dit again, (d)iscard your changes, (k)eep them anyway" in result.stderr
    assert claim_file(dataset).read_text() == FIXED


def test_a_yaml_syntax_error_is_located(dataset, editor):
    editor(BAD_YAML)
    result = edit(dataset, input="d\n", code=1)
    assert "claims/flow/up-denies-cut.yaml:3: error: YAML syntax" in result.stderr


def test_discarding_leaves_the_original_bytes(dataset, editor):
    before = claim_file(dataset).read_bytes()
    editor(BAD_ACTOR)
    result = edit(dataset, input="d\n", code=1)
    assert result.exit_code == 1
    assert "discarded your changes — claims/flow/up-denies-cut.yaml is as it was" in result.stderr
    assert claim_file(dataset).read_bytes() == before


def test_no_answer_at_all_discards(dataset, editor):
    before = claim_file(dataset).read_bytes()
    editor(BAD_ACTOR)
    result = edit(dataset, input="", code=1)
    assert result.exit_code == 1
    assert claim_file(dataset).read_bytes() == before


def test_keeping_an_edit_with_errors_is_the_users_choice(dataset, editor):
    editor(BAD_ACTOR)
    result = edit(dataset, input="k\n", code=1)
    assert result.exit_code == 1
    assert "saved claims/flow/up-denies-cut.yaml with 1 error" in result.stderr
    assert claim_file(dataset).read_text() == BAD_ACTOR


def test_an_editor_that_fails_changes_nothing(dataset, editor):
    before = claim_file(dataset).read_bytes()
    editor()  # no prepared text: the editor exits with status 3
    result = edit(dataset, code=1)
    assert result.exit_code == 1
    assert "the editor exited with status 3 — nothing was written" in result.stderr
    assert claim_file(dataset).read_bytes() == before


def test_an_edit_that_breaks_another_file_is_caught(dataset, editor):
    """Turning the denial into a supersedes cycle with a claim that supersedes it."""
    (dataset / "claims/flow/up-counter-canals.yaml").write_text(
        edited(textwrap.dedent(CLAIMS["flow/up-counter-canals"]), "rebuts: [flow/down-accuses-cut]", "supersedes: [flow/up-denies-cut]"))
    editor(edited(ORIGINAL, "rebuts: [flow/down-accuses-cut]", "supersedes: [flow/up-counter-canals]"))
    result = edit(dataset, input="d\n", code=1)
    assert "supersedes forms a cycle" in result.stderr


def test_an_unknown_claim_is_one_line(dataset, editor):
    result = runner.invoke(app, ["edit", "--root", str(dataset), "flow/nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("claimtrack: error: no claim 'flow/nope'") and result.stderr.count("\n") == 1


def test_a_claim_whose_file_does_not_load_can_be_edited_to_mend_it(dataset, editor):
    claim_file(dataset).write_text(BAD_YAML)
    editor(ORIGINAL)
    result = edit(dataset)
    assert result.exit_code == 0, result.output
    assert claim_file(dataset).read_text() == ORIGINAL


def test_status_on_a_file_that_does_not_load_points_to_edit(dataset):
    claim_file(dataset).write_text(BAD_YAML)
    result = runner.invoke(app, ["status", "--root", str(dataset), "flow/up-denies-cut", "disputed", "--note", "x"])
    assert result.exit_code == 1
    assert "claims/flow/up-denies-cut.yaml has errors" in result.stderr and "claimtrack edit flow/up-denies-cut" in result.stderr

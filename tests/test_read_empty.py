"""A dataset with no issue yet: the reading command says how to start one."""

from __future__ import annotations

from typer.testing import CliRunner

from claimtrack.cli import app


def test_issues_on_a_new_dataset_names_the_command_that_starts_one(tmp_path):
    runner = CliRunner()
    made = runner.invoke(app, ["init", str(tmp_path / "ds")])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["--root", str(tmp_path / "ds"), "issues"])
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()) == "No issues yet: start one with 'claimtrack issue add ID --title TITLE --question QUESTION'."

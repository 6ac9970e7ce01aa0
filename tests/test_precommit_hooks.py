"""The pre-commit hook a dataset's repository runs: the file parses, and what it runs exists."""

from __future__ import annotations

import tomllib
from pathlib import Path

import typer.main
import yaml

from claimtrack.cli.app import app

ROOT = Path(__file__).resolve().parents[1]


def hooks() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_hooks_file_is_a_list_of_hooks_with_the_keys_pre_commit_requires():
    found = hooks()
    assert [h["id"] for h in found] == ["claimtrack-check"]
    for hook in found:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this repository as the hook's package
        assert hook["pass_filenames"] is False  # a check is of the whole dataset, not of the changed files


def test_the_hook_runs_a_command_this_package_installs():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    commands = typer.main.get_command(app).commands
    for hook in hooks():
        program, command = hook["entry"].split()
        assert program in scripts
        assert command in commands

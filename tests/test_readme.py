"""The README's two commands are the ones CI runs, word for word."""

from __future__ import annotations

import re


def readme_commands(repo_root) -> list[str]:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_readme_has_exactly_two_commands(repo_root):
    assert len(readme_commands(repo_root)) == 2


def test_ci_runs_the_readme_commands_as_written(repo_root):
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    for command in readme_commands(repo_root):
        assert command in ci_lines

"""docs/adding.md documents every writing command and every one of their options."""

from __future__ import annotations

import pytest
import typer.main

from claimtrack.cli.app import app

COMMANDS = [("source", "add"), ("add",), ("status",), ("link",), ("unlink",), ("edit",), ("cite",), ("side", "add"), ("actor", "add"), ("issue", "add")]


def command(path):
    cmd = typer.main.get_command(app)
    for name in path:
        cmd = cmd.commands[name]
    return cmd


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_option_of_a_writing_command_is_documented(repo_root, path):
    doc = (repo_root / "docs" / "adding.md").read_text(encoding="utf-8")
    assert f"`claimtrack {' '.join(path)}" in doc
    options = [opt for param in command(path).params for opt in param.opts if opt.startswith("--") and opt not in ("--help", "--root")]
    missing = [opt for opt in options if f"`{opt}" not in doc and f"{opt} " not in doc]
    assert missing == []

"""The entry point builds each command on demand (cli.app.command_line); the tests' CliRunner
builds them all, as typer does. The two must be one command line: the same commands, options,
arguments, defaults and help, and the same usage errors."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from claimtrack.cli import app
from claimtrack.cli.app import command_line


def _param(p) -> dict:
    keys = ("name", "opts", "secondary_opts", "required", "default", "help", "hidden", "is_flag", "multiple",
            "nargs", "envvar", "metavar", "is_eager", "show_default", "autocompletion")
    out = {k: getattr(p, k, None) for k in keys}
    out["autocompletion"] = getattr(out["autocompletion"], "__qualname__", None)
    out["type"] = (type(p.type).__name__, sorted((k, repr(v)) for k, v in vars(p.type).items()))
    out["kind"] = type(p).__name__
    return out


def _described(command) -> dict:
    """Everything a user can see or type of a command: its name, help texts and parameters."""
    info = {k: getattr(command, k, None) for k in ("name", "help", "short_help", "epilog", "hidden", "no_args_is_help",
                                                  "options_metavar", "deprecated")}
    info["params"] = [_param(p) for p in command.params]
    if hasattr(command, "commands"):
        info["commands"] = {name: _described(command.commands[name]) for name in command.commands}
    return info


def test_every_command_built_on_demand_is_the_command_typer_builds():
    eager = typer.main.get_command(app)
    lazy = command_line(app)
    assert list(lazy.commands) == list(eager.commands)
    assert _described(lazy) == _described(eager)


def test_a_command_is_built_only_when_asked_for():
    lazy = command_line(app)
    lazy.commands["show"]
    built = [name for name, value in dict.items(lazy.commands) if hasattr(value, "params")]
    assert built == ["show"]


def test_a_mistyped_command_is_told_the_near_one(tmp_path):
    result = subprocess.run([sys.executable, "-m", "claimtrack", "shwo"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "claimtrack: error: No such command 'shwo'. Did you mean 'show'? — see 'claimtrack --help'\n"


def test_the_program_lists_every_command_in_its_help(tmp_path):
    result = subprocess.run([sys.executable, "-m", "claimtrack", "--help"], capture_output=True, text=True, cwd=tmp_path,
                            env={"COLUMNS": "100", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0
    for name in typer.main.get_command(app).commands:
        assert f" {name} " in result.stdout


def test_a_character_the_output_cannot_encode_is_shown_as_an_escape(tmp_path):
    """PYTHONIOENCODING=ascii (or a legacy code page): the text still comes out, no traceback."""
    made = subprocess.run([sys.executable, "-m", "claimtrack", "init", "--example", str(tmp_path / "ds")], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    env = {"PYTHONIOENCODING": "ascii", "NO_COLOR": "1", "COLUMNS": "80", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "claimtrack", "show", "sanctuary"], capture_output=True, cwd=tmp_path / "ds", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert b"\\xb7" in result.stdout  # the middle dot between side, actor and date
    assert result.stdout.isascii()

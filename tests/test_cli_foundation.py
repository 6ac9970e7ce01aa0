"""The foundation commands through the CLI: check, init, finding the dataset, a fast --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import CLAIMS, edited, write_dataset

runner = CliRunner()


def test_check_passes_on_a_good_dataset(dataset):
    result = runner.invoke(app, ["check", "--root", str(dataset)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stderr


def test_check_reports_located_errors_and_exits_1(tmp_path):
    bad = edited(CLAIMS["flow/up-denies-cut"], "by: up-ministry", "by: nobody")
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-denies-cut": bad})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert result.stdout.startswith("claims/flow/up-denies-cut.yaml:3: error: unknown actor 'nobody'")
    assert "1 error, 0 warnings" in result.stderr


def test_check_exits_0_with_warnings_only(tmp_path):
    text = edited(CLAIMS["flow/up-counter-canals"], "status: asserted", "status: corroborated")
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-counter-canals": text})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 0
    assert ": warning: " in result.stdout


def test_check_json_has_the_documented_shape(tmp_path):
    bad = edited(CLAIMS["flow/up-denies-cut"], "by: up-ministry", "by: nobody")
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-denies-cut": bad})
    result = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    assert result.exit_code == 1, result.output  # the dataset has an error
    data = json.loads(result.stdout)
    assert set(data) == {"schema_version", "problems", "errors", "warnings"}
    assert (data["errors"], data["warnings"]) == (1, 0)
    (problem,) = data["problems"]
    assert set(problem) == {"path", "line", "code", "severity", "message"}
    assert (problem["path"], problem["line"], problem["code"]) == ("claims/flow/up-denies-cut.yaml", 3, "unknown-actor")


def test_a_usage_error_exits_2(dataset):
    result = runner.invoke(app, ["check", "--root", str(dataset), "--format", "xml"])
    assert result.exit_code == 2


def test_outside_a_dataset_there_is_one_line_saying_how_to_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "claimtrack init" in result.stderr


def test_the_dataset_is_found_from_a_subfolder(dataset, monkeypatch):
    monkeypatch.chdir(dataset / "claims" / "flow")
    assert runner.invoke(app, ["check"]).exit_code == 0


def test_claimtrack_root_overrides_the_current_folder(dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMTRACK_ROOT", str(dataset))
    assert runner.invoke(app, ["check"]).exit_code == 0


def test_init_makes_an_empty_dataset_that_checks_clean(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check", "--root", str(tmp_path / "new")]).exit_code == 0


def test_init_refuses_to_overwrite_a_dataset(dataset):
    before = (dataset / "claims" / "actors.yaml").read_bytes()
    result = runner.invoke(app, ["init", str(dataset)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert (dataset / "claims" / "actors.yaml").read_bytes() == before


def test_init_example_copies_the_shipped_dataset(tmp_path):
    result = runner.invoke(app, ["init", "--example", str(tmp_path / "ex")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "ex" / "sources").glob("*.md"))) == 5
    check = runner.invoke(app, ["check", "--root", str(tmp_path / "ex")])
    assert check.exit_code == 0 and check.stdout == ""


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("claimtrack ")


def test_every_command_has_help():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, name
        assert runner.invoke(app, [name, "--help"]).exit_code == 0


def _imported_modules(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimtrack", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_help_and_version_import_nothing_heavy():
    heavy = {"sqlmodel", "sqlalchemy", "pydantic", "yaml", "ruamel", "jinja2", "rapidfuzz"}
    assert _imported_modules("--help") & heavy == set()
    assert _imported_modules("--version") & heavy == set()


def test_python_m_claimtrack_runs(dataset):
    proc = subprocess.run([sys.executable, "-m", "claimtrack", "check", "--root", str(dataset)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_an_error_never_writes_control_characters_the_user_typed(dataset):
    result = runner.invoke(app, ["show", "x\x1b[31mred", "--root", str(dataset)], color=True)  # as on a terminal
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\\x1b[31mred" in result.stderr

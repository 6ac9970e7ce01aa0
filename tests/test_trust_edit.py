"""`claimtrack edit` never loses the user's text (issue 10, item 5).

Whenever an edit is not written to the claim's file, it is kept, byte for byte, in
.claimtrack/recover/<issue>__<name>.<UTC time>.yaml and the error line names that file; bytes
that are not UTF-8 are refused at their line, never replaced with U+FFFD. Each test drives
`edit` with $EDITOR set to a small Python script written here.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from conftest import CLAIMS, assert_one_error_line, run_claimtrack, tree_digest
from typer.testing import CliRunner

from claimtrack.cli.app import app

runner = CliRunner()

REL = "claims/flow/up-denies-cut.yaml"
ORIGINAL = textwrap.dedent(CLAIMS["flow/up-denies-cut"])
EDITED = ORIGINAL.replace("blamed the drought.", "blamed the drought alone.")
RECOVERY = re.compile(r"a copy of your edit is kept in (\S+\.claimtrack/recover/flow__up-denies-cut\.\d{8}T\d{6}Z(?:-\d+)?\.yaml)$")


def editor(tmp_path: Path, body: str) -> str:
    """$EDITOR for a script whose body gets the file's path as `path` (a pathlib.Path)."""
    script = tmp_path / "editor.py"
    script.write_text("import os, pathlib, signal, sys\npath = pathlib.Path(sys.argv[1])\n" + textwrap.dedent(body), encoding="utf-8")
    return f"{sys.executable} {script}"


def edit(root: Path, editor_command: str, monkeypatch, input: str = ""):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor_command)
    return runner.invoke(app, ["edit", "--root", str(root), "flow/up-denies-cut"], input=input)


def recovered(root: Path) -> list[Path]:
    return sorted((root / ".claimtrack/recover").glob("*.yaml"))


def kept_in(line: str) -> Path:
    """The recovery file an error line names."""
    found = RECOVERY.search(line)
    assert found, line
    return Path(found.group(1))


SAVE_EDITED = f"path.write_text({EDITED!r}, encoding='utf-8')\n"


def test_an_edit_refused_because_the_file_changed_meanwhile_is_kept(dataset, tmp_path, monkeypatch):
    theirs = ORIGINAL.replace("status: asserted", "status: disputed")
    ed = editor(tmp_path, SAVE_EDITED + f"pathlib.Path({str(dataset / REL)!r}).write_text({theirs!r}, encoding='utf-8')\n")
    result = edit(dataset, ed, monkeypatch)
    assert result.exit_code == 1, result.output
    line = assert_one_error_line(result.stderr)
    assert line.startswith(f"claimtrack: error: {REL} changed on disk while you were editing it — nothing was written")
    assert kept_in(line).read_text(encoding="utf-8") == EDITED
    assert (dataset / REL).read_text(encoding="utf-8") == theirs  # the other writer's change stands


def test_an_editor_that_exits_non_zero_after_saving_keeps_the_edit(dataset, tmp_path, monkeypatch):
    before = tree_digest(dataset)
    result = edit(dataset, editor(tmp_path, SAVE_EDITED + "sys.exit(1)\n"), monkeypatch)
    assert result.exit_code == 1, result.output
    line = assert_one_error_line(result.stderr)
    assert f"the editor exited with status 1 — nothing was written to {REL}" in line
    assert kept_in(line).read_text(encoding="utf-8") == EDITED
    assert tree_digest(dataset) == before


def test_an_editor_that_fails_without_changes_leaves_no_recovery_file(dataset, tmp_path, monkeypatch):
    before = tree_digest(dataset)
    result = edit(dataset, editor(tmp_path, "sys.exit(2)\n"), monkeypatch)
    assert result.exit_code == 1
    assert assert_one_error_line(result.stderr) == f"claimtrack: error: the editor exited with status 2 — nothing was written to {REL}"
    assert recovered(dataset) == []
    assert tree_digest(dataset) == before


def test_invalid_yaml_with_no_one_to_answer_keeps_the_edit(dataset, tmp_path, monkeypatch):
    before = tree_digest(dataset)
    broken = ORIGINAL.replace("kind: denial", "kind: [denial")
    result = edit(dataset, editor(tmp_path, f"path.write_text({broken!r}, encoding='utf-8')\n"), monkeypatch, input="")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[0].startswith(f"{REL}:3: error: YAML syntax")
    assert lines[-1].startswith(f"claimtrack: error: 1 error and no answer to what to do — nothing was written to {REL}")
    assert kept_in(lines[-1]).read_text(encoding="utf-8") == broken
    assert tree_digest(dataset) == before


def test_an_explicit_discard_still_keeps_a_copy(dataset, tmp_path, monkeypatch):
    before = tree_digest(dataset)
    broken = ORIGINAL.replace("by: up-ministry", "by: up-minstry")
    result = edit(dataset, editor(tmp_path, f"path.write_text({broken!r}, encoding='utf-8')\n"), monkeypatch, input="d\n")
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]  # after the question, which the piped answer does not end
    assert f"claimtrack: error: discarded your changes — {REL} is as it was" in last
    assert kept_in(last).read_text(encoding="utf-8") == broken
    assert tree_digest(dataset) == before


def test_latin1_bytes_are_refused_at_their_line_and_kept(dataset, tmp_path, monkeypatch):
    before = tree_digest(dataset)
    latin = ORIGINAL.replace("blamed the drought.", "blamed the drought (sécheresse).").replace("‘baseless’", "'baseless'").encode("latin-1")
    result = edit(dataset, editor(tmp_path, f"path.write_bytes({latin!r})\n"), monkeypatch)
    assert result.exit_code == 1, result.output
    line = assert_one_error_line(result.stderr)
    assert line.startswith(f"{REL}:1: error: not UTF-8 (byte 0xe9) — save the file as UTF-8")
    assert "\ufffd" not in result.output
    found = re.search(r"your edit is kept in (\S+)$", line)
    assert found and Path(found.group(1)).read_bytes() == latin
    assert tree_digest(dataset) == before


def test_a_file_that_is_not_utf8_on_disk_can_be_mended_by_edit(dataset, tmp_path, monkeypatch):
    (dataset / REL).write_bytes(ORIGINAL.replace("drought.", "drought (s\u00e9cheresse).").replace("‘baseless’", "'baseless'").encode("latin-1"))
    mended = ORIGINAL.replace("drought.", "drought (s\u00e9cheresse).").replace("‘baseless’", "'baseless'")
    result = edit(dataset, editor(tmp_path, "path.write_text(path.read_bytes().decode('latin-1'), encoding='utf-8')\n"), monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"Saved {REL}" in result.stdout
    assert (dataset / REL).read_text(encoding="utf-8") == mended
    assert recovered(dataset) == []


def test_a_saved_edit_leaves_no_recovery_file(dataset, tmp_path, monkeypatch):
    result = edit(dataset, editor(tmp_path, SAVE_EDITED), monkeypatch)
    assert result.exit_code == 0, result.output
    assert (dataset / REL).read_text(encoding="utf-8") == EDITED
    assert recovered(dataset) == []


def test_a_failing_disk_on_save_keeps_the_edit(dataset, tmp_path, monkeypatch):
    import os

    before = tree_digest(dataset)
    real = os.replace

    def failing(src, dst):
        if str(dst).endswith(REL):
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    result = edit(dataset, editor(tmp_path, SAVE_EDITED), monkeypatch)
    assert result.exit_code == 1, result.output
    line = assert_one_error_line(result.stderr)
    assert f"{REL}: could not write: Input/output error — nothing was changed" in line
    assert kept_in(line).read_text(encoding="utf-8") == EDITED
    assert tree_digest(dataset) == before


def test_ctrl_c_at_the_question_keeps_the_edit(dataset, tmp_path, monkeypatch):
    from claimtrack.cli import writing as cli_writing

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    before = tree_digest(dataset)
    broken = ORIGINAL.replace("by: up-ministry", "by: up-minstry")
    monkeypatch.setattr(cli_writing.Asker, "ask", interrupted)
    result = edit(dataset, editor(tmp_path, f"path.write_text({broken!r}, encoding='utf-8')\n"), monkeypatch)
    assert result.exit_code == 130, result.output
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"claimtrack: error: interrupted — nothing was written to {REL}")
    assert kept_in(last).read_text(encoding="utf-8") == broken
    assert tree_digest(dataset) == before


def test_an_editor_stopped_by_sigint_keeps_the_edit(dataset, tmp_path):
    """A real SIGINT, in a real process: the editor saves, then dies of Ctrl-C."""
    before = tree_digest(dataset)
    ed = editor(tmp_path, SAVE_EDITED + "signal.signal(signal.SIGINT, signal.SIG_DFL)\nos.kill(os.getpid(), signal.SIGINT)\n")
    done = run_claimtrack("edit", "flow/up-denies-cut", "--root", str(dataset), env={"EDITOR": ed, "VISUAL": ""}, cwd=dataset)
    assert done.returncode == 130, done.stderr
    line = assert_one_error_line(done.stderr)
    assert f"the editor was stopped by SIGINT — nothing was written to {REL}" in line
    found = re.search(r"kept in (\S+)$", line)
    assert found and (dataset / found.group(1)).read_text(encoding="utf-8") == EDITED
    assert tree_digest(dataset) == before


def test_ctrl_c_while_the_editor_runs_is_left_to_the_editor(dataset, tmp_path):
    """Ctrl-C reaches claimtrack too (a terminal signals the whole group): it waits for the
    editor, as git does, and the editor that carries on gets its edit saved."""
    ed = editor(tmp_path, SAVE_EDITED + "os.kill(os.getppid(), signal.SIGINT)\n")
    done = run_claimtrack("edit", "flow/up-denies-cut", "--root", str(dataset), env={"EDITOR": ed, "VISUAL": ""}, cwd=dataset)
    assert done.returncode == 0, done.stderr
    assert f"Saved {REL}" in done.stdout.decode()
    assert (dataset / REL).read_text(encoding="utf-8") == EDITED
    assert recovered(dataset) == []


def test_kill_9_of_claimtrack_mid_edit_leaves_the_edit_in_the_recovery_folder(dataset, tmp_path):
    before = tree_digest(dataset)
    ed = editor(tmp_path, SAVE_EDITED + "os.kill(os.getppid(), signal.SIGKILL)\n")
    done = run_claimtrack("edit", "flow/up-denies-cut", "--root", str(dataset), env={"EDITOR": ed, "VISUAL": ""}, cwd=dataset)
    assert done.returncode == -9
    [kept] = recovered(dataset)
    assert kept.read_text(encoding="utf-8") == EDITED
    assert tree_digest(dataset) == before


def test_with_no_writable_recovery_folder_the_edit_is_kept_in_the_temporary_folder(dataset, tmp_path, monkeypatch):
    (dataset / ".claimtrack").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = edit(dataset, editor(tmp_path, SAVE_EDITED + "sys.exit(1)\n"), monkeypatch)
    assert result.exit_code == 1
    line = assert_one_error_line(result.stderr)
    found = re.search(r"a copy of your edit is kept in (\S+)$", line)
    assert found, line
    assert Path(found.group(1)).read_text(encoding="utf-8") == EDITED
    assert Path(found.group(1)).is_relative_to(tmp_path)


def test_each_failed_edit_gets_its_own_recovery_file(dataset, tmp_path, monkeypatch):
    """Two in the same second too (the second name gets -2)."""
    for n in range(2):
        result = edit(dataset, editor(tmp_path, f"path.write_text({EDITED!r} + '# {n}\\n', encoding='utf-8')\nsys.exit(1)\n"), monkeypatch)
        assert result.exit_code == 1
    texts = sorted(p.read_text(encoding="utf-8")[-4:] for p in recovered(dataset))
    assert texts == ["# 0\n", "# 1\n"]

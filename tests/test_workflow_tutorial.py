"""docs/tutorial.md shows real output: its ```console blocks are run in order, in an empty
folder holding the tutorial's two articles (docs/tutorial/), and each block's text must be what
the command prints (NO_COLOR, 100 columns). A command continues on lines ending in `\\`; a block
ending in a line `…` shows only the first lines. The folder's path is shown as /home/you/river.

When the output changes, re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1 and read the diff of
docs/tutorial.md before keeping it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from claimtrack.cli.app import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "tutorial.md"
FIXTURES = ROOT / "docs" / "tutorial"
UPDATE = os.environ.get("CLAIMTRACK_UPDATE_SNAPSHOTS") == "1"
BLOCK = re.compile(r"```console\n\$ (claimtrack (?:[^\n]*\\\n)*[^\n]*)\n(.*?)```\n", re.S)
SHOWN_AS = "/home/you/river"
EXCERPT = 7


def test_the_tutorial_reproduces_its_output(tmp_path, monkeypatch):
    folder = tmp_path / "river"
    folder.mkdir()
    for fixture in FIXTURES.iterdir():
        shutil.copy(fixture, folder / fixture.name)
    monkeypatch.chdir(folder)
    text = DOC.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 15
    new, at = [], 0
    for m in blocks:
        command, shown = m.group(1), m.group(2)
        args = shlex.split(command.replace("\\\n", " "))
        result = runner.invoke(app, args[1:], env={"COLUMNS": "100", "NO_COLOR": "1"})
        assert result.exit_code == 0, (command, result.output)
        actual = "".join(line.rstrip() + "\n" for line in result.output.replace(str(folder), SHOWN_AS).splitlines())
        lines = shown.splitlines(keepends=True)
        if lines and lines[-1] == "…\n":  # an excerpt: its first lines (7 when it is being recorded)
            keep = len(lines) - 1 or EXCERPT
            actual = "".join(actual.splitlines(keepends=True)[:keep]) + "…\n"
        if UPDATE:
            new.append(text[at : m.start(2)] + actual)
            at = m.end(2)
        else:
            assert shown == actual, f"docs/tutorial.md: the output of '{command}' has changed; re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1"
    if UPDATE:
        DOC.write_text("".join(new) + text[at:], encoding="utf-8")

"""docs/reading.md shows real output: each ```console block that starts with `$ claimtrack ...`
is the output of that command on the shipped dataset, at the width its `<!-- columns: N -->`
comment gives (100 by default). A block ending in a line `…` shows only the first lines.

When the output or the shipped dataset changes, re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1 and
read the diff of docs/reading.md before keeping it.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from claimtrack.cli.app import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reading.md"
UPDATE = os.environ.get("CLAIMTRACK_UPDATE_SNAPSHOTS") == "1"
BLOCK = re.compile(r"(?:<!-- columns: (\d+) -->\n)?```console\n\$ ((?:COLUMNS=\d+ )?claimtrack [^\n]*)\n(.*?)```\n", re.S)


def output_of(command: str, width: int) -> str:
    args = shlex.split(command)
    if args[0].startswith("COLUMNS="):
        width = int(args.pop(0).split("=")[1])
    result = runner.invoke(app, [*args[1:], "--root", str(ROOT)], env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, (command, result.output)
    return "".join(line.rstrip() + "\n" for line in result.stdout.splitlines())


def test_the_examples_in_docs_reading_are_real_output():
    text = DOC.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 6
    new, at = [], 0
    for m in blocks:
        width, command, shown = int(m.group(1) or 100), m.group(2), m.group(3)
        actual = output_of(command, width)
        lines = shown.splitlines(keepends=True)
        if lines and lines[-1] == "…\n":  # an excerpt: the first lines only
            actual = "".join(actual.splitlines(keepends=True)[: len(lines) - 1]) + "…\n"
        if UPDATE:
            new.append(text[at : m.start(3)] + actual)
            at = m.end(3)
        else:
            assert shown == actual, f"docs/reading.md: the output of '{command}' has changed; re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1"
    if UPDATE:
        DOC.write_text("".join(new) + text[at:], encoding="utf-8")

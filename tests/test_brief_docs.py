"""docs/brief.md and docs/examples/ show real briefs of the shipped dataset.

- docs/examples/sanctuary.{md,html,json} are `claimtrack brief sanctuary --since 2025-01-01` in
  each format;
- each ```console block of docs/brief.md that starts with `$ claimtrack brief ...` is that
  command's output (run in an empty folder, so that `-o FILE` writes there); a block after
  `<!-- section: NAME -->` shows only the Markdown section `## NAME`.

When the briefs or the shipped dataset change, re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1 and
read the diff before keeping it (the screenshots beside the examples are re-taken by hand).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import UPDATE_SNAPSHOTS, assert_golden

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "brief.md"
EXAMPLES = ROOT / "docs" / "examples"
BLOCK = re.compile(r"(?:<!-- section: ([^>]+?) -->\n)?```console\n\$ (claimtrack brief[^\n]*)\n(.*?)```\n", re.S)


def run(args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--root", str(ROOT)])
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def section(markdown: str, name: str) -> str:
    body = markdown.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
    return body.strip("\n") + "\n"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_example_briefs_are_real_output(fmt):
    actual = run(["brief", "sanctuary", "--since", "2025-01-01", "-f", fmt])
    path = EXAMPLES / f"sanctuary.{fmt}"
    assert_golden(path, actual)


def test_the_examples_in_docs_brief_are_real_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = DOC.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 2
    new, at = [], 0
    for m in blocks:
        name, command, shown = m.group(1), m.group(2), m.group(3)
        actual = run(shlex.split(command)[1:])
        if name:
            actual = section(actual, name)
        if UPDATE_SNAPSHOTS:
            new.append(text[at : m.start(3)] + actual)
            at = m.end(3)
        else:
            assert shown == actual, f"docs/brief.md: the output of '{command}' has changed; re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1"
    if UPDATE_SNAPSHOTS:
        DOC.write_text("".join(new) + text[at:], encoding="utf-8")


def test_the_screenshots_are_small():
    for png in EXAMPLES.glob("*.png"):
        assert png.stat().st_size < 150_000, png.name

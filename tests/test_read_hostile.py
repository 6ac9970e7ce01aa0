"""Hostile text in the data is shown literally and within the width: rich markup stays as typed,
escape sequences and other control characters are shown as visible escapes, a 300-character word
folds instead of being cut, right-to-left and CJK text pass through unchanged."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import ACTORS, CLAIMS, SOURCE_BODIES, copy_dataset, edited, isolated, write_dataset

runner = CliRunner()

MARKUP = "[bold]not bold[/bold] [link=http://example.org]click[/link] :smile:"
LONG = "Ж" * 300
RTL = "قال المتحدث הממשלה אמרה"
CJK = "水坝的流量被切断了"
# In YAML double quotes: ESC sequences (colour, clear screen, window title), a bell, a C1 CSI,
# a right-to-left override.
ESCAPES_YAML = r"\e[31mred\e[0m \e[2J \e]0;pwned\a \x9b2J \u202Eevil"
RAW_ESCAPES = ["\x1b", "\x07", "\x9b", "\u202e"]
STATEMENT_YAML = f"{MARKUP} {ESCAPES_YAML} {LONG} {RTL} {CJK}"
BODY_LINE = f"The spokesperson said {MARKUP} \x1b[31mred\x1b[0m {LONG} {RTL} {CJK} at the dam.\n"

HOSTILE_CLAIM = f'''\
statement: "{STATEMENT_YAML}"
kind: accusation
by: down-spokesman
said_on: 2024-03-04
status: asserted
citations:
  - source: 2024-03-02-daily-river-flow-dispute
    quote: "{MARKUP} \\e[31mred\\e[0m {LONG} {RTL} {CJK}"
    via: "[italic]a TV channel[/italic] \\e[5m"
'''

COMMANDS = [
    ["issues"],
    ["show", "flow"],
    ["show", "flow/hostile"],
    ["timeline", "flow"],
    ["search", "ЖЖЖ*"],
    ["list"],
]


@pytest.fixture(scope="module")
def hostile_once(tmp_path_factory):
    """The hostile dataset, written and checked once for the module."""
    actors = edited(ACTORS, "name: Lena Ortiz", 'name: "[red]Lena[/red] Ortiz \\e[2J"')
    issue = 'title: "[blink]The dam\'s flow[/blink] \\e]0;x\\a"\nquestion: "Did Upstream cut the flow? \\e[2J"\n'
    bodies = dict(SOURCE_BODIES)
    bodies["2024-03-02-daily-river-flow-dispute"] += BODY_LINE
    root = write_dataset(tmp_path_factory.mktemp("hostile") / "ds", claims={**CLAIMS, "flow/hostile": HOSTILE_CLAIM}, actors=actors,
                         issues={"flow": issue}, sources=bodies)
    with isolated(tmp_path_factory):
        check = runner.invoke(app, ["check", "--root", str(root)])
    assert check.exit_code == 0, check.output  # the hostile data is valid data
    return root


@pytest.fixture
def hostile(hostile_once, tmp_path):
    """A copy of the hostile dataset, the test's own."""
    return copy_dataset(hostile_once, tmp_path)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_hostile_text_is_shown_literally_and_within_the_width(hostile, args, width):
    result = runner.invoke(app, [*args, "--root", str(hostile)], env={"COLUMNS": str(width)})
    out = result.stdout
    assert result.exit_code == 0, result.output
    for raw in RAW_ESCAPES:
        assert raw not in out, repr(raw)
    assert [line for line in out.splitlines() if cell_len(line) > width] == []
    if args[0] != "issues":
        shown = out.split("\n", 1)[1] if args[0] == "search" else out  # search's first line repeats the query
        assert "Ж" in shown and shown.count("Ж") % 300 == 0, "the long word was cut"
        assert "\\x1b[31mred\\x1b[0m" in flat(out)
        assert RTL in flat(out) or args[0] == "search"
    if args[0] == "show":
        assert MARKUP in flat(out)
    if args[0] in ("show", "list"):  # (list at 120 wraps the statement inside its column)
        assert "[bold]not bold[/bold]" in flat(out) or "[bold]not" in out
        assert CJK in out


def test_a_claim_in_full_shows_every_hostile_field_escaped(hostile):
    result = runner.invoke(app, ["show", "flow/hostile", "--root", str(hostile)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "[red]Lena[/red] Ortiz \\x1b[2J" in out
    assert "\\x1b]0;pwned\\x07 \\x9b2J \\u202eevil" in out
    assert "via [italic]a TV channel[/italic] \\x1b[5m" in out
    assert "[blink]The dam's flow[/blink] \\x1b]0;x\\x07" in out


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_on_a_colour_terminal_the_only_escape_codes_are_rich_styles(hostile, args):
    env = {"COLUMNS": "100", "FORCE_COLOR": "1", "NO_COLOR": "", "COLORTERM": "truecolor"}
    result = runner.invoke(app, [*args, "--root", str(hostile)], env=env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" in out  # styled
    assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "\x07" not in out and "\x9b" not in out and "\u202e" not in out


def test_json_never_writes_control_characters_raw(hostile):
    for args in (["show", "flow/hostile"], ["list"], ["search", "ЖЖЖ*"], ["show", "flow"], ["timeline", "flow"], ["issues"]):
        result = runner.invoke(app, [*args, "--json", "--root", str(hostile)])
        assert result.exit_code == 0, (args, result.output)
        out = result.stdout
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out), args

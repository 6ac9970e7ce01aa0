"""The conventions git, gh and hledger users expect (issue 15): a pager on a terminal, --root
before the command, usage errors in one line, exit 2 for every unknown value, --json with a
schema_version everywhere, one link object, list newest first, and no broken file left out in
silence. The pager is tried under a real pseudo-terminal, with $PAGER a script that records
what it is given.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import CLAIMS, SOURCE_BODIES, assert_one_error_line, copy_dataset, edited, run_claimtrack, run_in_process, write_dataset

runner = CliRunner()


@pytest.fixture
def dataset(built_dataset, tmp_path) -> Path:
    """The test's own copy of the fixture dataset, its index built once for the module."""
    return copy_dataset(built_dataset, tmp_path)
SRC = str(Path(__file__).resolve().parents[1] / "src")


def on_terminal(args: list[str], env: dict[str, str], rows: int = 12, cols: int = 60) -> tuple[int, str]:
    """Run claimtrack with stdin, stdout and stderr on a pseudo-terminal of rows x cols; return
    its exit status and everything it showed on the terminal."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "CLAIMTRACK_ROOT", "PAGER", "CLAIMTRACK_PAGER")}
    full.update({"PYTHONPATH": SRC, "NO_COLOR": "1", "TERM": "xterm"}, **env)
    proc = subprocess.Popen([sys.executable, "-m", "claimtrack", *args], stdin=slave, stdout=slave, stderr=slave, env=full)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the program has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return proc.wait(timeout=60), shown.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A $PAGER that writes what it reads to a file: (the command, the file)."""
    record = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f"#!/bin/sh\ncat > '{record}'\n")
    script.chmod(0o755)
    return str(script), record


def _long_dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "ds")


# --- the pager -----------------------------------------------------------------------------


def test_output_longer_than_the_screen_goes_through_the_pager(tmp_path, recorder):
    pager, record = recorder
    root = _long_dataset(tmp_path)
    code, shown = on_terminal(["show", "flow", "--root", str(root)], {"PAGER": pager})
    assert code == 0, shown
    paged = record.read_text()
    assert paged.startswith("flow: The dam's flow") and paged.count("\n") > 12
    assert "The dam's flow" not in shown  # the pager had it, not the terminal


def test_claimtrack_pager_wins_over_pager(tmp_path, recorder):
    pager, record = recorder
    root = _long_dataset(tmp_path)
    code, _ = on_terminal(["list", "--root", str(root)], {"PAGER": "false", "CLAIMTRACK_PAGER": pager})
    assert code == 0
    assert "flow/up-denies-cut" in record.read_text()


def test_output_that_fits_the_screen_is_not_paged(tmp_path, recorder):
    pager, record = recorder
    root = _long_dataset(tmp_path)
    code, shown = on_terminal(["issues", "--root", str(root)], {"PAGER": pager}, rows=40)
    assert code == 0
    assert not record.exists()
    assert "flow" in shown


@pytest.mark.parametrize("how", ["after", "before", "empty-variable"])
def test_the_pager_can_be_turned_off(tmp_path, recorder, how):
    pager, record = recorder
    root = _long_dataset(tmp_path)
    args, env = ["timeline", "flow", "--root", str(root)], {"PAGER": pager}
    if how == "after":
        args.append("--no-pager")
    elif how == "before":
        args.insert(0, "--no-pager")
    else:
        env["CLAIMTRACK_PAGER"] = ""
    code, shown = on_terminal(args, env)
    assert code == 0
    assert not record.exists()
    assert "down-accuses-cut" in shown


def test_piped_output_never_goes_through_the_pager(tmp_path, recorder):
    pager, record = recorder
    root = _long_dataset(tmp_path)
    result = run_claimtrack("show", "flow", "--root", str(root), env={"PAGER": pager})
    assert result.returncode == 0
    assert not record.exists()
    assert result.stdout.startswith(b"flow: The dam's flow")


def test_check_and_the_markdown_brief_are_paged_too(tmp_path, recorder):
    pager, record = recorder
    root = _long_dataset(tmp_path)
    code, _ = on_terminal(["brief", "flow", "--root", str(root)], {"PAGER": pager})
    assert code == 0
    assert "Downstream" in record.read_text()
    claims = {**CLAIMS, **{f"flow/extra-{n}": CLAIMS["flow/up-denies-cut"] for n in range(15)}}  # 15 near-duplicates
    many = write_dataset(tmp_path / "many", claims=claims)
    record.unlink()
    code, _ = on_terminal(["check", "--root", str(many)], {"PAGER": pager})
    assert code == 0
    assert record.read_text().count("[possible-duplicate]") >= 15


def test_a_pager_that_quits_early_ends_the_output_quietly(tmp_path):
    code = "from claimtrack.cli.output import emit_text; emit_text('a line of output\\n' * 50000)"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 10, 60, 0, 0))
    env = {**os.environ, "PYTHONPATH": SRC, "PAGER": "true"}
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert shown == b""  # no error line, no traceback, and not the text either: the pager had it


# --- --root before the command ------------------------------------------------------------


def test_root_may_come_before_the_command_like_git_dash_c(dataset):
    for flag in ("--root", "-C"):
        result = runner.invoke(app, [flag, str(dataset), "list", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["total"] == 4


def test_the_command_s_own_root_wins_over_the_one_before_it(dataset, tmp_path):
    result = runner.invoke(app, ["--root", str(tmp_path / "nowhere"), "list", "--root", str(dataset), "--json"])
    assert result.exit_code == 0, result.output


# --- usage errors and exit codes ----------------------------------------------------------


@pytest.mark.parametrize("args", [["list", "--bogus"], ["lst"], ["show"], ["list", "--limit", "many"], ["check", "--format", "xml"]])
def test_usage_errors_are_one_line_and_exit_2(dataset, args):
    result = run_in_process(*args, cwd=dataset)
    assert result.returncode == 2
    line = assert_one_error_line(result.stderr)
    assert line.startswith("claimtrack: error: ")
    assert "--help" in line and "╭" not in line


@pytest.mark.parametrize("option,value", [("--status", "disputd"), ("--kind", "denail"), ("--side", "upstrem"), ("--issue", "flw"), ("--actor", "nobody")])
def test_every_unknown_filter_value_exits_2(dataset, option, value):
    result = runner.invoke(app, ["list", option, value, "--root", str(dataset)])
    assert result.exit_code == 2
    assert result.stderr.startswith("claimtrack: error: ")


def test_an_unknown_id_asked_about_is_still_exit_1(dataset):
    result = runner.invoke(app, ["show", "flw", "--root", str(dataset)])
    assert result.exit_code == 1


def test_the_short_options_mean_one_thing_everywhere():
    """-i is --issue (list, search); add's guided flow is -I (--interactive)."""
    import typer.main

    group = typer.main.get_command(app)
    meaning: dict[str, set[str]] = {}
    for name, command in group.commands.items():
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in param.opts if len(o) == 2 and o.startswith("-")):
                meaning.setdefault(short, set()).update(longs)
    assert {short: longs for short, longs in meaning.items() if len(longs) > 1} == {}


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["issues"], ["show", "flow"], ["show", "flow/down-accuses-cut"], ["timeline", "flow"],
                                  ["search", "flow"], ["list"], ["check"], ["brief", "flow"], ["index"]])
def test_every_json_output_has_a_schema_version(dataset, args):
    result = runner.invoke(app, [*args, "--json", "--root", str(dataset)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] == 1


def test_check_json_is_check_format_json(dataset):
    a = runner.invoke(app, ["check", "--json", "--root", str(dataset)])
    b = runner.invoke(app, ["check", "--format", "json", "--root", str(dataset)])
    assert (a.exit_code, b.exit_code) == (0, 0)
    assert a.stdout == b.stdout


def test_brief_json_is_brief_format_json_and_refuses_another_format(dataset):
    a = runner.invoke(app, ["brief", "flow", "--json", "--root", str(dataset)])
    b = runner.invoke(app, ["brief", "flow", "--format", "json", "--root", str(dataset)])
    assert (a.exit_code, b.exit_code) == (0, 0)
    assert a.stdout == b.stdout
    assert runner.invoke(app, ["brief", "flow", "--json", "--format", "html", "--root", str(dataset)]).exit_code == 2


LINK_FIELDS = {"src", "type", "dst", "basis", "note"}


def test_a_link_is_the_same_object_in_show_and_brief(dataset):
    def out(*args):
        result = runner.invoke(app, [*args, "--json", "--root", str(dataset)])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    issue = out("show", "flow")["links"]
    claim = out("show", "flow/down-accuses-cut")
    brief = [l for c in out("brief", "flow")["claims"] for l in c["links_out"] + c["links_in"]]
    in_claim = [{k: l[k] for k in LINK_FIELDS} for l in claim["links_in"] + claim["links_out"]]
    assert issue and brief and in_claim
    assert all(set(l) == LINK_FIELDS for l in issue + brief)
    assert all(LINK_FIELDS <= set(l) for l in claim["links_in"])
    as_set = lambda links: {json.dumps(l, sort_keys=True) for l in links}
    assert as_set(in_claim) <= as_set(issue) and as_set(in_claim) <= as_set(brief)


# --- list order ---------------------------------------------------------------------------


def test_list_is_newest_first_and_reverse_is_oldest_first(dataset):
    def ids(*extra):
        result = runner.invoke(app, ["list", "--json", "--root", str(dataset), *extra])
        assert result.exit_code == 0
        return [c["said_on"] for c in json.loads(result.stdout)["claims"]]

    newest, oldest = ids(), ids("--reverse")
    assert newest[0] == "2024-05-10" and newest == oldest[::-1]


# --- broken files -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["issues"], ["show", "flow"], ["list"], ["timeline", "flow"], ["search", "flow"]])
def test_a_read_command_says_how_many_files_it_left_out(tmp_path, args):
    claims = {**CLAIMS, "flow/broken": "statement: [unclosed\n", "flow/also-broken": "kind: denial\n"}
    root = write_dataset(tmp_path / "ds", claims=claims)
    result = runner.invoke(app, [*args, "--root", str(root)])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines == ["claimtrack: warning: 2 files with errors left out (claims/flow/also-broken.yaml and 1 more) — run 'claimtrack check' to see why"]


def test_no_word_when_nothing_was_left_out(dataset):
    result = runner.invoke(app, ["list", "--root", str(dataset)])
    assert result.exit_code == 0
    assert result.stderr == ""


# --- shell completion ---------------------------------------------------------------------


def complete(words: str, cwd: Path, root_env: str | None = None) -> tuple[int, list[str]]:
    """What bash completion offers for `words` (the last word being completed), as typer's
    completion script asks for it."""
    env = {"_CLAIMTRACK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = run_in_process(cwd=cwd, env=env)
    return result.returncode, result.stdout.decode().split()


@pytest.fixture
def indexed(dataset):
    assert runner.invoke(app, ["index", "--root", str(dataset)]).exit_code == 0
    return dataset


@pytest.mark.parametrize("words,expected", [
    ("claimtrack show fl", ["flow", "flow/commission-gauges", "flow/down-accuses-cut", "flow/up-counter-canals", "flow/up-denies-cut"]),
    ("claimtrack show flow/up", ["flow/up-counter-canals", "flow/up-denies-cut"]),
    ("claimtrack timeline ", ["flow"]),
    ("claimtrack list --side ", ["upstream", "downstream", "mediator"]),
    ("claimtrack search x --actor up", ["up-ministry"]),
    ("claimtrack similar flow/down", ["flow/down-accuses-cut"]),
    ("claimtrack suggest 2024-03-02", ["2024-03-02-daily-river-flow-dispute"]),
])
def test_completion_offers_ids_from_the_index(indexed, words, expected):
    code, offered = complete(words, indexed)
    assert code == 0
    assert offered == expected


def test_completion_reads_the_root_given_before_the_command(indexed, tmp_path):
    code, offered = complete(f"claimtrack --root {indexed} timeline f", tmp_path)
    assert (code, offered) == (0, ["flow"])


def test_completion_outside_a_dataset_offers_nothing_and_does_not_fail(tmp_path):
    code, offered = complete("claimtrack show f", tmp_path)
    assert (code, offered) == (0, [])


def test_completion_with_a_broken_index_offers_nothing_and_does_not_fail(indexed):
    (indexed / ".claimtrack" / "index.sqlite").write_bytes(b"not a database at all" * 100)
    code, offered = complete("claimtrack show f", indexed)
    assert (code, offered) == (0, [])


def test_completion_can_be_installed_and_shown():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


# --- examples in --help -------------------------------------------------------------------

READ_COMMANDS = ["issues", "show", "timeline", "search", "list", "index", "brief", "browse", "export", "import",
                 "suggest", "similar", "sync", "schema", "init", "check"]


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_every_read_command_s_help_has_examples(command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert result.stdout.count(f"claimtrack ") >= 2


# --- wrapping (every snapshot of tests/snapshots/read/) -----------------------------------

READ_SNAPSHOTS = sorted((Path(__file__).parent / "snapshots" / "read").glob("*-*.txt"))
GUIDES = "│├└─ "


def _ids() -> set[str]:

    ids = set(CLAIMS) | {c.split("/", 1)[1] for c in CLAIMS} | set(SOURCE_BODIES) | {"flow"}
    return ids


@pytest.mark.parametrize("path", READ_SNAPSHOTS, ids=lambda p: p.stem)
def test_snapshot_lines_follow_the_wrapping_rules(path):
    width = int(path.stem.rsplit("-", 1)[1])
    from rich.cells import cell_len

    lines = path.read_text(encoding="utf-8").splitlines()
    ids = _ids()
    for n, line in enumerate(lines, 1):
        body = line.lstrip(GUIDES)
        where = f"{path.name}:{n}: {line!r}"
        assert cell_len(line) <= width, where
        assert line == line.rstrip(), "trailing spaces: " + where
        assert not body.startswith("·"), "a line starts with the separator: " + where
        assert not body.rstrip().endswith(("▸", "◂", "⚑", "✓", "✗")), "a dangling label or mark: " + where
        if n < len(lines):
            nxt = lines[n].lstrip(GUIDES)
            last, first = (body.split() or [""])[-1], (nxt.split() or [""])[0]
            joined = last + first
            if last and first and any(joined in ident for ident in ids):
                assert last.endswith(("/", "-")) and width < 120, f"an id split in the middle: {where} / {lines[n]!r}"


def test_show_issue_sets_the_summary_apart_from_the_question():
    text = (Path(__file__).parent / "snapshots" / "read" / "show-issue-120.txt").read_text(encoding="utf-8")
    assert "minimum?\n\nSummary: Downstream says the flow was cut" in text


def test_a_long_link_label_keeps_its_id_and_breaks_the_id_only_after_a_hyphen():
    from rich.console import Console
    from rich.text import Text

    from claimtrack.views.render import Wrap

    console = Console(width=40, color_system=None, record=True)
    console.print(Wrap(Text("└── supersedes (analyst) ▸ af-proposed-expelling-individuals")))
    assert console.export_text().splitlines() == ["└── supersedes (analyst) ▸ af-proposed-", "expelling-individuals"]


# --- small things -------------------------------------------------------------------------


def test_a_quote_that_starts_with_a_quote_mark_is_not_quoted_twice():
    from claimtrack.views.render import quoted

    assert quoted("“Pakistan had demanded it,” the ministry said.") == "“Pakistan had demanded it,” the ministry said.”"
    assert quoted("“When the Afghan side said so.”") == "“When the Afghan side said so.”"
    assert quoted("the drought alone") == "“the drought alone”"


def test_statuses_differ_at_a_glance_without_colour(tmp_path):
    claims = dict(CLAIMS)
    claims["flow/up-denies-cut"] = edited(claims["flow/up-denies-cut"], "status: asserted", "status: refuted")
    claims["flow/commission-gauges"] = edited(claims["flow/commission-gauges"], "status: asserted", "status: corroborated")
    root = write_dataset(tmp_path / "ds", claims=claims)
    result = runner.invoke(app, ["list", "--root", str(root)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "⚑ disputed" in result.stdout and "✗ refuted" in result.stdout and "✓ corroborated" in result.stdout
    assert "\x1b[" not in result.stdout


def test_piped_lines_have_no_trailing_spaces(dataset):
    result = run_in_process("show", "flow", "--root", str(dataset), env={"COLUMNS": "60"})
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines and [l for l in lines if l != l.rstrip()] == []


@pytest.mark.parametrize("env,colour", [({"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}, False), ({"CLICOLOR_FORCE": "1"}, True),
                                        ({"FORCE_COLOR": "1"}, True), ({}, False)])
def test_colour_is_forced_by_clicolor_force_or_force_color_and_refused_by_no_color(dataset, env, colour):
    clean = {"NO_COLOR": "", "CLICOLOR_FORCE": "", "FORCE_COLOR": "", **env}
    result = run_claimtrack("list", "--root", str(dataset), env=clean)
    assert result.returncode == 0
    assert (b"\x1b[" in result.stdout) is colour


def test_the_progress_bar_console_honours_no_color(monkeypatch):
    from claimtrack.cli.output import make_console

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert make_console(stderr=True).color_system is None

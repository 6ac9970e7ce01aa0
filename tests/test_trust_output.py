"""Output errors end in one line and a status, never a traceback (issue 10, item 12, the output
half). Standard output is one mechanism for every command (`claimtrack.cli.main.main`): a write error
(a full disk, an I/O error, a file too large) is one line on stderr and exit 1; a reader that went
away (EPIPE) is silent, exit 141, as a shell reports git or grep. `brief -o` on a full disk leaves
no partial file, keeps the file it would have replaced, and leaves the index alone.

Every failure here is a real one from the operating system: /dev/full (ENOSPC on every write), a
pipe whose reading end is closed (EPIPE), and RLIMIT_FSIZE set in the child (EFBIG once a file
would grow past the limit, SIGXFSZ ignored) standing in for a disk that fills up mid-write.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from claimtrack.views.brief import build_brief, render_html
from claimtrack.index.refresh import connect, refresh_index
from conftest import assert_one_error_line, copy_dataset, isolated, run_claimtrack, tree_digest, write_dataset

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run_to(stdout, *args: str, file_limit: int | None = None, tmpdir: Path | None = None) -> subprocess.CompletedProcess:
    """Run claimtrack as a process with stdout sent where the test says (a device, a pipe, a
    file), optionally with every file it writes limited to `file_limit` bytes."""
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "COLUMNS": "120", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CLAIMTRACK_ROOT", None)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "claimtrack", *args], stdout=stdout, stderr=subprocess.PIPE, env=env,
                          preexec_fn=limit if file_limit is not None else None, timeout=120)


def closed_pipe():
    """The writing end of a pipe nobody reads any more: every write gets EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


COMMANDS = [  # one of each way a command prints: rich tables and trees, plain text, JSON, a brief, help
    ["list"],
    ["show", "flow/down-accuses-cut"],
    ["issues", "--json"],
    ["timeline", "flow"],
    ["search", "flow"],
    ["brief", "flow"],
    ["brief", "flow", "-f", "html", "-o", "-"],
    ["--help"],
]


@pytest.fixture
def indexed(dataset: Path) -> Path:
    """The fixture dataset with its index built, so a command under test only reads it."""
    refresh_index(dataset)
    return dataset


# Every file a process writes is limited to this many bytes in the full-disk tests: room for
# SQLite's 32 KiB shared-memory file (so the index opens), not for the brief of `big`.
LIMIT = 36_000


@pytest.fixture(scope="module")
def big_once(tmp_path_factory) -> Path:
    """The fixture dataset with one long claim (its brief is well over LIMIT), indexed, once for
    the module."""
    dataset = write_dataset(tmp_path_factory.mktemp("big") / "ds")
    long = "The commission said " + "the gauges were read again, " * 8000 + "and again."
    (dataset / "claims" / "flow" / "long.yaml").write_text(
        f"statement: {long}\nkind: statement\nby: commission\nsaid_on: 2024-05-10\nstatus: asserted\n"
        "citations:\n  - source: 2024-05-10-unknown-commission-report\n    quote: its gauges showed the flow\n",
        encoding="utf-8",
    )
    with isolated(tmp_path_factory):
        refresh_index(dataset)
        assert len(render_html(build_brief(connect(dataset), "flow")).encode("utf-8")) > 2 * LIMIT
    return dataset


@pytest.fixture
def big(big_once: Path, tmp_path: Path) -> Path:
    """A copy of that dataset, its index included, the test's own."""
    return copy_dataset(big_once, tmp_path)


def with_root(args: list[str], root: Path) -> list[str]:
    return args if args == ["--help"] else [*args, "--root", str(root)]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_line_and_exit_1(indexed, args):
    before = tree_digest(indexed)
    with open("/dev/full", "w") as full:
        result = run_to(full, *with_root(args, indexed))
    assert result.returncode == 1
    line = assert_one_error_line(result.stderr)
    assert line.startswith("claimtrack: error: cannot write to standard output: No space left on device — free some space")
    assert tree_digest(indexed) == before


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_reader_that_went_away_ends_the_command_silently_with_141(indexed, args):
    before = tree_digest(indexed)
    pipe = closed_pipe()
    try:
        result = run_to(pipe, *with_root(args, indexed))
    finally:
        os.close(pipe)
    assert result.returncode == 141
    assert result.stderr == b""
    assert tree_digest(indexed) == before


@pytest.mark.parametrize("command", ["show flow/long", "brief flow -f json"])
def test_piped_to_head_1_ends_quietly_with_141(big, command):
    """`claimtrack show X | head -1` as typed in a shell, with more output than a pipe holds
    (64 KiB), so the command is still writing when head has gone."""
    before = tree_digest(big)
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "COLUMNS": "40"}
    shell = f'"{sys.executable}" -m claimtrack {command} --root "{big}" | head -1 >/dev/null; echo "${{PIPESTATUS[0]}}"'
    out = subprocess.run(["bash", "-c", shell], capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out  # the shell's own (its last command's, the echo); claimtrack's is what it echoed
    assert out.stdout.decode().strip() == "141", out
    assert out.stderr == b""
    assert tree_digest(big) == before


def test_a_stdout_file_on_a_full_disk_is_one_line_and_exit_1(big, tmp_path):
    """`claimtrack brief X > brief.html` when the disk fills up while writing it."""
    before = tree_digest(big)
    with open(tmp_path / "brief.html", "w") as out:
        result = run_to(out, "brief", "flow", "-f", "html", "--root", str(big), file_limit=LIMIT)
    assert result.returncode == 1
    assert "cannot write to standard output: File too large" in assert_one_error_line(result.stderr)
    assert tree_digest(big) == before


def test_a_write_command_whose_output_fails_keeps_what_it_saved(indexed):
    """The status change is on disk; the message says the output was lost, not the change."""
    with open("/dev/full", "w") as full:
        result = run_to(full, "status", "flow/up-denies-cut", "disputed", "--note", "The commission's gauges contradict it.",
                        "--root", str(indexed))
    line = assert_one_error_line(result.stderr)
    assert result.returncode == 1
    assert "cannot write to standard output" in line and "anything the command saved to the dataset is saved" in line
    assert "status: disputed" in (indexed / "claims" / "flow" / "up-denies-cut.yaml").read_text(encoding="utf-8")


def test_a_closed_stdout_runs_nothing(indexed):
    """`claimtrack status ... >&-`: with fd 1 closed, the first file the command opened would
    become fd 1 and receive its output; so the command is not run at all."""
    before = tree_digest(indexed)
    index = (indexed / ".claimtrack" / "index.sqlite").read_bytes()
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "claimtrack", "status", "flow/up-denies-cut", "disputed", "--note", "n", "--root", str(indexed)],
                            stderr=subprocess.PIPE, env=env, preexec_fn=lambda: os.close(1), timeout=120)
    assert result.returncode == 1
    assert assert_one_error_line(result.stderr) == "claimtrack: error: standard output is closed — run it with >/dev/null to discard the output"
    assert tree_digest(indexed) == before and (indexed / ".claimtrack" / "index.sqlite").read_bytes() == index


def test_a_closed_stderr_is_no_reason_to_fail(indexed):
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "claimtrack", "list", "--root", str(indexed)], stdout=subprocess.PIPE,
                            env=env, preexec_fn=lambda: os.close(2), timeout=120)
    assert result.returncode == 0
    assert b"Lena Ortiz" in result.stdout


def test_a_terminal_that_hung_up_is_one_line_and_exit_1(indexed):
    """EIO: the terminal's other end is gone (a closed ssh session, a killed terminal window)."""
    import pty

    master, slave = pty.openpty()
    os.close(master)
    try:
        result = run_to(slave, "list", "--root", str(indexed))
    finally:
        os.close(slave)
    assert result.returncode == 1
    assert "cannot write to standard output: Input/output error" in assert_one_error_line(result.stderr)


# --- brief -o on a full disk ------------------------------------------------------------------


def brief_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_brief_o_on_a_full_disk_writes_nothing_and_keeps_the_index(big, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    warm = run_to(subprocess.DEVNULL, "brief", "flow", "-f", "html", "--root", str(big), tmpdir=tmpdir)  # templates compiled
    assert warm.returncode == 0
    index = big / ".claimtrack" / "index.sqlite"
    before, index_before = tree_digest(big), index.read_bytes()
    result = run_to(subprocess.DEVNULL, "brief", "flow", "-f", "html", "-o", str(out / "flow.html"), "--root", str(big),
                    file_limit=LIMIT, tmpdir=tmpdir)
    assert result.returncode == 1
    line = assert_one_error_line(result.stderr)
    assert line == f"claimtrack: error: cannot write {out / 'flow.html'}: File too large — nothing was written; free some space, or choose another -o path"
    assert brief_files(out) == []  # no partial file, no temporary file left behind
    assert tree_digest(big) == before and index.read_bytes() == index_before


def test_brief_o_on_a_full_disk_keeps_the_file_it_would_replace(big, tmp_path):
    old = tmp_path / "flow.html"
    old.write_text("last week's brief\n")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    assert run_to(subprocess.DEVNULL, "brief", "flow", "-f", "html", "--root", str(big), tmpdir=tmpdir).returncode == 0
    result = run_to(subprocess.DEVNULL, "brief", "flow", "-o", str(old), "--root", str(big), file_limit=LIMIT, tmpdir=tmpdir)
    assert result.returncode == 1
    assert "File too large — nothing was written" in assert_one_error_line(result.stderr)
    assert old.read_text() == "last week's brief\n"
    assert brief_files(tmp_path) == ["ds", "flow.html", "tmp"]


def test_brief_all_on_a_full_disk_says_which_file_failed(big, tmp_path):
    out = tmp_path / "out"
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    assert run_to(subprocess.DEVNULL, "brief", "flow", "-f", "html", "--root", str(big), tmpdir=tmpdir).returncode == 0
    assert run_to(subprocess.DEVNULL, "brief", "--all", "-f", "html", "-o", str(tmp_path / "warm"), "--root", str(big), tmpdir=tmpdir).returncode == 0
    result = run_to(subprocess.DEVNULL, "brief", "--all", "-f", "html", "-o", str(out), "--root", str(big), file_limit=LIMIT, tmpdir=tmpdir)
    assert result.returncode == 1
    line = assert_one_error_line(result.stderr)
    assert "File too large — the briefs written before it are whole" in line
    assert not [n for n in brief_files(out) if n.endswith(".tmp")]


def test_brief_o_dev_full_is_refused_as_a_device(big):
    before = tree_digest(big)
    result = run_claimtrack("brief", "flow", "-o", "/dev/full", "--root", str(big))
    assert result.returncode == 2
    assert "it is a character device, not a regular file" in assert_one_error_line(result.stderr)
    assert Path("/dev/full").is_char_device()
    assert tree_digest(big) == before


def test_the_template_cache_on_a_full_disk_is_no_cache(big, tmp_path):
    """Compiled templates that cannot be saved (the temp folder is full) are compiled each time:
    the brief is still written, with no error."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    result = run_to(subprocess.PIPE, "brief", "flow", "-f", "html", "--root", str(big), file_limit=LIMIT, tmpdir=tmpdir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout.startswith(b"<!DOCTYPE html>")


def test_a_full_disk_while_opening_the_index_does_not_delete_it(indexed):
    index = indexed / ".claimtrack" / "index.sqlite"
    size = index.stat().st_size
    result = run_to(subprocess.DEVNULL, "brief", "flow", "--root", str(indexed), file_limit=4096)
    assert result.returncode == 1  # no room for SQLite's shared-memory file: the index cannot be opened
    assert "the index cannot be used" in assert_one_error_line(result.stderr)
    assert index.stat().st_size == size

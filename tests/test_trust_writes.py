"""Writes under hostile conditions (issue 10, items 7, 8 and the write half of 12).

A disk that fails mid-write leaves the dataset as it was, with one line on stderr; a write that
happened is never reported as a failure; a rewrite keeps the bytes the user chose (BOM, CRLF,
document markers). Disk failures are real OS failures: a process whose file-size limit
(RLIMIT_FSIZE) is too small for the file, and, where this machine lets us mount one, a tmpfs
that is full.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import (
    ACTORS,
    CLAIMS,
    assert_one_error_line,
    run_in_process,
    tree_digest,
    write_dataset,
)
from typer.testing import CliRunner

from claimtrack.edit import transaction
from claimtrack.cli.app import app
from claimtrack.edit.inputs import Cite, ClaimDraft, NewActor, NewIssue
from claimtrack.edit.ops import add_claim
from claimtrack.edit.transaction import WriteFailed, committed
from claimtrack.edit.yamlout import actors_with

runner = CliRunner()

REPORT = "2024-05-10-unknown-commission-report"
ADD = ["add", "--issue", "flow", "--by", "down-spokesman", "--kind", "statement", "--said-on", "2024-05",
       "--statement", "Downstream's spokesperson said the shortfall was smaller than first feared.",
       "--cite", REPORT, "--quote", "smaller than first feared"]
SOURCE_TEXT = "A new report on the river.\n\n" + "The gauges were read again in April and the readings agreed.\n" * 40

# Each write command, and the file it would write (a new file for add and source add).
COMMANDS = {
    "add": (ADD, "claims/flow/downstreams-spokesperson-shortfall-smaller-first-d755.yaml"),  # the statement's words + a hash of who said what, when
    "status": (["status", "flow/up-denies-cut", "disputed", "--note", "The gauges contradict it.", "--on", "2024-05-10"], "claims/flow/up-denies-cut.yaml"),
    "link": (["link", "flow/commission-gauges", "rebuts", "flow/up-denies-cut"], "claims/flow/commission-gauges.yaml"),
    "unlink": (["unlink", "flow/up-denies-cut", "rebuts", "flow/down-accuses-cut"], "claims/flow/up-denies-cut.yaml"),
    "source add": (["source", "add", "SOURCE", "--title", "Gauges read again", "--outlet", "Daily River", "--published", "2024-04"],
                   "sources/2024-04-daily-river-gauges-read-again.md"),
}


def leftovers(root: Path) -> list[str]:
    """Temporary files a write left beside the dataset's files."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp") if ".claimtrack" not in p.parts)


def command(name: str, root: Path, tmp_path: Path) -> list[str]:
    args, _ = COMMANDS[name]
    if name == "source add":
        source = tmp_path / "report.txt"
        source.write_text(SOURCE_TEXT, encoding="utf-8")
        args = [str(source) if a == "SOURCE" else a for a in args]
    return [*args, "--root", str(root)]


def run_with_file_size_limit(args: list[str], limit: int, cwd: Path) -> subprocess.CompletedProcess:
    """claimtrack in a process that may not write a file past `limit` bytes: a write past it
    fails with EFBIG, as a full disk fails with ENOSPC (SIGXFSZ is ignored, so the write
    returns the error instead of killing the process)."""

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src, "NO_COLOR": "1", "COLUMNS": "120", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CLAIMTRACK_ROOT", None)
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], cwd=cwd, env=env, preexec_fn=limited,
                          capture_output=True, timeout=120, check=False)


# ------------------------------------------------------------------- a disk that fails (item 12)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_file_the_disk_refuses_leaves_the_dataset_as_it_was(dataset, tmp_path, name):
    before = tree_digest(dataset)
    done = run_with_file_size_limit(command(name, dataset, tmp_path), 64, tmp_path)
    assert done.returncode == 1, done.stderr
    line = assert_one_error_line(done.stderr)
    assert f"{COMMANDS[name][1]}: could not write: File too large — nothing was changed" in line
    assert tree_digest(dataset) == before
    assert leftovers(dataset) == []


def test_a_new_issue_folder_is_not_left_behind_when_the_claim_cannot_be_written(dataset, monkeypatch):
    before = tree_digest(dataset)
    draft = ClaimDraft(issue="gauges", by="commission", kind="statement", said_on="2024-05",
                       statement="The River Commission said its gauges showed the flow at 92 percent.",
                       citations=[Cite(REPORT, "its gauges showed the flow at 92 percent of the treaty minimum")],
                       new_issue=NewIssue("gauges", "The gauges", "Are the commission's gauges right?"))
    real = transaction.stage_atomic

    def full_on_the_claim(path, data):
        if path.name != "_issue.yaml":
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(transaction, "stage_atomic", full_on_the_claim)
    with pytest.raises(WriteFailed, match="No space left on device — nothing was changed"):
        add_claim(dataset, draft)
    assert tree_digest(dataset) == before
    assert not (dataset / "claims/gauges").exists()


def test_a_rollback_that_fails_names_the_file_it_could_not_put_back(dataset, monkeypatch):
    """The second rename fails, and so does putting the first file back: the message must not
    claim that nothing changed."""
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) >= 2:
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    draft = ClaimDraft(issue="gauges", by="commission", kind="statement", said_on="2024-05",
                       statement="The River Commission said its gauges showed the flow at 92 percent.",
                       citations=[Cite(REPORT, "its gauges showed the flow at 92 percent of the treaty minimum")],
                       new_issue=NewIssue("gauges", "The gauges", "Are the commission's gauges right?"))
    with pytest.raises(WriteFailed) as caught:
        add_claim(dataset, draft)
    assert caught.value.not_restored == []  # the first file was new: removing it needs no rename
    monkeypatch.setattr(os, "replace", real)

    calls.clear()
    monkeypatch.setattr(os, "replace", failing)
    actor = NewActor("gauge-office", "Gauge office", "mediator")
    with pytest.raises(WriteFailed) as caught:
        add_claim(dataset, ClaimDraft(**{**draft.__dict__, "by": "", "new_issue": None, "issue": "flow", "new_actor": actor}))
    assert caught.value.not_restored == ["claims/actors.yaml"]
    assert "only partly undone: claims/actors.yaml could not be put back" in str(caught.value)


def test_the_write_lock_that_cannot_be_taken_is_one_line(dataset, tmp_path):
    (dataset / ".claimtrack").write_text("not a folder\n", encoding="utf-8")
    before = tree_digest(dataset)
    done = run_in_process(*command("status", dataset, tmp_path), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    line = assert_one_error_line(done.stderr)
    assert ".claimtrack/write.lock: could not take the write lock" in line
    assert tree_digest(dataset) == before


def test_text_that_cannot_be_stored_as_utf8_is_refused_before_anything_is_written(dataset):
    """A lone surrogate (what an undecodable byte in an argument becomes) is refused, located,
    and never written."""
    from claimtrack.problems import ClaimtrackError

    before = tree_digest(dataset)
    draft = ClaimDraft(issue="flow", by="commission", kind="statement", said_on="2024-05",
                       statement="The River Commission said \udcff its gauges showed the flow at 92 percent.",
                       citations=[Cite(REPORT, "its gauges showed the flow at 92 percent of the treaty minimum")])
    with pytest.raises(ClaimtrackError, match="claims/flow/river-commission-gauges-showed-flow-92-0d79.yaml"):
        add_claim(dataset, draft)
    assert tree_digest(dataset) == before


# A tmpfs that is full: a real ENOSPC. Mounting needs root (CAP_SYS_ADMIN); elsewhere skipped.


@pytest.fixture
def full_disk(tmp_path):
    """A dataset on a 1 MB tmpfs, and `fill()` to leave only `free` bytes on it."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode(errors='replace').strip()}")
    try:
        root = write_dataset(mount / "ds")

        def fill(free: int = 0) -> Path:
            filler = mount / "filler"
            filler.unlink(missing_ok=True)
            with open(filler, "wb", buffering=0) as fh:
                try:
                    while True:
                        fh.write(b"\0" * 4096)
                except OSError:
                    pass
            if free:
                with open(filler, "r+b") as fh:
                    fh.truncate(max(0, filler.stat().st_size - free))
            return root

        yield fill
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_full_disk_leaves_the_dataset_as_it_was(full_disk, tmp_path, name):
    root = full_disk()
    before = tree_digest(root)
    done = run_in_process(*command(name, root, tmp_path), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    line = assert_one_error_line(done.stderr)
    assert "could not write: No space left on device — nothing was changed; free some disk space" in line
    assert tree_digest(root) == before
    assert leftovers(root) == []


# ------------------------------------------- a write that succeeded never reports failure (item 7)


def test_an_index_that_cannot_be_refreshed_after_add_is_a_warning_and_exit_0(dataset, tmp_path):
    """Room for the claim (about 700 bytes) but not for the index (SQLite pages are 4 KB)."""
    done = run_with_file_size_limit([*ADD, "--root", str(dataset)], 3000, tmp_path)
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    rel = COMMANDS["add"][1]
    [line] = stderr.splitlines()
    assert line.startswith(f"claimtrack: warning: written: {rel}; the index could not be refreshed ("), line
    assert line.endswith(") — it will be rebuilt on the next read"), line
    assert f"Wrote {rel}" in done.stdout.decode()
    assert (dataset / rel).is_file()
    checked = run_in_process("check", "--root", str(dataset), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    shown = run_in_process("show", rel[len("claims/"):-len(".yaml")], "--root", str(dataset), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "smaller than first feared" in shown.stdout.decode()


def test_an_index_error_after_add_through_the_cli_runner_is_a_warning(dataset, monkeypatch):
    import sqlite3

    import claimtrack.index.refresh

    def broken(root, progress=None):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(claimtrack.index.refresh, "refresh_index", broken)
    result = runner.invoke(app, [*ADD, "--root", str(dataset)])
    assert result.exit_code == 0, result.output
    rel = COMMANDS["add"][1]
    assert result.stderr.splitlines() == [
        (f"claimtrack: warning: written: {rel}; the index could not be refreshed (DatabaseError: database disk image is malformed)"
         " — it will be rebuilt on the next read")]
    assert (dataset / rel).is_file()


def test_ctrl_c_after_the_write_says_what_was_written_and_exits_0(dataset, monkeypatch):
    import claimtrack.index.refresh

    def interrupted(root, progress=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(claimtrack.index.refresh, "refresh_index", interrupted)
    result = runner.invoke(app, [*ADD, "--root", str(dataset)])
    rel = COMMANDS["add"][1]
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"claimtrack: warning: interrupted after the write — written: {rel}; the index is refreshed on the next read"]
    assert "nothing was written" not in result.output
    assert (dataset / rel).is_file()


def test_ctrl_c_before_the_write_says_nothing_was_written(dataset, monkeypatch):
    import claimtrack.check

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    before = tree_digest(dataset)
    monkeypatch.setattr(claimtrack.check, "run_checks", interrupted)
    result = runner.invoke(app, [*ADD, "--root", str(dataset)])
    assert result.exit_code == 130, result.output
    assert assert_one_error_line(result.stderr) == "claimtrack: error: interrupted — nothing was written"
    assert tree_digest(dataset) == before


def test_a_real_sigint_while_files_go_in_place_waits_until_they_all_are(dataset, monkeypatch):
    """SIGINT arrives as the first of two files is staged: both land, then the interrupt is
    raised, and the record of committed files names both."""
    real = transaction.stage_atomic
    sent = []

    def stage_and_interrupt(path, data):
        if not sent:
            sent.append(path)
            os.kill(os.getpid(), signal.SIGINT)
        return real(path, data)

    monkeypatch.setattr(transaction, "stage_atomic", stage_and_interrupt)
    mark = len(committed())
    draft = ClaimDraft(issue="gauges", by="commission", kind="statement", said_on="2024-05",
                       statement="The River Commission said its gauges showed the flow at 92 percent.",
                       citations=[Cite(REPORT, "its gauges showed the flow at 92 percent of the treaty minimum")],
                       new_issue=NewIssue("gauges", "The gauges", "Are the commission's gauges right?"), name="gauges-92")
    with pytest.raises(KeyboardInterrupt):
        add_claim(dataset, draft)
    assert committed()[mark:] == ["claims/gauges/_issue.yaml", "claims/gauges/gauges-92.yaml"]
    assert (dataset / "claims/gauges/gauges-92.yaml").is_file()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# --------------------------------------------------- rewrites keep the user's bytes (item 8)

DENIAL = textwrap.dedent(CLAIMS["flow/up-denies-cut"])
STYLES = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t,
    "markers": lambda t: "---\n" + t + "...\n",
    "everything": lambda t: ("\ufeff%YAML 1.2\n--- # the denial\n" + t + "...\n# checked\n").replace("\n", "\r\n"),
    "no final newline": lambda t: t.rstrip("\n"),
}
REWRITES = {
    "status": ["status", "flow/up-denies-cut", "disputed", "--note", "The gauges contradict it.", "--on", "2024-05-10"],
    "link": ["link", "flow/up-denies-cut", "supports", "flow/up-counter-canals"],
    "unlink": ["unlink", "flow/up-denies-cut", "rebuts", "flow/down-accuses-cut"],
}


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("name", list(REWRITES))
def test_a_rewrite_keeps_line_endings_bom_and_markers(tmp_path, style, name):
    """The same command on a plain LF file and on the styled one: the styled result is the plain
    result with the same style, byte for byte."""
    plain = write_dataset(tmp_path / "plain")
    styled = write_dataset(tmp_path / "styled", claims={**CLAIMS, "flow/up-denies-cut": ""})
    (styled / "claims/flow/up-denies-cut.yaml").write_bytes(STYLES[style](DENIAL).encode("utf-8"))
    others = {k: v for k, v in tree_digest(styled).items() if k != "claims/flow/up-denies-cut.yaml"}
    for root in (plain, styled):
        result = runner.invoke(app, [*REWRITES[name], "--root", str(root)])
        assert result.exit_code == 0, result.output
    expected = STYLES[style]((plain / "claims/flow/up-denies-cut.yaml").read_text(encoding="utf-8"))
    assert (styled / "claims/flow/up-denies-cut.yaml").read_bytes() == expected.encode("utf-8")
    assert {k: v for k, v in tree_digest(styled).items() if k != "claims/flow/up-denies-cut.yaml"} == others
    checked = runner.invoke(app, ["check", "--root", str(styled)])
    assert checked.exit_code == 0, checked.output


def test_a_new_actor_keeps_the_actors_files_crlf_and_bom():
    styled = "\ufeff" + ACTORS.replace("\n", "\r\n")
    out = actors_with(styled, NewActor("gauge-office", "Gauge office", "mediator"))
    assert out.startswith("\ufeffsides:\r\n")
    assert "\n" not in out.replace("\r\n", "")
    assert out.endswith("  - id: gauge-office\r\n    name: Gauge office\r\n    side: mediator\r\n")


def test_a_full_disk_then_a_retry_makes_one_claim_not_two(dataset, tmp_path):
    """The script's view of item 7: an add that reports failure wrote nothing, so retrying it
    after space is freed gives one claim; an add that wrote exits 0, so it is not retried."""
    first = run_with_file_size_limit([*ADD, "--root", str(dataset)], 64, tmp_path)
    assert first.returncode == 1
    second = run_with_file_size_limit([*ADD, "--root", str(dataset)], 3000, tmp_path)
    assert second.returncode == 0, second.stderr
    made = sorted(p.name for p in (dataset / "claims/flow").glob("downstreams-spokesperson-*.yaml"))
    assert made == ["downstreams-spokesperson-shortfall-smaller-first-d755.yaml"]
    shutil.rmtree(dataset / ".claimtrack", ignore_errors=True)

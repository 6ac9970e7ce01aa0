"""A first build parses its files in worker processes. Where a worker dies (killed by the
kernel's out-of-memory killer, say), the build stops with one located error (the index's path, what happened, what to do) instead of waiting for the
dead worker's results for ever, and leaves no index behind: the next read builds one whole."""

from __future__ import annotations

import os
import pytest

from claimtrack.index import build
from claimtrack.index.location import IndexUnusable
from claimtrack.index.refresh import index_path, refresh_index
from conftest import run_in_process, write_dataset


def dying_job(job):
    """A worker that dies on its first job, as one killed from outside would."""
    os._exit(9)


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="the workers see the test's stand-in only when forked")
def test_a_build_whose_worker_dies_stops_with_an_error_and_leaves_no_index(tmp_path, monkeypatch):
    root = write_dataset(tmp_path / "ds")
    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    monkeypatch.setattr(build, "_parse_job", dying_job)

    with pytest.raises(IndexUnusable) as failed:
        refresh_index(root)

    assert str(failed.value).startswith(f"{index_path(root)}: a process parsing the files died")
    assert str(failed.value).endswith("— the index was not updated; run the command again")
    target = index_path(root)
    assert not target.with_name(target.name + ".new").exists()
    monkeypatch.undo()
    result = run_in_process("list", cwd=root)
    assert result.returncode == 0, result.stderr
    assert b"down-accuses-cut" in result.stdout


def failing_job(job):
    """A worker whose job raises, as a bug in the parser would."""
    raise ValueError(f"cannot parse {job[3]}")


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="the workers see the test's stand-in only when forked")
def test_an_exception_in_a_workers_job_is_raised_by_the_build_and_leaves_no_index(tmp_path, monkeypatch):
    root = write_dataset(tmp_path / "ds")
    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    monkeypatch.setattr(build, "_parse_job", failing_job)

    with pytest.raises(ValueError, match="^cannot parse "):
        refresh_index(root)

    target = index_path(root)
    assert not target.with_name(target.name + ".new").exists()


SLOW_BUILD = """
import os, sys, time
from pathlib import Path
from claimtrack.index import build

real = build._parse_job

def slow_job(job):
    with open(os.path.join(sys.argv[2], str(os.getpid())), "w"):
        pass  # this worker's pid, for the test
    time.sleep(0.2)
    return real(job)

build.PARALLEL_FROM = 2
build._parse_job = slow_job
from claimtrack.index.refresh import refresh_index
refresh_index(Path(sys.argv[1]))
"""


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="forked workers only")
def test_the_workers_of_a_build_whose_process_is_killed_exit_and_the_next_read_builds_the_index(tmp_path):
    """A killed build's workers must not live on: they hold what they inherited, the index's
    refresh lock among them, and every later read would wait for it."""
    import signal
    import subprocess
    import sys
    import time

    root = write_dataset(tmp_path / "ds")
    pids = tmp_path / "pids"
    pids.mkdir()
    build_process = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(root), str(pids)])
    deadline = time.monotonic() + 60
    while not os.listdir(pids):  # a worker is in its first job
        assert time.monotonic() < deadline and build_process.poll() is None, "the build ended before its workers began"
        time.sleep(0.02)

    def parent_of(pid: str) -> int | None:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                return int(fh.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            return None

    workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and parent_of(p) == build_process.pid]
    os.kill(build_process.pid, signal.SIGKILL)
    build_process.wait()

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    assert len(workers) == 2
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers left running: {[p for p in workers if alive(p)]}"
        time.sleep(0.05)
    result = run_in_process("list", cwd=root)
    assert result.returncode == 0, result.stderr
    assert b"down-accuses-cut" in result.stdout

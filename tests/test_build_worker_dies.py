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

"""`claimtrack watch` says it is alive as soon as its notifications have started and its first
walk is done, not after its first heartbeat: a file named like a read's cookie (a dot-file, no
part of the dataset) is made and removed in claims/ until the first batch of events comes, and
none is left behind. Where claims/ cannot be written, the heartbeat's empty batch starts it, as
before. The watchers run in a thread of the test; a heartbeat far longer than the test's wait
shows which of the two started it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from claimtrack import watch as watching
from claimtrack.index.refresh import refresh_index
from conftest import write_dataset

pytest.importorskip("watchfiles")


def start(root: Path) -> tuple[threading.Event, threading.Event, threading.Thread]:
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watching.watch, args=(root,), kwargs={"stop_event": stop, "on_ready": ready.set}, daemon=True)
    thread.start()
    return stop, ready, thread


def test_the_watcher_is_ready_before_its_first_heartbeat_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(watching, "HEARTBEAT_S", 600.0)
    root = write_dataset(tmp_path / "ds")
    refresh_index(root)
    stop, ready, thread = start(root)

    started = ready.wait(60)
    stop.set()
    thread.join(60)

    assert started and not thread.is_alive()
    assert [name for name in os.listdir(root / "claims") if name.startswith(".")] == []


def test_a_watcher_that_cannot_write_claims_starts_on_its_heartbeat(tmp_path, monkeypatch):
    """As where claims/ is read-only (the tests run as root, who may write anyway: the nudge's
    write is refused here instead)."""
    monkeypatch.setattr(watching, "HEARTBEAT_S", 0.1)
    root = write_dataset(tmp_path / "ds")
    refresh_index(root)

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "touch", refused)
    stop, ready, thread = start(root)
    started = ready.wait(60)
    stop.set()
    thread.join(60)

    assert started and not thread.is_alive()

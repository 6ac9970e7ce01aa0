"""`claimtrack watch`: while it runs, a read trusts the index without a stat walk, and is right;
when it is gone (stopped, killed, its heartbeat stale), a read checks the files as before.

The watcher runs in a thread of the test (its pid is the test's: alive) or, to be killed, as a
real process. Every read asserts both whether the watcher vouched and what the index holds.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from claimtrack import watch as watching
from claimtrack.index import index_path, refresh_index
from conftest import CLAIMS, edited, run_claimtrack, write_dataset

pytest.importorskip("watchfiles")
CLAIM = "flow/down-accuses-cut"
NEW_CLAIM = """\
statement: Upstream's ministry said the gauges were recalibrated in April.
kind: denial
by: up-ministry
said_on: 2024-04-02
status: asserted
citations:
  - source: 2024-03-02-daily-river-flow-dispute
    quote: "deliberately cut the flow below the treaty minimum"
"""


def statements(root: Path) -> dict[str, str]:
    conn = sqlite3.connect(index_path(root))
    try:
        return dict(conn.execute("SELECT id, statement FROM claims"))
    finally:
        conn.close()


def wait_until(predicate, timeout: float = 30.0) -> None:
    """Poll for a condition (the watcher starting or stopping); fail after `timeout`, never time anything."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.02)


@pytest.fixture
def watched(tmp_path):
    """A dataset with a watcher running in a thread of this process, ready."""
    root = write_dataset(tmp_path / "ds")
    refresh_index(root)
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watching.watch, args=(root,), kwargs={"stop_event": stop, "on_ready": ready.set}, daemon=True)
    thread.start()
    assert ready.wait(30)
    yield root
    stop.set()
    thread.join(30)


def claim_path(root: Path, claim_id: str) -> Path:
    issue, name = claim_id.split("/")
    return root / "claims" / issue / f"{name}.yaml"


def test_a_new_claim_is_read_through_the_watcher(watched):
    claim_path(watched, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
    report = refresh_index(watched)
    assert report.vouched is True
    assert statements(watched)["flow/up-recalibrated"].startswith("Upstream's ministry said the gauges")


def test_an_in_place_edit_is_read_through_the_watcher(watched):
    path = claim_path(watched, CLAIM)
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as fh:  # the same inode, as editors that write in place do
        fh.write(edited(text, "Downstream's spokesperson said", "Downstream's spokesperson SAID", 1))
    report = refresh_index(watched)
    assert report.vouched is True
    assert "spokesperson SAID" in statements(watched)[CLAIM]


def test_a_deleted_claim_is_gone_through_the_watcher(watched):
    claim_path(watched, CLAIM).unlink()
    report = refresh_index(watched)
    assert report.vouched is True
    assert CLAIM not in statements(watched)


def test_a_renamed_claim_moves_through_the_watcher(watched):
    claim_path(watched, CLAIM).rename(claim_path(watched, "flow/renamed"))
    report = refresh_index(watched)
    assert report.vouched is True
    held = statements(watched)
    assert CLAIM not in held and "flow/renamed" in held


def test_the_watcher_records_its_last_event(watched):
    claim_path(watched, CLAIM).unlink()
    assert refresh_index(watched).vouched is True
    conn = sqlite3.connect(index_path(watched))
    try:
        last = conn.execute("SELECT value FROM meta WHERE key = 'watch:last_event'").fetchone()[0]
    finally:
        conn.close()
    assert last.endswith(str(claim_path(watched, CLAIM)))


def test_without_a_watcher_a_read_walks_the_files(tmp_path):
    root = write_dataset(tmp_path / "ds")
    refresh_index(root)
    claim_path(root, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
    report = refresh_index(root)
    assert (report.vouched, report.parsed) == (False, ["claims/flow/up-recalibrated.yaml"])


def test_a_stale_heartbeat_is_not_trusted(tmp_path):
    root = write_dataset(tmp_path / "ds")
    refresh_index(root)
    conn = sqlite3.connect(index_path(root))
    old = str(time.time() - 10 * watching.STALE_S)
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     [("watch:pid", str(os.getpid())), ("watch:boot", watching._boot_id()), ("watch:heartbeat", old)])
    conn.commit()
    conn.close()
    claim_path(root, CLAIM).unlink()
    report = refresh_index(root)
    assert (report.vouched, report.removed) == (False, [f"claims/{CLAIM}.yaml"])


def test_a_stopped_watcher_says_so_in_the_index(tmp_path):
    root = write_dataset(tmp_path / "ds")
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watching.watch, args=(root,), kwargs={"stop_event": stop, "on_ready": ready.set}, daemon=True)
    thread.start()
    assert ready.wait(30)
    stop.set()
    thread.join(30)
    assert not thread.is_alive()
    assert refresh_index(root).vouched is False


def test_a_killed_watcher_is_not_trusted_and_the_next_read_is_right(tmp_path):
    root = write_dataset(tmp_path / "ds")
    src = str(Path(__file__).resolve().parents[1] / "src")
    proc = subprocess.Popen([sys.executable, "-m", "claimtrack", "watch", "--root", str(root)], stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": src}, text=True)
    try:
        assert "watching" in proc.stderr.readline()  # ready: it says so once the index is fresh
        claim_path(root, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
        assert refresh_index(root).vouched is True  # alive, it vouches
        proc.send_signal(signal.SIGKILL)  # killed mid-way: no clean exit, its heartbeat is still in the index
        assert proc.wait(30) == -signal.SIGKILL
        claim_path(root, CLAIM).write_text(textwrap_claim("Downstream's spokesperson said it twice."), encoding="utf-8")
        shown = run_claimtrack("show", CLAIM, "--root", str(root))
        assert shown.returncode == 0, shown.stderr
        assert b"said it twice" in shown.stdout
        assert refresh_index(root).vouched is False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_watch_stops_cleanly_on_sigterm(tmp_path):
    root = write_dataset(tmp_path / "ds")
    src = str(Path(__file__).resolve().parents[1] / "src")
    proc = subprocess.Popen([sys.executable, "-m", "claimtrack", "watch", "--root", str(root)], stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": src}, text=True)
    try:
        assert "watching" in proc.stderr.readline()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert refresh_index(root).vouched is False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def textwrap_claim(statement: str) -> str:
    import textwrap

    return edited(textwrap.dedent(CLAIMS[CLAIM]), "Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum.", statement, 1)


def test_the_file_system_type_is_known_here(tmp_path):
    assert watching.file_system_type(tmp_path)  # Linux: from /proc/self/mountinfo


def test_the_watcher_refuses_a_network_file_system(tmp_path, monkeypatch):
    root = write_dataset(tmp_path / "ds")
    monkeypatch.setattr(watching, "file_system_type", lambda path: "nfs4")
    with pytest.raises(watching.NoNotifications, match="nfs4 file system"):
        watching.watch(root)
    assert refresh_index(root).vouched is False

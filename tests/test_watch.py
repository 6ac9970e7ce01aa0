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
from claimtrack.index.refresh import folder_digests, index_path, manifest, rebuild_index, refresh_index, scan_files, stamp_of
from conftest import CLAIMS, ISSUE, edited, replace_once, run_claimtrack, write_dataset

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


@pytest.fixture(autouse=True)
def quick_heartbeat(monkeypatch):
    """The watchers in this process beat every 0.1 s instead of every second, so that a batch
    comes at least that often (a watcher whose start-up nudge cannot write waits one heartbeat
    for its first; test_watch_start.py holds both ways). A read's own limits (STALE_S,
    COOKIE_WAIT_S) are unchanged, and the watchers run as real processes keep the shipped
    heartbeat."""
    monkeypatch.setattr(watching, "HEARTBEAT_S", 0.1)


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


class Watcher:
    """A watcher running in a thread of this process, and the reports of its refreshes."""

    def __init__(self, root: Path):
        self.root = root
        self.reports: list = []  # (paths, RefreshReport) of each batch of events
        self.stop, ready = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=watching.watch, args=(root,), daemon=True, kwargs={
            "stop_event": self.stop, "on_ready": ready.set, "on_change": lambda paths, report: self.reports.append((paths, report))})
        self.thread.start()
        assert ready.wait(30)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()

    def walked(self) -> bool:
        """Whether any refresh since the watcher started walked every file instead of stat-ing only
        the paths its events named."""
        return any(not report.targeted for _, report in self.reports)


@pytest.fixture
def watcher(tmp_path):
    """A dataset with a watcher running in a thread of this process, ready."""
    root = write_dataset(tmp_path / "ds")
    refresh_index(root)
    w = Watcher(root)
    yield w
    w.close()


@pytest.fixture
def watched(watcher):
    return watcher.root


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


@pytest.mark.slow
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


@pytest.mark.slow
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


# ------------------------------------------------- the watcher refreshes only what its events name


def index_content(root: Path) -> dict[str, list]:
    """Everything the index holds about the dataset, in an order that does not depend on how it
    was written (full-text rows by what they index, not by rowid), with the folder digests and the
    manifest; the watcher's own keys left out."""
    conn = sqlite3.connect(index_path(root))
    try:
        out = {}
        for table in ("actors", "sides", "issues", "claims", "links", "citations", "status_changes", "sources", "files"):
            out[table] = sorted(map(repr, conn.execute(f"SELECT * FROM {table}")))
        out["fts"] = sorted(map(repr, conn.execute("SELECT r.ref, r.kind, f.* FROM fulltext_rows r JOIN fts f ON f.rowid = r.fts_rowid")))
        out["meta"] = sorted(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'dir:%' OR key = 'manifest'"))
    finally:
        conn.close()
    return out


def assert_as_built(root: Path) -> None:
    """The index the watcher kept is the one a build from nothing makes of the files now."""
    kept = index_content(root)
    rebuild_index(root)
    assert kept == index_content(root)


def test_a_new_claim_is_refreshed_alone(watcher):
    claim_path(watcher.root, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
    assert refresh_index(watcher.root).vouched is True
    assert {p for _, r in watcher.reports for p in r.parsed} == {"claims/flow/up-recalibrated.yaml"}  # one batch or two
    assert not watcher.walked()
    watcher.close()
    assert_as_built(watcher.root)


def test_an_in_place_edit_is_refreshed_alone(watcher):
    path = claim_path(watcher.root, CLAIM)
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as fh:  # the same inode
        fh.write(edited(text, "Downstream's spokesperson said", "Downstream's spokesperson SAID", 1))
    assert refresh_index(watcher.root).vouched is True
    assert "spokesperson SAID" in statements(watcher.root)[CLAIM]
    assert not watcher.walked()
    watcher.close()
    assert_as_built(watcher.root)


def test_a_delete_and_a_rename_are_refreshed_alone(watcher):
    claim_path(watcher.root, CLAIM).unlink()
    claim_path(watcher.root, "flow/up-denies-cut").rename(claim_path(watcher.root, "flow/up-denies-it"))
    assert refresh_index(watcher.root).vouched is True
    held = statements(watcher.root)
    assert CLAIM not in held and "flow/up-denies-cut" not in held and "flow/up-denies-it" in held
    assert not watcher.walked()
    watcher.close()
    assert_as_built(watcher.root)


def test_a_changed_source_is_refreshed_alone(watcher):
    path = watcher.root / "sources" / "2024-05-10-unknown-commission-report.md"
    replace_once(path, "92 percent", "93 percent")
    assert refresh_index(watcher.root).vouched is True
    assert {p for _, r in watcher.reports for p in r.parsed} == {"sources/2024-05-10-unknown-commission-report.md"}
    assert not watcher.walked()
    watcher.close()
    assert_as_built(watcher.root)  # the source's row, and its sha256 problem, as a build finds them


def test_the_actors_and_an_issue_file_are_refreshed_alone(watcher):
    actors = watcher.root / "claims" / "actors.yaml"
    replace_once(actors, "name: Lena Ortiz", "name: Lena M. Ortiz")
    issue = watcher.root / "claims" / "flow" / "_issue.yaml"
    issue.write_text(edited(ISSUE, "title: The dam's flow", "title: The dam's river flow"), encoding="utf-8")
    assert refresh_index(watcher.root).vouched is True
    assert {p for _, r in watcher.reports for p in r.parsed} == {"claims/actors.yaml", "claims/flow/_issue.yaml"}
    assert not watcher.walked()
    watcher.close()
    assert_as_built(watcher.root)


def test_a_new_issue_folder_with_its_files_is_refreshed_alone(watcher):
    folder = watcher.root / "claims" / "gauges"
    folder.mkdir()
    (folder / "_issue.yaml").write_text("title: The gauges\nquestion: Were the gauges right?\n", encoding="utf-8")
    (folder / "up-recalibrated.yaml").write_text(NEW_CLAIM, encoding="utf-8")
    assert refresh_index(watcher.root).vouched is True
    assert "gauges/up-recalibrated" in statements(watcher.root)
    assert not watcher.walked()
    watcher.close()
    assert_as_built(watcher.root)


def test_a_removed_and_a_renamed_issue_folder_are_refreshed_alone(tmp_path):
    root = write_dataset(tmp_path / "ds", issues={"flow": ISSUE, "spare": ISSUE},
                         claims={**CLAIMS, "spare/up-recalibrated": NEW_CLAIM})
    refresh_index(root)
    watcher = Watcher(root)
    try:
        import shutil

        shutil.rmtree(root / "claims" / "spare")
        (root / "claims" / "flow").rename(root / "claims" / "river")
        assert refresh_index(root).vouched is True
        held = statements(root)
        assert sorted(held) == sorted(c.replace("flow/", "river/") for c in CLAIMS)
        assert not watcher.walked()
    finally:
        watcher.close()
    assert_as_built(root)


def test_after_the_watcher_a_read_without_it_finds_nothing_to_do(watcher):
    claim_path(watcher.root, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
    claim_path(watcher.root, CLAIM).unlink()
    assert refresh_index(watcher.root).vouched is True
    watcher.close()
    report = refresh_index(watcher.root)  # the stat walk: the folder digests the watcher left match the files
    assert (report.vouched, report.parsed, report.removed, report.restamped) == (False, [], [], [])


def test_a_symbolic_link_makes_the_watcher_walk(watcher):
    (watcher.root / "claims" / "flow" / "linked.yaml").symlink_to(claim_path(watcher.root, CLAIM))
    assert refresh_index(watcher.root).vouched is True
    assert watcher.walked()  # a change to the link's target would be notified under the target's name only
    assert "flow/linked" in statements(watcher.root)
    watcher.close()
    assert_as_built(watcher.root)


def test_a_batch_larger_than_the_limit_is_walked(watcher, monkeypatch):
    monkeypatch.setattr(watching, "TARGETED_MAX", 0)  # every batch is larger: however the events are batched
    claim_path(watcher.root, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
    claim_path(watcher.root, CLAIM).unlink()
    assert refresh_index(watcher.root).vouched is True
    assert watcher.walked()
    held = statements(watcher.root)
    assert "flow/up-recalibrated" in held and CLAIM not in held


def test_one_path_is_stamped_as_the_walk_stamps_it(tmp_path):
    root = write_dataset(tmp_path / "ds")
    (root / "claims" / "flow" / "notes.txt").write_text("not a claim\n", encoding="utf-8")
    (root / "claims" / "flow" / ".hidden.yaml").write_text(NEW_CLAIM, encoding="utf-8")
    (root / "claims" / ".drafts").mkdir()
    (root / "claims" / ".drafts" / "a.yaml").write_text(NEW_CLAIM, encoding="utf-8")
    (root / "claims" / "stray.yaml").write_text(NEW_CLAIM, encoding="utf-8")
    (root / "claims" / "flow" / "folder.yaml").mkdir()
    (root / "sources" / "draft.txt").write_text("no\n", encoding="utf-8")
    walked = {s[2]: s for s in scan_files(root)}
    every = [str(p.relative_to(root)).replace(os.sep, "/") for top in ("claims", "sources") for p in (root / top).rglob("*")]
    assert {rel: stamp_of(root, rel) for rel in every if stamp_of(root, rel)} == walked
    assert len(walked) == 2 + len(CLAIMS) + 2  # actors, the issue, the claims, the sources


def test_the_folder_digests_are_the_walks(watcher):
    claim_path(watcher.root, "flow/up-recalibrated").write_text(NEW_CLAIM, encoding="utf-8")
    assert refresh_index(watcher.root).vouched is True
    folders = folder_digests(scan_files(watcher.root))
    conn = sqlite3.connect(index_path(watcher.root))
    try:
        kept = dict(conn.execute("SELECT substr(key, 5), value FROM meta WHERE key LIKE 'dir:%'"))
        kept_manifest = conn.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()[0]
    finally:
        conn.close()
    assert (kept, kept_manifest) == (folders, manifest(folders))

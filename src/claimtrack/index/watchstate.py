"""The watcher's state in the index: its pid, boot, heartbeat and the cookies it has seen, and
the question a read asks before it trusts the index without a stat walk (watcher_vouches).
Stdlib only, below the index: the freshness check (index.py) asks it; the watcher (watch.py),
which refreshes the index, writes it."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from .location import index_path

HEARTBEAT_S = 1.0  # how often the watcher says it is alive
STALE_S = 5.0  # a heartbeat older than this: the watcher is taken for dead
COOKIE_WAIT_S = 1.0  # how long a read waits for the watcher to see its cookie
COOKIE_PREFIX = ".claimtrack-cookie-"
POLL_S = 0.004  # the longest pause between two looks for the cookie: the watcher lists it 5-15 ms after it is made


def _boot_id() -> str:
    """The machine's boot id (Linux), so a pid recorded before a reboot is never taken as alive."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def _meta(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'watch:%'").fetchall())
    finally:
        conn.close()


def watcher_alive(meta: dict[str, str]) -> bool:
    """Whether the watcher recorded in `meta` still runs and has beaten recently."""
    try:
        pid, beat = int(meta["watch:pid"]), float(meta["watch:heartbeat"])
    except (KeyError, ValueError):
        return False
    return meta.get("watch:boot", "") == _boot_id() and time.time() - beat < STALE_S and _alive(pid)


def watcher_vouches(root: Path, db: Path) -> bool:
    """True when a live watcher has seen every change made before this call (the cookie round
    trip above); False means: do the stat walk. Never raises on a missing or broken index."""
    try:
        meta = _meta(db)
    except sqlite3.Error:
        return False
    if not watcher_alive(meta):
        return False
    cookie = root / "claims" / f"{COOKIE_PREFIX}{time.time_ns()}-{os.getpid()}"
    try:
        cookie.touch()
    except OSError:
        return False
    try:
        deadline = time.monotonic() + COOKIE_WAIT_S
        pause = 0.001
        while True:
            try:
                meta = _meta(db)
            except sqlite3.Error:
                return False
            if cookie.name in meta.get("watch:cookies", "").split("\n") and watcher_alive(meta):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, POLL_S)
    finally:
        try:
            cookie.unlink()
        except OSError:
            pass


def _record(root: Path, values: dict[str, str]) -> None:
    """Write the watcher's state. No sync to disk (WAL, synchronous=NORMAL): the state is only
    good while the watcher runs, and a crash that loses it leaves a read to walk, never to trust."""
    conn = sqlite3.connect(index_path(root), timeout=30)
    try:
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items()))
        conn.commit()
    finally:
        conn.close()


def stop_recording(root: Path) -> None:
    """Say in the index that no watcher runs (on a clean exit), so reads stat-walk at once."""

    try:
        conn = sqlite3.connect(index_path(root), timeout=30)
        try:
            conn.execute("DELETE FROM meta WHERE key IN ('watch:pid', 'watch:heartbeat', 'watch:cookies')")
            conn.commit()
        finally:
            conn.close()
    except sqlite3.Error:
        pass


# File systems whose changes may come from another machine or kernel, which sends no notification here.

"""`claimtrack watch`: keep the index fresh as files change, so that a read need not stat them all.

The freshness check stats every file of the dataset before each read: at 100,000 claims that
alone is 0.3–0.7 s. A watcher follows `claims/` and `sources/` with watchfiles (the operating
system's own notifications: inotify on Linux) and refreshes the index when a file changes; a read
then trusts the index without the stat walk, but only when it can prove the watcher has seen
every change made before the read began:

1. The watcher records in the index (table meta) its pid, the machine's boot id and a heartbeat
   it renews every second (`watch:pid`, `watch:boot`, `watch:heartbeat`), and its last event.
2. A read that finds a live watcher (same boot, the pid running, a heartbeat under STALE_S old)
   writes a *cookie*: an empty dot-file in `claims/` (as git's fsmonitor does). The
   notifications of one folder tree arrive in order, so when the watcher has seen the cookie it
   has seen, and applied, every change made before it; it then lists the cookie's name
   (`watch:cookies`), and the read trusts the index once its own cookie is listed.
3. Anything else falls back to the stat walk (index.refresh_index): no watcher, a dead one, a
   stale heartbeat, a cookie not seen within COOKIE_WAIT_S (a file system without notifications,
   a network file system, a watcher busy with a large change), a `claims/` that cannot be written.

The watcher refuses to start on a network file system (NETWORK_FS): there a change made on
another machine sends no notification, while the local cookie still would.

What the watcher cannot see is in docs/performance.md (limits).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

from .problems import ClaimtrackError

from .index.watchstate import (  # noqa: F401  (the watcher's state; re-exported for callers and tests)
    COOKIE_PREFIX,
    COOKIE_WAIT_S,
    HEARTBEAT_S,
    STALE_S,
    _alive,
    _boot_id,
    _meta,
    _record,
    stop_recording,
    watcher_alive,
    watcher_vouches,
)


NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "virtiofs",
              "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "davfs", "fuse.davfs2", "vboxsf", "prl_fs"}


def file_system_type(path: Path) -> str | None:
    """The type of the file system holding `path` (Linux: /proc/self/mountinfo), or None elsewhere."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
            mounts = fh.read().splitlines()
    except OSError:
        return None
    target, best, kind = str(path.resolve()), "", None
    for line in mounts:
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        point = fields[4].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, line.split(" - ", 1)[1].split()[0]
    return kind


class NoNotifications(ClaimtrackError):
    """The dataset is on a file system whose changes the watcher may not be told of."""


TARGETED_MAX = 1000  # paths in one batch refreshed one by one; more (a checkout, a copy) are walked


def links_in(root: Path) -> bool:
    """Whether any entry the walk meets is a symbolic link: a change to a link's target is
    notified under the target's name, so with a link in the dataset every refresh walks."""
    for top in ("claims", "sources"):
        try:
            with os.scandir(root / top) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        return True
                    if top == "claims" and not entry.name.startswith(".") and entry.is_dir():
                        with os.scandir(entry.path) as inner:
                            if any(f.is_symlink() for f in inner):
                                return True
        except OSError:
            continue
    return False


def relative(root_names: list[tuple[str, str]], path: str) -> str | None:
    """`claims/...` or `sources/...` for an event's path, or None for a path outside them."""
    for prefix, top in root_names:
        if path == prefix or path.startswith(prefix + os.sep):
            return top + path[len(prefix):].replace(os.sep, "/")
    return None


def watch(root: Path, on_change: Callable[[list[str], object], None] | None = None, stop_event=None,
          on_ready: Callable[[], None] | None = None) -> None:
    """Follow the dataset until stop_event is set (or Ctrl-C), refreshing the index on every change.

    The notifications start first; then the index is refreshed with a stat walk, and only then
    does the watcher say it is alive (on_ready is called), so no change falls between the two.
    After that, a batch of events refreshes only the paths it names (index.refresh.refresh_paths):
    what the stat walk would find changed is exactly what the events name, as long as none was
    lost. Whenever the watcher cannot vouch for that, it walks: a batch of more than TARGETED_MAX
    paths (a mass change, which is also when the kernel's queue can overflow: watchfiles does not
    report an overflow), a path it cannot take one by one (a symbolic link, a watched folder
    itself), an index the targeted refresh cannot use.
    `on_change(paths, report)` is told what changed and what the refresh did."""
    kind = file_system_type(root)
    if kind in NETWORK_FS:
        raise NoNotifications(f"{root} is on a {kind} file system, whose changes made elsewhere send no notification "
                              "here — reads check the files themselves; run the watcher only on a local file system")
    import sqlite3

    import watchfiles

    from .index.refresh import NeedsWalk, refresh_index, refresh_paths

    folders = [str(root / "claims"), str(root / "sources")]
    names = [(folders[0], "claims"), (folders[1], "sources")]  # how an event's path may begin
    names += [(str(Path(f).resolve()), t) for f, t in names if str(Path(f).resolve()) != f]
    base = {"watch:pid": str(os.getpid()), "watch:boot": _boot_id(), "watch:started": str(time.time())}
    seen: dict[str, float] = {}  # cookie names seen lately, with when
    ready = False
    links = True  # until the first walk has looked

    def walk():
        nonlocal links
        links = links_in(root)
        return refresh_index(root, trust_watcher=False)

    started = threading.Event()
    threading.Thread(target=_nudge, args=(root / "claims", started), name="claimtrack-watch-nudge", daemon=True).start()
    try:
        # rust_timeout: an empty batch at least every HEARTBEAT_S, for the heartbeat (and, if the
        # nudge could not write, the first one after the notifications have started, when the
        # initial refresh runs).
        for changes in watchfiles.watch(*folders, debounce=20, step=5, rust_timeout=int(HEARTBEAT_S * 1000),
                                        yield_on_timeout=True, stop_event=stop_event, raise_interrupt=False,
                                        ignore_permission_denied=True, watch_filter=None):
            now = time.time()
            for change, path in changes:
                name = os.path.basename(path)
                if name.startswith(COOKIE_PREFIX) and change == watchfiles.Change.added:
                    seen[name] = now
            real = sorted({p for _, p in changes if not os.path.basename(p).startswith(COOKIE_PREFIX)})
            values = dict(base)
            if not ready:
                started.set()
                walk()
                from .index import build  # noqa: F401  (the parser's imports, paid now rather than on the first change)
            elif real:
                rels = [relative(names, p) for p in real]
                report = None
                if not links and len(rels) <= TARGETED_MAX and None not in rels:
                    try:
                        report = refresh_paths(root, rels)
                    except (NeedsWalk, sqlite3.DatabaseError, OSError):
                        report = None
                if report is None:
                    report = walk()
                values["watch:last_event"] = f"{now}\t{len(real)} paths\t{real[0]}"
                if on_change:
                    on_change(real, report)
            for name in [n for n, t in seen.items() if now - t > 2 * COOKIE_WAIT_S]:
                del seen[name]
            # every change before these cookies is in the index now
            values["watch:cookies"] = "\n".join(sorted(seen))
            values["watch:heartbeat"] = str(time.time())
            _record(root, values)
            if not ready:
                ready = True
                if on_ready:
                    on_ready()
    finally:
        started.set()
        stop_recording(root)


def _nudge(folder: Path, started: "threading.Event") -> None:
    """Make the watcher's first batch come as soon as its notifications are live, rather than
    after its first heartbeat (HEARTBEAT_S): a file named like a cookie (a dot-file, no part of
    the dataset) is made and removed in `folder` every 20 ms until the watcher has a batch. Any
    batch proves the notifications have started, so the first walk still comes after them. Where
    the folder cannot be written, the heartbeat's batch starts it, as before."""
    n = 0
    while not started.wait(0.02):
        path = folder / f"{COOKIE_PREFIX}start-{os.getpid()}-{n}"
        try:
            path.touch()
            path.unlink()
        except OSError:
            return
        n += 1

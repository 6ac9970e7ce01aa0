"""Run whole processes and measure them: wall-clock time, peak memory, exit code, output.

bench.py starts this module once, as a small process of its own, and sends it one JSON request a
line ({"argv", "cwd", "env"}); it answers one JSON line each. Why a separate process: on Linux a
child's ru_maxrss (from wait4) includes the high-water mark of the memory it was forked from, so a
benchmark process that has grown (generating a dataset, say) would inflate every figure. Forked
from this small process instead, ru_maxrss is the child's own peak.

Peak memory is the larger of ru_maxrss (the process, or the largest of its reaped children) and the
sum over its process tree of each process's VmHWM, sampled every 20 ms, so that pool workers count
(pages shared after fork count in each: this errs high).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time

KIB = 1024


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(argv: list[str], cwd: str | None = None, env: dict | None = None) -> dict:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        hwm: dict[int, int] = {}  # pid -> its highest VmHWM seen
        done = threading.Event()

        def sample() -> None:
            if not os.path.exists(f"/proc/{proc.pid}"):
                return
            while True:
                for p in _tree(proc.pid):
                    hwm[p] = max(hwm.get(p, 0), _hwm_kib(p))
                if done.wait(0.02):
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        maxrss_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // KIB
        # the direct child's VmHWM before exec would be this process's: only count what follows exec
        peak_kib = max(maxrss_kib, sum(hwm.values()))
        return {
            "seconds": seconds,
            "cpu_s": usage.ru_utime + usage.ru_stime,  # the process and the children it waited for
            "peak_mib": peak_kib / KIB,
            "code": os.waitstatus_to_exitcode(status),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def serve() -> None:
    for line in sys.stdin:
        req = json.loads(line)
        try:
            res = run(req["argv"], req.get("cwd"), req.get("env"))
        except OSError as exc:
            res = {"seconds": 0.0, "peak_mib": 0.0, "code": 127, "stdout": "", "stderr": f"cannot run {req['argv'][0]}: {exc}"}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()

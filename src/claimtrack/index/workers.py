"""Parsing a large change in forked worker processes, whose results are read by this process's
one thread, in the order of the jobs.

Why not multiprocessing.Pool or concurrent.futures: both read the results in a second thread of
this process, and this process is the one that sets the pace of a first build (it inserts every
row into SQLite). The two threads took turns at the GIL on every row inserted: at 100,000 claims
the reading thread used 3.8 s of CPU for what costs 0.4 s alone, and the build waited for it.
(Pool's thread that looks after its workers also spins while results wait to be read.)

How: the workers are forked once, before the first phase, so they inherit the first phase's
jobs (nothing is sent to them) while this process is still small (a worker's resident memory
starts as a copy of its parent's). Worker w takes every n-th chunk of jobs, beginning with the
w-th, and sends each chunk's results through its own pipe; this process reads chunk k from
worker k mod n, so the results come in job order (the rows, the full-text row ids, are what a
single process would write) and a worker that is ahead waits on its full pipe instead of
filling memory. A later phase's jobs depend on the earlier results (the quotes of the claims
parsed before a source): they go to each worker in one message, which the worker reads whole
before it works, so neither side waits on the other's full pipe.

A worker that dies (killed, out of memory) is seen as its pipe closing: WorkerDied. An exception
in a job is sent back and raised here.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from typing import Any, Callable, Iterator

_DONE = "done"
PIPE_BYTES = 1 << 20  # of results a worker may send ahead of the reading (_widen)


class WorkerDied(Exception):
    """A worker process ended before it sent all its results."""


class _Failed:
    """An exception raised in a worker: the exception itself when it can be pickled, else its text."""

    def __init__(self, exc: BaseException):
        self.text = "".join(traceback.format_exception(exc))
        try:
            import pickle

            pickle.dumps(exc)
            self.exc: BaseException | None = exc
        except Exception:
            self.exc = None

    def raise_it(self):
        if self.exc is not None:
            raise self.exc
        raise RuntimeError(f"a worker failed:\n{self.text}")


def _chunks(jobs: list, size: int) -> list[list]:
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


def _work(run: Callable[[Any], Any], first: list[list], tasks, results, others: list) -> None:
    """A worker: its chunks of the first phase, then each later phase's chunks as they come.

    It first closes the pipe ends it inherited from this process (its own pipes' other ends, and
    the earlier workers' pipes), so that each pipe has one reader and one writer: when this process's parent dies (killed), the worker's next read of a task
    ends (EOFError) and its next send fails (BrokenPipeError), and it exits, where it would
    otherwise wait for ever, holding what it inherited (the index's refresh lock among them)."""
    for conn in others:
        conn.close()
    try:
        phase = first
        while True:
            for chunk in phase:
                results.send([run(job) for job in chunk])
            phase = tasks.recv()
            if phase == _DONE:
                return
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # this process went away, or Ctrl-C: nothing to tell
    except BaseException as exc:
        try:
            results.send(_Failed(exc))
        except (BrokenPipeError, OSError):
            pass


class ForkedWorkers:
    """`n` forked processes that run `run` on each job of each phase (see the module's docstring).
    Use as a context manager: leaving it stops the workers, whatever happened."""

    def __init__(self, run: Callable[[Any], Any], n: int, first_jobs: list, chunk: int):
        self.n = n
        ctx = multiprocessing.get_context("fork")
        chunks = _chunks(first_jobs, chunk)
        self._pending = len(chunks)
        self._tasks, self._results, self._procs = [], [], []
        for w in range(n):
            task_r, task_w = ctx.Pipe(duplex=False)
            result_r, result_w = ctx.Pipe(duplex=False)
            _widen(result_w)
            # this process's ends, of this worker's pipes and of the earlier workers'
            others = [task_w, result_r, *self._tasks, *self._results]
            proc = ctx.Process(target=_work, args=(run, chunks[w::n], task_r, result_w, others), daemon=True)
            proc.start()
            task_r.close()
            result_w.close()
            self._tasks.append(task_w)
            self._results.append(result_r)
            self._procs.append(proc)

    def results(self) -> Iterator[Any]:
        """The current phase's results, one job's at a time, in the order of its jobs."""
        pending, self._pending = self._pending, 0
        for k in range(pending):
            try:
                batch = self._results[k % self.n].recv()
            except EOFError:
                raise WorkerDied(f"worker {k % self.n} ended before sending its results") from None
            if isinstance(batch, _Failed):
                batch.raise_it()
            yield from batch

    def next_phase(self, jobs: list, chunk: int) -> None:
        """Give the workers the next phase's jobs (after every result of this one was read)."""
        chunks = _chunks(jobs, chunk)
        self._pending = len(chunks)
        for w in range(self.n):
            self._tasks[w].send(chunks[w :: self.n])

    def __enter__(self) -> "ForkedWorkers":
        return self

    def __exit__(self, *exc_info) -> None:
        for task in self._tasks:
            try:
                task.send(_DONE)
            except (BrokenPipeError, OSError):
                pass
            task.close()
        for proc in self._procs:
            proc.join(timeout=0 if exc_info[0] is not None else 30)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for result in self._results:
            result.close()


def _widen(conn) -> None:
    """Let a worker run ahead of this process by about a megabyte of results (a pipe holds 64 KB,
    about one chunk's, by default): while this process inserts a batch of rows, a tenth of a
    second at a time, the workers go on instead of waiting on a full pipe. Linux only; elsewhere
    the pipe keeps its size."""
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError):
        pass  # the system's pipe-max-size is lower, or not Linux: the default size


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and hasattr(os, "fork")

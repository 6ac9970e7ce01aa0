"""`claimtrack watch`: keep the index fresh as files change (see claimtrack.watch for why and how)."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import RootOption, app, guarded, resolve_root


@app.command()
def watch(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    root: RootOption = None,
) -> None:
    """Keep the index fresh as files change, so that reads skip the check of every file (Ctrl-C to stop).

    Runs in the foreground. While it runs, a read asks it (through the index) whether it has seen
    every change, and skips the stat of every file when it has; a read that cannot be sure, or
    finds no watcher, checks the files as always. See docs/performance.md for what it cannot see.
    """
    where = resolve_root(root)
    import signal
    import threading

    from ..watch import watch as follow

    stop = threading.Event()  # SIGTERM stops it as cleanly as Ctrl-C: the index then says no watcher runs
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def ready() -> None:
        if not quiet:
            typer.echo(f"watching {where / 'claims'} and {where / 'sources'} (Ctrl-C to stop)", err=True)

    def changed(paths: list[str], report) -> None:
        if not quiet:
            typer.echo(f"{len(paths)} changed: {len(report.parsed)} parsed, {len(report.removed)} removed", err=True)

    guarded(lambda: follow(where, on_change=changed, on_ready=ready, stop_event=stop))

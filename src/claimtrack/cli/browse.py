"""`claimtrack browse`: the interactive browser. Textual is imported inside the command only, so
that `claimtrack --help` and every other command start as fast as before."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .app import RootOption, app, fail, guarded, resolve_root

from .reading import fresh_index

from .output import on_terminal
from .complete import complete_ref


@app.command()
def browse(
    ref: Annotated[Optional[str], typer.Argument(metavar="[ISSUE|CLAIM]", help="Open on this issue's threads, or on this claim (ISSUE/NAME).", show_default=False, autocompletion=complete_ref)] = None,
    root: RootOption = None,
) -> None:
    """Browse issues, threads, claims and their sources interactively (press ? for the keys).

    Read-only. Issues → threads → a claim in full → the whole source; t for the timeline, / to
    search, F for filters, b/f for back and forward, q to quit.

    Examples:

      claimtrack browse

      claimtrack browse sanctuary

      claimtrack browse sanctuary/pk-denies-afghan-accusations
    """
    where = resolve_root(root)
    conn = fresh_index(where)
    if ref is not None:
        from ..index import queries as q

        guarded(lambda: q.resolve_ref(conn, ref))
    conn.close()
    if not (on_terminal(sys.stdin) and on_terminal()):
        fail("browse needs a terminal — to read in a pipe or a file, use 'claimtrack show', 'timeline' or 'search'", 2)
    from ..browse.app import run

    guarded(lambda: run(where, ref))

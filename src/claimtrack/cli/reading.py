"""What a reading command reads: the local index, refreshed first (with a progress bar on a
terminal), or a team's PostgreSQL index; and the one line about files left out for errors."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .app import guarded, resolve_root, warn
from .output import with_progress




def fresh_index(root: Path):
    """Refresh the index (with a progress bar on a terminal for long work) and open it."""
    from ..index.refresh import connect, refresh_index

    def run():
        with_progress("Indexing", lambda update: refresh_index(root, progress=update))
        return connect(root)

    return guarded(run)


def read_index(root: Optional[Path], database: Optional[str], report: bool = True):
    """What a reading command reads: the team's database when one is named (psycopg imported
    only then), else the local dataset's index, refreshed. With `report`, one line on stderr
    when files were left out for their errors (see `report_left_out`)."""
    if not database:
        conn = fresh_index(resolve_root(root))
        if report:
            report_left_out(conn)
        return conn
    from ..teamdb.reads import connect

    return guarded(lambda: connect(database))


def files_left_out(conn) -> list[str]:
    """The files the index holds no record of because they have an error (a claim, source,
    issue or actors file that does not load), in path order. Files with only warnings are in."""
    import json

    out = []
    for path, problems in conn.execute("SELECT path, problems FROM files WHERE problems != '[]' ORDER BY path"):
        try:
            if any(p.get("severity") == "error" for p in json.loads(problems)):
                out.append(path)
        except (ValueError, AttributeError, TypeError):
            out.append(path)
    return out


def report_left_out(conn) -> None:
    """Say, in one line on stderr, how many files a read left out for their errors and what to
    run: a broken file never vanishes silently from show, list, timeline, search or issues."""
    left = files_left_out(conn)
    if left:
        n = len(left)
        more = f" and {n - 1} more" if n > 1 else ""
        warn(f"{n} file{'s' * (n != 1)} with errors left out ({left[0]}{more}) — run 'claimtrack check' to see why")

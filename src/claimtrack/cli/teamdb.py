"""The team command `sync`: the local index into a shared PostgreSQL database, which the reading
commands then read with `--database` (cli.DatabaseOption, cli.read_index).

psycopg and SQLAlchemy are imported only when a database URL is used (claimtrack.teamdb).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .app import RootOption, app, fail, guarded, resolve_root

from .output import with_progress

ENV = "CLAIMTRACK_DATABASE"


@app.command()
def sync(
    url: Annotated[
        Optional[str],
        typer.Argument(metavar="postgresql://USER@HOST/DB", envvar=ENV, help=f"The database (default: ${ENV}). A password is best kept in ~/.pgpass or $PGPASSWORD, not in the URL.", show_default=False),
    ] = None,
    root: RootOption = None,
) -> None:
    """Copy the dataset's index into a team's PostgreSQL database: what changed, in one transaction.

    Only the files whose content changed since the last sync are copied, and deleted files are
    deleted from the database too. The files stay the truth: the database can be dropped and
    synced again. Two syncs at once (from two clones) run one after the other. Then
    'claimtrack show ISSUE --database URL' and any SQL tool read it (docs/teams.md).

    Examples:

      claimtrack sync postgresql://analyst@db.example.org/claims

      CLAIMTRACK_DATABASE=postgresql://analyst@db.example.org/claims claimtrack sync && claimtrack issues
    """

    from ..teamdb.sync import sync as run

    if not url:
        fail(f"which database? Give postgresql://USER@HOST/DB or set ${ENV}", 2)
    where = resolve_root(root)
    report = guarded(lambda: with_progress("Indexing", lambda update: run(where, url, update)))
    if report.with_problems:
        n = len(report.with_problems)
        typer.echo(f"claimtrack: warning: {n} file{'s' * (n != 1)} with problems left out (e.g. {report.with_problems[0]}) — run 'claimtrack check'", err=True)
    made = "made the tables, " if report.created else ""
    typer.echo(
        f"Synced {where} to {report.url}: {made}{len(report.changed)} file{'s' * (len(report.changed) != 1)} copied, "
        f"{len(report.removed)} removed, {report.files - len(report.changed)} unchanged"
    )

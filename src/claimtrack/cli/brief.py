"""The `brief` command: a per-issue brief as Markdown, HTML or JSON, or one per issue with --all.

It parses, calls claimtrack.views.brief and writes (atomically); the brief's data and wording live in
brief.py and its templates. Only typer, the stdlib and claimtrack.cli.app are imported at start-up.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import NoPagerOption, RootOption, app, fail, guarded, resolve_root

from .output import emit, on_terminal
from .complete import complete_issue
from .app import DatabaseOption  # a team's PostgreSQL index (cli/teamdb.py, docs/teams.md)
from .reading import read_index


class BriefFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


def _day(value: Optional[str], option: str, last: bool) -> Optional[str]:
    if value is None:
        return None
    from ..views.brief import parse_day

    try:
        return parse_day(value, last)
    except ValueError:
        fail(f"{option} '{value}' is not a date — write YYYY-MM-DD, YYYY-MM or YYYY", 2)


def _pick_format(fmt: Optional[BriefFormat], output: Optional[Path], all_issues: bool) -> str:
    if fmt is not None:
        return fmt.value
    if output is not None and not all_issues:
        return _SUFFIXES.get(output.suffix.lower(), "md")
    return "md"


def _writing(path: Path, fn, all_issues: bool = False):
    """Run fn (which writes files atomically), turning a refused destination into a usage error
    and an OSError (a full disk, a file too large, no permission) into a one-line error. Each file
    is written whole or not at all, and the old file, if any, is kept until the new one is."""
    from ..views.brief import OutputRefused

    try:
        return fn()
    except OutputRefused as exc:
        fail(str(exc), 2)
    except OSError as exc:
        done = "the briefs written before it are whole" if all_issues else "nothing was written"
        fail(f"cannot write {path}: {exc.strerror or exc} — {done}; {_hint(exc)}")


def _hint(exc: OSError) -> str:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space, or choose another -o path"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "choose a folder you can write to"
    return "choose another -o path"


def _stamp() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@app.command()
def brief(
    issue: Annotated[Optional[str], typer.Argument(metavar="ISSUE", help="The issue to brief (an issue id); or use --all.", show_default=False, autocompletion=complete_issue)] = None,
    format: Annotated[
        Optional[BriefFormat],
        typer.Option("--format", "-f", help="md (Markdown), html (one self-contained page) or json (the brief's data). Default: from -o's suffix, else md.", show_default=False),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write to this file (new, or a regular file outside the dataset's folders), or into this folder as ISSUE.md|html|json (with --all: one file per issue and an index); -o - writes to standard output. Without it, Markdown is shown in the terminal (plain when piped), HTML and JSON printed.", show_default=False),
    ] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option("--as-of", help="The issue as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD, its last day): later claims left out, statuses from the history.", show_default=False),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option("--since", help="Mark claims and status changes dated on or after this date (its first day) as new.", show_default=False),
    ] = None,
    all_issues: Annotated[bool, typer.Option("--all", help="One brief per issue, and an index page linking them, into the folder -o DIR.")] = False,
    stamp: Annotated[bool, typer.Option("--stamp", help="Add the time of generation (UTC) to the footer. Without it, the same data gives the same bytes.")] = False,
    json: Annotated[bool, typer.Option("--json", help="The brief's data as JSON: the same as --format json.")] = False,
    root: RootOption = None,
    database: DatabaseOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """Write a brief of one issue (or --all) in Markdown, HTML or JSON.

    For a reader who has never seen claimtrack: the question, a bottom line, each side's
    position in its own words, the exchanges, a timeline, open claims, changes of position,
    every source with its quotes, and the data's fingerprint.

    Examples:

      claimtrack brief sanctuary

      claimtrack brief sanctuary -o sanctuary.html --since 2025-10

      claimtrack brief --all -o briefs/    (one per issue, and an index page)

      claimtrack brief sanctuary --json | jq '.bottom_line'
    """
    if json:
        if format not in (None, BriefFormat.json):
            fail(f"--json is --format json: give one of them, not --json with --format {format.value}", 2)
        format = BriefFormat.json
    if all_issues and issue:
        fail("give an ISSUE or --all, not both", 2)
    if not all_issues and not issue:
        fail("which issue? Give an ISSUE ('claimtrack issues' lists them) or --all -o DIR", 2)
    if all_issues and output is None:
        fail("--all writes one file per issue: give the folder with -o DIR", 2)
    if all_issues and output.exists() and not output.is_dir():
        fail(f"{output} is not a folder: --all needs a folder for -o", 2)
    streamed = output is not None and str(output) == "-"  # -o -: standard output, as the text itself
    if all_issues and streamed:
        fail("--all writes one file per issue: give a folder with -o DIR, not -o -", 2)
    first, last = _day(since, "--since", last=False), _day(as_of, "--as-of", last=True)
    fmt = _pick_format(format, output, all_issues)
    when = _stamp() if stamp else None

    if database:  # the team's database; a local dataset, if there is one, is still kept safe from -o
        from ..paths import find_root
        from ..problems import DatasetNotFound

        try:
            where = find_root(root)
        except DatasetNotFound:
            where = None
    else:
        where = resolve_root(root)
    conn = read_index(root, database, report=False)  # the brief says it below, in its own words
    from ..paths import write_atomic
    from ..views import brief as b
    from ..index import queries as q

    broken = q.files_with_problems(conn)
    if broken:
        typer.echo(
            f"claimtrack: warning: {len(broken)} file{'s' * (len(broken) != 1)} with problems left out of the index "
            f"(e.g. {broken[0]}), so the brief may be incomplete — run 'claimtrack check'",
            err=True,
        )

    if all_issues:
        written = guarded(
            lambda: _writing(output, lambda: b.write_all(conn, output, fmt, as_of=last, since=first, stamp=when, root=where), all_issues=True)
        )
        n = len(written) - 1
        typer.echo(f"Wrote {n} brief{'s' * (n != 1)} and {written[-1].name} to {output}")
        return

    from ..problems import UnknownId

    def build():
        try:
            found = q.resolve_id(conn, "issue", issue)  # an id, a title or a unique prefix (resolve.py)
            return b.build_brief(conn, found, as_of=last, since=first, stamp=when)
        except UnknownId as exc:
            if exc.suggestions:
                raise
            fail(f"{exc} — 'claimtrack issues' lists the issues")

    one = guarded(build)
    text = b.render(one, fmt)
    if output is not None and not streamed:
        if output.is_dir():  # a folder (or a link to one): the brief goes inside it as ISSUE.ext
            output = output / f"{one.issue.id}{b.FORMATS[fmt]}"

        def write() -> None:
            b.check_output(output, where)
            write_atomic(output, text)

        _writing(output, write)
        typer.echo(f"Wrote the brief of {issue} to {output} ({fmt}, fingerprint {one.fingerprint.short})")
    elif fmt == "md" and on_terminal() and not streamed:
        from rich.markdown import Markdown

        emit(Markdown(text, hyperlinks=True), no_pager=no_pager)
    else:
        sys.stdout.write(text)

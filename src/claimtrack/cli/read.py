"""The reading commands: issues, show, timeline, search, list; and index, the cache they read.

Each one opens a fresh index (stdlib sqlite3 only when nothing changed), asks `queries`/`threads`
for the data, and prints what `render` draws; with --json, the documented shape (docs/reading.md), written
by `jsonout`, which never imports rich.
rich and the library are imported inside the commands, so that `claimtrack --help` stays fast.
"""

from __future__ import annotations

import re
from typing import Annotated, Optional

import typer

from .app import JsonOption, NoPagerOption, RootOption, app, fail, guarded, resolve_root, safe_line

from .output import emit

from .reading import fresh_index
from .complete import complete_actor, complete_issue, complete_ref, complete_side
from .app import DatabaseOption  # a team's PostgreSQL index (cli/teamdb.py, docs/teams.md)
from .reading import read_index

from ..vocab import KINDS, STATUSES

IssueFilter = Annotated[Optional[str], typer.Option("--issue", "-i", help="Only this issue (an issue id, its title, or a unique prefix).", show_default=False, autocompletion=complete_issue)]
SideFilter = Annotated[Optional[str], typer.Option("--side", "-s", help="Only claims by actors of this side (a side id or name, or a unique prefix).", show_default=False, autocompletion=complete_side)]
ActorFilter = Annotated[Optional[str], typer.Option("--actor", "-a", help="Only claims by this actor (an actor id, name or alias, any case, or a unique prefix).", show_default=False, autocompletion=complete_actor)]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _emit(renderable, no_pager: bool = False) -> None:
    emit(renderable, no_pager=no_pager)


def _emit_json(obj: dict) -> None:
    """A --json document: versioned, and written by jsonout.dumps (stdlib only, never rich)."""
    from ..views.jsonout import dumps, versioned

    typer.echo(dumps(versioned(obj)))


def _lookup(fn, hint: str, code: int = 1):
    """guarded(fn), and when an unknown id has no near spelling, say where the known ids are.
    `code` is the exit status for an unknown id: 2 for a filter's value (a usage error, as an
    unknown --status is), 1 for the thing asked about (`show nosuch`, as git show does)."""
    from ..problems import UnknownId

    def run():
        try:
            return fn()
        except UnknownId as exc:
            if exc.suggestions:
                fail(str(exc), code)
            fail(f"{exc} — {hint}", code)

    return guarded(run)


def _check_filters(conn, **values: Optional[str]) -> dict[str, Optional[str]]:
    """The ids the --issue, --side and --actor values name (an id, a name, an alias, any case, a
    unique prefix); exits 1 naming the closest on a miss."""
    from ..index import queries as q

    hints = {
        "issue": "'claimtrack issues' lists the issues",
        "side": "the sides are: " + ", ".join(s.id for s in q.sides(conn)),
        "actor": "the actors are listed in claims/actors.yaml",
    }
    return {what: _lookup(lambda what=what, value=value: q.check_filter(conn, what, value), hints[what], code=2) for what, value in values.items()}


def _day(value: Optional[str], option: str, last: bool) -> Optional[str]:
    """A --since/--until date (YYYY, YYYY-MM or YYYY-MM-DD) as the first or last day it can mean."""
    import datetime as dt

    if value is None:
        return None
    parts = value.split("-")
    try:
        if not _DATE.match(value):
            raise ValueError
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        fail(f"{option} '{value}' is not a date — write YYYY-MM-DD, YYYY-MM or YYYY", 2)
    if len(value) == 4:
        return value + ("-12-31" if last else "-01-01")
    if len(value) == 7:
        return value + ("-31" if last else "-01")
    return value


def _choice(value: Optional[str], option: str, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        from ..index.queries import closest

        near = closest(value, list(allowed)) or list(allowed)
        fail(f"{option} '{value}' is not one of the known values — did you mean: {', '.join(near)}?", 2)


@app.command()
def issues(root: RootOption = None, json: JsonOption = False, database: DatabaseOption = None, no_pager: NoPagerOption = False) -> None:
    """A table of issues: claims per side, how many are disputed or unanswered, the latest date.

    Examples:

      claimtrack issues

      claimtrack --root ~/disputes issues

      claimtrack issues --json | jq -r '.issues[] | select(.disputed > 0) | .id'
    """
    from ..index import queries as q

    conn = read_index(root, database)
    summaries, sides = q.issue_summaries(conn), q.sides(conn)
    if json:
        from ..views import jsonout

        _emit_json(jsonout.issues_json(summaries, sides))
    else:
        from ..views import render

        _emit(render.issues_table(summaries, sides), no_pager)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(metavar="ISSUE|CLAIM", help="An issue id (its threads as trees) or a claim id ISSUE/NAME (the claim in full).", autocompletion=complete_ref)],
    root: RootOption = None,
    json: JsonOption = False,
    database: DatabaseOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """An issue's threads as trees, or one claim in full.

    ISSUE: every thread as a tree, with numbered citations. ISSUE/NAME: the claim with its
    history, links in and out, and each quote highlighted in its passage of the source.

    Examples:

      claimtrack show sanctuary

      claimtrack show sanctuary/pk-denies-afghan-accusations

      claimtrack show sanctuary/pk-denies-afghan-accusations --json | jq '.links_in[] | .src'
    """
    from ..index import queries as q
    from ..views import threads

    conn = read_index(root, database)
    what, ref = _lookup(lambda: q.resolve_target(conn, ref), "'claimtrack issues' lists the issues, 'claimtrack list --issue ISSUE' their claims")
    if what == "issue":
        view = guarded(lambda: threads.load_issue_view(conn, ref))
        if json:
            from ..views import jsonout

            _emit_json(jsonout.issue_view_json(view))
        else:
            from ..views import render

            _emit(render.issue_tree(view), no_pager)
    else:
        detail = guarded(lambda: threads.load_claim_detail(conn, ref))
        if json:
            from ..views import jsonout

            _emit_json(jsonout.claim_detail_json(detail))
        else:
            from ..views import render

            _emit(render.claim_detail(detail), no_pager)


@app.command()
def timeline(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="An issue id.", autocompletion=complete_issue)],
    root: RootOption = None,
    json: JsonOption = False,
    database: DatabaseOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """An issue's claims in date order, one column per side; changes of position marked ↻.

    Examples:

      claimtrack timeline sanctuary

      COLUMNS=120 claimtrack timeline sanctuary --no-pager > sanctuary.txt

      claimtrack timeline sanctuary --json | jq '.rows[].date'
    """
    from ..views import threads

    from ..index import queries as q

    conn = read_index(root, database)
    issue = _lookup(lambda: q.resolve_id(conn, "issue", issue), "'claimtrack issues' lists the issues")
    view = _lookup(lambda: threads.load_issue_view(conn, issue), "'claimtrack issues' lists the issues")
    rows = threads.timeline(view)
    if json:
        from ..views import jsonout

        _emit_json(jsonout.timeline_json(view, rows))
    else:
        from ..views import render

        _emit(render.timeline_table(view, rows), no_pager)


@app.command(no_args_is_help=True)
def search(
    words: Annotated[list[str], typer.Argument(metavar="TEXT", help="Words to find: whole words, \"a phrase\", word* for a prefix, OR, -word (see below).", show_default=False)],
    issue: IssueFilter = None,
    side: SideFilter = None,
    actor: ActorFilter = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many hits.")] = 20,
    root: RootOption = None,
    json: JsonOption = False,
    database: DatabaseOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """Full-text search over statements, quotes and source texts, best match first; exit 1 when nothing matches.

    Words match whole words, in any case and with or without accents; every word must be there.
    Matched words are highlighted. With --issue, --side or --actor, a source matches where a
    claim of that filter cites it.

    \b
      "handed over"    the words next to each other, in this order (a phrase)
      negotiat*        a prefix: any word that begins so (negotiate, negotiations)
      ISIS OR Daesh    either of the two (OR in capitals, between two terms)
      -ceasefire       leave out what has this word (or -"a phrase")

    Examples (quote the query for the shell: it keeps a phrase's quotes, a * and a -word):

    \b
      claimtrack search ISI                        (the word ISI, not ISIS)
      claimtrack search '"handed over" Kabul'      (the phrase, and the word)
      claimtrack search 'negotiat* -Doha'          (a prefix, leaving out Doha)
      claimtrack search 'ISIS OR Daesh' --issue border
    """
    from ..index import queries as q

    text = " ".join(words)
    conn = read_index(root, database)
    found = _check_filters(conn, issue=issue, side=side, actor=actor)
    issue, side, actor = found["issue"], found["side"], found["actor"]
    if not q.parse_search(text).clauses:
        fail(f"nothing to search for in {text!r} — give at least one word that is not left out with -", 2)
    hits = q.search(conn, text, issue=issue, side=side, actor=actor, limit=limit)
    if json:
        from ..views import jsonout

        _emit_json(jsonout.search_json(text, hits))
        if not hits:
            raise typer.Exit(1)
        return
    from ..views import render

    claim_ids = sorted({h.ref for h in hits if h.kind in ("claim", "quote")})
    claims = {c.id: c for c in q.claims(conn, ids=claim_ids)} if claim_ids else {}
    sources = q.sources(conn, sorted({h.ref for h in hits if h.kind == "source"}))
    sides = {s.id: s for s in q.sides(conn)}
    _emit(render.search_results(text, hits, claims, sources, sides), no_pager)
    if not hits:
        raise typer.Exit(1)  # as grep does: a script can tell "nothing found" from a hit


@app.command(name="list")
def list_claims(
    issue: IssueFilter = None,
    side: SideFilter = None,
    actor: ActorFilter = None,
    status: Annotated[Optional[str], typer.Option("--status", help=f"Only this status: {', '.join(STATUSES)}.", show_default=False)] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help=f"Only this kind: {', '.join(KINDS)}.", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Said on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Said on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many claims, the newest first (with --reverse the oldest); 0 for all.")] = 50,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Oldest first (the default is newest first, as news is read).")] = False,
    root: RootOption = None,
    json: JsonOption = False,
    database: DatabaseOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """Claims as a table, newest first, filtered by issue, side, actor, status, kind and dates.

    Examples:

      claimtrack list -i sanctuary --status disputed

      claimtrack list --side pakistan --since 2016 --reverse

      claimtrack list -n 0 --json | jq -r '.claims[].id'
    """
    _choice(status, "--status", STATUSES)
    _choice(kind, "--kind", KINDS)
    first, last = _day(since, "--since", last=False), _day(until, "--until", last=True)
    from ..index import queries as q

    conn = read_index(root, database)
    found = _check_filters(conn, issue=issue, side=side, actor=actor)
    issue, side, actor = found["issue"], found["side"], found["actor"]
    claims, total = q.claims_page(conn, limit or None, newest_first=not reverse, issue=issue, side=side, actor=actor, status=status, kind=kind, since=first, until=last)
    if json:
        from ..views import jsonout

        _emit_json(jsonout.claims_json(claims, total))
    else:
        from ..views import render

        _emit(render.claims_table(claims, {s.id: s for s in q.sides(conn)}, total), no_pager)


@app.command(name="index")
def index_command(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the index and build it again from every file.")] = False,
    verify: Annotated[bool, typer.Option("--verify", help="Hash every file and compare it with the index (and run SQLite's integrity check); re-read the files that differ.")] = False,
    root: RootOption = None,
    json: JsonOption = False,
) -> None:
    """Bring the index up to date and say where it is; --rebuild or --verify when in doubt.

    The index is a cache of claims/ and sources/ in SQLite, refreshed before every read by comparing the files' sizes and modification times, and rebuilt by itself (with a note on stderr) when it cannot be read. Deleting it is always safe.

    Where it lives: the dataset's .claimtrack/index.sqlite; or, when .claimtrack/ cannot be written (a read-only checkout, someone else's shared folder), $XDG_CACHE_HOME/claimtrack/<hash of the dataset's path>/index.sqlite (default ~/.cache/claimtrack/...).

    A copy made with cp -p, rsync -a or tar keeps sizes and times: a file replaced that way can look unchanged, and the index then serves its old text. --verify finds that and fixes it.

    Examples:

      claimtrack index              (refresh; print where the index is and what it holds)

      claimtrack index --verify     (hash every file, re-read those the index holds stale)

      claimtrack index --rebuild    (drop the index and start again from the files)

      claimtrack index --json       (where it is and what it holds, for scripts)
    """
    from ..index.refresh import index_path, rebuild_index, verify_index

    if rebuild and verify:
        fail("give --rebuild or --verify, not both (a rebuild reads every file anyway)", 2)
    where = resolve_root(root)
    if rebuild:
        report = guarded(lambda: rebuild_index(where))
        typer.echo(f"Rebuilt the index from {len(report.parsed)} files.")
    elif verify:
        checked = guarded(lambda: verify_index(where))
        if checked.integrity:
            typer.echo(f"The index failed SQLite's integrity check ({checked.integrity}): rebuilt it from {len(checked.refresh.parsed)} files.")
        elif checked.stale:
            n = len(checked.stale)
            typer.echo(f"{n} of {checked.files} files {'was' if n == 1 else 'were'} stale in the index (same size and time, other content); read {'it' if n == 1 else 'them'} again:")
            for rel in checked.stale:
                typer.echo(f"  {safe_line(rel)}")
        else:
            typer.echo(f"All {checked.files} files match the index.")
    conn = fresh_index(where)
    try:
        counts = {k: n for k, n in conn.execute("SELECT kind, COUNT(*) FROM files GROUP BY kind")}
    finally:
        conn.close()
    place = guarded(lambda: index_path(where))
    inside = "in the dataset" if place.parent == where / ".claimtrack" else "in your cache folder: the dataset's .claimtrack/ cannot be written"
    if json:
        _emit_json({"index": str(place), "in_dataset": place.parent == where / ".claimtrack",
                    "files": {"claims": counts.get("claim", 0), "sources": counts.get("source", 0), "issues": counts.get("issue", 0), "total": sum(counts.values())}})
        return
    typer.echo(f"Index: {place} ({inside})")
    typer.echo(f"Holds {sum(counts.values())} files: {counts.get('claim', 0)} claims, {counts.get('source', 0)} sources, {counts.get('issue', 0)} issues.")

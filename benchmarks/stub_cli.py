"""The floor for start-up: a typer app with claimtrack's commands and options that imports nothing else.

Its `--help` is the least any typer CLI of this shape pays (typer renders help through rich), and
running one of its commands (which do nothing) is the least a command pays before its own work.
benchmarks/bench.py compares its commands and options with the real app's and warns when they
drift; keep them in step when commands are added.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

app = typer.Typer(
    name="claimtrack",
    help="Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
source_app = typer.Typer(help="Archive sources: the texts that citations quote.", no_args_is_help=True)
app.add_typer(source_app, name="source")

Root = Annotated[
    Optional[Path],
    typer.Option("--root", help="The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).", show_default=False),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape) instead of text.")]
Opt = Optional[str]
Many = Optional[List[str]]
Issue = Annotated[Opt, typer.Option("--issue", "-i", help="Only this issue (an issue id).")]
Side = Annotated[Opt, typer.Option("--side", "-s", help="Only claims by actors of this side (a side id).")]
Actor = Annotated[Opt, typer.Option("--actor", "-a", help="Only claims by this actor (an actor id).")]
Interactive = Annotated[bool, typer.Option("--interactive", "-i", help="Ask for what the options do not give, even without a terminal (the guided flow).")]


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo("claimtrack 0.0.0")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs."""


@app.command()
def check(
    root: Root = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text: one 'path:line: severity: message' per line; json: see docs/format.md.")] = CheckFormat.text,
) -> None:
    """Validate every file: syntax, fields, ids, links, quotes against sources, hashes, statuses.

    Exit 0 with no errors (warnings allowed), 1 with errors, 2 on a usage error.
    """


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the dataset (created if missing).")] = Path("."),
    example: Annotated[bool, typer.Option("--example", help="Copy the example dataset that ships with claimtrack instead of starting empty.")] = False,
) -> None:
    """Start a dataset: claims/ and sources/, empty and valid, or the shipped example."""


@app.command()
def issues(root: Root = None, json: Json = False) -> None:
    """A table of issues: claims per side, how many are disputed or unanswered, the latest date."""


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="An issue id (its threads as trees) or a claim id ISSUE/NAME (the claim in full).")],
    root: Root = None,
    json: Json = False,
) -> None:
    """An issue's threads as trees with numbered citations, or one claim in full: its history,
    links in and out, and each quote highlighted in its passage of the source."""


@app.command()
def timeline(issue: Annotated[str, typer.Argument(help="An issue id.")], root: Root = None, json: Json = False) -> None:
    """An issue's claims in date order, one column per side; changes of position marked \u21bb."""


@app.command()
def search(
    words: Annotated[List[str], typer.Argument(help="Words to find (quotes optional); every word must match, the last one as a prefix.")],
    issue: Issue = None,
    side: Side = None,
    actor: Actor = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
    root: Root = None,
    json: Json = False,
) -> None:
    """Full-text search over statements, quotes and source texts, best match first, matched words
    highlighted. Sources match a filter where a claim of that filter cites them."""


@app.command("list")
def list_claims(
    issue: Issue = None,
    side: Side = None,
    actor: Actor = None,
    status: Annotated[Opt, typer.Option("--status", help="Only this status: asserted, disputed, corroborated, refuted, retracted, superseded.")] = None,
    kind: Annotated[Opt, typer.Option("--kind", help="Only this kind: accusation, denial, rebuttal, counter-accusation, proposal, pledge, concession, demand, agreement, statement.")] = None,
    since: Annotated[Opt, typer.Option("--since", help="Said on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    until: Annotated[Opt, typer.Option("--until", help="Said on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many claims, the earliest first; 0 for all.")] = 200,
    root: Root = None,
    json: Json = False,
) -> None:
    """Claims as a table in date order, filtered by issue, side, actor, status, kind and dates."""


@app.command()
def add(
    issue: Annotated[Opt, typer.Option("--issue", help="The issue id.")] = None,
    by: Annotated[Opt, typer.Option("--by", help="Who said it: an actor id, name or alias from claims/actors.yaml.")] = None,
    kind: Annotated[Opt, typer.Option("--kind", help="accusation, denial, rebuttal, counter-accusation, proposal, pledge, concession, demand, agreement or statement.")] = None,
    said_on: Annotated[Opt, typer.Option("--said-on", help="When it was said: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    inferred: Annotated[Opt, typer.Option("--inferred", help="The date is not stated in the source: say what it is inferred from.")] = None,
    statement: Annotated[Opt, typer.Option("--statement", help="One neutral, attributive sentence: who said what.")] = None,
    status: Annotated[str, typer.Option("--status", help="The claim's status.")] = "asserted",
    note: Annotated[Opt, typer.Option("--note", help="The note of the first history entry (default: 'Recorded from <sources>.').")] = None,
    rebuts: Annotated[Many, typer.Option("--rebuts", help="A claim this one answers (repeatable; a name alone looks in the same issue).")] = None,
    supports: Annotated[Many, typer.Option("--supports", help="A claim this one backs (repeatable).")] = None,
    supersedes: Annotated[Many, typer.Option("--supersedes", help="An earlier position of the same side this one replaces (repeatable).")] = None,
    cite: Annotated[Many, typer.Option("--cite", help="A source id (repeatable; each with a --quote, in order).")] = None,
    quote: Annotated[Many, typer.Option("--quote", help="The words quoted from the --cite source, verbatim.")] = None,
    via: Annotated[Many, typer.Option("--via", help="Through whom the claim reached the source: one per --cite, in order, or none.")] = None,
    tag: Annotated[Many, typer.Option("--tag", help="A short tag (repeatable).")] = None,
    name: Annotated[Opt, typer.Option("--name", help="The file name (default: from the statement).")] = None,
    interactive: Interactive = False,
    root: Root = None,
) -> None:
    """Record a new claim with its citations; prints the thread with the new claim marked \u25b6.

    With no options on a terminal it guides you through each part, checking quotes against the source as you go. With options it never asks: for scripts.
    """


@app.command()
def status(
    claim: Annotated[str, typer.Argument(help="The claim id (<issue>/<name>, or the name alone when unique).")],
    new: Annotated[str, typer.Argument(help="asserted, disputed, corroborated, refuted, retracted or superseded.")],
    note: Annotated[Opt, typer.Option("--note", help="Why the status changes (required).")] = None,
    on: Annotated[Opt, typer.Option("--on", help="When it changed: YYYY-MM-DD, YYYY-MM or YYYY (default: today).")] = None,
    cite: Annotated[Many, typer.Option("--cite", help="A source backing the change (repeatable; each with a --quote).")] = None,
    quote: Annotated[Many, typer.Option("--quote", help="The words quoted from the --cite source.")] = None,
    root: Root = None,
) -> None:
    """Change a claim's status: the change is appended to its history, dated, with why."""


@app.command()
def link(
    claim: Annotated[str, typer.Argument(help="The claim that answers, backs or replaces.")],
    how: Annotated[str, typer.Argument(help="rebuts, supports or supersedes.")],
    other: Annotated[str, typer.Argument(help="The claim it links to (a name alone looks in the same issue first).")],
    basis: Annotated[Optional[str], typer.Option("--basis", help="reported or analyst.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Why the link is made.")] = None,
    root: Root = None,
) -> None:
    """Link two claims: CLAIM rebuts|supports|supersedes OTHER."""


@app.command()
def unlink(
    claim: Annotated[str, typer.Argument(help="The claim whose link goes.")],
    how: Annotated[str, typer.Argument(help="rebuts, supports or supersedes.")],
    other: Annotated[str, typer.Argument(help="The claim it links to.")],
    root: Root = None,
) -> None:
    """Remove a link: CLAIM no longer rebuts|supports|supersedes OTHER."""


@app.command()
def edit(
    claim: Annotated[str, typer.Argument(help="The claim id (<issue>/<name>, or the name alone when unique).")],
    root: Root = None,
) -> None:
    """Open a claim's file in $VISUAL or $EDITOR; check it on save, and offer to edit again while it has errors."""


@source_app.command("add")
def source_add(
    path: Annotated[str, typer.Argument(help="A text, Markdown or HTML file; '-' reads the standard input.")],
    title: Annotated[Opt, typer.Option("--title", help="The headline, as printed.")] = None,
    outlet: Annotated[Opt, typer.Option("--outlet", help="Who published it (default: unknown).")] = None,
    url: Annotated[Opt, typer.Option("--url", help="Where it was published (default: unknown).")] = None,
    published: Annotated[Opt, typer.Option("--published", help="YYYY-MM-DD, YYYY-MM or YYYY (default: unknown).")] = None,
    published_note: Annotated[Opt, typer.Option("--published-inferred", help="The date is not printed in the text: say what it is inferred from.")] = None,
    author: Annotated[Opt, typer.Option("--author", help="Who wrote it (default: unknown).")] = None,
    retrieved: Annotated[Opt, typer.Option("--retrieved", help="When the text was fetched (default: today).")] = None,
    note: Annotated[Many, typer.Option("--note", help="A note about the archived text (repeatable), e.g. what was left out.")] = None,
    source_id: Annotated[Opt, typer.Option("--id", help="The source id (default: <published>-<outlet>-<title>).")] = None,
    format: Annotated[str, typer.Option("--format", help="auto (by suffix, or sniffed), text, markdown or html.")] = "auto",
    interactive: Interactive = False,
    root: Root = None,
) -> None:
    """Archive a source as sources/<id>.md: the text verbatim (HTML made clean text), its metadata and sha256.

    On a terminal it asks for what the options do not give. The same text archived twice is recognised and named; an existing file is never overwritten.
    """


@app.command()
def brief(
    issue: Annotated[Opt, typer.Argument(metavar="ISSUE", help="The issue to brief (an issue id); or use --all.")] = None,
    format: Annotated[Opt, typer.Option("--format", "-f", help="md (Markdown), html (one self-contained page) or json (the brief's data). Default: from -o's suffix, else md.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file, or into this folder as ISSUE.md|html|json (with --all: one file per issue and an index). Without it, Markdown is shown in the terminal (plain when piped), HTML and JSON printed.")] = None,
    as_of: Annotated[Opt, typer.Option("--as-of", help="The issue as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD, its last day): later claims left out, statuses from the history.")] = None,
    since: Annotated[Opt, typer.Option("--since", help="Mark claims and status changes dated on or after this date (its first day) as new.")] = None,
    all_issues: Annotated[bool, typer.Option("--all", help="One brief per issue, and an index page linking them, into the folder -o DIR.")] = False,
    stamp: Annotated[bool, typer.Option("--stamp", help="Add the time of generation (UTC) to the footer. Without it, the same data gives the same bytes.")] = False,
    root: Root = None,
) -> None:
    """Write a brief of one issue that a reader who has never seen claimtrack can follow: the
    question, a bottom line, each side's position in its own words, the exchanges, a timeline,
    open claims, changes of position, every source with its quotes, and the data's fingerprint."""


if __name__ == "__main__":
    app(prog_name="claimtrack")

"""The floor for start-up: a typer app with claimtrack's commands and options that imports nothing else.

Its `--help` is the least any typer CLI of this shape pays (typer renders help through rich), and
running one of its commands (which do nothing) is the least a command pays before its own work.
Written by benchmarks/make_stub.py from claimtrack's own commands (regenerate it after adding a
command or an option: bench.py warns when the two drift apart). Do not edit by hand.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer


app = typer.Typer(
    name='claimtrack',
    help='Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs.',
    no_args_is_help=True,
    add_completion=True,
    context_settings={'help_option_names': ['-h', '--help']},
    pretty_exceptions_enable=False,
)

source_app = typer.Typer(help='Archive sources: the texts that citations quote.', no_args_is_help=True)
app.add_typer(source_app, name='source')

side_app = typer.Typer(help='The sides of the dispute (claims/actors.yaml).', no_args_is_help=True)
app.add_typer(side_app, name='side')

actor_app = typer.Typer(help='Who makes claims: people, institutions, governments, unnamed sources (claims/actors.yaml).', no_args_is_help=True)
app.add_typer(actor_app, name='actor')

issue_app = typer.Typer(help='The issues in dispute (claims/<issue>/_issue.yaml).', no_args_is_help=True)
app.add_typer(issue_app, name='issue')



def _version(value: bool) -> None:
    if value:
        typer.echo('claimtrack 0.0.0')
        raise typer.Exit()



@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option('--version', help='Show the version and exit.', callback=_version, is_eager=True)] = False,
    root: Annotated[Optional[Path], typer.Option('--root', '-C', help="The dataset folder, for every command (like git -C); a command's own --root wins.")] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Never send output through a pager (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs."""



class Choice0(str, Enum):
    v_text = 'text'
    v_json = 'json'



class Choice1(str, Enum):
    v_md = 'md'
    v_html = 'html'
    v_json = 'json'



class Choice2(str, Enum):
    v_claim = 'claim'
    v_issue = 'issue'
    v_actors = 'actors'
    v_source = 'source'



class Choice3(str, Enum):
    v_claimreview = 'claimreview'
    v_aif = 'aif'
    v_argdown = 'argdown'
    v_dot = 'dot'
    v_mermaid = 'mermaid'
    v_csl = 'csl'
    v_annotations = 'annotations'
    v_svg = 'svg'



class Choice4(str, Enum):
    v_claimreview = 'claimreview'
    v_aif = 'aif'
    v_argdown = 'argdown'



@app.command('check')
def cmd_check(
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    format: Annotated[Choice0, typer.Option('--format', '-f', help="text: one 'path:line: severity: message' per line; json: see docs/format.md.")] = Choice0.v_text,
    fix: Annotated[bool, typer.Option('--fix', help="Rewrite quotes found only after normalising ([quote-not-exact]) to the source's own characters, then check. The only change --fix ever makes.")] = False,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """Validate every file: syntax, fields, ids, links, quotes against sources, hashes, statuses.

    Exit 0 with no errors (warnings allowed), 1 with errors, 2 on a usage error.

    Examples:

      claimtrack check

      claimtrack check --fix          # store quotes as the source spells them

      claimtrack check --json | jq '.problems[] | select(.severity == "error")'
    """


@app.command('init')
def cmd_init(
    directory: Annotated[Optional[Path], typer.Argument(help='Where to create the dataset (created if missing).')] = None,
    example: Annotated[bool, typer.Option('--example', help='Copy the example dataset that ships with claimtrack instead of starting empty.')] = False,
) -> None:
    """Start a dataset: claims/ and sources/, empty and valid, or the shipped example.

    Examples:

      claimtrack init --example ~/af-pk && cd ~/af-pk && claimtrack issues

      claimtrack init my-dispute        (an empty dataset to fill with 'claimtrack add')
    """


@app.command('issues')
def cmd_issues(
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """A table of issues: claims per side, how many are disputed or unanswered, the latest date.

    Examples:

      claimtrack issues

      claimtrack --root ~/disputes issues

      claimtrack issues --json | jq -r '.issues[] | select(.disputed > 0) | .id'
    """


@app.command('show')
def cmd_show(
    ref: Annotated[str, typer.Argument(metavar='ISSUE|CLAIM', help='An issue id (its threads as trees) or a claim id ISSUE/NAME (the claim in full).')],
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """An issue's threads as trees, or one claim in full.

    ISSUE: every thread as a tree, with numbered citations. ISSUE/NAME: the claim with its
    history, links in and out, and each quote highlighted in its passage of the source.

    Examples:

      claimtrack show sanctuary

      claimtrack show sanctuary/pk-denies-afghan-accusations

      claimtrack show sanctuary/pk-denies-afghan-accusations --json | jq '.links_in[] | .src'
    """


@app.command('timeline')
def cmd_timeline(
    issue: Annotated[str, typer.Argument(metavar='ISSUE', help='An issue id.')],
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """An issue's claims in date order, one column per side; changes of position marked ↻.

    Examples:

      claimtrack timeline sanctuary

      COLUMNS=120 claimtrack timeline sanctuary --no-pager > sanctuary.txt

      claimtrack timeline sanctuary --json | jq '.rows[].date'
    """


@app.command('search', no_args_is_help=True)
def cmd_search(
    words: Annotated[List[str], typer.Argument(metavar='TEXT', help='Words to find: whole words, "a phrase", word* for a prefix, OR, -word (see below).')],
    issue: Annotated[Optional[str], typer.Option('--issue', '-i', help='Only this issue (an issue id, its title, or a unique prefix).')] = None,
    side: Annotated[Optional[str], typer.Option('--side', '-s', help='Only claims by actors of this side (a side id or name, or a unique prefix).')] = None,
    actor: Annotated[Optional[str], typer.Option('--actor', '-a', help='Only claims by this actor (an actor id, name or alias, any case, or a unique prefix).')] = None,
    limit: Annotated[str, typer.Option('--limit', '-n', help='At most this many hits.', min=1)] = 20,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """Full-text search over statements, quotes and source texts, best match first; exit 1 when nothing matches.

    Words match whole words, in any case and with or without accents; every word must be there.
    Matched words are highlighted. With --issue, --side or --actor, a source matches where a
    claim of that filter cites it.

    
      "handed over"    the words next to each other, in this order (a phrase)
      negotiat*        a prefix: any word that begins so (negotiate, negotiations)
      ISIS OR Daesh    either of the two (OR in capitals, between two terms)
      -ceasefire       leave out what has this word (or -"a phrase")

    Examples (quote the query for the shell: it keeps a phrase's quotes, a * and a -word):

    
      claimtrack search ISI                        (the word ISI, not ISIS)
      claimtrack search '"handed over" Kabul'      (the phrase, and the word)
      claimtrack search 'negotiat* -Doha'          (a prefix, leaving out Doha)
      claimtrack search 'ISIS OR Daesh' --issue border
    """


@app.command('list')
def cmd_list(
    issue: Annotated[Optional[str], typer.Option('--issue', '-i', help='Only this issue (an issue id, its title, or a unique prefix).')] = None,
    side: Annotated[Optional[str], typer.Option('--side', '-s', help='Only claims by actors of this side (a side id or name, or a unique prefix).')] = None,
    actor: Annotated[Optional[str], typer.Option('--actor', '-a', help='Only claims by this actor (an actor id, name or alias, any case, or a unique prefix).')] = None,
    status: Annotated[Optional[str], typer.Option('--status', help='Only this status: asserted, disputed, corroborated, refuted, retracted, superseded.')] = None,
    kind: Annotated[Optional[str], typer.Option('--kind', help='Only this kind: accusation, denial, rebuttal, counter-accusation, proposal, pledge, concession, demand, agreement, statement.')] = None,
    since: Annotated[Optional[str], typer.Option('--since', help='Said on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).')] = None,
    until: Annotated[Optional[str], typer.Option('--until', help='Said on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).')] = None,
    limit: Annotated[str, typer.Option('--limit', '-n', help='At most this many claims, the newest first (with --reverse the oldest); 0 for all.', min=0)] = 50,
    reverse: Annotated[bool, typer.Option('--reverse', '-r', help='Oldest first (the default is newest first, as news is read).')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
) -> None:
    """Claims as a table, newest first, filtered by issue, side, actor, status, kind and dates.

    Examples:

      claimtrack list -i sanctuary --status disputed

      claimtrack list --side pakistan --since 2016 --reverse

      claimtrack list -n 0 --json | jq -r '.claims[].id'
    """


@app.command('index')
def cmd_index(
    rebuild: Annotated[bool, typer.Option('--rebuild', help='Drop the index and build it again from every file.')] = False,
    verify: Annotated[bool, typer.Option('--verify', help="Hash every file and compare it with the index (and run SQLite's integrity check); re-read the files that differ.")] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
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


@app.command('add')
def cmd_add(
    issue: Annotated[Optional[str], typer.Option('--issue', help='The issue id.', metavar='ISSUE')] = None,
    by: Annotated[Optional[str], typer.Option('--by', help='Who said it: an actor id, name or alias from claims/actors.yaml.', metavar='ACTOR')] = None,
    kind: Annotated[Optional[str], typer.Option('--kind', help='accusation, denial, rebuttal, counter-accusation, proposal, pledge, concession, demand, agreement or statement.', metavar='KIND')] = None,
    said_on: Annotated[Optional[str], typer.Option('--said-on', help='When it was said (EDTF): 2025-11-05, 2025-11, 2025; an interval 2025-11-01/2025-11-05; ../2014-07-24 (on or before), 2014-07-23/.. (on or after); or unknown.', metavar='DATE')] = None,
    inferred: Annotated[Optional[str], typer.Option('--inferred', help='The date is not stated in the source: say what it is inferred from.', metavar='NOTE')] = None,
    statement: Annotated[Optional[str], typer.Option('--statement', help='One neutral, attributive sentence: who said what.', metavar='TEXT')] = None,
    status: Annotated[str, typer.Option('--status', help="The claim's status.", metavar='STATUS')] = 'asserted',
    note: Annotated[Optional[str], typer.Option('--note', help="The note of the first history entry (default: 'Recorded from <sources>.').", metavar='TEXT')] = None,
    rebuts: Annotated[Optional[List[str]], typer.Option('--rebuts', help='A claim this one answers (repeatable; a name alone looks in the same issue).', metavar='CLAIM')] = None,
    supports: Annotated[Optional[List[str]], typer.Option('--supports', help='A claim this one backs (repeatable).', metavar='CLAIM')] = None,
    supersedes: Annotated[Optional[List[str]], typer.Option('--supersedes', help='An earlier position of the same side this one replaces (repeatable).', metavar='CLAIM')] = None,
    cite: Annotated[Optional[List[str]], typer.Option('--cite', help='A source id (repeatable; each with a --quote, in order).', metavar='SOURCE')] = None,
    quote: Annotated[Optional[List[str]], typer.Option('--quote', help='The words quoted from the --cite source, verbatim.', metavar='TEXT')] = None,
    channel: Annotated[Optional[List[str]], typer.Option('--channel', help="How the speaker said it ('post on X', 'press briefing', 'interview with Khyber News'): one per --cite, in order, or none.", metavar='TEXT')] = None,
    reported_by: Annotated[Optional[List[str]], typer.Option('--reported-by', help="The intermediaries the claim passed through before the source, nearest the speaker first, separated by '>': one per --cite, in order ('' for none), or none.", metavar='A > B')] = None,
    reported_on: Annotated[Optional[List[str]], typer.Option('--reported-on', help="When this source says it was said: one per --cite, in order ('' for none), or none.", metavar='DATE')] = None,
    cite_note: Annotated[Optional[List[str]], typer.Option('--cite-note', help="A note on the citation: one per --cite, in order ('' for none), or none.", metavar='TEXT')] = None,
    via: Annotated[Optional[List[str]], typer.Option('--via', help='The old spelling of --channel/--reported-by.', metavar='TEXT', hidden=True)] = None,
    tag: Annotated[Optional[List[str]], typer.Option('--tag', help='A short tag (repeatable).', metavar='TAG')] = None,
    name: Annotated[Optional[str], typer.Option('--name', help='The file name (default: from the statement).', metavar='NAME')] = None,
    keep_status: Annotated[bool, typer.Option('--keep-status', help='Leave the status of the claims it rebuts or supersedes as it is (by default an asserted claim it rebuts becomes disputed, one it supersedes superseded, each with a dated history entry).')] = False,
    from_: Annotated[Optional[str], typer.Option('--from', help="Start the guided flow from candidate #N of 'claimtrack suggest SOURCE': its speaker, kind, date, quote, channel and chain are offered as defaults to accept or change.", metavar='SOURCE:N')] = None,
    resume: Annotated[bool, typer.Option('--resume', help='Continue the guided claim that was interrupted (its answers are kept in .claimtrack/draft.json).')] = False,
    interactive: Annotated[bool, typer.Option('--interactive', '-I', help='Ask for what the options do not give, even without a terminal (the guided flow).')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Record a new claim with its citations; prints the thread with the new claim marked ▶.

    With no options on a terminal it guides you through each part, checking quotes against the source as you go. With options it never asks: for scripts.
    """


@app.command('status')
def cmd_status(
    claim: Annotated[str, typer.Argument(help='The claim id (<issue>/<name>, or the name alone when unique).')],
    new: Annotated[str, typer.Argument(metavar='NEW', help='asserted, disputed, corroborated, refuted, retracted or superseded.')],
    note: Annotated[Optional[str], typer.Option('--note', help='Why the status changes (required).', metavar='TEXT')] = None,
    on: Annotated[Optional[str], typer.Option('--on', help='When it changed (default: today): 2025-11-05, 2025-11, 2025, an interval 2025-11-01/2025-11-05, ../2025-11-05 (on or before).', metavar='DATE')] = None,
    on_inferred: Annotated[Optional[str], typer.Option('--inferred', help='--on is not stated in the source: say what it is inferred from.', metavar='NOTE')] = None,
    cite: Annotated[Optional[List[str]], typer.Option('--cite', help='A source backing the change (repeatable; each with a --quote).', metavar='SOURCE')] = None,
    quote: Annotated[Optional[List[str]], typer.Option('--quote', help='The words quoted from the --cite source.', metavar='TEXT')] = None,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Change a claim's status: the change is appended to its history, dated, with why.
    """


@app.command('link')
def cmd_link(
    claim: Annotated[str, typer.Argument(help='The claim that answers, backs or replaces.')],
    how: Annotated[str, typer.Argument(metavar='rebuts|supports|supersedes', help='rebuts, supports or supersedes.')],
    other: Annotated[str, typer.Argument(help='The claim it links to (a name alone looks in the same issue first).')],
    basis: Annotated[Optional[str], typer.Option('--basis', help="reported: the text itself presents CLAIM as answering OTHER; analyst: the dataset's reading (the default for a plain link).", metavar='reported|analyst')] = None,
    note: Annotated[Optional[str], typer.Option('--note', help="Why the link is made (the text's words, or the reading).")] = None,
    keep_status: Annotated[bool, typer.Option('--keep-status', help="Leave OTHER's status as it is (by default an asserted claim that is rebutted becomes disputed, a superseded one superseded, with a dated history entry).")] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Link two claims: CLAIM rebuts|supports|supersedes OTHER.

    A rebutted claim that stood asserted becomes disputed, a superseded one superseded, in the same write (unless --keep-status).

    Examples:

      claimtrack link sanctuary/pk-denies rebuts sanctuary/af-accuses --basis reported

      claimtrack link refugees/pk-dar-assurance rebuts refugees/af-concern --basis analyst --note "side by side in one article"
    """


@app.command('unlink')
def cmd_unlink(
    claim: Annotated[str, typer.Argument(help='The claim whose link goes.')],
    how: Annotated[str, typer.Argument(metavar='rebuts|supports|supersedes', help='rebuts, supports or supersedes.')],
    other: Annotated[str, typer.Argument(help='The claim it links to.')],
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Remove a link: CLAIM no longer rebuts|supports|supersedes OTHER.
    """


@app.command('cite')
def cmd_cite(
    claim: Annotated[str, typer.Argument(help='The claim id (<issue>/<name>, or the name alone when unique).')],
    source: Annotated[Optional[str], typer.Option('--source', help="The source id (as 'source add' printed it).", metavar='SOURCE')] = None,
    quote: Annotated[Optional[str], typer.Option('--quote', help='The words quoted from the source, verbatim.', metavar='TEXT')] = None,
    channel: Annotated[Optional[str], typer.Option('--channel', help="How the speaker said it ('post on X', 'press briefing', 'interview with Khyber News').", metavar='TEXT')] = None,
    reported_by: Annotated[Optional[str], typer.Option('--reported-by', help="The intermediaries before this source, nearest the speaker first, separated by '>'.", metavar='A > B')] = None,
    reported_on: Annotated[Optional[str], typer.Option('--reported-on', help='When this source says it was said.', metavar='DATE')] = None,
    note: Annotated[Optional[str], typer.Option('--note', '--cite-note', help='A note on the citation.', metavar='TEXT')] = None,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Add a citation to an existing claim: the same claim carried by another outlet.

    The quote is checked against the source like any quote, and stored in the source's own characters.

      claimtrack cite flow/down-accuses-cut --source 2024-03-03-river-times --quote "cut the flow"
    """


@app.command('edit')
def cmd_edit(
    claim: Annotated[str, typer.Argument(help='The claim id (<issue>/<name>, or the name alone when unique).')],
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Open a claim's file in $VISUAL or $EDITOR; check it on save, and offer to edit again while it has errors.

    An edit that is not saved (the editor failed, the file changed meanwhile, errors with no one to ask, Ctrl-C) is kept in .claimtrack/recover/, and the error names the file.
    """


@app.command('brief')
def cmd_brief(
    issue: Annotated[Optional[str], typer.Argument(metavar='ISSUE', help='The issue to brief (an issue id); or use --all.')] = None,
    format: Annotated[Optional[Choice1], typer.Option('--format', '-f', help="md (Markdown), html (one self-contained page) or json (the brief's data). Default: from -o's suffix, else md.")] = None,
    output: Annotated[Optional[Path], typer.Option('--output', '-o', help="Write to this file (new, or a regular file outside the dataset's folders), or into this folder as ISSUE.md|html|json (with --all: one file per issue and an index); -o - writes to standard output. Without it, Markdown is shown in the terminal (plain when piped), HTML and JSON printed.")] = None,
    as_of: Annotated[Optional[str], typer.Option('--as-of', help='The issue as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD, its last day): later claims left out, statuses from the history.')] = None,
    since: Annotated[Optional[str], typer.Option('--since', help='Mark claims and status changes dated on or after this date (its first day) as new.')] = None,
    all_issues: Annotated[bool, typer.Option('--all', help='One brief per issue, and an index page linking them, into the folder -o DIR.')] = False,
    stamp: Annotated[bool, typer.Option('--stamp', help='Add the time of generation (UTC) to the footer. Without it, the same data gives the same bytes.')] = False,
    json: Annotated[bool, typer.Option('--json', help="The brief's data as JSON: the same as --format json.")] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
    no_pager: Annotated[bool, typer.Option('--no-pager', help='Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).')] = False,
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


@app.command('schema')
def cmd_schema(
    kind: Annotated[Choice2, typer.Argument(help='claim, issue, actors, or source (its front matter).')],
    output: Annotated[Optional[Path], typer.Option('--output', '-o', help='Write the schema to this file instead of stdout.')] = None,
) -> None:
    """Print the JSON Schema of one kind of file, for editor completion and validation.

    Examples:

      claimtrack schema claim -o .schemas/claim.json

      claimtrack schema actors > .schemas/actors.json

    Then put '# yaml-language-server: $schema=../../.schemas/claim.json' on a claim file's first
    line (see docs/format.md, "Editor support").
    """


@app.command('export')
def cmd_export(
    issue: Annotated[Optional[str], typer.Argument(metavar='ISSUE', help='The issue to export (an issue id); or use --all.')] = None,
    format: Annotated[Optional[Choice3], typer.Option('--format', '-f', help='claimreview, aif, argdown, dot, mermaid, csl, annotations or svg (see docs/interchange.md).')] = None,
    all_issues: Annotated[bool, typer.Option('--all', help='Export every issue into one file.')] = False,
    output: Annotated[Optional[Path], typer.Option('--output', '-o', help='Write to this file (default: print).')] = None,
    publisher: Annotated[Optional[str], typer.Option('--publisher', help='claimreview: the organisation publishing the reviews (required: claimtrack never poses as the fact-checker).')] = None,
    review_url: Annotated[Optional[str], typer.Option('--url', help="claimreview: the page the reviews are published on; each review's url is URL#<claim id>.")] = None,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Export an issue (or --all) as ClaimReview, AIF, Argdown, DOT, Mermaid, CSL-JSON, Web Annotations or an SVG map.

    Examples:

      claimtrack export sanctuary -f argdown -o sanctuary.argdown

      claimtrack export sanctuary -f svg -o sanctuary.svg

      claimtrack export --all -f claimreview --publisher "Example Fact Desk" -o reviews.json
    """


@app.command('import')
def cmd_import(
    file: Annotated[Path, typer.Argument(metavar='FILE', help="The file to import ('-' for standard input).")],
    format: Annotated[Optional[Choice4], typer.Option('--format', '-f', help='claimreview, aif or argdown (see docs/interchange.md).')] = None,
    dry_run: Annotated[bool, typer.Option('--dry-run', help='Show what would be written, and write nothing.')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Import claims (with their actors, issues and sources) from ClaimReview, AIF or Argdown.

    Everything goes through the same validation as 'claimtrack add': all is written, or nothing.

    Examples:

      claimtrack import -f argdown sanctuary.argdown

      claimtrack export sanctuary -f aif | claimtrack --root ../copy import -f aif -
    """


@app.command('suggest')
def cmd_suggest(
    source: Annotated[str, typer.Argument(help="A source id (from 'claimtrack source list').")],
    limit: Annotated[str, typer.Option('--limit', '-n', help='Show at most this many candidates (0: all).')] = 0,
    language: Annotated[str, typer.Option('--language', help='The word lists to read the text with (en).')] = 'en',
    json_out: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """List candidate claims in an archived source, best first: who said what, the exact words, the channel, the date.

    Nothing is written: each candidate is a suggestion to confirm with 'claimtrack add' (or 'claimtrack cite' when a similar claim is already recorded). Numbers (#N) count candidates in text order.

    Examples:

      claimtrack suggest 2024-unknown-jcc-kabul-talks

      claimtrack suggest 2024-unknown-jcc-kabul-talks -n 3 --json | jq '.candidates[0]'
    """


@app.command('similar')
def cmd_similar(
    claim: Annotated[str, typer.Argument(help='A claim id (<issue>/<name>, or the name alone when unique).')],
    threshold: Annotated[Optional[float], typer.Option('--threshold', help='The lowest similarity shown, 0-100 (default 60; 90 and up is a possible duplicate).')] = None,
    json_out: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """List recorded claims that say nearly what CLAIM says, with their similarity (0-100); for a denial or rebuttal, the claims it may answer.

    Similarity is rapidfuzz's token_sort_ratio of the statements; 90 and above is what 'claimtrack check' warns about as [possible-duplicate] (docs/format.md says how to silence a pair).

    Examples:

      claimtrack similar sanctuary/pk-denies-afghan-accusations

      claimtrack similar sanctuary/pk-denies-afghan-accusations --json | jq '.similar'
    """


@app.command('sync')
def cmd_sync(
    url: Annotated[Optional[str], typer.Argument(metavar='postgresql://USER@HOST/DB', help='The database (default: $CLAIMTRACK_DATABASE). A password is best kept in ~/.pgpass or $PGPASSWORD, not in the URL.')] = None,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
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


@app.command('browse')
def cmd_browse(
    ref: Annotated[Optional[str], typer.Argument(metavar='[ISSUE|CLAIM]', help="Open on this issue's threads, or on this claim (ISSUE/NAME).")] = None,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Browse issues, threads, claims and their sources interactively (press ? for the keys).

    Read-only. Issues → threads → a claim in full → the whole source; t for the timeline, / to
    search, F for filters, b/f for back and forward, q to quit.

    Examples:

      claimtrack browse

      claimtrack browse sanctuary

      claimtrack browse sanctuary/pk-denies-afghan-accusations
    """


@app.command('actors')
def cmd_actors(
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
) -> None:
    """The sides and their actors (claims/actors.yaml): id, name, kind, role, aliases.
    """


@app.command('watch')
def cmd_watch(
    quiet: Annotated[bool, typer.Option('--quiet', '-q', help='Print nothing but errors.')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Keep the index fresh as files change, so that reads skip the check of every file (Ctrl-C to stop).

    Runs in the foreground. While it runs, a read asks it (through the index) whether it has seen
    every change, and skips the stat of every file when it has; a read that cannot be sure, or
    finds no watcher, checks the files as always. See docs/performance.md for what it cannot see.
    """


@source_app.command('add')
def cmd_source_app_add(
    path: Annotated[str, typer.Argument(metavar='PATH|-', help="A text, Markdown or HTML file; '-' reads the standard input.")],
    title: Annotated[Optional[str], typer.Option('--title', help='The headline, as printed.', metavar='TEXT')] = None,
    outlet: Annotated[Optional[str], typer.Option('--outlet', help='Who published it (default: unknown).', metavar='TEXT')] = None,
    url: Annotated[Optional[str], typer.Option('--url', help='Where it was published (default: unknown).', metavar='URL')] = None,
    published: Annotated[Optional[str], typer.Option('--published', help='A date (EDTF: 2025-11-05, 2025-11, 2025, an interval) or unknown (default: unknown).', metavar='DATE')] = None,
    published_note: Annotated[Optional[str], typer.Option('--published-inferred', help='The date is not printed in the text: say what it is inferred from.', metavar='NOTE')] = None,
    author: Annotated[Optional[str], typer.Option('--author', help='Who wrote it (default: unknown).', metavar='TEXT')] = None,
    retrieved: Annotated[Optional[str], typer.Option('--retrieved', help="When the text was fetched, 'today', or unknown (asked on a terminal; otherwise unknown).", metavar='DATE')] = None,
    copy_of: Annotated[Optional[str], typer.Option('--copy-of', help='This is a syndicated or mirrored copy of an archived source.', metavar='SOURCE')] = None,
    truncated: Annotated[bool, typer.Option('--truncated', help='The text stops short of the article (a quote at its end is shown with an ellipsis).')] = False,
    note: Annotated[Optional[List[str]], typer.Option('--note', help='A note about the archived text (repeatable), e.g. what was left out.', metavar='TEXT')] = None,
    source_id: Annotated[Optional[str], typer.Option('--id', help='The source id (default: <published>-<outlet>-<title>).', metavar='ID')] = None,
    format: Annotated[str, typer.Option('--format', help='auto (by suffix, or sniffed), text, markdown or html.', metavar='FORMAT')] = 'auto',
    allow_large: Annotated[bool, typer.Option('--allow-large', help='Archive a text above 5 MB (refused by default: nothing that large is one article, and every search and check reads it).')] = False,
    interactive: Annotated[bool, typer.Option('--interactive', '-I', help='Ask for what the options do not give, even without a terminal (the guided flow).')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Archive a source as sources/<id>.md: the text verbatim (of HTML, the article's text, the page kept as sources/<id>.html), its metadata and sha256.

    On a terminal it asks for what the options do not give. The same text archived twice is recognised and named; an existing file is never overwritten.
    """


@source_app.command('list')
def cmd_source_app_list(
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    json: Annotated[bool, typer.Option('--json', help='Print JSON (a documented, stable shape) instead of text.')] = False,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
) -> None:
    """The archived sources, oldest first: date, outlet, title, how many citations quote each, and the id.
    """


@source_app.command('show')
def cmd_source_app_show(
    source: Annotated[str, typer.Argument(metavar='SOURCE', help="A source id, a unique prefix of it, or its outlet and date ('arab-news 2025-11-05').")],
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
    database: Annotated[Optional[str], typer.Option('--database', help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE).", metavar='postgresql://USER@HOST/DB', envvar='CLAIMTRACK_DATABASE')] = None,
) -> None:
    """A source's metadata, then its text with every cited passage marked and numbered, and the claims citing each.

    Marked passages are reverse video on a terminal, «between guillemets» when piped or with NO_COLOR.
    """


@source_app.command('edit')
def cmd_source_app_edit(
    source: Annotated[str, typer.Argument(metavar='SOURCE', help="A source id, a unique prefix of it, or its outlet and date ('arab-news 2025-11-05').")],
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Edit a source's front matter (title, outlet, dates, author, url, notes) in $VISUAL or $EDITOR.

    The editor gets the front matter alone: the archived body is pinned by its sha256 and is never
    edited (an edit that changes the sha256 is refused). The edit is checked like any write; one
    that is not saved is kept in .claimtrack/recover/, and the message names the file.
    """


@side_app.command('add')
def cmd_side_app_add(
    side_id: Annotated[Optional[str], typer.Argument(metavar='ID', help="The side's id: lower-case letters, digits and hyphens (e.g. upstream).")] = None,
    name: Annotated[Optional[str], typer.Option('--name', help="The side's name, as its claims are shown under it.", metavar='NAME')] = None,
    colour: Annotated[Optional[str], typer.Option('--colour', '--color', help='A colour name (blue, dark_orange, grey50) or #rrggbb (default: the first of a palette no side uses yet).', metavar='COLOUR')] = None,
    interactive: Annotated[bool, typer.Option('--interactive', '-I', help='Ask for what the options do not give, even without a terminal (the guided flow).')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Add a side of the dispute to claims/actors.yaml.

    claimtrack side add upstream --name "Upstream Republic" --colour blue
    """


@actor_app.command('add')
def cmd_actor_app_add(
    actor_id: Annotated[Optional[str], typer.Argument(metavar='ID', help="The actor's id: lower-case letters, digits and hyphens (e.g. up-ministry).")] = None,
    name: Annotated[Optional[str], typer.Option('--name', help='The name, as the sources print it.', metavar='NAME')] = None,
    side: Annotated[Optional[str], typer.Option('--side', help='The side it speaks for (a side id); only a third-party or an outlet has none.', metavar='SIDE')] = None,
    kind: Annotated[Optional[str], typer.Option('--kind', help='person, institution, government, unnamed, group, outlet, third-party (default: person).', metavar='KIND')] = None,
    role: Annotated[Optional[str], typer.Option('--role', help="Who this actor is (e.g. 'government spokesperson').", metavar='TEXT')] = None,
    alias: Annotated[Optional[List[str]], typer.Option('--alias', help='Another name the sources use (repeatable): a surname, a title.', metavar='NAME')] = None,
    interactive: Annotated[bool, typer.Option('--interactive', '-I', help='Ask for what the options do not give, even without a terminal (the guided flow).')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Add an actor (who makes claims) to claims/actors.yaml.

    claimtrack actor add down-spokesman --name "Lena Ortiz" --side downstream --role "government spokesperson" --alias Ortiz
    """


@issue_app.command('add')
def cmd_issue_app_add(
    issue_id: Annotated[Optional[str], typer.Argument(metavar='ID', help="The issue's id: lower-case letters, digits and hyphens (e.g. dam-flow).")] = None,
    title: Annotated[Optional[str], typer.Option('--title', help='A short title.', metavar='TEXT')] = None,
    question: Annotated[Optional[str], typer.Option('--question', help='The question in dispute, asked neutrally.', metavar='TEXT')] = None,
    summary: Annotated[Optional[str], typer.Option('--summary', help='A short neutral summary.', metavar='TEXT')] = None,
    interactive: Annotated[bool, typer.Option('--interactive', '-I', help='Ask for what the options do not give, even without a terminal (the guided flow).')] = False,
    root: Annotated[Optional[Path], typer.Option('--root', help='The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).')] = None,
) -> None:
    """Start an issue: claims/<ID>/_issue.yaml with its title, question and summary.

    claimtrack issue add flow --title "The dam's flow" --question "Did Upstream cut the river's flow below the treaty minimum?"
    """



if __name__ == "__main__":
    app(prog_name="claimtrack")

"""Growing a dataset from an empty folder: `side add`, `actor add`, `issue add`, and the
`actors` listing (sides and actors, with --json).

Each command gathers its fields (from options; on a terminal, a short guided form asks for what
the options leave out), then calls one function of claimtrack.edit.ops, which validates and writes
through the same Transaction as `add`. Only typer, the stdlib and claimtrack.cli.app are imported at
start-up.
"""

from __future__ import annotations

from typing import Annotated, Optional

import sys
import typer

from .app import JsonOption, RootOption, app, fail, guarded, resolve_root, safe_line

from .output import make_console
from .writing import InteractiveOption, Asker, NoMoreInput, report_written
from .output import on_terminal
from ..vocab import ACTOR_KINDS

side_app = typer.Typer(help="The sides of the dispute (claims/actors.yaml).", no_args_is_help=True)
actor_app = typer.Typer(help="Who makes claims: people, institutions, governments, unnamed sources (claims/actors.yaml).", no_args_is_help=True)
issue_app = typer.Typer(help="The issues in dispute (claims/<issue>/_issue.yaml).", no_args_is_help=True)
app.add_typer(side_app, name="side")
app.add_typer(actor_app, name="actor")
app.add_typer(issue_app, name="issue")


def _asking(interactive: bool, missing: bool) -> bool:
    return interactive or (missing and on_terminal(sys.stdin))


def _slug_default(text: str, words: int = 4) -> str:
    from ..edit.inputs import slugify

    return slugify(text, words, 32)


def ask_side(asker: Asker, ds, side_id: str | None = None, name: str | None = None, colour: str | None = None):
    """The few questions of a new side; each answer checked as it is given. Returns a NewSide."""
    from ..edit.inputs import NewSide, check_side, side_colour

    name = name or asker.ask("The side's name (as its claims are shown: a country, a party)")
    if side_id is None:
        def check_id(answer):
            check_side(ds, NewSide(answer, name, None))
            return answer

        side_id = asker.ask("Its id", _slug_default(name, 3), check=check_id)
    if colour is None:
        colour = asker.ask("Colour (a name such as blue or dark_orange, or #rrggbb)", side_colour(ds, None), check=lambda a: side_colour(ds, a))
    return NewSide(side_id, name, colour)


def pick_kind(answer: str) -> str:
    from ..edit.inputs import check_choice

    kinds = list(ACTOR_KINDS)
    if answer.isdigit() and 1 <= int(answer) <= len(kinds):
        return kinds[int(answer) - 1]
    return check_choice(answer, kinds, "actor kind")


# ------------------------------------------------------------------------------------ side add


@side_app.command("add")
def side_add(
    side_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="The side's id: lower-case letters, digits and hyphens (e.g. upstream).")] = None,
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="The side's name, as its claims are shown under it.")] = None,
    colour: Annotated[Optional[str], typer.Option("--colour", "--color", metavar="COLOUR", help="A colour name (blue, dark_orange, grey50) or #rrggbb (default: the first of a palette no side uses yet).")] = None,
    interactive: InteractiveOption = False,
    root: RootOption = None,
) -> None:
    """Add a side of the dispute to claims/actors.yaml.

      claimtrack side add upstream --name "Upstream Republic" --colour blue
    """
    from ..store import load_dataset
    from ..edit.inputs import NewSide
    from ..edit.ops import add_side

    where = resolve_root(root)
    if _asking(interactive, side_id is None or name is None):
        ds, _ = guarded(lambda: load_dataset(where))
        try:
            side = ask_side(Asker(make_console()), ds, side_id, name, colour)
        except NoMoreInput:
            fail("the input ended before every question was answered — nothing was written")
    elif side_id is None or name is None:
        fail("a side needs an ID and --name NAME — e.g. claimtrack side add upstream --name \"Upstream Republic\"", 2)
    else:
        side = NewSide(side_id, name, colour)
    result = guarded(lambda: add_side(where, side))

    report_written(result, lambda: typer.echo(f"Added the side {result.claim_id} ({safe_line(side.name)}, colour {result.other_id}) to {result.paths[0]}"))


# ----------------------------------------------------------------------------------- actor add


def ask_actor(asker: Asker, ds, actor_id=None, name=None, side=None, kind=None, role=None, aliases=None, sides=None):
    """The questions of a new actor: name, id, kind, side (when the kind needs one), role.
    `sides` are the side ids to choose from (the dataset's, and one being started alongside)."""
    from ..edit.inputs import InputError, NewActor, check_actor, check_choice

    sides = list(ds.sides) if sides is None else list(sides)
    name = name or asker.ask("The actor's name (as the sources print it)")
    if kind is None:
        for n, (k, meaning) in enumerate(ACTOR_KINDS.items(), 1):
            asker.say(f"  {n}  {k:<12} {meaning}")
        kind = asker.ask("Kind (number or name)", "person", check=pick_kind)
    if side is None and kind not in ("third-party", "outlet"):
        for n, sid in enumerate(sides, 1):
            asker.say(f"  {n}  {sid} — {ds.sides[sid].name if sid in ds.sides else sid}")

        def pick_side(answer):
            if answer.isdigit() and 1 <= int(answer) <= len(sides):
                return sides[int(answer) - 1]
            return check_choice(answer, sides, "side")

        if not sides:
            raise InputError("there is no side yet — add one first (claimtrack side add ID --name NAME)")
        side = asker.ask("Side (number or id)", sides[0] if len(sides) == 1 else None, check=pick_side)
    if actor_id is None:
        def check_id(answer):
            check_actor(ds, NewActor(answer, name, side, kind=kind), set(sides))
            return answer

        actor_id = asker.ask("Its id", _slug_default(name), check=check_id)
    if role is None:
        role = asker.ask("Role: who this actor is (Enter to skip)", "", allow_empty=True) or None
    if aliases is None:
        typed = asker.ask("Other names the sources use, comma-separated (a surname, a title; Enter to skip)", "", allow_empty=True)
        aliases = [a.strip() for a in typed.split(",") if a.strip()]
    return NewActor(actor_id, name, side, role, list(aliases), kind)


@actor_app.command("add")
def actor_add(
    actor_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="The actor's id: lower-case letters, digits and hyphens (e.g. up-ministry).")] = None,
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="The name, as the sources print it.")] = None,
    side: Annotated[Optional[str], typer.Option("--side", metavar="SIDE", help="The side it speaks for (a side id); only a third-party or an outlet has none.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", metavar="KIND", help=f"{', '.join(ACTOR_KINDS)} (default: person).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", metavar="TEXT", help="Who this actor is (e.g. 'government spokesperson').")] = None,
    alias: Annotated[Optional[list[str]], typer.Option("--alias", metavar="NAME", help="Another name the sources use (repeatable): a surname, a title.")] = None,
    interactive: InteractiveOption = False,
    root: RootOption = None,
) -> None:
    """Add an actor (who makes claims) to claims/actors.yaml.

      claimtrack actor add down-spokesman --name "Lena Ortiz" --side downstream --role "government spokesperson" --alias Ortiz
    """
    from ..store import load_dataset
    from ..edit.inputs import NewActor
    from ..edit.ops import add_actor

    where = resolve_root(root)
    if _asking(interactive, actor_id is None or name is None):
        ds, _ = guarded(lambda: load_dataset(where))
        try:
            actor = guarded(lambda: ask_actor(Asker(make_console()), ds, actor_id, name, side, kind, role, alias))
        except NoMoreInput:
            fail("the input ended before every question was answered — nothing was written")
    elif actor_id is None or name is None:
        fail("an actor needs an ID and --name NAME — e.g. claimtrack actor add down-spokesman --name \"Lena Ortiz\" --side downstream", 2)
    else:
        actor = NewActor(actor_id, name, side, role, list(alias or []), kind or "person")
    result = guarded(lambda: add_actor(where, actor))

    def say():
        where_side = f" of {actor.side}" if actor.side else ""
        typer.echo(f"Added the actor {result.claim_id} ({safe_line(actor.name)}, {actor.kind}{where_side}) to {result.paths[0]}")

    report_written(result, say)


# ----------------------------------------------------------------------------------- issue add


def ask_issue(asker: Asker, ds, issue_id=None, title=None, question=None, summary=None):
    """The questions of a new issue: title, id, the question in dispute, a summary."""
    from ..edit.inputs import NewIssue, STOPWORDS, check_new_issue, slugify

    title = title or asker.ask("Title of the issue (short: what the dispute is about)")
    if issue_id is None:
        def check_id(answer):
            check_new_issue(ds, NewIssue(answer, title, "?"))
            return answer

        issue_id = asker.ask("Its id", slugify(title, 4, 32, STOPWORDS), check=check_id)
    question = question or asker.ask("The question in dispute (asked neutrally)")
    if summary is None:
        summary = asker.ask("A short neutral summary (Enter to skip)", "", allow_empty=True) or None
    return NewIssue(issue_id, title, question, summary)


@issue_app.command("add")
def issue_add(
    issue_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="The issue's id: lower-case letters, digits and hyphens (e.g. dam-flow).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TEXT", help="A short title.")] = None,
    question: Annotated[Optional[str], typer.Option("--question", metavar="TEXT", help="The question in dispute, asked neutrally.")] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", metavar="TEXT", help="A short neutral summary.")] = None,
    interactive: InteractiveOption = False,
    root: RootOption = None,
) -> None:
    """Start an issue: claims/<ID>/_issue.yaml with its title, question and summary.

      claimtrack issue add flow --title "The dam's flow" --question "Did Upstream cut the river's flow below the treaty minimum?"
    """
    from ..store import load_dataset
    from ..edit.inputs import NewIssue
    from ..edit.ops import add_issue

    where = resolve_root(root)
    if _asking(interactive, issue_id is None or title is None or question is None):
        ds, _ = guarded(lambda: load_dataset(where))
        try:
            issue = ask_issue(Asker(make_console()), ds, issue_id, title, question, summary)
        except NoMoreInput:
            fail("the input ended before every question was answered — nothing was written")
    elif issue_id is None or title is None or question is None:
        fail("an issue needs an ID, --title TEXT and --question TEXT — e.g. claimtrack issue add flow --title \"The dam's flow\" --question \"Did ...?\"", 2)
    else:
        issue = NewIssue(issue_id, title, question, summary)
    result = guarded(lambda: add_issue(where, issue))

    report_written(result, lambda: typer.echo(f"Started the issue {result.claim_id} ({result.paths[0]})"))


# ------------------------------------------------------------------------------------- actors


@app.command()
def actors(root: RootOption = None, json: JsonOption = False) -> None:
    """The sides and their actors (claims/actors.yaml): id, name, kind, role, aliases."""
    from ..index import queries as q
    from .reading import read_index

    conn = read_index(root, None)
    sides, people = q.sides(conn), q.actors(conn)
    if json:
        from ..views.jsonout import dumps

        typer.echo(dumps({
            "sides": [s.to_dict() for s in sides],
            "actors": [{"id": a.id, "name": a.name, "kind": a.kind, "side": a.side or None, "role": a.role, "aliases": list(a.aliases)} for a in people],
        }))
        return
    from rich.table import Table

    from ..views.render import data, side_text

    by_id = {s.id: s for s in sides}
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Side", max_width=20)
    table.add_column("Actor, kind", no_wrap=True)
    table.add_column("Name, role, other names", ratio=1)  # one cell: the prose gets the rest of the width
    order = {s.id: n for n, s in enumerate(sides)}
    for a in sorted(people, key=lambda a: order.get(a.side, len(order))):
        about = data(a.name)
        if a.role:
            about.append("\n").append_text(data(a.role, "dim"))
        if a.aliases:
            about.append("\n").append_text(data("also: " + ", ".join(a.aliases), "dim"))
        table.add_row(side_text(by_id.get(a.side), "(no side)"), data(a.id).append(f"\n{a.kind}", "dim"), about)
    for s in sides:
        if not any(a.side == s.id for a in people):
            table.add_row(side_text(s), "", data("(no actor yet)", "dim"))
    make_console().print(table)

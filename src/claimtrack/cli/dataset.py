"""The commands about the dataset as a whole: `check` and `init`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from .app import JsonOption, NoPagerOption, RootOption, app, guarded, resolve_root, safe_line
from .output import emit_text, with_progress



class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def check(
    root: RootOption = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text: one 'path:line: severity: message' per line; json: see docs/format.md.")] = CheckFormat.text,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite quotes found only after normalising ([quote-not-exact]) to the source's own characters, then check. The only change --fix ever makes.")] = False,
    json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Validate every file: syntax, fields, ids, links, quotes against sources, hashes, statuses.

    Exit 0 with no errors (warnings allowed), 1 with errors, 2 on a usage error.

    Examples:

      claimtrack check

      claimtrack check --fix          # store quotes as the source spells them

      claimtrack check --json | jq '.problems[] | select(.severity == "error")'
    """
    from ..check import check_dataset
    from ..problems import has_errors, problems_json

    where = resolve_root(root)
    if fix:
        from ..edit.ops import fix_quotes

        fixed = guarded(lambda: fix_quotes(where))
        for rel in fixed.paths:
            n = sum(1 for c in fixed.cites if c.source == rel)
            typer.echo(f"{rel}: fixed {n} quote{'s' * (n != 1)} to the source's own characters", err=True)
        if not fixed.paths:
            typer.echo("no quote needed fixing", err=True)
    ds, problems = guarded(lambda: with_progress("Checking", lambda update: check_dataset(where, update)))
    if format is CheckFormat.json or json:
        import json as json_

        from ..views.render import dumps, versioned

        typer.echo(dumps(versioned(json_.loads(problems_json(problems)))))
    else:
        emit_text("".join(safe_line(p.format()) + "\n" for p in problems), no_pager=no_pager)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        files = len(ds.claims) + len(ds.sources) + len(ds.issues) + 1
        summary = "no problems" if not problems else f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        def n(count: int, what: str) -> str:
            return f"{count} {what}{'s' * (count != 1)}"

        typer.echo(f"{summary} in {n(files, 'file')} ({n(len(ds.claims), 'claim')}, {n(len(ds.sources), 'source')}, {n(len(ds.issues), 'issue')})", err=True)
    raise typer.Exit(1 if has_errors(problems) else 0)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the dataset (created if missing).")] = Path("."),
    example: Annotated[bool, typer.Option("--example", help="Copy the example dataset that ships with claimtrack instead of starting empty.")] = False,
) -> None:
    """Start a dataset: claims/ and sources/, empty and valid, or the shipped example.

    Examples:

      claimtrack init --example ~/af-pk && cd ~/af-pk && claimtrack issues

      claimtrack init my-dispute        (an empty dataset to fill with 'claimtrack add')
    """
    from ..edit.init import init_dataset

    target = guarded(lambda: init_dataset(directory, example=example))
    what = "the example dataset" if example else "an empty dataset"
    typer.echo(f"Created {what} in {target}")
    typer.echo(f"Next: cd {target} && claimtrack {'issues' if example else 'check'}")

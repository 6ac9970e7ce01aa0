"""The command about the file format itself: `claimtrack schema`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app, fail, guarded


class FileKind(str, Enum):
    claim = "claim"
    issue = "issue"
    actors = "actors"
    source = "source"


@app.command()
def schema(
    kind: Annotated[FileKind, typer.Argument(help="claim, issue, actors, or source (its front matter).")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the schema to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of one kind of file, for editor completion and validation.

    Examples:

      claimtrack schema claim -o .schemas/claim.json

      claimtrack schema actors > .schemas/actors.json

    Then put '# yaml-language-server: $schema=../../.schemas/claim.json' on a claim file's first
    line (see docs/format.md, "Editor support").
    """
    from ..jsonschema import schema_json

    text = schema_json(kind.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    from ..paths import write_atomic

    try:
        guarded(lambda: write_atomic(output, text))
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror}) — choose another path", 1)
    typer.echo(f"Wrote {output}", err=True)

"""The command-line face: each command parses its options, calls the library, and prints.

Only typer and the stdlib are imported at start-up; everything heavier is imported inside the
command that needs it, so `claimtrack --help` stays fast. Commands live in a few modules
(cli_read, cli_write, cli_brief) that register themselves on `app`.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, NoReturn, Optional, TypeVar

import typer

from . import __version__

app = typer.Typer(
    name="claimtrack",
    help="Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

RootOption = Annotated[
    Optional[Path],
    typer.Option("--root", help="The dataset folder (default: $CLAIMTRACK_ROOT, or the nearest folder upwards holding claims/ and sources/).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape) instead of text.")]

T = TypeVar("T")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then exit: how every error leaves the CLI."""
    typer.echo(f"claimtrack: error: {safe_line(message)}", err=True)  # ids the user typed may hold escapes
    raise typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code, turning its domain errors into a one-line message and an exit code."""
    from .problems import ClaimtrackError, DatasetNotFound

    try:
        return fn()
    except DatasetNotFound as exc:
        fail(str(exc), 2)
    except ClaimtrackError as exc:
        fail(str(exc), 1)
    except KeyboardInterrupt:
        fail("interrupted — nothing was written", 130)


def resolve_root(root: Optional[Path]) -> Path:
    from .paths import find_root

    return guarded(lambda: find_root(root))


def fresh_index(root: Path):
    """Refresh the index (with a progress bar on a terminal for long work) and open it."""
    from .index import connect, refresh_index

    def run():
        if not sys.stderr.isatty():
            refresh_index(root)
        else:
            with progress_bar("Indexing") as update:
                refresh_index(root, progress=update)
        return connect(root)

    return guarded(run)


def make_console(stderr: bool = False):
    """The one way commands get a rich Console: no markup, emoji or highlighting is ever read
    from data; colour only on a terminal and never with NO_COLOR; width from the terminal or
    $COLUMNS (80 when piped)."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))  # no colour and no bold/italic/reverse either
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, color_system=None if plain else "auto")


class _Progress:
    def __init__(self, label: str):
        self.label = label
        self.progress = None
        self.task = None

    def __enter__(self):
        return self.update

    def update(self, done: int, total: int) -> None:
        if total < 500:
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done, total=total)

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()


def progress_bar(label: str) -> _Progress:
    """A transient progress bar on stderr; shown only for long work (500+ files) on a terminal."""
    return _Progress(label)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs.

    The dataset is plain text (claims/ and sources/); the index under .claimtrack/ is derived
    from it. Start with 'claimtrack init --example DIR', then 'claimtrack issues'.
    """


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def check(
    root: RootOption = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text: one 'path:line: severity: message' per line; json: see docs/format.md.")] = CheckFormat.text,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite quotes found only after normalising ([quote-not-exact]) to the source's own characters, then check. The only change --fix ever makes.")] = False,
) -> None:
    """Validate every file: syntax, fields, ids, links, quotes against sources, hashes, statuses.

    Exit 0 with no errors (warnings allowed), 1 with errors, 2 on a usage error.

    Examples:

      claimtrack check

      claimtrack check --fix          # store quotes as the source spells them

      claimtrack check --format json | jq '.problems[] | select(.severity == "error")'
    """
    from .check import check_dataset
    from .problems import has_errors, problems_json

    where = resolve_root(root)
    if fix:
        from .write import fix_quotes

        fixed = guarded(lambda: fix_quotes(where))
        for rel in fixed.paths:
            n = sum(1 for c in fixed.cites if c.source == rel)
            typer.echo(f"{rel}: fixed {n} quote{'s' * (n != 1)} to the source's own characters", err=True)
        if not fixed.paths:
            typer.echo("no quote needed fixing", err=True)
    if sys.stderr.isatty():
        with progress_bar("Checking") as update:
            ds, problems = guarded(lambda: check_dataset(where, update))
    else:
        ds, problems = guarded(lambda: check_dataset(where))
    if format is CheckFormat.json:
        typer.echo(problems_json(problems))
    else:
        for p in problems:
            typer.echo(safe_line(p.format()))
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        files = len(ds.claims) + len(ds.sources) + len(ds.issues) + 1
        summary = "no problems" if not problems else f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        typer.echo(f"{summary} in {files} files ({len(ds.claims)} claims, {len(ds.sources)} sources, {len(ds.issues)} issues)", err=True)
    raise typer.Exit(1 if has_errors(problems) else 0)


def safe_line(text: str) -> str:
    """Text from the data or the user on one line, control characters shown as escapes."""
    from .safetext import clean

    return clean(text).replace("\n", "\\n")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the dataset (created if missing).")] = Path("."),
    example: Annotated[bool, typer.Option("--example", help="Copy the example dataset that ships with claimtrack instead of starting empty.")] = False,
) -> None:
    """Start a dataset: claims/ and sources/, empty and valid, or the shipped example."""
    from .init import init_dataset

    target = guarded(lambda: init_dataset(directory, example=example))
    what = "the example dataset" if example else "an empty dataset"
    typer.echo(f"Created {what} in {target}")
    typer.echo(f"Next: cd {target} && claimtrack {'issues' if example else 'check'}")


def _register_commands() -> None:
    import importlib

    for name in ("cli_read", "cli_write", "cli_brief", "cli_format"):
        try:
            importlib.import_module(f"claimtrack.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"claimtrack.{name}":
                raise


_register_commands()


def main() -> None:
    app(prog_name="claimtrack")

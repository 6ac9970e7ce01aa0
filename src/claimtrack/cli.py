"""The command-line face: each command parses its options, calls the library, and prints.

Only typer and the stdlib are imported at start-up; everything heavier is imported inside the
command that needs it, so `claimtrack --help` stays fast. Commands live in a few modules
(cli_read, cli_write, cli_brief) that register themselves on `app`.
"""

from __future__ import annotations

import io
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
DatabaseOption = Annotated[
    Optional[str],
    typer.Option("--database", envvar="CLAIMTRACK_DATABASE", metavar="postgresql://USER@HOST/DB", show_default=False,
                 help="Read a team's shared index on PostgreSQL (made by 'claimtrack sync', see docs/teams.md) instead of the local dataset (default: $CLAIMTRACK_DATABASE)."),
]

T = TypeVar("T")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then exit: how every error leaves the CLI."""
    typer.echo(f"claimtrack: error: {safe_line(message)}", err=True)  # ids the user typed may hold escapes
    raise typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code, turning its domain errors into a one-line message and an exit code.

    A Ctrl-C says what is on disk: "nothing was written" (exit 130) only when this command has
    committed no file; after a write, it names the files written and exits 0, so a script that
    retries on failure does not write the same claim twice."""
    from .problems import ClaimtrackError, DatasetNotFound

    start = written_mark()
    try:
        return fn()
    except DatasetNotFound as exc:
        fail(str(exc), 2)
    except ClaimtrackError as exc:
        fail(str(exc), 1)
    except KeyboardInterrupt:
        written = written_since(start)
        if written:
            warn(f"interrupted after the write — written: {', '.join(written)}; the index is refreshed on the next read")
            raise typer.Exit(0)
        fail("interrupted — nothing was written", 130)


def warn(message: str) -> None:
    """One warning line on stderr: something went wrong that leaves the command's work done."""
    typer.echo(f"claimtrack: warning: {safe_line(message)}", err=True)


def _committed() -> list[str]:
    write = sys.modules.get("claimtrack.write")  # not loaded: nothing can have been written
    return write.committed() if write is not None else []


def written_mark() -> int:
    """A mark in the process's record of committed files: `written_since(mark)` is what was
    written after it (tests run many commands in one process, so the record is not per command)."""
    return len(_committed())


def written_since(mark: int) -> list[str]:
    """The files committed since `mark`, in order, each named once."""
    return list(dict.fromkeys(_committed()[mark:]))


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


def read_index(root: Optional[Path], database: Optional[str]):
    """What a reading command reads: the team's database when one is named (psycopg imported
    only then), else the local dataset's index, refreshed."""
    if not database:
        return fresh_index(resolve_root(root))
    from .teamdb.reads import connect

    return guarded(lambda: connect(database))


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

    for name in ("cli_read", "cli_write", "cli_brief", "cli_format", "cli_interchange", "cli_suggest", "cli_teamdb", "cli_browse", "cli_watch"):
        try:
            importlib.import_module(f"claimtrack.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"claimtrack.{name}":
                raise


_register_commands()


def unreadable_argument(args: list[str]) -> str | None:
    """The error for the first argument that is not UTF-8 (bytes Python decoded as lone
    surrogates, which no file, id or SQLite query can hold), or None when all are."""
    for n, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            from .paths import shown

            return f"argument {n} ('{shown(arg)}') is not valid UTF-8 — give it in UTF-8 (ids are lower-case letters, digits and hyphens)"
    return None


class StdoutError(Exception):
    """Writing to standard output failed (a full disk, an I/O error, a reader that went away).
    Not an OSError on purpose: no `except OSError` on the way (a command's own, click's, rich's)
    mistakes it for a failure of the file that command was writing, and it reaches `main`."""

    def __init__(self, error: OSError):
        super().__init__(error.strerror or str(error))
        self.errno = error.errno


class _StdoutRaw(io.FileIO):
    """File descriptor 1, whose write errors are StdoutErrors."""

    def write(self, data) -> int | None:
        try:
            return super().write(data)
        except OSError as exc:
            raise StdoutError(exc) from None


def _watch_stdout() -> None:
    """Put a stdout in place whose write errors say they are stdout's, with the same encoding,
    error handler and line buffering as the one Python opened (so rich and click see a normal
    text stream, a terminal as a terminal)."""
    old = sys.stdout
    try:
        fd = old.fileno()
    except (AttributeError, OSError, ValueError):
        return  # no real stdout (closed, or replaced by a caller): leave it as it is
    raw = _StdoutRaw(fd, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw), encoding=old.encoding, errors=old.errors, line_buffering=old.line_buffering
    )


def _standard_fds_open() -> bool:
    """Fill a closed stdin or stderr with /dev/null, so that no file the command opens (the
    index, a claim being written) gets fd 0 or 2 and receives what is meant for the terminal.
    False when stdout (fd 1) is closed: the command is not run, its output would go nowhere."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:  # os.open takes the lowest free descriptor: each closed one in turn
        if os.open(os.devnull, os.O_RDWR) != fd:
            break
    if 2 in closed:
        sys.stderr = open(2, "w", closefd=False)
    return 1 not in closed


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so the flush at interpreter exit has somewhere to put what is
    still buffered (the Python docs' way for a broken pipe; here also for a full disk)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    """The `claimtrack` program. Every command's output goes through one guard: when standard
    output cannot be written (ENOSPC, EIO, EFBIG, ...) the program ends with one line on stderr
    and exit 1; when the reader went away (EPIPE, `claimtrack list | head -1`) it ends silently
    with exit 141, what a shell reports for git or grep killed by SIGPIPE, so a pipeline's
    status says the output was cut short. No traceback either way."""
    import errno

    bad = unreadable_argument(sys.argv[1:])
    if bad:
        sys.stderr.write(f"claimtrack: error: {safe_line(bad)}\n")
        raise SystemExit(2)
    if not _standard_fds_open():
        typer.echo("claimtrack: error: standard output is closed — run it with >/dev/null to discard the output", err=True)
        sys.exit(1)
    _watch_stdout()
    code: int | str | None = 0
    from .problems import ClaimtrackError

    try:
        try:
            app(prog_name="claimtrack")
        except SystemExit as exc:
            code = exc.code
        except ClaimtrackError as exc:  # raised outside `guarded` (an index that broke mid-command): one line all the same
            typer.echo(f"claimtrack: error: {safe_line(str(exc))}", err=True)
            code = 1
        sys.stdout.flush()  # inside the guard: what is still buffered may fail too
    except StdoutError as exc:
        _silence_stdout()
        if exc.errno == errno.EPIPE:
            sys.exit(141)
        typer.echo(f"claimtrack: error: cannot write to standard output: {exc} — {_stdout_hint(exc.errno)}", err=True)
        sys.exit(1)
    sys.exit(code)


def _stdout_hint(code: int | None) -> str:
    import errno

    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space, or send the output elsewhere (anything the command saved to the dataset is saved)"
    return "check the terminal or the file it is sent to, or send the output elsewhere (anything the command saved to the dataset is saved)"

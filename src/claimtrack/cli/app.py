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
import typer.core

from .. import __version__

class _Group(typer.core.TyperGroup):
    """The command group, with usage errors in the one-line style of every other error
    (`claimtrack: error: ...`, exit 2) instead of click's boxed usage panel."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer's own copy of click

        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:  # `claimtrack` alone, or a group without its command: the help
            if not standalone_mode:
                raise
            typer.echo(exc.ctx.get_help() if exc.ctx is not None else str(exc))
            sys.exit(exc.exit_code)
        except ClickException as exc:
            if not standalone_mode:
                raise
            typer.echo(f"claimtrack: error: {safe_line(usage_message(exc))}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("claimtrack: error: aborted", err=True)
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def usage_message(exc) -> str:
    """A click error as one line: its message, then where the command's help is."""
    from typer._click.exceptions import UsageError

    message = exc.format_message().rstrip(".")
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, UsageError):
        where = ctx.command_path if ctx is not None else "claimtrack"
        return f"{message} — see '{where} --help'"
    return message


app = typer.Typer(
    cls=_Group,
    name="claimtrack",
    help="Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs.",
    no_args_is_help=True,
    add_completion=True,
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


# --- shell completion ----------------------------------------------------------------------
# `claimtrack --install-completion` puts typer's completion script in the shell's startup file;
# these callbacks complete ids from the index. They read it with the stdlib only (sqlite3,
# read-only, no refresh: completion must be instant) and never fail: any error, no completions.

_COMPLETE_SQL = {
    "issue": "SELECT id, title FROM issues ORDER BY id",
    "claim": "SELECT id, statement FROM claims ORDER BY id",
    "side": "SELECT id, name FROM sides ORDER BY ord",
    "actor": "SELECT id, name FROM actors ORDER BY ord",
    "source": "SELECT id, title FROM sources ORDER BY id",
}


def _completion_root(ctx) -> Optional[Path]:
    from ..paths import find_root

    given = None
    while ctx is not None and given is None:
        given = (ctx.params or {}).get("root")
        ctx = ctx.parent
    try:
        return find_root(given)
    except Exception:
        return None


def complete_ids(ctx, incomplete: str, *kinds: str) -> list[tuple[str, str]]:
    """(id, what it is) for every id of these kinds starting with `incomplete`, from the index
    as it is on disk; [] when there is no dataset, no index yet, or anything else goes wrong."""
    import sqlite3

    try:
        from ..index.refresh import index_path

        root = _completion_root(ctx)
        if root is None:
            return []
        path = index_path(root)
        if not path.is_file():
            return []
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            out = []
            for kind in kinds:
                for ident, help_ in conn.execute(_COMPLETE_SQL[kind]):
                    if ident.startswith(incomplete):
                        out.append((ident, " ".join(str(help_ or kind).split())[:60]))
            return out
        finally:
            conn.close()
    except Exception:  # completion never breaks the shell: no suggestions instead
        return []


def complete_issue(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "issue")


def complete_claim(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "claim")


def complete_ref(ctx: typer.Context, incomplete: str):
    """An issue or a claim (show, browse): the issues, and their claims once something is typed."""
    return complete_ids(ctx, incomplete, *(("issue", "claim") if incomplete else ("issue",)))


def complete_side(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "side")


def complete_actor(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "actor")


def complete_source(ctx: typer.Context, incomplete: str):
    return complete_ids(ctx, incomplete, "source")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then exit: how every error leaves the CLI."""
    typer.echo(f"claimtrack: error: {safe_line(message)}", err=True)  # ids the user typed may hold escapes
    raise typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code, turning its domain errors into a one-line message and an exit code.

    A Ctrl-C says what is on disk: "nothing was written" (exit 130) only when this command has
    committed no file; after a write, it names the files written and exits 0, so a script that
    retries on failure does not write the same claim twice."""
    from ..problems import ClaimtrackError, DatasetNotFound

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
            raise typer.Exit(0) from None
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


_GLOBAL: dict = {"root": None, "no_pager": False}  # options given before the command; set by main_callback


def global_root(root: Optional[Path]) -> Optional[Path]:
    """The command's own --root, else the one given before the command (`claimtrack --root DIR
    issues`, like `git -C`), else None (then $CLAIMTRACK_ROOT or the folders upwards)."""
    return root if root is not None else _GLOBAL["root"]


def resolve_root(root: Optional[Path]) -> Path:
    from ..paths import find_root

    return guarded(lambda: find_root(global_root(root)))


def fresh_index(root: Path):
    """Refresh the index (with a progress bar on a terminal for long work) and open it."""
    from ..index.refresh import connect, refresh_index

    def run():
        if not sys.stderr.isatty():
            refresh_index(root)
        else:
            with progress_bar("Indexing") as update:
                refresh_index(root, progress=update)
        return connect(root)

    return guarded(run)


def read_index(root: Optional[Path], database: Optional[str], report: bool = True):
    """What a reading command reads: the team's database when one is named (psycopg imported
    only then), else the local dataset's index, refreshed. With `report`, one line on stderr
    when files were left out for their errors (see `report_left_out`)."""
    if not database:
        conn = fresh_index(resolve_root(root))
        if report:
            report_left_out(conn)
        return conn
    from ..teamdb.reads import connect

    return guarded(lambda: connect(database))


def files_left_out(conn) -> list[str]:
    """The files the index holds no record of because they have an error (a claim, source,
    issue or actors file that does not load), in path order. Files with only warnings are in."""
    import json

    out = []
    for path, problems in conn.execute("SELECT path, problems FROM files WHERE problems != '[]' ORDER BY path"):
        try:
            if any(p.get("severity") == "error" for p in json.loads(problems)):
                out.append(path)
        except (ValueError, AttributeError, TypeError):
            out.append(path)
    return out


def report_left_out(conn) -> None:
    """Say, in one line on stderr, how many files a read left out for their errors and what to
    run: a broken file never vanishes silently from show, list, timeline, search or issues."""
    left = files_left_out(conn)
    if left:
        n = len(left)
        more = f" and {n - 1} more" if n > 1 else ""
        warn(f"{n} file{'s' * (n != 1)} with errors left out ({left[0]}{more}) — run 'claimtrack check' to see why")


def make_console(stderr: bool = False):
    """The one way commands get a rich Console: no markup, emoji or highlighting is ever read
    from data; colour only on a terminal and never with NO_COLOR; width from the terminal or
    $COLUMNS (80 when piped)."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))  # no colour and no bold/italic/reverse either
    forced = os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0")  # as FORCE_COLOR, which rich reads itself
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, color_system=None if plain else "auto",
                   force_terminal=True if forced and not plain else None)


NoPagerOption = Annotated[bool, typer.Option("--no-pager", help="Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).")]


def pager_command() -> Optional[str]:
    """The pager to use, as git chooses one: $CLAIMTRACK_PAGER, else $PAGER, else `less -FRX`
    (quit if one screen, keep colours, leave the text on the screen). Set to '' for none."""
    for name in ("CLAIMTRACK_PAGER", "PAGER"):
        if name in os.environ:
            return os.environ[name].strip() or None
    return "less -FRX"


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def paging(no_pager: bool = False) -> bool:
    """Whether output may go through a pager: only on a terminal, never when piped, never with
    --no-pager (before or after the command) or an empty $CLAIMTRACK_PAGER."""
    return not no_pager and not _GLOBAL["no_pager"] and _stdout_is_terminal() and pager_command() is not None


def emit(*renderables, no_pager: bool = False) -> None:
    """Print rich renderables on stdout; on a terminal, through the pager when they are longer
    than the screen (git's behaviour). Everything a reading command prints as text comes here."""
    console = make_console()
    if not paging(no_pager):
        if console.is_terminal:
            for r in renderables:
                console.print(r)
            return
        with console.capture() as captured:  # piped: no padding left at the ends of lines
            for r in renderables:
                console.print(r)
        sys.stdout.write("".join(line.rstrip(" ") + "\n" for line in captured.get().splitlines()))
        return
    with console.capture() as captured:
        for r in renderables:
            console.print(r)
    emit_text(captured.get(), no_pager=no_pager, height=console.height)


def emit_text(text: str, no_pager: bool = False, height: Optional[int] = None) -> None:
    """Write finished text on stdout, through the pager when on a terminal and longer than the
    screen. A pager that quits early (q in less) ends the output quietly, as in git."""
    if height is None:
        import shutil

        height = shutil.get_terminal_size().lines
    if not paging(no_pager) or text.count("\n") < height:
        sys.stdout.write(text)
        return
    import shlex
    import shutil
    import subprocess

    command = pager_command()
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        program = ""
    if not shutil.which(program):
        sys.stdout.write(text)  # no such pager: the text all the same
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: a plain `less` quits on one screen and keeps colours
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    try:
        try:
            pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        except OSError:  # the pager quit before reading it all (q in less): what the reader asked for
            pass
        try:
            pager.stdin.close()
        except OSError:
            pass
        pager.wait()
    except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less uses it); wait for it to end
        pager.wait()


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
            from rich.progress import Progress

            self.progress = Progress(console=make_console(stderr=True), transient=True)  # NO_COLOR honoured
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
    root: Annotated[Optional[Path], typer.Option("--root", "-C", help="The dataset folder, for every command (like git -C); a command's own --root wins.", show_default=False)] = None,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never send output through a pager (also: CLAIMTRACK_PAGER=).")] = False,
) -> None:
    """Track claims and counterclaims in a dispute: verbatim citations, typed links, status history, briefs.

    The dataset is plain text (claims/ and sources/); the index under .claimtrack/ is derived
    from it. Start with 'claimtrack init --example DIR', then 'claimtrack issues'.
    """
    _GLOBAL["root"] = root
    _GLOBAL["no_pager"] = no_pager


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
        from ..write import fix_quotes

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
    if format is CheckFormat.json or json:
        import json as json_

        from ..views.jsonout import dumps, versioned

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


def safe_line(text: str) -> str:
    """Text from the data or the user on one line, control characters shown as escapes."""
    from ..safetext import clean

    return clean(text).replace("\n", "\\n")


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
    from ..init import init_dataset

    target = guarded(lambda: init_dataset(directory, example=example))
    what = "the example dataset" if example else "an empty dataset"
    typer.echo(f"Created {what} in {target}")
    typer.echo(f"Next: cd {target} && claimtrack {'issues' if example else 'check'}")


def unreadable_argument(args: list[str]) -> str | None:
    """The error for the first argument that is not UTF-8 (bytes Python decoded as lone
    surrogates, which no file, id or SQLite query can hold), or None when all are."""
    for n, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            from ..paths import shown

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
    from ..problems import ClaimtrackError

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

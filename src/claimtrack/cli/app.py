"""The typer application and what every command shares: the options given before the command
(--root, --no-pager), the options most commands take, and errors as one located line
(`fail`, `guarded`, `warn`). Only typer and the stdlib are imported at start-up; everything
heavier is imported inside the command that needs it, so `claimtrack --help` stays fast."""

from __future__ import annotations

import functools
import sys
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


class _Maker(functools.partial):
    """How to build one command (typer's own builder, with its arguments): not yet built."""


class _BuiltOnDemand(dict):
    """A group's commands by name, each built (typer reads its signature and makes the click
    parameters) the first time it is asked for. A process runs one command: building all of
    them cost about 50 ms, a fifth of a short read. Names are known from the start, so usage
    errors, suggestions and `--help` (which asks for every command) are as before."""

    def __getitem__(self, name: str):
        value = super().__getitem__(name)
        if isinstance(value, _Maker):
            value = value()
            super().__setitem__(name, value)
        return value

    def get(self, name, default=None):
        return self[name] if name in self else default

    def items(self):
        return [(name, self[name]) for name in self.keys()]

    def values(self):
        return [self[name] for name in self.keys()]

    def __iter__(self):
        return iter(list(self.keys()))


def command_line(typer_app: typer.Typer):
    """What `typer_app()` runs (typer.main.get_command), with every command and group built on
    demand (`_BuiltOnDemand`). The entry point uses it; the tests' CliRunner goes through typer's
    own eager building, and a test holds the two equal, command by command."""
    import copy

    import typer.main as tm

    shell = copy.copy(typer_app)
    shell.registered_commands, shell.registered_groups = [], []
    group = tm.get_command(shell)  # the group itself: its callback and options, completion's
    makers: dict = {}
    for info in typer_app.registered_commands:
        name = info.name or tm.get_command_name(info.callback.__name__)
        makers[name] = _Maker(tm.get_command_from_info, info, pretty_exceptions_short=typer_app.pretty_exceptions_short,
                               rich_markup_mode=typer_app.rich_markup_mode)
    for info in typer_app.registered_groups:
        name = tm.solve_typer_info_defaults(info).name
        makers[name] = _Maker(tm.get_group_from_info, info, pretty_exceptions_short=typer_app.pretty_exceptions_short,
                               rich_markup_mode=typer_app.rich_markup_mode, suggest_commands=typer_app.suggest_commands)
    group.commands = _BuiltOnDemand(makers)
    return group


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
NoPagerOption = Annotated[bool, typer.Option("--no-pager", help="Print straight to the terminal, never through $PAGER (also: CLAIMTRACK_PAGER=).")]
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
    write = sys.modules.get("claimtrack.edit.transaction")  # not loaded: nothing can have been written
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


def safe_line(text: str) -> str:
    """Text from the data or the user on one line, control characters shown as escapes."""
    from ..safetext import clean

    return clean(text).replace("\n", "\\n")

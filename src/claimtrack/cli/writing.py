"""What every writing command shares: the --interactive option, asking questions (rich prompts
that never read markup from the data and stop cleanly at the end of input), and reporting what
was written, where nothing after a commit may turn a write that happened into a failure."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import safe_line, warn

InteractiveOption = Annotated[
    bool, typer.Option("--interactive", "-I", help="Ask for what the options do not give, even without a terminal (the guided flow).")
]


def print_warnings(problems) -> None:
    for p in problems:
        typer.echo(safe_line(p.format()), err=True)


def _text(value: str):
    from rich.text import Text

    return Text(safe_line(value))


class NoMoreInput(Exception):
    pass


class Cancelled(Exception):
    pass


class Asker:
    """rich prompts that never read markup from data, and stop cleanly at the end of input."""

    def __init__(self, console):
        self.console = console

    def say(self, line: str = "", style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(safe_line(line), style=style))

    def ask(self, label: str, default: str | None = None, check=None, allow_empty: bool = False):
        """Ask until `check(answer)` accepts it; an InputError's message is shown and asked again."""
        from rich.prompt import Prompt

        from ..edit.inputs import InputError

        while True:
            try:
                kwargs = {"default": default, "show_default": bool(default)} if default is not None else {}
                answer = Prompt.ask(_text(label), console=self.console, **kwargs)
            except EOFError:
                raise NoMoreInput from None
            answer = (answer or "").strip()
            if not answer and not allow_empty and default is None:
                self.say("  an answer is needed here")
                continue
            if check is None:
                return answer
            try:
                return check(answer)
            except InputError as exc:
                self.say(f"  {exc}")

    def confirm(self, label: str, default: bool = True) -> bool:
        from rich.prompt import Confirm

        try:
            return Confirm.ask(_text(label), console=self.console, default=default)
        except EOFError:
            raise NoMoreInput from None


def chain_of(text: str | None) -> list[str]:
    """`--reported-by "A > B"` (and the guided answer) as the list reported_by holds: nearest the
    speaker first, blanks dropped."""
    return [r.strip() for r in (text or "").split(">") if r.strip()]


def say_if_restored(cite) -> None:
    """One line when a quote is stored in the source's own characters rather than as typed."""
    if cite.typed is not None:
        typer.echo(f"The quote from {cite.source} is stored as the source has it: “{safe_line(cite.quote)}”")


def short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def after_write(paths: list[str], fn, failing: str = "its report could not be printed ({reason})") -> None:
    """Run what a command does once its files are committed (refresh the index, show the
    thread, print what was written). Nothing here may turn a write that happened into a failure:
    a Ctrl-C or an error becomes one warning line naming the files written, and exit 0."""
    try:
        fn()
    except KeyboardInterrupt:
        warn(f"interrupted after the write — written: {', '.join(paths)}; the index is refreshed on the next read")
        raise typer.Exit(0) from None
    except typer.Exit:
        raise
    except Exception as exc:  # the write is done; whatever failed after it is reported, not raised
        from .main import StdoutError

        if isinstance(exc, StdoutError):  # one mechanism for a lost stdout: cli.main says it, and that the write is kept
            raise
        warn(f"written: {', '.join(paths)}; {failing.format(reason=_reason(exc))}")


def _reason(exc: BaseException) -> str:
    """An exception in a few words, on one line: its type and its message's first line."""
    text = getattr(exc, "strerror", None) or (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --------------------------------------------------------------------------------- source add


def bad_choice(answer: str):
    from ..edit.inputs import InputError

    raise InputError(f"'{answer}' — answer e, d or k")


def report_written(result, say) -> None:
    """After a committed write: `say()` prints what was written, then the warnings the change
    brought, all through `after_write`, so that nothing printed afterwards can turn a write that
    happened into a failure."""

    def report():
        say()
        print_warnings(result.warnings)

    after_write(result.paths, report)

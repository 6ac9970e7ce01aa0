"""Where output goes: the one console factory (NO_COLOR, CLICOLOR_FORCE, the width), the one
terminal check, the pager (git's rules), and progress bars on long work. Every reading command
prints through `emit`/`emit_text`; every long job reports through `with_progress`."""

from __future__ import annotations

import os
import sys
from typing import Callable, Optional


from .app import _GLOBAL, T



def make_console(stderr: bool = False):
    """The one way commands get a rich Console: no markup, emoji or highlighting is ever read
    from data; colour only on a terminal and never with NO_COLOR; width from the terminal or
    $COLUMNS (80 when piped)."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))  # no colour and no bold/italic/reverse either
    forced = os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0")  # as FORCE_COLOR, which rich reads itself
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, color_system=None if plain else "auto",
                   force_terminal=True if forced and not plain else None)


def pager_command() -> Optional[str]:
    """The pager to use, as git chooses one: $CLAIMTRACK_PAGER, else $PAGER, else `less -FRX`
    (quit if one screen, keep colours, leave the text on the screen). Set to '' for none."""
    for name in ("CLAIMTRACK_PAGER", "PAGER"):
        if name in os.environ:
            return os.environ[name].strip() or None
    return "less -FRX"


def on_terminal(stream=None) -> bool:
    """Whether `stream` (stdout unless named) is a terminal: the one test every command uses, to
    ask questions, page, draw a progress bar or colour. A closed or replaced stream is not one."""
    try:
        return (sys.stdout if stream is None else stream).isatty()
    except (AttributeError, ValueError):
        return False


def paging(no_pager: bool = False) -> bool:
    """Whether output may go through a pager: only on a terminal, never when piped, never with
    --no-pager (before or after the command) or an empty $CLAIMTRACK_PAGER."""
    return not no_pager and not _GLOBAL["no_pager"] and on_terminal() and pager_command() is not None


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


def with_progress(label: str, work: Callable[[Optional[Callable[[int, int], None]]], T]) -> T:
    """`work(progress)`, with a progress bar when stderr is a terminal and `progress=None` when it
    is not (a pipe, a log file, CI): the library functions take the callback or nothing."""
    if not on_terminal(sys.stderr):
        return work(None)
    with progress_bar(label) as update:
        return work(update)

"""The process's entry point: arguments that are not UTF-8 refused before any command runs,
and the one guard on standard output (a full disk, an I/O error, a reader that went away).
Not an OSError on the way: see StdoutError."""

from __future__ import annotations

import io
import os
import sys

import typer
import typer.core

from .app import app, command_line, safe_line



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
    # A character the output's encoding lacks (PYTHONIOENCODING=ascii, a legacy code page) is
    # written as a visible escape (\xb7), as safetext shows control characters: never dropped,
    # never a traceback.
    errors = "backslashreplace" if old.errors == "strict" else old.errors
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw), encoding=old.encoding, errors=errors, line_buffering=old.line_buffering
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
            command_line(app)(prog_name="claimtrack")
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

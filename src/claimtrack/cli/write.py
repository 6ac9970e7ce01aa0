"""The writing commands: add, status, link, unlink, cite, edit.

Each parses its options, calls claimtrack.edit (ops, transaction), and prints; the guided flow of
`add` is in guided.py, what writing commands share in writing.py, `source add` in source.py. Only
typer, the stdlib and claimtrack.cli.app are imported at start-up.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import RootOption, app, fail, guarded, resolve_root, safe_line, warn

from .output import make_console
from .guided import DRAFT_FILE, ask_guided, draft_is_empty, draft_state, from_candidate, load_draft, shown_path
from .output import on_terminal
from .writing import Asker, Cancelled, InteractiveOption, NoMoreInput, after_write, bad_choice, chain_of, print_warnings, say_if_restored, report_written
@app.command()
def add(
    issue: Annotated[Optional[str], typer.Option(metavar="ISSUE", help="The issue id.")] = None,
    by: Annotated[Optional[str], typer.Option(metavar="ACTOR", help="Who said it: an actor id, name or alias from claims/actors.yaml.")] = None,
    kind: Annotated[Optional[str], typer.Option(metavar="KIND", help="accusation, denial, rebuttal, counter-accusation, proposal, pledge, concession, demand, agreement or statement.")] = None,
    said_on: Annotated[Optional[str], typer.Option(metavar="DATE", help="When it was said (EDTF): 2025-11-05, 2025-11, 2025; an interval 2025-11-01/2025-11-05; ../2014-07-24 (on or before), 2014-07-23/.. (on or after); or unknown.")] = None,
    inferred: Annotated[Optional[str], typer.Option("--inferred", help="The date is not stated in the source: say what it is inferred from.", metavar="NOTE")] = None,
    statement: Annotated[Optional[str], typer.Option(metavar="TEXT", help="One neutral, attributive sentence: who said what.")] = None,
    status: Annotated[str, typer.Option(metavar="STATUS", help="The claim's status.")] = "asserted",
    note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="The note of the first history entry (default: 'Recorded from <sources>.').")] = None,
    rebuts: Annotated[Optional[list[str]], typer.Option(metavar="CLAIM", help="A claim this one answers (repeatable; a name alone looks in the same issue).")] = None,
    supports: Annotated[Optional[list[str]], typer.Option(metavar="CLAIM", help="A claim this one backs (repeatable).")] = None,
    supersedes: Annotated[Optional[list[str]], typer.Option(metavar="CLAIM", help="An earlier position of the same side this one replaces (repeatable).")] = None,
    cite: Annotated[Optional[list[str]], typer.Option("--cite", help="A source id (repeatable; each with a --quote, in order).", metavar="SOURCE")] = None,
    quote: Annotated[Optional[list[str]], typer.Option("--quote", help="The words quoted from the --cite source, verbatim.", metavar="TEXT")] = None,
    channel: Annotated[Optional[list[str]], typer.Option("--channel", metavar="TEXT", help="How the speaker said it ('post on X', 'press briefing', 'interview with Khyber News'): one per --cite, in order, or none.")] = None,
    reported_by: Annotated[Optional[list[str]], typer.Option("--reported-by", metavar="A > B", help="The intermediaries the claim passed through before the source, nearest the speaker first, separated by '>': one per --cite, in order ('' for none), or none.")] = None,
    reported_on: Annotated[Optional[list[str]], typer.Option("--reported-on", metavar="DATE", help="When this source says it was said: one per --cite, in order ('' for none), or none.")] = None,
    cite_note: Annotated[Optional[list[str]], typer.Option("--cite-note", metavar="TEXT", help="A note on the citation: one per --cite, in order ('' for none), or none.")] = None,
    via: Annotated[Optional[list[str]], typer.Option("--via", metavar="TEXT", hidden=True, help="The old spelling of --channel/--reported-by.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", help="A short tag (repeatable).")] = None,
    name: Annotated[Optional[str], typer.Option(metavar="NAME", help="The file name (default: from the statement).")] = None,
    keep_status: Annotated[bool, typer.Option("--keep-status", help="Leave the status of the claims it rebuts or supersedes as it is (by default an asserted claim it rebuts becomes disputed, one it supersedes superseded, each with a dated history entry).")] = False,
    from_: Annotated[Optional[str], typer.Option("--from", metavar="SOURCE:N", help="Start the guided flow from candidate #N of 'claimtrack suggest SOURCE': its speaker, kind, date, quote, channel and chain are offered as defaults to accept or change.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the guided claim that was interrupted (its answers are kept in .claimtrack/draft.json).")] = False,
    interactive: InteractiveOption = False,
    root: RootOption = None,
) -> None:
    """Record a new claim with its citations; prints the thread with the new claim marked ▶.

    With no options on a terminal it guides you through each part, checking quotes against the source as you go. With options it never asks: for scripts.
    """
    from ..store import claim_path
    from ..edit.inputs import Cite, ClaimDraft
    from ..edit.ops import add_claim

    where = resolve_root(root)
    cites, quotes = cite or [], quote or []
    if len(cites) != len(quotes):
        fail(f"{len(cites)} --cite but {len(quotes)} --quote — give each --cite SOURCE its --quote TEXT", 2)
    per_cite = {"--via": via or [], "--channel": channel or [], "--reported-by": reported_by or [],
                "--reported-on": reported_on or [], "--cite-note": cite_note or []}
    for option, values in per_cite.items():
        if values and len(values) != len(cites):
            fail(f"{len(values)} {option} for {len(cites)} --cite — give one {option} per --cite, in order ('' for none), or none", 2)

    def nth(option: str, i: int) -> str | None:
        values = per_cite[option]
        return (values[i].strip() or None) if values else None

    draft = ClaimDraft(
        issue=issue or "", by=by or "", kind=kind or "", said_on=said_on or "", statement=statement if statement is not None else "",
        citations=[Cite(s, q, nth("--via", i), nth("--cite-note", i), nth("--channel", i),
                        chain_of(nth("--reported-by", i)), nth("--reported-on", i))
                   for i, (s, q) in enumerate(zip(cites, quotes, strict=True))],
        said_on_note=inferred, status=status, note=note, rebuts=list(rebuts or []), supports=list(supports or []),
        supersedes=list(supersedes or []), tags=list(tag or []), name=name, keep_status=keep_status,
    )
    given = any(v is not None for v in (issue, by, kind, said_on, statement, cite, rebuts, supports, supersedes))
    guided_state = None
    if resume:
        guided_state = load_draft(where)
    elif from_ is not None:
        guided_state = {**draft_state(draft), **guarded(lambda: from_candidate(where, from_))}
    if resume or from_ is not None or interactive or (not given and on_terminal(sys.stdin)):
        from ..problems import ClaimtrackError

        console = make_console()
        shown = shown_path(where / DRAFT_FILE)
        kept = f"your answers are kept in {shown}: 'claimtrack add --resume' goes on from there"
        if guided_state is None and not given and not draft_is_empty(where):
            try:  # an interrupted claim is never replaced without asking
                if Asker(console).confirm(f"An interrupted claim is kept in {shown}. Continue it? (n: start a new one, and drop it)", True):
                    guided_state = load_draft(where)
            except NoMoreInput:
                fail(f"the input ended — nothing was written; {kept}")
        try:
            draft = ask_guided(where, draft, Asker(console), guided_state)
        except NoMoreInput:
            typer.echo("", err=True)  # end the unanswered question's line
            fail(f"the input ended before the claim was complete — nothing was written; {kept}")
        except KeyboardInterrupt:
            typer.echo("", err=True)
            fail(f"interrupted — nothing was written; {kept}", 130)
        except Cancelled:
            (where / DRAFT_FILE).unlink(missing_ok=True)
            typer.echo("Nothing was written.")
            raise typer.Exit(1) from None
        except ClaimtrackError as exc:
            if draft_is_empty(where):
                (where / DRAFT_FILE).unlink(missing_ok=True)
                fail(str(exc))
            fail(f"{exc}; {kept}")
    elif not given:
        fail("no claim given — run 'claimtrack add' on a terminal to be guided, or pass --issue --by --kind --said-on --statement --cite --quote (see --help)", 2)
    else:
        missing = [opt for opt, value in (("--issue", issue), ("--by", by), ("--kind", kind), ("--said-on", said_on), ("--statement", statement), ("--cite/--quote", cite)) if value is None]
        if missing:
            fail(f"missing {', '.join(missing)} — a claim needs all of --issue --by --kind --said-on --statement and at least one --cite SOURCE --quote TEXT", 2)
    result = guarded(lambda: add_claim(where, draft))
    (where / DRAFT_FILE).unlink(missing_ok=True)

    def report():
        for c in result.cites:
            say_if_restored(c)
        typer.echo(f"Wrote {result.paths[-1]}")
        followed = {claim_path(f.claim_id) for f in result.followed}
        for rel in result.paths[:-1]:
            if rel not in followed:
                typer.echo(f"Wrote {rel}")
        _print_followed(result.followed)
        print_warnings(result.warnings)

    after_write(result.paths, lambda: _show_thread(where, result.claim_id),
                 "the index could not be refreshed ({reason}) — it will be rebuilt on the next read")
    after_write(result.paths, report)


def _print_followed(followed) -> None:
    """One line saying which other claims' statuses the write changed, and how to avoid it."""
    if followed:
        parts = [f"{f.claim_id} is now {f.new} (was {f.old})" for f in followed]
        typer.echo(f"Also changed: {'; '.join(parts)} — a dated history entry names the answer; --keep-status leaves statuses alone")


def _show_thread(where: Path, claim_id: str) -> None:
    """The issue's threads with `claim_id` marked; skipped if rendering is not available.
    Errors are raised as they are: the caller (after_write) turns them into a warning."""
    try:
        from ..views.render import issue_tree
    except ImportError:
        return
    from ..edit.transaction import refresh_after_write
    from ..index.refresh import connect
    from ..views.threads import load_issue_view

    refresh_after_write(where)
    conn = connect(where)
    try:
        view = load_issue_view(conn, claim_id.split("/")[0])
    finally:
        conn.close()
    make_console().print(issue_tree(view, highlight=claim_id))


# -------------------------------------------------------------------------- status, link


@app.command()
def status(
    claim: Annotated[str, typer.Argument(help="The claim id (<issue>/<name>, or the name alone when unique).")],
    new: Annotated[str, typer.Argument(help="asserted, disputed, corroborated, refuted, retracted or superseded.", metavar="NEW")],
    note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Why the status changes (required).")] = None,
    on: Annotated[Optional[str], typer.Option(metavar="DATE", help="When it changed (default: today): 2025-11-05, 2025-11, 2025, an interval 2025-11-01/2025-11-05, ../2025-11-05 (on or before).")] = None,
    on_inferred: Annotated[Optional[str], typer.Option("--inferred", metavar="NOTE", help="--on is not stated in the source: say what it is inferred from.")] = None,
    cite: Annotated[Optional[list[str]], typer.Option("--cite", help="A source backing the change (repeatable; each with a --quote).", metavar="SOURCE")] = None,
    quote: Annotated[Optional[list[str]], typer.Option("--quote", help="The words quoted from the --cite source.", metavar="TEXT")] = None,
    root: RootOption = None,
) -> None:
    """Change a claim's status: the change is appended to its history, dated, with why."""
    from ..edit.inputs import Cite
    from ..edit.ops import set_status

    where = resolve_root(root)
    if note is None:
        fail("a status change needs --note TEXT saying why", 2)
    if len(cite or []) != len(quote or []):
        fail("give each --cite SOURCE its --quote TEXT", 2)
    cites = [Cite(s, q) for s, q in zip(cite or [], quote or [], strict=True)]
    result = guarded(lambda: set_status(where, claim, new, note, on, cites, on_inferred=on_inferred))

    report_written(result, lambda: typer.echo(f"{result.claim_id} is now {new} ({result.paths[0]})"))


LINK_HELP = "rebuts, supports or supersedes."


@app.command()
def link(
    claim: Annotated[str, typer.Argument(help="The claim that answers, backs or replaces.")],
    how: Annotated[str, typer.Argument(help=LINK_HELP, metavar="rebuts|supports|supersedes")],
    other: Annotated[str, typer.Argument(help="The claim it links to (a name alone looks in the same issue first).")],
    basis: Annotated[Optional[str], typer.Option("--basis", metavar="reported|analyst", help="reported: the text itself presents CLAIM as answering OTHER; analyst: the dataset's reading (the default for a plain link).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Why the link is made (the text's words, or the reading).")] = None,
    keep_status: Annotated[bool, typer.Option("--keep-status", help="Leave OTHER's status as it is (by default an asserted claim that is rebutted becomes disputed, a superseded one superseded, with a dated history entry).")] = False,
    root: RootOption = None,
) -> None:
    """Link two claims: CLAIM rebuts|supports|supersedes OTHER.

    A rebutted claim that stood asserted becomes disputed, a superseded one superseded, in the same write (unless --keep-status).

    Examples:

      claimtrack link sanctuary/pk-denies rebuts sanctuary/af-accuses --basis reported

      claimtrack link refugees/pk-dar-assurance rebuts refugees/af-concern --basis analyst --note "side by side in one article"
    """
    from ..edit.ops import add_link

    where = resolve_root(root)
    result = guarded(lambda: add_link(where, claim, how, other, basis, note, keep_status))
    if not result.changed:
        typer.echo(f"{result.claim_id} already {how} {result.other_id} — nothing to change")
        return

    def say():
        typer.echo(f"{result.claim_id} now {how} {result.other_id} ({result.paths[0]})")
        _print_followed(result.followed)

    report_written(result, say)


@app.command()
def unlink(
    claim: Annotated[str, typer.Argument(help="The claim whose link goes.")],
    how: Annotated[str, typer.Argument(help=LINK_HELP, metavar="rebuts|supports|supersedes")],
    other: Annotated[str, typer.Argument(help="The claim it links to.")],
    root: RootOption = None,
) -> None:
    """Remove a link: CLAIM no longer rebuts|supports|supersedes OTHER."""
    from ..edit.ops import remove_link

    where = resolve_root(root)
    result = guarded(lambda: remove_link(where, claim, how, other))

    report_written(result, lambda: typer.echo(f"{result.claim_id} no longer {how} {result.other_id} ({result.paths[0]})"))


# --------------------------------------------------------------------------------------- cite


@app.command()
def cite(
    claim: Annotated[str, typer.Argument(help="The claim id (<issue>/<name>, or the name alone when unique).")],
    source: Annotated[str, typer.Option("--source", metavar="SOURCE", help="The source id (as 'source add' printed it).")],
    quote: Annotated[str, typer.Option("--quote", metavar="TEXT", help="The words quoted from the source, verbatim.")],
    channel: Annotated[Optional[str], typer.Option("--channel", metavar="TEXT", help="How the speaker said it ('post on X', 'press briefing', 'interview with Khyber News').")] = None,
    reported_by: Annotated[Optional[str], typer.Option("--reported-by", metavar="A > B", help="The intermediaries before this source, nearest the speaker first, separated by '>'.")] = None,
    reported_on: Annotated[Optional[str], typer.Option("--reported-on", metavar="DATE", help="When this source says it was said.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", "--cite-note", metavar="TEXT", help="A note on the citation.")] = None,
    root: RootOption = None,
) -> None:
    """Add a citation to an existing claim: the same claim carried by another outlet.

    The quote is checked against the source like any quote, and stored in the source's own characters.

      claimtrack cite flow/down-accuses-cut --source 2024-03-03-river-times --quote "cut the flow"
    """
    from ..edit.inputs import Cite
    from ..edit.ops import add_citation

    where = resolve_root(root)
    chain = chain_of(reported_by)
    given = Cite(source, quote, None, (note or "").strip() or None, (channel or "").strip() or None, chain, (reported_on or "").strip() or None)
    result = guarded(lambda: add_citation(where, claim, given))

    def say():
        stored = result.cites[0]
        say_if_restored(stored)
        typer.echo(f"{result.claim_id} now cites {stored.source} ({result.paths[0]})")

    report_written(result, say)


# --------------------------------------------------------------------------------------- edit


@app.command()
def edit(
    claim: Annotated[str, typer.Argument(help="The claim id (<issue>/<name>, or the name alone when unique).")],
    root: RootOption = None,
) -> None:
    """Open a claim's file in $VISUAL or $EDITOR; check it on save, and offer to edit again while it has errors.

    An edit that is not saved (the editor failed, the file changed meanwhile, errors with no one to ask, Ctrl-C) is kept in .claimtrack/recover/, and the error names the file.
    """
    from ..store import claim_path
    from ..edit.names import resolve_claim

    where = resolve_root(root)
    claim_id = guarded(lambda: resolve_claim(where, claim))
    rel = claim_path(claim_id)
    try:
        original = (where / rel).read_bytes()
    except OSError as exc:
        fail(f"cannot read {rel}: {exc.strerror} — check the file, then run the command again")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    session = _EditSession(where, claim_id, rel, original)
    try:
        session.run(editor, Asker(make_console(stderr=True)))
    finally:
        session.close()


class _EditSession:
    """One `claimtrack edit`: the bytes the user saves are never lost.

    The editor works on a copy that is already the recovery file
    (.claimtrack/recover/<issue>__<name>.<UTC time>.yaml), so even a `kill -9` of claimtrack
    leaves the user's text where the documentation says. It is removed when the edit is saved
    or unchanged; whenever an edit is not written to the claim's file, it stays, and the message
    names it. Where .claimtrack/ cannot be written (a read-only dataset), the copy is made in
    the temporary folder instead."""

    def __init__(self, where: Path, claim_id: str, rel: str, original: bytes):
        from ..edit.transaction import keep_recovery

        self.where, self.claim_id, self.rel, self.original = where, claim_id, rel, original
        self.data = original  # what the user saved last
        self.kept = False
        try:
            self.scratch = keep_recovery(where, claim_id, original)
            self.folder = None
        except OSError:
            self.folder = Path(tempfile.mkdtemp(prefix="claimtrack-edit-"))
            self.scratch = self.folder / Path(rel).name

    def close(self) -> None:
        if self.kept:
            return
        self.scratch.unlink(missing_ok=True)
        if self.folder is not None:
            try:
                self.folder.rmdir()
            except OSError:
                pass

    def keep(self) -> str:
        """Keep the user's last saved bytes in the recovery file, and say where it is."""
        try:
            if self.scratch.read_bytes() != self.data:
                self.scratch.write_bytes(self.data)
        except OSError:
            pass
        self.kept = True
        try:
            return str(self.scratch.relative_to(Path.cwd()))
        except ValueError:
            return str(self.scratch)

    def fail(self, message: str, code: int = 1):
        """Fail, keeping the user's text when it holds an edit."""
        if self.data != self.original:
            message = f"{message}; a copy of your edit is kept in {self.keep()}"
        fail(message, code)

    def run(self, editor: str, asker: "Asker") -> None:
        from .app import written_mark, written_since

        mark = written_mark()
        try:
            self._loop(editor, asker)
        except KeyboardInterrupt:
            if self.rel in written_since(mark):
                warn(f"interrupted after the write — written: {self.rel}; the index is refreshed on the next read")
                raise typer.Exit(0) from None
            try:
                self.data = self.scratch.read_bytes()
            except OSError:
                pass
            self.fail(f"interrupted — nothing was written to {self.rel}", 130)

    def _run_editor(self, editor: str) -> int:
        """Run the editor on the scratch copy, Ctrl-C left to it (as git does): an editor that
        uses the key, or stops on it, decides; claimtrack then reports what it left."""
        import signal
        import threading

        argv = [*shlex.split(editor), str(self.scratch)]
        if threading.current_thread() is not threading.main_thread():
            return subprocess.run(argv).returncode
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            # The child must not inherit "ignored": restore the default in it before exec.
            return subprocess.run(argv, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)).returncode
        finally:
            signal.signal(signal.SIGINT, previous)

    def _loop(self, editor: str, asker: "Asker") -> None:
        from ..edit.inputs import NotUTF8, decode_edit
        from ..edit.ops import edit_problems, save_edit

        while True:
            self.scratch.write_bytes(self.data)
            try:
                returncode = self._run_editor(editor)
            except OSError as exc:
                self.fail(f"cannot run the editor '{editor}': {exc.strerror} — set $EDITOR to your editor")
            except ValueError as exc:  # shlex: an unclosed quote in $EDITOR
                self.fail(f"cannot read $EDITOR '{editor}': {exc} — set $EDITOR to your editor")
            self.data = self.scratch.read_bytes()
            if returncode != 0:
                import signal

                how = f"was stopped by {signal.Signals(-returncode).name}" if returncode < 0 else f"exited with status {returncode}"
                self.fail(f"the editor {how} — nothing was written to {self.rel}", 128 - returncode if returncode < 0 else 1)
            if self.data == self.original:
                typer.echo(f"No changes to {self.rel}")
                return
            try:
                text = decode_edit(self.rel, self.data)
            except NotUTF8 as exc:
                where = self.keep()
                typer.echo(safe_line(f"{exc.problem.format()}; nothing was written, your edit is kept in {where}"), err=True)
                raise typer.Exit(1) from None
            errors, warnings = self._guarded(lambda text=text: edit_problems(self.where, self.claim_id, text))
            if not errors:
                result = self._guarded(lambda text=text: save_edit(self.where, self.claim_id, text, self.original))
                after_write(result.paths, lambda result=result: (typer.echo(f"Saved {self.rel}"), print_warnings(result.warnings)))
                return
            print_warnings(errors)
            try:
                choice = asker.ask("What now? (e)dit again, (d)iscard your changes, (k)eep them anyway", "e",
                                   check=lambda a: a[:1].lower() if a[:1].lower() in ("e", "d", "k") else bad_choice(a))
            except NoMoreInput:
                typer.echo("", err=True)  # end the unanswered question's line
                self.fail(f"{len(errors)} error{'s' * (len(errors) != 1)} and no answer to what to do — nothing was written to {self.rel}")
            if choice == "d":
                self.fail(f"discarded your changes — {self.rel} is as it was")
            if choice == "k":
                self._guarded(lambda text=text: save_edit(self.where, self.claim_id, text, self.original, force=True))
                fail(f"saved {self.rel} with {len(errors)} error{'s' * (len(errors) != 1)} — 'claimtrack check' lists them")

    def _guarded(self, fn):
        """`guarded`, keeping the user's text when the library refuses or the disk fails."""
        from ..problems import ClaimtrackError

        try:
            return fn()
        except ClaimtrackError as exc:
            self.fail(str(exc))

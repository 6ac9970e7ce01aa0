"""Sources as things of their own: `source add`, `source list`, `source show`, `source edit`.

`source add` archives one (claimtrack.edit.archive); the others read what is archived. A source is named
by its id, a unique prefix of it, or its outlet and date (`arab-news 2025-11-05`): resolve.py.
rich and the library are imported inside the commands, so that `claimtrack --help` stays fast.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import sys
import typer

from .app import DatabaseOption, JsonOption, RootOption, fail, guarded, resolve_root, safe_line

from .output import make_console

from .reading import read_index
from .app import app
from .output import on_terminal
from .writing import Asker, InteractiveOption, NoMoreInput, after_write

source_app = typer.Typer(help="Archive sources: the texts that citations quote.", no_args_is_help=True)
app.add_typer(source_app, name="source")

@source_app.command("add")
def source_add(
    path: Annotated[str, typer.Argument(help="A text, Markdown or HTML file; '-' reads the standard input.", metavar="PATH|-")],
    title: Annotated[Optional[str], typer.Option(metavar="TEXT", help="The headline, as printed.")] = None,
    outlet: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Who published it (default: unknown).")] = None,
    url: Annotated[Optional[str], typer.Option(metavar="URL", help="Where it was published (default: unknown).")] = None,
    published: Annotated[Optional[str], typer.Option(metavar="DATE", help="A date (EDTF: 2025-11-05, 2025-11, 2025, an interval) or unknown (default: unknown).")] = None,
    published_note: Annotated[Optional[str], typer.Option("--published-inferred", help="The date is not printed in the text: say what it is inferred from.", metavar="NOTE")] = None,
    author: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Who wrote it (default: unknown).")] = None,
    retrieved: Annotated[Optional[str], typer.Option(metavar="DATE", help="When the text was fetched, 'today', or unknown (asked on a terminal; otherwise unknown).")] = None,
    copy_of: Annotated[Optional[str], typer.Option("--copy-of", metavar="SOURCE", help="This is a syndicated or mirrored copy of an archived source.")] = None,
    truncated: Annotated[bool, typer.Option("--truncated", help="The text stops short of the article (a quote at its end is shown with an ellipsis).")] = False,
    note: Annotated[Optional[list[str]], typer.Option("--note", metavar="TEXT", help="A note about the archived text (repeatable), e.g. what was left out.")] = None,
    source_id: Annotated[Optional[str], typer.Option("--id", metavar="ID", help="The source id (default: <published>-<outlet>-<title>).")] = None,
    format: Annotated[str, typer.Option("--format", metavar="FORMAT", help="auto (by suffix, or sniffed), text, markdown or html.")] = "auto",
    allow_large: Annotated[bool, typer.Option("--allow-large", help="Archive a text above 5 MB (refused by default: nothing that large is one article, and every search and check reads it).")] = False,
    interactive: InteractiveOption = False,
    root: RootOption = None,
) -> None:
    """Archive a source as sources/<id>.md: the text verbatim (of HTML, the article's text, the page kept as sources/<id>.html), its metadata and sha256.

    On a terminal it asks for what the options do not give. The same text archived twice is recognised and named; an existing file is never overwritten.
    """
    from ..edit.archive import MAX_TEXT_BYTES, SourceDraft, archive_source, first_line_title, read_source

    where = resolve_root(root)
    if format not in ("auto", "text", "markdown", "html"):
        fail(f"--format is '{format}' — use auto, text, markdown or html", 2)
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror} — give a text, Markdown or HTML file, or '-' for the standard input")
    reading = guarded(lambda: read_source(data, path, format, max_bytes=None if allow_large else MAX_TEXT_BYTES, url=url))
    body, found = reading.body, reading.found
    notes = list(note or []) + reading.notes
    given = {"title": title, "outlet": outlet, "url": url, "published": published, "author": author}
    asking = interactive or (path != "-" and on_terminal(sys.stdin))
    if asking:
        from ..edit.inputs import parse_date

        def a_date(what):
            return lambda a: a if a == "unknown" else parse_date(a, what=what).value

        asker = Asker(make_console())
        try:
            if title is None:
                title = asker.ask("Title", found.get("title") or first_line_title(body))
            if outlet is None:
                outlet = asker.ask("Outlet", found.get("outlet", "unknown"))
            if url is None:
                url = asker.ask("URL", found.get("url", "unknown"))
            if published is None:
                why = reading.inferred.get("published") if "published" in found else None
                if why:
                    asker.say(f"  the date offered is inferred: {why}")
                published = asker.ask("Published (a date such as 2025-11-05, 2025-11 or 2025, or unknown)", found.get("published", "unknown"), check=a_date("published"))
                if published != "unknown" and published_note is None and not asker.confirm("Is this date printed in the text?", why is None):
                    published_note = asker.ask("What is it inferred from?", why if published == found.get("published") else None)
            if author is None:
                author = asker.ask("Author", found.get("author", "unknown"))
            if retrieved is None:
                retrieved = asker.ask("Retrieved: when was the text taken from the web ('today', a date, or unknown)", "unknown", check=a_date("retrieved"))
        except NoMoreInput:
            fail("the input ended before every question was answered — nothing was written")
    else:
        taken = [k for k in given if given[k] is None and k in found]
        for key in taken:
            given[key] = found[key]
        stated = [k for k in taken if k not in reading.inferred]
        if stated:
            notes.append(f"{', '.join(stated).capitalize()} taken from the HTML page's metadata.")
        for key in taken:
            typer.echo(f"{key} (from the page{', inferred' if key in reading.inferred else ''}): {safe_line(found[key])}", err=True)
        if "published" in taken and "published" in reading.inferred and published_note is None:
            published_note = reading.inferred["published"]
        title, outlet, url, published, author = (given[k] for k in ("title", "outlet", "url", "published", "author"))
        if not title:
            fail("a source needs a title — give --title TEXT (the headline, as printed)", 2)
    draft = SourceDraft(
        body=body, title=title or "", outlet=outlet or "unknown", url=url or "unknown", published=published or "unknown",
        published_note=published_note, retrieved=retrieved or "unknown", author=author or "unknown", notes=notes,
        original=reading.original, copy_of=copy_of, truncated=truncated,
    )
    done = guarded(lambda: archive_source(where, draft, source_id))

    def report():
        kept = f"; the page kept as {done.original}" if done.original else ""
        typer.echo(f"Archived {done.path} ({done.lines} lines, sha256 {done.sha256[:12]}…){kept}")
        typer.echo(f"Cite it with: claimtrack add --cite {done.id} --quote \"...\"")

    after_write([done.path] + ([done.original] if done.original else []), report)


# ---------------------------------------------------------------------------------------- add


SourceArg = Annotated[str, typer.Argument(metavar="SOURCE", help="A source id, a unique prefix of it, or its outlet and date ('arab-news 2025-11-05').")]


def _lookup(conn, wanted: str) -> str:
    from ..index import queries as q
    from ..problems import UnknownId

    def run():
        try:
            return q.resolve_id(conn, "source", wanted)
        except UnknownId as exc:
            if exc.suggestions:
                raise
            fail(f"{exc} — 'claimtrack source list' lists the sources")

    return guarded(run)


def source_rows(conn) -> list[dict]:
    """Every source with its date, outlet, title and how many citations quote it, oldest first."""
    from ..index import queries as q

    counts = dict(conn.execute("SELECT source, COUNT(*) FROM citations GROUP BY source").fetchall())
    return [
        {"id": s.id, "published": s.published, "outlet": s.outlet, "title": s.title, "citations": counts.get(s.id, 0)}
        for s in q.sources(conn).values()
    ]


def sources_table(rows: list[dict]):
    """The table of `source list`: data never read as markup."""
    from rich.table import Table

    from ..views.render import data

    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, just in (("Date", "left"), ("Outlet", "left"), ("Title", "left"), ("Cited", "right"), ("Id", "left")):
        table.add_column(name, justify=just, overflow="fold")
    for r in rows:
        table.add_row(data(r["published"] or "undated"), data(r["outlet"]), data(r["title"]), str(r["citations"]), data(r["id"]))
    return table


@source_app.command("list")
def source_list(root: RootOption = None, json: JsonOption = False, database: DatabaseOption = None) -> None:
    """The archived sources, oldest first: date, outlet, title, how many citations quote each, and the id."""
    conn = read_index(root, database)
    rows = source_rows(conn)
    if json:
        from ..views.render import dumps

        typer.echo(dumps({"sources": rows}))
        return
    if not rows:
        typer.echo("No sources yet — archive one with 'claimtrack source add FILE'.")
        return
    make_console().print(sources_table(rows))


def source_view(rec, body: str, cites) -> list:
    """`source show` as renderables: the metadata, then the body with every cited passage
    emphasised and numbered, then which claims cite each number."""
    from rich.text import Text

    from ..views.render import Emphasised, data, one_line
    from ..edit.sourcefile import passages

    found, unplaced = passages(cites)
    head = [Text(one_line(rec.id), style="bold", overflow="fold"), data(one_line(rec.title))]
    for label, value in (("outlet", rec.outlet + (" (inferred)" if rec.outlet_inferred else "")),
                         ("published", (rec.published or "unknown") + (" (inferred)" if rec.published_inferred else "")),
                         ("author", rec.author), ("url", rec.url), ("retrieved", rec.retrieved or "unknown"), ("sha256", rec.sha256)):
        head.append(data(f"{label}: {one_line(value)}", style="dim"))
    if rec.copy_of:
        head.append(data(f"copy of: {one_line(rec.copy_of)}", style="dim"))
    if rec.truncated:
        head.append(data("truncated: the archived text stops short of the article", style="dim"))
    for note in rec.notes:
        head.append(data(f"note: {one_line(note)}", style="dim"))
    n = len(cites)
    head.append(data(f"cited {n} time{'s' * (n != 1)} by {len({c.claim_id for c in cites})} claim{'s' * (len({c.claim_id for c in cites}) != 1)}", style="dim"))
    head.append(Text(""))
    parts: list[tuple[str, bool]] = []
    at = 0
    for i, p in enumerate(found, 1):
        parts += [(body[at:p.start], False), (body[p.start:p.end], True), (f"[{i}]", False)]
        at = p.end
    parts.append((body[at:], False))
    lines: list[list[tuple[str, bool]]] = [[]]
    for piece, strong in parts:  # one Emphasised per line, so that a long body wraps as text does
        chunks = piece.split("\n")
        for j, chunk in enumerate(chunks):
            if j:
                lines.append([])
            if chunk:
                lines[-1].append((chunk, strong))
    while lines and not lines[-1]:
        lines.pop()
    out = head + [Emphasised(line) for line in lines]
    if found or unplaced:
        out.append(Text(""))
    for i, p in enumerate(found, 1):
        out.append(data(f"[{i}] cited by {', '.join(p.claims)}"))
    for c in unplaced:
        out.append(data(f"not found in the text: the quote of {c.claim_id} (\"{one_line(c.quote)}\") — 'claimtrack check' says more"))
    return out


@source_app.command("show")
def source_show(source: SourceArg, root: RootOption = None, database: DatabaseOption = None) -> None:
    """A source's metadata, then its text with every cited passage marked and numbered, and the claims citing each.

    Marked passages are reverse video on a terminal, «between guillemets» when piped or with NO_COLOR.
    """
    from rich.console import Group

    from ..index import queries as q

    conn = read_index(root, database)
    sid = _lookup(conn, source)
    rec = q.sources(conn, [sid])[sid]
    body = guarded(lambda: q.source_body(conn, sid))
    make_console().print(Group(*source_view(rec, body, q.citations_of_source(conn, sid))))


@source_app.command("edit")
def source_edit(source: SourceArg, root: RootOption = None) -> None:
    """Edit a source's front matter (title, outlet, dates, author, url, notes) in $VISUAL or $EDITOR.

    The editor gets the front matter alone: the archived body is pinned by its sha256 and is never
    edited (an edit that changes the sha256 is refused). The edit is checked like any write; one
    that is not saved is kept in .claimtrack/recover/, and the message names the file.
    """
    from ..paths import dataset_file
    from ..edit.sourcefile import split_source
    from ..store import load_dataset, source_path
    from ..edit.names import find_source

    where = resolve_root(root)
    ds, _ = load_dataset(where)
    sid = guarded(lambda: find_source(ds, source)).id
    rel = source_path(sid)
    try:
        original = dataset_file(where, rel).read_bytes()
        front = split_source(original.decode("utf-8"))[0]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"cannot read the front matter of {rel}: {exc} — run 'claimtrack check'")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    _FrontEdit(where, sid, rel, original, front).run(editor)


class _FrontEdit:
    """One `source edit`: the editor works on the front matter in a scratch file; what the user
    saved is never lost (kept in .claimtrack/recover/ whenever it is not written)."""

    def __init__(self, where: Path, sid: str, rel: str, original: bytes, front: str):
        self.where, self.sid, self.rel, self.original, self.front = where, sid, rel, original, front
        self.folder = Path(tempfile.mkdtemp(prefix="claimtrack-source-edit-"))
        self.scratch = self.folder / f"{sid}.front-matter.yaml"
        self.saved = front

    def keep(self) -> str:
        from ..edit.transaction import keep_recovery

        try:
            path = keep_recovery(self.where, self.sid, self.saved.encode("utf-8"))
        except OSError:
            path = self.scratch  # .claimtrack/ cannot be written: the scratch copy stays
            return str(path)
        return str(path)

    def fail(self, message: str, code: int = 1):
        if self.saved != self.front:
            message = f"{message}; a copy of your edit is kept in {self.keep()}"
        self.cleanup()
        fail(message, code)

    def cleanup(self) -> None:
        self.scratch.unlink(missing_ok=True)
        try:
            self.folder.rmdir()
        except OSError:
            pass

    def run(self, editor: str) -> None:
        from .writing import after_write, Asker, NoMoreInput, bad_choice, print_warnings
        from ..problems import ClaimtrackError, WriteRefused
        from ..edit.sourcefile import SourceEditRefused, save_front

        while True:
            self.scratch.write_text(self.saved, encoding="utf-8")
            try:
                code = subprocess.run([*shlex.split(editor), str(self.scratch)]).returncode
            except (OSError, ValueError) as exc:
                self.fail(f"cannot run the editor '{editor}': {exc} — set $EDITOR to your editor")
            except KeyboardInterrupt:
                self.fail(f"interrupted — nothing was written to {self.rel}", 130)
            try:
                self.saved = self.scratch.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.fail(f"cannot read what the editor saved: {exc} — nothing was written to {self.rel}")
            if code != 0:
                self.fail(f"the editor exited with status {code} — nothing was written to {self.rel}")
            if self.saved == self.front:
                self.cleanup()
                typer.echo(f"No changes to {self.rel}")
                return
            try:
                warnings = save_front(self.where, self.sid, self.saved, self.original)
            except WriteRefused as exc:
                print_warnings(exc.problems)
                errors = len(exc.problems)
            except SourceEditRefused as exc:
                typer.echo(safe_line(f"claimtrack: error: {exc}"), err=True)
                errors = 1
            except ClaimtrackError as exc:  # changed on disk meanwhile, a disk that fails: not to be retried here
                self.fail(str(exc))
            else:
                self.cleanup()
                after_write([self.rel], lambda warnings=warnings: (typer.echo(f"Saved {self.rel}"), print_warnings(warnings)))
                return
            try:
                choice = Asker(make_console(stderr=True)).ask(
                    "What now? (e)dit again or (d)iscard your changes", "e",
                    check=lambda a: a[:1].lower() if a[:1].lower() in ("e", "d") else bad_choice(a))
            except NoMoreInput:
                typer.echo("", err=True)
                self.fail(f"{errors} error{'s' * (errors != 1)} and no answer to what to do — nothing was written to {self.rel}")
            if choice == "d":
                self.saved = self.front
                self.fail(f"discarded your changes — {self.rel} is as it was")

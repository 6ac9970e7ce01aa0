"""The writing commands: source add, add, status, link, unlink, edit.

Each parses its options, calls claimtrack.edit (ops, archive), and prints. The guided flow
of `add` (rich prompts) lives here too: it only gathers a ClaimDraft, which is written like any
other. Only typer, the stdlib and claimtrack.cli.app are imported at start-up.
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

source_app = typer.Typer(help="Archive sources: the texts that citations quote.", no_args_is_help=True)
app.add_typer(source_app, name="source")

InteractiveOption = Annotated[
    bool, typer.Option("--interactive", "-I", help="Ask for what the options do not give, even without a terminal (the guided flow).")
]


def _on_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _print_warnings(problems) -> None:
    for p in problems:
        typer.echo(safe_line(p.format()), err=True)


def _text(value: str):
    from rich.text import Text

    return Text(safe_line(value))


class _NoMoreInput(Exception):
    pass


class _Cancelled(Exception):
    pass


class _Asker:
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
                raise _NoMoreInput from None
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
            raise _NoMoreInput from None


def chain_of(text: str | None) -> list[str]:
    """`--reported-by "A > B"` (and the guided answer) as the list reported_by holds: nearest the
    speaker first, blanks dropped."""
    return [r.strip() for r in (text or "").split(">") if r.strip()]


def _say_if_restored(cite) -> None:
    """One line when a quote is stored in the source's own characters rather than as typed."""
    if cite.typed is not None:
        typer.echo(f"The quote from {cite.source} is stored as the source has it: “{safe_line(cite.quote)}”")


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _after_write(paths: list[str], fn, failing: str = "its report could not be printed ({reason})") -> None:
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
    asking = interactive or (path != "-" and _on_terminal())
    if asking:
        from ..edit.inputs import parse_date

        def a_date(what):
            return lambda a: a if a == "unknown" else parse_date(a, what=what).value

        asker = _Asker(make_console())
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
        except _NoMoreInput:
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

    _after_write([done.path] + ([done.original] if done.original else []), report)


# ---------------------------------------------------------------------------------------- add


DRAFT_FILE = ".claimtrack/draft.json"


class _GuidedAdd:
    """The guided flow of `add`: a list of questions, asked in the order a person reads an
    article (the source, who spoke, on which issue, what kind of claim and what it says, when,
    the quote, how it reached the source, what it answers), each answer checked by the library's
    validators as it is given. Every answer goes into `state` (plain JSON) and is saved to
    .claimtrack/draft.json as soon as it is given, so an interrupted flow loses nothing and
    `claimtrack add --resume` goes on from the first unanswered question.

    On an empty dataset the side, the actor and the issue can be started inline (a few
    questions each); they are written with the claim, in the same transaction."""

    def __init__(self, where: Path, asker: _Asker, state: dict):
        from ..store import load_dataset

        self.where, self.asker, self.state = where, asker, state
        self.ds, _ = load_dataset(where)

    # the questions, in order: (key in state, method asking it)
    QUESTIONS = ("source", "by", "issue", "kind", "statement", "said_on", "said_on_note", "quote", "channel",
                 "reported_by", "rebuts", "links", "keep_status")

    def run(self):
        for key in self.QUESTIONS:
            if key in self.state:
                continue
            value = getattr(self, f"ask_{key}")()
            if value is not _SKIP:
                self.state[key] = value
            else:
                self.state[key] = None
            self.save()
        return self.draft()

    def save(self) -> None:
        import json

        path = self.where / DRAFT_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    # -- helpers

    def offer(self, key: str) -> str | None:
        """What a suggested candidate (`add --from SOURCE:N`) proposes for `key`: shown as the
        question's default, for the person to accept with Enter or replace."""
        return (self.state.get("offered") or {}).get(key)

    def part(self, key: str, ask):
        """One answer within a question (the name of an actor being started, say): kept in the
        draft as soon as it is given, and not asked again on --resume."""
        parts = self.state.setdefault("parts", {})
        if key not in parts:
            parts[key] = ask()
            self.save()
        return parts[key]

    def numbered(self, items: list[tuple[str, str]], title: str | None = None) -> None:
        if title:
            self.asker.say(title, "bold")
        for n, (ident, label) in enumerate(items, 1):
            self.asker.say(f"  {n:>2}  {ident} — {_short(label, 70)}" if label else f"  {n:>2}  {ident}")

    @staticmethod
    def by_number(answer: str, ids: list[str]) -> str | None:
        return ids[int(answer) - 1] if answer.isdigit() and 1 <= int(answer) <= len(ids) else None

    def sides(self) -> list[str]:
        new = self.state.get("new_side")
        return list(self.ds.sides) + ([new["id"]] if new else [])

    def side_name(self, sid: str) -> str:
        new = self.state.get("new_side")
        if new and new["id"] == sid:
            return new["name"]
        return self.ds.sides[sid].name if sid in self.ds.sides else sid

    # -- the questions

    def ask_source(self):
        from ..edit.inputs import InputError

        sources = sorted(self.ds.sources, key=lambda s: (self.ds.sources[s].meta.published.sort_key if self.ds.sources[s].meta.published else "", s), reverse=True)
        if not sources:
            raise InputError("there is no source yet — archive the article first (claimtrack source add FILE), then run claimtrack add")
        if len(sources) <= 40:
            self.numbered([(s, self.ds.sources[s].meta.title) for s in sources], "Sources (newest first):")

        def pick(answer):
            hit = self.by_number(answer, sources)
            if hit or answer in self.ds.sources:
                return hit or answer
            words = answer.casefold().split()
            hits = [s for s in sources if all(w in f"{s} {self.ds.sources[s].meta.title}".casefold() for w in words)]
            if len(hits) == 1:
                return hits[0]
            if hits:
                raise InputError(f"'{answer}' matches {len(hits)} sources ({', '.join(hits[:4])}) — give more words or the number")
            raise InputError(f"no source matches '{answer}' — give its number or id, or archive it first with 'claimtrack source add FILE'")

        sid = self.asker.ask("Source (number, id or words of its title)", "1" if len(sources) == 1 else None, check=pick)
        self.asker.say(f"  = {sid}: {_short(self.ds.sources[sid].meta.title, 70)}")
        return sid

    def ask_by(self):
        from ..edit.inputs import InputError
        from ..edit.names import find_actor

        def pick(answer):
            if answer == "?":
                for a in self.ds.actors.values():
                    self.asker.say(f"  {a.id:<28} {_short(a.name, 40):<40} {a.side or ''}")
                raise InputError("(the actors of claims/actors.yaml)")
            if answer.casefold() == "new":
                return "new"
            try:
                return find_actor(self.ds, answer)
            except InputError:
                key = answer.casefold().strip()  # a surname, or the last word of an alias
                hits = {a.id for a in self.ds.actors.values() for n in (a.name, *a.aliases) if n.split() and n.split()[-1].casefold() == key}
                if len(hits) == 1:
                    return hits.pop()
                raise

        if not self.ds.actors:
            self.asker.say("No actor yet: the one who said it is added now.")
            by = "new"
        else:
            by = self.part("by_choice", lambda: self.asker.ask("Who said it? (a name, surname, alias or id; '?' lists them; 'new' adds one)", self.offer("by"), check=pick))
        if by != "new":
            actor = self.ds.actors[by]
            self.asker.say(f"  = {by}: {actor.name} ({self.side_name(actor.side) if actor.side else actor.kind})")
            return by
        return self.new_actor()

    def new_actor(self) -> str:
        from ..vocab import ACTOR_KINDS
        from ..edit.inputs import NewActor, check_actor, check_choice, slugify

        name = self.part("actor_name", lambda: self.asker.ask("The actor's name (as the source prints it)"))
        kinds = list(ACTOR_KINDS)
        kind = self.part("actor_kind", lambda: self.asker.ask(f"Kind ({', '.join(kinds)})", "person", check=lambda a: self.by_number(a, kinds) or check_choice(a, kinds, "actor kind")))
        side = None
        if kind not in ("third-party", "outlet"):
            sides = self.sides()
            if sides:
                self.numbered([(s, self.side_name(s)) for s in sides], "Sides:")

            def pick_side(answer):
                if answer.casefold() == "new":
                    return "new"
                hit = self.by_number(answer, sides)
                return hit or check_choice(answer, sides, "side")

            side = self.part("actor_side", lambda: self.asker.ask("Side (number or id; 'new' adds one)", None if sides else "new", check=pick_side))
            if side == "new":
                side = self.part("actor_new_side", self.new_side)
        sides = set(self.sides())
        actor_id = self.part("actor_id", lambda: self.asker.ask("Its id", slugify(name, 4, 32), check=lambda a: (check_actor(self.ds, NewActor(a, name, side, kind=kind), sides), a)[1]))
        self.state["new_actor"] = {"id": actor_id, "name": name, "side": side, "kind": kind}
        return actor_id

    def new_side(self) -> str:
        from ..edit.inputs import NewSide, check_side, side_colour, slugify

        name = self.part("side_name", lambda: self.asker.ask("The side's name (a country, a party: as its claims are shown)"))
        side_id = self.part("side_id", lambda: self.asker.ask("Its id", slugify(name, 3, 32), check=lambda a: check_side(self.ds, NewSide(a, name)).id))
        colour = self.part("side_colour", lambda: self.asker.ask("Colour (a name such as blue or dark_orange, or #rrggbb)", side_colour(self.ds, None), check=lambda a: side_colour(self.ds, a)))
        self.state["new_side"] = {"id": side_id, "name": name, "colour": colour}
        return side_id

    def ask_issue(self):
        from ..edit.inputs import NewIssue, STOPWORDS, check_new_issue, slugify
        from ..edit.names import find_issue

        issues = sorted(self.ds.issues)
        if issues:
            self.numbered([(i, self.ds.issues[i].title) for i in issues], "Issues:")

            def pick(answer):
                if answer.casefold() == "new":
                    return "new"
                return self.by_number(answer, issues) or find_issue(self.ds, answer)

            chosen = self.part("issue_choice", lambda: self.asker.ask("Issue (number or id; 'new' starts one)", "1" if len(issues) == 1 else None, check=pick))
            if chosen != "new":
                return chosen
        else:
            self.asker.say("No issue yet: the one this claim belongs to is started now.")
        title = self.part("issue_title", lambda: self.asker.ask("Title of the issue (what the dispute is about)"))
        iid = self.part("issue_id", lambda: self.asker.ask("Its id", slugify(title, 4, 32, STOPWORDS), check=lambda a: (check_new_issue(self.ds, NewIssue(a, title, "?")), a)[1]))
        question = self.part("issue_question", lambda: self.asker.ask("The question in dispute (asked neutrally)"))
        self.state["new_issue"] = {"id": iid, "title": title, "question": question}
        return iid

    def ask_kind(self):
        from ..model import KINDS
        from ..edit.inputs import check_choice

        kinds = list(KINDS)
        for n, k in enumerate(kinds, 1):
            self.asker.say(f"  {n:>2}  {k:<19} {KINDS[k]}")
        return self.asker.ask("Kind (number or name)", self.offer("kind"), check=lambda a: self.by_number(a, kinds) or check_choice(a, kinds, "kind"))

    def ask_statement(self):
        return self.asker.ask("Statement (one neutral sentence: who said what)")

    def ask_said_on(self):
        from ..edit.inputs import parse_date

        published = self.ds.sources[self.state["source"]].meta.published
        default = self.offer("said_on") or (published.value if published is not None else None)
        return self.asker.ask("When was it said? (2025-11-05, 2025-11, 2025; Enter: the source's date)" if default else
                              "When was it said? (2025-11-05, 2025-11 or 2025)", default, check=lambda a: parse_date(a).value)

    def ask_said_on_note(self):
        if self.asker.confirm("Does the source state this date? (n: it is inferred)", not self.offer("said_on_note")):
            return _SKIP
        return self.asker.ask("What is the date inferred from? (e.g. 'Saturday, in an article of 2024-03-03')", self.offer("said_on_note"))

    def ask_quote(self):
        from ..quotes import SourceText
        from ..edit.inputs import InputError, QuoteNotFound, check_choice, check_quote, passage_quote, trim_passage

        source = self.ds.sources[self.state["source"]]
        text = SourceText(source.body)
        while True:
            typed = self.asker.ask("Quote (the words, verbatim from the source)", self.offer("quote"))
            try:
                stored = check_quote(source, typed, text)
                if stored != " ".join(typed.split()):
                    self.asker.say(f"  stored as the source has it: “{stored}”")
                return stored
            except QuoteNotFound as exc:
                if not exc.closest:
                    self.asker.say(f"  {exc}")
                    continue
                self.asker.say("  Not in the source. The closest passages:")
                for n, (_, passage) in enumerate(exc.closest, 1):
                    self.asker.say(f"  {n}  \"{trim_passage(passage)}\"")
                options = [str(n) for n in range(len(exc.closest) + 1)]
                choice = self.asker.ask("Use which? (number; 0 to type the quote again)", "1", check=lambda a, options=options: check_choice(a, options, "choice"))
                if choice != "0":
                    return passage_quote(source, exc.closest[int(choice) - 1][1])
            except InputError as exc:
                self.asker.say(f"  {exc}")

    def ask_channel(self):
        return self.asker.ask("How was it said? ('press briefing', 'post on X'; Enter to skip)", self.offer("channel") or "", allow_empty=True) or _SKIP

    def ask_reported_by(self):
        answer = self.asker.ask("Through whom did it reach this source? (nearest the speaker first, 'A > B'; Enter if directly)", self.offer("reported_by") or "", allow_empty=True)
        return chain_of(answer) or _SKIP

    def in_issue(self) -> list[str]:
        issue = self.state["issue"]
        out = [cid for cid in self.ds.claims if cid.startswith(issue + "/")]
        return sorted(out, key=lambda c: (self.ds.claims[c].said_on.sort_key, c))

    def pick_claims(self, answer: str) -> list[str]:
        from ..edit.names import find_claim

        claims, out = self.in_issue(), []
        for part in answer.replace(",", " ").split():
            out.append(self.by_number(part, claims) or find_claim(self.ds, part, self.state["issue"]))
        return out

    def ask_rebuts(self):
        claims = self.in_issue()
        if not claims:
            return _SKIP
        self.asker.say(f"Claims in {self.state['issue']}:", "bold")
        for n, cid in enumerate(claims, 1):
            c = self.ds.claims[cid]
            self.asker.say(f"  {n:>2}  {c.said_on.value:<10} {c.by}: {_short(c.statement, 80)}")
        return self.asker.ask("Rebuts which? (numbers; Enter for none)", "", check=self.pick_claims, allow_empty=True) or _SKIP

    def ask_links(self):
        from ..edit.inputs import InputError

        if not self.in_issue():
            return _SKIP

        def check(answer):
            words = answer.split()
            if not words:
                return {}
            if words[0] not in ("supports", "supersedes"):
                raise InputError(f"'{answer}' — start with 'supports' or 'supersedes', then the numbers (e.g. 'supersedes 2')")
            return {words[0]: self.pick_claims(" ".join(words[1:]))}

        return self.asker.ask("Supports or supersedes any? ('supports 2', 'supersedes 1'; Enter for none)", "", check=check, allow_empty=True) or _SKIP

    def ask_keep_status(self):
        from ..edit.ops import follow_status

        changes = [(t, f"{cid} becomes {new}") for t, cid in self.targets() for new in [follow_status(t, self.ds.claims[cid].status)] if new]
        if not changes:
            return _SKIP
        return not self.asker.confirm(f"Also set the status: {'; '.join(c for _, c in changes)}?", True)

    def targets(self) -> list[tuple[str, str]]:
        links = self.state.get("links") or {}
        return [("rebuts", c) for c in self.state.get("rebuts") or []] + [("supersedes", c) for c in links.get("supersedes", [])]

    # -- the result

    def draft(self):
        from ..edit.inputs import Cite, ClaimDraft, NewActor, NewIssue, NewSide

        st, links = self.state, self.state.get("links") or {}
        return ClaimDraft(
            issue=st["issue"], by=st["by"], kind=st["kind"], said_on=st["said_on"], statement=st["statement"],
            citations=[Cite(st["source"], st["quote"], channel=st.get("channel"), reported_by=list(st.get("reported_by") or []))],
            said_on_note=st.get("said_on_note"), rebuts=list(st.get("rebuts") or []), supports=list(links.get("supports", [])),
            supersedes=list(links.get("supersedes", [])), keep_status=bool(st.get("keep_status")),
            status=st.get("status") or "asserted", note=st.get("note"), tags=list(st.get("tags") or []), name=st.get("name"),
            new_issue=NewIssue(**st["new_issue"]) if st.get("new_issue") else None,
            new_actor=NewActor(**st["new_actor"]) if st.get("new_actor") else None,
            new_side=NewSide(**st["new_side"]) if st.get("new_side") else None,
        )


_SKIP = object()


def _from_candidate(where: Path, ref: str) -> dict:
    """The guided flow's state for candidate #N of a source: the source chosen, and what the
    candidate proposes offered as defaults (never taken without the person's Enter)."""
    from .suggest import suggestions
    from ..store import load_dataset
    from ..edit.inputs import InputError
    from ..edit.names import find_source

    source, _, number = ref.rpartition(":")
    if not source or not number.isdigit():
        raise InputError(f"--from '{ref}' — give SOURCE:N, a source id and a candidate's number from 'claimtrack suggest SOURCE'")
    ds, _ = load_dataset(where)
    src = find_source(ds, source)
    found = [c for c in suggestions(ds, src.id) if c["number"] == int(number)]
    if not found:
        raise InputError(f"{src.id} has no candidate #{number} — 'claimtrack suggest {src.id}' lists them")
    c = found[0]
    offered = {"kind": c["kind"], "quote": c["quote"], "channel": c["channel"],
               "reported_by": " > ".join(c["reported_by"]) if c["reported_by"] else None}
    if c["speaker"]["actor"]:
        offered["by"] = c["speaker"]["actor"]
    if c["date"]:
        offered["said_on"] = c["date"]["value"]
        if c["date"]["inferred"]:
            offered["said_on_note"] = c["date"]["note"]
    return {"source": src.id, "offered": {k: v for k, v in offered.items() if v}}


def _load_draft(where: Path) -> dict:
    import json

    path = where / DRAFT_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"there is no interrupted claim to resume ({_shown_path(path)} does not exist) — run 'claimtrack add' to start one")
    except (OSError, ValueError) as exc:
        fail(f"cannot read {_shown_path(path)}: {exc} — delete it and run 'claimtrack add' again")
    if not isinstance(state, dict):
        fail(f"{_shown_path(path)} is not a draft of claimtrack add — delete it and run 'claimtrack add' again")
    return state


def _draft_is_empty(where: Path) -> bool:
    import json

    try:
        return not json.loads((where / DRAFT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _draft_state(draft) -> dict:
    """The answers options gave (`add --interactive --issue ...`), as the guided flow keeps them."""
    state: dict = {}
    for key in ("issue", "by", "kind", "said_on", "statement"):
        if getattr(draft, key):
            state[key] = getattr(draft, key)
    if draft.said_on_note:
        state["said_on_note"] = draft.said_on_note
    if draft.citations:
        c = draft.citations[0]
        state.update(source=c.source, quote=c.quote, channel=c.channel, reported_by=c.reported_by)
    if draft.rebuts:
        state["rebuts"] = draft.rebuts
    if draft.supports or draft.supersedes:
        state["links"] = {"supports": draft.supports, "supersedes": draft.supersedes}
    if draft.keep_status:
        state["keep_status"] = True
    for key in ("status", "note", "name", "tags"):
        if getattr(draft, key) not in (None, "asserted", []):
            state[key] = getattr(draft, key)
    return state


def _guided(where: Path, preset, asker: _Asker, state: dict | None = None):
    """Run the guided flow (from `state`, a resumed draft, or the options in `preset`); show the
    claim as it will be written and ask to write it. Returns the ClaimDraft."""
    from ..edit.names import claim_name, resolve_draft
    from ..edit.yamlout import claim_yaml

    flow = _GuidedAdd(where, asker, state if state is not None else _draft_state(preset))
    flow.save()
    draft = flow.run()
    extra = preset.citations[1:] if state is None and preset.citations else []
    draft.citations += extra
    ready = resolve_draft(flow.ds, draft)
    if draft.name is None:
        draft.name = claim_name(flow.ds, where, ready.issue, ready)
        ready.name = draft.name
    asker.say(f"The new claim, {ready.issue}/{draft.name}:", "bold")
    for line in claim_yaml(ready.as_claim()).splitlines():
        asker.say(f"  {line}")
    if not asker.confirm("Write it?", True):
        raise _Cancelled
    return draft


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
        guided_state = _load_draft(where)
    elif from_ is not None:
        guided_state = {**_draft_state(draft), **guarded(lambda: _from_candidate(where, from_))}
    if resume or from_ is not None or interactive or (not given and _on_terminal()):
        from ..problems import ClaimtrackError

        console = make_console()
        shown = _shown_path(where / DRAFT_FILE)
        kept = f"your answers are kept in {shown}: 'claimtrack add --resume' goes on from there"
        if guided_state is None and not given and not _draft_is_empty(where):
            try:  # an interrupted claim is never replaced without asking
                if _Asker(console).confirm(f"An interrupted claim is kept in {shown}. Continue it? (n: start a new one, and drop it)", True):
                    guided_state = _load_draft(where)
            except _NoMoreInput:
                fail(f"the input ended — nothing was written; {kept}")
        try:
            draft = _guided(where, draft, _Asker(console), guided_state)
        except _NoMoreInput:
            typer.echo("", err=True)  # end the unanswered question's line
            fail(f"the input ended before the claim was complete — nothing was written; {kept}")
        except KeyboardInterrupt:
            typer.echo("", err=True)
            fail(f"interrupted — nothing was written; {kept}", 130)
        except _Cancelled:
            (where / DRAFT_FILE).unlink(missing_ok=True)
            typer.echo("Nothing was written.")
            raise typer.Exit(1) from None
        except ClaimtrackError as exc:
            if _draft_is_empty(where):
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
            _say_if_restored(c)
        typer.echo(f"Wrote {result.paths[-1]}")
        followed = {claim_path(f.claim_id) for f in result.followed}
        for rel in result.paths[:-1]:
            if rel not in followed:
                typer.echo(f"Wrote {rel}")
        _print_followed(result.followed)
        _print_warnings(result.warnings)

    _after_write(result.paths, lambda: _show_thread(where, result.claim_id),
                 "the index could not be refreshed ({reason}) — it will be rebuilt on the next read")
    _after_write(result.paths, report)


def _print_followed(followed) -> None:
    """One line saying which other claims' statuses the write changed, and how to avoid it."""
    if followed:
        parts = [f"{f.claim_id} is now {f.new} (was {f.old})" for f in followed]
        typer.echo(f"Also changed: {'; '.join(parts)} — a dated history entry names the answer; --keep-status leaves statuses alone")


def _show_thread(where: Path, claim_id: str) -> None:
    """The issue's threads with `claim_id` marked; skipped if rendering is not available.
    Errors are raised as they are: the caller (_after_write) turns them into a warning."""
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

    def report():
        typer.echo(f"{result.claim_id} is now {new} ({result.paths[0]})")
        _print_warnings(result.warnings)

    _after_write(result.paths, report)


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

    def report():
        typer.echo(f"{result.claim_id} now {how} {result.other_id} ({result.paths[0]})")
        _print_followed(result.followed)
        _print_warnings(result.warnings)

    _after_write(result.paths, report)


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

    def report():
        typer.echo(f"{result.claim_id} no longer {how} {result.other_id} ({result.paths[0]})")
        _print_warnings(result.warnings)

    _after_write(result.paths, report)


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

    def report():
        stored = result.cites[0]
        _say_if_restored(stored)
        typer.echo(f"{result.claim_id} now cites {stored.source} ({result.paths[0]})")
        _print_warnings(result.warnings)

    _after_write(result.paths, report)


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
        session.run(editor, _Asker(make_console(stderr=True)))
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

    def run(self, editor: str, asker: "_Asker") -> None:
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

    def _loop(self, editor: str, asker: "_Asker") -> None:
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
                _after_write(result.paths, lambda result=result: (typer.echo(f"Saved {self.rel}"), _print_warnings(result.warnings)))
                return
            _print_warnings(errors)
            try:
                choice = asker.ask("What now? (e)dit again, (d)iscard your changes, (k)eep them anyway", "e",
                                   check=lambda a: a[:1].lower() if a[:1].lower() in ("e", "d", "k") else _bad_choice(a))
            except _NoMoreInput:
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


def _bad_choice(answer: str):
    from ..edit.inputs import InputError

    raise InputError(f"'{answer}' — answer e, d or k")

"""The guided `add`: a list of questions over the library's validators (claimtrack.edit.inputs and
.names), each answer kept in .claimtrack/draft.json as it is given so that `add --resume` asks
only what is left. It only gathers a ClaimDraft, which is written like any other."""

from __future__ import annotations

import os
from pathlib import Path


from .app import fail
from .writing import Asker, Cancelled, chain_of, short

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

    def __init__(self, where: Path, asker: Asker, state: dict):
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
            self.asker.say(f"  {n:>2}  {ident} — {short(label, 70)}" if label else f"  {n:>2}  {ident}")

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
        self.asker.say(f"  = {sid}: {short(self.ds.sources[sid].meta.title, 70)}")
        return sid

    def ask_by(self):
        from ..edit.inputs import InputError
        from ..edit.names import find_actor

        def pick(answer):
            if answer == "?":
                for a in self.ds.actors.values():
                    self.asker.say(f"  {a.id:<28} {short(a.name, 40):<40} {a.side or ''}")
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
            self.asker.say(f"  {n:>2}  {c.said_on.value:<10} {c.by}: {short(c.statement, 80)}")
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


def from_candidate(where: Path, ref: str) -> dict:
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


def load_draft(where: Path) -> dict:
    import json

    path = where / DRAFT_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"there is no interrupted claim to resume ({shown_path(path)} does not exist) — run 'claimtrack add' to start one")
    except (OSError, ValueError) as exc:
        fail(f"cannot read {shown_path(path)}: {exc} — delete it and run 'claimtrack add' again")
    if not isinstance(state, dict):
        fail(f"{shown_path(path)} is not a draft of claimtrack add — delete it and run 'claimtrack add' again")
    return state


def draft_is_empty(where: Path) -> bool:
    import json

    try:
        return not json.loads((where / DRAFT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True


def shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def draft_state(draft) -> dict:
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


def ask_guided(where: Path, preset, asker: Asker, state: dict | None = None):
    """Run the guided flow (from `state`, a resumed draft, or the options in `preset`); show the
    claim as it will be written and ask to write it. Returns the ClaimDraft."""
    from ..edit.names import claim_name, resolve_draft
    from ..edit.yamlout import claim_yaml

    flow = _GuidedAdd(where, asker, state if state is not None else draft_state(preset))
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
        raise Cancelled
    return draft

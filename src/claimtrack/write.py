"""Writing claims: a new claim, a status change, a link added or removed, an edited file.

Every write goes through one `Transaction`:

    with Transaction(root) as tx:          # takes the dataset lock, loads the dataset
        tx.put("claims/flow/x.yaml", text)  # stage whole new file texts
        warnings = tx.commit()              # validate the whole result, then write

`commit` puts the staged files in place *in memory*, runs every rule of `claimtrack check`, and
refuses (`WriteRefused`) when the result has an error the change introduced; errors that were
already in the dataset do not block an unrelated write. Then each file is written to a temporary
file beside it and renamed into place; if anything fails midway, the files already written are
put back as they were. The lock serialises writers, so two commands writing at once both land.

YAML is emitted with ruamel.yaml: new files in the documented key order, long strings folded
near 100 columns, dates as plain scalars; existing files are edited round-trip, so a person's
comments and layout survive a status change or a link.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .model import KINDS, LINK_BASES, LINK_TYPES, STATUSES, Dataset, FuzzyDate, Source
from .problems import ClaimtrackError, Problem, WriteRefused, error, sort_problems
from .quotes import SourceText
from .store import (
    ACTORS_FILE,
    ISSUE_FILE,
    claim_path,
    dataset_lock,
    issue_path,
    load_actors_text,
    load_claim_text,
    load_dataset,
    load_issue_text,
    source_path,
    load_source_text,
)
from .paths import stage_atomic

CLAIM_KEYS = ("statement", "kind", "by", "said_on", "after", "status", "rebuts", "supports", "supersedes", "against", "answers", "history", "citations", "tags")
WIDTH = 100  # fold long strings to fit this many columns
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QUOTE_MARKS = "\"'“”‘’«»„‚"


class InputError(ClaimtrackError):
    """Input that cannot become a valid claim; the message says what to do instead."""


class QuoteNotFound(InputError):
    def __init__(self, source_id: str, quote: str, closest: list[tuple[float, str]]):
        self.source_id, self.quote, self.closest = source_id, quote, closest
        from .quotes import closest_hint

        hint = f"{closest_hint(quote, closest[0][1])}; copy the words exactly as the source has them" if closest else " — copy the words exactly as the source has them"
        super().__init__(f"quote not found in source '{source_id}'{hint}")


# ------------------------------------------------------------------------------------- YAML


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # folding is ours (fold_text); never let the emitter re-wrap a line
    return y


def load_rt(text: str) -> Any:
    """A YAML text as ruamel's round-trip tree: comments and layout kept for dump_rt."""
    return _yaml().load(text)


def dump_rt(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


_START = re.compile(r"---(?:[ \t]+#.*)?[ \t]*")  # a document start marker, alone or with a comment
_END = re.compile(r"\.\.\.(?:[ \t]+#.*)?[ \t]*")  # a document end marker
_ASIDE = re.compile(r"(?:[ \t]*(?:#.*)?|%.*)")  # a blank line, a comment or a directive


@dataclass(frozen=True)
class Layout:
    """What a person chose about a file's bytes that the YAML library does not keep: a byte
    order mark, CRLF line endings, the lines up to a `---` start marker (directives, comments),
    the lines from a `...` end marker on, and whether the last line ends in a line break.
    `split` takes them off a text; `join` puts them back on a rewritten body."""

    bom: str = ""
    newline: str = "\n"
    head: str = ""
    tail: str = ""
    final_newline: bool = True

    @classmethod
    def split(cls, text: str) -> tuple["Layout", str]:
        """(the layout, the document's body with LF line endings and no markers)."""
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom):]
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"
        final_newline = text.endswith("\n") or not text
        lines = text.replace("\r\n", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        start = 0
        for i, line in enumerate(lines):
            if _START.fullmatch(line):
                start = i + 1
                break
            if not _ASIDE.fullmatch(line):
                break
        end = len(lines)
        for i in range(len(lines) - 1, start - 1, -1):
            if _END.fullmatch(lines[i]):
                end = i
                break
            if not _ASIDE.fullmatch(lines[i]) or lines[i].startswith("%"):
                break
        join = "\n".join
        head = join(lines[:start]) + "\n" if start else ""
        tail = join(lines[end:]) + "\n" if end < len(lines) else ""
        body = join(lines[start:end]) + "\n" if end > start else ""
        return cls(bom, newline, head, tail, final_newline), body

    def join(self, body: str) -> str:
        text = self.head + body + self.tail
        if not self.final_newline and text.endswith("\n"):
            text = text[:-1]
        return self.bom + text.replace("\n", self.newline)


def rewrite_yaml(text: str, change) -> str:
    """`text` with `change(data)` applied to its round-trip tree, and every byte the change does
    not touch as the person left it: comments and layout (ruamel), and the BOM, line endings and
    document markers (Layout)."""
    layout, body = Layout.split(text)
    data = load_rt(body)
    change(data)
    return layout.join(dump_rt(data))


def _fold_positions(text: str, width: int) -> list[int]:
    """Indexes of the single spaces where a greedy wrap at `width` breaks the line."""
    spaces = [i for i, ch in enumerate(text) if ch == " " and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " "]
    out: list[int] = []
    start, prev = 0, None
    for s in spaces + [len(text)]:
        if s - start > width and prev is not None and prev > start:
            out.append(prev)
            start = prev + 1
        prev = s
    return out


def fold_text(text: str, key: str = "", indent: int = 2) -> Any:
    """`text` as a YAML scalar for `key:` at column indent-2: folded (`>-`) when the line would pass
    WIDTH columns and the text folds losslessly, else left for the emitter to quote as it needs."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    one_line = indent - 2 + len(key) + 2 + len(text) + 2
    foldable = text == text.strip() and all(ch.isprintable() for ch in text) and " " in text
    if one_line <= WIDTH or not foldable:
        return text
    folded = FoldedScalarString(text)
    folded.fold_pos = _fold_positions(text, WIDTH - indent)
    return folded


def quoted(text: str, key: str = "quote", indent: int = 6) -> Any:
    """A quotation: in double quotes when it fits on the line, folded when it is long."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    node = fold_text(text, key, indent)
    return DoubleQuotedScalarString(text) if node is text else node


def date_scalar(value: str) -> Any:
    """A date as a plain YAML scalar: 2025-11-05, 2025-11 or 2025 (never quoted); any other EDTF
    form (../2025-11-05, an interval) as the string it is."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    if value.count("-") == 0 and value.isdigit():
        return int(value)
    return value


def date_node(date: FuzzyDate, indent: int) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not date.inferred:
        return date_scalar(date.value)
    node = CommentedMap()
    node["value"] = date_scalar(date.value)
    node["inferred"] = True
    node["note"] = fold_text(date.note or "", "note", indent + 2)
    return node


def flow_list(items: Iterable[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(items))
    seq.fa.set_flow_style()
    return seq


def history_entry(change_on: FuzzyDate, status: str, note: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["on"] = date_node(change_on, 4)
    entry["status"] = status
    entry["note"] = fold_text(note, "note", 6)
    return entry


def citation_entry(cite: "Cite") -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["source"] = cite.source
    entry["quote"] = quoted(cite.quote)
    if cite.channel:
        entry["channel"] = fold_text(cite.channel, "channel", 6)
    if cite.reported_by:
        entry["reported_by"] = flow_list(cite.reported_by)
    if cite.reported_on:
        entry["reported_on"] = date_node(parse_date(cite.reported_on, cite.reported_on_note, "reported_on"), 6)
    if cite.via:
        entry["via"] = fold_text(cite.via, "via", 6)
    if cite.note:
        entry["note"] = fold_text(cite.note, "note", 6)
    return entry


def _insert_in_order(data: Any, key: str, value: Any, order: tuple[str, ...] = CLAIM_KEYS) -> None:
    """Set `key` in a round-trip mapping; a new key goes where the documented order puts it."""
    if key in data:
        data[key] = value
        return
    rank = order.index(key)
    pos = 0
    for i, existing in enumerate(data):
        if existing in order and order.index(existing) < rank:
            pos = i + 1
    data.insert(pos, key, value)


# ------------------------------------------------------------------------------- the inputs


@dataclass
class Cite:
    source: str
    quote: str
    via: str | None = None  # the old spelling; new citations use channel and reported_by
    note: str | None = None
    channel: str | None = None
    reported_by: list[str] = field(default_factory=list)
    reported_on: str | None = None
    reported_on_note: str | None = None  # given: reported_on is inferred, and this says from what
    typed: str | None = None  # the quote as the user typed it, when the stored one is the source's own characters


@dataclass
class NewIssue:
    id: str
    title: str
    question: str
    summary: str | None = None


@dataclass
class NewActor:
    id: str
    name: str
    side: str | None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    kind: str = "person"


@dataclass
class NewSide:
    id: str
    name: str
    colour: str | None = None  # None: the first colour of PALETTE no side uses yet


@dataclass
class ClaimDraft:
    """What a user gives for a new claim. Names may be loose (an actor's alias, a claim's name
    without its issue): `resolve_draft` turns them into ids, or says what is wrong."""

    issue: str
    by: str
    kind: str
    said_on: str
    statement: str
    citations: list[Cite]
    said_on_note: str | None = None  # given: the date is inferred, and this says from what
    status: str = "asserted"
    note: str | None = None  # the first history entry's note
    rebuts: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    name: str | None = None  # the file name (default: from the statement)
    new_issue: NewIssue | None = None
    new_actor: NewActor | None = None
    new_side: NewSide | None = None  # the side the new actor belongs to, started with it
    keep_status: bool = False  # leave the status of the claims it rebuts or supersedes as it is


@dataclass
class StatusFollow:
    """A status another claim took because of a write: X is now disputed since Y rebuts it."""

    claim_id: str
    old: str
    new: str
    because: str  # the claim that rebuts or supersedes it


@dataclass
class WriteResult:
    paths: list[str]  # relative paths written (empty when nothing needed to change)
    warnings: list[Problem]  # warnings the change introduced (e.g. a status the links contradict)
    claim_id: str | None = None
    other_id: str | None = None  # for a link: the claim linked to
    cites: list["Cite"] = field(default_factory=list)  # the citations as stored (quotes in the source's characters)
    followed: list[StatusFollow] = field(default_factory=list)  # statuses of other claims the write changed

    @property
    def changed(self) -> bool:
        return bool(self.paths)


# ------------------------------------------------------------------------------ resolution


def _suggest(wanted: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known values nearest `wanted` in spelling (only those about as near as the best),
    else those that contain it."""
    known = list(known)
    scored = []
    for k in known:
        m = difflib.SequenceMatcher(None, wanted.casefold(), k.casefold())
        if m.real_quick_ratio() >= 0.5 and m.quick_ratio() >= 0.5:
            scored.append((m.ratio(), k))
    scored = sorted((s for s in scored if s[0] >= 0.6), key=lambda s: -s[0])
    if scored:
        best = scored[0][0]
        return [k for r, k in scored if r >= best - 0.08][:n]
    low = wanted.casefold()
    return [k for k in known if low and low in k.casefold()][:n]


def _did_you_mean(options: list[str]) -> str:
    return f"did you mean {', '.join(repr(o) for o in options)}? " if options else ""


def slugify(text: str, max_words: int = 6, max_len: int = 48, stop: frozenset[str] = frozenset()) -> str:
    """A short lower-case id from text: ascii letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]s\b", "s", ascii_text.lower())
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w and w not in stop]
    out = ""
    for w in words[:max_words]:
        cand = f"{out}-{w}" if out else w
        if len(cand) > max_len:
            break
        out = cand
    return out or (words[0][:max_len] if words else "")


STOPWORDS = frozenset(
    "a an the of to in on for and or with at by from as is are was were be been that this it its "
    "said says told say has have had would will than which who also about their there".split()
)


def _resolved(kind: str, m, hint: str, describe=lambda i: i, miss: str = "unknown {kind} '{wanted}'") -> str:
    """The id a resolve.Match found, or an InputError listing the ids to choose from, or the nearest."""
    from .resolve import did_you_mean

    if m.id is not None:
        return m.id
    if m.ambiguous:
        shown = "; ".join(describe(i) for i in m.ambiguous[:8]) + (f"; and {len(m.ambiguous) - 8} more" if len(m.ambiguous) > 8 else "")
        raise InputError(f"'{m.wanted}' fits more than one {kind}: {shown} — give more of it, or the id")
    raise InputError(f"{miss.format(kind=kind, wanted=m.wanted)} — {did_you_mean(m.near)}{hint}")


def find_issue(ds: Dataset, wanted: str) -> str:
    """An issue id from an id, a title or a unique prefix of either (resolve.py)."""
    from .resolve import lookup

    m = lookup(wanted.strip(), [(i, [issue.title]) for i, issue in ds.issues.items()])
    return _resolved("issue", m, f"use one of the issue ids ({', '.join(sorted(ds.issues)) or 'none yet'}), or start a new issue in the guided flow (claimtrack add)",
                     miss="no issue '{wanted}'")


def find_actor(ds: Dataset, wanted: str) -> str:
    """An actor id from an id, a name or an alias, a unique prefix of one, or a surname (resolve.py)."""
    from .resolve import lookup

    m = lookup(wanted.strip(), [(a.id, [a.name, *a.aliases]) for a in ds.actors.values()])
    return _resolved("actor", m, "give an actor id, name or alias from claims/actors.yaml, or add the actor there first",
                     lambda i: f"{i} ({ds.actors[i].name})")


def find_source(ds: Dataset, wanted: str) -> Source:
    """A source from its id, a unique prefix of it, or its outlet and date (`arab-news 2025-11-05`)."""
    from .model import meta_text
    from .resolve import lookup, source_names

    def names(s: Source) -> list[str]:
        return source_names(meta_text(s.meta.outlet), s.meta.published.value if s.meta.published else None)

    m = lookup(wanted.strip(), [(sid, names(s)) for sid, s in ds.sources.items()], words=False)

    def describe(sid: str) -> str:
        s = ds.sources[sid]
        return f"{sid} ({meta_text(s.meta.outlet)}, {s.meta.published.value if s.meta.published else 'undated'}: {s.meta.title})"

    return ds.sources[_resolved("source", m, "archive it first with 'claimtrack source add FILE', then cite the id it prints "
                                "('claimtrack source list' lists them)", describe)]


def find_claim(ds: Dataset, wanted: str, issue: str | None = None, role: str | None = None) -> str:
    """A claim id from a full id, or from a name alone (looked up in `issue` first, then anywhere),
    or a unique prefix of either (resolve.py)."""
    from .resolve import lookup

    wanted = wanted.strip()
    if wanted in ds.claims:
        return wanted
    if "/" not in wanted:
        if issue and f"{issue}/{wanted}" in ds.claims:
            return f"{issue}/{wanted}"
        hits = [cid for cid in ds.claims if cid.split("/", 1)[1] == wanted]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise InputError(f"'{wanted}' is the name of claims in several issues ({', '.join(hits)}) — give the full id <issue>/<name>")
    m = lookup(wanted, [(cid, [cid.split("/", 1)[1]]) for cid in ds.claims], words=False)
    if m.id is not None:
        return m.id
    if m.ambiguous:
        raise InputError(f"'{wanted}' fits more than one claim: {', '.join(m.ambiguous[:8])}{' …' if len(m.ambiguous) > 8 else ''} — give more of the id")
    what = f"{role} '{wanted}': no such claim" if role else f"no claim '{wanted}'"
    raise InputError(f"{what} — {_did_you_mean(list(m.near))}a claim id is <issue>/<name>, from the file claims/<issue>/<name>.yaml")


def parse_date(text: str, note: str | None = None, what: str = "said_on", today: dt.date | None = None) -> FuzzyDate:
    """A date as a user types it (any date of dates.py, or 'today'); not in the future."""
    from .dates import DateError, parse, today_or

    today = today or dt.date.today()
    text = today_or(text or "", today)
    try:
        parse(text)
    except DateError as exc:
        raise InputError(f"{what}: {exc}") from None
    date = FuzzyDate.model_validate({"value": text, "inferred": True, "note": note} if note else text)
    if date.earliest is not None and date.earliest > today:
        raise InputError(f"{what} {date.value} is in the future — give the date it was said (today is {today.isoformat()})")
    return date


def check_choice(value: str, choices: Iterable[str], what: str) -> str:
    choices = list(choices)
    if value in choices:
        return value
    near = _suggest(value, choices, 2)
    raise InputError(f"unknown {what} '{value}' — {_did_you_mean(near)}use one of: {', '.join(choices)}")


def check_quote(source: Source, quote: str, text: SourceText | None = None) -> str:
    """The quote as it will be stored, when it is in the source; QuoteNotFound with the closest
    passages when it is not. Quote marks around the whole quote are dropped if they are the
    user's, not the source's."""
    from .quotes import as_stored

    text = text or SourceText(source.body)
    quote = " ".join(quote.split())
    if not quote:
        raise InputError(f"the quote for source '{source.id}' is empty — copy the words the claim rests on from the source")
    found = text.anchor(quote)
    if found is not None:
        return as_stored(found.exact)  # the source's own characters: its quote marks, its dashes
    bare = quote.strip(QUOTE_MARKS + " ")
    found = text.anchor(bare) if bare and bare != quote else None
    if found is not None:
        return as_stored(found.exact)
    try:
        closest = text.closest(quote, limit=3)
    except IndexError:  # quotes.closest can step past the end of a short body; no hint then
        closest = []
    raise QuoteNotFound(source.id, quote, closest)


def trim_passage(passage: str) -> str:
    """A suggested passage without the quote marks at its ends (it is quoted when shown)."""
    return passage.strip(QUOTE_MARKS + " ") or passage


def passage_quote(source: Source, passage: str) -> str:
    """A passage suggested by `closest` (normalised text) as the source spells it."""
    passage = trim_passage(passage)
    anchor = SourceText(source.body).anchor(passage)
    return " ".join(anchor.exact.split()) if anchor else passage


def resolve_draft(ds: Dataset, draft: ClaimDraft, today: dt.date | None = None) -> ClaimDraft:
    """The draft with ids resolved and every input checked; InputError says what is wrong."""
    statement = " ".join((draft.statement or "").split())
    if not statement:
        raise InputError("the statement is empty — write one neutral, attributive sentence (who said what), e.g. --statement \"X said that ...\"")
    if draft.new_issue is not None:
        if not SLUG.match(draft.new_issue.id):
            raise InputError(f"'{draft.new_issue.id}' is not a valid issue id — use lower-case letters, digits and hyphens")
        if draft.new_issue.id in ds.issues:
            raise InputError(f"the issue '{draft.new_issue.id}' exists already — pick it instead of starting a new one")
        issue = draft.new_issue.id
    else:
        issue = find_issue(ds, draft.issue)
    if draft.new_actor is not None:
        if not SLUG.match(draft.new_actor.id):
            raise InputError(f"'{draft.new_actor.id}' is not a valid actor id — use lower-case letters, digits and hyphens")
        if draft.new_actor.id in ds.actors:
            raise InputError(f"the actor id '{draft.new_actor.id}' is taken — choose another, or pick that actor")
        if draft.new_side is not None:
            check_side(ds, draft.new_side)
        sides = set(ds.sides) | ({draft.new_side.id} if draft.new_side else set())
        check_actor(ds, draft.new_actor, sides)
        by = draft.new_actor.id
    else:
        by = find_actor(ds, draft.by)
    kind = check_choice(draft.kind, KINDS, "kind")
    status = check_choice(draft.status, STATUSES, "status")
    said_on = parse_date(draft.said_on, draft.said_on_note, "said_on", today)
    if not draft.citations:
        raise InputError("a claim needs at least one citation — give --cite SOURCE --quote TEXT")
    cites = []
    for cite in draft.citations:
        source = find_source(ds, cite.source)
        stored = check_quote(source, cite.quote)
        if cite.reported_on:
            parse_date(cite.reported_on, cite.reported_on_note, "reported_on", today)
        cites.append(Cite(source.id, stored, cite.via or None, cite.note or None, cite.channel or None,
                          [r for r in cite.reported_by if r.strip()], cite.reported_on or None, cite.reported_on_note,
                          typed=None if stored == " ".join(cite.quote.split()) else cite.quote))
    links = {}
    for link_type in LINK_TYPES:
        targets = [find_claim(ds, t, issue, f"--{link_type}") for t in getattr(draft, link_type)]
        links[link_type] = list(dict.fromkeys(targets))
    name = draft.name
    if name is not None and not SLUG.match(name):
        raise InputError(f"'{name}' is not a valid claim name — use lower-case letters, digits and hyphens")
    return ClaimDraft(
        issue=issue, by=by, kind=kind, said_on=said_on.value, said_on_note=said_on.note if said_on.inferred else None,
        statement=statement, citations=cites, status=status, note=draft.note, tags=list(draft.tags), name=name,
        new_issue=draft.new_issue, new_actor=draft.new_actor, new_side=draft.new_side, keep_status=draft.keep_status, **links,
    )


def claim_name(ds: Dataset, root: Path, issue: str, draft: ClaimDraft) -> str:
    """A free file name in the issue: the draft's, or one from the statement; -2, -3... if taken.

    A name made from the statement ends with four hex digits of a hash of who said what, when: two
    people adding different claims in two clones of one dataset get different files even when the
    statements begin alike, so their branches merge without an add/add conflict; the same claim
    added twice gets the same name, and git shows it as the conflict it is."""
    if draft.name:
        base = draft.name
    else:
        import hashlib

        said = "\x1f".join((issue, draft.by, draft.said_on, " ".join(draft.statement.split())))
        base = f"{slugify(draft.statement, stop=STOPWORDS) or 'claim'}-{hashlib.sha256(said.encode('utf-8', 'surrogatepass')).hexdigest()[:4]}"
    name, n = base, 1
    while f"{issue}/{name}" in ds.claims or (root / claim_path(f"{issue}/{name}")).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def claim_yaml(draft: ClaimDraft) -> str:
    """A resolved draft as a claim file: the documented key order, folded text, plain dates."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    said_on = FuzzyDate.model_validate({"value": draft.said_on, "inferred": True, "note": draft.said_on_note} if draft.said_on_note else draft.said_on)
    data = CommentedMap()
    data["statement"] = fold_text(draft.statement, "statement")
    data["kind"] = draft.kind
    data["by"] = draft.by
    data["said_on"] = date_node(said_on, 2)
    data["status"] = draft.status
    for link_type in LINK_TYPES:
        if getattr(draft, link_type):
            data[link_type] = flow_list(getattr(draft, link_type))
    sources = ", ".join(dict.fromkeys(c.source for c in draft.citations))
    history = CommentedSeq([history_entry(said_on, draft.status, draft.note or f"Recorded from {sources}.")])
    data["history"] = history
    data["citations"] = CommentedSeq([citation_entry(c) for c in draft.citations])
    if draft.tags:
        data["tags"] = flow_list(draft.tags)
    return dump_rt(data)


def issue_yaml(issue: NewIssue) -> str:
    from ruamel.yaml.comments import CommentedMap

    data = CommentedMap()
    data["title"] = fold_text(issue.title, "title")
    data["question"] = fold_text(issue.question, "question")
    if issue.summary:
        data["summary"] = fold_text(issue.summary, "summary")
    return dump_rt(data)


def actors_with(text: str, actor: NewActor) -> str:
    """actors.yaml with one more actor at the end, everything else (comments too) kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    layout, body = Layout.split(text)
    data = load_rt(body)
    entry = CommentedMap()
    entry["id"] = actor.id
    entry["name"] = actor.name
    if actor.kind != "person":
        entry["kind"] = actor.kind
    if actor.side is not None:
        entry["side"] = actor.side
    if actor.role:
        entry["role"] = fold_text(actor.role, "role", 6)
    if actor.aliases:
        entry["aliases"] = flow_list(actor.aliases)
    if data.get("actors") is None or not len(data["actors"]):
        data["actors"] = CommentedSeq()  # a flow `actors: []` becomes a block list
    data["actors"].append(entry)
    return layout.join(dump_rt(data))


def sides_with(text: str, side: NewSide, ds: Dataset | None = None) -> str:
    """actors.yaml with one more side after the others, everything else (comments too) kept.
    An empty `sides: []` (as `claimtrack init` writes it) becomes a block list."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    layout, body = Layout.split(text)
    data = load_rt(body) if body.strip() else CommentedMap()
    if data is None:
        data = CommentedMap()
    entry = CommentedMap()
    entry["id"] = side.id
    entry["name"] = side.name
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    colour = side.colour if side.colour is not None else side_colour(ds or Dataset(), None)
    entry["colour"] = DoubleQuotedScalarString(colour) if colour.startswith("#") else colour
    sides = data.get("sides")
    if sides is None or not len(sides):
        fresh = CommentedSeq()
        if "sides" in data:
            data["sides"] = fresh
        else:
            data.insert(0, "sides", fresh)
        sides = fresh
    sides.append(entry)
    actors = data.get("actors")
    if actors is not None and not len(actors):
        data["actors"] = CommentedSeq()
    return layout.join(dump_rt(data))


# ----------------------------------------------------------------------------- transactions


def _fact(p: Problem) -> tuple:
    """What a problem is about, without its hint (suggestions change as the dataset grows)."""
    return (p.path, p.code, p.severity, p.message.split(" — ")[0])


def introduced(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The problems of `after` that `before` did not have."""
    counts = Counter(_fact(p) for p in before)
    out = []
    for p in after:
        k = _fact(p)
        if counts[k] > 0:
            counts[k] -= 1
        else:
            out.append(p)
    return out


def _kind_of(rel: str) -> tuple[str, str]:
    """(kind, id) of a dataset file's relative path; a path that climbs out is refused (its ids,
    when they are not ids, are reported by the validation as bad-id)."""
    from .paths import LeavesDataset, shown

    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise LeavesDataset(f"{shown(rel)} is not a path inside the dataset — nothing was written")
    if rel == ACTORS_FILE:
        return "actors", ""
    if len(parts) == 3 and parts[0] == "claims" and parts[2] == ISSUE_FILE:
        return "issue", parts[1]
    if len(parts) == 3 and parts[0] == "claims" and parts[2].endswith(".yaml"):
        return "claim", f"{parts[1]}/{parts[2][:-5]}"
    if len(parts) == 2 and parts[0] == "sources" and parts[1].endswith(".md"):
        return "source", parts[1][:-3]
    if len(parts) == 2 and parts[0] == "sources" and parts[1].endswith(".html"):
        return "original", parts[1][:-5]  # the page a source's text was taken from, kept as bytes
    raise ValueError(f"not a dataset file: {rel}")


class Transaction:
    """A locked read-modify-write of the dataset: stage whole files with `put`, then `commit`."""

    def __init__(self, root: Path, timeout: float = 30.0):
        self.root = Path(root)
        self.timeout = timeout
        self.changes: dict[str, str | bytes] = {}  # bytes only for a source's original page
        self.ds: Dataset
        self.problems: list[Problem]
        self._lock = None

    def __enter__(self) -> "Transaction":
        self._lock = dataset_lock(self.root, self.timeout)
        try:
            self._lock.__enter__()
        except OSError as exc:  # .claimtrack/ cannot be made or written: a full or read-only disk
            raise WriteFailed(".claimtrack/write.lock", exc, "could not take the write lock") from None
        try:
            self.ds, self.problems = load_dataset(self.root)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._lock.__exit__(*exc)

    def claim(self, wanted: str) -> str:
        """The id of a claim to change; a claim whose file does not load is named as such."""
        try:
            return find_claim(self.ds, wanted)
        except InputError:
            cid = wanted.strip()
            if "/" in cid and (self.root / claim_path(cid)).is_file():
                raise InputError(f"{claim_path(cid)} has errors, so it cannot be changed this way — mend it first with 'claimtrack edit {cid}' ('claimtrack check' shows what is wrong)") from None
            raise

    def read(self, rel: str) -> str:
        if rel in self.changes:
            return self.changes[rel]
        return (self.root / rel).read_bytes().decode("utf-8")

    def put(self, rel: str, text: str | bytes) -> None:
        """Stage a whole file. A source's original page (sources/<id>.html) is bytes, kept exactly
        as fetched; every other file is text."""
        kind, _ = _kind_of(rel)
        if isinstance(text, bytes) != (kind == "original"):
            raise TypeError(f"{rel}: {'bytes' if kind == 'original' else 'str'} expected")
        self.changes[rel] = text

    # -- validation

    def candidate(self) -> tuple[Dataset, list[Problem]]:
        """The dataset with the staged files in place, and the loading problems of the result."""
        ds = self.ds.model_copy(update={name: dict(getattr(self.ds, name)) for name in ("sides", "actors", "issues", "claims", "sources")})
        problems = [p for p in self.problems if p.path not in self.changes]
        for rel, text in self.changes.items():
            kind, ident = _kind_of(rel)
            if kind != "actors" and not all(SLUG.match(part) for part in ident.split("/")):
                problems.append(error(rel, 0, "bad-id", f"'{ident}' is not a valid id (lower-case letters, digits and hyphens) — choose another name"))
                continue
            if kind == "original":  # not loaded: check_sources compares it with original_sha256 (see validate)
                continue
            if kind == "actors":
                actors, found = load_actors_text(text)
                ds.sides, ds.actors = {}, {}
                if actors:
                    for side in actors.sides:
                        ds.sides.setdefault(side.id, side)
                    for actor in actors.actors:
                        ds.actors.setdefault(actor.id, actor)
            elif kind == "issue":
                obj, found = load_issue_text(ident, text)
                ds.issues.pop(ident, None)
                if obj:
                    ds.issues[ident] = obj
            elif kind == "claim":
                obj, found = load_claim_text(ident, text)
                ds.claims.pop(ident, None)
                if obj:
                    ds.claims[ident] = obj
                if ident.split("/")[0] not in ds.issues:
                    found = [*found, error(rel, 0, "missing-issue-file", f"the issue '{ident.split('/')[0]}' does not exist — create it first")]
            else:
                obj, found = load_source_text(ident, text)
                ds.sources.pop(ident, None)
                if obj:
                    ds.sources[ident] = obj
            problems += found
        return ds, problems

    def validate(self) -> tuple[list[Problem], list[Problem]]:
        """(errors, warnings) that the staged change introduces, each located in its new text."""
        from .check import run_checks

        ds, loaded = self.candidate()
        after = self._staged_originals(ds, loaded + run_checks(self.root, ds))
        if not after:
            return [], []
        before = self.problems + run_checks(self.root, self.ds)
        new = introduced(before, after)
        if any(p.path in self.changes and p not in loaded for p in new):
            new = self._relocate(ds, loaded, new)
        new = sort_problems(new)
        return [p for p in new if p.severity == "error"], [p for p in new if p.severity == "warning"]

    def _staged_originals(self, ds: Dataset, problems: list[Problem]) -> list[Problem]:
        """The rules read a source's original page from the disk, where a staged one is not yet:
        their complaint about it is dropped when the staged bytes have the recorded sha256."""
        import hashlib

        from .paths import original_path

        fine = set()
        for rel, data in self.changes.items():
            kind, sid = _kind_of(rel)
            source = ds.sources.get(sid) if kind == "original" else None
            if source is not None and source.meta.original_sha256 == hashlib.sha256(data).hexdigest():
                fine.add(source_path(sid))
        if not fine:
            return problems
        return [p for p in problems if not (p.path in fine and p.code in ("missing-file", "sha256-mismatch") and original_path(p.path[8:-3]) in p.message)]

    def _relocate(self, ds: Dataset, loaded: list[Problem], new: list[Problem]) -> list[Problem]:
        """Lines of the problems in staged files, found again in their new text.

        The rules find lines by reading files under the root, where a staged file is not yet (or
        is still the old text); so run them again on a scratch copy holding the staged files."""
        from .check import run_checks

        with tempfile.TemporaryDirectory(prefix="claimtrack-") as tmp:
            scratch = Path(tmp)
            (scratch / "claims").mkdir()
            (scratch / "sources").mkdir()
            actors = self.root / ACTORS_FILE
            if ACTORS_FILE not in self.changes and actors.exists():
                (scratch / ACTORS_FILE).write_bytes(actors.read_bytes())
            for rel, text in self.changes.items():
                (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
                (scratch / rel).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            cited = {c.source for claim in ds.claims.values() for c in claim.citations}
            for sid in cited - set(ds.sources):
                if (self.root / "sources" / f"{sid}.md").exists() and not (scratch / "sources" / f"{sid}.md").exists():
                    (scratch / "sources" / f"{sid}.md").touch()
            located = [p for p in run_checks(scratch, ds) if p.path in self.changes]
        by_fact: dict[tuple, list[Problem]] = {}
        for p in located:
            by_fact.setdefault(_fact(p), []).append(p)
        out = []
        for p in new:
            if p.path in self.changes and p not in loaded and by_fact.get(_fact(p)):
                out.append(by_fact[_fact(p)].pop(0))
            else:
                out.append(p)
        return out

    # -- writing

    def commit(self, force: bool = False) -> list[Problem]:
        """Validate, then write every staged file atomically; the warnings the change introduced.

        Refuses with WriteRefused (nothing written) when the change introduces an error, unless
        `force` (the user chose to keep an edit with its errors). A disk that fails (full, an I/O
        error, read-only) raises WriteFailed with the dataset as it was. A Ctrl-C while the files
        are being put in place waits until they all are; it then reaches the caller with the
        files recorded in `committed()`, so the message can say what is on disk."""
        try:
            errors, warnings = self.validate()
        except OSError as exc:  # the scratch copy for locating problems could not be written
            raise WriteFailed(getattr(exc, "filename", None) or "a temporary file", exc, "could not check the change") from None
        if errors and not force:
            raise WriteRefused(errors)
        with _interrupt_deferred():
            write_files(self.root, self.changes)
            _committed.extend(self.changes)
        return errors + warnings if force else warnings


_committed: list[str] = []  # every file this process has committed, in order


def committed() -> list[str]:
    """The relative paths this process has written (a write is recorded once all its files are
    in place): what the CLI names when a command is interrupted, or fails, after its write."""
    return list(_committed)


class WriteFailed(ClaimtrackError):
    """The disk refused a write (full, an I/O error, read-only, no permission). `restored` is
    False when the files already put in place could not all be put back."""

    ADVICE = {
        "ENOSPC": "free some disk space, then run the command again",
        "EDQUOT": "free some space in your disk quota, then run the command again",
        "EFBIG": "the file is larger than this process may write (ulimit -f); raise the limit, then run the command again",
        "EROFS": "the dataset is on a read-only file system; copy it somewhere writable",
        "EACCES": "you may not write there; check the folder's permissions",
        "EPERM": "you may not write there; check the folder's permissions",
        "EIO": "the disk reported an I/O error; check the disk, then run the command again",
    }

    def __init__(self, rel: str, exc: OSError, doing: str = "could not write", not_restored: list[str] | None = None):
        import errno as errno_names

        self.rel, self.exc, self.not_restored = str(rel), exc, list(not_restored or [])
        reason = exc.strerror or str(exc) or type(exc).__name__
        advice = self.ADVICE.get(errno_names.errorcode.get(exc.errno or 0, ""), "run the command again once the cause is fixed")
        if self.not_restored:
            state = f"the change is only partly undone: {', '.join(self.not_restored)} could not be put back, restore it from your copy or version control"
        else:
            state = "nothing was changed"
        super().__init__(f"{self.rel}: {doing}: {reason} — {state}; {advice}")


def _interrupt_deferred():
    """A context in which Ctrl-C (SIGINT) is held back and raised at its end: files are put in
    place, or put back, as a whole. Only the main thread can handle signals; elsewhere a no-op."""
    import signal
    import threading
    from contextlib import contextmanager, nullcontext

    if threading.current_thread() is not threading.main_thread():
        return nullcontext()

    @contextmanager
    def deferred():
        held: list[int] = []
        previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        if held:
            if previous is signal.default_int_handler:
                raise KeyboardInterrupt
            if callable(previous):
                previous(signal.SIGINT, None)

    return deferred()


def _missing_folders(folder: Path) -> list[Path]:
    """`folder` and its ancestors that do not exist yet, outermost first."""
    out = []
    while not folder.exists():
        out.append(folder)
        folder = folder.parent
    return out[::-1]


def write_files(root: Path, changes: dict[str, str | bytes]) -> None:
    """Write the files as one change: all of them, or (on any failure) none.

    First every new text goes to a temporary file beside its target, synced to disk: this is
    where a full disk or an I/O error shows, and then only temporary files exist, which are
    removed. Then each is renamed over its target (a rename needs no new space); if one rename
    fails, the targets already replaced get their old bytes back. Raises WriteFailed for an
    OSError, with `not_restored` naming any file that could not be put back."""
    for rel, text in changes.items():
        if isinstance(text, bytes):
            continue
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(f"{rel}: the text holds {text[exc.start:exc.end]!r}, which cannot be stored as UTF-8 — nothing was written; remove that character") from None
    staged: list[tuple[str, Path, Path, bytes | None]] = []  # rel, target, temporary file, old bytes
    made: list[Path] = []
    rel = ""
    try:
        for rel, text in changes.items():
            path = root / rel
            old = path.read_bytes() if path.exists() else None
            made += _missing_folders(path.parent)
            staged.append((rel, path, stage_atomic(path, text if isinstance(text, bytes) else text.encode("utf-8")), old))
    except BaseException as exc:
        for _, _, tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise WriteFailed(rel, exc) from None
        raise
    done: list[tuple[str, Path, bytes | None]] = []
    try:
        for rel, path, tmp, old in staged:
            os.replace(tmp, path)
            done.append((rel, path, old))
    except BaseException as exc:
        for _, _, tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        not_restored = []
        for done_rel, path, old in reversed(done):
            try:
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    _put_back(path, old)
            except OSError:
                not_restored.append(done_rel)
        if not not_restored:
            for folder in reversed(made):
                try:
                    folder.rmdir()
                except OSError:
                    pass
        if isinstance(exc, OSError):
            raise WriteFailed(rel, exc, not_restored=not_restored) from None
        raise
    for folder in dict.fromkeys(path.parent for _, path, _, _ in staged):
        _sync_folder(folder)


def _put_back(path: Path, old: bytes) -> None:
    tmp = stage_atomic(path, old)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (a power cut then keeps the new names); best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------- the writes


def add_claim(root: Path, draft: ClaimDraft, today: dt.date | None = None) -> WriteResult:
    """Write a new claim (and the new issue or actor it starts, if any)."""
    with Transaction(root) as tx:
        ready = resolve_draft(tx.ds, draft, today)
        name = claim_name(tx.ds, tx.root, ready.issue, ready)
        claim_id = f"{ready.issue}/{name}"
        if ready.new_issue is not None:
            tx.put(issue_path(ready.issue), issue_yaml(ready.new_issue))
        if ready.new_side is not None:
            tx.put(ACTORS_FILE, sides_with(tx.read(ACTORS_FILE), ready.new_side, tx.ds))
        if ready.new_actor is not None:
            tx.put(ACTORS_FILE, actors_with(tx.read(ACTORS_FILE), ready.new_actor))
        tx.put(claim_path(claim_id), claim_yaml(ready))
        said_on = FuzzyDate.model_validate({"value": ready.said_on, "inferred": True, "note": ready.said_on_note} if ready.said_on_note else ready.said_on)
        followed = [] if ready.keep_status else _follow_links(tx, claim_id, said_on, [(t, x) for t in ("rebuts", "supersedes") for x in getattr(ready, t)])
        warnings = tx.commit()
        paths = [p for p in tx.changes if p != claim_path(claim_id)] + [claim_path(claim_id)]
        return WriteResult(paths, warnings, claim_id, cites=ready.citations, followed=followed)


# What a new link does to the status of the claim it points at (docs/adding.md): a rebutted
# claim that stood unanswered is disputed; a superseded position is superseded unless withdrawn.
FOLLOWS = {"rebuts": ("disputed", ("asserted",)), "supersedes": ("superseded", ("asserted", "disputed", "corroborated", "refuted"))}


def follow_status(link_type: str, current: str) -> str | None:
    """The status a claim takes when another `link_type`s it, or None when its own stands."""
    new, from_ = FOLLOWS.get(link_type, (None, ()))
    return new if current in from_ else None


def _follow_links(tx: "Transaction", claim_id: str, on: FuzzyDate, links: list[tuple[str, str]]) -> list[StatusFollow]:
    """Stage the status changes the links of `claim_id` call for, in the same transaction: each
    target's status, and a history entry dated `on` (the answer's date) naming the answer."""
    out = []
    for link_type, target in links:
        claim = tx.ds.claims.get(target)
        if claim is None:
            continue
        new = follow_status(link_type, claim.status)
        if new is None:
            continue
        note = f"{claim_id} {'rebuts' if link_type == 'rebuts' else 'supersedes'} it."
        rel = claim_path(target)

        def change(data, new=new, note=note):
            _insert_in_order(data, "status", new)
            if data.get("history") is None:
                from ruamel.yaml.comments import CommentedSeq

                _insert_in_order(data, "history", CommentedSeq())
            data["history"].append(history_entry(on, new, note))

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        out.append(StatusFollow(target, claim.status, new, claim_id))
    return out


def check_actor(ds: Dataset, actor: NewActor, sides: set[str] | None = None) -> None:
    """InputError when `actor` cannot be added: a bad or taken id, no name, an unknown kind or
    side, or no side for a kind that needs one (every kind but third-party and outlet)."""
    from .vocab import ACTOR_KINDS

    sides = set(ds.sides) if sides is None else sides
    if not SLUG.match(actor.id or ""):
        raise InputError(f"'{actor.id}' is not a valid actor id — use lower-case letters, digits and hyphens")
    if actor.id in ds.actors:
        raise InputError(f"the actor id '{actor.id}' is taken (by {ds.actors[actor.id].name}) — choose another, or use that actor")
    if not (actor.name or "").strip():
        raise InputError("the actor's name is empty — give the name as the sources print it")
    check_choice(actor.kind, ACTOR_KINDS, "actor kind")
    if actor.side is None:
        if actor.kind not in ("third-party", "outlet"):
            raise InputError(f"a {actor.kind} needs a side — give one of: {', '.join(sorted(sides)) or 'none yet (add one with claimtrack side add)'}; only a third-party or an outlet may have none")
    elif actor.side not in sides:
        near = _suggest(actor.side, sides)
        raise InputError(f"unknown side '{actor.side}' — {_did_you_mean(near)}use one of: {', '.join(sorted(sides)) or 'none yet (add one with claimtrack side add)'}")


PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


def side_colour(ds: Dataset, wanted: str | None) -> str:
    """The colour a new side gets: the one asked for (a name rich knows, or #rrggbb), or the first
    of PALETTE that no side uses yet."""
    from .colours import colour_error, colour_hex

    if wanted is not None:
        if colour_hex(wanted) is None:
            raise InputError(colour_error(wanted))
        return wanted.strip()
    used = {colour_hex(s.colour) for s in ds.sides.values()}
    return next((c for c in PALETTE if c not in used), PALETTE[len(ds.sides) % len(PALETTE)])


def check_side(ds: Dataset, side: NewSide) -> NewSide:
    """The side with its colour settled; InputError when its id is bad or taken or its name empty."""
    if not SLUG.match(side.id or ""):
        raise InputError(f"'{side.id}' is not a valid side id — use lower-case letters, digits and hyphens")
    if side.id in ds.sides:
        raise InputError(f"the side '{side.id}' exists already ({ds.sides[side.id].name}) — choose another id")
    if not (side.name or "").strip():
        raise InputError("the side's name is empty — give the name its claims are shown under")
    return NewSide(side.id, " ".join(side.name.split()), side_colour(ds, side.colour))


def check_new_issue(ds: Dataset, issue: NewIssue) -> None:
    if not SLUG.match(issue.id or ""):
        raise InputError(f"'{issue.id}' is not a valid issue id — use lower-case letters, digits and hyphens")
    if issue.id in ds.issues:
        raise InputError(f"the issue '{issue.id}' exists already ({ds.issues[issue.id].title}) — choose another id")
    if not (issue.title or "").strip():
        raise InputError("the issue's title is empty — give a short title")
    if not (issue.question or "").strip():
        raise InputError("the issue's question is empty — give the question in dispute, asked neutrally")


def add_side(root: Path, side: NewSide) -> WriteResult:
    """A new side at the end of claims/actors.yaml; comments and layout of the file kept."""
    with Transaction(root) as tx:
        ready = check_side(tx.ds, side)
        tx.put(ACTORS_FILE, sides_with(tx.read(ACTORS_FILE), ready, tx.ds))
        warnings = tx.commit()
        return WriteResult([ACTORS_FILE], warnings, ready.id, other_id=ready.colour)


def add_actor(root: Path, actor: NewActor) -> WriteResult:
    """A new actor at the end of claims/actors.yaml."""
    with Transaction(root) as tx:
        actor = NewActor(actor.id, " ".join((actor.name or "").split()), actor.side, actor.role or None,
                         [a for a in dict.fromkeys(" ".join(x.split()) for x in actor.aliases) if a], actor.kind)
        check_actor(tx.ds, actor)
        tx.put(ACTORS_FILE, actors_with(tx.read(ACTORS_FILE), actor))
        warnings = tx.commit()
        return WriteResult([ACTORS_FILE], warnings, actor.id)


def add_issue(root: Path, issue: NewIssue) -> WriteResult:
    """A new issue: claims/<id>/_issue.yaml with its title, question and summary."""
    with Transaction(root) as tx:
        issue = NewIssue(issue.id, " ".join((issue.title or "").split()), " ".join((issue.question or "").split()),
                         " ".join(issue.summary.split()) if issue.summary else None)
        check_new_issue(tx.ds, issue)
        tx.put(issue_path(issue.id), issue_yaml(issue))
        warnings = tx.commit()
        return WriteResult([issue_path(issue.id)], warnings, issue.id)


def add_citation(root: Path, claim: str, cite: Cite) -> WriteResult:
    """One more citation of an existing claim (the same claim in another outlet), its quote
    checked against the source and stored in the source's own characters."""
    with Transaction(root) as tx:
        claim_id = tx.claim(claim)
        [stored] = _resolve_cites(tx.ds, [cite])
        if stored.reported_on:
            parse_date(stored.reported_on, stored.reported_on_note, "reported_on")
        for c in tx.ds.claims[claim_id].citations:
            if c.source == stored.source and " ".join(c.quote.split()) == stored.quote:
                raise InputError(f"{claim_id} already cites these words of {stored.source} — nothing was changed; quote other words, or cite another source")
        rel = claim_path(claim_id)

        def change(data):
            data["citations"].append(citation_entry(stored))

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit()
        return WriteResult([rel], warnings, claim_id, cites=[stored])


def _resolve_cites(ds: Dataset, cites: Iterable[Cite]) -> list[Cite]:
    out = []
    for cite in cites:
        source = find_source(ds, cite.source)
        stored = check_quote(source, cite.quote)
        out.append(Cite(source.id, stored, cite.via, cite.note, cite.channel, cite.reported_by, cite.reported_on,
                        cite.reported_on_note, typed=None if stored == " ".join(cite.quote.split()) else cite.quote))
    return out


def set_status(root: Path, claim: str, status: str, note: str, on: str | None = None,
               cites: Iterable[Cite] = (), today: dt.date | None = None, on_inferred: str | None = None) -> WriteResult:
    """Set a claim's status and append the change, dated and with why, to its history.

    Citations given go to the claim's citations, noted as the evidence for this change."""
    today = today or dt.date.today()
    note = " ".join((note or "").split())
    if not note:
        raise InputError("a status change needs a note saying why — give --note TEXT")
    status = check_choice(status, STATUSES, "status")
    change_on = parse_date(on or today.isoformat(), on_inferred, what="the date of the change", today=today)
    with Transaction(root) as tx:
        claim_id = tx.claim(claim)
        rel = claim_path(claim_id)
        new_cites = [
            Cite(c.source, c.quote, c.via, c.note or f"Evidence for the status change to '{status}' on {change_on.value}.",
                 c.channel, c.reported_by, c.reported_on, c.reported_on_note)
            for c in _resolve_cites(tx.ds, cites)
        ]

        def change(data):
            _insert_in_order(data, "status", status)
            if data.get("history") is None:
                from ruamel.yaml.comments import CommentedSeq

                _insert_in_order(data, "history", CommentedSeq())
            data["history"].append(history_entry(change_on, status, note))
            for cite in new_cites:
                data["citations"].append(citation_entry(cite))

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit()
        return WriteResult([rel], warnings, claim_id)


def _link_args(tx: Transaction, claim: str, link_type: str, other: str) -> tuple[str, str, str]:
    link_type = check_choice(link_type, LINK_TYPES, "link type")
    claim_id = tx.claim(claim)
    other_id = find_claim(tx.ds, other, claim_id.split("/")[0], "link to")
    return claim_id, link_type, other_id


def link_entry(other_id: str, basis: str | None = None, note: str | None = None) -> Any:
    """A link as the file spells it: the plain id, or `{claim, basis, note}` when either is said."""
    if basis is None and not note:
        return other_id
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap({"claim": other_id})
    entry["basis"] = check_choice(basis or "analyst", LINK_BASES, "link basis")
    if note:
        entry["note"] = note
    entry.fa.set_flow_style()
    return entry


def add_link(root: Path, claim: str, link_type: str, other: str, basis: str | None = None, note: str | None = None,
             keep_status: bool = False) -> WriteResult:
    """`claim` rebuts|supports|supersedes `other`; `basis` says whether the text presents the link
    (reported) or the dataset reads it so (analyst), `note` why. A rebutted claim that stood
    asserted becomes disputed, a superseded one superseded (follow_status), in the same
    transaction, unless `keep_status`."""
    with Transaction(root) as tx:
        claim_id, link_type, other_id = _link_args(tx, claim, link_type, other)
        if other_id == claim_id:
            raise InputError(f"a claim cannot {link_type.rstrip('s')} itself — link {claim_id} to another claim")
        if other_id in tx.ds.claims[claim_id].targets(link_type):
            return WriteResult([], [], claim_id, other_id)
        rel = claim_path(claim_id)

        def change(data):
            entry = link_entry(other_id, basis, note)
            if data.get(link_type) is None:
                if isinstance(entry, str):
                    _insert_in_order(data, link_type, flow_list([other_id]))
                else:
                    _insert_in_order(data, link_type, [entry])
            else:
                data[link_type].append(entry)

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        followed = [] if keep_status else _follow_links(tx, claim_id, tx.ds.claims[claim_id].said_on, [(link_type, other_id)])
        warnings = tx.commit()
        return WriteResult([rel, *(claim_path(f.claim_id) for f in followed)], warnings, claim_id, other_id, followed=followed)


def remove_link(root: Path, claim: str, link_type: str, other: str) -> WriteResult:
    """Undo `add_link`: the key goes when its list is left empty."""
    with Transaction(root) as tx:
        claim_id, link_type, other_id = _link_args(tx, claim, link_type, other)
        current = tx.ds.claims[claim_id].targets(link_type)
        if other_id not in current:
            has = f"it {link_type} {', '.join(current)}" if current else f"it {link_type} nothing"
            raise InputError(f"{claim_id} does not {link_type.rstrip('s')} {other_id} — {has}; nothing was changed")
        rel = claim_path(claim_id)

        def change(data):
            items = data[link_type]
            for i in reversed(range(len(items))):
                if items[i] == other_id or (hasattr(items[i], "get") and items[i].get("claim") == other_id):
                    del items[i]
            if not len(items):
                del data[link_type]

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit()
        return WriteResult([rel], warnings, claim_id, other_id)


def fix_quotes(root: Path) -> WriteResult:
    """Rewrite every quote that is found in its source only after normalising (other quote marks,
    dashes or spacing) to the source's own characters: the one change `check --fix` makes."""
    from .check import inexact_quotes

    with Transaction(root) as tx:
        by_file: dict[str, list[tuple[int, str]]] = {}
        for _, (claim_id, i, exact) in inexact_quotes(tx.root, tx.ds):
            by_file.setdefault(claim_path(claim_id), []).append((i, exact))
        for rel, fixes in by_file.items():
            def change(data, fixes=fixes):
                for i, exact in fixes:
                    data["citations"][i]["quote"] = quoted(exact)

            tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit() if by_file else []
        return WriteResult(sorted(by_file), warnings, cites=[Cite(rel, "") for rel in by_file for _ in by_file[rel]])


# ------------------------------------------------------------------------------- editing


def resolve_claim(root: Path, claim: str) -> str:
    """The id of a claim to edit: one whose file does not load yet counts too (editing mends it).

    Only an id names a file (`../x` is refused by claim_path, a glob character never reaches
    glob), and a file reached through a link out of the dataset is refused (LeavesDataset), as
    is a claim file that is itself a link (LinkedFile: a save would have to write through it)."""
    import os

    from .paths import LinkedFile, dataset_file, is_id, shown

    claim = claim.strip().removesuffix(".yaml").removeprefix("claims/")
    found = None
    if "/" in claim:
        if dataset_file(root, claim_path(claim)).is_file():
            found = claim
    elif is_id(claim):
        hits = sorted(p.parent.name for p in (root / "claims").glob(f"*/{claim}.yaml") if is_id(p.parent.name))
        if len(hits) == 1:
            found = f"{hits[0]}/{claim}"
    if found is None:
        ds, _ = load_dataset(root)
        found = find_claim(ds, claim)
    path = dataset_file(root, claim_path(found))
    if path.is_symlink():  # refused before the editor opens, not after the user's work
        raise LinkedFile(f"{claim_path(found)} is a symbolic link (to {shown(os.path.realpath(path))}) — claimtrack does not "
                         "write through links; edit the file it points to, or replace the link with a copy")
    return found


class ChangedOnDisk(ClaimtrackError):
    pass


RECOVER_DIR = ".claimtrack/recover"


def keep_recovery(root: Path, claim_id: str, data: bytes, now: dt.datetime | None = None) -> Path:
    """Keep an edit that was not saved, byte for byte, as
    .claimtrack/recover/<issue>__<name>.<UTC time>.yaml, and return its path. A name already
    taken (two edits in one second) gets -2, -3... Raises OSError when it cannot be written."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(root) / RECOVER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{claim_id.replace('/', '__')}.{stamp}"
    n = 1
    while True:
        path = folder / (f"{base}.yaml" if n == 1 else f"{base}-{n}.yaml")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            n += 1
            continue
        break
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


class NotUTF8(InputError):
    """An edited file whose bytes are not UTF-8: refused, never 'repaired' with U+FFFD."""

    def __init__(self, rel: str, data: bytes, exc: UnicodeDecodeError):
        self.rel = rel
        self.line = data.count(b"\n", 0, exc.start) + 1
        self.byte = data[exc.start]
        self.problem = error(rel, self.line, "bad-encoding", f"not UTF-8 (byte 0x{self.byte:02x}) — save the file as UTF-8 (your editor's file encoding setting)")
        super().__init__(self.problem.format())


def decode_edit(rel: str, data: bytes) -> str:
    """The text of an edited file; NotUTF8, located at the first bad byte, when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUTF8(rel, data, exc) from None


def edit_problems(root: Path, claim_id: str, text: str) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) that replacing the claim's file with `text` would introduce."""
    with Transaction(root) as tx:
        tx.put(claim_path(claim_id), text)
        return tx.validate()


def save_edit(root: Path, claim_id: str, text: str, original: bytes, force: bool = False) -> WriteResult:
    """Put an edited claim file in place, unless the file changed on disk since it was read.

    Refuses like any write when the edit introduces errors, unless `force`. The caller keeps the
    text (keep_recovery) when this raises: nothing was written then."""
    rel = claim_path(claim_id)
    with Transaction(root) as tx:
        path = tx.root / rel
        now = path.read_bytes() if path.exists() else None
        if now != original:
            raise ChangedOnDisk(f"{rel} changed on disk while you were editing it — nothing was written; run 'claimtrack edit {claim_id}' again")
        tx.put(rel, text)
        problems = tx.commit(force=force)
        return WriteResult([rel], problems, claim_id)

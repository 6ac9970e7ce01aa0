"""What a user gives for a write, and the checks of it that need no lock: dates, choices, quotes,
new ids. Both the commands' options and the guided flow's answers go through these, so a bad
answer is refused with the same message (and what to do instead) however it was typed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from ..model import LINK_TYPES, Citation, Claim, Dataset, FuzzyDate, Source
from ..problems import ClaimtrackError, Problem, error
from ..quotes import SourceText
from ..resolve import closest, did_you_mean
from ..paths import ID


SLUG = re.compile(rf"^{ID}$")
QUOTE_MARKS = "\"'“”‘’«»„‚"



class InputError(ClaimtrackError):
    """Input that cannot become a valid claim; the message says what to do instead."""


class QuoteNotFound(InputError):
    def __init__(self, source_id: str, quote: str, closest: list[tuple[float, str]]):
        self.source_id, self.quote, self.closest = source_id, quote, closest
        from ..quotes import closest_hint

        hint = f"{closest_hint(quote, closest[0][1])}; copy the words exactly as the source has them" if closest else " — copy the words exactly as the source has them"
        super().__init__(f"quote not found in source '{source_id}'{hint}")



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

    def as_citation(self) -> Citation:
        """The citation as the claim's file holds it (a date typed as 'today' is today's)."""
        reported_on = parse_date(self.reported_on, self.reported_on_note, "reported_on") if self.reported_on else None
        return Citation(source=self.source, quote=self.quote, channel=self.channel, reported_by=list(self.reported_by),
                        reported_on=reported_on, note=self.note, via=self.via)

    @classmethod
    def of(cls, c: Citation) -> "Cite":
        """A citation of a loaded claim as the input it would be given as."""
        return cls(c.source, c.quote, c.via, c.note, c.channel, list(c.reported_by), c.reported_on.value if c.reported_on else None,
                   c.reported_on.note if c.reported_on and c.reported_on.inferred else None)


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

    def as_claim(self) -> Claim:
        """The resolved draft as the claim its file will hold (yamlout.claim_yaml writes it): its
        first history entry is the status it is recorded with, and from which sources."""
        said_on = FuzzyDate.model_validate({"value": self.said_on, "inferred": True, "note": self.said_on_note} if self.said_on_note else self.said_on)
        sources = ", ".join(dict.fromkeys(c.source for c in self.citations))
        return Claim.model_validate({
            "statement": self.statement, "kind": self.kind, "by": self.by, "said_on": said_on, "status": self.status,
            **{link_type: list(getattr(self, link_type)) for link_type in LINK_TYPES},
            "history": [{"on": said_on, "status": self.status, "note": self.note or f"Recorded from {sources}."}],
            "citations": [c.as_citation() for c in self.citations],
            "tags": list(self.tags),
        })


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



def parse_date(text: str, note: str | None = None, what: str = "said_on", today: dt.date | None = None) -> FuzzyDate:
    """A date as a user types it (any date of dates.py, or 'today'); not in the future."""
    from ..dates import DateError, parse, today_or

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
    near = closest(value, choices, 2)
    raise InputError(f"unknown {what} '{value}' — {did_you_mean(near)}use one of: {', '.join(choices)}")


def check_quote(source: Source, quote: str, text: SourceText | None = None) -> str:
    """The quote as it will be stored, when it is in the source; QuoteNotFound with the closest
    passages when it is not. Quote marks around the whole quote are dropped if they are the
    user's, not the source's."""
    from ..quotes import as_stored

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



def check_actor(ds: Dataset, actor: NewActor, sides: set[str] | None = None) -> None:
    """InputError when `actor` cannot be added: a bad or taken id, no name, an unknown kind or
    side, or no side for a kind that needs one (every kind but third-party and outlet)."""
    from ..vocab import ACTOR_KINDS

    sides = set(ds.sides) if sides is None else sides
    check_id("actor", actor.id)
    if actor.id in ds.actors:
        raise InputError(f"the actor id '{actor.id}' is taken (by {ds.actors[actor.id].name}) — choose another, or use that actor")
    _given(actor.name, "the actor's name is empty — give the name as the sources print it")
    check_choice(actor.kind, ACTOR_KINDS, "actor kind")
    if actor.side is None:
        if actor.kind not in ("third-party", "outlet"):
            raise InputError(f"a {actor.kind} needs a side — give one of: {', '.join(sorted(sides)) or 'none yet (add one with claimtrack side add)'}; only a third-party or an outlet may have none")
    elif actor.side not in sides:
        near = closest(actor.side, sides)
        raise InputError(f"unknown side '{actor.side}' — {did_you_mean(near)}use one of: {', '.join(sorted(sides)) or 'none yet (add one with claimtrack side add)'}")


PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


def side_colour(ds: Dataset, wanted: str | None) -> str:
    """The colour a new side gets: the one asked for (a name rich knows, or #rrggbb), or the first
    of PALETTE that no side uses yet."""
    from ..colours import colour_error, colour_hex

    if wanted is not None:
        if colour_hex(wanted) is None:
            raise InputError(colour_error(wanted))
        return wanted.strip()
    used = {colour_hex(s.colour) for s in ds.sides.values()}
    return next((c for c in PALETTE if c not in used), PALETTE[len(ds.sides) % len(PALETTE)])


def check_id(what: str, ident: str | None) -> None:
    """InputError when `ident` is no id (lower-case letters, digits and hyphens); `what` is
    the kind of thing it names, as the message says it ("issue", "actor")."""
    if not SLUG.match(ident or ""):
        raise InputError(f"'{ident}' is not a valid {what} id — use lower-case letters, digits and hyphens")


def _given(text: str | None, message: str) -> None:
    """InputError(`message`) when a required text is empty or only spaces."""
    if not (text or "").strip():
        raise InputError(message)


def check_side(ds: Dataset, side: NewSide) -> NewSide:
    """The side with its colour settled; InputError when its id is bad or taken or its name empty."""
    check_id("side", side.id)
    if side.id in ds.sides:
        raise InputError(f"the side '{side.id}' exists already ({ds.sides[side.id].name}) — choose another id")
    _given(side.name, "the side's name is empty — give the name its claims are shown under")
    return NewSide(side.id, " ".join(side.name.split()), side_colour(ds, side.colour))


def check_new_issue(ds: Dataset, issue: NewIssue) -> None:
    """InputError when `issue` cannot be added: a bad or taken id, no title or no question."""
    check_id("issue", issue.id)
    if issue.id in ds.issues:
        raise InputError(f"the issue '{issue.id}' exists already ({ds.issues[issue.id].title}) — choose another id")
    _given(issue.title, "the issue's title is empty — give a short title")
    _given(issue.question, "the issue's question is empty — give the question in dispute, asked neutrally")



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

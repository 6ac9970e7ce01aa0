"""The files' schema as pydantic models. `extra="forbid"` everywhere: a typo is an error.

The models describe one file each; ids that come from paths (claim, issue, source) are set by the
loader. docs/format.md documents the same fields, and a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .paths import ID
from .vocab import ACTOR_KINDS, KINDS, LINK_BASES, LINK_TYPES, STATUSES  # noqa: F401  (re-exported)


Kind = Literal[tuple(KINDS)]  # type: ignore[valid-type]
Status = Literal[tuple(STATUSES)]  # type: ignore[valid-type]

ID_PATTERN = rf"^{ID}$"
CLAIM_ID_PATTERN = rf"^{ID}/{ID}$"
Slug = Annotated[str, Field(pattern=ID_PATTERN)]
ClaimRef = Annotated[str, Field(pattern=CLAIM_ID_PATTERN)]


def _none_yet() -> Any:
    """A list field's default: none. Made anew for each model (a default factory) because
    pydantic deep-copies a shared `[]` default on every validation, about 5% of a cold build;
    the JSON Schema still says `"default": []`."""
    return Field(default_factory=list, json_schema_extra={"default": []})


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _nonblank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


NonBlank = Annotated[str, BeforeValidator(_nonblank)]


class FuzzyDate(_Closed):
    """A date as EDTF text (day, month or year; an interval; an open bound; or `unknown`), possibly
    inferred (then with a note saying why). dates.py holds the rules of what a date can mean."""

    value: str
    inferred: bool = False
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            if "value" in data:
                data["value"] = _date_text(data["value"])
            return data
        return {"value": _date_text(data)}

    @field_validator("value")
    @classmethod
    def _check(cls, value: str) -> str:
        from .dates import DateError, parse

        if not isinstance(value, str):
            raise ValueError("a date is text such as 2014-07-23, 2014-07, 2014, 2014-07-01/2014-07-23, ../2014-07-24 or unknown")
        try:
            return parse(value).text
        except DateError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _inferred_needs_note(self) -> "FuzzyDate":
        if self.inferred and not (self.note and self.note.strip()):
            raise ValueError("an inferred date needs a note saying what it was inferred from")
        return self

    @property
    def span(self):
        """The days this date can mean (dates.DateSpan)."""
        from .dates import parse

        return parse(self.value)

    @property
    def precision(self) -> str:
        return self.span.precision

    @property
    def earliest(self) -> dt.date | None:
        """The first day the date can mean; None for an open start or an unknown date."""
        return self.span.earliest

    @property
    def latest(self) -> dt.date | None:
        """The last day the date can mean; None for an open end or an unknown date."""
        return self.span.latest

    @property
    def sort_key(self) -> str:
        return self.span.sort_key

    def __str__(self) -> str:
        return self.value + (" (inferred)" if self.inferred else "")


def _date_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class Inferred(_Closed):
    """A metadata value not printed in the text but inferred from it."""

    value: str
    inferred: Literal[True] = True
    note: NonBlank


MetaText = str | Inferred

_URL_START = re.compile(r"https?://", re.IGNORECASE)
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"<>\\]")  # spaces, controls, what ends a link


def _web_url(value: MetaText) -> MetaText:
    """A source's url is where it was published on the web: http(s), with a host, or `unknown`.
    Anything else (`javascript:`, `data:`, `file:`, a bare path) would become a live link in a
    brief, so it is refused here, where every file and every write is checked."""
    text = value.value if isinstance(value, Inferred) else value
    if text == "unknown":
        return value
    from urllib.parse import urlsplit

    try:
        host = urlsplit(text).hostname if _URL_START.match(text) and not _URL_UNSAFE.search(text) else None
    except ValueError:  # e.g. a malformed [IPv6] host
        host = None
    if not host:
        raise ValueError(f"{text!r} is not a web address — give an http:// or https:// URL with a host, or unknown")
    return value


WebUrl = Annotated[MetaText, AfterValidator(_web_url)]


def _unknown_date(value: Any) -> Any:
    return None if value == "unknown" else value


OptionalDate = Annotated[FuzzyDate | None, BeforeValidator(_unknown_date)]


ActorKind = Literal[tuple(ACTOR_KINDS)]  # type: ignore[valid-type]
LinkBasis = Literal[tuple(LINK_BASES)]  # type: ignore[valid-type]


def _colour(value: Any) -> Any:
    """A colour name rich knows (`blue`, `dark_orange`) or `#rrggbb`: colours.colour_hex turns
    either into hex for HTML and exports; anything else is refused with examples."""
    from .colours import colour_error, colour_hex

    if colour_hex(value) is None:
        raise ValueError(colour_error(value))
    return value


class Side(_Closed):
    id: Slug
    name: NonBlank
    colour: Annotated[str, AfterValidator(_colour)]


class Actor(_Closed):
    id: Slug
    name: NonBlank
    kind: ActorKind = "person"
    side: Slug | None = None  # absent only for a third party or an outlet (check says so)
    role: str | None = None
    aliases: list[str] = _none_yet()


class ActorsFile(_Closed):
    sides: list[Side]
    actors: list[Actor] = _none_yet()


class Issue(_Closed):
    id: str = ""
    title: NonBlank
    question: NonBlank
    summary: str | None = None
    tags: list[str] = _none_yet()


class StatusChange(_Closed):
    on: FuzzyDate
    status: Status
    note: NonBlank


class Citation(_Closed):
    source: Slug
    quote: NonBlank
    channel: str | None = None  # how the speaker said it: "post on X", "press briefing", ...
    reported_by: list[NonBlank] = _none_yet()  # intermediaries before this source, nearest the speaker first
    reported_on: FuzzyDate | None = None  # when this source says it was said
    note: str | None = None
    via: str | None = None  # the old spelling: one text for channel and chain (check says how to split it)

    @property
    def second_hand(self) -> bool:
        """Known only through intermediaries: what a brief may call second-hand, and nothing else."""
        return bool(self.reported_by)


def _link_ref(value: Any) -> Any:
    return {"claim": value} if isinstance(value, str) else value


class LinkRef(_Closed):
    """One entry of rebuts/supports/supersedes: a claim id, and whether the text presents the link
    (`reported`) or the dataset reads it so (`analyst`, the default for a plain id)."""

    claim: ClaimRef
    basis: LinkBasis = "analyst"
    note: str | None = None


Link = Annotated[LinkRef, BeforeValidator(_link_ref)]


class Answers(_Closed):
    """Accusations a denial answers that are not recorded as claims ("such accusations")."""

    against: Slug  # a side or an actor id
    note: NonBlank


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Claim(_Closed):
    id: str = ""
    statement: NonBlank
    kind: Kind
    by: Slug
    said_on: FuzzyDate
    status: Status
    rebuts: list[Link] = _none_yet()
    supports: list[Link] = _none_yet()
    supersedes: list[Link] = _none_yet()
    against: list[Slug] = _none_yet()  # whom an accusation is aimed at: side or actor ids
    answers: Annotated[list[Answers], BeforeValidator(_one_or_many)] = _none_yet()
    after: ClaimRef | None = None  # said after this claim, where the text says so and the dates cannot
    history: list[StatusChange] = _none_yet()
    citations: Annotated[list[Citation], Field(min_length=1)]
    tags: list[str] = _none_yet()

    @property
    def issue(self) -> str:
        return self.id.split("/", 1)[0]

    def links(self) -> list[tuple[str, str]]:
        """(link type, target id) pairs, in file order."""
        return [(t, ref.claim) for t in LINK_TYPES for ref in getattr(self, t)]

    def link_refs(self) -> list[tuple[str, LinkRef]]:
        """(link type, link) pairs, in file order, with each link's basis and note."""
        return [(t, ref) for t in LINK_TYPES for ref in getattr(self, t)]

    def targets(self, link_type: str) -> list[str]:
        """The claim ids of one link type."""
        return [ref.claim for ref in getattr(self, link_type)]


class SourceMeta(_Closed):
    title: NonBlank
    outlet: MetaText = "unknown"
    url: WebUrl = "unknown"
    published: OptionalDate = None
    retrieved: OptionalDate = None
    author: MetaText = "unknown"
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    original_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None  # sources/<id>.html, the page as fetched
    copy_of: Slug | None = None  # a syndicated or mirrored copy of another source
    truncated: bool = False  # the archived text stops short of the article
    notes: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = _none_yet()


class Source(BaseModel):
    """A source file: its metadata, and the body exactly as archived."""

    model_config = ConfigDict(frozen=True)
    id: str
    meta: SourceMeta
    body: str
    body_line: int  # the 1-based line where the body starts in the file


def meta_text(value: MetaText) -> str:
    return value.value if isinstance(value, Inferred) else value


class Dataset(BaseModel):
    """Everything loaded from one root. Bad files are left out and reported as problems.

    `locator` (a store.Locator, set by the loader) knows the texts that were read, which files
    exist and the digests of the kept original pages: the check rules locate their problems with
    it and read no file. It is a private attribute, never dumped, and a copy shares it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    sides: dict[str, Side] = {}
    actors: dict[str, Actor] = {}
    issues: dict[str, Issue] = {}
    claims: dict[str, Claim] = {}
    sources: dict[str, Source] = {}
    _locator: Any = PrivateAttr(default=None)

    @property
    def locator(self) -> Any:
        return self._locator

    @locator.setter
    def locator(self, value: Any) -> None:
        self._locator = value

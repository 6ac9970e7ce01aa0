"""The files' schema as pydantic models. `extra="forbid"` everywhere: a typo is an error.

The models describe one file each; ids that come from paths (claim, issue, source) are set by the
loader. docs/format.md documents the same fields, and a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .vocab import KINDS, LINK_TYPES, STATUSES  # noqa: F401  (re-exported)


Kind = Literal[tuple(KINDS)]  # type: ignore[valid-type]
Status = Literal[tuple(STATUSES)]  # type: ignore[valid-type]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
CLAIM_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=ID_PATTERN)]
ClaimRef = Annotated[str, Field(pattern=CLAIM_ID_PATTERN)]
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _nonblank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


NonBlank = Annotated[str, BeforeValidator(_nonblank)]


class FuzzyDate(_Closed):
    """A date at day, month or year precision, possibly inferred (then with a note saying why)."""

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
        m = _DATE.match(value)
        if not m:
            raise ValueError("a date is YYYY-MM-DD, YYYY-MM or YYYY")
        y, mo, d = m.groups()
        try:
            dt.date(int(y), int(mo or 1), int(d or 1))
        except ValueError as exc:
            raise ValueError(f"not a real date: {exc}") from None
        return value

    @model_validator(mode="after")
    def _inferred_needs_note(self) -> "FuzzyDate":
        if self.inferred and not (self.note and self.note.strip()):
            raise ValueError("an inferred date needs a note saying what it was inferred from")
        return self

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        return ("year", "month", "day")[self.value.count("-")]

    @property
    def earliest(self) -> dt.date:
        """The first day the date can mean: the sort key, and what 'as of' compares."""
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])

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


class Side(_Closed):
    id: Slug
    name: NonBlank
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class Actor(_Closed):
    id: Slug
    name: NonBlank
    side: Slug
    role: str | None = None
    aliases: list[str] = []


class ActorsFile(_Closed):
    sides: list[Side]
    actors: list[Actor] = []


class Issue(_Closed):
    id: str = ""
    title: NonBlank
    question: NonBlank
    summary: str | None = None
    tags: list[str] = []


class StatusChange(_Closed):
    on: FuzzyDate
    status: Status
    note: NonBlank


class Citation(_Closed):
    source: Slug
    quote: NonBlank
    via: str | None = None
    note: str | None = None


class Claim(_Closed):
    id: str = ""
    statement: NonBlank
    kind: Kind
    by: Slug
    said_on: FuzzyDate
    status: Status
    rebuts: list[ClaimRef] = []
    supports: list[ClaimRef] = []
    supersedes: list[ClaimRef] = []
    history: list[StatusChange] = []
    citations: Annotated[list[Citation], Field(min_length=1)]
    tags: list[str] = []

    @property
    def issue(self) -> str:
        return self.id.split("/", 1)[0]

    def links(self) -> list[tuple[str, str]]:
        """(link type, target id) pairs, in file order."""
        return [(t, target) for t in LINK_TYPES for target in getattr(self, t)]


class SourceMeta(_Closed):
    title: NonBlank
    outlet: MetaText = "unknown"
    url: WebUrl = "unknown"
    published: OptionalDate = None
    retrieved: OptionalDate = None
    author: MetaText = "unknown"
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    notes: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = []


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
    """Everything loaded from one root. Bad files are left out and reported as problems."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    sides: dict[str, Side] = {}
    actors: dict[str, Actor] = {}
    issues: dict[str, Issue] = {}
    claims: dict[str, Claim] = {}
    sources: dict[str, Source] = {}

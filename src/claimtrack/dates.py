"""The one date parser: every date claimtrack reads (in a file or on the command line) is an
Extended Date/Time Format string (EDTF, ISO 8601-2, levels 0 and 1), parsed by the `edtf` library.

A date is a span of days: `2014-07-23` is one day, `2014-07` the 31 days of July, `2014` a year,
`2014-07-01/2014-07-23` an interval, `../2014-07-24` any day on or before the 24th (open start),
`2014-07-23/..` on or after, and `unknown` (EDTF's `XXXX` is read as the same) not known at all.
Sorting, `--since`/`--until`, `--as-of` and the timeline compare the first and last day a date can
mean, so the rules live here and nowhere else.

The edtf library (and its pyparsing) is imported only when a date that is not a plain
`YYYY[-MM[-DD]]` needs it; plain dates are checked with the calendar, as EDTF level 0 defines
them, because they are nearly all of the dates in a dataset.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

UNKNOWN = "unknown"
_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
SYNTAX_HELP = (
    "write an EDTF date: 2014-07-23, 2014-07 or 2014; an interval 2014-07-01/2014-07-23; "
    "../2014-07-24 (on or before) or 2014-07-23/.. (on or after); or unknown"
)


class DateError(ValueError):
    """A text that is not a date claimtrack understands; the message says what to write."""


@dataclass(frozen=True)
class DateSpan:
    """The days a date can mean. `earliest`/`latest` are None where the span is open (or the date
    unknown): such a bound is not known, and nothing is invented for it."""

    text: str
    earliest: dt.date | None
    latest: dt.date | None
    precision: str  # day, month, year, interval, before, after, approximate (2014?, 201X), unknown

    @property
    def known(self) -> bool:
        return self.precision != "unknown"

    @property
    def sort_key(self) -> str:
        """Where the date sorts: its first possible day; an open start sorts at its last possible
        day (an 'on or before' date cannot be placed earlier than it may be), and an unknown date
        sorts after every known one."""
        day = self.earliest or self.latest
        return day.isoformat() if day else "9999-12-31~"

    @property
    def first(self) -> str:
        """The first possible day as YYYY-MM-DD ('0001-01-01' for an open start)."""
        return (self.earliest or dt.date.min).isoformat()

    @property
    def last(self) -> str:
        """The last possible day as YYYY-MM-DD ('9999-12-31' for an open end)."""
        return (self.latest or dt.date.max).isoformat()

    def overlaps(self, other: "DateSpan") -> bool:
        """Whether the two spans can mean the same day (an unknown date overlaps everything)."""
        return self.first <= other.last and other.first <= self.last

    def describe(self) -> str:
        """The date as a reader should see it: intervals and open bounds in words."""
        if self.precision == "before":
            return f"on or before {self.text.split('/')[1]}"
        if self.precision == "after":
            return f"on or after {self.text.split('/')[0]}"
        if self.precision == "interval":
            a, b = self.text.split("/")
            return f"between {a} and {b}"
        return self.text


def _plain(text: str) -> DateSpan | None:
    m = _PLAIN.match(text)
    if not m:
        return None
    y, mo, d = (int(g) if g else None for g in m.groups())
    if mo is not None and 21 <= mo <= 41 and d is None:
        return None  # EDTF level 1 seasons and quarters (2014-21 is spring): the library's
    try:
        if d is not None:
            day = dt.date(y, mo, d)
            return DateSpan(text, day, day, "day")
        if mo is not None:
            return DateSpan(text, dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1]), "month")
        return DateSpan(text, dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    except ValueError as exc:
        raise DateError(f"'{text}' is not a real date ({exc})") from None


def _is_real_plain(text: str) -> bool:
    """Whether `text` is a plain YYYY[-MM[-DD]] date of the calendar (no library needed)."""
    try:
        return _plain(text) is not None
    except DateError:
        return False


def _struct_date(value) -> dt.date | None:
    import math

    if value is None or (isinstance(value, float) and math.isinf(value)):
        return None
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


@lru_cache(maxsize=4096)
def parse(text: str) -> DateSpan:
    """The span of days an EDTF date (or 'unknown') can mean; DateError for anything else."""
    text = (text or "").strip()
    if text in (UNKNOWN, "XXXX"):
        return DateSpan(UNKNOWN, None, None, "unknown")
    plain = _plain(text)
    if plain is not None:
        return plain
    if "/" in text:
        start, _, end = text.partition("/")
        if not all(part == ".." or _is_real_plain(part) for part in (start, end)):
            # The library decides what else is an EDTF interval (two real plain dates, or one and
            # an open end, are one by definition); the bounds are read below.
            _edtf(text)
        if start in ("..", "") and end in ("..", ""):
            raise DateError(f"'{text}' has no bound at all — write unknown")
        lo = None if start in ("..", "") else _bound(start, text)
        hi = None if end in ("..", "") else _bound(end, text)
        if lo and hi and lo.earliest > hi.latest:
            raise DateError(f"'{text}' ends before it starts — write the earlier date first")
        precision = "before" if lo is None else "after" if hi is None else "interval"
        return DateSpan(text, lo.earliest if lo else None, hi.latest if hi else None, precision)
    return _edtf(text)


def _bound(part: str, whole: str) -> DateSpan:
    try:
        span = parse(part)
    except DateError:
        raise DateError(f"'{whole}': '{part}' is not a date — {SYNTAX_HELP}") from None
    if not span.known or span.precision in ("before", "after", "interval"):
        raise DateError(f"'{whole}': each end of an interval is one date or '..' — {SYNTAX_HELP}")
    return span


def _edtf(text: str) -> DateSpan:
    """Other EDTF level 1 forms (uncertain `2014?`, approximate `2014~`, unspecified digits
    `201X`), through the library, as the span of days they can mean."""
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parsed = parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError):
        raise DateError(f"'{text}' is not a date — {SYNTAX_HELP}") from None
    try:
        lo, hi = _struct_date(parsed.lower_strict()), _struct_date(parsed.upper_strict())
    except (AttributeError, ValueError, OverflowError):
        raise DateError(f"'{text}' is not a date claimtrack can place — {SYNTAX_HELP}") from None
    return DateSpan(text, lo, hi, "approximate")


def parse_bound(text: str, last: bool) -> str:
    """A date typed for --since/--until/--as-of as the first (or last) day it can mean."""
    span = parse(text)
    if not span.known:
        raise DateError("'unknown' is not a bound — give a date")
    return span.last if last else span.first


def today_or(text: str, today: dt.date | None = None) -> str:
    """'today' as today's date; anything else unchanged."""
    return (today or dt.date.today()).isoformat() if text.strip() == "today" else text.strip()

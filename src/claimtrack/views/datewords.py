"""How a date reads, in every view: one rule (dates.DateSpan.describe: intervals and open bounds
in words), said in each medium's words for "not known" and "inferred".

    fmt_date("../2014-07-24")        -> "on or before 2014-07-24"     (the terminal: render.py)
    fmt_date("2025-11-05", True)     -> "2025-11-05~"
    prose_date("2025-11-05", True)   -> "2025-11-05 (inferred)"       (briefs and their maps)
    prose_date("unknown")            -> "date unknown"

A date that is not known is never marked inferred (nothing was inferred), and text that is not a
date at all (the index holds only checked dates) is shown as it is. Stdlib only.
"""

from __future__ import annotations

INFERRED_MARK = "~"  # after a date the text does not state: 2025-11-05~


def span_of(value: str):
    """The dates.DateSpan of `value`, or None when it is not a date."""
    from ..dates import DateError, parse

    try:
        return parse(value)
    except DateError:
        return None


def _in_words(value: str | None, inferred: bool, unknown: str, mark: str) -> str:
    span = span_of(value) if value else None
    if span is None:
        return value or unknown
    if not span.known:
        return unknown
    return span.describe() + (mark if inferred else "")


def fmt_date(value: str | None, inferred: bool = False) -> str:
    """A date in a terminal's few characters: 'unknown', and '~' after an inferred date."""
    return _in_words(value, inferred, "unknown", INFERRED_MARK)


def prose_date(value: str | None, inferred: bool = False) -> str:
    """A date in a sentence: 'date unknown', and ' (inferred)' after an inferred date."""
    return _in_words(value, inferred, "date unknown", " (inferred)")

"""When a claim was made: a date the frame states, or one inferred from a weekday or "yesterday"
against the source's published date, or the published date itself, each inferred one with the
reasoning written out (the format requires a note on every inferred date).

Only the frame of the attribution is read (the words around the verb, not the words reported):
in "the talks will begin on Thursday, X said on Wednesday", Thursday is about the talks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .lexicon import Lexicon


@dataclass(frozen=True)
class DateGuess:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    inferred: bool
    note: str | None  # why, when inferred


def _published_day(published: str | None) -> dt.date | None:
    if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        return dt.date.fromisoformat(published)
    return None


def _month_re(lex: Lexicon) -> str:
    names = sorted(lex.months + lex.month_abbreviations, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(n) for n in names) + r")\.?"


def _month_number(word: str, lex: Lexicon) -> int:
    w = word.lower().rstrip(".")
    return (lex.months.index(w) if w in lex.months else lex.month_abbreviations.index(w)) + 1


def infer_date(frame: str, published: str | None, lex: Lexicon, published_inferred: bool = False) -> DateGuess | None:
    """The date a claim was made, from its frame text and the source's published date (EDTF-like
    text as the source's front matter holds it: YYYY-MM-DD, YYYY-MM, YYYY, or None)."""
    day = _published_day(published)
    month = _month_re(lex)
    m = re.search(rf"\b({month})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", frame, re.IGNORECASE) or None
    d = None
    if m:
        mon, dd, yy = _month_number(m.group(1), lex), int(m.group(2)), m.group(3)
    else:
        m2 = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({month})(?:,?\s+(\d{{4}}))?\b", frame, re.IGNORECASE)
        if m2:
            mon, dd, yy, m = _month_number(m2.group(2), lex), int(m2.group(1)), m2.group(3), m2
    if m:
        try:
            if yy:
                d = dt.date(int(yy), mon, dd)
                return DateGuess(d.isoformat(), False, None)
            if published:
                d = dt.date(int(published[:4]), mon, dd)
                return DateGuess(d.isoformat(), True, f"'{m.group(0)}' in the text, in the year of the source's published date ({published[:4]})")
        except ValueError:
            pass
    low = frame.lower()
    for word, back in sorted(lex.relative_days.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low):
            if day is None:
                break
            d = day - dt.timedelta(days=back)
            return DateGuess(d.isoformat(), True, f"'{word}' counted back from the source's published date {day.isoformat()}" + (" (itself inferred)" if published_inferred else ""))
    wm = re.search(r"(?<!\w)(" + "|".join(lex.weekdays) + r")(?!\w)", low)
    if wm and day is not None:
        wanted = lex.weekdays.index(wm.group(1))
        d = day - dt.timedelta(days=(day.weekday() - wanted) % 7)
        pub_name = lex.weekdays[day.weekday()].capitalize()
        return DateGuess(d.isoformat(), True,
                         f"'{wm.group(1).capitalize()}' read as the last {wm.group(1).capitalize()} on or before the source's published date {day.isoformat()} (a {pub_name})"
                         + (" (itself inferred)" if published_inferred else ""))
    if published:
        why = "the source's published date; the sentence gives no day of its own"
        if wm:
            why += f" ('{wm.group(1).capitalize()}' cannot be placed: the published date is not a day)"
        return DateGuess(published, True, why)
    return None

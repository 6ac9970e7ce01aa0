"""Anchoring a quote in a source's text.

A quote is matched after both texts are normalised (NFKC, one kind of quote mark, one kind of dash,
whitespace collapsed), and the match is mapped back to a character span of the original body so
that the index, `show` and briefs can display the quote in its context.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate
from dataclasses import dataclass

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_FOLD = {**{c: "'" for c in _SINGLE}, **{c: '"' for c in _DOUBLE}, **{c: "-" for c in _DASHES}}
_WORD = re.compile(r"\S+")
_SPECIAL = re.compile(f"[{re.escape(_SINGLE + _DOUBLE + _DASHES)}]")


def _fold(text: str) -> str:
    """One kind of quote mark and one dash, character for character (the length is kept).
    str.replace per mark present: several times faster than str.translate on long text."""
    for ch in set(_SPECIAL.findall(text)):
        text = text.replace(ch, _FOLD[ch])
    return text


def normalise(text: str) -> str:
    """The comparison form of a text: the same for every spelling of the same words."""
    if unicodedata.is_normalized("NFKC", text):
        return " ".join(_fold(text).split())
    return normalise_with_map(text)[0]


class _Offsets:
    """Maps a position in the normalised text back to the original, from one entry per word.

    A list of one int per character would cost ~36 bytes a character; this costs two ints a word.
    """

    def __init__(self) -> None:
        self.norm: list[int] = []
        self.orig: list[int] = []
        self.per_char: list[int] | None = None  # set when NFKC changed the text's length

    def __getitem__(self, i: int) -> int:
        from bisect import bisect_right

        k = bisect_right(self.norm, i) - 1
        j = self.orig[k] + (i - self.norm[k])
        return self.per_char[j] if self.per_char is not None else j


def normalise_with_map(text: str) -> tuple[str, _Offsets]:
    """Normalise `text` and keep a way back from each output position to the source character.

    NFKC is applied character by character, so that a quote and a body normalise alike whatever
    surrounds them; text already in NFKC (the common case) takes a fast path.
    """
    offsets = _Offsets()
    if unicodedata.is_normalized("NFKC", text):
        chars = _fold(text)
    else:
        pieces: list[str] = []
        per_char: list[int] = []
        for i, ch in enumerate(text):
            piece = "".join(_FOLD.get(c, c) for c in unicodedata.normalize("NFKC", ch))
            pieces.append(piece)
            per_char.extend([i] * len(piece))
        chars = "".join(pieces)
        per_char.append(len(text))
        offsets.per_char = per_char
    words = chars.split()
    norm = " ".join(words)
    # One entry per word; a position in the space after a word maps to the whitespace after it.
    offsets.orig = [m.start() for m in _WORD.finditer(chars)]
    offsets.norm = list(accumulate((len(w) + 1 for w in words[:-1]), initial=0)) if words else []
    return norm, offsets


@dataclass(frozen=True)
class Anchor:
    """Where a quote sits in a body: [start, end) in the original text, plus its context."""

    start: int
    end: int
    prefix: str
    exact: str
    suffix: str


class SourceText:
    """A body prepared once for many quote look-ups."""

    def __init__(self, body: str):
        self.body = body
        self._norm: tuple[str, _Offsets] | None = None
        self._nfkc = unicodedata.is_normalized("NFKC", body)
        self._flat_body: str | None = None

    def _find_normalised(self, quote: str) -> tuple[int, int]:
        """[start, end) in the body of the quote's words, whatever the whitespace, quote marks or
        dashes; (-1, -1) when they are not there."""
        words = _fold(quote).split() if unicodedata.is_normalized("NFKC", quote) else None
        if self._nfkc and words:
            # One kind of quote mark and dash, in place (same length, same positions): words
            # separated by single spaces are found without normalising the body.
            joined = " ".join(words)
            at = self._flat().find(joined)
            if at >= 0:
                return at, at + len(joined)
        needle = normalise(quote)
        norm, offsets = self._normalised()
        at = norm.find(needle) if needle else -1
        if at < 0:
            return -1, -1
        return offsets[at], offsets[at + len(needle) - 1] + 1

    def _flat(self) -> str:
        if self._flat_body is None:
            self._flat_body = _fold(self.body)
        return self._flat_body

    @property
    def norm(self) -> str:
        return self._normalised()[0]

    def _normalised(self) -> tuple[str, _Offsets]:
        # Built on first need only: most quotes are pasted exactly and found without it.
        if self._norm is None:
            self._norm = normalise_with_map(self.body)
        return self._norm

    def anchor(self, quote: str, context: int = 80) -> Anchor | None:
        exact = quote.strip()
        if not exact:
            return None
        start = self.body.find(exact)
        if start >= 0:
            end = start + len(exact)
        else:
            start, end = self._find_normalised(exact)
            if start < 0:
                return None
        return Anchor(
            start,
            end,
            self.body[max(0, start - context) : start],
            self.body[start:end],
            self.body[end : end + context],
        )

    def closest(self, quote: str, limit: int = 3) -> list[tuple[float, str]]:
        """The passages most like `quote`, best first, as (score 0-100, passage)."""
        from rapidfuzz import fuzz

        needle = normalise(quote)
        if not needle or not self.norm:
            return []
        found: list[tuple[float, str]] = []
        haystack = self.norm
        # Score windows around sentence-sized stretches; partial_ratio aligns inside each.
        width = max(len(needle) * 2, 80)
        step = max(len(needle) // 2, 20)
        seen: set[tuple[int, int]] = set()
        for begin in range(0, max(1, len(haystack) - len(needle) + step), step):
            window = haystack[begin : begin + width]
            if not window.strip():
                continue
            res = fuzz.partial_ratio_alignment(needle, window)
            if res is None:
                continue
            span = (begin + res.dest_start, begin + res.dest_end)
            if span in seen:
                continue
            seen.add(span)
            found.append((res.score, _aligned(haystack, span, needle)))
        found.sort(key=lambda t: -t[0])
        best: list[tuple[float, str]] = []
        for score, passage in found:
            if all(passage not in b and b not in passage for _, b in best):
                best.append((round(score, 1), passage))
            if len(best) == limit:
                break
        return best


def _aligned(text: str, span: tuple[int, int], needle: str) -> str:
    """The passage around `span` that lines up with `needle` word for word: the stretch from the
    first to the last word they share, looked for a little beyond the span (a character alignment
    of the same length as the quote can start a word early and stop a word short)."""
    from rapidfuzz.distance import Levenshtein

    reach = len(needle) // 2 + 20
    region = _whole_words(text, span[0] - reach, span[1] + reach).split()
    words = needle.split()
    equal = [op for op in Levenshtein.opcodes([word_key(w) for w in words], [word_key(w) for w in region]) if op.tag == "equal"]
    if not equal:
        return _whole_words(text, *span)
    # From the first to the last shared word, and as many words again each side as the quote has
    # before and after them (a differing first or last word is then shown, and nothing beyond).
    start = max(0, equal[0].dest_start - equal[0].src_start)
    end = min(len(region), equal[-1].dest_end + len(words) - equal[-1].src_end)
    return " ".join(region[start:end])


def word_key(word: str) -> str:
    """A word as the alignment of a quote with a passage compares it: normalised, without the
    punctuation at its ends (`canals.` is `canals`; `“smaller` is `smaller`)."""
    return normalise(word).strip(".,;:!?\"'()[]…-")


def _whole_words(text: str, start: int, end: int) -> str:
    """The passage [start, end) widened to whole words, so a suggestion can be pasted back."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()


def as_stored(exact: str) -> str:
    """A quote as a file stores it: the source's own characters (its quote marks, its dashes,
    its letters), with each run of whitespace (a line break, a double space) made one space."""
    return " ".join(exact.split())


def anchor_quote(body: str, quote: str) -> Anchor | None:
    return SourceText(body).anchor(quote)


# ------------------------------------------------------------------ where a near-miss differs


@dataclass(frozen=True)
class Change:
    """One stretch of words where a quote and a passage differ (either side may be empty)."""

    at: int  # index of the first quote word it replaces
    removed: tuple[str, ...]  # the quote's words, not in the passage
    added: tuple[str, ...]  # the passage's words, not in the quote


def word_changes(quote: str, passage: str) -> list[Change]:
    """The word-level differences of `quote` from `passage`, aligned by rapidfuzz (Levenshtein
    over words, compared by word_key: quote marks, dashes, spacing and end punctuation do not count),
    adjacent edits merged into one stretch. apply_changes(quote words, these) is the passage's words."""
    from rapidfuzz.distance import Levenshtein

    q, p = quote.split(), passage.split()
    ops = Levenshtein.opcodes([word_key(w) for w in q], [word_key(w) for w in p])
    out: list[Change] = []
    pending: list = []

    def flush() -> None:
        if pending:
            s1, d1 = pending[0].src_start, pending[0].dest_start
            s2, d2 = pending[-1].src_end, pending[-1].dest_end
            out.append(Change(s1, tuple(q[s1:s2]), tuple(p[d1:d2])))
            pending.clear()

    for op in ops:
        if op.tag == "equal":
            flush()
        else:
            pending.append(op)
    flush()
    return out


def apply_changes(quote_words: list[str], changes: list[Change]) -> list[str]:
    """The quote's words with each change made: the passage's words, as `word_key` sees them
    (equal words keep the quote's quote marks and dashes). What the tests hold the diff to."""
    out: list[str] = []
    at = 0
    for c in changes:
        out += quote_words[at:c.at]
        out += list(c.added)
        at = c.at + len(c.removed)
    return out + quote_words[at:]


def marked_difference(quote: str, passage: str, context: int = 4) -> str:
    """The passage with where the quote differs marked: `fishing inside [-our lake-]{+its waters+}`
    ([-…-] the quote's words, {+…+} the source's). Every differing stretch is shown whole; long runs
    of equal words (more than `context` words each side of a difference, and two to spare) are
    shortened to `…`."""
    p = passage.split()
    changes = word_changes(quote, passage)
    if not changes:
        return passage
    pieces: list[str] = []
    qi = pi = 0
    for n, c in enumerate(changes):
        equal = p[pi:pi + (c.at - qi)]
        if n == 0 and len(equal) > context + 2:  # shortened only where that saves two words or more
            equal = ["…", *equal[-context:]]
        elif len(equal) > 2 * context + 2:
            equal = [*equal[:context], "…", *equal[-context:]]
        pieces += equal
        pi += c.at - qi + len(c.added)
        qi = c.at + len(c.removed)
        mark = ""
        if c.removed:
            mark += "[-" + " ".join(c.removed) + "-]"
        if c.added:
            mark += "{+" + " ".join(c.added) + "+}"
        pieces.append(mark)
    tail = p[pi:]
    pieces += tail if len(tail) <= context + 2 else [*tail[:context], "…"]
    return " ".join(pieces)


def closest_hint(quote: str, passage: str) -> str:
    """The end of a quote-not-found message: where the closest passage differs, and all of it."""
    return f' — the closest passage is: "{passage}", which differs: {marked_difference(quote, passage)}'

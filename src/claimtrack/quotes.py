"""Anchoring a quote in a source's text.

A quote is matched after both texts are normalised (NFKC, one kind of quote mark, one kind of dash,
whitespace collapsed), and the match is mapped back to a character span of the original body so
that the index, `show` and briefs can display the quote in its context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

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
    """Maps a position in the normalised text back to the original.

    Collapsing whitespace moves positions only after a run that is not one plain space (a line
    break, two spaces): one entry per such run, where the words after it start (`norm`: in the
    normalised text; `orig`: in the text before collapsing), and between two entries the two
    texts advance together. A body of 4,500 characters has about 50 line breaks and 750 words,
    so this is 50 pairs of ints, not 750 (nor ~36 bytes a character for a list per character).
    """

    def __init__(self) -> None:
        self.norm: list[int] = []
        self.orig: list[int] = []
        self.nfkc: _NfkcMap | None = None  # set when NFKC changed the text's length

    def __getitem__(self, i: int) -> int:
        from bisect import bisect_right

        k = bisect_right(self.norm, i) - 1
        j = self.orig[k] + (i - self.norm[k])
        return self.nfkc[j] if self.nfkc is not None else j


class _NfkcMap:
    """Maps a position in the per-character NFKC of a text back to the character it came from.

    Only the characters whose NFKC has another length move positions: one entry each (`out`:
    where its piece starts in the output, `src`: its index in the text). A position inside a
    piece is its character's; between pieces the two texts advance together."""

    def __init__(self) -> None:
        self.out: list[int] = [0]
        self.src: list[int] = [0]
        self.whole: list[bool] = [False]  # the entry is one character's piece, not a stretch

    def __getitem__(self, j: int) -> int:
        from bisect import bisect_right

        k = bisect_right(self.out, j) - 1
        return self.src[k] if self.whole[k] else self.src[k] + (j - self.out[k])


_ASCII = re.compile(r"[^\x00-\x7f]")
# Whitespace that is not one plain space: a run that starts with another kind of whitespace, or
# a space followed by more. The same runs as `\s{2,}|[^\S ]`, found in two thirds of the time:
# each alternative starts with one character class, which the engine tests before going further.
_BREAK = re.compile(r"[^\S ]\s*| \s+")
_NONSPACE = re.compile(r"\S")


@lru_cache(maxsize=4096)
def _piece(ch: str) -> str:
    """One character's NFKC, with one kind of quote mark and dash (_fold)."""
    return "".join(_FOLD.get(c, c) for c in unicodedata.normalize("NFKC", ch))


def _nfkc_per_char(text: str) -> tuple[str, _NfkcMap | None]:
    """NFKC applied to each character by itself (so that a quote and a body normalise alike
    whatever surrounds them), folded (_fold); and the way back when a length changed. Only the
    characters NFKC changes are visited (ASCII never is): the text is cut at them, not walked
    character by character."""
    changed = {ch: piece for ch in set(_ASCII.findall(text)) if (piece := _piece(ch)) != ch}
    if not changed:
        return _fold(text), None
    at = re.compile("[" + "".join(re.escape(ch) for ch in changed) + "]")
    pieces: list[str] = []
    nfkc = _NfkcMap()
    last = 0  # end, in the text, of what is already in pieces
    shift = 0  # output position minus text position after `last`
    for m in at.finditer(text):
        i = m.start()
        piece = changed[m.group()]
        pieces.append(text[last:i])
        pieces.append(piece)
        if len(piece) != 1:
            nfkc.out.append(i + shift)
            nfkc.src.append(i)
            nfkc.whole.append(True)
            shift += len(piece) - 1
            nfkc.out.append(i + 1 + shift)
            nfkc.src.append(i + 1)
            nfkc.whole.append(False)
        last = i + 1
    pieces.append(text[last:])
    return _fold("".join(pieces)), (nfkc if len(nfkc.out) > 1 else None)


def normalise_with_map(text: str) -> tuple[str, _Offsets]:
    """Normalise `text` and keep a way back from each output position to the source character.

    NFKC is applied character by character, so that a quote and a body normalise alike whatever
    surrounds them; text already in NFKC (the common case) takes a fast path.
    """
    offsets = _Offsets()
    if unicodedata.is_normalized("NFKC", text):
        chars = _fold(text)
    else:
        chars, offsets.nfkc = _nfkc_per_char(text)
    return _collapsed(chars, offsets)


def _collapsed(chars: str, offsets: _Offsets) -> tuple[str, _Offsets]:
    """The whitespace of NFKC'd, folded text collapsed, and `offsets` filled in to map back."""
    norm = " ".join(chars.split())
    first = _NONSPACE.search(chars)
    if first is None:
        return norm, offsets
    # The first word, then each word after a run that is not one plain space; a position in
    # the space after a word maps to the whitespace after it.
    start = first.start()
    runs = [m.span() for m in _BREAK.finditer(chars, start)]
    if runs and runs[-1][1] == len(chars):
        runs.pop()  # trailing whitespace: no word after it
    offsets.orig = [start, *(end for _, end in runs)]
    removed = list(accumulate((e - b - 1 for b, e in runs), initial=start))
    offsets.norm = [o - r for o, r in zip(offsets.orig, removed, strict=True)]
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
            # a body in NFKC is already folded, for the search without normalising (_flat)
            self._norm = _collapsed(self._flat(), _Offsets()) if self._nfkc else normalise_with_map(self.body)
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

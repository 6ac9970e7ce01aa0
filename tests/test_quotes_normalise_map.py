"""The normalised text and its way back (quotes.normalise_with_map) are those of the reference
implementation below: the one claimtrack used before the build was made faster, which applied
NFKC with a Python loop per character and kept one offset per word. The anchored span of any
quote in any body is therefore the same as before."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.quotes import _FOLD, SourceText, _fold, normalise_with_map


def reference_normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its positions (and one past the end) the position in
    `text` it comes from: the former implementation, verbatim but for returning the whole map."""
    if unicodedata.is_normalized("NFKC", text):
        chars = _fold(text)
        per_char = None
    else:
        pieces: list[str] = []
        per_char = []
        for i, ch in enumerate(text):
            piece = "".join(_FOLD.get(c, c) for c in unicodedata.normalize("NFKC", ch))
            pieces.append(piece)
            per_char.extend([i] * len(piece))
        chars = "".join(pieces)
        per_char.append(len(text))
    words = chars.split()
    norm = " ".join(words)
    orig = [m.start() for m in re.finditer(r"\S+", chars)]
    starts = list(accumulate((len(w) + 1 for w in words[:-1]), initial=0)) if words else []

    def back(i: int) -> int:
        k = bisect_right(starts, i) - 1
        j = orig[k] + (i - starts[k])
        return per_char[j] if per_char is not None else j

    return norm, [back(i) for i in range(len(norm))] if words else []


# Characters where the normalisation does something: whitespace of every kind (line breaks,
# tabs, no-break and ideographic spaces, the separators str.split knows), quote marks and dashes
# that are folded, compatibility characters whose NFKC is longer (ligatures, fractions, "㎞",
# the double prime), shorter or other (full-width letters), combining marks, and plain letters.
ALPHABET = st.sampled_from(
    list("ab cdé")
    + ["\n", "\t", "  ", "\r\n", "\u00a0", "\u3000", "\u2028", "\x1c", "\x1f", "\x85"]
    + ["\u201c", "\u201d", "\u2019", "\u2014", "\u2212", "\u00ab", "\u2033"]
    + ["\ufb01", "\u00bd", "\u338e", "\u2460", "\uff21", "\u2126", "e\u0301", "\u0301", "\u1e9b\u0323", "\u3300"]
)
texts = st.lists(ALPHABET, max_size=40).map("".join)


@settings(max_examples=500)
@given(text=texts)
def test_the_normalised_text_and_every_position_map_back_as_before(text):
    norm, offsets = normalise_with_map(text)
    expected_norm, expected_back = reference_normalise_with_map(text)
    assert norm == expected_norm
    assert [offsets[i] for i in range(len(norm))] == expected_back


@settings(max_examples=500)
@given(body=texts, data=st.data())
def test_a_quote_of_a_stretch_is_anchored_at_the_span_the_former_map_gives(body, data):
    norm, back = reference_normalise_with_map(body)
    start = data.draw(st.integers(0, max(0, len(norm) - 1)))
    end = data.draw(st.integers(start, len(norm)))
    quote = norm[start:end]
    anchor = SourceText(body).anchor(quote)
    exact = quote.strip()
    if not exact:
        assert anchor is None
        return
    assert anchor is not None
    assert (anchor.start, anchor.end) == reference_span(body, exact)


def reference_span(body: str, exact: str) -> tuple[int, int]:
    """Where the former SourceText.anchor put a quote that is there: the exact text, else the
    words separated by single spaces in the folded body (both in NFKC), else the normalised
    quote in the normalised body, mapped back."""
    at = body.find(exact)
    if at >= 0:
        return at, at + len(exact)
    if unicodedata.is_normalized("NFKC", body) and unicodedata.is_normalized("NFKC", exact):
        joined = " ".join(_fold(exact).split())
        at = _fold(body).find(joined)
        if at >= 0:
            return at, at + len(joined)
    norm, back = reference_normalise_with_map(body)
    needle = reference_normalise_with_map(exact)[0]
    found = norm.find(needle)
    return back[found], back[found + len(needle) - 1] + 1


def test_a_ligature_maps_back_to_the_one_character_it_came_from():
    norm, offsets = normalise_with_map("the \ufb01sh  swims")  # "ﬁ" is "fi" in NFKC
    assert norm == "the fish swims"
    assert [offsets[i] for i in (4, 5, 6, 8, 9)] == [4, 4, 5, 7, 9]  # f, i, s, the space, s


def test_a_body_of_whitespace_alone_normalises_to_nothing():
    norm, _ = normalise_with_map(" \n\t\u3000 ")
    assert norm == ""


@settings(max_examples=1000)
@given(texts)
def test_the_runs_that_move_positions_are_every_run_of_whitespace_but_one_plain_space(text):
    from claimtrack.quotes import _BREAK

    assert [m.span() for m in _BREAK.finditer(text)] == [m.span() for m in re.finditer(r"\s{2,}|[^\S ]", text)]

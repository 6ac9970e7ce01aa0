"""The quote matcher: any stretch of a body, re-spaced and with its quote marks swapped, is found
at the right place; text that is not in the body never is."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claimtrack.quotes import SourceText, normalise

CURLY = {"'": "\u2019", '"': "\u201c", "-": "\u2014"}
STRAIGHT = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}

words = st.text(alphabet=st.sampled_from("abcdefghij'\"-\u2019\u201c\u201d\u2014.,\ufb01"), min_size=1, max_size=8)
spaces = st.sampled_from([" ", "  ", "\n", " \n ", "\t"])


@st.composite
def bodies(draw):
    parts = draw(st.lists(st.tuples(words, spaces), min_size=3, max_size=40))
    return "".join(w + s for w, s in parts)


def respace_and_swap(text: str, data) -> str:
    out = []
    for ch in text:
        if ch.isspace():
            out.append(data.draw(spaces))
        elif ch in CURLY and data.draw(st.booleans()):
            out.append(CURLY[ch])
        elif ch in STRAIGHT and data.draw(st.booleans()):
            out.append(STRAIGHT[ch])
        else:
            out.append(ch)
    return "".join(out)


@settings(max_examples=300)
@given(body=bodies(), data=st.data())
def test_a_stretch_of_the_body_is_found_where_it_was_cut(body, data):
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    stretch = body[start:end]
    assume(stretch.strip())
    quote = respace_and_swap(stretch, data)
    anchor = SourceText(body).anchor(quote)
    assert anchor is not None
    # The span found reads the same as the quote.
    # (It holds the quote; a quote that ends inside a ligature such as "ﬁ" gets the whole ligature.)
    assert normalise(quote) in normalise(body[anchor.start : anchor.end])
    if "\ufb01" not in body:
        assert normalise(body[anchor.start : anchor.end]) == normalise(quote)
    # (Where the same words stand twice, either place is a true anchor: an exact copy is taken
    # where it stands, then the words with single spaces, then with any whitespace. The test
    # below pins the place down for text that occurs once.)


@settings(max_examples=300)
@given(body=bodies(), data=st.data())
def test_the_span_of_a_unique_stretch_is_the_stretch_itself(body, data):
    marker = "QZXV"
    start = data.draw(st.integers(0, len(body)))
    body = body[:start] + marker + body[start:]
    anchor = SourceText(body).anchor(respace_and_swap(marker, data))
    assert anchor is not None
    assert (anchor.start, anchor.end) == (start, start + len(marker))
    assert anchor.exact == marker


@settings(max_examples=300)
@given(body=bodies(), absent=st.text(alphabet="klmnopqrstuvwxyz", min_size=1, max_size=12))
def test_text_absent_from_the_body_is_never_found(body, absent):
    assert SourceText(body).anchor(absent) is None


def test_a_blank_quote_is_never_found():
    assert SourceText("some text").anchor("  \n ") is None


def test_prefix_and_suffix_give_the_context():
    text = SourceText("one two three four five")
    anchor = text.anchor("three")
    assert (anchor.prefix, anchor.exact, anchor.suffix) == ("one two ", "three", " four five")


def test_closest_passage_is_whole_words():
    text = SourceText("Islamabad has repeatedly denied these accusations and has many times issued the same criticism.")
    score, passage = text.closest("Islamabad has repeatedly denied those accusations", limit=1)[0]
    assert passage == "Islamabad has repeatedly denied these accusations"
    assert score > 90


def test_compatibility_characters_match_their_plain_form():
    assert SourceText("the ﬁnal deal").anchor("the final deal") is not None


def test_closest_passages_of_a_short_quote_in_a_short_body():
    assert "percent" in SourceText("The gauges read 92 percent.").closest("95 percent", limit=3)[0][1]

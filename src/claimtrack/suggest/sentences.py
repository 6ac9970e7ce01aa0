"""Sentences and quotations as spans of the original text: [start, end) offsets, never copies.

Every span is a slice of the text it was found in, so whatever is shown or stored from it is the
source's own characters. Each line is a paragraph (archived articles keep one paragraph a line);
sentences inside a line come from pysbd, a rule-based splitter (pure Python, no model) that keeps a
quotation of several sentences together with its attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

OPENERS = "“\"‘«„"
CLOSERS = "”\"’»“"
_PAIR = {"“": "”\"", "\"": "\"”", "„": "“”\"", "«": "»", "‘": "’'"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def paragraphs(text: str) -> list[Span]:
    """The non-blank lines of `text`, without their surrounding whitespace."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = _strip(text, m.start(), m.end())
        if start < end:
            out.append(Span(start, end))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[Span]:
    """The sentences of `text`, in order, each a span of it (whitespace around them left out)."""
    out: list[Span] = []
    for para in paragraphs(text):
        chunk = para.of(text)
        pos = 0
        for piece in _segmenter().segment(chunk):
            piece = piece.strip()
            if not piece:
                continue
            at = chunk.find(piece, pos)
            if at < 0:  # the splitter changed the characters: fall back to the rest of the line
                out.append(Span(para.start + pos, para.end))
                break
            start, end = _strip(text, para.start + at, para.start + at + len(piece))
            out.append(Span(start, end))
            pos = at + len(piece)
        else:
            if pos < len(chunk) and chunk[pos:].strip():
                start, end = _strip(text, para.start + pos, para.end)
                out.append(Span(start, end))
    return _merge_open_quotes(text, out)


def _merge_open_quotes(text: str, spans: list[Span]) -> list[Span]:
    """Join a sentence that opens a quotation to the next ones of the same line until it closes."""
    merged: list[Span] = []
    for span in spans:
        if merged and _opens_quote(merged[-1].of(text)) and text.count("\n", merged[-1].end, span.start) == 0:
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def _opens_quote(sentence: str) -> bool:
    spans = quotations(sentence)
    return bool(spans) and spans[-1].end == len(sentence) and not _closed_at(sentence, spans[-1].end)


def _closed_at(text: str, end: int) -> bool:
    return end < len(text) or (end > 0 and text[end - 1] in CLOSERS)


def _is_opening(text: str, i: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == "”" or ch == "’":
        return False
    if ch == "‘" or ch == "\"":
        return (before.isspace() or before in "([{—–-:,;" or i == 0) and not after.isspace()
    return not after.isspace()  # “ « „


def _is_closing(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    if ch not in _PAIR.get(opener, "”\""):
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "’'" and after.isalpha():  # an apostrophe inside a word: Pakistan’s, it’s
        return False
    return not before.isspace() or after.isspace() or after in ".,;:!?)"


def quotations(text: str) -> list[Span]:
    """The quoted passages of `text`, without their marks: curly, straight, mixed, or single
    (‘…’). A quotation that is not closed runs to the end of the text."""
    out: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in OPENERS and _is_opening(text, i):
            j = i + 1
            while j < n and not _is_closing(text, j, ch):
                j += 1
            start, end = i + 1, j
            if start < end:
                out.append(Span(start, end))
            i = j + 1
            continue
        i += 1
    return out


def trim(text: str, start: int, end: int, chars: str = " ,;:—–-") -> tuple[int, int]:
    """[start, end) without the whitespace and the given punctuation at either end."""
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end

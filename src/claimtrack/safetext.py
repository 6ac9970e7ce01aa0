"""Text from the data, made safe to write to a terminal. Stdlib only: the CLI's errors and
`check` use it without importing rich."""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, C1 controls; bidi embeddings, overrides and isolates (they
# reorder what follows them on a terminal); line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str | None) -> str:
    """Data text made safe to write to a terminal: every control character shown as an escape
    (ESC as `\\x1b`), line breaks and tabs kept; Windows line ends read as line ends."""
    if not text:
        return ""
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


def one_line(text: str | None) -> str:
    """clean(), with runs of whitespace (line breaks included) made one space."""
    return " ".join(clean(text).split())



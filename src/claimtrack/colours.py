"""Side colours: a colour name rich knows or `#rrggbb`, and the hex value HTML, CSS and Graphviz
get. rich is imported only when a name (not a hex value) must be looked up."""

from __future__ import annotations

COLOUR_EXAMPLES = ("blue", "dark_orange", "green", "grey50", "#1f77b4")


def colour_hex(value: object) -> str | None:
    """A side's colour as `#rrggbb`, or None when it is none: a hex value as it is, a colour name
    rich knows (`blue`, `dark_orange`, `grey50`; any case) as rich's standard palette has it.
    What HTML, CSS and Graphviz get, so a name never reaches them as text."""
    import re

    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", text):
        return text
    from rich.color import ANSI_COLOR_NAMES, Color

    name = text.casefold()
    if name not in ANSI_COLOR_NAMES:
        return None
    return Color.parse(name).get_truecolor().hex


def colour_error(value: object) -> str:
    """What to say about a colour that is neither #rrggbb nor a name rich knows."""
    import difflib

    from rich.color import ANSI_COLOR_NAMES

    near = difflib.get_close_matches(str(value).casefold(), list(ANSI_COLOR_NAMES), n=2, cutoff=0.7)
    hint = f"did you mean {' or '.join(near)}? " if near else ""
    return f"'{value}' is not a colour — {hint}give a colour name such as {', '.join(COLOUR_EXAMPLES[:4])}, or a hex value such as {COLOUR_EXAMPLES[4]}"

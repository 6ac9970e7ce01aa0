"""CSL-JSON of the cited sources, for reference managers (Zotero, pandoc's citeproc).

Only what the source file records: an unknown outlet, author, URL or date is left out, never
guessed; a date keeps its precision (year, or year and month, as date-parts); an inferred value
is still given, with the reason in the item's `note`.
"""

from __future__ import annotations

from .bundle import Bundle, dumps


def _parts(value: str) -> list[int] | None:
    bits = value.split("-")
    return [int(p) for p in bits] if all(p.isdigit() for p in bits) else None


def date_parts(value: str | None) -> dict | None:
    """Date-parts for a day, month or year; two for a closed interval (CSL's date range); any other
    EDTF date (an open bound, an uncertain one) as CSL's `literal`, the text as recorded."""
    if not value or value in ("unknown", "XXXX"):
        return None
    ends = value.split("/")
    parts = [_parts(e) for e in ends]
    if len(ends) <= 2 and all(p is not None for p in parts):
        return {"date-parts": parts}
    return {"literal": value}


def export_csl(bundle: Bundle) -> str:
    items = []
    for sid, s in bundle.sources.items():
        item: dict = {"id": sid, "type": "article-newspaper", "title": s.title}
        if s.outlet != "unknown":
            item["container-title"] = s.outlet
        if s.author != "unknown":
            item["author"] = [{"literal": s.author}]  # names are not split into given and family: that would be a guess
        if date_parts(s.published):
            item["issued"] = date_parts(s.published)
        if s.url != "unknown":
            item["URL"] = s.url
        if date_parts(s.retrieved):
            item["accessed"] = date_parts(s.retrieved)
        notes = []
        if s.published_inferred:
            notes.append(f"Publication date inferred: {s.published_note}" if s.published_note else "Publication date inferred.")
        if s.outlet_inferred:
            notes.append("Outlet inferred (not printed in the text).")
        if notes:
            item["note"] = " ".join(notes)
        items.append(item)
    return dumps(items)

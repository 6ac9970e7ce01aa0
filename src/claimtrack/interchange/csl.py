"""CSL-JSON of the cited sources, for reference managers (Zotero, pandoc's citeproc).

Only what the source file records: an unknown outlet, author, URL or date is left out, never
guessed; a date keeps its precision (year, or year and month, as date-parts); an inferred value
is still given, with the reason in the item's `note`.
"""

from __future__ import annotations

from .bundle import Bundle, dumps


def date_parts(value: str | None) -> dict | None:
    if not value:
        return None
    return {"date-parts": [[int(p) for p in value.split("-")]]}


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

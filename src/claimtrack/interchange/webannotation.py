"""A W3C Web Annotation collection: one annotation per citation, its body the claim, its target
the archived source (its URL where known, and the archived copy in the dataset), selected by a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start, end) into the
archived body, exactly as stored (the characters of the source, not a normalised copy).
"""

from __future__ import annotations

from ..quotes import SourceText
from .bundle import Bundle, dumps

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WINDOW = 32  # characters of prefix and suffix


def archived_iri(source_id: str) -> str:
    """The archived copy, as a path relative to the dataset's root (where its file is)."""
    return f"sources/{source_id}.md#body"


def export_annotations(bundle: Bundle) -> str:
    items = []
    texts = {sid: SourceText(body) for sid, body in bundle.bodies.items()}
    for cid, claim in bundle.claims.items():
        for cit in bundle.citations.get(cid, []):
            source = bundle.sources.get(cit.source)
            text = texts.get(cit.source)
            anchor = text.anchor(cit.quote, CONTEXT_WINDOW) if text else None
            if source is None or anchor is None:
                continue  # `claimtrack check` reports a quote that is not in its source
            selectors = [
                {"type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix},
                {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
            ]
            targets = [{"type": "SpecificResource", "source": archived_iri(cit.source), "selector": selectors}]
            if source.url != "unknown":
                targets.insert(0, {"type": "SpecificResource", "source": source.url, "selector": selectors[:1]})
            body = {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "value": claim.statement}
            items.append({
                "type": "Annotation",
                "id": f"urn:claimtrack:{cid}#citation-{cit.idx + 1}",
                "motivation": "describing",
                "body": [body, {"type": "TextualBody", "purpose": "identifying", "value": cid}],
                "target": targets if len(targets) > 1 else targets[0],
                "generator": {"type": "Software", "name": "claimtrack"},
            })
    return dumps({"@context": CONTEXT, "type": "AnnotationCollection", "label": "claimtrack citations", "total": len(items),
                  "first": {"type": "AnnotationPage", "items": items}})

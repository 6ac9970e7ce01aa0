"""schema.org ClaimReview (JSON-LD), as fact-checkers publish it and Google reads it.

Only claims that carry an assessment are reviews: a status other than asserted or disputed
(corroborated, refuted, retracted, superseded). The review's author is the publisher the user names
(`--publisher`): claimtrack records who said what, and never poses as the fact-checker.
"""

from __future__ import annotations

import json
from typing import Any

from ..vocab import STATUSES
from .bundle import EXTENSION, STATUS_NOT_ASSESSED, Bundle, Imported, carry, dumps, merge_claim, take_extension

CONTEXT = "https://schema.org"


def assessed(bundle: Bundle) -> list[str]:
    """The claims a ClaimReview export holds: those whose status is an assessment."""
    return [cid for cid, c in bundle.claims.items() if c.status not in STATUS_NOT_ASSESSED]


def _work(source, sid: str) -> dict[str, Any]:
    """A cited source as a schema.org CreativeWork: only what the source file records."""
    work: dict[str, Any] = {"@type": "CreativeWork", "identifier": sid, "headline": source.title}
    if source.url != "unknown":
        work["url"] = source.url
    if source.published:
        work["datePublished"] = source.published
    if source.author != "unknown":
        work["author"] = {"name": source.author}
    if source.outlet != "unknown":
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work


def export_claimreview(bundle: Bundle, publisher: str, review_url: str | None = None) -> str:
    """One ClaimReview per assessed claim, in a JSON-LD @graph, with the `claimtrack` extension."""
    reviews = []
    ids = assessed(bundle)
    for cid in ids:
        claim = bundle.claims[cid]
        actor = bundle.actors.get(claim.by)
        changes = [h for h in bundle.history.get(cid, []) if h.status == claim.status]
        last = changes[-1] if changes else None
        explanation = STATUSES[claim.status][:1].upper() + STATUSES[claim.status][1:] + "." + (f" {last.note}" if last else "")
        item: dict[str, Any] = {"@type": "Claim", "identifier": cid, "author": {"name": actor.name if actor else claim.by}, "datePublished": claim.said_on}
        sources = bundle.sources
        works = []
        for sid in dict.fromkeys(c.source for c in bundle.citations.get(cid, [])):
            if sid in sources:
                works.append(_work(sources[sid], sid))
        dated = sorted((w for w in works if "datePublished" in w), key=lambda w: w["datePublished"])
        if dated:
            item["firstAppearance"] = dated[0]
            rest = [w for w in works if w is not dated[0]]
            if rest:
                item["appearance"] = rest
        elif works:
            item["appearance"] = works
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            "claimReviewed": claim.statement,
            "reviewRating": {"@type": "Rating", "alternateName": claim.status, "ratingExplanation": explanation},
            "itemReviewed": item,
            "author": {"@type": "Organization", "name": publisher},
        }
        if last:
            review["datePublished"] = last.on
        if review_url:
            review["url"] = f"{review_url}#{cid}"
        reviews.append(review)
    return dumps({"@context": CONTEXT, "@graph": reviews, EXTENSION: carry(bundle, ids)})


NEEDS = {
    "id": "give itemReviewed an 'identifier' of the form <issue>/<name>",
    "kind": "ClaimReview has no kind of claim (accusation, denial, ...)",
    "by": "ClaimReview names the claim's author, but a claim needs an actor id with a side (claims/actors.yaml)",
    "said_on": "itemReviewed has no datePublished",
    "status": "reviewRating.alternateName is not a claimtrack status (" + ", ".join(STATUSES) + ")",
    "statement": "the review has no claimReviewed",
    "citations": "an appearance names a work, not a verbatim quote from an archived copy of it",
}
_READ = {"@type", "@context", "@id", "claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url"}


def _reviews(doc: Any) -> list[dict]:
    if isinstance(doc, list):
        return [r for d in doc for r in _reviews(d)]
    if not isinstance(doc, dict):
        return []
    if "@graph" in doc:
        return _reviews(doc["@graph"])
    return [doc] if doc.get("@type") == "ClaimReview" else []


def import_claimreview(text: str) -> Imported:
    """ClaimReview JSON-LD back into claims: the review's own fields, then the extension."""
    imp = Imported()
    doc = json.loads(text)
    carried = take_extension(imp, doc.get(EXTENSION) if isinstance(doc, dict) else None, "the document")
    reviews = _reviews(doc)
    for n, review in enumerate(reviews, 1):
        item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
        cid = str(item.get("identifier") or f"review {n}")
        ext = carried.get(cid)
        rating = review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
        status = rating.get("alternateName")
        native: dict[str, Any] = {"statement": review.get("claimReviewed")}
        if status in STATUSES:
            native["status"] = status
        elif status is not None:
            imp.unmapped.append(f"{cid}: the rating '{status}' is not a claimtrack status")
        said = item.get("datePublished")
        if said and not (ext and isinstance(ext.get("said_on"), dict) and ext["said_on"].get("value") == said) and not (ext and ext.get("said_on") == said):
            native["said_on"] = said
        author = item.get("author", {}).get("name") if isinstance(item.get("author"), dict) else None
        if ext and author:
            actor = next((a for a in imp.actors if a.get("id") == ext.get("by")), None)
            if actor and actor.get("name") != author:
                imp.notes.append(f"{cid}: the claim's author is '{author}' in the file, '{actor.get('name')}' in the extension; the extension's actor id was kept")
        merge_claim(imp, cid, native, ext, 0, NEEDS)
        for key in sorted(set(review) - _READ):
            imp.unmapped.append(f"{cid}: ClaimReview '{key}'")
        for key in ("author", "url", "datePublished"):
            if key in review:
                imp.unmapped.append(f"{cid}: the review's {key} (claimtrack records claims, not reviews of them)")
        for key in ("ratingValue", "bestRating", "worstRating", "ratingExplanation", "name"):
            if key in rating:
                imp.unmapped.append(f"{cid}: reviewRating.{key}")
    for cid in carried:
        if cid not in imp.claims:
            imp.unmapped.append(f"{cid}: in the '{EXTENSION}' extension but in no ClaimReview, so not imported")
    return imp

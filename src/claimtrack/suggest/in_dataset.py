"""Candidates of one archived source, set against the dataset: which claims already cite each
candidate's passage, which recorded claims say nearly the same, and, for a denial or a rebuttal,
which claims it may answer. What `suggest SOURCE` prints and `add --from SOURCE:N` starts from."""

from __future__ import annotations


def _recorded_here(ds, source_id: str, start: int, end: int) -> list[str]:
    """Claims that already cite this source at a passage overlapping [start, end)."""
    from ..quotes import SourceText

    text = SourceText(ds.sources[source_id].body)
    out = []
    for cid, claim in ds.claims.items():
        for cit in claim.citations:
            if cit.source == source_id:
                a = text.anchor(cit.quote)
                if a is not None and min(a.end, end) > max(a.start, start):
                    out.append(cid)
                    break
    return out


def suggestions(ds, source_id: str, language: str = "en") -> list[dict]:
    """Candidates of one source with what the dataset knows about each: the claims that already
    cite the passage, similar recorded claims, and, for an answer, the claims it may answer."""
    import datetime as dt

    from . import load_lexicon, suggest_candidates
    from ..similarity import ANSWER_KINDS, possible_answers, similar_to_text

    src = ds.sources[source_id]
    pub = src.meta.published
    cands = suggest_candidates(src.body, ds.actors.values(), ds.sides.values(), pub.value if pub else None,
                               bool(pub and pub.inferred), load_lexicon(language))
    out = []
    for c in cands:
        d = c.to_dict()
        d["recorded_as"] = _recorded_here(ds, source_id, c.quote_start, c.quote_end)
        d["similar"] = [{"claim": m.claim, "score": m.score} for m in similar_to_text(c.quote, ds.claims, limit=3, exclude=d["recorded_as"])]
        if c.kind in ANSWER_KINDS:
            when = dt.date.fromisoformat(c.date.value) if c.date and c.date.value.count("-") == 2 else None
            side = c.speaker.side
            text = c.answers_text or c.quote
            d["may_answer"] = [{"claim": m.claim, "score": m.score} for m in possible_answers(text, side, when, ds.claims, ds.actors, limit=3)]
        out.append(d)
    return out

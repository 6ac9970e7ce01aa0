"""The --json outputs of the reading commands (documented in docs/reading.md), and `dumps`, the one
JSON writer every command's --json goes through.

Stdlib only (with `queries` and `threads`): a script that asks for JSON never imports rich. Each
record's own shape is its `to_dict()` (index/queries.py); this module puts the records together
into each command's document.
"""

from __future__ import annotations

import json
import re

from ..index import queries as q
from .threads import ClaimDetail, IssueView, ThreadNode, TimelineRow, sides_in

JSON_SCHEMA_VERSION = 1  # of every JSON output's shape (docs/reading.md); raised when a field changes meaning or goes


def versioned(obj: dict) -> dict:
    """A JSON output with its `schema_version` first, so a script can tell which shape it reads."""
    return {"schema_version": JSON_SCHEMA_VERSION, **obj}


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def dumps(obj: dict) -> str:
    """JSON for scripts: UTF-8 text kept readable, but every control character (C1 and bidi
    overrides too, which json.dumps would leave raw) written as a \\u escape. No final newline
    (the caller's echo or file writer adds it)."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def issues_json(summaries: list[q.IssueSummary], sides: list[q.SideRec]) -> dict:
    return {
        "sides": [s.to_dict() for s in sides],
        "issues": [
            {
                **x.issue.to_dict(),
                "claims": x.claims,
                "per_side": dict(sorted(x.per_side.items())),
                "statuses": dict(sorted(x.statuses.items())),
                "disputed": x.disputed,
                "unanswered": x.unanswered,
                "latest": x.latest,
            }
            for x in summaries
        ],
    }


def _thread_json(node: ThreadNode) -> dict:
    return {"claim": node.claim.id, "link": node.link, "basis": node.basis, "note": node.note, "repeat": node.repeat,
            "children": [_thread_json(c) for c in node.children]}


def issue_view_json(view: IssueView) -> dict:
    numbers = view.citation_numbers()
    return {
        "kind": "issue",
        "issue": view.issue.to_dict(),
        "as_of": view.as_of,
        "sides": [s.to_dict() for s in sides_in(view)],
        "claims": [
            {
                **c.to_dict(),
                "history": [h.to_dict() for h in view.history.get(c.id, [])],
                "citations": [x.to_dict(numbers.get((x.claim_id, x.idx), 0)) for x in view.citations.get(c.id, [])],
            }
            for c in view.claims.values()
        ],
        "links": [link.to_dict() for link in view.links],
        "external": [c.to_dict() for c in view.external.values()],
        "threads": [_thread_json(t) for t in view.threads],
        "sources": [s.to_dict() for s in view.sources.values()],
    }


def claim_detail_json(d: ClaimDetail) -> dict:
    return {
        "kind": "claim",
        "claim": d.claim.to_dict(),
        "issue": d.issue.to_dict(),
        "side": d.side.to_dict() if d.side else None,
        "actor_role": d.actor.role if d.actor else None,
        "history": [h.to_dict() for h in d.history],
        # the link itself as everywhere (LinkRec.to_dict), and the claim at its other end beside it
        "links_out": [{**link.to_dict(), "claim": other.to_dict()} for link, other in d.links_out],
        "links_in": [{**link.to_dict(), "claim": other.to_dict()} for link, other in d.links_in],
        "citations": [
            {
                **cq.citation.to_dict(cq.n),
                "source_meta": cq.source.to_dict() if cq.source else None,
                "passage": None
                if cq.passage is None
                else {
                    "text": cq.passage.text,
                    "quote_start": cq.passage.quote_start,
                    "quote_end": cq.passage.quote_end,
                    "cut_before": cq.passage.cut_before,
                    "cut_after": cq.passage.cut_after,
                },
            }
            for cq in d.citations
        ],
    }


def timeline_json(view: IssueView, rows: list[TimelineRow]) -> dict:
    return {
        "issue": view.issue.to_dict(),
        "sides": [s.to_dict() for s in sides_in(view)],
        "rows": [
            {
                "date": r.date,
                "sort": r.sort,
                "cells": {side: [c.to_dict() for c in cs] for side, cs in r.cells.items()},
                "changes": [
                    {"claim": c.id, "supersedes": [link.dst for link in view.links_out(c.id) if link.type == "supersedes"]}
                    for c in r.changes
                ],
            }
            for r in rows
        ],
    }


def search_json(text: str, hits: list[q.SearchHit]) -> dict:
    out = []
    for h in hits:
        plain, matches = "", []
        for piece, strong in q.snippet_parts(h.snippet):
            if strong:
                matches.append([len(plain), len(plain) + len(piece)])
            plain += piece
        out.append({"kind": h.kind, "ref": h.ref, "issue": h.issue, "snippet": plain, "matches": matches, "rank": h.rank})
    return {"query": text, "hits": out}


def claims_json(claims: list[q.ClaimRec], total: int) -> dict:
    return {"total": total, "claims": [c.to_dict() for c in claims]}

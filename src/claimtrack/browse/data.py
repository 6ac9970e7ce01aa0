"""What the browser shows, as plain data: filters, filtered threads, search results, a source with
its cited passages, timeline rows. No Textual here, so that it can be tested (and reasoned about)
apart from the widgets; everything is read through `queries` and `threads`, never from the files.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field, replace

from ..index import queries as q
from ..views import threads
from ..views.threads import IssueView, ThreadNode

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def day_bound(value: str, last: bool) -> str:
    """A YYYY, YYYY-MM or YYYY-MM-DD typed as a date-range bound, as the first (or last) day it
    can mean, comparable with `said_on_sort`. ValueError when it is not such a date."""
    value = value.strip()
    problem = ValueError(f"'{value}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    if not _DATE.match(value):
        raise problem
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:  # 2024-13, 2024-02-30
        raise problem from None
    if len(parts) == 1:
        return value + ("-12-31" if last else "-01-01")
    if len(parts) == 2:
        return value + ("-31" if last else "-01")
    return value


@dataclass(frozen=True)
class Filters:
    """The browser's filters; None means 'any'. `since`/`until` are as typed (YYYY[-MM[-DD]])."""

    side: str | None = None
    actor: str | None = None
    status: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.side, self.actor, self.status, self.kind, self.since, self.until))

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in (("side", self.side), ("actor", self.actor), ("status", self.status), ("kind", self.kind))
                 if v is not None]
        if self.since or self.until:
            parts.append(f"dates {self.since or '…'}–{self.until or '…'}")
        return ", ".join(parts)

    def bounds(self) -> tuple[str | None, str | None]:
        return (day_bound(self.since, False) if self.since else None, day_bound(self.until, True) if self.until else None)

    def matches(self, claim: q.ClaimRec) -> bool:
        first, last = self.bounds()
        return (
            (self.side is None or claim.side == self.side)
            and (self.actor is None or claim.by == self.actor)
            and (self.status is None or claim.status == self.status)
            and (self.kind is None or claim.kind == self.kind)
            and (first is None or claim.said_on_sort >= first)
            and (last is None or claim.said_on_sort <= last)
        )


def filter_threads(roots: list[ThreadNode], filters: Filters) -> tuple[list[ThreadNode], set[str]]:
    """The threads cut to the claims that match, with the claims on the way to them kept as context.

    Returns the pruned trees and the ids of the claims that match (the others are context)."""
    if not filters.active:
        return roots, {n.claim.id for r in roots for n in r.walk()}
    matched: set[str] = set()

    def prune(node: ThreadNode) -> ThreadNode | None:
        kids = [k for k in (prune(c) for c in node.children) if k is not None]
        if filters.matches(node.claim):
            matched.add(node.claim.id)
        elif not kids:
            return None
        return replace(node, children=kids)

    return [t for t in (prune(r) for r in roots) if t is not None], matched


def side_marks(sides: list[q.SideRec]) -> dict[str, str]:
    """A short mark per side (the shortest prefix of its id, from two letters, that no other side
    shares), so that every row says its side even without colour and in a narrow pane."""
    ids = [s.id for s in sides]
    out: dict[str, str] = {}
    for sid in ids:
        for n in range(2, len(sid) + 1):
            if not any(o != sid and o.startswith(sid[:n]) for o in ids):
                out[sid] = sid[:n].upper()
                break
        else:
            out[sid] = sid.upper()
    return out


@dataclass(frozen=True)
class Result:
    """One search hit with what the browser needs to show and open it."""

    hit: q.SearchHit
    claim: q.ClaimRec | None  # for claim and quote hits
    source: q.SourceRec | None  # for source hits


def search(conn: sqlite3.Connection, text: str, filters: Filters = Filters(), limit: int = 50) -> list[Result]:
    """`queries.search` (the FTS behind `claimtrack search`), narrowed by the browser's filters.

    Side and actor go to the query itself; status, kind and dates are applied to the claims found,
    and a source is kept when a claim that matches the filters cites it."""
    narrow = any(v is not None for v in (filters.status, filters.kind, filters.since, filters.until))
    hits = q.search(conn, q.as_typed(text), side=filters.side, actor=filters.actor, limit=limit * 4 if narrow else limit)
    claim_ids = sorted({h.ref for h in hits if h.kind in ("claim", "quote")})
    claims = {c.id: c for c in q.claims(conn, ids=claim_ids)} if claim_ids else {}
    source_ids = sorted({h.ref for h in hits if h.kind == "source"})
    sources = q.sources(conn, source_ids) if source_ids else {}
    allowed_sources: set[str] | None = None
    if narrow and source_ids:
        first, last = filters.bounds()
        allowed = q.claims(conn, side=filters.side, actor=filters.actor, status=filters.status, kind=filters.kind,
                           since=first, until=last)
        cited = q.citations(conn, [c.id for c in allowed])
        allowed_sources = {c.source for cs in cited.values() for c in cs}
    out = []
    for h in hits:
        if h.kind == "source":
            if allowed_sources is not None and h.ref not in allowed_sources:
                continue
            out.append(Result(h, None, sources.get(h.ref)))
        else:
            claim = claims.get(h.ref)
            if claim is None or (narrow and not filters.matches(claim)):
                continue
            out.append(Result(h, claim, None))
    return out[:limit]


@dataclass
class Mark:
    """One citation's span in a source's body, and the claim that quotes it."""

    citation: q.CitationRec
    claim: q.ClaimRec | None


@dataclass
class Paragraph:
    start: int  # offset of the line in the body
    text: str
    marks: list[Mark] = field(default_factory=list)  # citations whose span starts in this line


@dataclass
class SourceView:
    source: q.SourceRec
    paragraphs: list[Paragraph]
    unanchored: list[Mark]  # citations of this source whose quote the index could not place


def load_source(conn: sqlite3.Connection, source_id: str) -> SourceView:
    """A source's whole body, line by line, each line with the citations that quote it."""
    rec = q.sources(conn, [source_id]).get(source_id)
    body = q.source_body(conn, source_id)  # raises UnknownId for a source not in the index
    cites = q.citations_of_source(conn, source_id)
    claims = {c.id: c for c in q.claims(conn, ids=sorted({c.claim_id for c in cites}))} if cites else {}
    paragraphs: list[Paragraph] = []
    at = 0
    for line in body.split("\n"):
        paragraphs.append(Paragraph(at, line))
        at += len(line) + 1
    starts = [p.start for p in paragraphs]
    unanchored = []

    for cit in cites:
        mark = Mark(cit, claims.get(cit.claim_id))
        if cit.start is None or cit.end is None:
            unanchored.append(mark)
            continue
        paragraphs[bisect.bisect_right(starts, cit.start) - 1].marks.append(mark)
    return SourceView(rec, paragraphs, unanchored)


def spans_in(paragraph: Paragraph, body_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the given body spans that fall inside this paragraph, as offsets in its text
    (a quote that runs over a line break is marked on both lines)."""
    lo, hi = paragraph.start, paragraph.start + len(paragraph.text)
    out = []
    for s, e in body_spans:
        a, b = max(s, lo), min(e, hi)
        if a < b:
            out.append((a - lo, b - lo))
    return sorted(out)


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the browser's timeline: one claim, in its side's column."""

    date: str
    claim: q.ClaimRec
    change: bool  # it supersedes an earlier position


def timeline_entries(view: IssueView, filters: Filters = Filters()) -> list[TimelineEntry]:
    """The issue's claims in date order (as `claimtrack timeline`), one row per claim; a day's
    claims in the order of their ids, whatever their side."""
    order = {cid: i for i, cid in enumerate(view.claims)}  # date, then id
    out = []
    for row in threads.timeline(view):
        changed = {c.id for c in row.changes}
        day = sorted((c for cs in row.cells.values() for c in cs), key=lambda c: order[c.id])
        out += [TimelineEntry(row.date, c, c.id in changed) for c in day if filters.matches(c)]
    return out

"""Thread graphs, timelines, and an issue as it stood on a date — data assembly, no drawing.

A thread starts at a root claim (one that answers nothing in the issue) and holds every claim that
answers it, directly or through others. A claim that answers two claims appears under both; the
second appearance is marked `repeat` so renderers can show it briefly.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from ..index import queries as q
from ..vocab import actor_label


@dataclass
class ThreadNode:
    claim: q.ClaimRec
    link: str | None  # how this claim answers its parent: rebuts | supports | supersedes; None for a root
    basis: str | None = None  # the link's basis: reported (the text presents it) | analyst (the dataset's reading)
    note: str | None = None  # why the link is made, where the file says
    children: list["ThreadNode"] = field(default_factory=list)
    repeat: bool = False  # already shown elsewhere in the issue

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class IssueView:
    """Everything needed to show or brief one issue, read from the index once."""

    issue: q.IssueRec
    sides: dict[str, q.SideRec]
    actors: dict[str, q.ActorRec]
    claims: dict[str, q.ClaimRec]  # in date order
    links: list[q.LinkRec]  # links among the issue's claims, and to/from claims of other issues
    history: dict[str, list[q.StatusChangeRec]]
    citations: dict[str, list[q.CitationRec]]
    sources: dict[str, q.SourceRec]
    as_of: str | None = None
    external: dict[str, q.ClaimRec] = field(default_factory=dict)  # linked claims of other issues

    @property
    def threads(self) -> list[ThreadNode]:
        return build_threads(self.claims, self.links)

    def side_of(self, claim: q.ClaimRec) -> q.SideRec | None:
        return self.sides.get(claim.side)

    def links_out(self, claim_id: str) -> list[q.LinkRec]:
        return [l for l in self.links if l.src == claim_id]

    def links_in(self, claim_id: str) -> list[q.LinkRec]:
        return [l for l in self.links if l.dst == claim_id]

    def citation_numbers(self) -> dict[tuple[str, int], int]:
        """Numbers for citation marks, in the order claims appear in the threads."""
        numbers: dict[tuple[str, int], int] = {}
        seen: set[str] = set()
        for root in self.threads:
            for node in root.walk():
                if node.claim.id in seen:
                    continue
                seen.add(node.claim.id)
                for cit in self.citations.get(node.claim.id, []):
                    numbers[(cit.claim_id, cit.idx)] = len(numbers) + 1
        return numbers


def build_threads(claims: dict[str, q.ClaimRec], links: list[q.LinkRec]) -> list[ThreadNode]:
    """Roots in date order, each with its answers nested in date order."""
    answers: dict[str, list[q.LinkRec]] = {}
    has_parent: set[str] = set()
    for link in links:
        if link.src in claims and link.dst in claims and link.src != link.dst:
            answers.setdefault(link.dst, []).append(link)
            has_parent.add(link.src)
    order = {cid: i for i, cid in enumerate(claims)}
    shown: set[str] = set()

    def grow(cid: str, link: q.LinkRec | None, path: frozenset[str]) -> ThreadNode:
        node = ThreadNode(claims[cid], link.type if link else None, link.basis if link else None,
                          link.note if link else None, repeat=cid in shown)
        if node.repeat:
            return node
        shown.add(cid)
        for child in sorted(answers.get(cid, []), key=lambda a: order[a.src]):
            if child.src not in path:
                node.children.append(grow(child.src, child, path | {child.src}))
        return node

    roots = [grow(cid, None, frozenset({cid})) for cid in claims if cid not in has_parent]
    # Claims caught in a cycle of links have no root: start a thread at the earliest of them.
    for cid in claims:
        if cid not in shown:
            roots.append(grow(cid, None, frozenset({cid})))
    return roots


def load_issue_view(conn: sqlite3.Connection, issue_id: str, as_of: str | None = None) -> IssueView:
    """Read one issue from the index; with `as_of` (YYYY-MM-DD), as it stood on that day."""
    issue = q.get_issue(conn, issue_id)
    claims = {c.id: c for c in q.claims(conn, issue=issue_id)}
    links = q.links(conn, issue=issue_id)
    external_ids = sorted({i for l in links for i in (l.src, l.dst) if i not in claims})
    external = {c.id: c for c in q.claims(conn, ids=external_ids)} if external_ids else {}
    ids = list(claims)
    cites = q.citations(conn, ids)
    view = IssueView(
        issue=issue,
        sides={s.id: s for s in q.sides(conn)},
        actors={a.id: a for a in q.actors(conn)},
        claims=claims,
        links=links,
        history=q.history(conn, ids),
        citations=cites,
        sources=q.sources(conn, sorted({c.source for cs in cites.values() for c in cs})),
        external=external,
    )
    return at_date(view, as_of) if as_of else view


def status_on(claim: q.ClaimRec, history: list[q.StatusChangeRec], day: str) -> str:
    """The claim's status on `day`: the last change dated on or before it."""
    status = None
    for change in history:
        if change.on_sort <= day:
            status = change.status
    if status is not None:
        return status
    return "asserted" if history else claim.status


def at_date(view: IssueView, day: str) -> IssueView:
    """The view as it stood on `day`: later claims and later status changes left out."""
    kept = {cid: c for cid, c in view.claims.items() if c.said_on_sort <= day}
    claims = {cid: replace(c, status=status_on(c, view.history.get(cid, []), day)) for cid, c in kept.items()}
    history = {cid: [h for h in view.history.get(cid, []) if h.on_sort <= day] for cid in claims}
    external = {cid: c for cid, c in view.external.items() if c.said_on_sort <= day}
    alive = set(claims) | set(external)
    links = [l for l in view.links if l.src in alive and l.dst in alive]
    citations = {cid: view.citations.get(cid, []) for cid in claims}
    used = {c.source for cs in citations.values() for c in cs}
    return replace(
        view,
        claims=claims,
        links=links,
        history=history,
        citations=citations,
        sources={k: v for k, v in view.sources.items() if k in used},
        external=external,
        as_of=day,
    )


@dataclass
class TimelineRow:
    date: str  # as written (precision kept)
    sort: str
    cells: dict[str, list[q.ClaimRec]]  # side id -> claims said that day
    changes: list[q.ClaimRec]  # claims in this row that supersede an earlier position


def timeline(view: IssueView) -> list[TimelineRow]:
    """The issue's claims by date, one cell per side, so the narratives read side by side."""
    superseding = {l.src for l in view.links if l.type == "supersedes"}
    rows: dict[tuple[str, str], TimelineRow] = {}
    for claim in view.claims.values():
        key = (claim.said_on_sort, claim.said_on)  # an interval is its own row, shown as the interval
        row = rows.get(key)
        if row is None:
            row = rows[key] = TimelineRow(claim.said_on, claim.said_on_sort, {}, [])
        row.cells.setdefault(claim.side, []).append(claim)
        if claim.id in superseding:
            row.changes.append(claim)
    return [rows[k] for k in sorted(rows)]


def sides_in(view: IssueView) -> list[q.SideRec]:
    """The sides that have claims in the issue, in the order actors.yaml gives them."""
    used = {c.side for c in view.claims.values()}
    return [s for s in view.sides.values() if s.id in used]


# --- one claim in full, for `claimtrack show CLAIM` (issue 4) ----------------------------------


@dataclass
class Passage:
    """The stretch of a source's body around a quote: its paragraph, cut to a readable length."""

    text: str
    quote_start: int  # the quote's span within `text`
    quote_end: int
    cut_before: bool  # text was left out before / after (renderers show an ellipsis)
    cut_after: bool


@dataclass
class CitedQuote:
    n: int  # 1-based, in the claim's order
    citation: q.CitationRec
    source: q.SourceRec | None
    passage: Passage | None  # None when the quote is not anchored in the source's body


@dataclass
class ClaimDetail:
    """Everything `show CLAIM` needs about one claim, read from the index."""

    claim: q.ClaimRec
    issue: q.IssueRec
    side: q.SideRec | None
    actor: q.ActorRec | None
    history: list[q.StatusChangeRec]
    links_out: list[tuple[q.LinkRec, q.ClaimRec]]  # (link, the claim it points to)
    links_in: list[tuple[q.LinkRec, q.ClaimRec]]  # (link, the claim that points here)
    citations: list[CitedQuote]
    sides: dict[str, q.SideRec]
    actor_names: dict[str, str] = field(default_factory=dict)  # actor id -> how it is named (reported_by may hold ids)


def passage(body: str, start: int, end: int, context: int = 240) -> Passage:
    """The paragraph (line) around body[start:end], at most `context` characters either side,
    cut at a space so that no word is broken."""
    left = body.rfind("\n", 0, start) + 1
    right = body.find("\n", end)
    right = len(body) if right < 0 else right
    cut_before = cut_after = False
    if start - left > context:
        at = body.find(" ", start - context, start)
        left = at + 1 if at >= 0 else start - context
        cut_before = True
    if right - end > context:
        at = body.rfind(" ", end, end + context)
        right = at if at >= 0 else end + context
        cut_after = True
    return Passage(body[left:right], start - left, end - left, cut_before, cut_after)


def load_claim_detail(conn: sqlite3.Connection, claim_id: str) -> ClaimDetail:
    claim = q.get_claim(conn, claim_id)
    out, inc = q.links_of(conn, claim_id)
    linked = {c.id: c for c in q.claims(conn, ids=sorted({l.dst for l in out} | {l.src for l in inc}))}
    cites = q.citations(conn, [claim_id])[claim_id]
    sources = q.sources(conn, sorted({c.source for c in cites}))
    bodies: dict[str, str] = {}
    quoted = []
    for n, cit in enumerate(cites, 1):
        where = None
        if cit.start is not None and cit.end is not None and cit.source in sources:
            if cit.source not in bodies:
                bodies[cit.source] = q.source_body(conn, cit.source)
            where = passage(bodies[cit.source], cit.start, cit.end)
            if sources[cit.source].truncated and not bodies[cit.source][cit.start + len(where.text) - where.quote_start:].strip():
                where.cut_after = True  # the archived text stops short: what follows the quote is lost, not absent
        quoted.append(CitedQuote(n, cit, sources.get(cit.source), where))
    actor = next((a for a in q.actors(conn) if a.id == claim.by), None)
    sides = {s.id: s for s in q.sides(conn)}
    return ClaimDetail(
        claim=claim,
        issue=q.get_issue(conn, claim.issue),
        side=sides.get(claim.side),
        actor=actor,
        history=q.history(conn, [claim_id])[claim_id],
        links_out=[(l, linked[l.dst]) for l in out if l.dst in linked],
        links_in=[(l, linked[l.src]) for l in inc if l.src in linked],
        citations=quoted,
        sides=sides,
        actor_names={a.id: actor_label(a.name, a.kind) for a in q.actors(conn)},
    )

"""Per-issue briefs: a brief's data assembled from an `IssueView`, and its rendering.

    build_brief(conn, issue_id, as_of=None, since=None) -> Brief    # data: plain dataclasses
    brief_json(brief) -> str                                         # Brief.to_dict(), as JSON
    render_markdown(brief) -> str                                    # templates/brief.md.j2
    render_html(brief) -> str                                        # templates/brief.html.j2
    build_index(briefs, files) -> BriefIndex; render_index_*(...)   # the page of `brief --all`

Assembly and wording are kept apart: this module counts, orders, numbers and cross-references;
the Jinja2 templates in `claimtrack/views/templates/` say it in words. The brief's own words are counts
and attributions only ("3 claims by Afghanistan", "C4 rebuts C1"): statements are the dataset's
attributive sentences, quotes are verbatim, and status words come from the closed set with their
documented meanings. Nothing here reads a clock: the same data gives the same bytes (a time stamp
appears only when the caller passes `stamp`).

Every value that comes from the data is escaped by the template environment itself, not by the
template's author remembering to: HTML autoescapes; Markdown runs every `{{ ... }}` through
`md_escape` (Markdown punctuation backslash-escaped, `<` and `>` as entities, one line), except
values a filter has marked `MdRaw` (a link target, percent-encoded). Control characters and
bidirectional overrides are shown as visible escapes in both.

Only the stdlib, `queries` and `threads` are imported at module level; Jinja2 is imported when a
template is first rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..paths import write_atomic
from ..index import queries as q
from ..problems import ClaimtrackError
from .threads import IssueView, ThreadNode, load_issue_view, sides_in
from ..vocab import KINDS, STATUSES, actor_label, basis_label

FORMATS = {"md": ".md", "html": ".html", "json": ".json"}
NO_SIDE_COLOUR = "#777777"
_ACCUSING = ("accusation", "counter-accusation")
_STANDING_GONE = ("retracted", "superseded")


# --- the data ---------------------------------------------------------------------------------


@dataclass
class SideInfo:
    id: str
    name: str
    colour: str  # #rrggbb, validated (NO_SIDE_COLOUR when the data's is not)


@dataclass
class Quote:
    quote: str
    source: str  # source id
    source_ref: str  # "S2": the source's number in this brief
    via: str | None  # the old spelling, shown only where channel and reported_by are not given
    note: str | None
    channel: str | None = None
    reported_by: list[str] = field(default_factory=list)
    reported_on: str | None = None
    reported_on_inferred: bool = False

    def fragment_url(self, url: str) -> str:
        """`url` with a text fragment that scrolls to and highlights the quote (`#:~:text=start,end`,
        WICG Text Fragments): the quote's first and last four words, or the whole quote when it is
        short. Built from the quote's own characters, percent-encoded (with `-`, `,` and `&`, which
        the syntax reserves)."""
        return url + ("" if "#" in url else "#") + ":~:text=" + text_fragment(self.quote)

    @property
    def second_hand(self) -> bool:
        """Known through intermediaries: only where reported_by names them."""
        return bool(self.reported_by)

    @property
    def chain(self) -> str:
        """How the claim reached this source, in words: 'post on X', 'reported by A, then B'."""
        parts = []
        if self.channel:
            parts.append(self.channel)
        if self.reported_by:
            parts.append("reported by " + ", then ".join(self.reported_by))
        if self.via and not (self.channel or self.reported_by):
            parts.append(f"via {self.via}")
        if self.reported_on:
            parts.append(f"this source dates it {fmt_date(self.reported_on, self.reported_on_inferred)}")
        return "; ".join(parts)


@dataclass
class HistoryEntry:
    on: str  # as written (precision kept)
    on_inferred: bool
    sort: str  # the earliest day `on` can mean
    status: str
    note: str
    change: bool  # the status differs from the one before (the first entry: differs from 'asserted')
    new: bool  # on or after --since


@dataclass
class LinkRef:
    type: str  # rebuts | supports | supersedes
    claim: str  # the other claim's id
    ref: str | None  # its "C3" in this brief; None when it belongs to another issue
    basis: str = "analyst"  # reported: the text presents it; analyst: the dataset's reading
    note: str | None = None

    @property
    def basis_text(self) -> str:
        return basis_label(self.basis, self.note)


@dataclass
class ClaimItem:
    ref: str  # "C1", "C2", ... in date order
    id: str
    name: str  # the claim's name within its issue
    statement: str
    kind: str
    status: str
    actor: str
    actor_name: str
    actor_role: str | None
    side: SideInfo
    said_on: str
    said_on_inferred: bool
    said_on_note: str | None
    sort: str  # the earliest day said_on can mean
    new: bool  # said on or after --since
    quotes: list[Quote] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    links_out: list[LinkRef] = field(default_factory=list)  # this claim rebuts/supports/supersedes ...
    links_in: list[LinkRef] = field(default_factory=list)  # ... is rebutted/supported/superseded by
    row: int = 0  # its row in the side-by-side positions: one row per date, so the columns align by date

    @property
    def anchor(self) -> str:
        return self.ref.lower()

    @property
    def links_grouped(self) -> list[tuple[str, bool, list[LinkRef]]]:
        """(link type, incoming, links): outgoing links first, each type once, in LINK_TYPES order."""
        out = []
        for incoming, links in ((False, self.links_out), (True, self.links_in)):
            for t in ("rebuts", "supports", "supersedes"):
                same = [l for l in links if l.type == t]
                if same:
                    out.append((t, incoming, same))
        return out

    @property
    def status_changed_since(self) -> bool:
        return any(h.new and h.change for h in self.history)


@dataclass
class SidePosition:
    side: SideInfo
    claims: list[ClaimItem]
    statuses: dict[str, int]  # status -> count, in the order of STATUSES
    latest: list[ClaimItem]  # its most recent claims that are neither retracted nor superseded (all of the latest date)


@dataclass
class ThreadStep:
    depth: int  # 0 for the thread's first claim
    link: str | None  # how this claim answers the one above it: rebuts | supports | supersedes
    parent: ClaimItem | None
    claim: ClaimItem
    repeat: bool  # already shown earlier in the exchanges


@dataclass
class Event:
    """One dated entry of the timeline: a claim made, or a claim's status recorded as changed."""

    kind: str  # "claim" | "status"
    date: str
    date_inferred: bool
    sort: str
    claim: ClaimItem
    status: str | None = None  # for "status"
    note: str | None = None
    new: bool = False
    supersedes: list[ClaimItem] = field(default_factory=list)  # for "claim": the positions it replaces


@dataclass
class Attention:
    claim: ClaimItem
    reasons: list[str]  # codes: unanswered | disputed | second-hand


@dataclass
class PositionChange:
    new: ClaimItem
    old: ClaimItem


@dataclass
class SourceItem:
    ref: str  # "S1"
    id: str
    title: str
    outlet: str
    outlet_inferred: bool
    url: str
    url_is_link: bool  # an http(s) URL, safe to link
    author: str
    published: str | None
    published_inferred: bool
    missing: bool  # cited, but not in the index (its file has a problem)
    quotes: list[tuple[Quote, ClaimItem]] = field(default_factory=list)
    retrieved: str | None = None
    sha256: str | None = None
    copy_of: str | None = None  # the id of the source this one is an archived copy of
    copy_of_ref: str | None = None  # its "S3" when this brief cites it too
    truncated: bool = False  # the archived text stops short of the article
    outlet_key: str = ""  # sources with one key count as one outlet: a copy takes the key of what it copies

    @property
    def anchor(self) -> str:
        return self.ref.lower()


@dataclass
class Fingerprint:
    sha256: str  # over the sorted "path\tsha256\n" lines of the files that went into the brief
    files: list[tuple[str, str]]  # (path, sha256 of the file's bytes), sorted by path

    @property
    def short(self) -> str:
        return self.sha256[:16]


@dataclass
class Brief:
    issue: q.IssueRec
    as_of: str | None  # the day asked for (YYYY-MM-DD), None for the latest data
    latest: str | None  # the latest date in the data shown (as written)
    latest_inferred: bool
    since: str | None  # the day asked for, or None
    claims: list[ClaimItem]  # in date order: C1, C2, ...
    positions: list[SidePosition]
    threads: list[list[ThreadStep]]  # exchanges: threads with at least one answer
    standalone: list[ClaimItem]  # claims that answer none and that none answers
    timeline: list[Event]
    attention: list[Attention]
    changes: list[PositionChange]
    sources: list[SourceItem]
    fingerprint: Fingerprint
    stamp: str | None = None  # a generation time, only when the caller asks for one
    # Set by `write_all` (brief --all): the index page's file, and each other issue's brief file.
    index_file: str | None = None
    sibling_files: dict[str, str] = field(default_factory=dict)

    # -- the bottom line, from the data above --------------------------------------------------

    @property
    def statuses(self) -> dict[str, int]:
        return _count_statuses(self.claims)

    @property
    def disputed(self) -> list[ClaimItem]:
        return [c for c in self.claims if c.status == "disputed"]

    @property
    def last_events(self) -> list[Event]:
        """The entries of the timeline's latest date: what changed last."""
        if not self.timeline:
            return []
        last = self.timeline[-1].sort
        return [e for e in self.timeline if e.sort == last]

    @property
    def last_grouped(self) -> list[tuple[Event, list[ClaimItem]]]:
        """What changed last, with the status changes that share a status and a note said once:
        (the first event, every claim it applies to), claims made kept one by one."""
        out: list[tuple[Event, list[ClaimItem]]] = []
        groups: dict[tuple[str | None, str | None], list[ClaimItem]] = {}
        for e in self.last_events:
            if e.kind == "status":
                key = (e.status, e.note)
                if key in groups:
                    groups[key].append(e.claim)
                    continue
                groups[key] = [e.claim]
                out.append((e, groups[key]))
            else:
                out.append((e, [e.claim]))
        return out

    @property
    def attention_grouped(self) -> list[tuple[list[str], list[ClaimItem]]]:
        """Claims needing attention, the claims with the same reasons on one line."""
        groups: dict[tuple[str, ...], list[ClaimItem]] = {}
        for a in self.attention:
            groups.setdefault(tuple(a.reasons), []).append(a.claim)
        return [(list(k), v) for k, v in groups.items()]

    @property
    def lanes(self) -> dict[str, int]:
        """Each side's column (1-based) in the side-by-side positions and the timeline's lanes."""
        return {p.side.id: i for i, p in enumerate(self.positions, 1)}

    @property
    def new_claims(self) -> list[ClaimItem]:
        return [c for c in self.claims if c.new]

    @property
    def new_status_changes(self) -> list[Event]:
        return [e for e in self.timeline if e.kind == "status" and e.new]

    @cached_property
    def source_map(self) -> dict[str, SourceItem]:
        """Sources by their ref ("S1"), for the templates."""
        return {s.ref: s for s in self.sources}

    @property
    def statuses_used(self) -> list[tuple[str, str]]:
        used = {c.status for c in self.claims} | {h.status for c in self.claims for h in c.history}
        return [(s, m) for s, m in STATUSES.items() if s in used]

    @property
    def outlets(self) -> int:
        """How many outlets the sources come from; a syndicated or mirrored copy counts with
        the source it copies, not as one more."""
        return len({s.outlet_key for s in self.sources})

    @property
    def any_copies(self) -> bool:
        return any(s.copy_of for s in self.sources)

    @property
    def any_inferred(self) -> bool:
        return (
            any(c.said_on_inferred for c in self.claims)
            or any(h.on_inferred for c in self.claims for h in c.history)
            or any(s.outlet_inferred or s.published_inferred for s in self.sources)
        )

    def to_dict(self) -> dict[str, Any]:
        """The brief as JSON-ready data (the shape is documented in docs/brief.md). Claims are
        written once, under "claims"; everything else names them by id."""
        return {
            "schema_version": 1,  # of the JSON outputs' shapes, as in render.SCHEMA_VERSION
            "issue": {
                "id": self.issue.id,
                "title": self.issue.title,
                "question": self.issue.question,
                "summary": self.issue.summary,
                "tags": list(self.issue.tags),
            },
            "as_of": self.as_of,
            "latest": self.latest,
            "latest_inferred": self.latest_inferred,
            "since": self.since,
            "bottom_line": {
                "claims": len(self.claims),
                "per_side": [
                    {"side": p.side.id, "claims": len(p.claims), "statuses": p.statuses, "latest": [c.id for c in p.latest]}
                    for p in self.positions
                ],
                "statuses": self.statuses,
                "disputed": [c.id for c in self.disputed],
                "last_changes": [_event_dict(e) for e in self.last_events],
                "new_claims": [c.id for c in self.new_claims] if self.since else None,
                "new_status_changes": [_event_dict(e) for e in self.new_status_changes] if self.since else None,
            },
            "sides": [_side_dict(p.side) for p in self.positions],
            "claims": [_claim_dict(c) for c in self.claims],
            "threads": [
                [{"claim": s.claim.id, "depth": s.depth, "link": s.link, "answers": s.parent.id if s.parent else None, "repeat": s.repeat} for s in t]
                for t in self.threads
            ],
            "standalone": [c.id for c in self.standalone],
            "timeline": [_event_dict(e) for e in self.timeline],
            "attention": [{"claim": a.claim.id, "reasons": a.reasons} for a in self.attention],
            "changes_of_position": [{"claim": ch.new.id, "supersedes": ch.old.id} for ch in self.changes],
            "sources": [
                {
                    "ref": s.ref,
                    "id": s.id,
                    "title": s.title,
                    "outlet": s.outlet,
                    "outlet_inferred": s.outlet_inferred,
                    "url": s.url,
                    "author": s.author,
                    "published": s.published,
                    "published_inferred": s.published_inferred,
                    "missing": s.missing,
                    "copy_of": s.copy_of,
                    "truncated": s.truncated,
                    "quotes": [{"claim": c.id, "quote": qu.quote, "via": qu.via, "note": qu.note} for qu, c in s.quotes],
                }
                for s in self.sources
            ],
            "fingerprint": {"sha256": self.fingerprint.sha256, "files": [{"path": p, "sha256": h} for p, h in self.fingerprint.files]},
            "stamp": self.stamp,
        }


def _side_dict(s: SideInfo) -> dict:
    return {"id": s.id, "name": s.name, "colour": s.colour}


def _claim_dict(c: ClaimItem) -> dict:
    return {
        "ref": c.ref,
        "id": c.id,
        "statement": c.statement,
        "kind": c.kind,
        "status": c.status,
        "by": c.actor,
        "actor": c.actor_name,
        "actor_role": c.actor_role,
        "side": c.side.id,
        "said_on": c.said_on,
        "said_on_inferred": c.said_on_inferred,
        "said_on_note": c.said_on_note,
        "new": c.new,
        "citations": [{"source": x.source, "source_ref": x.source_ref, "quote": x.quote, "channel": x.channel,
                       "reported_by": x.reported_by, "second_hand": x.second_hand, "reported_on": x.reported_on,
                       "reported_on_inferred": x.reported_on_inferred, "via": x.via, "note": x.note} for x in c.quotes],
        "history": [{"on": h.on, "on_inferred": h.on_inferred, "status": h.status, "note": h.note, "new": h.new} for h in c.history],
        # a link is the same object in every JSON output (render.link_json): src, type, dst, basis, note
        "links_out": [{"src": c.id, "type": l.type, "dst": l.claim, "basis": l.basis, "note": l.note} for l in c.links_out],
        "links_in": [{"src": l.claim, "type": l.type, "dst": c.id, "basis": l.basis, "note": l.note} for l in c.links_in],
    }


def _event_dict(e: Event) -> dict:
    out = {"kind": e.kind, "date": e.date, "date_inferred": e.date_inferred, "claim": e.claim.id, "new": e.new}
    if e.kind == "status":
        out.update(status=e.status, note=e.note)
    else:
        out["supersedes"] = [c.id for c in e.supersedes]
    return out


def _count_statuses(claims: list[ClaimItem]) -> dict[str, int]:
    counts = {s: 0 for s in STATUSES}
    for c in claims:
        counts[c.status] = counts.get(c.status, 0) + 1
    return {s: n for s, n in counts.items() if n}


# --- assembling -------------------------------------------------------------------------------


def build_brief(
    conn: sqlite3.Connection,
    issue_id: str,
    as_of: str | None = None,
    since: str | None = None,
    stamp: str | None = None,
) -> Brief:
    """The brief of one issue from the index. `as_of` (YYYY-MM-DD): the issue as it stood that
    day (later claims left out, statuses from the history); `since` (YYYY-MM-DD): claims and
    status changes dated on or after it are marked new. Raises UnknownId for an unknown issue."""
    view = load_issue_view(conn, issue_id, as_of=as_of)
    return brief_from_view(view, since=since, fingerprint=fingerprint(conn, view), stamp=stamp)


def brief_from_view(view: IssueView, since: str | None = None, fingerprint: Fingerprint | None = None, stamp: str | None = None) -> Brief:
    sides = {sid: _side_info(s) for sid, s in view.sides.items()}
    no_side = SideInfo("", "(no side)", NO_SIDE_COLOUR)
    actors = view.actors

    # Claims numbered in reading order: by date, and on one date in the order of the side-by-side
    # columns (the sides in actors.yaml's order), so C1, C2, ... read left to right, top to bottom.
    column = {s.id: i for i, s in enumerate(sides_in(view))}
    ordered = sorted(view.claims.items(), key=lambda kv: (kv[1].said_on_sort, column.get(kv[1].side, len(column))))
    # Sources are numbered by their first citation, claims taken in that order.
    source_refs: dict[str, str] = {}
    for cid, _ in ordered:
        for cit in view.citations.get(cid, []):
            source_refs.setdefault(cit.source, f"S{len(source_refs) + 1}")

    items: dict[str, ClaimItem] = {}
    for n, (cid, c) in enumerate(ordered, 1):
        actor = actors.get(c.by)
        items[cid] = ClaimItem(
            ref=f"C{n}",
            id=cid,
            name=cid.split("/", 1)[1] if "/" in cid else cid,
            statement=c.statement,
            kind=c.kind,
            status=c.status,
            actor=c.by,
            actor_name=actor_label(c.actor_name, c.actor_kind),
            actor_role=actor.role if actor else None,
            side=sides.get(c.side, no_side),
            said_on=c.said_on,
            said_on_inferred=c.said_on_inferred,
            said_on_note=c.said_on_note,
            sort=c.said_on_sort,
            new=bool(since) and c.said_on_sort >= since,
            quotes=[Quote(x.quote, x.source, source_refs[x.source], x.via, x.note, x.channel,
                          [actor_label(actors[r].name, actors[r].kind) if r in actors else r for r in x.reported_by],
                          x.reported_on, x.reported_on_inferred) for x in view.citations.get(cid, [])],
            history=_history(view.history.get(cid, []), since),
        )
    for link in view.links:
        if link.src in items:
            items[link.src].links_out.append(LinkRef(link.type, link.dst, items[link.dst].ref if link.dst in items else None, link.basis, link.note))
        if link.dst in items:
            items[link.dst].links_in.append(LinkRef(link.type, link.src, items[link.src].ref if link.src in items else None, link.basis, link.note))
    claims = list(items.values())
    rows = {s: i for i, s in enumerate(sorted({c.sort for c in claims}), 2)}  # row 1: the sides' headings
    for c in claims:
        c.row = rows[c.sort]

    positions = []
    for side in sides_in(view):
        mine = [c for c in claims if c.side.id == side.id]
        positions.append(SidePosition(sides[side.id], mine, _count_statuses(mine), _latest_standing(mine)))
    orphans = [c for c in claims if c.side.id not in sides]
    if orphans:
        positions.append(SidePosition(no_side, orphans, _count_statuses(orphans), _latest_standing(orphans)))

    threads, standalone = _exchanges(view.threads, items)
    events = _timeline(claims, items)
    changes = [
        PositionChange(items[l.src], items[l.dst])
        for l in sorted(view.links, key=lambda l: (items[l.src].sort, items[l.src].ref) if l.src in items else ("", ""))
        if l.type == "supersedes" and l.src in items and l.dst in items
    ]
    dated = [(c.sort, c.said_on, c.said_on_inferred) for c in claims] + [(e.sort, e.date, e.date_inferred) for e in events]
    last_sort = max((d[0] for d in dated), default=None)
    on_last = [d for d in dated if d[0] == last_sort]
    # The latest date as written (the most precise spelling), inferred only if every entry of it is.
    latest = (last_sort, max(d[1] for d in on_last), all(d[2] for d in on_last)) if on_last else None
    return Brief(
        issue=view.issue,
        as_of=view.as_of,
        latest=latest[1] if latest else None,
        latest_inferred=latest[2] if latest else False,
        since=since,
        claims=claims,
        positions=positions,
        threads=threads,
        standalone=standalone,
        timeline=events,
        attention=_attention(claims),
        changes=changes,
        sources=_sources(view, source_refs, items),
        fingerprint=fingerprint or Fingerprint(hashlib.sha256(b"").hexdigest(), []),
        stamp=stamp,
    )


def _side_info(s: q.SideRec) -> SideInfo:
    from ..colours import colour_hex

    return SideInfo(s.id, s.name, colour_hex(s.colour) or NO_SIDE_COLOUR)


def _history(changes: list[q.StatusChangeRec], since: str | None) -> list[HistoryEntry]:
    out, before = [], "asserted"
    for h in changes:
        out.append(HistoryEntry(h.on, h.on_inferred, h.on_sort, h.status, h.note, h.status != before, bool(since) and h.on_sort >= since))
        before = h.status
    return out


def _latest_standing(claims: list[ClaimItem]) -> list[ClaimItem]:
    """The standing claims (neither retracted nor superseded) of the latest date among them: all
    of them, since the order of claims said on one day (or in one year) is not known."""
    standing = [c for c in claims if c.status not in _STANDING_GONE]
    return [c for c in standing if c.sort == standing[-1].sort] if standing else []


def _exchanges(roots: list[ThreadNode], items: dict[str, ClaimItem]) -> tuple[list[list[ThreadStep]], list[ClaimItem]]:
    threads, standalone = [], []
    for root in roots:
        if not root.children and not root.repeat:
            standalone.append(items[root.claim.id])
            continue
        steps: list[ThreadStep] = []

        def walk(node: ThreadNode, depth: int, parent: ClaimItem | None, steps: list[ThreadStep] = steps) -> None:
            item = items[node.claim.id]
            steps.append(ThreadStep(depth, node.link, parent, item, node.repeat))
            for child in node.children:
                walk(child, depth + 1, item, steps)

        walk(root, 0, None)
        threads.append(steps)
    return threads, standalone


def _timeline(claims: list[ClaimItem], items: dict[str, ClaimItem]) -> list[Event]:
    events = []
    for c in claims:
        replaced = [items[l.claim] for l in c.links_out if l.type == "supersedes" and l.claim in items]
        events.append(Event("claim", c.said_on, c.said_on_inferred, c.sort, c, new=c.new, supersedes=replaced))
        for h in c.history:
            if h.change:
                events.append(Event("status", h.on, h.on_inferred, h.sort, c, status=h.status, note=h.note, new=h.new))
    # By date; on one date, claims before status changes, each in the claims' order.
    order = {c.id: i for i, c in enumerate(claims)}
    return sorted(events, key=lambda e: (e.sort, e.kind != "claim", order[e.claim.id]))


def _attention(claims: list[ClaimItem]) -> list[Attention]:
    out = []
    for c in claims:
        reasons = []
        if c.kind in _ACCUSING and c.status not in _STANDING_GONE and not any(l.type == "rebuts" for l in c.links_in):
            reasons.append("unanswered")
        if c.status == "disputed":
            reasons.append("disputed")
        if c.quotes and all(x.second_hand for x in c.quotes):
            reasons.append("second-hand")
        if reasons:
            out.append(Attention(c, reasons))
    return out


def _sources(view: IssueView, refs: dict[str, str], items: dict[str, ClaimItem]) -> list[SourceItem]:
    out = []
    for source_id, ref in refs.items():
        s = view.sources.get(source_id)
        if s is None:
            item = SourceItem(ref, source_id, source_id, "unknown", False, "unknown", False, "unknown", None, False, missing=True)
        else:
            item = SourceItem(
                ref, s.id, s.title, s.outlet or "unknown", s.outlet_inferred, s.url or "unknown", _is_link(s.url),
                s.author or "unknown", s.published, s.published_inferred, missing=False, truncated=s.truncated,
                retrieved=s.retrieved, sha256=s.sha256 or None, copy_of=s.copy_of, copy_of_ref=refs.get(s.copy_of) if s.copy_of else None,
            )
        item.outlet_key = _outlet_key(view, source_id)
        out.append(item)
    by_id = {item.id: item for item in out}
    for c in items.values():
        for x in c.quotes:
            by_id[x.source].quotes.append((x, c))
    return out


def _outlet_key(view: IssueView, source_id: str) -> str:
    """The outlet a source counts as: that of the source at the end of its copy_of chain (its
    outlet when known, else its id), so a syndicated copy is not one more outlet."""
    seen = {source_id}
    s = view.sources.get(source_id)
    while s is not None and s.copy_of and s.copy_of not in seen:
        seen.add(s.copy_of)
        source_id, s = s.copy_of, view.sources.get(s.copy_of)
    if s is not None and s.outlet and s.outlet != "unknown" and not s.outlet_inferred:
        return "outlet:" + s.outlet.casefold()
    return "source:" + source_id


def text_fragment(quote: str) -> str:
    """The `text=` value of a text fragment for `quote`: `start,end` from its first and last four
    words (the whole quote when it has eight words or fewer), each percent-encoded."""
    from urllib.parse import quote as pct

    words = clean(quote).split()

    def enc(ws: list[str]) -> str:
        return pct(" ".join(ws), safe="").replace("-", "%2D")

    if len(words) <= 8:
        return enc(words)
    return enc(words[:4]) + "," + enc(words[-4:])


def _is_link(url: str | None) -> bool:
    return bool(url) and re.match(r"^https?://[^\s<>\"]+$", url or "", re.IGNORECASE) is not None


def fingerprint(conn: sqlite3.Connection, view: IssueView) -> Fingerprint:
    """sha256 over the sorted (path, file sha256) of the files that went into the brief:
    actors.yaml, the issue's _issue.yaml, the files of its claims (and of claims of other issues
    it links to) and of the sources they cite. A file the index does not hold counts as 'missing'."""
    paths = {"claims/actors.yaml", f"claims/{view.issue.id}/_issue.yaml"}
    for cid in list(view.claims) + list(view.external):
        issue, _, name = cid.partition("/")
        paths.add(f"claims/{issue}/{name}.yaml")
    paths |= {f"sources/{s}.md" for cs in view.citations.values() for s in {c.source for c in cs}}
    hashes = q.file_hashes(conn, sorted(paths))
    files = [(p, hashes.get(p, "missing")) for p in sorted(paths)]
    digest = hashlib.sha256("".join(f"{p}\t{h}\n" for p, h in files).encode("utf-8")).hexdigest()
    return Fingerprint(digest, files)


# --- the index page of `brief --all` ----------------------------------------------------------


@dataclass
class IndexEntry:
    brief: Brief
    file: str  # the brief's file name, relative to the index

    @property
    def per_side(self) -> list[tuple[SideInfo, int]]:
        return [(p.side, len(p.claims)) for p in self.brief.positions]


@dataclass
class BriefIndex:
    entries: list[IndexEntry]
    as_of: str | None
    since: str | None
    stamp: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "since": self.since,
            "briefs": [
                {
                    "issue": e.brief.issue.id,
                    "title": e.brief.issue.title,
                    "question": e.brief.issue.question,
                    "file": e.file,
                    "claims": len(e.brief.claims),
                    "per_side": {s.id: n for s, n in e.per_side},
                    "statuses": e.brief.statuses,
                    "disputed": len(e.brief.disputed),
                    "latest": e.brief.latest,
                    "fingerprint": e.brief.fingerprint.sha256,
                }
                for e in self.entries
            ],
            "stamp": self.stamp,
        }


def build_index(briefs: list[Brief], suffix: str, as_of: str | None = None, since: str | None = None, stamp: str | None = None) -> BriefIndex:
    return BriefIndex([IndexEntry(b, f"{b.issue.id}{suffix}") for b in briefs], as_of, since, stamp)


def write_all(
    conn: sqlite3.Connection,
    folder: Path,
    fmt: str,
    as_of: str | None = None,
    since: str | None = None,
    stamp: str | None = None,
    root: Path | None = None,
) -> list[Path]:
    """One brief per issue into `folder` (ISSUE.md|html|json) and an index page linking them
    (index.md|html|json; _index.* if an issue is called 'index'). Returns the paths written.
    With `root` (the dataset), every destination is checked first (`check_output`), so a
    refused one leaves nothing written."""
    suffix = FORMATS[fmt]
    briefs = [build_brief(conn, issue.id, as_of=as_of, since=since, stamp=stamp) for issue in q.issues(conn)]
    name = "_index" if any(b.issue.id == "index" for b in briefs) else "index"
    pages = [(folder / f"{one.issue.id}{suffix}", one) for one in briefs]
    if root is not None:
        for path in [p for p, _ in pages] + [folder / f"{name}{suffix}"]:
            check_output(path, root)
    for _, one in pages:
        one.index_file = f"{name}{suffix}"
        one.sibling_files = {b.issue.id: f"{b.issue.id}{suffix}" for b in briefs if b is not one}
    written = []
    for path, one in pages:
        written.append(path)
        write_atomic(path, render(one, fmt))
    written.append(folder / f"{name}{suffix}")
    write_atomic(written[-1], render_index(build_index(briefs, suffix, as_of, since, stamp), fmt))
    return written


# --- where a brief may go ---------------------------------------------------------------------


class OutputRefused(ClaimtrackError):
    """A destination a brief must not be written to (the message says why and what to do)."""


# The dataset's own folders: the truth (claims/, sources/) and the index (.claimtrack/).
_DATASET_FOLDERS = {"claims": "the claims", "sources": "the archived sources", ".claimtrack": "the index"}


def check_output(path: Path, root: Path | None) -> None:
    """Refuse a destination that writing the brief would damage. A brief is written by renaming
    a temporary file over `path`, which replaces whatever is there: so `path` must be new or an
    existing regular file (not a symbolic link, folder, named pipe, device or socket), and it
    must not lie inside the dataset's claims/, sources/ or .claimtrack/ (symbolic links in its
    folders resolved first, so a link pointing into the dataset is caught). Raises
    OutputRefused."""
    try:
        st = os.lstat(path)
    except OSError:  # new, or its folder cannot be reached: the write itself says why, if it fails
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = _file_kind(path, st.st_mode)
        raise OutputRefused(
            f"refusing to write the brief over {path}: it is {what}, not a regular file — "
            "give a new file name, or -o - to write to standard output"
        )
    if root is None:  # no local dataset (a brief read from the team's database)
        return
    real = Path(os.path.realpath(path))
    real_root = Path(os.path.realpath(root))
    for folder, holds in _DATASET_FOLDERS.items():
        inside = real_root / folder
        if real == inside or inside in real.parents:
            shown = f" ({real})" if real != Path(os.path.abspath(path)) else ""
            raise OutputRefused(
                f"refusing to write the brief to {path}{shown}: it is inside the dataset's {folder}/ folder, "
                f"which holds {holds} — write it outside claims/, sources/ and .claimtrack/"
            )


def _file_kind(path: Path, mode: int) -> str:
    if stat.S_ISLNK(mode):
        try:
            return f"a symbolic link (to {os.readlink(path)})"
        except OSError:
            return "a symbolic link"
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


# --- rendering --------------------------------------------------------------------------------

# C0 controls except \t and \n, DEL, C1 controls; bidi embeddings, overrides and isolates;
# line and paragraph separators: shown as visible escapes, never written raw.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean(text: Any) -> str:
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n")
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def one_line(text: Any) -> str:
    return " ".join(clean(text).split())


class MdRaw(str):
    """Text a Markdown template writes as it is (already escaped or encoded by a filter)."""


_MD_PUNCT = re.compile(r"([\\`*_\[\]|#~])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_LINE_START = re.compile(r"^( ?)([-+=]|\d+[.)])")


def md_escape(value: Any) -> str:
    """Data as inline Markdown that reads as the same text on GitHub and in the terminal: on one
    line; Markdown punctuation backslash-escaped; `<` and `>` as entities (so no raw HTML, and
    `<script>` never appears as such); `&` as `&amp;` where it would start an entity; and what
    would start a list or a heading at the start of a line escaped."""
    if isinstance(value, MdRaw):
        return value
    if value is None:
        return ""
    text = re.sub(r"\s+", " ", clean(value))  # one line; a template's own spaces (", ") kept
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text, count=1)


def md_url(url: str) -> MdRaw:
    """An http(s) URL as a Markdown link target: characters that would end or break it encoded."""
    return MdRaw("".join(c if c.isascii() and c.isprintable() and c not in " ()<>\"\\`" else _pct(c) for c in url))


def _md_ref(ref: str) -> MdRaw:
    """A claim's or source's number ("C3", "S1") as a link to its heading's anchor."""
    return MdRaw(f"[{md_escape(ref)}](#{md_url(ref.lower())})")


def _md_other_issue(b: "Brief", claim_id: str) -> MdRaw:
    """A claim of another issue: its id, linked to that issue's brief when `brief --all` wrote one."""
    target = b.sibling_files.get(claim_id.split("/", 1)[0])
    text = md_escape(claim_id)
    return MdRaw(f"[{text}]({md_url(target)})" if target else text)


def _pct(c: str) -> str:
    return "".join(f"%{b:02X}" for b in c.encode("utf-8"))


def _span(value: str):
    from ..dates import DateError, parse

    try:
        return parse(value)
    except DateError:
        return None


def fmt_date(value: str | None, inferred: bool = False) -> str:
    """A date for prose: intervals and open bounds in words ('on or before 2014-07-24')."""
    span = _span(value) if value else None
    if span is None or not span.known:
        return "date unknown" if not value or span is not None else value
    return span.describe() + (" (inferred)" if inferred else "")


def when(value: str | None, inferred: bool = False) -> str:
    """'on 2025-11-05', 'in 2025-11', 'in 2018', 'on or before 2014-07-24', 'between A and B',
    with ' (inferred)' when the date is."""
    span = _span(value) if value else None
    if span is None or not span.known:
        return "on an unknown date"
    return _WHEN_LEAD.get(span.precision, "") + fmt_date(value, inferred)


# The word before a date in prose, by what the date is; intervals and open bounds bring their own
# ("between A and B", "on or before D").
_WHEN_LEAD = {"day": "on ", "month": "in ", "year": "in ", "approximate": "in "}


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_words(items: list[str], last: str = "and") -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _bytecode_cache(kind: str, options: dict[str, Any]):
    """Compiled templates kept in the per-user temp folder (Jinja2's own, mode 0700): compiling
    the brief's templates costs 0.13-0.19 s a format, loading them from the cache 2-6 ms.

    Jinja2 keys its cache by template name and source only, yet the code it compiles depends on
    the environment: autoescape decides whether a value is escaped, and `finalize` and the
    filters are applied to constants at compile time. A cache shared by the Markdown and the HTML
    environments served one's code to the other (names from the data raw in the HTML brief, or
    the Markdown escaped twice). So each environment has its own keys: its kind, its options
    and the bytes of this module (where finalize and the filters are defined). A cache that
    cannot be read or written is no cache (the template is compiled), never an error."""
    import jinja2

    salt = hashlib.sha256(
        repr((kind, sorted(options.items()))).encode("utf-8") + Path(__file__).read_bytes()
    ).hexdigest()

    class KeyedCache(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return hashlib.sha1(f"{salt}|{super().get_cache_key(name, filename)}".encode("utf-8")).hexdigest()

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:  # a full or read-only temp folder: the next brief compiles again
                pass

    try:
        return KeyedCache(pattern="__claimtrack_%s.cache")
    except (OSError, RuntimeError):  # no usable temp folder, or one another user owns
        return None


def _environment(kind: str):
    import jinja2

    finalize = _html_finalize if kind == "html" else md_escape
    options = dict(
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=kind == "html",
    )
    signature = {**options, "finalize": finalize.__qualname__, "jinja2": jinja2.__version__}
    common = dict(
        loader=jinja2.PackageLoader("claimtrack.views", "templates"),
        bytecode_cache=_bytecode_cache(kind, signature),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        **options,
    )
    env = jinja2.Environment(**common)
    if kind == "html":
        env.globals["when"] = _html_when
        env.globals["thread_map"] = _html_thread_map
        env.filters["css_string"] = _css_string
        env.filters["date"] = _html_date
    else:
        env.filters["url"] = md_url
        env.filters["raw"] = MdRaw
        env.filters["mdref"] = env.globals["mdref"] = _md_ref
        env.globals["other_issue"] = _md_other_issue
        env.globals["join_words"] = lambda items, last="and": MdRaw(join_words([md_escape(i) for i in items], last))
    env.globals.setdefault("when", when)
    env.globals.setdefault("join_words", join_words)
    env.globals.update(STATUSES=STATUSES, KINDS=KINDS, plural=plural, fmt_date=fmt_date, article=article)
    env.filters["one_line"] = one_line
    env.filters.setdefault("date", fmt_date)
    return env


def _html_date(value: str | None, inferred: bool = False, prefix: str = ""):
    """A date in HTML, kept on one line (a break inside 2025-11-05 reads badly); a line may
    still break before ' (inferred)'."""
    from markupsafe import Markup

    if not value:
        return prefix + fmt_date(value)
    span = _span(value)
    out = Markup('<span class="nw">%s</span>') % (prefix + clean(span.describe() if span is not None else value))
    return out + " (inferred)" if inferred else out


def _css_string(value: Any):
    """Data as a CSS string literal for the print header (`@page` margin boxes take only
    strings): every character as a six-digit CSS hex escape (a space too, since CSS eats one
    space after an escape), so nothing from the data can end the string, the rule or the
    <style> element, nor be read there as a word."""
    from markupsafe import Markup

    text = one_line(value)
    return Markup('"' + "".join(f"\\{ord(c):06x}" for c in text) + '"')


def _html_thread_map(steps, title: str, uid: str):
    """An exchange's SVG map (claimtrack.views.threadmap), inline: the map escapes every value itself."""
    from markupsafe import Markup

    from .threadmap import thread_map

    return Markup(thread_map(steps, title, uid))


def _html_when(value: str | None, inferred: bool = False):
    """when(), in HTML: 'on 2025-11-05', 'in 2025-11', 'on or before 2025-11-05', 'between A and B'."""
    span = _span(value) if value else None
    if span is None or not span.known:
        return when(value)
    return _html_date(value, inferred, _WHEN_LEAD.get(span.precision, ""))


def _html_finalize(value: Any) -> Any:
    """Data shown in HTML: control characters made visible (autoescape then escapes the rest)."""
    if value is None:
        return ""
    if isinstance(value, str) and not _UNSAFE.search(value):
        return value  # Markup included: it is passed on as it is
    return value if hasattr(value, "__html__") else clean(value)


_ENVS: dict[str, Any] = {}


def _template(kind: str, name: str):
    if kind not in _ENVS:
        _ENVS[kind] = _environment(kind)
    return _ENVS[kind].get_template(name)


def _ends_in_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


def render_markdown(brief: Brief) -> str:
    return _ends_in_newline(_template("md", "brief.md.j2").render(b=brief))


def render_html(brief: Brief) -> str:
    return _ends_in_newline(_template("html", "brief.html.j2").render(b=brief))


def brief_json(brief: Brief) -> str:
    return dumps(brief.to_dict())


def render_index_markdown(index: BriefIndex) -> str:
    return _ends_in_newline(_template("md", "index.md.j2").render(x=index))


def render_index_html(index: BriefIndex) -> str:
    return _ends_in_newline(_template("html", "index.html.j2").render(x=index))


def render_index_json(index: BriefIndex) -> str:
    return dumps(index.to_dict())


def render(brief: Brief, fmt: str) -> str:
    """The brief in one of FORMATS: md, html or json."""
    return {"md": render_markdown, "html": render_html, "json": brief_json}[fmt](brief)


def render_index(index: BriefIndex, fmt: str) -> str:
    return {"md": render_index_markdown, "html": render_index_html, "json": render_index_json}[fmt](index)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def dumps(obj: dict) -> str:
    """JSON, UTF-8 kept readable, every control or bidi character as a \\u escape; a final newline."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# --- writing ----------------------------------------------------------------------------------


def parse_day(value: str, last: bool) -> str:
    """A date as typed (YYYY, YYYY-MM or YYYY-MM-DD) as the first or last day it can mean.
    Raises ValueError for anything else."""
    import calendar
    import datetime as dt

    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value or "")
    if not m:
        raise ValueError(value)
    y, mo, d = m.groups()
    if d:
        return dt.date(int(y), int(mo), int(d)).isoformat()
    if mo:
        month = int(mo)
        dt.date(int(y), month, 1)
        return f"{y}-{mo}-{calendar.monthrange(int(y), month)[1] if last else 1:02d}"
    return f"{y}-12-31" if last else f"{y}-01-01"

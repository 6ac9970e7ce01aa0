"""The checker: one function per rule, each `check_x(root, dataset) -> list[Problem]`, all in CHECKS.

Loading problems (syntax, schema) come from the store; these rules look across files.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Callable

from .model import Dataset
from .problems import Problem, error, sort_problems, warning
from .quotes import SourceText
from .store import ACTORS_FILE, dataset_file, parse_yaml, body_sha256, claim_path, line_of, load_dataset, source_path
from .suggest.similarity import check_possible_duplicates


def _near(wanted: str, known, n: int = 3) -> str:
    close = difflib.get_close_matches(wanted, list(known), n=n, cutoff=0.5)
    return f" — did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _actors_raw(root: Path) -> dict:
    """actors.yaml as plain data, for the rules that need positions in the file (the models
    keep the first of two equal ids, so their order is not the file's)."""
    try:
        data = parse_yaml(dataset_file(root, ACTORS_FILE).read_text(encoding="utf-8"))
    except Exception:  # unreadable, a link out of the dataset, or bad YAML: the loader reports it
        return {}
    return data if isinstance(data, dict) else {}


def check_duplicate_ids(root: Path, ds: Dataset) -> list[Problem]:
    out: list[Problem] = []
    data = _actors_raw(root)
    for section in ("sides", "actors"):
        seen: set[str] = set()
        for i, item in enumerate(data.get(section) or []):
            ident = item.get("id") if isinstance(item, dict) else None
            if ident in seen:
                out.append(error(ACTORS_FILE, line_of(root, ACTORS_FILE, (section, i, "id")), "duplicate-id", f"{section[:-1]} id '{ident}' is used twice — give each a unique id"))
            seen.add(ident)
    return out


def check_actor_sides(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    position: dict[str, int] | None = None
    for actor in ds.actors.values():
        if actor.side not in ds.sides:
            if position is None:
                items = _actors_raw(root).get("actors") or []
                position = {a.get("id"): i for i, a in reversed(list(enumerate(items))) if isinstance(a, dict)}
            line = line_of(root, ACTORS_FILE, ("actors", position.get(actor.id, 0), "side"))
            out.append(error(ACTORS_FILE, line, "unknown-side", f"actor '{actor.id}' is on side '{actor.side}', which is not in sides{_near(actor.side, ds.sides)}"))
    return out


def check_claim_actors(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        if claim.by not in ds.actors:
            rel = claim_path(cid)
            out.append(error(rel, line_of(root, rel, ("by",)), "unknown-actor", f"unknown actor '{claim.by}'{_near(claim.by, ds.actors)} — add it to claims/actors.yaml or use a listed actor id"))
    return out


def check_links(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        for kind in ("rebuts", "supports", "supersedes"):
            for i, target in enumerate(getattr(claim, kind)):
                if target == cid:
                    out.append(error(rel, line_of(root, rel, (kind, i)), "self-link", f"the claim {kind} itself — link it to another claim"))
                elif target not in ds.claims:
                    out.append(error(rel, line_of(root, rel, (kind, i)), "unknown-claim", f"{kind} '{target}', which is no claim{_near(target, ds.claims)}"))
    return out


def check_supersedes_cycles(root: Path, ds: Dataset) -> list[Problem]:
    """Depth-first search with colours; each cycle is reported once, at its smallest claim id."""
    out: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in ds.claims[node].supersedes:
            if nxt not in ds.claims or nxt == node:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    first = min(cycle)
                    at = cycle.index(first)
                    ordered = cycle[at:] + cycle[:at] + [first]
                    rel = claim_path(first)
                    out.append(error(rel, line_of(root, rel, ("supersedes",)), "supersedes-cycle", f"supersedes forms a cycle: {' -> '.join(ordered)} — a position cannot replace one that replaces it"))
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    import sys

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for start in ds.claims:
        if start not in state:
            visit(start, [])
    return out


def check_supersedes_sides(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        mine = ds.actors.get(claim.by)
        for i, target in enumerate(claim.supersedes):
            other = ds.claims.get(target)
            theirs = ds.actors.get(other.by) if other else None
            if mine and theirs and mine.side != theirs.side:
                rel = claim_path(cid)
                out.append(warning(rel, line_of(root, rel, ("supersedes", i)), "supersedes-other-side", f"supersedes '{target}', a claim of side '{theirs.side}' (this one is '{mine.side}') — use rebuts for an answer from another side"))
    return out


def check_citations(root: Path, ds: Dataset) -> list[Problem]:
    """Every quote is in its source. Sources are prepared one at a time, so memory stays flat."""
    out = []
    by_source: dict[str, list[tuple[str, int, str]]] = {}
    for cid, claim in ds.claims.items():
        for i, cit in enumerate(claim.citations):
            by_source.setdefault(cit.source, []).append((cid, i, cit.quote))
    for source_id, cites in by_source.items():
        source = ds.sources.get(source_id)
        if source is None:
            if not (root / source_path(source_id)).exists():  # a source that failed to load is reported already
                for cid, i, _ in cites:
                    rel = claim_path(cid)
                    out.append(error(rel, line_of(root, rel, ("citations", i, "source")), "unknown-source", f"unknown source '{source_id}'{_near(source_id, ds.sources)} — archive it with 'claimtrack source add' or fix the id"))
            continue
        text = SourceText(source.body)
        for cid, i, quote in cites:
            if text.anchor(quote) is None:
                best = text.closest(quote, limit=1)
                hint = f' — the closest passage is: "{best[0][1]}"' if best else ""
                rel = claim_path(cid)
                out.append(error(rel, line_of(root, rel, ("citations", i, "quote")), "quote-not-found", f"quote not found in source '{source_id}'{hint}"))
    return out


def check_source_hashes(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    for sid, source in ds.sources.items():
        actual = body_sha256(source.body)
        if actual != source.meta.sha256:
            rel = source_path(sid)
            out.append(error(rel, line_of(root, rel, ("sha256",)), "sha256-mismatch", f"the body's sha256 is {actual}, not the recorded one: the archived text changed — restore it, or if the change is intended set sha256 to the new value"))
    return out


def check_dates(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    today = dt.date.today()
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        if claim.said_on.earliest > today:
            out.append(error(rel, line_of(root, rel, ("said_on",)), "future-date", f"said_on {claim.said_on.value} is in the future — give the date it was said"))
        previous = None
        for i, change in enumerate(claim.history):
            if change.on.earliest > today:
                out.append(error(rel, line_of(root, rel, ("history", i, "on")), "future-date", f"history date {change.on.value} is in the future"))
            if previous and change.on.earliest < previous:
                out.append(warning(rel, line_of(root, rel, ("history", i, "on")), "history-order", "history is not in date order — list status changes oldest first"))
            if change.on.earliest < claim.said_on.earliest:
                out.append(warning(rel, line_of(root, rel, ("history", i, "on")), "history-before-claim", f"history date {change.on.value} is before the claim was said ({claim.said_on.value})"))
            previous = change.on.earliest
    return out


def check_status_history(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        if claim.history and claim.history[-1].status != claim.status:
            out.append(warning(rel, line_of(root, rel, ("status",)), "status-history", f"status is '{claim.status}' but the last history entry says '{claim.history[-1].status}' — add a dated history entry for the change"))
        elif not claim.history and claim.status != "asserted":
            out.append(warning(rel, line_of(root, rel, ("status",)), "assessment-without-history", f"status '{claim.status}' has no history saying why — add a history entry with a date and a note"))
    return out


def check_status_links(root: Path, ds: Dataset) -> list[Problem]:
    out = []
    rebutted_by: dict[str, list[str]] = {}
    superseded_by: dict[str, list[str]] = {}
    for cid, claim in ds.claims.items():
        for target in claim.rebuts:
            rebutted_by.setdefault(target, []).append(cid)
        for target in claim.supersedes:
            superseded_by.setdefault(target, []).append(cid)
    for cid, claim in ds.claims.items():
        found = []
        if claim.status == "asserted" and cid in rebutted_by:
            found.append(f"status is 'asserted' but {', '.join(rebutted_by[cid])} rebuts it — set 'disputed' (claimtrack status {cid} disputed --note ...)")
        if claim.status == "superseded" and cid not in superseded_by:
            found.append("status is 'superseded' but no claim supersedes it — link the later position with supersedes")
        if cid in superseded_by and claim.status not in ("superseded", "retracted"):
            found.append(f"{', '.join(superseded_by[cid])} supersedes it but its status is '{claim.status}' — set 'superseded'")
        if found:  # the line is looked up (a second parse) only for a claim that has a problem
            rel = claim_path(cid)
            line = line_of(root, rel, ("status",))
            out += [warning(rel, line, "status-contradicts-links", message) for message in found]
    return out


CHECKS: list[Callable[[Path, Dataset], list[Problem]]] = [
    check_duplicate_ids,
    check_actor_sides,
    check_claim_actors,
    check_links,
    check_supersedes_cycles,
    check_supersedes_sides,
    check_citations,
    check_source_hashes,
    check_dates,
    check_status_history,
    check_status_links,
    check_possible_duplicates,
]


def run_checks(root: Path, ds: Dataset) -> list[Problem]:
    out: list[Problem] = []
    for rule in CHECKS:
        out += rule(root, ds)
    return out


def check_dataset(root: Path, progress: Callable[[int, int], None] | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and check everything under `root`: the dataset, and every problem sorted by place."""
    ds, problems = load_dataset(root, progress)
    return ds, sort_problems(problems + run_checks(root, ds))

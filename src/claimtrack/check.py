"""The checker: one function per rule, each `check_x(dataset) -> list[Problem]`, all in CHECKS.

Loading problems (syntax, schema) come from the store; these rules look across files. A rule
reads no file: what it needs of them (the line of a key, whether a file exists, the digest of a
kept original page, actors.yaml as parsed) is the dataset's locator (store.Locator), filled by
the loader, or by a write with the files it is about to write.
"""

from __future__ import annotations

import datetime as dt
import difflib
from contextvars import ContextVar
from pathlib import Path
from typing import Callable

from .model import LINK_TYPES, Dataset
from .problems import Problem, error, sort_problems, warning
from .quotes import SourceText, closest_hint
from .store import ACTORS_FILE, Locator, body_sha256, claim_path, load_dataset, original_path, parse_yaml, source_path
from .similarity import check_possible_duplicates
from .lint import check_not_attributive, check_verdict_in_note


def _near(wanted: str, known, n: int = 3) -> str:
    close = difflib.get_close_matches(wanted, list(known), n=n, cutoff=0.5)
    return f" — did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def check_duplicate_ids(ds: Dataset) -> list[Problem]:
    out: list[Problem] = []
    data = ds.locator.actors_data
    for section in ("sides", "actors"):
        seen: set[str] = set()
        for i, item in enumerate(data.get(section) or []):
            ident = item.get("id") if isinstance(item, dict) else None
            if ident in seen:
                out.append(error(ACTORS_FILE, ds.locator.line(ACTORS_FILE, (section, i, "id")), "duplicate-id", f"{section[:-1]} id '{ident}' is used twice — give each a unique id"))
            seen.add(ident)
    return out


SIDELESS_KINDS = ("third-party", "outlet")


def check_actor_sides(ds: Dataset) -> list[Problem]:
    out = []
    position: dict[str, int] | None = None
    for actor in ds.actors.values():
        if actor.side is None and actor.kind in SIDELESS_KINDS:
            continue
        if actor.side is None or actor.side not in ds.sides:
            if position is None:
                items = ds.locator.actors_data.get("actors") or []
                position = {a.get("id"): i for i, a in reversed(list(enumerate(items))) if isinstance(a, dict)}
            at = position.get(actor.id, 0)
            if actor.side is None:
                line = ds.locator.line(ACTORS_FILE, ("actors", at))
                out.append(error(ACTORS_FILE, line, "missing-side", f"actor '{actor.id}' ({actor.kind}) has no side — give it one of: {', '.join(ds.sides)}; only a third-party or an outlet may have none"))
                continue
            line = ds.locator.line(ACTORS_FILE, ("actors", at, "side"))
            out.append(error(ACTORS_FILE, line, "unknown-side", f"actor '{actor.id}' is on side '{actor.side}', which is not in sides{_near(actor.side, ds.sides)}"))
    return out


def check_claim_actors(ds: Dataset) -> list[Problem]:
    """A claim's `by` is an actor; one whose entry in actors.yaml is broken is reported there, once."""
    out = []
    listed: set[str] | None = None
    for cid, claim in ds.claims.items():
        if claim.by not in ds.actors:
            if listed is None:
                items = ds.locator.actors_data.get("actors")
                listed = {a.get("id") for a in items if isinstance(a, dict)} if isinstance(items, list) else set()
            if claim.by in listed:
                continue
            rel = claim_path(cid)
            out.append(error(rel, ds.locator.line(rel, ("by",)), "unknown-actor", f"unknown actor '{claim.by}'{_near(claim.by, ds.actors)} — add it to claims/actors.yaml or use a listed actor id"))
    return out


def check_links(ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        for kind in LINK_TYPES:
            for i, target in enumerate(claim.targets(kind)):
                if target == cid:
                    out.append(error(rel, ds.locator.line(rel, (kind, i)), "self-link", f"the claim {kind} itself — link it to another claim"))
                elif target not in ds.claims and not ds.locator.exists(claim_path(target)):  # a claim file with errors is reported already
                    out.append(error(rel, ds.locator.line(rel, (kind, i)), "unknown-claim", f"{kind} '{target}', which is no claim{_near(target, ds.claims)}"))
        if claim.after is not None:
            if claim.after == cid:
                out.append(error(rel, ds.locator.line(rel, ("after",)), "self-link", "the claim is 'after' itself — name the claim it was said after"))
            elif claim.after not in ds.claims and not ds.locator.exists(claim_path(claim.after)):
                out.append(error(rel, ds.locator.line(rel, ("after",)), "unknown-claim", f"after '{claim.after}', which is no claim{_near(claim.after, ds.claims)}"))
    return out


def check_targets(ds: Dataset) -> list[Problem]:
    """`against` and `answers.against` name a side or an actor of the dataset."""
    out = []
    known = {**ds.sides, **ds.actors}
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        wanted = [(("against", i), t) for i, t in enumerate(claim.against)]
        wanted += [(("answers", i, "against"), a.against) for i, a in enumerate(claim.answers)]
        for key, target in wanted:
            if target not in known:
                out.append(error(rel, ds.locator.line(rel, key), "unknown-target", f"'{target}' is neither a side nor an actor{_near(target, known)} — use an id from claims/actors.yaml"))
    return out


def check_supersedes_cycles(ds: Dataset) -> list[Problem]:
    """Depth-first search with colours; each cycle is reported once, at its smallest claim id."""
    out: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in ds.claims[node].targets("supersedes"):
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
                    out.append(error(rel, ds.locator.line(rel, ("supersedes",)), "supersedes-cycle", f"supersedes forms a cycle: {' -> '.join(ordered)} — a position cannot replace one that replaces it"))
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


def check_supersedes_sides(ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        mine = ds.actors.get(claim.by)
        for i, target in enumerate(claim.targets("supersedes")):
            other = ds.claims.get(target)
            theirs = ds.actors.get(other.by) if other else None
            if mine and theirs and mine.side and theirs.side and mine.side != theirs.side:
                rel = claim_path(cid)
                out.append(warning(rel, ds.locator.line(rel, ("supersedes", i)), "supersedes-other-side", f"supersedes '{target}', a claim of side '{theirs.side}' (this one is '{mine.side}') — use rebuts for an answer from another side"))
    return out


def _citations_by_source(ds: Dataset) -> dict[str, list[tuple[str, int, str]]]:
    """(claim id, citation index, quote) of every citation, by the source it cites."""
    by_source: dict[str, list[tuple[str, int, str]]] = {}
    for cid, claim in ds.claims.items():
        for i, cit in enumerate(claim.citations):
            by_source.setdefault(cit.source, []).append((cid, i, cit.quote))
    return by_source


class _NotFound(str):
    """A quote that is not in its source: the end of its message (the closest passage), "" when
    there is none."""


# The quote search of one run of the rules, shared by check_citations and check_quotes_exact:
# set by run_checks for the length of the run (the dataset does not change during it).
_RUN: ContextVar[dict | None] = ContextVar("claimtrack_quote_search", default=None)


def quote_search(ds: Dataset) -> dict[tuple[str, int], str]:
    """Every quote of a loaded source looked for once; by (claim id, citation index), the
    source's own text of a quote found only after normalising (quote marks, dashes, spacing),
    a _NotFound for one that is not there. A quote found as it is written is not listed (nor
    one of a source not loaded): at 100,000 claims that is 180,000 entries not kept.

    Sources are prepared one at a time and let go, so memory stays flat whatever the size, and
    each source's body is normalised once for all the quotes that cite it."""
    from .quotes import as_stored

    run = _RUN.get()
    if run is not None and run.get("ds") is ds:
        return run["found"]
    found: dict[tuple[str, int], str] = {}
    for source_id, cites in _citations_by_source(ds).items():
        source = ds.sources.get(source_id)
        if source is None:
            continue
        text = SourceText(source.body)
        for cid, i, quote in cites:
            anchor = text.anchor(quote)
            if anchor is None:
                best = text.closest(quote, limit=1)
                found[cid, i] = _NotFound(closest_hint(quote, best[0][1]) if best else "")
                continue
            exact = as_stored(anchor.exact)
            if exact != quote.strip():
                found[cid, i] = exact
    if run is not None:
        run["ds"], run["found"] = ds, found
    return found


def check_citations(ds: Dataset) -> list[Problem]:
    """Every quote is in its source (quote_search)."""
    out = []
    found = quote_search(ds)
    for source_id, cites in _citations_by_source(ds).items():
        if source_id not in ds.sources:
            if not ds.locator.exists(source_path(source_id)):  # a source that failed to load is reported already
                for cid, i, _ in cites:
                    rel = claim_path(cid)
                    out.append(error(rel, ds.locator.line(rel, ("citations", i, "source")), "unknown-source", f"unknown source '{source_id}'{_near(source_id, ds.sources)} — archive it with 'claimtrack source add' or fix the id"))
            continue
        for cid, i, _ in cites:
            hint = found.get((cid, i))
            if isinstance(hint, _NotFound):
                rel = claim_path(cid)
                out.append(error(rel, ds.locator.line(rel, ("citations", i, "quote")), "quote-not-found", f"quote not found in source '{source_id}'{hint}"))
    return out


def check_source_hashes(ds: Dataset) -> list[Problem]:
    out = []
    for sid, source in ds.sources.items():
        actual = body_sha256(source.body)
        if actual != source.meta.sha256:
            rel = source_path(sid)
            out.append(error(rel, ds.locator.line(rel, ("sha256",)), "sha256-mismatch", f"the body's sha256 is {actual}, not the recorded one: the archived text changed — restore it, or if the change is intended set sha256 to the new value"))
    return out


def _after_today(date, today: dt.date) -> bool:
    return date.earliest is not None and date.earliest > today


def check_dates(ds: Dataset) -> list[Problem]:
    out = []
    today = dt.date.today()
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        said = claim.said_on
        if _after_today(said, today):
            out.append(error(rel, ds.locator.line(rel, ("said_on",)), "future-date", f"said_on {said.value} is in the future — give the date it was said"))
        previous = None
        for i, change in enumerate(claim.history):
            if _after_today(change.on, today):
                out.append(error(rel, ds.locator.line(rel, ("history", i, "on")), "future-date", f"history date {change.on.value} is in the future"))
            if previous and change.on.sort_key < previous:
                out.append(warning(rel, ds.locator.line(rel, ("history", i, "on")), "history-order", "history is not in date order — list status changes oldest first"))
            if change.on.latest and said.earliest and change.on.latest < said.earliest:
                out.append(warning(rel, ds.locator.line(rel, ("history", i, "on")), "history-before-claim", f"history date {change.on.value} is before the claim was said ({said.value})"))
            previous = change.on.sort_key
        for i, cit in enumerate(claim.citations):
            if cit.reported_on is not None and _after_today(cit.reported_on, today):
                out.append(error(rel, ds.locator.line(rel, ("citations", i, "reported_on")), "future-date", f"reported_on {cit.reported_on.value} is in the future"))
    return out


def check_answer_dates(ds: Dataset) -> list[Problem]:
    """A rebuttal cannot be said before the claim it answers: warn where the dates say it was
    (its latest possible day before the other's earliest possible day)."""
    out = []
    for cid, claim in ds.claims.items():
        mine = claim.said_on
        for target in claim.targets("rebuts"):
            other = ds.claims.get(target)
            if other is None or mine.latest is None or other.said_on.earliest is None:
                continue
            if mine.latest < other.said_on.earliest:
                rel = claim_path(cid)
                out.append(warning(rel, ds.locator.line(rel, ("said_on",)), "answer-before-claim",
                                   f"said_on {mine.value} is before '{target}' was said ({other.said_on.value}), which it rebuts — "
                                   "give the date a range the text supports (e.g. ../DATE for 'in the past'), or check the link"))
    return out


def check_citation_dates(ds: Dataset) -> list[Problem]:
    """Sources that date one claim differently: their reported_on dates cannot be the same day,
    or one cannot fall within said_on."""
    out = []
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        dated = [(i, c.reported_on) for i, c in enumerate(claim.citations) if c.reported_on is not None]
        said = claim.said_on.span
        for n, (i, date) in enumerate(dated):
            span = date.span
            if not span.overlaps(said):
                out.append(warning(rel, ds.locator.line(rel, ("citations", i, "reported_on")), "conflicting-dates",
                                   f"citation {i + 1} dates the claim {date.value}, outside said_on {claim.said_on.value} — widen said_on to cover every source's date"))
            for j, other in dated[:n]:
                if not span.overlaps(other.span):
                    out.append(warning(rel, ds.locator.line(rel, ("citations", i, "reported_on")), "conflicting-dates",
                                       f"citation {i + 1} dates the claim {date.value}, citation {j + 1} {other.value}: the sources disagree — keep both, and make said_on a range covering both"))
    return out


def check_provenance(ds: Dataset) -> list[Problem]:
    """The old `via` mixed the channel with the chain of intermediaries: say which it was."""
    out = []
    for cid, claim in ds.claims.items():
        for i, cit in enumerate(claim.citations):
            if cit.via and not cit.reported_by:
                rel = claim_path(cid)
                out.append(warning(rel, ds.locator.line(rel, ("citations", i, "via")), "second-hand-without-chain",
                                   f"via '{cit.via}' (the old spelling) says the claim came through someone, but reported_by is empty — "
                                   "put intermediaries in reported_by: [...] and how it was said in channel:, then remove via (docs/format.md)"))
    return out


def check_quotes_exact(ds: Dataset) -> list[Problem]:
    """A quote is stored as the source's own characters; one found only after normalising (other
    quote marks, dashes, spacing) is warned about, and `check --fix` rewrites it."""
    return [p for p, _ in quotes_to_store(ds)]


def quotes_to_store(ds: Dataset) -> list[tuple[Problem, tuple[str, int, str]]]:
    """(warning, (claim id, citation index, the source's own text)) for every inexact quote."""
    out = []
    found = quote_search(ds)
    for cid, claim in ds.claims.items():
        for i in range(len(claim.citations)):
            exact = found.get((cid, i))
            if exact is not None and not isinstance(exact, _NotFound):
                rel = claim_path(cid)
                problem = warning(rel, ds.locator.line(rel, ("citations", i, "quote")), "quote-not-exact",
                                  f"the quote differs from the source's own characters (\"{exact}\") — run 'claimtrack check --fix' to store them")
                out.append((problem, (cid, i, exact)))
    return out


def check_sources(ds: Dataset) -> list[Problem]:
    """copy_of names another archived source; a kept original page matches its sha256."""
    out = []
    for sid, source in ds.sources.items():
        rel = source_path(sid)
        meta = source.meta
        if meta.copy_of is not None:
            if meta.copy_of == sid:
                out.append(error(rel, ds.locator.line(rel, ("copy_of",)), "self-link", "copy_of names the source itself — name the source it copies"))
            elif meta.copy_of not in ds.sources:
                out.append(error(rel, ds.locator.line(rel, ("copy_of",)), "unknown-source", f"copy_of '{meta.copy_of}', which is no source{_near(meta.copy_of, ds.sources)}"))
        actual = ds.locator.originals.get(sid)  # the kept page's sha256, None when there is none
        if meta.original_sha256 is not None:
            if actual is None:
                out.append(error(rel, ds.locator.line(rel, ("original_sha256",)), "missing-file", f"original_sha256 is set but {original_path(sid)} is missing — restore the page, or remove original_sha256"))
            elif actual != meta.original_sha256:
                out.append(error(rel, ds.locator.line(rel, ("original_sha256",)), "sha256-mismatch", f"{original_path(sid)} has sha256 {actual}, not the recorded one: the kept page changed — restore it"))
        elif actual is not None:
            out.append(warning(original_path(sid), 0, "stray-file", f"an original page with no original_sha256 in {rel} — record its sha256 there, or remove it"))
    return out


def check_status_history(ds: Dataset) -> list[Problem]:
    out = []
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        if claim.history and claim.history[-1].status != claim.status:
            out.append(warning(rel, ds.locator.line(rel, ("status",)), "status-history", f"status is '{claim.status}' but the last history entry says '{claim.history[-1].status}' — add a dated history entry for the change"))
        elif not claim.history and claim.status != "asserted":
            out.append(warning(rel, ds.locator.line(rel, ("status",)), "assessment-without-history", f"status '{claim.status}' has no history saying why — add a history entry with a date and a note"))
    return out


def check_status_links(ds: Dataset) -> list[Problem]:
    out = []
    rebutted_by: dict[str, list[str]] = {}
    superseded_by: dict[str, list[str]] = {}
    for cid, claim in ds.claims.items():
        for target in claim.targets("rebuts"):
            rebutted_by.setdefault(target, []).append(cid)
        for target in claim.targets("supersedes"):
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
            line = ds.locator.line(rel, ("status",))
            out += [warning(rel, line, "status-contradicts-links", message) for message in found]
    return out


CHECKS: list[Callable[[Dataset], list[Problem]]] = [
    check_duplicate_ids,
    check_actor_sides,
    check_claim_actors,
    check_links,
    check_targets,
    check_supersedes_cycles,
    check_supersedes_sides,
    check_citations,
    check_source_hashes,
    check_dates,
    check_answer_dates,
    check_citation_dates,
    check_provenance,
    check_quotes_exact,
    check_sources,
    check_status_history,
    check_status_links,
    check_possible_duplicates,
    check_not_attributive,
    check_verdict_in_note,
]

# The rules that look from one claim to other files: run also on what can be read of a claim that
# failed its schema, so that a bad `kind` does not hide a bad `by` until it is fixed.
CLAIM_RULES = (check_claim_actors, check_links, check_targets, check_citations, check_quotes_exact, check_dates)


def run_checks(root: Path, ds: Dataset) -> list[Problem]:
    """Every rule of CHECKS on `ds`, located with its locator. `root` is where the dataset's files
    are: a dataset whose locator is not of those files (one built in memory, or loaded elsewhere)
    is located in the files under `root` as they are (store.load_dataset's locator)."""
    ds = _located_in(Path(root), ds)
    out: list[Problem] = []
    run = _RUN.set({})  # the quotes are looked for once, for both rules that need them
    try:
        for rule in CHECKS:
            out += rule(ds)
    finally:
        _RUN.reset(run)
    return out


def _located_in(root: Path, ds: Dataset) -> Dataset:
    locator = ds.locator
    if isinstance(locator, Locator) and locator.root == root:
        return ds
    located = ds.model_copy()
    located.locator = load_dataset(root)[0].locator
    return located


def partial_claim(text: str, claim_id: str):
    """The fields of an invalid claim file that are valid one by one, as a Claim built without
    validation (fields that are missing or invalid are absent or their defaults); None when
    the file is no mapping. Only for the cross-file rules: never indexed, never written."""
    from pydantic import TypeAdapter, ValidationError

    from .model import Claim

    try:
        data = parse_yaml(text)
    except Exception:  # bad YAML is reported by the loader, and leaves nothing to read
        return None
    if not isinstance(data, dict):
        return None
    values = {}
    for name, field in Claim.model_fields.items():
        if name not in data or name == "id":
            continue
        try:
            values[name] = TypeAdapter(field.rebuild_annotation()).validate_python(data[name])
        except ValidationError:
            continue
    return Claim.model_construct(id=claim_id, **values)


def check_unreadable_claims(ds: Dataset, problems: list[Problem]) -> list[Problem]:
    """CLAIM_RULES on the readable part of each claim file that failed validation (its text is
    the locator's); a rule that needs a field the file lacks (or has wrong) is skipped for it:
    that field is reported already."""
    from .paths import is_id
    from .store import load_claim_text

    broken = sorted({p.path for p in problems if p.severity == "error" and p.path.startswith("claims/")
                     and p.path.endswith(".yaml") and p.path.count("/") == 2 and p.path != ACTORS_FILE})
    out: list[Problem] = []
    for rel in broken:
        cid = rel[len("claims/"):-len(".yaml")]
        if cid in ds.claims or not all(is_id(part) for part in cid.split("/")):
            continue  # valid after all, or a file named as no id (reported: bad-id)
        if any(p.path == rel and p.code in ("symlink-outside", "unreadable", "bad-encoding", "bad-yaml", "duplicate-key") for p in problems):
            continue  # not read, or nothing to read: the loader said why
        text = ds.locator.read(rel)
        if text is None or load_claim_text(cid, text)[0] is not None:
            continue  # not read (the loader said why), or valid after all
        claim = partial_claim(text, cid)
        if claim is None:
            continue
        alone = ds.model_copy(update={"claims": {cid: claim}})
        for rule in CLAIM_RULES:
            try:
                found = rule(alone)
            except AttributeError:  # a field the rule needs is missing or invalid, and reported
                continue
            out += [p for p in found if p.path == rel]
    return out


def check_dataset(root: Path, progress: Callable[[int, int], None] | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and check everything under `root`: the dataset, and every problem sorted by place,
    each once (the rules on a file's readable part add only what its schema errors did not say)."""
    ds, problems = load_dataset(root, progress)
    found = problems + run_checks(root, ds) + check_unreadable_claims(ds, problems)
    return ds, sort_problems(list(dict.fromkeys(found)))

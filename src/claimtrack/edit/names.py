"""The loose names a user types (an alias, a claim's name without its issue, an outlet and a
date) turned into ids over a loaded Dataset, through the one resolver (resolve.py): a miss
suggests the same nearest names as the read commands do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model import KINDS, LINK_TYPES, STATUSES, Dataset, Source
from ..resolve import did_you_mean, lookup, source_names
from ..store import claim_path, load_dataset
from .inputs import (
    SLUG,
    STOPWORDS,
    Cite,
    ClaimDraft,
    InputError,
    check_actor,
    check_choice,
    check_id,
    check_quote,
    check_side,
    parse_date,
    slugify,
)


def _resolved(kind: str, m, hint: str, describe=lambda i: i, miss: str = "unknown {kind} '{wanted}'") -> str:
    """The id a resolve.Match found, or an InputError listing the ids to choose from, or the nearest."""
    if m.id is not None:
        return m.id
    if m.ambiguous:
        shown = "; ".join(describe(i) for i in m.ambiguous[:8]) + (f"; and {len(m.ambiguous) - 8} more" if len(m.ambiguous) > 8 else "")
        raise InputError(f"'{m.wanted}' fits more than one {kind}: {shown} — give more of it, or the id")
    raise InputError(f"{miss.format(kind=kind, wanted=m.wanted)} — {did_you_mean(m.near)}{hint}")


def find_issue(ds: Dataset, wanted: str) -> str:
    """An issue id from an id, a title or a unique prefix of either (resolve.py)."""

    m = lookup(wanted.strip(), [(i, [issue.title]) for i, issue in ds.issues.items()])
    return _resolved("issue", m, f"use one of the issue ids ({', '.join(sorted(ds.issues)) or 'none yet'}), or start a new issue in the guided flow (claimtrack add)",
                     miss="no issue '{wanted}'")


def find_actor(ds: Dataset, wanted: str) -> str:
    """An actor id from an id, a name or an alias, a unique prefix of one, or a surname (resolve.py)."""

    m = lookup(wanted.strip(), [(a.id, [a.name, *a.aliases]) for a in ds.actors.values()])
    return _resolved("actor", m, "give an actor id, name or alias from claims/actors.yaml, or add the actor there first",
                     lambda i: f"{i} ({ds.actors[i].name})")


def find_source(ds: Dataset, wanted: str) -> Source:
    """A source from its id, a unique prefix of it, or its outlet and date (`arab-news 2025-11-05`)."""
    from ..model import meta_text

    def names(s: Source) -> list[str]:
        return source_names(meta_text(s.meta.outlet), s.meta.published.value if s.meta.published else None)

    m = lookup(wanted.strip(), [(sid, names(s)) for sid, s in ds.sources.items()], words=False)

    def describe(sid: str) -> str:
        s = ds.sources[sid]
        return f"{sid} ({meta_text(s.meta.outlet)}, {s.meta.published.value if s.meta.published else 'undated'}: {s.meta.title})"

    return ds.sources[_resolved("source", m, "archive it first with 'claimtrack source add FILE', then cite the id it prints "
                                "('claimtrack source list' lists them)", describe)]


def find_claim(ds: Dataset, wanted: str, issue: str | None = None, role: str | None = None) -> str:
    """A claim id from a full id, or from a name alone (looked up in `issue` first, then anywhere),
    or a unique prefix of either (resolve.py)."""

    wanted = wanted.strip()
    if wanted in ds.claims:
        return wanted
    if "/" not in wanted:
        if issue and f"{issue}/{wanted}" in ds.claims:
            return f"{issue}/{wanted}"
        hits = [cid for cid in ds.claims if cid.split("/", 1)[1] == wanted]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise InputError(f"'{wanted}' is the name of claims in several issues ({', '.join(hits)}) — give the full id <issue>/<name>")
    m = lookup(wanted, [(cid, [cid.split("/", 1)[1]]) for cid in ds.claims], words=False)
    if m.id is not None:
        return m.id
    if m.ambiguous:
        raise InputError(f"'{wanted}' fits more than one claim: {', '.join(m.ambiguous[:8])}{' …' if len(m.ambiguous) > 8 else ''} — give more of the id")
    what = f"{role} '{wanted}': no such claim" if role else f"no claim '{wanted}'"
    raise InputError(f"{what} — {did_you_mean(list(m.near))}a claim id is <issue>/<name>, from the file claims/<issue>/<name>.yaml")



def resolve_draft(ds: Dataset, draft: ClaimDraft, today: dt.date | None = None) -> ClaimDraft:
    """The draft with ids resolved and every input checked; InputError says what is wrong."""
    statement = " ".join((draft.statement or "").split())
    if not statement:
        raise InputError("the statement is empty — write one neutral, attributive sentence (who said what), e.g. --statement \"X said that ...\"")
    if draft.new_issue is not None:
        check_id("issue", draft.new_issue.id)
        if draft.new_issue.id in ds.issues:
            raise InputError(f"the issue '{draft.new_issue.id}' exists already — pick it instead of starting a new one")
        issue = draft.new_issue.id
    else:
        issue = find_issue(ds, draft.issue)
    if draft.new_actor is not None:
        check_id("actor", draft.new_actor.id)
        if draft.new_actor.id in ds.actors:
            raise InputError(f"the actor id '{draft.new_actor.id}' is taken — choose another, or pick that actor")
        if draft.new_side is not None:
            check_side(ds, draft.new_side)
        sides = set(ds.sides) | ({draft.new_side.id} if draft.new_side else set())
        check_actor(ds, draft.new_actor, sides)
        by = draft.new_actor.id
    else:
        by = find_actor(ds, draft.by)
    kind = check_choice(draft.kind, KINDS, "kind")
    status = check_choice(draft.status, STATUSES, "status")
    said_on = parse_date(draft.said_on, draft.said_on_note, "said_on", today)
    if not draft.citations:
        raise InputError("a claim needs at least one citation — give --cite SOURCE --quote TEXT")
    cites = []
    for cite in draft.citations:
        source = find_source(ds, cite.source)
        stored = check_quote(source, cite.quote)
        if cite.reported_on:
            parse_date(cite.reported_on, cite.reported_on_note, "reported_on", today)
        cites.append(Cite(source.id, stored, cite.via or None, cite.note or None, cite.channel or None,
                          [r for r in cite.reported_by if r.strip()], cite.reported_on or None, cite.reported_on_note,
                          typed=None if stored == " ".join(cite.quote.split()) else cite.quote))
    links = {}
    for link_type in LINK_TYPES:
        targets = [find_claim(ds, t, issue, f"--{link_type}") for t in getattr(draft, link_type)]
        links[link_type] = list(dict.fromkeys(targets))
    name = draft.name
    if name is not None and not SLUG.match(name):
        raise InputError(f"'{name}' is not a valid claim name — use lower-case letters, digits and hyphens")
    return ClaimDraft(
        issue=issue, by=by, kind=kind, said_on=said_on.value, said_on_note=said_on.note if said_on.inferred else None,
        statement=statement, citations=cites, status=status, note=draft.note, tags=list(draft.tags), name=name,
        new_issue=draft.new_issue, new_actor=draft.new_actor, new_side=draft.new_side, keep_status=draft.keep_status, **links,
    )


def claim_name(ds: Dataset, root: Path, issue: str, draft: ClaimDraft) -> str:
    """A free file name in the issue: the draft's, or one from the statement; -2, -3... if taken.

    A name made from the statement ends with four hex digits of a hash of who said what, when: two
    people adding different claims in two clones of one dataset get different files even when the
    statements begin alike, so their branches merge without an add/add conflict; the same claim
    added twice gets the same name, and git shows it as the conflict it is."""
    if draft.name:
        base = draft.name
    else:
        import hashlib

        said = "\x1f".join((issue, draft.by, draft.said_on, " ".join(draft.statement.split())))
        base = f"{slugify(draft.statement, stop=STOPWORDS) or 'claim'}-{hashlib.sha256(said.encode('utf-8', 'surrogatepass')).hexdigest()[:4]}"
    name, n = base, 1
    while f"{issue}/{name}" in ds.claims or (root / claim_path(f"{issue}/{name}")).exists():
        n += 1
        name = f"{base}-{n}"
    return name



def resolve_claim(root: Path, claim: str) -> str:
    """The id of a claim to edit: one whose file does not load yet counts too (editing mends it).

    Only an id names a file (`../x` is refused by claim_path, a glob character never reaches
    glob), and a file reached through a link out of the dataset is refused (LeavesDataset), as
    is a claim file that is itself a link (LinkedFile: a save would have to write through it)."""
    import os

    from ..paths import LinkedFile, dataset_file, is_id, shown

    claim = claim.strip().removesuffix(".yaml").removeprefix("claims/")
    found = None
    if "/" in claim:
        if dataset_file(root, claim_path(claim)).is_file():
            found = claim
    elif is_id(claim):
        hits = sorted(p.parent.name for p in (root / "claims").glob(f"*/{claim}.yaml") if is_id(p.parent.name))
        if len(hits) == 1:
            found = f"{hits[0]}/{claim}"
    if found is None:
        ds, _ = load_dataset(root)
        found = find_claim(ds, claim)
    path = dataset_file(root, claim_path(found))
    if path.is_symlink():  # refused before the editor opens, not after the user's work
        raise LinkedFile(f"{claim_path(found)} is a symbolic link (to {shown(os.path.realpath(path))}) — claimtrack does not "
                         "write through links; edit the file it points to, or replace the link with a copy")
    return found

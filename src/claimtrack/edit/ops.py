"""The writes: a new claim, side, actor, issue or citation, a status change, a link added or
removed, the quotes restored, an edited file saved. Each is a small function over one
Transaction (transaction.py): resolve the input (names.py, inputs.py), stage whole file texts
emitted by yamlout.py, commit. Nothing here writes a file or takes the lock itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from ..model import LINK_TYPES, STATUSES, Dataset, FuzzyDate
from ..problems import Problem
from ..store import ACTORS_FILE, claim_path, issue_path
from .inputs import Cite, ClaimDraft, InputError, NewActor, NewIssue, NewSide, StatusFollow, WriteResult, check_actor, check_choice, check_new_issue, check_quote, check_side, parse_date
from .names import claim_name, find_claim, find_source, resolve_draft
from .transaction import ChangedOnDisk, Transaction
from .yamlout import _insert_in_order, actors_with, citation_entry, claim_yaml, flow_list, history_entry, issue_yaml, link_entry, quoted, rewrite_yaml, sides_with


# ---------------------------------------------------------------------------- the writes


def add_claim(root: Path, draft: ClaimDraft, today: dt.date | None = None) -> WriteResult:
    """Write a new claim (and the new issue or actor it starts, if any)."""
    with Transaction(root) as tx:
        ready = resolve_draft(tx.ds, draft, today)
        name = claim_name(tx.ds, tx.root, ready.issue, ready)
        claim_id = f"{ready.issue}/{name}"
        if ready.new_issue is not None:
            tx.put(issue_path(ready.issue), issue_yaml(ready.new_issue))
        if ready.new_side is not None:
            tx.put(ACTORS_FILE, sides_with(tx.read(ACTORS_FILE), ready.new_side, tx.ds))
        if ready.new_actor is not None:
            tx.put(ACTORS_FILE, actors_with(tx.read(ACTORS_FILE), ready.new_actor))
        claim = ready.as_claim()
        tx.put(claim_path(claim_id), claim_yaml(claim))
        followed = [] if ready.keep_status else _follow_links(tx, claim_id, claim.said_on, [(t, x) for t in ("rebuts", "supersedes") for x in getattr(ready, t)])
        warnings = tx.commit()
        paths = [p for p in tx.changes if p != claim_path(claim_id)] + [claim_path(claim_id)]
        return WriteResult(paths, warnings, claim_id, cites=ready.citations, followed=followed)


# What a new link does to the status of the claim it points at (docs/adding.md): a rebutted
# claim that stood unanswered is disputed; a superseded position is superseded unless withdrawn.
FOLLOWS = {"rebuts": ("disputed", ("asserted",)), "supersedes": ("superseded", ("asserted", "disputed", "corroborated", "refuted"))}


def follow_status(link_type: str, current: str) -> str | None:
    """The status a claim takes when another `link_type`s it, or None when its own stands."""
    new, from_ = FOLLOWS.get(link_type, (None, ()))
    return new if current in from_ else None


def _follow_links(tx: "Transaction", claim_id: str, on: FuzzyDate, links: list[tuple[str, str]]) -> list[StatusFollow]:
    """Stage the status changes the links of `claim_id` call for, in the same transaction: each
    target's status, and a history entry dated `on` (the answer's date) naming the answer."""
    out = []
    for link_type, target in links:
        claim = tx.ds.claims.get(target)
        if claim is None:
            continue
        new = follow_status(link_type, claim.status)
        if new is None:
            continue
        note = f"{claim_id} {'rebuts' if link_type == 'rebuts' else 'supersedes'} it."
        rel = claim_path(target)

        def change(data, new=new, note=note):
            _insert_in_order(data, "status", new)
            if data.get("history") is None:
                from ruamel.yaml.comments import CommentedSeq

                _insert_in_order(data, "history", CommentedSeq())
            data["history"].append(history_entry(on, new, note))

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        out.append(StatusFollow(target, claim.status, new, claim_id))
    return out



def add_side(root: Path, side: NewSide) -> WriteResult:
    """A new side at the end of claims/actors.yaml; comments and layout of the file kept."""
    with Transaction(root) as tx:
        ready = check_side(tx.ds, side)
        tx.put(ACTORS_FILE, sides_with(tx.read(ACTORS_FILE), ready, tx.ds))
        warnings = tx.commit()
        return WriteResult([ACTORS_FILE], warnings, ready.id, other_id=ready.colour)


def add_actor(root: Path, actor: NewActor) -> WriteResult:
    """A new actor at the end of claims/actors.yaml."""
    with Transaction(root) as tx:
        actor = NewActor(actor.id, " ".join((actor.name or "").split()), actor.side, actor.role or None,
                         [a for a in dict.fromkeys(" ".join(x.split()) for x in actor.aliases) if a], actor.kind)
        check_actor(tx.ds, actor)
        tx.put(ACTORS_FILE, actors_with(tx.read(ACTORS_FILE), actor))
        warnings = tx.commit()
        return WriteResult([ACTORS_FILE], warnings, actor.id)


def add_issue(root: Path, issue: NewIssue) -> WriteResult:
    """A new issue: claims/<id>/_issue.yaml with its title, question and summary."""
    with Transaction(root) as tx:
        issue = NewIssue(issue.id, " ".join((issue.title or "").split()), " ".join((issue.question or "").split()),
                         " ".join(issue.summary.split()) if issue.summary else None)
        check_new_issue(tx.ds, issue)
        tx.put(issue_path(issue.id), issue_yaml(issue))
        warnings = tx.commit()
        return WriteResult([issue_path(issue.id)], warnings, issue.id)


def add_citation(root: Path, claim: str, cite: Cite) -> WriteResult:
    """One more citation of an existing claim (the same claim in another outlet), its quote
    checked against the source and stored in the source's own characters."""
    with Transaction(root) as tx:
        claim_id = tx.claim(claim)
        [stored] = _resolve_cites(tx.ds, [cite])
        if stored.reported_on:
            parse_date(stored.reported_on, stored.reported_on_note, "reported_on")
        for c in tx.ds.claims[claim_id].citations:
            if c.source == stored.source and " ".join(c.quote.split()) == stored.quote:
                raise InputError(f"{claim_id} already cites these words of {stored.source} — nothing was changed; quote other words, or cite another source")
        rel = claim_path(claim_id)

        def change(data):
            data["citations"].append(citation_entry(stored))

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit()
        return WriteResult([rel], warnings, claim_id, cites=[stored])


def _resolve_cites(ds: Dataset, cites: Iterable[Cite]) -> list[Cite]:
    out = []
    for cite in cites:
        source = find_source(ds, cite.source)
        stored = check_quote(source, cite.quote)
        out.append(Cite(source.id, stored, cite.via, cite.note, cite.channel, cite.reported_by, cite.reported_on,
                        cite.reported_on_note, typed=None if stored == " ".join(cite.quote.split()) else cite.quote))
    return out


def set_status(root: Path, claim: str, status: str, note: str, on: str | None = None,
               cites: Iterable[Cite] = (), today: dt.date | None = None, on_inferred: str | None = None) -> WriteResult:
    """Set a claim's status and append the change, dated and with why, to its history.

    Citations given go to the claim's citations, noted as the evidence for this change."""
    today = today or dt.date.today()
    note = " ".join((note or "").split())
    if not note:
        raise InputError("a status change needs a note saying why — give --note TEXT")
    status = check_choice(status, STATUSES, "status")
    change_on = parse_date(on or today.isoformat(), on_inferred, what="the date of the change", today=today)
    with Transaction(root) as tx:
        claim_id = tx.claim(claim)
        rel = claim_path(claim_id)
        new_cites = [
            Cite(c.source, c.quote, c.via, c.note or f"Evidence for the status change to '{status}' on {change_on.value}.",
                 c.channel, c.reported_by, c.reported_on, c.reported_on_note)
            for c in _resolve_cites(tx.ds, cites)
        ]

        def change(data):
            _insert_in_order(data, "status", status)
            if data.get("history") is None:
                from ruamel.yaml.comments import CommentedSeq

                _insert_in_order(data, "history", CommentedSeq())
            data["history"].append(history_entry(change_on, status, note))
            for cite in new_cites:
                data["citations"].append(citation_entry(cite))

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit()
        return WriteResult([rel], warnings, claim_id)


def _link_args(tx: Transaction, claim: str, link_type: str, other: str) -> tuple[str, str, str]:
    link_type = check_choice(link_type, LINK_TYPES, "link type")
    claim_id = tx.claim(claim)
    other_id = find_claim(tx.ds, other, claim_id.split("/")[0], "link to")
    return claim_id, link_type, other_id



def add_link(root: Path, claim: str, link_type: str, other: str, basis: str | None = None, note: str | None = None,
             keep_status: bool = False) -> WriteResult:
    """`claim` rebuts|supports|supersedes `other`; `basis` says whether the text presents the link
    (reported) or the dataset reads it so (analyst), `note` why. A rebutted claim that stood
    asserted becomes disputed, a superseded one superseded (follow_status), in the same
    transaction, unless `keep_status`."""
    with Transaction(root) as tx:
        claim_id, link_type, other_id = _link_args(tx, claim, link_type, other)
        if other_id == claim_id:
            raise InputError(f"a claim cannot {link_type.rstrip('s')} itself — link {claim_id} to another claim")
        if other_id in tx.ds.claims[claim_id].targets(link_type):
            return WriteResult([], [], claim_id, other_id)
        rel = claim_path(claim_id)

        def change(data):
            entry = link_entry(other_id, basis, note)
            if data.get(link_type) is None:
                if isinstance(entry, str):
                    _insert_in_order(data, link_type, flow_list([other_id]))
                else:
                    _insert_in_order(data, link_type, [entry])
            else:
                data[link_type].append(entry)

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        followed = [] if keep_status else _follow_links(tx, claim_id, tx.ds.claims[claim_id].said_on, [(link_type, other_id)])
        warnings = tx.commit()
        return WriteResult([rel, *(claim_path(f.claim_id) for f in followed)], warnings, claim_id, other_id, followed=followed)


def remove_link(root: Path, claim: str, link_type: str, other: str) -> WriteResult:
    """Undo `add_link`: the key goes when its list is left empty."""
    with Transaction(root) as tx:
        claim_id, link_type, other_id = _link_args(tx, claim, link_type, other)
        current = tx.ds.claims[claim_id].targets(link_type)
        if other_id not in current:
            has = f"it {link_type} {', '.join(current)}" if current else f"it {link_type} nothing"
            raise InputError(f"{claim_id} does not {link_type.rstrip('s')} {other_id} — {has}; nothing was changed")
        rel = claim_path(claim_id)

        def change(data):
            items = data[link_type]
            for i in reversed(range(len(items))):
                if items[i] == other_id or (hasattr(items[i], "get") and items[i].get("claim") == other_id):
                    del items[i]
            if not len(items):
                del data[link_type]

        tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit()
        return WriteResult([rel], warnings, claim_id, other_id)


def fix_quotes(root: Path) -> WriteResult:
    """Rewrite every quote that is found in its source only after normalising (other quote marks,
    dashes or spacing) to the source's own characters: the one change `check --fix` makes."""
    from ..check import quotes_to_store

    with Transaction(root) as tx:
        by_file: dict[str, list[tuple[int, str]]] = {}
        for _, (claim_id, i, exact) in quotes_to_store(tx.ds):
            by_file.setdefault(claim_path(claim_id), []).append((i, exact))
        for rel, fixes in by_file.items():
            def change(data, fixes=fixes):
                for i, exact in fixes:
                    data["citations"][i]["quote"] = quoted(exact)

            tx.put(rel, rewrite_yaml(tx.read(rel), change))
        warnings = tx.commit() if by_file else []
        return WriteResult(sorted(by_file), warnings, cites=[Cite(rel, "") for rel in by_file for _ in by_file[rel]])



def edit_problems(root: Path, claim_id: str, text: str) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) that replacing the claim's file with `text` would introduce."""
    with Transaction(root) as tx:
        tx.put(claim_path(claim_id), text)
        return tx.validate()


def save_edit(root: Path, claim_id: str, text: str, original: bytes, force: bool = False) -> WriteResult:
    """Put an edited claim file in place, unless the file changed on disk since it was read.

    Refuses like any write when the edit introduces errors, unless `force`. The caller keeps the
    text (keep_recovery) when this raises: nothing was written then."""
    rel = claim_path(claim_id)
    with Transaction(root) as tx:
        path = tx.root / rel
        now = path.read_bytes() if path.exists() else None
        if now != original:
            raise ChangedOnDisk(f"{rel} changed on disk while you were editing it — nothing was written; run 'claimtrack edit {claim_id}' again")
        tx.put(rel, text)
        problems = tx.commit(force=force)
        return WriteResult([rel], problems, claim_id)

"""What every format works from: a `Bundle` read from the index for an export, an `Imported` parsed
from a file for an import, and the one function that writes an import through `write.Transaction`.

The bundle is the read layer's records (one `threads.IssueView` per issue, with its threads), plus
the archived bodies and the two things only the files hold exactly: each claim as its file says it
(the `model.Claim` fields, so no field list is repeated here) and each source file's text. Those
two travel in the `claimtrack` extension (see `carry`), so that an import can write back exactly
what was exported even where the format has no place for it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..index import queries as q
from ..views.threads import IssueView, load_issue_view

EXTENSION = "claimtrack"  # the key of the extension in every format that has one
EXTENSION_VERSION = 1
DOCS = "docs/interchange.md"
STATUS_NOT_ASSESSED = ("asserted", "disputed")  # statuses that are no assessment (no ClaimReview)
LINK_WORDS = {"rebuts": "rebuts", "supports": "supports", "supersedes": "supersedes"}


@dataclass
class Bundle:
    """The issues to export, read once from the index."""

    views: list[IssueView]
    bodies: dict[str, str]  # source id -> the archived body
    claim_data: dict[str, dict]  # claim id -> the claim as its file holds it (links only within the bundle)
    source_files: dict[str, str]  # source id -> the source file's whole text
    left_out: list[str] = field(default_factory=list)  # what the export could not carry (links out of it)

    @property
    def claims(self) -> dict[str, q.ClaimRec]:
        out: dict[str, q.ClaimRec] = {}
        for view in self.views:
            out.update(view.claims)
        return out

    @property
    def links(self) -> list[q.LinkRec]:
        """Links whose both ends are in the bundle, each once."""
        claims = self.claims
        seen: dict[tuple, q.LinkRec] = {}
        for view in self.views:
            for link in view.links:
                if link.src in claims and link.dst in claims:
                    seen.setdefault((link.src, link.type, link.dst), link)
        return list(seen.values())

    @property
    def sides(self) -> dict[str, q.SideRec]:
        return self.views[0].sides if self.views else {}

    @property
    def actors(self) -> dict[str, q.ActorRec]:
        return self.views[0].actors if self.views else {}

    @property
    def citations(self) -> dict[str, list[q.CitationRec]]:
        out: dict[str, list[q.CitationRec]] = {}
        for view in self.views:
            out.update(view.citations)
        return out

    @property
    def history(self) -> dict[str, list[q.StatusChangeRec]]:
        out: dict[str, list[q.StatusChangeRec]] = {}
        for view in self.views:
            out.update(view.history)
        return out

    @property
    def sources(self) -> dict[str, q.SourceRec]:
        out: dict[str, q.SourceRec] = {}
        for view in self.views:
            out.update(view.sources)
        return dict(sorted(out.items(), key=lambda kv: ((kv[1].published or "9999"), kv[0])))

    def used_actors(self) -> list[q.ActorRec]:
        used = {c.by for c in self.claims.values()}
        return [a for a in self.actors.values() if a.id in used]

    def used_sides(self) -> list[q.SideRec]:
        used = {a.side for a in self.used_actors()}
        return [s for s in self.sides.values() if s.id in used]


def load_bundle(root: Path, conn: sqlite3.Connection, issue: str | None = None) -> Bundle:
    """One issue (or every issue, when `issue` is None) from a fresh index, for export."""
    from ..store import load_claim
    from ..paths import source_path

    ids = [issue] if issue is not None else [i.id for i in q.issues(conn)]
    views = [load_issue_view(conn, i) for i in ids]
    claims = {cid for v in views for cid in v.claims}
    bodies: dict[str, str] = {}
    files: dict[str, str] = {}
    for view in views:
        for sid in view.sources:
            if sid not in bodies:
                bodies[sid] = q.source_body(conn, sid)
                files[sid] = (root / source_path(sid)).read_bytes().decode("utf-8")
    data: dict[str, dict] = {}
    left_out: list[str] = []
    for view in views:
        for cid in view.claims:
            claim, _ = load_claim(root, cid)
            if claim is None:  # indexed but changed on disk since: the index is refreshed first, so rare
                from ..problems import ClaimtrackError

                raise ClaimtrackError(f"{cid} changed while it was being exported — run the export again")
            d = claim.model_dump(mode="json", exclude={"id"}, exclude_defaults=True)
            for link_type in LINK_WORDS:
                links = [_link_as_written(t) for t in d.get(link_type, [])]
                kept = [t for t in links if _target(t) in claims]
                left_out += [f"the link {cid} {link_type} {_target(t)} (that claim is not in this export)" for t in links if _target(t) not in claims]
                if kept:
                    d[link_type] = kept
                else:
                    d.pop(link_type, None)
            data[cid] = d
    return Bundle(views, bodies, data, files, left_out)


def _link_as_written(link: Any) -> Any:
    """A dumped link as a file writes it: the plain id when it has the default basis and no note."""
    if isinstance(link, dict) and link.get("basis", "analyst") == "analyst" and not link.get("note"):
        return link["claim"]
    return link


def _target(link: Any) -> str:
    """The claim id a link entry (a plain id or {claim, basis, note}) points to."""
    return link["claim"] if isinstance(link, dict) else link


def carry(bundle: Bundle, claims: list[str] | None = None) -> dict[str, Any]:
    """The `claimtrack` extension: what a dataset needs that the formats have no place for.

    sides and actors (as actors.yaml holds them), issues (as _issue.yaml), each source file's whole
    text (front matter and archived body, byte for byte), and each claim as its file holds it."""
    wanted = list(bundle.claims) if claims is None else claims
    actors_used = {bundle.claims[c].by for c in wanted}
    actors = [a for a in bundle.actors.values() if a.id in actors_used]
    sides_used = {a.side for a in actors}
    issues_used = {bundle.claims[c].issue for c in wanted}
    sources_used = {cit.source for c in wanted for cit in bundle.citations.get(c, [])}
    return {
        "version": EXTENSION_VERSION,
        "about": f"claimtrack's own data, for 'claimtrack import' (see {DOCS}); other tools can ignore it",
        "sides": [_drop_none({"id": s.id, "name": s.name, "colour": s.colour}) for s in bundle.sides.values() if s.id in sides_used],
        "actors": [_drop_none({"id": a.id, "name": a.name, "side": a.side, "role": a.role, "aliases": list(a.aliases) or None}) for a in actors],
        "issues": {
            v.issue.id: _drop_none({"title": v.issue.title, "question": v.issue.question, "summary": v.issue.summary, "tags": list(v.issue.tags) or None})
            for v in bundle.views
            if v.issue.id in issues_used
        },
        "sources": {sid: text for sid, text in bundle.source_files.items() if sid in sources_used},
        "claims": {c: _within(bundle, c, set(wanted)) for c in wanted},
    }


def _within(bundle: Bundle, cid: str, wanted: set[str]) -> dict:
    """The claim's data with only the links to claims in `wanted`; the others go in left_out."""
    data = dict(bundle.claim_data[cid])
    for link_type in LINK_WORDS:
        targets = data.get(link_type, [])
        target_id = lambda t: t["claim"] if isinstance(t, dict) else t  # noqa: E731 — a link is an id or {claim, basis, note}
        for t in targets:
            if target_id(t) not in wanted:
                bundle.left_out.append(f"the link {cid} {link_type} {target_id(t)} (that claim is not in this export)")
        kept = [t for t in targets if target_id(t) in wanted]
        if kept:
            data[link_type] = kept
        else:
            data.pop(link_type, None)
    return data


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def dumps(obj: Any) -> str:
    """JSON as every JSON format here writes it: UTF-8 characters as they are, two-space indent."""
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------------ importing


@dataclass
class Imported:
    """What a file holds, in claimtrack's terms, before anything is written."""

    claims: dict[str, dict] = field(default_factory=dict)  # claim id -> the claim's fields (model.Claim)
    sides: list[dict] = field(default_factory=list)
    actors: list[dict] = field(default_factory=list)
    issues: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # source id -> the source file's text
    missing: list[tuple[int, str]] = field(default_factory=list)  # (line, what a claim needs that the file lacks)
    unmapped: list[str] = field(default_factory=list)  # what the file holds that has no place in claimtrack
    notes: list[str] = field(default_factory=list)  # where the file and its extension disagreed, and what was used


class ImportRefused(Exception):
    """The file cannot become valid claims; `problems` say where and what is missing."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(problems[0].format() if problems else "nothing to import")


@dataclass
class ImportResult:
    paths: list[str]  # relative paths written, or that would be with --dry-run
    skipped: list[str]  # already in the dataset, the same
    warnings: list  # Problems the import introduced (warnings only; errors refuse)
    texts: dict[str, str]  # relative path -> the text written (or that would be)


def take_extension(imp: Imported, ext: Any, where: str) -> dict[str, dict]:
    """Read the `claimtrack` extension into `imp`; its per-claim data by claim id."""
    if ext is None:
        return {}
    if not isinstance(ext, dict) or ext.get("version") != EXTENSION_VERSION:
        imp.unmapped.append(f"{where}: a '{EXTENSION}' extension of an unknown version, ignored")
        return {}
    imp.sides = [s for s in ext.get("sides") or [] if isinstance(s, dict)]
    imp.actors = [a for a in ext.get("actors") or [] if isinstance(a, dict)]
    imp.issues = {k: v for k, v in (ext.get("issues") or {}).items() if isinstance(v, dict)}
    imp.sources = {k: v for k, v in (ext.get("sources") or {}).items() if isinstance(v, str)}
    return {k: v for k, v in (ext.get("claims") or {}).items() if isinstance(v, dict)}


def merge_claim(imp: Imported, cid: str, native: dict, carried: dict | None, line: int, needs: dict[str, str], exact: tuple[str, ...] = ()) -> None:
    """A claim from the format's own fields (`native`) and the extension (`carried`).

    The format's own value wins where both have one (a note says so when they differ); what
    neither holds is recorded as missing, with `needs[key]` saying what the format lacks.
    Keys in `exact` are the format's own to say (its links): the file's value, even empty, stands."""
    data = dict(carried or {})
    for key in exact:
        value = list(native.get(key) or [])
        carried_links = {_target(t): t for t in data.get(key) or []}
        if sorted(carried_links) != sorted(value):
            if carried is not None:
                imp.notes.append(f"{cid}: its '{key}' links differ from the '{EXTENSION}' extension; the file's own links were used")
            data[key] = value
        else:  # the same claims: keep each link's basis and note from the extension
            data[key] = [carried_links[t] for t in value]
        if not data.get(key):
            data.pop(key, None)
    for key, value in native.items():
        if key in exact or value in (None, [], ""):
            continue
        if key in data and data[key] != value:
            imp.notes.append(f"{cid}: the file's {key} differs from its '{EXTENSION}' extension; the file's own value was used")
        data[key] = value
    required = ("statement", "kind", "by", "said_on", "status", "citations")
    absent = [k for k in required if not data.get(k)]
    if "/" not in cid:
        imp.missing.append((line, f"'{cid}': no claim id of the form <issue>/<name> — {needs.get('id', 'the format has no place for it')}"))
    for key in absent:
        imp.missing.append((line, f"{cid}: no '{key}' — {needs.get(key, 'the format has no place for it')}"))
    imp.claims[cid] = data


def import_problems(imp: Imported, path: str) -> list:
    from ..problems import error

    return [error(path, line, "import-missing", msg) for line, msg in imp.missing]


def write_imported(root: Path, imp: Imported, path: str, dry_run: bool = False) -> ImportResult:
    """Write the imported claims, actors, issues and sources through the same validated transaction
    as `claimtrack add`: everything or nothing. With `dry_run`, validate only.

    Raises ImportRefused (nothing written) when the file lacks what a claim requires, when an id is
    taken by something different, or when the result would have an error."""
    from ..model import Claim
    from ..paths import claim_path, issue_path, source_path
    from ..problems import WriteRefused, error
    from ..store import ACTORS_FILE
    from ..edit.transaction import Transaction
    from ..edit.yamlout import claim_yaml

    problems = import_problems(imp, path)
    if not imp.claims and not problems:
        problems.append(error(path, 0, "import-empty", "the file holds no claims to import"))
    if problems:
        raise ImportRefused(problems)
    with Transaction(root) as tx:
        skipped: list[str] = []
        actors_text = tx.read(ACTORS_FILE) if (root / ACTORS_FILE).exists() else "sides: []\nactors: []\n"
        new_actors = _merge_actors(tx.ds, actors_text, imp, path, problems)
        if new_actors is not None:
            tx.put(ACTORS_FILE, new_actors)
        for iid, issue in imp.issues.items():
            if iid in tx.ds.issues or (root / issue_path(iid)).exists():
                skipped.append(issue_path(iid))
                continue
            if any(cid.split("/")[0] == iid for cid in imp.claims):
                tx.put(issue_path(iid), _issue_yaml(issue))
        for sid, text in imp.sources.items():
            rel = source_path(sid)
            if (root / rel).exists():
                if (root / rel).read_bytes().decode("utf-8", "replace") == text:
                    skipped.append(rel)
                else:
                    problems.append(error(path, 0, "import-conflict", f"the source '{sid}' is already in the dataset with a different text — nothing was written; rename one of them"))
                continue
            tx.put(rel, text)
        for cid, data in imp.claims.items():
            rel = claim_path(cid)
            try:
                claim = Claim.model_validate({**data, "id": cid})
            except Exception as exc:  # pydantic's ValidationError, imported lazily
                first = str(exc).splitlines()
                problems.append(error(path, 0, "import-invalid", f"{cid}: {' '.join(first[1:3]).strip() or first[0]} — correct the file"))
                continue
            if cid in tx.ds.claims:
                if tx.ds.claims[cid] == claim:
                    skipped.append(rel)
                else:
                    problems.append(error(path, 0, "import-conflict", f"{cid} is already in the dataset and differs — nothing was written; import into another dataset or rename it"))
                continue
            if (root / rel).exists():
                problems.append(error(path, 0, "import-conflict", f"{rel} exists (and does not load) — mend or move it first"))
                continue
            tx.put(rel, claim_yaml(claim))
        if problems:
            raise ImportRefused(problems)
        texts = dict(tx.changes)
        if dry_run:
            errors, warnings = tx.validate()
            if errors:
                raise ImportRefused(errors)
        else:
            try:
                warnings = tx.commit()
            except WriteRefused as exc:
                raise ImportRefused(exc.problems) from None
        return ImportResult(list(tx.changes), skipped, warnings, texts)


def _merge_actors(ds, text: str, imp: Imported, path: str, problems: list) -> str | None:
    """actors.yaml with the imported sides and actors it lacks added (comments kept); None when
    nothing is new. A known id with different details is kept as the dataset has it, and noted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ..edit.inputs import NewActor
    from ..edit.yamlout import actors_with, dump_rt, load_rt

    changed = False
    data = load_rt(text) or CommentedMap()
    if data.get("sides") is None:
        data["sides"] = CommentedSeq()
    for side in imp.sides:
        sid = side.get("id")
        if sid in ds.sides:
            if ds.sides[sid].name != side.get("name"):
                imp.notes.append(f"side '{sid}': the dataset's name '{ds.sides[sid].name}' was kept (the file says '{side.get('name')}')")
            continue
        entry = CommentedMap()
        for key in ("id", "name", "colour"):
            if side.get(key) is not None:
                entry[key] = side[key]
        data["sides"].append(entry)
        changed = True
    text = dump_rt(data) if changed else text
    for actor in imp.actors:
        aid = actor.get("id")
        if aid in ds.actors:
            if ds.actors[aid].name != actor.get("name") or ds.actors[aid].side != actor.get("side"):
                imp.notes.append(f"actor '{aid}': the dataset's entry was kept (the file describes it differently)")
            continue
        if not isinstance(aid, str) or not actor.get("name") or not actor.get("side"):
            problems.append(error_at(path, f"an actor without id, name and side in the '{EXTENSION}' extension: {actor!r} — correct the file"))
            continue
        text = actors_with(text, NewActor(aid, actor["name"], actor["side"], actor.get("role"), list(actor.get("aliases") or [])))
        changed = True
    return text if changed else None


def error_at(path: str, message: str):
    from ..problems import error

    return error(path, 0, "import-invalid", message)


def _issue_yaml(issue: dict) -> str:
    from ruamel.yaml.comments import CommentedMap

    from ..edit.yamlout import dump_rt, flow_list, fold_text

    data = CommentedMap()
    for key in ("title", "question", "summary"):
        if issue.get(key):
            data[key] = fold_text(str(issue[key]), key)
    if issue.get("tags"):
        data["tags"] = flow_list(issue["tags"])
    return dump_rt(data)

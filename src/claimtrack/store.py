"""Finding the dataset, loading its files into models, and writing files back safely.

Loading never raises on bad data: it returns the dataset (without the files that failed) and the
problems, each with a path and the line of the offending key. Lines come from a second, mark-keeping
parse that runs only for files that have a problem, so the common path stays on the fast C loader.

What is not a file of the dataset is never read: a name that is not UTF-8 `[bad-file-name]`, a
symbolic link that points out of the dataset `[symlink-outside]`, a name that is not an id
`[bad-id]`. A key given twice in one mapping is `[duplicate-key]` (YAML would keep the last).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from .model import ActorsFile, Claim, Dataset, Issue, Source, SourceMeta
from .problems import Problem, error, warning

from .paths import (  # noqa: F401  (re-exported: the store is where callers look for them)
    ACTORS_FILE,
    ENV_ROOT,
    INDEX_DIR,
    ISSUE_FILE,
    BadId,
    LeavesDataset,
    LinkedFile,
    body_sha256,
    claim_path,
    dataset_file,
    find_root,
    is_dataset,
    is_id,
    issue_path,
    original_path,
    refusal,
    shown,
    source_path,
    write_atomic,
)

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class DuplicateKey(yaml.constructor.ConstructorError):
    """A key given twice in one mapping; its mark is the second one's."""

    def __init__(self, key: Any, first_line: int, mark: Any):
        self.key, self.first_line = key, first_line
        super().__init__(None, None, f"duplicate key {key!r}", mark)


class _Loader(_Base):
    """YAML 1.2 booleans (only true/false: under YAML 1.1 the history key `on:` would be True),
    dates left as text for the models to validate (2025-02-30 is a located error, not a crash),
    and a key given twice in one mapping refused (DuplicateKey), where PyYAML keeps the last."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        # PyYAML's flatten_mapping deletes merge keys (`<<`) from this very list and, when there
        # were any, puts a new list (merged pairs first) on the node. So without merges, fewer
        # keys than pairs means a duplicate: one len() on the fast path, a search only then.
        own = node.value if isinstance(node, yaml.MappingNode) else None
        mapping = super().construct_mapping(node, deep=deep)
        if own is not None and (len(mapping) < len(own) or own is not node.value):
            self._refuse_duplicates(own, deep)
        return mapping

    def _refuse_duplicates(self, pairs: list, deep: bool) -> None:
        first: dict[Any, Any] = {}
        for key_node, _ in pairs:
            key = self.construct_object(key_node, deep=deep)  # already built: served from the cache
            try:
                seen = first.setdefault(key, key_node)
            except TypeError:  # an unhashable key: construct_mapping has refused it already
                continue
            if seen is not key_node:
                raise DuplicateKey(key, seen.start_mark.line + 1, key_node.start_mark)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# ------------------------------------------------------------------------------------- reading


def parse_yaml_pyyaml(text: str) -> Any:
    """The reference parse: PyYAML (libyaml's C loader when it is there) with the rules above."""
    return yaml.load(text, Loader=_Loader)


# Text in which yaml-rs (YAML 1.2) and the loader above could disagree: a tag (`!x`), a merge
# key (`<<`), a complex key (`?`), a second document, a byte-order mark, a value `=`, a YAML 1.1
# base-60 number (`1:20` is 80 to PyYAML). A conservative test: a statement that only looks like
# one ("Stop !now", "at 10:30") just takes PyYAML.
_TOKEN = re.compile(r"(?:^|[\s\[{,])(?:![^\s]|\?(?:\s|$)|=(?:$|[\s\]},]))", re.M)
_BASE60 = re.compile(r"\d:[0-5]?\d")


def _not_fast(text: str) -> bool:
    """Whether the text may hold one of those constructs (substring tests first: they are cheap)."""
    if text.startswith(("---", "...")) or "\n---" in text or "\n..." in text or "<<" in text or "\ufeff" in text:
        return True
    if ("!" in text or "?" in text or "=" in text) and _TOKEN.search(text):
        return True
    return _BASE60.search(text) is not None


@lru_cache(maxsize=1)
def _yaml_rs() -> Callable[[str], Any] | None:
    """yaml-rs's loads (Rust, about ten times libyaml's speed per claim file), or None where it
    is not installed or CLAIMTRACK_YAML=pyyaml asks for the reference parser."""
    if os.environ.get("CLAIMTRACK_YAML", "").lower() == "pyyaml":
        return None
    try:
        import yaml_rs
    except ImportError:
        return None
    policy = yaml_rs.DuplicateKeyPolicy.Error

    def loads(text: str) -> Any:
        return yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=policy)

    return loads


def _plain(value: Any) -> bool:
    """Only strings, booleans and nulls, under string keys: where both parsers agree. Numbers
    differ (YAML 1.1's `017`, `1:20` and `1e3` are 15, 80 and a string to PyYAML), so a file
    with a number is PyYAML's."""
    if isinstance(value, str) or value is None or value is True or value is False:
        return True
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return False


def parse_yaml(text: str) -> Any:
    """The value PyYAML's loader gives (parse_yaml_pyyaml), computed by yaml-rs when the two
    provably agree: the text has none of the constructs where they differ (_not_fast) and the
    value holds no number. Anything else, an error included (a duplicate key, bad syntax), is
    parsed again by PyYAML, which decides and locates the problem. tests/test_yaml_parser.py
    holds the two equal on every YAML file of the tests and datasets."""
    fast = _yaml_rs()
    if fast is not None and not _not_fast(text):
        try:
            value = fast(text)
        except ValueError:  # yaml-rs's YAMLDecodeError: PyYAML says what and where
            pass
        else:
            if _plain(value):
                return value
    return parse_yaml_pyyaml(text)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line) of a source file, or None without front matter."""
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return None
    first_nl = text.index("\n") + 1
    pos = first_nl
    line = 2
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if text[pos:end].rstrip("\r") == "---":
            body_start = len(text) if nl < 0 else nl + 1
            return text[first_nl:pos], text[body_start:], line + 1
        if nl < 0:
            return None
        pos = nl + 1
        line += 1
    return None


def _read_text(root: Path, rel: str, walked: bool = False) -> tuple[str | None, list[Problem]]:
    """The text of a dataset file. `walked`: dataset_files has already looked at every link on
    the way (from its directory listing), so the path need not be checked again."""
    try:
        return (root / rel if walked else dataset_file(root, rel)).read_bytes().decode("utf-8"), []
    except LeavesDataset as exc:
        return None, [error(rel, 0, "symlink-outside", str(exc).removeprefix(f"{rel}: "))]
    except UnicodeDecodeError as exc:
        return None, [error(rel, 0, "bad-encoding", f"not UTF-8 ({exc.reason} at byte {exc.start}) — save the file as UTF-8")]
    except OSError as exc:
        return None, [error(rel, 0, "unreadable", f"cannot read: {exc.strerror}")]


def _load_yaml(rel: str, text: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    try:
        return parse_yaml(text), []
    except DuplicateKey as exc:
        line = exc.problem_mark.line + 1 + line_offset
        first = exc.first_line + line_offset
        return None, [error(rel, line, "duplicate-key", f"the key {shown(str(exc.key))!r} is given twice (first at line {first}) — keep one: YAML would silently use the last")]
    except (ValueError, TypeError) as exc:  # a value the YAML constructors reject
        return None, [error(rel, line_offset, "bad-yaml", f"YAML value: {exc} — fix the value")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + line_offset) if mark else line_offset
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [error(rel, line, "bad-yaml", f"YAML syntax: {what} — fix the syntax at this line")]


def _validate(model, data: Any, rel: str, text: str, line_offset: int = 0, **extra):
    """Validate `data` with `model`; problems carry the line of the key pydantic complains about."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        return None, [error(rel, line_offset + 1, "bad-value", f"the file is {what}, not a mapping of keys — see docs/format.md")]
    clash = [k for k in extra if k in data]
    if clash:
        line = locate(text, (clash[0],), line_offset)
        return None, [error(rel, line, "unknown-field", f"unknown field '{clash[0]}' — the {clash[0]} comes from the file's path; remove the key")]
    try:
        return model.model_validate({**data, **extra}), []
    except ValidationError as exc:
        problems = []
        seen: set[tuple] = set()
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if p not in extra)
            key = _clean_loc(loc, data)
            if key in seen:
                continue
            seen.add(key)
            line = locate(text, key, line_offset)
            problems.append(error(rel, line, *_describe(err, key, model)))
        return None, problems


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """The part of a pydantic location that names real keys/indexes in the data."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not part[:1].isupper() and "[" not in part:
            out.append(part)  # a missing key: keep its name for the message
            break
    return tuple(out)


def _describe(err: dict, key: tuple, model) -> tuple[str, str]:
    field = ".".join(str(k) for k in key) or "(file)"
    kind = err["type"]
    if kind == "extra_forbidden":
        import difflib

        allowed = _allowed_keys(model, key[:-1])
        near = difflib.get_close_matches(str(key[-1]) if key else "", allowed, n=1)
        hint = f" — did you mean '{near[0]}'?" if near else (f" — allowed keys: {', '.join(allowed)}" if allowed else "")
        return "unknown-field", f"unknown field '{field}'{hint}"
    if kind == "missing":
        return "missing-field", f"missing required field '{field}' — add it (see docs/format.md)"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return "bad-value", f"'{field}' is {err.get('input')!r}, not one of {expected}"
    if kind == "string_pattern_mismatch" and key and key[0] in ("rebuts", "supports", "supersedes"):
        return "bad-value", f"'{field}' is {err.get('input')!r}: a claim id is '<issue-id>/<name>'"
    if kind == "string_pattern_mismatch":
        return "bad-id" if field.endswith(("id", "by", "side", "source")) else "bad-value", (
            f"'{field}' is {err.get('input')!r}, which does not match {err.get('ctx', {}).get('pattern')}"
        )
    if kind == "too_short" and field == "citations":
        return "missing-field", "citations is empty — cite at least one {source, quote}"
    msg = err["msg"].removeprefix("Value error, ")
    if key[:1] == ("url",) and kind == "value_error":
        return "bad-url", f"'url': {msg}"
    if "empty" in msg and field == "statement":
        return "empty-statement", "the statement is empty — write one neutral, attributive sentence"
    if "inferred date needs a note" in msg:
        return "inferred-without-note", f"'{field}': {msg}"
    return "bad-value", f"'{field}': {msg}"


def _allowed_keys(model, path: tuple) -> list[str]:
    """The field names of the sub-model at `path` (best effort, for hints)."""
    from pydantic import BaseModel
    import typing

    current = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        ann = field.annotation
        found = None
        for cand in (ann, *typing.get_args(ann), *[a for x in typing.get_args(ann) for a in typing.get_args(x)]):
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                found = cand
                break
        if found is None:
            return []
        current = found
    return [n for n in current.model_fields if n != "id" or path]


def locate(text: str, key: tuple, line_offset: int = 0) -> int:
    """The 1-based line of `key` (a path of mapping keys and list indexes) in YAML `text`."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return line_offset
    line = node.start_mark.line if node is not None else 0
    for part in key:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    line, node = k.start_mark.line, v
                    break
            else:
                return line + 1 + line_offset
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return line + 1 + line_offset


@lru_cache(maxsize=256)
def _file_text(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def line_of(root: Path, rel: str, key: tuple) -> int:
    """The line of `key` in the file `rel`, read again only when a problem needs it."""
    try:
        path = dataset_file(root, rel)
        text = _file_text(str(path), path.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError, LeavesDataset):
        return 0
    offset = 0
    if rel.endswith(".md"):
        split = split_front_matter(text)
        if split is None:
            return 0
        text, offset = split[0], 1
    return locate(text, key, offset)


def load_actors(root: Path) -> tuple[ActorsFile | None, list[Problem]]:
    if not (root / ACTORS_FILE).exists():
        return None, [error(ACTORS_FILE, 0, "missing-file", "claims/actors.yaml is missing — create it with a 'sides:' list (see docs/format.md)")]
    text, problems = _read_text(root, ACTORS_FILE)
    if text is None:
        return None, problems
    return load_actors_text(text)


def load_actors_text(text: str) -> tuple[ActorsFile | None, list[Problem]]:
    """actors.yaml as a model; when some entries are invalid, their problems and the valid
    entries still (so that one broken actor is one error, not an "unknown actor" in every claim)."""
    data, problems = _load_yaml(ACTORS_FILE, text)
    if problems:
        return None, problems
    actors, problems = _validate(ActorsFile, data, ACTORS_FILE, text)
    if actors is not None or not isinstance(data, dict):
        return actors, problems
    return _valid_entries(data), problems


def _valid_entries(data: dict) -> ActorsFile | None:
    """The sides and actors of an invalid actors.yaml that are valid one by one."""
    from pydantic import ValidationError

    from .model import Actor, Side

    kept: dict[str, list] = {"sides": [], "actors": []}
    for section, model in (("sides", Side), ("actors", Actor)):
        items = data.get(section)
        for item in items if isinstance(items, list) else []:
            try:
                kept[section].append(model.model_validate(item))
            except ValidationError:
                continue  # reported by the whole file's validation, with its line
    try:
        return ActorsFile(**kept)
    except ValidationError:
        return None


def load_issue(root: Path, issue_id: str) -> tuple[Issue | None, list[Problem]]:
    rel, problems = _named("issue", issue_id)
    if problems:
        return None, problems
    text, problems = _read_text(root, rel)
    if text is None:
        return None, problems
    return load_issue_text(issue_id, text)


def _named(kind: str, ident: str) -> tuple[str, list[Problem]]:
    """The file of an id, and for a name that is no id (a file someone named so) the problem to
    report instead of loading it: the loaders return it, they never raise on a name."""
    try:
        return {"claim": claim_path, "issue": issue_path, "source": source_path}[kind](ident), []
    except BadId:
        pass
    if kind == "claim":
        issue, _, name = ident.partition("/")
        rel, parts = f"claims/{issue}/{name}.yaml", (issue, name)
    else:
        rel, parts = (f"claims/{ident}/{ISSUE_FILE}" if kind == "issue" else f"sources/{ident}.md"), (ident,)
    bad = next(p for p in parts if not is_id(p))
    return shown(rel), [error(shown(rel), 0, "bad-id", f"'{shown(bad)}' is not a valid id (lower-case letters, digits and hyphens) — rename the file")]


def load_issue_text(issue_id: str, text: str) -> tuple[Issue | None, list[Problem]]:
    rel, problems = _named("issue", issue_id)
    if problems:
        return None, problems
    data, problems = _load_yaml(rel, text)
    if problems:
        return None, problems
    return _validate(Issue, data, rel, text, id=issue_id)


def load_claim_text(claim_id: str, text: str) -> tuple[Claim | None, list[Problem]]:
    rel, problems = _named("claim", claim_id)
    if problems:
        return None, problems
    data, problems = _load_yaml(rel, text)
    if problems:
        return None, problems
    return _validate(Claim, data, rel, text, id=claim_id)


def load_claim(root: Path, claim_id: str) -> tuple[Claim | None, list[Problem]]:
    rel, problems = _named("claim", claim_id)
    if problems:
        return None, problems
    text, problems = _read_text(root, rel)
    if text is None:
        return None, problems
    return load_claim_text(claim_id, text)


def load_source_text(source_id: str, text: str) -> tuple[Source | None, list[Problem]]:
    rel, problems = _named("source", source_id)
    if problems:
        return None, problems
    split = split_front_matter(text)
    if split is None:
        return None, [error(rel, 1, "no-front-matter", "no front matter: the file must start with a '---' line, the metadata, and a closing '---' line")]
    front, body, body_line = split
    data, problems = _load_yaml(rel, front, 1)
    if problems:
        return None, problems
    meta, problems = _validate(SourceMeta, data, rel, front, 1)
    if meta is None:
        return None, problems
    return Source(id=source_id, meta=meta, body=body, body_line=body_line), []


def load_source(root: Path, source_id: str) -> tuple[Source | None, list[Problem]]:
    rel, problems = _named("source", source_id)
    if problems:
        return None, problems
    text, problems = _read_text(root, rel)
    if text is None:
        return None, problems
    return load_source_text(source_id, text)


def dataset_files(root: Path, refused: list[Problem] | None = None) -> Iterator[tuple[str, str, str]]:
    """Every file of the dataset as (kind, id, relative path), kind in actors|issue|claim|source|stray.

    An entry that is no file of the dataset (a name that is not UTF-8, a symbolic link out of the
    dataset: see paths.refusal) is never yielded nor read; its problem goes to `refused`."""
    refused = [] if refused is None else refused

    def admitted(entry: os.DirEntry, rel: str, folder: bool = False) -> bool:
        why = refusal(root, entry, folder)
        if why is not None:
            refused.append(error(shown(rel), 0, *why))
        return why is None

    claims_dir = root / "claims"
    for entry in sorted(os.scandir(claims_dir), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not admitted(entry, f"claims/{entry.name}/", folder=True):
                continue
            issue_id = entry.name
            inside = sorted(os.scandir(entry.path), key=lambda e: e.name)
            issue_file = next((f for f in inside if f.name == ISSUE_FILE), None)
            if issue_file is None:
                yield "stray", issue_id, f"claims/{issue_id}/"
            elif admitted(issue_file, f"claims/{issue_id}/{ISSUE_FILE}"):
                yield "issue", issue_id, f"claims/{issue_id}/{ISSUE_FILE}"
            for f in inside:
                if f.name.startswith(".") or f.name == ISSUE_FILE or not admitted(f, f"claims/{issue_id}/{f.name}") or not f.is_file():
                    continue
                if f.name.endswith(".yaml"):
                    yield "claim", f"{issue_id}/{f.name[:-5]}", f"claims/{issue_id}/{f.name}"
                else:
                    yield "stray", "", f"claims/{issue_id}/{f.name}"
        elif not admitted(entry, f"claims/{entry.name}"):
            continue
        elif entry.name == "actors.yaml":
            yield "actors", "", ACTORS_FILE
        else:
            yield "stray", "", f"claims/{entry.name}"
    for entry in sorted(os.scandir(root / "sources"), key=lambda e: e.name):
        if entry.name.startswith(".") or not admitted(entry, f"sources/{entry.name}") or not entry.is_file():
            continue
        if entry.name.endswith(".md"):
            yield "source", entry.name[:-3], f"sources/{entry.name}"
        elif entry.name.endswith(".html") and (root / "sources" / f"{entry.name[:-5]}.md").is_file():
            continue  # a source's original page: checked with its source (check_sources)
        else:
            yield "stray", "", f"sources/{entry.name}"


def add_actors(ds: Dataset, actors: ActorsFile) -> None:
    """The sides and actors of a loaded actors.yaml into `ds`, the first of a repeated id kept:
    the one way a dataset takes them, whether loaded from disk or staged by a write."""
    for side in actors.sides:
        ds.sides.setdefault(side.id, side)
    for actor in actors.actors:
        ds.actors.setdefault(actor.id, actor)


def load_dataset(root: Path, progress: Callable[[int, int], None] | None = None) -> tuple[Dataset, list[Problem]]:
    """Load every file under `root`. Never raises on bad data."""
    ds = Dataset()
    problems: list[Problem] = []
    files = list(dataset_files(root, problems))
    for n, (kind, ident, rel) in enumerate(files, 1):
        if progress and (n % 200 == 0 or n == len(files)):
            progress(n, len(files))
        if kind in ("issue", "claim", "source"):
            bad_name = _named(kind, ident)[1]  # a name that is no id is reported before any read
            if bad_name:
                problems += bad_name
                continue
        if kind in ("actors", "issue", "claim", "source"):
            text, found = _read_text(root, rel, walked=True)
            if text is None:
                problems += found
                continue
        if kind == "actors":
            actors, found = load_actors_text(text)
            problems += found
            if actors:
                add_actors(ds, actors)
        elif kind == "issue":
            issue, found = load_issue_text(ident, text)
            problems += found
            if issue:
                ds.issues[ident] = issue
        elif kind == "claim":
            claim, found = load_claim_text(ident, text)
            problems += found
            if claim:
                ds.claims[ident] = claim
        elif kind == "source":
            source, found = load_source_text(ident, text)
            problems += found
            if source:
                ds.sources[ident] = source
        elif rel.endswith("/"):
            problems.append(error(rel, 0, "missing-issue-file", f"the issue folder has no {ISSUE_FILE} — add one with a title and a question"))
        else:
            problems.append(warning(rel, 0, "stray-file", "not part of the format (claims are *.yaml, sources are *.md) — move or rename it"))
    if not any(kind == "actors" for kind, _, _ in files) and not any(p.path == ACTORS_FILE for p in problems):
        problems += load_actors(root)[1]
    return ds, problems


"""Finding the dataset, loading its files into models, and writing files back safely.

Loading never raises on bad data: it returns the dataset (without the files that failed) and the
problems, each with a path and the line of the offending key. Lines come from a second, mark-keeping
parse that runs only for files that have a problem, so the common path stays on the fast C loader.
The dataset carries a Locator of what was read, so that the check rules locate their problems
without reading a file again. Which kinds of file there are is layout.py's; how each is parsed is
FILE_KINDS, here.

What is not a file of the dataset is never read: a name that is not UTF-8 `[bad-file-name]`, a
symbolic link that points out of the dataset `[symlink-outside]`, a name that is not an id
`[bad-id]`. A key given twice in one mapping is `[duplicate-key]` (YAML would keep the last).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from .layout import ACTORS, CLAIM, FOLDER, ISSUE, ORIGINAL, SOURCE, STRAY, walk
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
    """The text of a dataset file. `walked`: the walk (layout.py) has already looked at every link on
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


def _line_in(node: Any, key: tuple, line_offset: int) -> int:
    """The 1-based line of `key` in a composed YAML node (None: a text that did not compose)."""
    if node is False:
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


def _compose(text: str) -> Any:
    """The node tree of a YAML text, with its marks; False when it does not compose."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return False


def locate(text: str, key: tuple, line_offset: int = 0) -> int:
    """The 1-based line of `key` (a path of mapping keys and list indexes) in YAML `text`."""
    return _line_in(_compose(text), key, line_offset)


@dataclass
class Locator:
    """Where a loaded dataset came from, for the rules: they read no file (beancount's way).

    `root`: the folder the files were read from. `texts`: every text the loader read (relative
    path -> its UTF-8 bytes, half the memory of most texts as str; `text` and `read` decode),
    the files that failed to load too; of a loaded source only its front matter (its body is the
    Source's, and would be held twice). A problem's line is found in it (`line`), and the marks
    are composed only for a file that has a problem, once. `present`: every file
    of the dataset, loaded or not (a rule asks it whether a name it cannot resolve is a file with
    errors, reported already). `originals`: the sha256 of each source's kept original page
    (source id -> digest), computed by the loader. `actors_data`: actors.yaml as parsed, for the
    rules that need positions in the file (the models keep the first of two equal ids, so their
    order is not the file's).

    A write validates its staged files with the same kind of locator: a `copy` with the staged
    files taken in (take_file), so a problem is located in the text that will be written."""

    root: Path | None = None
    texts: dict[str, bytes] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    originals: dict[str, str] = field(default_factory=dict)
    actors_data: dict = field(default_factory=dict)
    _nodes: dict[str, tuple[Any, int]] = field(default_factory=dict, repr=False)

    def text(self, rel: str) -> str:
        """The text of `rel` as read ("" when it was not read; a loaded source's front matter)."""
        return self.read(rel) or ""

    def read(self, rel: str) -> str | None:
        """The text of `rel` as read, None when it was not read (a loaded source's front matter)."""
        raw = self.texts.get(rel)
        return None if raw is None else raw.decode("utf-8", "surrogatepass")

    def keep(self, rel: str, text: str, body: str | None = None) -> None:
        """Keep the text of `rel` (`body`: a loaded source's, which is not kept again)."""
        if body:
            text = text[: len(text) - len(body)]
        self.texts[rel] = text.encode("utf-8", "surrogatepass")  # any str, back as it was
        self._nodes.pop(rel, None)

    def exists(self, rel: str) -> bool:
        return rel in self.present

    def line(self, rel: str, key: tuple) -> int:
        """The line of `key` in the file `rel`; 0 when the file was not read (or, for a source,
        has no front matter), and the file's first line for a key it does not have."""
        if rel not in self._nodes:
            text = self.read(rel)
            if text is None:
                return 0
            offset = 0
            if rel.endswith(".md"):
                split = split_front_matter(text)
                if split is None:
                    return 0
                text, offset = split[0], 1
            self._nodes[rel] = (_compose(text), offset)
        node, offset = self._nodes[rel]
        return _line_in(node, key, offset)

    def copy(self) -> "Locator":
        """A locator to stage files in (take_file) without changing this one."""
        return Locator(self.root, dict(self.texts), set(self.present), dict(self.originals), self.actors_data)


# ------------------------------------------------------------------------- the kinds of file


def _named_rel(kind: str, ident: str) -> tuple[str, list[Problem]]:
    return (ACTORS_FILE, []) if kind == ACTORS else _named(kind, ident)


def _parse_yaml_file(kind: str, ident: str, text: str) -> tuple[Any, list[Problem], Any]:
    """(model or None, problems, the parsed YAML) of one file of text, as FILE_KINDS[kind] says."""
    spec = FILE_KINDS[kind]
    rel, problems = _named_rel(kind, ident)
    if problems:
        return None, problems, None
    yaml_text, offset, split = text, 0, None
    if spec.front_matter:
        split = split_front_matter(text)
        if split is None:
            return None, [error(rel, 1, "no-front-matter", "no front matter: the file must start with a '---' line, the metadata, and a closing '---' line")], None
        yaml_text, offset = split[0], 1
    data, problems = _load_yaml(rel, yaml_text, offset)
    if problems:
        return None, problems, None
    value, problems = _validate(spec.model, data, rel, yaml_text, offset, **({"id": ident} if spec.keyed else {}))
    return spec.finish(ident, value, data, split), problems, data


def load_text(kind: str, ident: str, text: str) -> tuple[Any, list[Problem]]:
    """A file of text of any kind (layout.TEXT_KINDS) as its model, and its problems: the one
    loader behind load_actors_text, load_issue_text, load_claim_text and load_source_text."""
    value, problems, _ = _parse_yaml_file(kind, ident, text)
    return value, problems


def _as_is(ident: str, value: Any, data: Any, split: Any) -> Any:
    return value


def _actors_kept(ident: str, actors: Any, data: Any, split: Any) -> Any:
    """When some entries of actors.yaml are invalid, the valid ones still (so that one broken
    actor is one error, not an "unknown actor" in every claim)."""
    if actors is not None or not isinstance(data, dict):
        return actors
    return _valid_entries(data)


def _source_of(ident: str, meta: Any, data: Any, split: Any) -> Any:
    return None if meta is None else Source(id=ident, meta=meta, body=split[1], body_line=split[2])


@dataclass(frozen=True)
class FileKind:
    """How one kind of file (layout.py) is loaded: the model of its YAML (None: a file that is
    no YAML), whether the YAML is a source's front matter, whether the id comes from the path (a
    key `id` in the file is refused), what the validated model becomes (`finish`), and the
    Dataset's mapping it goes into (`into`; "" for actors.yaml, which fills sides and actors)."""

    model: Any = None
    into: str | None = None
    front_matter: bool = False
    keyed: bool = True
    finish: Callable[[str, Any, Any, Any], Any] = _as_is


# The one table of how each kind of file is parsed. It lives here, beside the pydantic loaders it
# drives, and not in layout.py, which must stay stdlib-only for the freshness check.
FILE_KINDS: dict[str, FileKind] = {
    ACTORS: FileKind(ActorsFile, "", keyed=False, finish=_actors_kept),
    ISSUE: FileKind(Issue, "issues"),
    CLAIM: FileKind(Claim, "claims"),
    SOURCE: FileKind(SourceMeta, "sources", front_matter=True, keyed=False, finish=_source_of),
    ORIGINAL: FileKind(),
    FOLDER: FileKind(),
    STRAY: FileKind(),
}


def take_file(ds: Dataset | None, locator: Locator, kind: str, ident: str, rel: str, content: str | bytes | None) -> list[Problem]:
    """Put one file into the dataset (its model, in place of what the same file gave before) and
    into the locator (its text, its presence, an original page's digest); its problems.
    `ds` None: the locator only. A FOLDER or a STRAY is no content, only a problem."""
    locator.present.add(rel)
    if kind == ORIGINAL:
        import hashlib

        locator.originals[ident] = hashlib.sha256(content).hexdigest()
        return []
    if kind == FOLDER:
        return [error(rel, 0, "missing-issue-file", f"the issue folder has no {ISSUE_FILE} — add one with a title and a question")]
    if kind == STRAY:
        return [warning(rel, 0, "stray-file", "not part of the format (claims are *.yaml, sources are *.md) — move or rename it")]
    value, problems, data = _parse_yaml_file(kind, ident, content)
    locator.keep(rel, content, value.body if kind == SOURCE and value is not None else None)
    into = FILE_KINDS[kind].into
    if kind == ACTORS:
        locator.actors_data = data if isinstance(data, dict) else {}
    if ds is None:
        return problems
    if into:
        found = getattr(ds, into)
        found.pop(ident, None)
        if value is not None:
            found[ident] = value
    else:  # actors.yaml: sides and actors, in place of the ones it gave before
        ds.sides, ds.actors = {}, {}
        if value is not None:
            add_actors(ds, value)
    return problems


def _read_file(root: Path, kind: str, rel: str, walked: bool = False) -> tuple[str | bytes | None, list[Problem]]:
    """The content of a walked file: text (decoded UTF-8), bytes for an original page."""
    if kind in (FOLDER, STRAY):
        return None, []
    if kind == ORIGINAL:
        try:
            return (root / rel).read_bytes(), []
        except OSError as exc:
            return None, [error(rel, 0, "unreadable", f"cannot read: {exc.strerror}")]
    return _read_text(root, rel, walked)


def load_actors(root: Path) -> tuple[ActorsFile | None, list[Problem]]:
    if not (root / ACTORS_FILE).exists():
        return None, [error(ACTORS_FILE, 0, "missing-file", "claims/actors.yaml is missing — create it with a 'sides:' list (see docs/format.md)")]
    text, problems = _read_text(root, ACTORS_FILE)
    if text is None:
        return None, problems
    return load_actors_text(text)


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


# load_text under the name of each kind, typed, as callers (and tests) spell them.
def load_actors_text(text: str) -> tuple[ActorsFile | None, list[Problem]]:
    return load_text(ACTORS, "", text)


def load_issue_text(issue_id: str, text: str) -> tuple[Issue | None, list[Problem]]:
    return load_text(ISSUE, issue_id, text)


def load_claim_text(claim_id: str, text: str) -> tuple[Claim | None, list[Problem]]:
    return load_text(CLAIM, claim_id, text)


def load_source_text(source_id: str, text: str) -> tuple[Source | None, list[Problem]]:
    return load_text(SOURCE, source_id, text)


def load_file(root: Path, kind: str, ident: str) -> tuple[Any, list[Problem]]:
    """One file of text of the dataset, by kind and id, as its model (read through
    paths.dataset_file: a link out of the dataset is refused)."""
    rel, problems = _named_rel(kind, ident)
    if problems:
        return None, problems
    text, problems = _read_text(root, rel)
    if text is None:
        return None, problems
    return load_text(kind, ident, text)


def load_claim(root: Path, claim_id: str) -> tuple[Claim | None, list[Problem]]:
    return load_file(root, CLAIM, claim_id)


def add_actors(ds: Dataset, actors: ActorsFile) -> None:
    """The sides and actors of a loaded actors.yaml into `ds`, the first of a repeated id kept:
    the one way a dataset takes them, whether loaded from disk or staged by a write."""
    for side in actors.sides:
        ds.sides.setdefault(side.id, side)
    for actor in actors.actors:
        ds.actors.setdefault(actor.id, actor)


def load_dataset(root: Path, progress: Callable[[int, int], None] | None = None) -> tuple[Dataset, list[Problem]]:
    """Load every file under `root`, with the locator of what was read (Dataset.locator). Never
    raises on bad data."""
    ds = Dataset()
    locator = ds.locator = Locator(root)
    problems: list[Problem] = []
    files = list(walk(root, problems))
    locator.present.update(p.path for p in problems)  # a file refused is there: its problem is said
    for n, (kind, ident, rel) in enumerate(files, 1):
        if progress and (n % 200 == 0 or n == len(files)):
            progress(n, len(files))
        if kind in (ISSUE, CLAIM, SOURCE):
            bad_name = _named(kind, ident)[1]  # a name that is no id is reported before any read
            if bad_name:
                locator.present.add(rel)
                problems += bad_name
                continue
        content, found = _read_file(root, kind, rel, walked=True)
        if found:
            locator.present.add(rel)
            problems += found
            continue
        problems += take_file(ds, locator, kind, ident, rel, content)
    if not any(kind == ACTORS for kind, _, _ in files) and not any(p.path == ACTORS_FILE for p in problems):
        problems += load_actors(root)[1]
    return ds, problems


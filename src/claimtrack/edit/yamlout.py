"""The one home for writing YAML: every file claimtrack writes or rewrites is emitted here.

Why one module: a claim written by `add`, by `import` and by `source add` must look the same
(the documented key order, long strings folded near 100 columns, dates as plain scalars), and an
existing file must be edited round-trip, so a person's comments and layout survive a status change
or a link (ruamel.yaml, imported inside the functions: the CLI's start-up never pays for it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..model import LINK_BASES, LINK_TYPES, Claim, Dataset, FuzzyDate
from .inputs import Cite, NewActor, NewIssue, NewSide, check_choice, parse_date, side_colour


CLAIM_KEYS = ("statement", "kind", "by", "said_on", "after", "status", "rebuts", "supports", "supersedes", "against", "answers", "history", "citations", "tags")
WIDTH = 100  # fold long strings to fit this many columns



# ------------------------------------------------------------------------------------- YAML


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # folding is ours (fold_text); never let the emitter re-wrap a line
    return y


def load_rt(text: str) -> Any:
    """A YAML text as ruamel's round-trip tree: comments and layout kept for dump_rt."""
    return _yaml().load(text)


def dump_rt(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


_START = re.compile(r"---(?:[ \t]+#.*)?[ \t]*")  # a document start marker, alone or with a comment
_END = re.compile(r"\.\.\.(?:[ \t]+#.*)?[ \t]*")  # a document end marker
_ASIDE = re.compile(r"(?:[ \t]*(?:#.*)?|%.*)")  # a blank line, a comment or a directive


@dataclass(frozen=True)
class Layout:
    """What a person chose about a file's bytes that the YAML library does not keep: a byte
    order mark, CRLF line endings, the lines up to a `---` start marker (directives, comments),
    the lines from a `...` end marker on, and whether the last line ends in a line break.
    `split` takes them off a text; `join` puts them back on a rewritten body."""

    bom: str = ""
    newline: str = "\n"
    head: str = ""
    tail: str = ""
    final_newline: bool = True

    @classmethod
    def split(cls, text: str) -> tuple["Layout", str]:
        """(the layout, the document's body with LF line endings and no markers)."""
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom):]
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"
        final_newline = text.endswith("\n") or not text
        lines = text.replace("\r\n", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        start = 0
        for i, line in enumerate(lines):
            if _START.fullmatch(line):
                start = i + 1
                break
            if not _ASIDE.fullmatch(line):
                break
        end = len(lines)
        for i in range(len(lines) - 1, start - 1, -1):
            if _END.fullmatch(lines[i]):
                end = i
                break
            if not _ASIDE.fullmatch(lines[i]) or lines[i].startswith("%"):
                break
        join = "\n".join
        head = join(lines[:start]) + "\n" if start else ""
        tail = join(lines[end:]) + "\n" if end < len(lines) else ""
        body = join(lines[start:end]) + "\n" if end > start else ""
        return cls(bom, newline, head, tail, final_newline), body

    def join(self, body: str) -> str:
        text = self.head + body + self.tail
        if not self.final_newline and text.endswith("\n"):
            text = text[:-1]
        return self.bom + text.replace("\n", self.newline)


def rewrite_yaml(text: str, change) -> str:
    """`text` with `change(data)` applied to its round-trip tree, and every byte the change does
    not touch as the person left it: comments and layout (ruamel), and the BOM, line endings and
    document markers (Layout)."""
    layout, body = Layout.split(text)
    data = load_rt(body)
    change(data)
    return layout.join(dump_rt(data))


def _fold_positions(text: str, width: int) -> list[int]:
    """Indexes of the single spaces where a greedy wrap at `width` breaks the line."""
    spaces = [i for i, ch in enumerate(text) if ch == " " and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " "]
    out: list[int] = []
    start, prev = 0, None
    for s in spaces + [len(text)]:
        if s - start > width and prev is not None and prev > start:
            out.append(prev)
            start = prev + 1
        prev = s
    return out


def fold_text(text: str, key: str = "", indent: int = 2) -> Any:
    """`text` as a YAML scalar for `key:` at column indent-2: folded (`>-`) when the line would pass
    WIDTH columns and the text folds losslessly, else left for the emitter to quote as it needs."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    one_line = indent - 2 + len(key) + 2 + len(text) + 2
    foldable = text == text.strip() and all(ch.isprintable() for ch in text) and " " in text
    if one_line <= WIDTH or not foldable:
        return text
    folded = FoldedScalarString(text)
    folded.fold_pos = _fold_positions(text, WIDTH - indent)
    return folded


def quoted(text: str, key: str = "quote", indent: int = 6) -> Any:
    """A quotation: in double quotes when it fits on the line, folded when it is long."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    node = fold_text(text, key, indent)
    return DoubleQuotedScalarString(text) if node is text else node


def date_scalar(value: str) -> Any:
    """A date as a plain YAML scalar: 2025-11-05, 2025-11 or 2025 (never quoted); any other EDTF
    form (../2025-11-05, an interval) as the string it is."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    if value.count("-") == 0 and value.isdigit():
        return int(value)
    return value


def date_node(date: FuzzyDate, indent: int) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not date.inferred:
        return date_scalar(date.value)
    node = CommentedMap()
    node["value"] = date_scalar(date.value)
    node["inferred"] = True
    node["note"] = fold_text(date.note or "", "note", indent + 2)
    return node


def flow_list(items: Iterable[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(items))
    seq.fa.set_flow_style()
    return seq


def history_entry(change_on: FuzzyDate, status: str, note: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["on"] = date_node(change_on, 4)
    entry["status"] = status
    entry["note"] = fold_text(note, "note", 6)
    return entry


def citation_entry(cite: "Cite") -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["source"] = cite.source
    entry["quote"] = quoted(cite.quote)
    if cite.channel:
        entry["channel"] = fold_text(cite.channel, "channel", 6)
    if cite.reported_by:
        entry["reported_by"] = flow_list(cite.reported_by)
    if cite.reported_on:
        entry["reported_on"] = date_node(parse_date(cite.reported_on, cite.reported_on_note, "reported_on"), 6)
    if cite.via:
        entry["via"] = fold_text(cite.via, "via", 6)
    if cite.note:
        entry["note"] = fold_text(cite.note, "note", 6)
    return entry


def _insert_in_order(data: Any, key: str, value: Any, order: tuple[str, ...] = CLAIM_KEYS) -> None:
    """Set `key` in a round-trip mapping; a new key goes where the documented order puts it."""
    if key in data:
        data[key] = value
        return
    rank = order.index(key)
    pos = 0
    for i, existing in enumerate(data):
        if existing in order and order.index(existing) < rank:
            pos = i + 1
    data.insert(pos, key, value)



def claim_yaml(claim: Claim) -> str:
    """A claim as its file: the documented key order (CLAIM_KEYS), folded text, plain dates, flow
    lists. A new claim comes as ClaimDraft.as_claim(), an imported one as the model it loaded as."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = CommentedMap()
    for key in CLAIM_KEYS:
        value = getattr(claim, key)
        if key == "statement":
            data[key] = fold_text(value, key)
        elif key == "said_on":
            data[key] = date_node(value, 2)
        elif key in ("kind", "by", "status", "after"):
            if value is not None:
                data[key] = value
        elif key in LINK_TYPES:
            entries = [link_entry(ref.claim, None if ref.basis == "analyst" and not ref.note else ref.basis, ref.note) for ref in value]
            if entries and all(isinstance(e, str) for e in entries):
                data[key] = flow_list(entries)
            elif entries:
                data[key] = CommentedSeq(entries)
        elif key in ("tags", "against"):
            if value:
                data[key] = flow_list(value)
        elif key == "answers":
            if value:
                data[key] = CommentedSeq([CommentedMap({"against": a.against, "note": a.note}) for a in value])
        elif key == "history":
            if value:
                data[key] = CommentedSeq([history_entry(h.on, h.status, h.note) for h in value])
        elif key == "citations":
            data[key] = CommentedSeq([citation_entry(Cite.of(c)) for c in value])
    return dump_rt(data)


def issue_yaml(issue: NewIssue) -> str:
    from ruamel.yaml.comments import CommentedMap

    data = CommentedMap()
    data["title"] = fold_text(issue.title, "title")
    data["question"] = fold_text(issue.question, "question")
    if issue.summary:
        data["summary"] = fold_text(issue.summary, "summary")
    return dump_rt(data)


def actors_with(text: str, actor: NewActor) -> str:
    """actors.yaml with one more actor at the end, everything else (comments too) kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    layout, body = Layout.split(text)
    data = load_rt(body)
    entry = CommentedMap()
    entry["id"] = actor.id
    entry["name"] = actor.name
    if actor.kind != "person":
        entry["kind"] = actor.kind
    if actor.side is not None:
        entry["side"] = actor.side
    if actor.role:
        entry["role"] = fold_text(actor.role, "role", 6)
    if actor.aliases:
        entry["aliases"] = flow_list(actor.aliases)
    if data.get("actors") is None or not len(data["actors"]):
        data["actors"] = CommentedSeq()  # a flow `actors: []` becomes a block list
    data["actors"].append(entry)
    return layout.join(dump_rt(data))


def sides_with(text: str, side: NewSide, ds: Dataset | None = None) -> str:
    """actors.yaml with one more side after the others, everything else (comments too) kept.
    An empty `sides: []` (as `claimtrack init` writes it) becomes a block list."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    layout, body = Layout.split(text)
    data = load_rt(body) if body.strip() else CommentedMap()
    if data is None:
        data = CommentedMap()
    entry = CommentedMap()
    entry["id"] = side.id
    entry["name"] = side.name
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    colour = side.colour if side.colour is not None else side_colour(ds or Dataset(), None)
    entry["colour"] = DoubleQuotedScalarString(colour) if colour.startswith("#") else colour
    sides = data.get("sides")
    if sides is None or not len(sides):
        fresh = CommentedSeq()
        if "sides" in data:
            data["sides"] = fresh
        else:
            data.insert(0, "sides", fresh)
        sides = fresh
    sides.append(entry)
    actors = data.get("actors")
    if actors is not None and not len(actors):
        data["actors"] = CommentedSeq()
    return layout.join(dump_rt(data))



def link_entry(other_id: str, basis: str | None = None, note: str | None = None) -> Any:
    """A link as the file spells it: the plain id, or `{claim, basis, note}` when either is said."""
    if basis is None and not note:
        return other_id
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap({"claim": other_id})
    entry["basis"] = check_choice(basis or "analyst", LINK_BASES, "link basis")
    if note:
        entry["note"] = note
    entry.fa.set_flow_style()
    return entry

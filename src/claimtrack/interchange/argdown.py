"""Argdown, the plain-text argument maps of argdown.org: one section per issue, one sub-section per
thread, each claim a statement titled with its claim id.

A statement's text is the claim's statement (Argdown's special characters escaped with a
backslash), followed by tags for its kind, status and side; its data (`{...}`, one line of JSON,
which is YAML) holds the claim as its file does, under `claimtrack`; the front matter holds the
sides, actors, issues and archived sources. rebuts is an attack (`->`), supports a support (`+>`),
written under the claim that makes them; supersedes has no Argdown relation and stays in the data.

The import reads the subset of Argdown a map of claims needs: statements, their tags and data,
support and attack relations (outgoing `+>` `->` and incoming `+` `-` `<+` `<-`), sections and
front matter. Arguments (`<...>`, premise-conclusion structures), undercuts and contradictions
have no place in claimtrack and are reported.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .bundle import EXTENSION, Bundle, Imported, carry, merge_claim, take_extension

SPECIAL = set("\\#[]<>*_@{}/")


def escape(text: str) -> str:
    """Text as Argdown reads it back verbatim: every character with a meaning escaped."""
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in " ".join(text.split()))


def _tag(label: str) -> str:
    return f"#({label.replace(')', '').replace('(', '')})"


def export_argdown(bundle: Bundle) -> str:
    ext = carry(bundle)
    claims_data = ext.pop("claims")
    front = {"title": bundle.views[0].issue.title if len(bundle.views) == 1 else "claimtrack export", EXTENSION: ext}
    lines = ["===", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()), "===", ""]
    claims = bundle.claims
    out_links: dict[str, list] = {}
    for link in bundle.links:
        out_links.setdefault(link.src, []).append(link)
    done: set[str] = set()
    for view in bundle.views:
        lines += [f"# {escape(view.issue.title)}", ""]
        for root in view.threads:
            lines += [f"## Thread from {root.claim.id}", ""]
            for node in root.walk():
                cid = node.claim.id
                if cid in done:
                    continue
                done.add(cid)
                c = claims[cid]
                side = bundle.sides.get(c.side)
                tags = [_tag(f"kind: {c.kind}"), _tag(f"status: {c.status}")] + ([_tag(f"side: {side.id}")] if side else [])
                lines.append(f"[{cid}]: {escape(c.statement)} {' '.join(tags)}")
                lines.append("    " + json.dumps({EXTENSION: claims_data[cid]}, ensure_ascii=False))
                for link in out_links.get(cid, []):
                    if link.type == "rebuts":
                        lines.append(f"    -> [{link.dst}]")
                    elif link.type == "supports":
                        lines.append(f"    +> [{link.dst}]")
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------- import

_STATEMENT = re.compile(r"^\[(?P<title>[^\]]+)\]:\s*(?P<text>.*)$")
_RELATION = re.compile(r"^(?P<op>->|\+>|<-|<\+|_>|<_|><|-|\+)\s*(?:\[(?P<title>[^\]]+)\]|<(?P<arg>[^>]+)>)(?::\s*(?P<text>.*))?$")
_HEADING = re.compile(r"^#{1,6}\s")
NEEDS = {
    "id": "title the statement with its claim id, [<issue>/<name>]",
    "kind": "Argdown has no kind of claim: give it in the statement's data (claimtrack: {kind: ...}), see docs/interchange.md",
    "by": "Argdown has no speaker: give an actor id in the statement's data (claimtrack: {by: ...})",
    "said_on": "Argdown has no date: give said_on in the statement's data",
    "status": "give status in the statement's data or a #(status: ...) tag",
    "statement": "the statement has no text",
    "citations": "Argdown has no citations: give them in the statement's data (claimtrack: {citations: [{source, quote}]}) and the archived sources in the front matter",
}


def split_tags(raw: str) -> tuple[str, list[str]]:
    """(the text without its tags, unescaped; the tags) of an Argdown statement's text."""
    text: list[str] = []
    tags: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            text.append(raw[i + 1])
            i += 2
            continue
        if ch == "#" and (i == 0 or raw[i - 1] in " \t"):
            if raw[i + 1 : i + 2] == "(":
                end = raw.find(")", i)
                end = len(raw) if end < 0 else end
                tags.append(raw[i + 2 : end])
                i = end + 1
                continue
            m = re.match(r"[\w-]+", raw[i + 1 :])
            if m:
                tags.append(m.group(0))
                i += 1 + m.end()
                continue
        text.append(ch)
        i += 1
    return " ".join("".join(text).split()), tags


def _data(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        from ..store import parse_yaml

        return parse_yaml(raw)


def import_argdown(text: str) -> Imported:
    """An Argdown document back into claims (see the module's docstring for the subset read)."""
    imp = Imported()
    lines = text.splitlines()
    start = 0
    front: Any = None
    if lines and lines[0].strip() == "===":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "==="), None)
        if end is not None:
            from ..store import parse_yaml

            front = parse_yaml("\n".join(lines[1:end]))
            start = end + 1
    ext = front.get(EXTENSION) if isinstance(front, dict) else None
    if isinstance(ext, dict):
        ext = {**ext, "claims": {}}
    take_extension(imp, ext, "the front matter")
    statements: dict[str, dict] = {}  # title -> {line, text, tags, data}
    links: dict[str, dict[str, list[str]]] = {}
    stack: list[tuple[int, str]] = []  # (indent, title) of the statements relations hang from

    def define(title: str, raw: str | None, line: int) -> None:
        s = statements.setdefault(title, {"line": line, "text": None, "tags": [], "data": None})
        if raw:
            body, tags = split_tags(raw)
            if s["text"] is None and body:
                s["text"], s["line"] = body, line
            s["tags"] += tags

    def relate(src: str, link_type: str, dst: str) -> None:
        targets = links.setdefault(src, {}).setdefault(link_type, [])
        if dst not in targets:
            targets.append(dst)

    in_comment = False
    for n, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if in_comment or stripped.startswith("/*"):
            in_comment = "*/" not in stripped
            continue
        if not stripped or stripped.startswith("//"):
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            stack = []
            if _HEADING.match(line):
                continue
            m = _STATEMENT.match(line)
            if m:
                define(m["title"], m["text"], n)
                stack = [(0, m["title"])]
            else:
                imp.unmapped.append(f"line {n}: '{stripped[:60]}' (not a statement; arguments and other Argdown have no place in claimtrack)")
            continue
        while stack and stack[-1][0] >= indent and len(stack) > 1:
            stack.pop()
        if not stack:
            imp.unmapped.append(f"line {n}: an indented line outside any statement")
            continue
        owner = stack[-1][1]
        if stripped.startswith("{"):
            data = _data(stripped)
            if isinstance(data, dict):
                statements[owner]["data"] = data
            continue
        m = _RELATION.match(stripped)
        if not m:
            imp.unmapped.append(f"line {n}: '{stripped[:60]}'")
            continue
        if m["arg"] is not None or m["op"] in ("_>", "<_", "><"):
            imp.unmapped.append(f"line {n}: '{stripped[:60]}' (undercuts, contradictions and arguments have no place in claimtrack)")
            continue
        other = m["title"]
        define(other, m["text"], n)
        op = m["op"]
        if op == "->":
            relate(owner, "rebuts", other)
        elif op == "+>":
            relate(owner, "supports", other)
        elif op in ("-", "<-"):
            relate(other, "rebuts", owner)
        else:
            relate(other, "supports", owner)
        stack.append((indent, other))
    for title, s in statements.items():
        data = s["data"] if isinstance(s["data"], dict) else {}
        carried = data.get(EXTENSION) if isinstance(data.get(EXTENSION), dict) else None
        for key in data:
            if key != EXTENSION:
                imp.unmapped.append(f"{title}: the data key '{key}'")
        native: dict[str, Any] = {"statement": s["text"]}
        for link_type, targets in links.get(title, {}).items():
            native[link_type] = targets
        carried_tags = {f"kind: {carried.get('kind')}", f"status: {carried.get('status')}"} if carried else set()
        for tag in s["tags"]:
            key, _, value = tag.partition(": ")
            if key == "status" and value:
                native["status"] = value
            elif key == "kind" and value:
                native["kind"] = value
            elif key == "side" or tag in carried_tags:
                pass  # the side follows from the actor
            else:
                imp.unmapped.append(f"{title}: the tag #{tag}")
        if carried is not None and "supersedes" in carried:
            native["supersedes"] = carried["supersedes"]
        merge_claim(imp, title, native, carried, s["line"], NEEDS, exact=("rebuts", "supports"))
    return imp

"""The thread graph as Graphviz DOT and as Mermaid: claims as boxes filled in their side's colour
(from the data), each link an arrow from the claim that answers to the claim it answers, labelled
with its type, so that "A rebuts B" reads along the arrow. One cluster (subgraph) per issue.
"""

from __future__ import annotations

import textwrap

from .bundle import Bundle

EDGE_STYLE = {"rebuts": "solid", "supports": "dashed", "supersedes": "dotted"}


def _label(bundle: Bundle, cid: str) -> list[str]:
    c = bundle.claims[cid]
    actor = bundle.actors.get(c.by)
    return [f"{actor.name if actor else c.by}, {c.said_on}{' (inferred)' if c.said_on_inferred else ''}", *textwrap.wrap(c.statement, 48), f"[{cid} · {c.kind} · {c.status}]"]


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _hex(colour: str) -> str:
    """A side's colour as #rrggbb (a name such as dark_orange turned into its hex; grey if none)."""
    from ..colours import colour_hex

    return colour_hex(colour) or "#777777"


def export_dot(bundle: Bundle) -> str:
    out = ["digraph claimtrack {", '  graph [rankdir=BT, fontname="Helvetica", labelloc=t];',
           '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9, arrowhead=normal];']
    for n, view in enumerate(bundle.views, 1):
        out.append(f"  subgraph cluster_{n} {{")
        out.append(f"    label={_dot_quote(view.issue.title)};")
        for cid, c in view.claims.items():
            side = bundle.sides.get(c.side)
            colour = _hex(side.colour) if side else "#ffffff"
            label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in _label(bundle, cid))
            out.append(f'    {_dot_quote(cid)} [label="{label}", color="{colour}", fillcolor="{colour}40"];')
        out.append("  }")
    for link in bundle.links:
        out.append(f"  {_dot_quote(link.src)} -> {_dot_quote(link.dst)} [label={_dot_quote(link.type)}, style={EDGE_STYLE[link.type]}];")
    out.append("  subgraph cluster_legend {")
    out.append('    label="Sides"; style=dashed;')
    for side in bundle.used_sides():
        out.append(f'    {_dot_quote("side:" + side.id)} [label={_dot_quote(side.name)}, color="{_hex(side.colour)}", fillcolor="{_hex(side.colour)}40"];')
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def _mm_text(text: str) -> str:
    """Text inside a Mermaid quoted label: its entity codes for the characters Mermaid reads."""
    return "".join({"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;"}.get(ch, ch) for ch in text)


def export_mermaid(bundle: Bundle) -> str:
    ids = {cid: f"c{n}" for n, cid in enumerate(bundle.claims, 1)}
    out = ["flowchart BT"]
    for n, view in enumerate(bundle.views, 1):
        out.append(f'  subgraph issue{n}["{_mm_text(view.issue.title)}"]')
        for cid in view.claims:
            out.append(f'    {ids[cid]}["{"<br/>".join(_mm_text(x) for x in _label(bundle, cid))}"]')
        out.append("  end")
    arrows = {"rebuts": "-->", "supports": "-.->", "supersedes": "==>"}
    for link in bundle.links:
        out.append(f"  {ids[link.src]} {arrows[link.type]}|{link.type}| {ids[link.dst]}")
    for n, side in enumerate(bundle.used_sides(), 1):
        out.append(f"  classDef side{n} fill:{_hex(side.colour)}40,stroke:{_hex(side.colour)}")
        members = [ids[cid] for cid, c in bundle.claims.items() if c.side == side.id]
        if members:
            out.append(f"  class {','.join(members)} side{n}")
    return "\n".join(out) + "\n"

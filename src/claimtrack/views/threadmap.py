"""A thread of claims drawn as an SVG map: the brief's picture of an exchange, and `export --format svg`.

    thread_svg(claims, links, href) -> str     # one map: claims as boxes, links as labelled arrows
    issue_svg(brief, href) -> str              # every claim of one brief and every link between them

Nodes are claims: a box outlined and tinted in the side's colour, and — so that nothing depends
on colour — the side's name and the status in words inside the box, and the status also as the
box's outline pattern (solid asserted, dashed disputed, double corroborated, ...). Edges are links,
drawn from the claim that answers to the claim it answers ("C4 rebuts C1" reads along the arrow),
each labelled with its type in words and with a line pattern of its own (rebuts solid, supports
dashed, supersedes dotted), the arrowhead a filled triangle at the answered claim.

The layout is grandalf's Sugiyama (layered) layout: a maintained, pure-Python implementation of
the algorithm Graphviz `dot` uses, chosen over calling `dot` because it needs no binary (the
brief works where Graphviz is not installed) and gives the same coordinates on every machine
(the brief is byte-identical across runs; `dot`'s output varies between its versions). Answered
claims sit above their answers, so a thread reads top to bottom in the order it unfolded.

Every value from the data is escaped (`xml.sax.saxutils`); each node is an `<a href>` to the
claim's card, the href built here from the claim's ref, never from the data. No script, no style
sheet fetched: presentation attributes only, so the map looks the same inline and standalone.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .datewords import prose_date

NODE_W = 200
NODE_H = 66
GAP_X = 36
GAP_Y = 74
PAD = 14

# Status as an outline pattern, so it reads without colour (the word is in the box too).
STATUS_DASH = {
    "asserted": None,
    "disputed": "7 4",
    "corroborated": None,
    "refuted": "2 3",
    "retracted": "1 4",
    "superseded": "10 3 2 3",
}
# Status pills: a colour by meaning (never a side's), the word always written.
STATUS_FILL = {
    "asserted": ("#eeeeee", "#333333"),
    "disputed": ("#fff0c2", "#6b4e00"),
    "corroborated": ("#dcf2dc", "#1d5a1d"),
    "refuted": ("#fde0dc", "#8a1c10"),
    "retracted": ("#e6e6e6", "#444444"),
    "superseded": ("#e6e6e6", "#444444"),
}
EDGE_DASH = {"rebuts": None, "supports": "6 4", "supersedes": "2 3"}
INK = "#1b1b1b"
XMLNS = ' xmlns="http://www.w3.org/2000/svg"'


@dataclass
class MapNode:
    key: str  # claim id
    ref: str  # "C3"
    side: str  # the side's name
    colour: str  # #rrggbb, validated by the brief
    actor: str
    date: str  # for display
    status: str
    statement: str  # shown as the node's tooltip (<title>)
    href: str


@dataclass
class MapEdge:
    src: str  # the claim that answers
    dst: str  # the claim it answers
    type: str  # rebuts | supports | supersedes


def _clip(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def layout(nodes: list[MapNode], edges: list[MapEdge]) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Centres of the node boxes (top-left origin) and the drawing's width and height: grandalf's
    Sugiyama layout per connected component, the components side by side in the order given."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout

    class View:
        def __init__(self) -> None:
            self.w, self.h, self.xy = NODE_W + GAP_X, NODE_H + GAP_Y / 2, (0.0, 0.0)

    vertices = {n.key: Vertex(n.key) for n in nodes}
    for v in vertices.values():
        v.view = View()
    # Layered from the answered claim down to its answers: the grandalf edge runs dst -> src.
    gedges = [Edge(vertices[e.dst], vertices[e.src]) for e in edges if e.src in vertices and e.dst in vertices and e.src != e.dst]
    graph = Graph(list(vertices.values()), gedges)
    centres: dict[str, tuple[float, float]] = {}
    x0, height = 0.0, 0.0
    order = {n.key: i for i, n in enumerate(nodes)}
    for comp in sorted(graph.C, key=lambda c: min(order[v.data] for v in c.sV)):
        sug = SugiyamaLayout(comp)
        sug.xspace, sug.yspace = GAP_X, GAP_Y
        roots = [v for v in sorted(comp.sV, key=lambda v: order[v.data]) if len(v.e_in()) == 0]
        sug.init_all(roots=roots or None)
        sug.draw(3)
        xs = [v.view.xy[0] for v in comp.sV]
        ys = [v.view.xy[1] for v in comp.sV]
        left, top = min(xs), min(ys)
        for v in comp.sV:
            centres[v.data] = (round(x0 + v.view.xy[0] - left + NODE_W / 2, 1), round(v.view.xy[1] - top + NODE_H / 2, 1))
        x0 += max(xs) - left + NODE_W + GAP_X
        height = max(height, max(ys) - top + NODE_H)
    return centres, max(x0 - GAP_X, NODE_W), height


def _border_point(cx: float, cy: float, tx: float, ty: float) -> tuple[float, float]:
    """Where the segment from the box centred at (cx, cy) towards (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    sx = (NODE_W / 2 + 3) / abs(dx) if dx else float("inf")
    sy = (NODE_H / 2 + 3) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return cx + dx * s, cy + dy * s


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def thread_svg(nodes: list[MapNode], edges: list[MapEdge], title: str, uid: str = "map", standalone: bool = False) -> str:
    """One map as an <svg> element (with an XML declaration when `standalone`); `uid` prefixes
    its marker ids, unique within one page."""
    centres, width, height = layout(nodes, edges)
    w, h = width + 2 * PAD, height + 2 * PAD
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(
        f'<svg{XMLNS if standalone else ""} class="map" viewBox="0 0 {_n(w)} {_n(h)}" width="{_n(w)}" height="{_n(h)}" '
        f'role="img" aria-label={quoteattr(title)} font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">'
    )
    out.append(f"<title>{escape(title)}</title>")
    out.append("<defs>")
    for t in ("rebuts", "supports", "supersedes"):
        out.append(f'<marker id="{uid}-arrow-{t}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse">'
                   f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker>')
    out.append("</defs>")
    labels = []
    for e in edges:
        if e.src not in centres or e.dst not in centres:
            continue
        (sx, sy), (dx, dy) = centres[e.src], centres[e.dst]
        x1, y1 = _border_point(sx + PAD, sy + PAD, dx + PAD, dy + PAD)
        x2, y2 = _border_point(dx + PAD, dy + PAD, sx + PAD, sy + PAD)
        dash = f' stroke-dasharray="{EDGE_DASH[e.type]}"' if EDGE_DASH.get(e.type) else ""
        out.append(f'<g class="edge" data-type="{escape(e.type)}" data-from={quoteattr(e.src)} data-to={quoteattr(e.dst)}>'
                   f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{INK}" stroke-width="1.6"{dash} '
                   f'marker-end="url(#{uid}-arrow-{escape(e.type)})"/></g>')
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        lw = 7 * len(e.type) + 10
        labels.append(f'<g class="edge-label"><rect x="{_n(mx - lw / 2)}" y="{_n(my - 9)}" width="{_n(lw)}" height="16" rx="3" fill="#ffffff" stroke="#bbbbbb"/>'
                      f'<text x="{_n(mx)}" y="{_n(my + 3.5)}" font-size="11" font-style="italic" text-anchor="middle" fill="{INK}">{escape(e.type)}</text></g>')
    for n in nodes:
        if n.key not in centres:
            continue
        cx, cy = centres[n.key]
        x, y = cx + PAD - NODE_W / 2, cy + PAD - NODE_H / 2
        dash = STATUS_DASH.get(n.status)
        stroke = f' stroke-dasharray="{dash}"' if dash else ""
        width_ = "3.5" if n.status == "corroborated" else "2"
        fill, ink = STATUS_FILL.get(n.status, ("#eeeeee", "#333333"))
        pill = f"{n.status}"
        pw = 6.2 * len(pill) + 12
        out.append(f'<a class="node" href={quoteattr(n.href)} data-claim={quoteattr(n.key)}>')
        out.append(f"<title>{escape(n.ref + ' · ' + n.side + ' · ' + n.actor + ', ' + n.date + ' · ' + n.status + ': ' + n.statement)}</title>")
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{n.colour}" fill-opacity="0.10" '
                   f'stroke="{n.colour}" stroke-width="{width_}"{stroke}/>')
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="6" height="{NODE_H}" fill="{n.colour}"/>')
        out.append(f'<text x="{_n(x + 14)}" y="{_n(y + 18)}" font-size="13" fill="{INK}"><tspan font-weight="700">{escape(n.ref)}</tspan>'
                   f"<tspan> · {escape(_clip(n.side, 20))}</tspan></text>")
        out.append(f'<text x="{_n(x + 14)}" y="{_n(y + 35)}" font-size="11" fill="#444444">{escape(_clip(n.actor, 28))}</text>')
        out.append(f'<text x="{_n(x + 20 + pw)}" y="{_n(y + 55)}" font-size="11" fill="#444444">{escape(_clip(n.date, max(4, int((NODE_W - 34 - pw) / 6.2))))}</text>')
        out.append(f'<rect x="{_n(x + 14)}" y="{_n(y + 43)}" width="{_n(pw)}" height="16" rx="8" fill="{fill}" stroke="{ink}" stroke-width="0.8"/>'
                   f'<text x="{_n(x + 14 + pw / 2)}" y="{_n(y + 55)}" font-size="11" text-anchor="middle" fill="{ink}">{escape(pill)}</text>')
        out.append("</a>")
    out.extend(labels)  # labels last, so no box covers them
    out.append("</svg>")
    return "\n".join(out) + "\n"


def nodes_and_edges(claims, href=lambda c: f"#{c.anchor}") -> tuple[list[MapNode], list[MapEdge]]:
    """Map nodes for brief ClaimItems, and an edge for every link between two of them."""
    keys = {c.id for c in claims}
    nodes = [MapNode(c.id, c.ref, c.side.name, c.side.colour, c.actor_name, prose_date(c.said_on, c.said_on_inferred), c.status, c.statement, href(c)) for c in claims]
    edges = [MapEdge(c.id, l.claim, l.type) for c in claims for l in c.links_out if l.claim in keys]
    return nodes, edges


def thread_map(steps, title: str, uid: str) -> str:
    """The map of one exchange of a brief (its ThreadSteps), each node a link to its card."""
    seen, claims = set(), []
    for s in steps:
        if s.claim.id not in seen:
            seen.add(s.claim.id)
            claims.append(s.claim)
    claims.sort(key=lambda c: int(c.ref[1:]))
    nodes, edges = nodes_and_edges(claims)
    return thread_svg(nodes, edges, title, uid)


def issue_svg(briefs, href_base: str = "{issue}.html") -> str:
    """`export --format svg`: each issue's claims and links as one map, the issues stacked, each
    node a link to the claim's card in the issue's HTML brief (`brief --all --format html`
    writes ISSUE.html beside the index)."""
    parts, y, width = [], 0.0, 0.0
    for b in briefs:
        nodes, edges = nodes_and_edges(b.claims, href=lambda c, i=b.issue.id: href_base.format(issue=i) + f"#{c.anchor}")
        if not nodes:
            continue
        svg = thread_svg(nodes, edges, b.issue.title, f"m{len(parts) // 2 + 1}")
        head = svg.split(">", 1)[0]
        w = float(head.split('width="', 1)[1].split('"', 1)[0])
        h = float(head.split('height="', 1)[1].split('"', 1)[0])
        parts.append(f'<text x="{PAD}" y="{_n(y + 20)}" font-size="15" font-weight="700" fill="{INK}">{escape(b.issue.title)}</text>')
        parts.append(svg.replace('<svg class="map"', f'<svg class="map" x="0" y="{_n(y + 28)}"', 1).rstrip("\n"))
        y += h + 28 + 12
        width = max(width, w)
    legend = _legend(y)
    y += 40
    width = max(width, 620)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(y)}" width="{_n(width)}" height="{_n(y)}" '
            'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">\n'
            + "\n".join(parts + [legend]) + "\n</svg>\n")


def _legend(y: float) -> str:
    out = ['<defs><marker id="legend-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto">'
           f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>', f'<g class="legend" transform="translate({PAD} {_n(y + 8)})">']
    x = 0
    for t in ("rebuts", "supports", "supersedes"):
        dash = f' stroke-dasharray="{EDGE_DASH[t]}"' if EDGE_DASH[t] else ""
        out.append(f'<line x1="{x}" y1="10" x2="{x + 40}" y2="10" stroke="{INK}" stroke-width="1.6"{dash} marker-end="url(#legend-arrow)"/>'
                   f'<text x="{x + 48}" y="14" font-size="12" fill="{INK}">A {t} B: arrow from A to B</text>')
        x += 250
    out.append("</g>")
    return "\n".join(out)

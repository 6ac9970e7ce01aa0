"""AIF JSON, the Argument Interchange Format as AIFdb and OVA exchange it.

A claim is an I-node (its statement) and an L-node (its locution: who said it, when), joined by an
"Asserting" YA-node. A link is a scheme node between I-nodes, premise to conclusion: rebuts is a CA
(Default Conflict), supports an RA (Default Inference), supersedes an MA (Default Rephrase: the same
speaker restating a position). The reply's locution follows its target's through a TA-node, and a
YA-node anchored on that transition (Disagreeing, Arguing, Restating) says what the reply does.
"""

from __future__ import annotations

import json
from typing import Any

from .bundle import EXTENSION, Bundle, Imported, carry, dumps, merge_claim, take_extension

SCHEMES = {"rebuts": ("CA", "Default Conflict", "Disagreeing"), "supports": ("RA", "Default Inference", "Arguing"), "supersedes": ("MA", "Default Rephrase", "Restating")}
BY_TYPE = {v[0]: k for k, v in SCHEMES.items()}


def export_aif(bundle: Bundle) -> str:
    nodes: list[dict] = []
    edges: list[dict] = []
    locutions: list[dict] = []
    participants: list[dict] = []
    person: dict[str, int] = {}

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": len(edges) + 1, "fromID": a, "toID": b, "formEdgeID": None})

    sources = bundle.sources
    for cid, claim in bundle.claims.items():
        actor = bundle.actors.get(claim.by)
        name = actor.name if actor else claim.by
        if claim.by not in person:
            person[claim.by] = len(person) + 1
            participants.append({"participantID": person[claim.by], "firstname": name, "surname": ""})
        nodes.append({"nodeID": cid, "text": claim.statement, "type": "I"})
        nodes.append({"nodeID": f"L:{cid}", "text": f"{name}: {claim.statement}", "type": "L", "timestamp": claim.said_on})
        nodes.append({"nodeID": f"YA:{cid}", "text": "Asserting", "type": "YA"})
        edge(f"L:{cid}", f"YA:{cid}")
        edge(f"YA:{cid}", cid)
        cited = []
        for cit in bundle.citations.get(cid, []):
            src = sources.get(cit.source)
            cited.append(src.url if src and src.url != "unknown" else f"claimtrack source {cit.source}")
        locutions.append({"nodeID": f"L:{cid}", "personID": person[claim.by], "timestamp": claim.said_on, "start": None, "end": None, "source": "; ".join(dict.fromkeys(cited)) or None})
    for link in bundle.links:
        node_type, text, illocution = SCHEMES[link.type]
        s = f"{node_type}:{link.src}>{link.dst}"
        nodes.append({"nodeID": s, "text": text, "type": node_type})
        edge(link.src, s)
        edge(s, link.dst)
        ta = f"TA:{link.src}>{link.dst}"
        nodes.append({"nodeID": ta, "text": "Default Transition", "type": "TA"})
        edge(f"L:{link.dst}", ta)
        edge(ta, f"L:{link.src}")
        ya = f"YA:{ta}"
        nodes.append({"nodeID": ya, "text": illocution, "type": "YA"})
        edge(ta, ya)
        edge(ya, s)
    return dumps({"nodes": nodes, "edges": edges, "locutions": locutions, "participants": participants, EXTENSION: carry(bundle)})


NEEDS = {
    "id": "AIF nodeIDs here are not claim ids; export from claimtrack keeps them, or name the claims first",
    "kind": "AIF has no kind of claim (accusation, denial, ...)",
    "by": "a locution names a participant, but a claim needs an actor id with a side (claims/actors.yaml)",
    "said_on": "the claim's locution has no timestamp",
    "status": "AIF has no status",
    "statement": "the I-node has no text",
    "citations": "a locution's source names a work, not a verbatim quote from an archived copy of it",
}


def import_aif(text: str) -> Imported:
    """AIF JSON back into claims: I-nodes are claims, CA/RA/MA between I-nodes their links."""
    imp = Imported()
    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("AIF"), dict):  # OVA's wrapper
        doc = doc["AIF"]
    if not isinstance(doc, dict):
        doc = {}
    carried = take_extension(imp, doc.get(EXTENSION), "the document")
    nodes = {str(n.get("nodeID")): n for n in doc.get("nodes") or [] if isinstance(n, dict)}
    into: dict[str, list[str]] = {}
    out_of: dict[str, list[str]] = {}
    for e in doc.get("edges") or []:
        if isinstance(e, dict):
            a, b = str(e.get("fromID")), str(e.get("toID"))
            out_of.setdefault(a, []).append(b)
            into.setdefault(b, []).append(a)
    loc = {str(l.get("nodeID")): l for l in doc.get("locutions") or [] if isinstance(l, dict)}
    people = {str(p.get("participantID")): " ".join(x for x in (p.get("firstname"), p.get("surname")) if x) for p in doc.get("participants") or [] if isinstance(p, dict)}
    links: dict[str, dict[str, list[str]]] = {}
    for nid, n in nodes.items():
        t = n.get("type")
        if t in BY_TYPE:
            premises = [p for p in into.get(nid, []) if nodes.get(p, {}).get("type") == "I"]
            conclusions = [c for c in out_of.get(nid, []) if nodes.get(c, {}).get("type") == "I"]
            if len(premises) == 1 and len(conclusions) == 1:
                links.setdefault(premises[0], {}).setdefault(BY_TYPE[t], []).append(conclusions[0])
            elif premises or conclusions:
                imp.unmapped.append(f"the {t}-node {nid}: not one I-node to one I-node (claimtrack links one claim to one claim)")
        elif t not in ("I", "L", "YA", "TA"):
            imp.unmapped.append(f"the {t}-node {nid} ('{n.get('text')}')")
    for nid, n in nodes.items():
        if n.get("type") != "I":
            continue
        ext = carried.get(nid)
        native: dict[str, Any] = {"statement": n.get("text")}
        for link_type, targets in links.get(nid, {}).items():
            native[link_type] = targets
        speakers = [l for ya in into.get(nid, []) if nodes.get(ya, {}).get("type") == "YA" for l in into.get(ya, []) if nodes.get(l, {}).get("type") == "L"]
        locution = loc.get(speakers[0]) if speakers else None
        if locution:
            said = locution.get("timestamp")
            value = ext.get("said_on") if ext else None
            if said and said != (value.get("value") if isinstance(value, dict) else value):
                native["said_on"] = said
            who = people.get(str(locution.get("personID")))
            actor = next((a for a in imp.actors if ext and a.get("id") == ext.get("by")), None)
            if who and actor and actor.get("name") != who:
                imp.notes.append(f"{nid}: the locution's speaker is '{who}', the extension's actor '{actor.get('name')}'; the extension's actor id was kept")
        merge_claim(imp, nid, native, ext, 0, NEEDS, exact=tuple(SCHEMES))
    return imp

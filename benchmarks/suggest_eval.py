"""How well `claimtrack suggest` finds the claims a dataset records from its sources.

    python benchmarks/suggest_eval.py [ROOT] [--top K] [--holdout] [--timing]

The dataset is the answer key: for each source, the claims that cite it. A claim counts as found
when one of the top K candidates has a quote that overlaps (by at least MIN_OVERLAP characters)
a citation quote of that claim from that source. Recall is found claims / recorded claims;
precision is candidates overlapping any citation of the source / candidates looked at.

Two of the five seed articles were set aside before the suggester was written and never looked at
while it was tuned (HOLDOUT); their figures are printed only with --holdout, separately.
Nothing is timed here by default; --timing measures one call on a ~1,000-word article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HOLDOUT = ("2018-unknown-apapps-talks", "2025-unknown-dar-kabul-visit")
MIN_OVERLAP = 3


def evaluate(root: Path, top: int, sources: list[str] | None = None) -> list[dict]:
    from claimtrack.quotes import SourceText
    from claimtrack.store import load_dataset
    from claimtrack.suggest import suggest_candidates

    ds, _ = load_dataset(root)
    rows = []
    for sid in sources or sorted(ds.sources):
        src = ds.sources[sid]
        text = SourceText(src.body)
        gold: dict[str, list[tuple[int, int]]] = {}
        for cid, claim in ds.claims.items():
            for cit in claim.citations:
                if cit.source == sid:
                    a = text.anchor(cit.quote)
                    if a is not None:
                        gold.setdefault(cid, []).append((a.start, a.end))
        pub = src.meta.published
        cands = suggest_candidates(src.body, ds.actors.values(), ds.sides.values(), pub.value if pub else None, bool(pub and pub.inferred))
        looked = cands[:top] if top else cands

        def hits(c, spans):
            return any(min(c.quote_end, e) - max(c.quote_start, s) >= MIN_OVERLAP for s, e in spans)

        found = sorted(cid for cid, spans in gold.items() if any(hits(c, spans) for c in looked))
        every = [s for spans in gold.values() for s in spans]
        good = sum(1 for c in looked if hits(c, every))
        rows.append({"source": sid, "recorded": len(gold), "found": len(found), "candidates": len(looked),
                     "candidates_all": len(cands), "correct": good,
                     "missed": sorted(set(gold) - set(found))})
    return rows


def summary(rows: list[dict]) -> dict:
    rec = sum(r["recorded"] for r in rows)
    got = sum(r["found"] for r in rows)
    looked = sum(r["candidates"] for r in rows)
    good = sum(r["correct"] for r in rows)
    return {"recorded": rec, "found": got, "recall": round(got / rec, 3) if rec else None,
            "candidates": looked, "correct": good, "precision": round(good / looked, 3) if looked else None}


def timing(root: Path, words: int = 1000) -> dict:
    from claimtrack.store import load_dataset
    from claimtrack.suggest import suggest_candidates

    ds, _ = load_dataset(root)
    bodies = [ds.sources[s].body for s in sorted(ds.sources) if s not in HOLDOUT]
    text, n = [], 0
    for line in "\n".join(bodies).splitlines():
        text.append(line)
        n += len(line.split())
        if n >= words:
            break
    article = "\n".join(text)
    out = {"words": len(article.split())}
    for label in ("first_call", "warm_call"):  # CPU time of this process: one core, whatever the load
        t0, c0 = time.perf_counter(), time.process_time()
        suggest_candidates(article, ds.actors.values(), ds.sides.values(), "2025-11-05")
        out[f"{label}_cpu_s"] = round(time.process_time() - c0, 3)
        out[f"{label}_wall_s"] = round(time.perf_counter() - t0, 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--top", type=int, default=15, help="candidates looked at per source (0: all)")
    parser.add_argument("--holdout", action="store_true", help="also report the two held-out sources, separately")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    root = Path(args.root)
    from claimtrack.store import load_dataset

    ds, _ = load_dataset(root)
    dev = [s for s in sorted(ds.sources) if s not in HOLDOUT]
    report = {"top": args.top, "development": {"sources": evaluate(root, args.top, dev)}}
    report["development"]["summary"] = summary(report["development"]["sources"])
    if args.holdout:
        held = [s for s in HOLDOUT if s in ds.sources]
        report["holdout"] = {"sources": evaluate(root, args.top, held)}
        report["holdout"]["summary"] = summary(report["holdout"]["sources"])
    if args.timing:
        report["timing"] = timing(root)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for part in ("development", "holdout"):
        if part not in report:
            continue
        print(f"{part} (top {args.top or 'all'}):")
        for r in report[part]["sources"]:
            print(f"  {r['source']:45} found {r['found']}/{r['recorded']}  correct {r['correct']}/{r['candidates']} (of {r['candidates_all']})"
                  + (f"  missed: {', '.join(r['missed'])}" if r["missed"] else ""))
        s = report[part]["summary"]
        print(f"  recall {s['recall']}  precision {s['precision']}")
    if "timing" in report:
        print(f"timing: {report['timing']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

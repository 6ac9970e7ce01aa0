"""The suggesting commands: `suggest SOURCE` (candidate claims in an archived text) and
`similar CLAIM` (recorded claims that say nearly the same). Both only read: claimtrack never
records a claim by itself. The engine is claimtrack.suggest; everything is imported inside the
commands so that `claimtrack --help` stays fast.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from .app import JsonOption, RootOption, app, fail, guarded, resolve_root, safe_line
from .complete import complete_claim, complete_source


def _load(root):
    from ..problems import has_errors
    from ..store import load_dataset

    ds, problems = load_dataset(root)
    if not ds.sides and has_errors(problems):
        fail(f"{problems[0].format()} — run 'claimtrack check' and fix it first")
    return ds


def _recorded_here(ds, source_id: str, start: int, end: int) -> list[str]:
    """Claims that already cite this source at a passage overlapping [start, end)."""
    from ..quotes import SourceText

    text = SourceText(ds.sources[source_id].body)
    out = []
    for cid, claim in ds.claims.items():
        for cit in claim.citations:
            if cit.source == source_id:
                a = text.anchor(cit.quote)
                if a is not None and min(a.end, end) > max(a.start, start):
                    out.append(cid)
                    break
    return out


def suggestions(ds, source_id: str, language: str = "en") -> list[dict]:
    """Candidates of one source with what the dataset knows about each: the claims that already
    cite the passage, similar recorded claims, and, for an answer, the claims it may answer."""
    import datetime as dt

    from ..suggest import load_lexicon, suggest_candidates
    from ..similarity import ANSWER_KINDS, possible_answers, similar_to_text

    src = ds.sources[source_id]
    pub = src.meta.published
    cands = suggest_candidates(src.body, ds.actors.values(), ds.sides.values(), pub.value if pub else None,
                               bool(pub and pub.inferred), load_lexicon(language))
    out = []
    for c in cands:
        d = c.to_dict()
        d["recorded_as"] = _recorded_here(ds, source_id, c.quote_start, c.quote_end)
        d["similar"] = [{"claim": m.claim, "score": m.score} for m in similar_to_text(c.quote, ds.claims, limit=3, exclude=d["recorded_as"])]
        if c.kind in ANSWER_KINDS:
            when = dt.date.fromisoformat(c.date.value) if c.date and c.date.value.count("-") == 2 else None
            side = c.speaker.side
            text = c.answers_text or c.quote
            d["may_answer"] = [{"claim": m.claim, "score": m.score} for m in possible_answers(text, side, when, ds.claims, ds.actors, limit=3)]
        out.append(d)
    return out


def _line(label: str, value: str) -> None:
    typer.echo(f"  {label:<9} {safe_line(value)}")


@app.command()
def suggest(
    source: Annotated[str, typer.Argument(help="A source id (from 'claimtrack source list').", autocompletion=complete_source)],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many candidates (0: all).")] = 0,
    language: Annotated[str, typer.Option("--language", help="The word lists to read the text with (en).")] = "en",
    json_out: JsonOption = False,
    root: RootOption = None,
) -> None:
    """List candidate claims in an archived source, best first: who said what, the exact words, the channel, the date.

    Nothing is written: each candidate is a suggestion to confirm with 'claimtrack add' (or 'claimtrack cite' when a similar claim is already recorded). Numbers (#N) count candidates in text order.

    Examples:

      claimtrack suggest 2024-unknown-jcc-kabul-talks

      claimtrack suggest 2024-unknown-jcc-kabul-talks -n 3 --json | jq '.candidates[0]'
    """
    from ..edit.names import find_source

    where = resolve_root(root)
    ds = guarded(lambda: _load(where))
    src = guarded(lambda: find_source(ds, source))
    rows = guarded(lambda: suggestions(ds, src.id, language))
    shown = rows[:limit] if limit else rows
    if json_out:
        typer.echo(json.dumps({"schema_version": 1, "source": src.id, "candidates": shown}, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo(f"No candidate claims found in {src.id}.")
        return
    typer.echo(f"{len(rows)} candidate claims in {src.id}, best first{f' (showing {len(shown)})' if len(shown) < len(rows) else ''}:")
    for d in shown:
        sp = d["speaker"]
        typer.echo("")
        typer.echo(safe_line(f"#{d['number']}  {d['kind']}  (score {d['score']})"))
        _line("sentence", d["sentence"])
        who = f'"{sp["as_written"]}"' if sp["as_written"] else "(no speaker named)"
        if sp["actor"]:
            who += f" -> {sp['actor']} ({sp['how']})"
        else:
            who += f" -> new actor? kind {sp['kind']}" + (f", side {sp['side']}" if sp["side"] else "") + f" ({sp['how']})"
            if sp["choices"]:
                who += f"; choices: {', '.join(sp['choices'])}"
        _line("speaker", who)
        _line("verb", f"{d['verb']} -> {d['kind']} ({d['kind_reason']})")
        _line("quote", f"\"{d['quote']}\"" + ("" if d["quotation"] else "  (reported clause)"))
        if d["channel"]:
            _line("channel", d["channel"])
        if d["reported_by"]:
            _line("via", " <- ".join(d["reported_by"]))
        if d["date"]:
            date = d["date"]
            _line("date", date["value"] + (f" (inferred: {date['note']})" if date["inferred"] else " (stated)"))
        for note in d["notes"]:
            _line("note", note)
        if d["recorded_as"]:
            _line("recorded", ", ".join(d["recorded_as"]) + " already cites this passage")
        if d["similar"]:
            _line("similar", ", ".join(f"{m['claim']} ({m['score']:.0f})" for m in d["similar"]))
        if d.get("may_answer"):
            _line("answers?", ", ".join(f"{m['claim']} ({m['score']:.0f})" for m in d["may_answer"]))


@app.command()
def similar(
    claim: Annotated[str, typer.Argument(help="A claim id (<issue>/<name>, or the name alone when unique).", autocompletion=complete_claim)],
    threshold: Annotated[Optional[float], typer.Option("--threshold", help="The lowest similarity shown, 0-100 (default 60; 90 and up is a possible duplicate).")] = None,
    json_out: JsonOption = False,
    root: RootOption = None,
) -> None:
    """List recorded claims that say nearly what CLAIM says, with their similarity (0-100); for a denial or rebuttal, the claims it may answer.

    Similarity is rapidfuzz's token_sort_ratio of the statements; 90 and above is what 'claimtrack check' warns about as [possible-duplicate] (docs/format.md says how to silence a pair).

    Examples:

      claimtrack similar sanctuary/pk-denies-afghan-accusations

      claimtrack similar sanctuary/pk-denies-afghan-accusations --json | jq '.similar'
    """
    from ..similarity import ANSWER_KINDS, DUPLICATE_THRESHOLD, SIMILAR_THRESHOLD, possible_answers, similar_claims
    from ..edit.names import find_claim

    where = resolve_root(root)
    ds = guarded(lambda: _load(where))
    cid = guarded(lambda: find_claim(ds, claim))
    me = ds.claims[cid]
    cut = SIMILAR_THRESHOLD if threshold is None else threshold
    if not 0 <= cut <= 100:
        fail(f"--threshold {threshold} is not between 0 and 100 — give a similarity such as 60", 2)
    found = similar_claims(cid, ds.claims, cut)
    actor = ds.actors.get(me.by)
    answers = possible_answers(me.statement, actor.side if actor else None, me.said_on.earliest, ds.claims, ds.actors,
                               issue=me.issue, exclude=[cid, *me.rebuts]) if me.kind in ANSWER_KINDS else []
    if json_out:
        typer.echo(json.dumps({"schema_version": 1, "claim": cid, "threshold": cut, "duplicate_threshold": DUPLICATE_THRESHOLD,
                               "similar": [{"claim": m.claim, "score": m.score, "possible_duplicate": m.score >= DUPLICATE_THRESHOLD} for m in found],
                               "may_answer": [{"claim": m.claim, "score": m.score} for m in answers]}, ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(f"No recorded claim scores {cut:.0f} or more against {cid}.")
    for m in found:
        mark = "  [possible-duplicate]" if m.score >= DUPLICATE_THRESHOLD else ""
        typer.echo(safe_line(f"{m.score:5.1f}  {m.claim}{mark}  {ds.claims[m.claim].statement}"))
    if answers:
        typer.echo(f"{cid} may answer (same issue, another side, not later; already linked ones left out):")
        for m in answers:
            typer.echo(safe_line(f"{m.score:5.1f}  {m.claim}  {ds.claims[m.claim].statement}"))

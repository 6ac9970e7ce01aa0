"""Candidate claims in a source's text: who said what, the exact words, how it reached us, when.

Pure functions over a body, the dataset's actors and sides, and the source's published date; no
CLI, no files, no network, no model. A candidate is always a suggestion a person confirms:

    sentences.py    sentences and quotations as spans of the body (pysbd inside a line)
    attribution.py  the reporting constructions: subject, verb, the words reported
    speakers.py     the speaker as written -> an actor (name, alias, role), or a proposed new one
    dates.py        a stated date, or one inferred from a weekday or "yesterday", with why
    similarity.py   recorded claims that say nearly the same, or that a denial may answer
    lexicon.py      the language data (en.toml): verbs and their kinds, frame words, patterns

Every quote a candidate carries is a slice of the body and is checked again, as `check` checks a
citation, before it is returned.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Iterable

from .attribution import Attribution, find_attributions
from .dates import DateGuess, infer_date
from .lexicon import Lexicon, load_lexicon
from .sentences import Span  # noqa: F401  (part of the package's API: candidates carry Spans)
from .speakers import Resolution, resolve, side_markers  # noqa: F401  (re-exported for the CLI)

__all__ = ["Candidate", "suggest_candidates", "load_lexicon"]


@dataclass(frozen=True)
class Speaker:
    as_written: str  # the source's characters; "" when the text names nobody
    actor: str | None  # the resolved actor id
    how: str  # how it was resolved (or why not)
    kind: str  # person, institution, government, unnamed, group, outlet, third-party
    side: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    number: int  # 1-based, in text order: what `add --from SOURCE:N` names
    score: float  # higher is better; candidates are listed best first
    sentence: str
    speaker: Speaker
    verb: str
    kind: str
    kind_reason: str
    quote: str  # the source's own characters, found in the body
    quote_start: int
    quote_end: int
    quotation: bool  # the quote is the text's own quotation (else the reported clause)
    channel: str | None
    reported_by: tuple[str, ...]  # intermediaries, nearest the speaker first
    date: DateGuess | None
    answers_text: str | None = None  # the clause a "claim that X rejected" answers
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        d = asdict(self)
        d["reported_by"] = list(self.reported_by)
        d["notes"] = list(self.notes)
        d["speaker"]["choices"] = list(self.speaker.choices)
        return d


def _frame_text(body: str, a: Attribution, atts: list[Attribution]) -> str:
    """The attribution's own words, not the words reported: where its channel and date are.
    From its subject (or verb) to where the next construction of the sentence starts, with every
    reported span of the sentence left out."""
    start = min(a.frame_start, a.verb.start, a.subject.start if a.subject is not None and a.subject_how != "inherited" else a.verb.start)
    later = [b.frame_start for b in atts if b.sentence == a.sentence and b.frame_start > a.verb.end and b.inside == a.inside]
    end = min(later, default=a.sentence.end)
    chars = list(body[start:end])
    for b in atts:
        if b.sentence == a.sentence:
            for i in range(max(b.content.start, start), min(b.content.end, end)):
                chars[i - start] = " "
    return "".join(chars)


def _kind(a: Attribution, body: str, lex: Lexicon) -> tuple[str, str]:
    if a.kind != "statement":
        return a.kind, f"the verb '{a.verb_form}'"
    text = " " + body[a.content.start : a.content.end].lower().replace("’", "'") + " "
    for kind, cues in lex.cues:
        for cue in cues:
            if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text):
                return kind, f"the words '{cue}' in what was reported (the verb '{a.verb_form}' says only 'statement')"
    return "statement", f"the verb '{a.verb_form}'"


def _channel(frame: str, lex: Lexicon) -> tuple[str | None, list[str]]:
    """The channel the frame names, and any outlet it names as an intermediary."""
    channel, outlets = None, []
    for rx in lex.channels:
        m = rx.search(frame)
        if not m:
            continue
        groups = m.groupdict()
        if groups.get("outlet"):
            name = groups["outlet"].strip(" ,.")
            if _is_outlet(name, lex):
                outlets.append(name)
                channel = channel or f"interview with {name}"
            continue
        picked = m.group(0) if groups.get("audience") else (groups.get("channel") or m.group(0))
        channel = channel or " ".join(picked.split()).strip(" ,.")
        if groups.get("platform"):
            channel = f"{channel}" if groups["platform"] in channel else f"{channel} on {groups['platform']}"
    for rx in lex.relays:
        for m in rx.finditer(frame):
            name = m.group("outlet").strip(" ,.")
            if _is_outlet(name, lex) and name not in outlets:
                outlets.append(name)
    return channel, outlets


def _is_outlet(name: str, lex: Lexicon) -> bool:
    low = " " + name.lower() + " "
    return any(f" {w} " in low for w in lex.outlet_words) and any(c.isupper() for c in name)


def _score(a: Attribution, sp: Speaker, kind: str, quote: str) -> float:
    """Higher for what a person is likelier to record: a resolved speaker, the speaker's own
    quoted words, a verb that says more than "said"; lower for a missing speaker or a fragment."""
    s = 1.0
    if sp.actor:
        s += 1.0
    elif a.subject is not None:
        s += 0.4
    if a.quotation:
        s += 0.5
    if kind != "statement":
        s += 0.6
    if a.subject is None:
        s -= 0.8
    if a.subject_how == "continuation":
        s -= 0.2
    if a.inside is not None:
        s -= 0.3
    words = len(quote.split())
    if words < 5:
        s -= 0.6
    elif words > 60:
        s -= 0.3
    return round(s, 2)


def suggest_candidates(body: str, actors: Iterable, sides: Iterable, published: str | None = None,
                       published_inferred: bool = False, lex: Lexicon | None = None) -> list[Candidate]:
    """Candidate claims in `body`, best first. `actors` and `sides` are the dataset's (objects with
    id, name, side, role, aliases / id, name); `published` is the source's date as text."""
    from ..quotes import SourceText

    lex = lex or load_lexicon()
    actors, sides = list(actors), list(sides)
    atts = find_attributions(body, lex)
    resolved: list[Resolution | None] = []
    speakers: list[Speaker] = []
    recent: list[str] = []
    for k, a in enumerate(atts):
        if a.subject is None:
            sp = Speaker("", None, "no speaker named" if a.subject_how == "impersonal" else "none", "unnamed")
            res = None
        elif a.subject_how in ("pronoun", "inherited", "continuation"):
            res, sp = _earlier(body, a, atts, speakers, k, lex)
        else:
            written = a.subject.of(body)
            res = resolve(written, actors, sides, lex, recent)
            sp = Speaker(written, res.actor, res.how, res.kind, res.side, res.choices)
        if sp.actor:
            recent.append(sp.actor)
        resolved.append(res)
        speakers.append(sp)
    text = SourceText(body)
    out: list[Candidate] = []
    number = 0
    for k, a in enumerate(atts):
        if a.relay_of is not None:
            continue
        quote = a.content.of(body)
        anchor = text.anchor(quote)
        if not quote.strip() or anchor is None:
            continue  # never offer words the checker would not find
        number += 1
        kind, why = _kind(a, body, lex)
        frame = _frame_text(body, a, atts)
        channel, outlets = _channel(frame, lex)
        chain: list[str] = []
        if a.outer is not None:
            outer = speakers[a.outer]
            chain.append(outer.as_written or outer.actor or "the quoted speaker")
        chain += [v.of(body) for v in a.via_subject]
        chain += [o for o in outlets if o not in chain]
        sp = speakers[k]
        notes = list(a.notes)
        if a.outer is not None:
            notes.append(f"said inside a quotation of {chain[0]}: second-hand")
        if a.parts:
            notes.append("a quotation split by its attribution: the quote runs from its first part to its last, attribution included")
        date = infer_date(frame, published, lex, published_inferred)
        out.append(Candidate(
            number=number, score=_score(a, sp, kind, quote), sentence=a.sentence.of(body), speaker=sp,
            verb=a.verb.of(body), kind=kind, kind_reason=why, quote=quote, quote_start=a.content.start,
            quote_end=a.content.end, quotation=a.quotation, channel=channel, reported_by=tuple(chain), date=date,
            answers_text=a.answers.of(body) if a.answers else None, notes=tuple(notes),
        ))
    out.sort(key=lambda c: (-c.score, c.number))
    return out


def _earlier(body: str, a: Attribution, atts: list[Attribution], speakers: list[Speaker], k: int, lex: Lexicon) -> tuple[Resolution | None, Speaker]:
    """A pronoun, a participle or a quotation of its own: the nearest earlier speaker that fits."""
    written = a.subject.of(body) if a.subject is not None else ""
    sort = lex.pronouns.get(written.lower(), "any") if a.subject_how == "pronoun" else "any"
    for j in range(k - 1, -1, -1):
        prev = speakers[j]
        if atts[j].inside is not None and a.inside is None:
            continue
        if a.subject_how == "inherited" and atts[j].sentence != a.sentence:
            break
        if not (prev.as_written or prev.actor):
            continue
        if sort == "person" and prev.kind != "person":
            continue
        if sort == "thing" and prev.kind == "person":
            continue
        how = {"pronoun": f"'{written}' read as the nearest earlier speaker of its sort",
               "inherited": "the subject of the verb before it in the sentence",
               "continuation": "the speaker of the quotation before it"}[a.subject_how]
        as_written = written if a.subject_how == "pronoun" else prev.as_written
        return None, Speaker(as_written, prev.actor, f"{how}: '{prev.as_written}'" + (f" ({prev.actor})" if prev.actor else ""), prev.kind, prev.side, prev.choices)
    return None, Speaker(written, None, "no earlier speaker to refer to", "unnamed")

"""A speaker as written, resolved to an actor of the dataset, or proposed as a new one.

In order: the speaker is an actor's name or alias ("Pakistani authorities"); it contains one of
several words ("Defense Minister Khawaja Asif" holds "Khawaja Asif"); its head word and another
word match an actor's name or role, within the side its adjective names ("the Pakistani minister":
a minister of the side whose name starts like "Pakistani"), the tie going to the actor the article
mentioned last. What is left unresolved is proposed as a new actor of the kind its words suggest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Protocol

from .lexicon import Lexicon


class ActorLike(Protocol):
    id: str
    name: str
    side: str
    role: str | None
    aliases: list[str]


class SideLike(Protocol):
    id: str
    name: str


@dataclass(frozen=True)
class Resolution:
    actor: str | None  # an actor id, when resolved
    how: str  # how it was resolved, or why not
    kind: str  # the kind of actor the speaker looks like (person, institution, unnamed, ...)
    side: str | None = None
    choices: tuple[str, ...] = ()  # when ambiguous: the actors it may be


_TOKEN = re.compile(r"[\w’'-]+")


def norm(text: str) -> str:
    """Lower case, one apostrophe, no possessive 's, no leading article, no punctuation."""
    t = text.lower().replace("’", "'")
    t = re.sub(r"'s\b|s'(?=\s|$)", "", t)
    t = re.sub(r"[^\w\s-]", " ", t)
    words = t.split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _tokens(text: str, lex: Lexicon) -> list[str]:
    return [w for w in norm(text).split() if w not in lex.stopwords]


def _same(a: str, b: str) -> bool:
    """Two words alike enough: defense/defence, statement/statements, Pakistan/Pakistani."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b) <= 1 or (len(a) >= 5 and len(b) >= 5 and (a.startswith(b) or b.startswith(a)) and abs(len(a) - len(b)) <= 2)


def side_markers(sides: Iterable[SideLike], words: list[str]) -> set[str]:
    """The sides the words name by an adjective or name: "Pakistani" -> the side "Pakistan".
    A word that fits several sides goes to the side with the shortest name (the joint side's
    long name holds every country's)."""
    sides = list(sides)
    found = set()
    for w in words:
        fits = []
        for side in sides:
            for nw in norm(side.name).split():
                if len(nw) >= 4 and len(w) >= 4 and (w[:5] == nw[:5] and (w.startswith(nw[: max(4, len(nw) - 4)]) or nw.startswith(w))):
                    fits.append((len(side.name.split()), side.id))
                    break
        if fits:
            found.add(min(fits)[1])
    return found


def guess_kind(as_written: str, lex: Lexicon) -> str:
    """The kind of actor a speaker looks like, by the word lists of the lexicon."""
    low = " " + norm(as_written) + " "
    words = norm(as_written).split()
    first = as_written.strip().split()[0].lower() if as_written.strip() else ""
    for kind, cues in lex.speaker_kinds:
        if any(f" {c} " in low for c in cues):
            if kind == "unnamed" and not (first in lex.indefinite_articles or len(words) <= 3 and not _has_name(as_written, lex)):
                continue
            return kind
    if _has_name(as_written, lex):
        return "person"
    return "unnamed"


def _has_name(text: str, lex: Lexicon) -> bool:
    """A capitalised word that is not the sentence's first, a title or an article."""
    words = [w for w in _TOKEN.findall(text)]
    return any(w[:1].isupper() and w.lower() not in lex.stopwords for w in words)


def resolve(as_written: str, actors: Iterable[ActorLike], sides: Iterable[SideLike], lex: Lexicon,
            recent: list[str] = ()) -> Resolution:
    """Resolve one speaker as written. `recent` lists actor ids the article mentioned before,
    the latest last: a tie among actors goes to the latest of them."""
    actors, sides = list(actors), list(sides)
    target = norm(as_written)
    padded = f" {target} "
    toks = _tokens(as_written, lex)
    markers = side_markers(sides, toks)
    best: dict[str, tuple[int, str]] = {}

    def offer(actor_id: str, score: int, how: str) -> None:
        if score > best.get(actor_id, (0, ""))[0]:
            best[actor_id] = (score, how)

    for a in actors:
        names = [(a.name, "name")] + [(al, "alias") for al in (a.aliases or [])]
        for text, what in names:
            n = norm(text)
            if not n:
                continue
            if n == target:
                offer(a.id, 100, f"its {what} '{text}'")
            elif len(n.split()) >= 2 and f" {n} " in padded:
                offer(a.id, 80 + len(n), f"holds its {what} '{text}'")
            elif len(n.split()) == 1 and len(n) >= 4 and f" {n} " in padded:
                head = target.split()[-1] if target else ""
                offer(a.id, 75 if head == n else 50, f"holds its {what} '{text}'")
        if len(target.split()) == 1 and len(target) >= 4 and norm(a.name).split()[-1:] == [target] and len(a.name.split()) >= 2 and as_written[:1].isupper():
            offer(a.id, 85, f"the last word of its name '{a.name}'")
        # role and name words: the head word must match, and one more word or the side
        if toks:
            pool = _tokens(" ".join([a.name, a.role or "", *(a.aliases or [])]), lex)
            head = toks[-1]
            if head in lex.channel_nouns and len(toks) >= 2:
                head = toks[-2]
            if any(_same(head, p) for p in pool):
                hits = sum(1 for t in toks if any(_same(t, p) for p in pool))
                side_ok = not markers or a.side in markers
                if side_ok and (hits >= 2 or (markers and a.side in markers)):
                    offer(a.id, 60 + 5 * hits, "its role or name words")
    side_named = [sd for sd in sides if norm(sd.name) == target]
    if side_named and not any(sc >= 100 for sc, _ in best.values()):
        sid = side_named[0].id
        govs = [a.id for a in actors if a.side == sid and _kind_of(a, lex) == "government"]
        if len(govs) == 1:
            return Resolution(govs[0], f"the side '{side_named[0].name}' named as a whole: its one government actor", "government", sid)
        return Resolution(None, f"the side '{side_named[0].name}' named as a whole: choose its actor", "government", sid, tuple(govs))
    if not best:
        return Resolution(None, "no actor of the dataset matches", guess_kind(as_written, lex), next(iter(markers)) if len(markers) == 1 else None)
    top = max(s for s, _ in best.values())
    if top < 60:
        return Resolution(None, "no actor of the dataset matches well", guess_kind(as_written, lex), next(iter(markers)) if len(markers) == 1 else None,
                          tuple(sorted(best)))
    leaders = sorted(a for a, (s, _) in best.items() if s == top)
    by_id = {a.id: a for a in actors}
    if len(leaders) > 1:
        mentioned = [a for a in reversed(list(recent)) if a in leaders]
        if mentioned:
            chosen = mentioned[0]
            return Resolution(chosen, f"{best[chosen][1]}; of {', '.join(leaders)}, the one the article named last", _kind_of(by_id[chosen], lex), by_id[chosen].side, tuple(leaders))
        return Resolution(None, f"ambiguous: {', '.join(leaders)}", guess_kind(as_written, lex), None, tuple(leaders))
    chosen = leaders[0]
    return Resolution(chosen, best[chosen][1], _kind_of(by_id[chosen], lex), by_id[chosen].side)


def _kind_of(actor: ActorLike, lex: Lexicon) -> str:
    kind = getattr(actor, "kind", None)
    if isinstance(kind, str) and kind:
        return kind
    order = sorted(lex.speaker_kinds, key=lambda kc: kc[0] != "person")  # a role names a person's office first
    for text in (actor.role or "", actor.name):
        low = " " + norm(text) + " "
        for kind, cues in order:
            if kind != "unnamed" and any(f" {c} " in low for c in cues):
                return kind
    return guess_kind(actor.name, lex)

"""Claims that say nearly the same, and claims a denial may answer: lexical similarity (rapidfuzz).

The score is rapidfuzz's `token_sort_ratio` (0-100) of the two texts after its default processing
(lower case, punctuation out, words sorted): word order does not count, every word does. Two
recorded claims whose statements score DUPLICATE_THRESHOLD or more are reported by `check` as a
possible duplicate; `similar` lists everything from SIMILAR_THRESHOLD up. A pair is silenced by a
comment line in either claim file:

    # claimtrack: allow possible-duplicate ISSUE/CLAIM

The check compares claims of the same issue only, so that it grows with the size of issues and not
with the square of the dataset; `claimtrack similar` compares a claim with every claim.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable
from .paths import ID

DUPLICATE_THRESHOLD = 90.0
SIMILAR_THRESHOLD = 60.0
ANSWER_THRESHOLD = 45.0
ANSWER_KINDS = ("denial", "rebuttal", "counter-accusation")
ALLOW = re.compile(rf"^\s*#\s*claimtrack:\s*allow\s+possible-duplicate\s+({ID}/{ID})\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Match:
    claim: str
    score: float
    why: str = ""


def _texts(claim) -> list[str]:
    return [claim.statement] + [c.quote for c in claim.citations]


def score(a: str, b: str) -> float:
    from rapidfuzz import fuzz, utils

    return float(fuzz.token_sort_ratio(a, b, processor=utils.default_process))


def similar_to_text(text: str, claims: dict, threshold: float = SIMILAR_THRESHOLD, limit: int = 10,
                    exclude: Iterable[str] = ()) -> list[Match]:
    """Recorded claims whose statement or a citation quote scores `threshold` or more against
    `text`, best first (each claim once, with its best score)."""
    from rapidfuzz import fuzz, process, utils

    skip = set(exclude)
    ids, pool = [], []
    for cid, claim in claims.items():
        if cid in skip:
            continue
        for t in _texts(claim):
            ids.append(cid)
            pool.append(t)
    best: dict[str, float] = {}
    for _, s, k in process.extract(text, pool, scorer=fuzz.token_sort_ratio, processor=utils.default_process,
                                   score_cutoff=threshold, limit=None):
        best[ids[k]] = max(best.get(ids[k], 0.0), float(s))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Match(cid, round(s, 1)) for cid, s in ranked]


def similar_claims(claim_id: str, claims: dict, threshold: float = SIMILAR_THRESHOLD, limit: int = 10) -> list[Match]:
    """The recorded claims that say nearly what `claim_id` says: its statement against theirs."""
    from rapidfuzz import fuzz, process, utils

    me = claims[claim_id]
    others = [(cid, c.statement) for cid, c in claims.items() if cid != claim_id]
    found = process.extract(me.statement, [s for _, s in others], scorer=fuzz.token_sort_ratio,
                            processor=utils.default_process, score_cutoff=threshold, limit=limit)
    return [Match(others[k][0], round(float(s), 1), "possible duplicate" if s >= DUPLICATE_THRESHOLD else "")
            for _, s, k in sorted(found, key=lambda t: (-t[1], others[t[2]][0]))]


def possible_answers(text: str, side: str | None, said_on: dt.date | None, claims: dict, actors: dict,
                     issue: str | None = None, limit: int = 5, exclude: Iterable[str] = ()) -> list[Match]:
    """Recorded claims a denial or rebuttal may answer: made by another side, not later than it,
    in the same issue when one is given, ranked by the similarity of their words to `text`."""
    from rapidfuzz import fuzz, utils

    skip = set(exclude)
    out = []
    for cid, claim in claims.items():
        if cid in skip or (issue is not None and claim.issue != issue):
            continue
        actor = actors.get(claim.by)
        if side is not None and actor is not None and actor.side == side:
            continue
        if said_on is not None and claim.said_on.earliest > said_on:
            continue
        s = max(float(fuzz.token_set_ratio(text, t, processor=utils.default_process)) for t in _texts(claim))
        if s >= ANSWER_THRESHOLD:
            out.append(Match(cid, round(s, 1), "another side, not later, similar words"))
    out.sort(key=lambda m: (-m.score, m.claim))
    return out[:limit]


def allowed_pairs(text: str) -> set[str]:
    """The claim ids a claim file's `# claimtrack: allow possible-duplicate ID` lines name."""
    return set(ALLOW.findall(text))


def duplicate_pairs(claims: dict, threshold: float = DUPLICATE_THRESHOLD) -> list[tuple[str, str, float]]:
    """(a, b, score) for claims of the same issue whose statements score `threshold` or more."""
    from rapidfuzz import fuzz, process, utils

    by_issue: dict[str, list[str]] = {}
    for cid in sorted(claims):
        by_issue.setdefault(cid.split("/", 1)[0], []).append(cid)
    out = []
    for ids in by_issue.values():
        if len(ids) < 2:
            continue
        # token_sort_ratio is ratio() of the sorted words: sort each statement once, not per pair
        rows = sorted((" ".join(sorted(utils.default_process(claims[c].statement).split())), c) for c in ids)
        rows.sort(key=lambda r: len(r[0]))
        lengths = [len(t) for t, _ in rows]
        # ratio >= t needs the longer text no longer than (200 - t) / t times the shorter
        stretch = (200 - threshold) / threshold if threshold > 0 else float("inf")
        for i in range(len(rows) - 1):  # process.cdist would need numpy; extract does not
            stop = bisect.bisect_right(lengths, lengths[i] * stretch, i + 1)
            for _, s, j in process.extract(rows[i][0], [t for t, _ in rows[i + 1 : stop]], scorer=fuzz.ratio,
                                           processor=None, score_cutoff=threshold, limit=None):
                a, b = sorted((rows[i][1], rows[i + 1 + j][1]))
                out.append((a, b, round(float(s), 1)))
    return out


def check_possible_duplicates(ds) -> list:
    """A warning on each of two claims of one issue that say nearly the same, unless either file
    allows the pair with a `# claimtrack: allow possible-duplicate ID` comment."""
    from .paths import claim_path
    from .problems import warning

    out = []

    def text_of(cid: str) -> str:
        return ds.locator.text(claim_path(cid))

    for a, b, s in duplicate_pairs(ds.claims):
        if b in allowed_pairs(text_of(a)) or a in allowed_pairs(text_of(b)):
            continue
        for me, other in ((a, b), (b, a)):
            out.append(warning(claim_path(me), 1, "possible-duplicate",
                               f"[possible-duplicate] says nearly what '{other}' says (similarity {s:.0f} of 100, threshold {DUPLICATE_THRESHOLD:.0f}) — "
                               f"cite '{other}' from this claim's source instead, or add the line '# claimtrack: allow possible-duplicate {other}' to this file"))
    return out

"""The neutrality lint: two heuristics that catch the dataset speaking in its own voice.

A statement must say who said what; a history note must say who answered whom, never a verdict.
Neither can be decided by a program, so these are warnings that point a person at a sentence:

- `[not-attributive]`: a claim's statement that names no actor (no actor's or side's name or alias
  from claims/actors.yaml) and uses no reporting verb from REPORTING_VERBS.
- `[verdict-in-note]`: a history note with a word from VERDICT_WORDS outside a quotation and
  outside a sentence that attributes it (one with a reporting verb).

A person who has judged a sentence fine silences it with `# claimtrack: allow not-attributive` (or
`verdict-in-note`) on the key's line or on a comment line just above it. The limits are in
docs/format.md (Neutrality lint). The word lists are data: extend them here, not in the rules.
"""

from __future__ import annotations

import re

# Reporting verbs, as lemmas; `_forms` makes the third person and the past of each ("urges",
# "urged"), and IRREGULAR holds the rest. Bare lemmas are not matched: "the claim", "a call" are
# nouns far more often than verbs in a statement. "confirm" is left out on purpose: it is a verdict
# word in a note ("the claim was confirmed").
REPORTING_VERBS: tuple[str, ...] = (
    "say", "tell", "deny", "accuse", "reject", "claim", "state", "call", "assert", "allege",
    "insist", "propose", "pledge", "demand", "agree", "urge", "stress", "emphasize", "emphasise",
    "criticize", "criticise", "note", "voice", "offer", "assure", "reaffirm", "warn", "add",
    "counter", "dismiss", "announce", "describe", "argue", "report", "challenge", "explain",
    "acknowledge", "admit", "concede", "promise", "vow", "maintain", "suggest", "accept",
    "affirm", "declare", "dispute", "refute", "respond", "reply", "answer", "ask", "question",
    "condemn", "blame", "charge", "contend", "mention",
)
IRREGULAR: tuple[str, ...] = ("said", "told", "according to", "in the words of", "quoted", "quoting")

# Verdict words: the dataset's judgement of a claim, wherever it is not someone's quoted words.
VERDICT_WORDS: tuple[str, ...] = (
    "false", "falsely", "falsehood", "true", "truly", "truth", "untrue", "lie", "lies", "lied",
    "liar", "proven", "proved", "disproved", "disproven", "debunked", "confirmed", "confirms",
)

ALLOW = re.compile(r"#\s*claimtrack:\s*allow\s+(not-attributive|verdict-in-note)\b")

# A quotation: double or curly quotes, or single quotes that open after a non-letter (so that the
# apostrophe of "Pakistan's" opens nothing).
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']*'(?!\w)")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def _forms(lemma: str) -> set[str]:
    """The third person and the past of a regular English verb: urges, urged; denies, denied."""
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith("e"):
        return {lemma + "s", lemma + "d"}
    if lemma.endswith(("s", "sh", "ch", "x")):
        return {lemma + "es", lemma + "ed"}
    return {lemma + "s", lemma + "ed"}


def _phrase_pattern(phrases) -> re.Pattern:
    alternatives = sorted({re.escape(p).replace(r"\ ", r"\s+") for p in phrases if p.strip()}, key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_VERBS = _phrase_pattern({f for lemma in REPORTING_VERBS for f in _forms(lemma)} | set(IRREGULAR))
_VERDICTS = _phrase_pattern(VERDICT_WORDS)


def has_reporting_verb(text: str) -> bool:
    return bool(_VERBS.search(text))


def names_actor(text: str, names: re.Pattern) -> bool:
    return bool(names.search(text))


def actor_names(ds) -> re.Pattern:
    """Every actor's and side's name and alias, and the possessive-free forms a sentence uses."""
    names = [s.name for s in ds.sides.values()]
    for actor in ds.actors.values():
        names += [actor.name, *actor.aliases]
    return _phrase_pattern(names)


def verdict_outside_attribution(note: str) -> str | None:
    """The first verdict word of `note` that is neither quoted nor in an attributing sentence."""
    for sentence in _SENTENCE.split(_QUOTED.sub(" ", note)):
        if has_reporting_verb(sentence):
            continue
        found = _VERDICTS.search(sentence)
        if found:
            return found.group(0)
    return None


def _allowed(text: str, line: int, code: str) -> bool:
    """A `# claimtrack: allow CODE` comment on the line, or on a comment line just above it."""
    lines = text.splitlines()
    candidates = []
    if 1 <= line <= len(lines):
        candidates.append(lines[line - 1])
    if 2 <= line <= len(lines) + 1 and lines[line - 2].lstrip().startswith("#"):
        candidates.append(lines[line - 2])
    return any(m.group(1) == code for c in candidates for m in ALLOW.finditer(c))


def check_not_attributive(ds) -> list:
    """A statement with no speaker and no reporting verb is the dataset speaking in its own voice."""
    from .paths import claim_path
    from .problems import warning

    names = actor_names(ds)
    out = []
    for cid, claim in ds.claims.items():
        statement = claim.statement
        if names_actor(statement, names) or has_reporting_verb(statement):
            continue
        rel = claim_path(cid)
        line = ds.locator.line(rel, ("statement",))
        if _allowed(ds.locator.text(rel), line, "not-attributive"):
            continue
        out.append(warning(rel, line, "not-attributive",
                           "[not-attributive] the statement names no actor and has no reporting verb (said, denied, agreed, according to, ...) — "
                           "say who said it, or add '# claimtrack: allow not-attributive' on this line if it is attributive as written"))
    return out


def check_verdict_in_note(ds) -> list:
    """A history note says who answered whom; a verdict word of the dataset's own is warned."""
    from .paths import claim_path
    from .problems import warning

    out = []
    for cid, claim in ds.claims.items():
        rel = claim_path(cid)
        for i, change in enumerate(claim.history):
            word = verdict_outside_attribution(change.note)
            if word is None:
                continue
            line = ds.locator.line(rel, ("history", i, "note"))
            if _allowed(ds.locator.text(rel), line, "verdict-in-note"):
                continue
            out.append(warning(rel, line, "verdict-in-note",
                               f"[verdict-in-note] the history note uses '{word}' outside a quotation or an attribution — say who said so "
                               "('X called it false'), quote them, or add '# claimtrack: allow verdict-in-note' on this line"))
    return out

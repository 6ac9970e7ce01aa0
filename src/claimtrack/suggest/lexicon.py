"""The language data of the suggester, read from a TOML file beside this module (en.toml).

Everything that is English lives in that file: the reporting verbs and the kind each suggests,
the little words of the frame around a verb, the channel and relay patterns, the words that say
what kind of actor a speaker is, and the names of days and months. A `Lexicon` compiles it once
into the sets and regular expressions the engine uses; another language is another file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Lexicon:
    language: str
    verb_kind: dict[str, str]  # a verb form (lower case) -> the kind it suggests
    verb_re: re.Pattern  # any verb form, whole words
    relay_verbs: frozenset[str]
    also_nouns: frozenset[str]
    determiners: frozenset[str]
    auxiliaries: frozenset[str]
    adverbs: frozenset[str]
    adverb_suffix: str
    passive_markers: frozenset[str]
    clause_openers: frozenset[str]
    complementisers: frozenset[str]
    expletives: frozenset[str]
    pronouns: dict[str, str]  # pronoun -> person | thing | any
    claim_nouns: frozenset[str]
    channel_nouns: frozenset[str]
    max_subject_words: int
    channels: tuple[re.Pattern, ...]
    relays: tuple[re.Pattern, ...]
    outlet_words: tuple[str, ...]
    indefinite_articles: frozenset[str]
    stopwords: frozenset[str]
    speaker_kinds: tuple[tuple[str, tuple[str, ...]], ...]
    cues: tuple[tuple[str, tuple[str, ...]], ...]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    relative_days: dict[str, int]


def _words_re(forms: list[str]) -> re.Pattern:
    """One whole-word alternation, longest first so "called on" wins over "called"."""
    alternation = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w’'-])(?:{alternation})(?![\w’'-])", re.IGNORECASE)


def lexicon_from_data(data: dict) -> Lexicon:
    """Compile the parsed TOML of a language file (see en.toml for every table it must have)."""
    verb_kind: dict[str, str] = {}
    for kind, forms in data["verbs"].items():
        for form in forms:
            verb_kind.setdefault(form.lower(), kind)
    g, frame, names, dates = data["grammar"], data["frame"], data["names"], data["dates"]
    pronouns = {p: sort for sort, words in g["pronouns"].items() for p in words}
    low = lambda xs: frozenset(x.lower() for x in xs)  # noqa: E731
    return Lexicon(
        language=data.get("language", "?"),
        verb_kind=verb_kind,
        verb_re=_words_re(list(verb_kind) + list(g["relay_verbs"])),
        relay_verbs=low(g["relay_verbs"]),
        also_nouns=low(g.get("also_nouns", [])),
        determiners=low(g.get("determiners", [])),
        auxiliaries=low(g["auxiliaries"]),
        adverbs=low(g["adverbs"]),
        adverb_suffix=g.get("adverb_suffix", ""),
        passive_markers=low(g["passive_markers"]),
        clause_openers=low(g["clause_openers"]),
        complementisers=low(g["complementisers"]),
        expletives=low(g["expletives"]),
        pronouns=pronouns,
        claim_nouns=low(frame["claim_nouns"]),
        channel_nouns=low(frame["channel_nouns"]),
        max_subject_words=int(frame["max_subject_words"]),
        channels=tuple(re.compile(c["pattern"], re.IGNORECASE) for c in data.get("channel", [])),
        relays=tuple(re.compile(r["pattern"]) for r in data.get("relay", [])),
        outlet_words=tuple(w.lower() for w in names["outlet_words"]),
        indefinite_articles=low(names["indefinite_articles"]),
        stopwords=low(names["stopwords"]),
        speaker_kinds=tuple((k["kind"], tuple(w.lower() for w in k["words"])) for k in data.get("speaker_kind", [])),
        cues=tuple((kind, tuple(w.lower() for w in words)) for kind, words in data.get("cues", {}).items()),
        weekdays=tuple(w.lower() for w in dates["weekdays"]),
        months=tuple(m.lower() for m in dates["months"]),
        month_abbreviations=tuple(m.lower() for m in dates["month_abbreviations"]),
        relative_days={k.lower(): int(v) for k, v in dates.get("relative", {}).items()},
    )


def available_languages() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".toml"))


@lru_cache(maxsize=8)
def load_lexicon(language: str = "en", path: str | None = None) -> Lexicon:
    """The lexicon of a language shipped with claimtrack, or of a TOML file at `path`."""
    if path is not None:
        raw = Path(path).read_bytes()
    else:
        if language not in available_languages():
            from ..problems import ClaimtrackError

            raise ClaimtrackError(f"no word lists for language '{language}' — available: {', '.join(available_languages())}")
        raw = (resources.files(__package__) / f"{language}.toml").read_bytes()
    return lexicon_from_data(tomllib.loads(raw.decode("utf-8")))

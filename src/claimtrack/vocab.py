"""The closed sets of the format, with their one-line meanings (docs/format.md says the same).
Stdlib only: renderers and briefs use them without importing pydantic."""

KINDS: dict[str, str] = {
    "accusation": "says another party did or allowed something wrong",
    "denial": "says an accusation is untrue",
    "rebuttal": "answers a claim with a contrary account or evidence",
    "counter-accusation": "answers an accusation by accusing the accuser",
    "proposal": "puts forward a course of action for the parties",
    "pledge": "commits the speaker (or the parties) to do or not do something",
    "concession": "accepts part of another party's position",
    "demand": "asks another party to do something",
    "agreement": "a position stated jointly by more than one party",
    "statement": "any other attributable assertion of fact or position",
}
STATUSES: dict[str, str] = {
    "asserted": "made and recorded; no answer to it is recorded (the default)",
    "disputed": "another party has denied or contradicted it",
    "corroborated": "independent sources support it",
    "refuted": "cited evidence shows it to be untrue",
    "retracted": "the claimant withdrew it",
    "superseded": "the claimant (or its side) replaced it with a later position",
}
LINK_TYPES = ("rebuts", "supports", "supersedes")
ACTOR_KINDS: dict[str, str] = {
    "person": "a named person (the default)",
    "institution": "a ministry, an army, a party, an office",
    "government": "a state speaking as a whole (\"Kabul\", \"Islamabad\")",
    "unnamed": "an unnamed official or source of a side (\"a security source\")",
    "group": "several parties speaking together, or a joint body",
    "outlet": "a news outlet speaking in its own voice",
    "third-party": "a mediator, the UN, an NGO: no side of the dispute",
}
LINK_BASES: dict[str, str] = {
    "reported": "the text itself presents the one claim as answering (or backing, or replacing) the other",
    "analyst": "the dataset's reading: the text puts them side by side (the default for a plain id)",
}


def actor_label(name: str, kind: str) -> str:
    """How a claimant is named in prose: an unnamed actor stays unnamed ("an unnamed Pakistani
    security source"), never promoted to a name; every other actor by its name."""
    if kind != "unnamed" or "unnamed" in name.lower():
        return name
    last = name.split()[-1].lower() if name.split() else ""
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    return f"unnamed {name}" if plural else f"an unnamed {name}"


def basis_label(basis: str | None, note: str | None = None) -> str:
    """A link's reading in a few words: "as the text presents it" or "the dataset's reading"."""
    words = {"reported": "as the text presents it", "analyst": "the dataset's reading"}.get(basis or "analyst", basis or "")
    return f"{words}: {note}" if note else words

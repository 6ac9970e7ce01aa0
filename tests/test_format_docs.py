"""docs/format.md and the models are one description of the format: every field of every model is
in a key table of the docs, and every key a table lists is a field of some model."""

from __future__ import annotations

import re

import pytest

from claimtrack.model import Actor, ActorsFile, Answers, Citation, Claim, Issue, LinkRef, Side, SourceMeta, StatusChange
from claimtrack.vocab import ACTOR_KINDS

MODELS = [ActorsFile, Side, Actor, Issue, Claim, Citation, LinkRef, Answers, StatusChange, SourceMeta]
KEY_ROW = re.compile(r"^\| `([a-z0-9_]+)`(?:, `([a-z0-9_]+)`)*(?:, `([a-z0-9_]+)`)? \| (?:yes|no)")


def documented_keys(doc: str) -> set[str]:
    """The keys of every '| key | required | meaning |' table: the first cell's names."""
    keys: set[str] = set()
    for line in doc.splitlines():
        if KEY_ROW.match(line):
            keys.update(re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]))
    return keys


@pytest.fixture
def doc(repo_root) -> str:
    return (repo_root / "docs" / "format.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_of_the_model_is_in_a_key_table(doc, model):
    keys = documented_keys(doc)
    missing = [name for name in model.model_fields if name != "id" or model in (Side, Actor)]
    assert [name for name in missing if name not in keys] == []


def test_every_documented_key_is_a_field_of_some_model(doc):
    fields = {name for model in MODELS for name in model.model_fields}
    assert sorted(documented_keys(doc) - fields) == []


def test_every_actor_kind_is_documented_with_its_meaning(doc):
    for kind in ACTOR_KINDS:
        assert re.search(rf"^\| `{re.escape(kind)}` \| ", doc, re.M), kind

"""`claimtrack suggest` and `claimtrack similar`: candidate claims from small articles written here.

The actors are the fixture dataset's (conftest.ACTORS): Upstream's Water Ministry, Downstream's
spokesperson Lena Ortiz, and the River Commission. Each test is one reporting construction.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.quotes import SourceText
from claimtrack.store import load_dataset
from claimtrack.suggest import suggest_candidates
from claimtrack.suggest.sentences import quotations, sentences
from conftest import CLAIMS, edited, tree_digest, write_dataset

runner = CliRunner()


@pytest.fixture
def ds(dataset):
    loaded, problems = load_dataset(dataset)
    assert problems == []
    return loaded


def suggest(ds, body: str, published: str | None = "2024-03-02"):
    return suggest_candidates(body, ds.actors.values(), ds.sides.values(), published)


def only(cands, verb: str):
    hits = [c for c in cands if c.verb.lower() == verb]
    assert len(hits) == 1, [(c.verb, c.quote) for c in cands]
    return hits[0]


def test_x_said(ds):
    c = only(suggest(ds, "Lena Ortiz said Upstream had closed the sluice gates on purpose."), "said")
    assert (c.speaker.as_written, c.speaker.actor) == ("Lena Ortiz", "down-spokesman")
    assert c.quote == "Upstream had closed the sluice gates on purpose"
    assert c.kind == "statement" and not c.quotation


def test_according_to_x(ds):
    c = only(suggest(ds, "The flow fell by half in a week, according to the Water Ministry."), "according to")
    assert c.speaker.actor == "up-ministry"
    assert c.quote == "The flow fell by half in a week"


def test_x_told_an_outlet_names_the_channel_and_the_intermediary(ds):
    c = only(suggest(ds, "Ortiz told Radio Delta that the gauges had been tampered with."), "told")
    assert c.speaker.as_written == "Ortiz"
    assert c.quote == "the gauges had been tampered with"
    assert c.channel == "interview with Radio Delta"
    assert c.reported_by == ("Radio Delta",)


def test_x_in_a_post_on_x_said(ds):
    c = only(suggest(ds, "The Water Ministry, in a post on X, said the canal would reopen next week."), "said")
    assert c.speaker.actor == "up-ministry"
    assert c.channel == "post on X"
    assert c.quote == "the canal would reopen next week"


def test_x_denied_the_claims(ds):
    c = only(suggest(ds, "The Water Ministry denied the claims."), "denied")
    assert (c.kind, c.speaker.actor) == ("denial", "up-ministry")
    assert c.quote == "The Water Ministry denied the claims"  # a short object: the whole construction


def test_a_quote_before_its_speaker(ds):
    c = only(suggest(ds, "“We will not release more water this season,” Ortiz said on Friday."), "said")
    assert c.quotation and c.quote == "We will not release more water this season"
    assert c.speaker.actor == "down-spokesman"


def test_a_quote_split_by_its_attribution_runs_from_the_first_part_to_the_last(ds):
    body = "“We will act,” the Water Ministry said, “and we will act before the monsoon.”"
    c = only(suggest(ds, body), "said")
    assert c.quote == "We will act,” the Water Ministry said, “and we will act before the monsoon."
    assert any("split" in n for n in c.notes)


def test_a_weekday_is_inferred_across_a_month_boundary(ds):
    # published Saturday 2 March 2024; "on Thursday" is 29 February (a leap year)
    c = only(suggest(ds, "Ortiz said on Thursday that the treaty minimum had not been met.", "2024-03-02"), "said")
    assert c.date.value == "2024-02-29" and c.date.inferred
    assert "Thursday" in c.date.note and "2024-03-02" in c.date.note


def test_yesterday_counts_back_from_the_published_date(ds):
    c = only(suggest(ds, "The Water Ministry said yesterday that the gates were open.", "2024-03-01"), "said")
    assert c.date.value == "2024-02-29" and c.date.inferred


def test_a_stated_date_is_not_inferred(ds):
    c = only(suggest(ds, "Ortiz said on March 1, 2024 that the flow was falling.", "2024-03-05"), "said")
    assert (c.date.value, c.date.inferred) == ("2024-03-01", False)


def test_an_unnamed_speaker_is_proposed_as_an_unnamed_actor_of_its_side(ds):
    c = only(suggest(ds, "A senior Upstream security source said the gates were opened at night."), "said")
    assert c.speaker.actor is None
    assert (c.speaker.kind, c.speaker.side) == ("unnamed", "upstream")
    assert c.speaker.as_written == "A senior Upstream security source"


def test_a_speaker_quoted_inside_a_quotation_is_second_hand(ds):
    body = "“When the Downstream side said that the gauges were broken, we offered to replace them,” the Water Ministry said."
    cands = suggest(ds, body)
    inner = next(c for c in cands if c.speaker.as_written == "the Downstream side")
    assert inner.quote == "the gauges were broken"
    assert inner.reported_by == ("the Water Ministry",)
    outer = next(c for c in cands if c.speaker.actor == "up-ministry" and c.quotation)
    assert outer.reported_by == ()


def test_an_agreement_reported_by_officials_names_them_as_intermediaries(ds):
    cands = suggest(ds, "Upstream and Downstream have agreed to share gauge data every week, officials said.")
    assert [c.verb for c in cands] == ["agreed"]  # "officials said" passes it on; it is not a second claim
    assert cands[0].reported_by == ("officials",)


def test_a_pronoun_is_read_as_the_last_speaker_of_its_sort(ds):
    cands = suggest(ds, "Lena Ortiz said the river was at its lowest in years.\nShe added that Downstream would go to the River Commission.")
    added = only(cands, "added")
    assert (added.speaker.as_written, added.speaker.actor) == ("She", "down-spokesman")


def test_every_quote_is_a_slice_of_the_body_that_the_checker_finds(ds):
    body = "“First,” said Ortiz. The Water Ministry rejected the charge, saying the flow was normal.\nIt added: “We comply.”"
    for c in suggest(ds, body):
        assert body[c.quote_start : c.quote_end] == c.quote
        assert SourceText(body).anchor(c.quote) is not None


_PIECES = st.sampled_from(["Ortiz said", "“", "”", '"', "‘", "’", " ", ".", ",", "\n", "the gates", "Water Ministry",
                           "denied", "told Radio Delta", "according to", "on Friday", "that", "!", "?", "Mr.", "it’s"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_sentence_and_quotation_spans_are_always_the_texts_own_characters(text):
    for s in sentences(text):
        assert 0 <= s.start < s.end <= len(text) and s.of(text).strip() == s.of(text)
        for q in quotations(s.of(text)):
            assert 0 <= q.start <= q.end <= s.end - s.start


@settings(max_examples=100, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_every_candidate_quote_is_found_verbatim_in_the_text(text):
    from conftest import ACTORS
    from claimtrack.store import load_actors_text

    actors, _ = load_actors_text(ACTORS)
    for c in suggest_candidates(text, actors.actors, actors.sides, "2024-03-02"):
        assert text[c.quote_start : c.quote_end] == c.quote
        assert SourceText(text).anchor(c.quote) is not None


# --------------------------------------------------------------------------------- the commands


ARTICLE = textwrap.dedent("""\
    Upstream accused of cutting the flow
    Lena Ortiz said on Thursday that Upstream had deliberately cut the flow below the treaty minimum.
    The Water Ministry rejected the accusation as baseless, blaming the drought.
    """)


def test_suggest_lists_candidates_as_json_and_writes_nothing(tmp_path):
    root = write_dataset(tmp_path / "ds", sources={"2024-03-02-daily-river-flow-dispute": ARTICLE})
    before = tree_digest(root)
    result = runner.invoke(app, ["suggest", "2024-03-02-daily-river-flow-dispute", "--json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    said = next(c for c in data["candidates"] if c["verb"] == "said")
    assert said["speaker"]["actor"] == "down-spokesman"
    assert said["date"] == {"value": "2024-02-29", "inferred": True, "note": said["date"]["note"]}
    assert said["recorded_as"] == ["flow/down-accuses-cut"]  # the fixture's claim cites this passage
    rejected = next(c for c in data["candidates"] if c["verb"] == "rejected")
    assert rejected["kind"] == "denial" and rejected["speaker"]["actor"] == "up-ministry"
    assert tree_digest(root) == before


def test_suggest_on_an_unknown_source_is_one_located_error(dataset):
    result = runner.invoke(app, ["suggest", "2024-03-02-daily-river-flow-dispute-x", "--root", str(dataset)])
    assert result.exit_code == 1
    assert "unknown source" in result.stderr and "did you mean" in result.stderr


TWIN = edited(CLAIMS["flow/down-accuses-cut"], "statement: Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum.", "statement: Downstream's spokesperson said that Upstream deliberately cut the flow below the treaty minimum.")


def test_check_warns_about_a_possible_duplicate_in_the_same_issue(tmp_path):
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/down-accuses-cut-again": TWIN})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 0  # a warning, not an error
    lines = [line for line in result.stdout.splitlines() if "[possible-duplicate]" in line]
    assert len(lines) == 2
    assert lines[0].startswith("claims/flow/down-accuses-cut-again.yaml:1: warning: [possible-duplicate]")
    assert "'flow/down-accuses-cut'" in lines[0]


def test_a_comment_in_either_file_silences_the_pair(tmp_path):
    allowed = "# claimtrack: allow possible-duplicate flow/down-accuses-cut\n" + textwrap.dedent(TWIN)
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/down-accuses-cut-again": allowed})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 0
    assert "possible-duplicate" not in result.stdout


def test_similar_lists_the_near_twin_with_its_score(tmp_path):
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/down-accuses-cut-again": TWIN})
    result = runner.invoke(app, ["similar", "flow/down-accuses-cut", "--json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["similar"][0]["claim"] == "flow/down-accuses-cut-again"
    assert data["similar"][0]["score"] >= 90 and data["similar"][0]["possible_duplicate"] is True


def test_similar_lists_what_a_denial_may_answer(tmp_path):
    denial = "\n".join(line for line in CLAIMS["flow/up-denies-cut"].splitlines() if "rebuts:" not in line) + "\n"
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-denies-cut": denial})
    result = runner.invoke(app, ["similar", "flow/up-denies-cut", "--json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "flow/down-accuses-cut" in [m["claim"] for m in json.loads(result.stdout)["may_answer"]]


def test_similar_refuses_a_threshold_outside_0_to_100(dataset):
    result = runner.invoke(app, ["similar", "flow/down-accuses-cut", "--threshold", "120", "--root", str(dataset)])
    assert result.exit_code == 2
    assert "between 0 and 100" in result.stderr

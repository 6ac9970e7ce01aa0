"""The neutrality lint: [not-attributive] statements and [verdict-in-note] history notes.

Each test writes the fixture dataset with one claim changed, runs `claimtrack check` as a user
would, and asserts the exit code (warnings never fail a check) and the warning, or its absence.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.lint import REPORTING_VERBS, VERDICT_WORDS, _forms, has_reporting_verb, verdict_outside_attribution

from conftest import CLAIMS, write_dataset

runner = CliRunner()

CLAIM = """\
statement: {statement}
kind: statement
by: commission
said_on: 2024-05-10
status: asserted
history:
  - on: 2024-05-10
    status: asserted
    note: {note}
citations:
  - source: 2024-05-10-unknown-commission-report
    quote: its gauges showed the flow at 92 percent of the treaty minimum
"""


def check(tmp_path, statement="The River Commission said its gauges showed a low flow.",
          note="Recorded as reported.", text=None):
    claims = {**CLAIMS, "flow/commission-gauges": text or CLAIM.format(statement=statement, note=note)}
    root = write_dataset(tmp_path / "ds", claims=claims)
    return runner.invoke(app, ["check", "--root", str(root)])


def test_statement_in_the_datasets_own_voice_is_warned(tmp_path):
    result = check(tmp_path, statement="The flow was cut below the treaty minimum in March.")
    assert result.exit_code == 0, result.output
    assert "claims/flow/commission-gauges.yaml:1: warning: [not-attributive]" in result.output


def test_statement_with_a_reporting_verb_and_no_actor_passes(tmp_path):
    result = check(tmp_path, statement="Officials said the flow was cut below the treaty minimum.")
    assert result.exit_code == 0, result.output
    assert "not-attributive" not in result.output


def test_statement_naming_an_actor_by_alias_passes(tmp_path):
    result = check(tmp_path, statement="The Water Ministry cut the flow below the treaty minimum.")
    assert result.exit_code == 0, result.output
    assert "not-attributive" not in result.output


def test_according_to_counts_as_reporting(tmp_path):
    result = check(tmp_path, statement="According to gauges, the flow fell below the treaty minimum.")
    assert result.exit_code == 0, result.output
    assert "not-attributive" not in result.output


def test_allow_comment_on_the_statement_line_silences_not_attributive(tmp_path):
    text = CLAIM.format(statement="The flow was cut in March.  # claimtrack: allow not-attributive",
                        note="Recorded as reported.")
    result = check(tmp_path, text=text)
    assert result.exit_code == 0, result.output
    assert "not-attributive" not in result.output


def test_allow_comment_on_the_line_above_silences_not_attributive(tmp_path):
    text = "# claimtrack: allow not-attributive\n" + CLAIM.format(statement="The flow was cut in March.",
                                                                  note="Recorded as reported.")
    result = check(tmp_path, text=text)
    assert result.exit_code == 0, result.output
    assert "not-attributive" not in result.output


def test_allow_for_the_other_code_does_not_silence(tmp_path):
    text = CLAIM.format(statement="The flow was cut in March.  # claimtrack: allow verdict-in-note",
                        note="Recorded as reported.")
    result = check(tmp_path, text=text)
    assert result.exit_code == 0, result.output
    assert "[not-attributive]" in result.output


def test_verdict_word_in_a_note_is_warned_at_the_note_line(tmp_path):
    result = check(tmp_path, note="The account was proven wrong by the gauges.")
    assert result.exit_code == 0, result.output
    assert "claims/flow/commission-gauges.yaml:9: warning: [verdict-in-note]" in result.output
    assert "'proven'" in result.output


def test_verdict_word_inside_a_quotation_passes(tmp_path):
    result = check(tmp_path, note="""'Upstream rejected it: "false and misleading".'""")
    assert result.exit_code == 0, result.output
    assert "verdict-in-note" not in result.output


def test_verdict_word_in_an_attributing_sentence_passes(tmp_path):
    result = check(tmp_path, note="Upstream's Water Ministry called the account false.")
    assert result.exit_code == 0, result.output
    assert "verdict-in-note" not in result.output


def test_allow_comment_silences_verdict_in_note(tmp_path):
    result = check(tmp_path, note="The gauges are true to 1 percent.  # claimtrack: allow verdict-in-note")
    assert result.exit_code == 0, result.output
    assert "verdict-in-note" not in result.output


def test_an_apostrophe_opens_no_quotation(tmp_path):
    result = check(tmp_path, note="Upstream's account is false, it's clear.")
    assert result.exit_code == 0, result.output
    assert "[verdict-in-note]" in result.output


def test_the_fixture_dataset_is_clean_of_both_lints(dataset):
    result = runner.invoke(app, ["check", "--root", str(dataset)])
    assert result.exit_code == 0, result.output
    assert "not-attributive" not in result.output and "verdict-in-note" not in result.output


def test_every_form_of_every_reporting_verb_is_recognised():
    for lemma in REPORTING_VERBS:
        for form in _forms(lemma):
            assert has_reporting_verb(f"The ministry {form} it."), form


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(VERDICT_WORDS), before=st.text(alphabet="abc xyz", max_size=20),
       after=st.text(alphabet="abc xyz", max_size=20))
def test_a_double_quoted_verdict_word_never_counts(word, before, after):
    assert verdict_outside_attribution(f'{before} "{word}" {after}') is None


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(VERDICT_WORDS), filler=st.sampled_from(["the gauges", "a reading", "flow levels"]))
def test_an_unquoted_unattributed_verdict_word_is_always_found(word, filler):
    assert verdict_outside_attribution(f"Then {filler} turned out {word} for once.") == word

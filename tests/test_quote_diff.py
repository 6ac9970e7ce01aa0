"""A missed quote shows where it differs: the closest passage aligned with the quote word by
word (quotes.word_changes), the differing words marked, every differing stretch shown whole."""

from __future__ import annotations

from hypothesis import given, strategies as st
from typer.testing import CliRunner

from claimtrack.check import check_dataset
from claimtrack.cli.app import app
from claimtrack.quotes import apply_changes, marked_difference, word_changes, word_key
from conftest import CLAIMS, edited, write_dataset

runner = CliRunner()
WORDS = st.lists(st.sampled_from(["our", "lake", "its", "waters", "fishing", "inside", "the", "“dam”", "river", "—", "river."]), max_size=14)


@given(WORDS, WORDS)
def test_the_changes_applied_to_the_quote_give_the_passage(quote, passage):
    changes = word_changes(" ".join(quote), " ".join(passage))
    assert [word_key(w) for w in apply_changes(quote, changes)] == [word_key(w) for w in passage]


@given(WORDS)
def test_a_quote_equal_to_its_passage_has_no_changes(words):
    assert word_changes(" ".join(words), " ".join(words)) == []


def test_the_differing_words_are_marked():
    assert marked_difference("fishing inside our lake", "fishing inside its waters") == "fishing inside [-our lake-]{+its waters+}"


def test_every_differing_stretch_is_shown_not_only_the_first():
    shown = marked_difference("they said the flow was cut by half in May", "they said the water was cut by a third in March")
    assert shown == "they said the [-flow-]{+water+} was cut by [-half-]{+a third+} in [-May-]{+March+}"


def test_long_equal_runs_between_differences_are_shortened():
    quote = "one two three four five six seven eight nine ten eleven twelve"
    shown = marked_difference("zero " + quote + " end", "nil " + quote + " stop")
    assert shown == "[-zero-]{+nil+} one two three four … nine ten eleven twelve [-end-]{+stop+}"


def test_check_shows_where_a_missed_quote_differs(tmp_path):
    claims = dict(CLAIMS)
    claims["flow/up-counter-canals"] = edited(CLAIMS["flow/up-counter-canals"], "quote: Downstream had itself diverted water for its new canals", "quote: Downstream had itself taken water for its canals")
    root = write_dataset(tmp_path / "ds", claims=claims)
    (problem,) = [p for p in check_dataset(root)[1] if p.code == "quote-not-found"]
    assert "Downstream had itself [-taken-]{+diverted+} water for its {+new+} canals" in problem.message


def test_add_shows_where_a_missed_quote_differs(dataset):
    result = runner.invoke(app, ["add", "--root", str(dataset), "--issue", "flow", "--by", "Lena Ortiz", "--kind", "statement",
                                 "--said-on", "2024-05", "--statement", "Downstream's spokesperson said the shortfall was smaller.",
                                 "--cite", "2024-05-10-unknown-commission-report", "--quote", "smaller than first thought"])
    assert result.exit_code == 1
    assert "smaller than first [-thought-]{+feared" in result.stderr

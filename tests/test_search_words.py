"""`search` matches words, not prefixes (queries.parse_search, SEARCH_SYNTAX): exact words by
default, "a phrase", word* for a prefix, OR, -word; exit 1 when nothing matches, as grep."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimtrack.index import queries as q
from claimtrack.cli.app import app
from conftest import CLAIMS, SOURCE_BODIES, write_dataset

runner = CliRunner()

CLAIMS_ISIS = {
    **CLAIMS,
    "flow/down-isis": """\
        statement: Downstream's spokesperson said ISIS fighters crossed the dam road.
        kind: accusation
        by: down-spokesman
        said_on: 2024-03-02
        status: asserted
        citations:
          - source: 2024-03-03-daily-river-isis
            quote: ISIS fighters crossed the dam road
        """,
    "flow/up-isi": """\
        statement: Upstream's Water Ministry said the ISI had handed the gauges over to the commission.
        kind: statement
        by: up-ministry
        said_on: 2024-03-03
        status: asserted
        citations:
          - source: 2024-03-03-daily-river-isis
            quote: the ISI had handed the gauges over
        """,
}
SOURCES = {**SOURCE_BODIES, "2024-03-03-daily-river-isis": "ISIS fighters crossed the dam road, she said.\nThe ministry said the ISI had handed the gauges over.\n"}


@pytest.fixture
def root(tmp_path):
    return write_dataset(tmp_path / "ds", claims=CLAIMS_ISIS, sources=SOURCES)


def refs(root, *words: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["search", *words, "--json", "--root", str(root)])
    hits = json.loads(result.stdout)["hits"] if result.stdout else []
    return result.exit_code, sorted({h["ref"] for h in hits if h["kind"] in ("claim", "quote")})


def test_a_word_does_not_match_a_longer_word_it_begins(root):
    code, found = refs(root, "ISI")
    assert code == 0
    assert found == ["flow/up-isi"]


def test_a_word_with_a_star_matches_as_a_prefix(root):
    code, found = refs(root, "ISI*")
    assert code == 0
    assert found == ["flow/down-isis", "flow/up-isi"]


def test_a_phrase_matches_only_words_next_to_each_other(root):
    code, found = refs(root, '"handed the gauges"')
    assert code == 0
    assert found == ["flow/up-isi"]
    code, found = refs(root, '"gauges handed"')
    assert (code, found) == (1, [])


def test_or_matches_either(root):
    code, found = refs(root, "ISIS OR canals")
    assert code == 0
    assert found == ["flow/down-isis", "flow/up-counter-canals"]


def test_a_minus_word_leaves_out_what_has_it(root):
    code, found = refs(root, "spokesperson -ISIS")
    assert code == 0
    assert "flow/down-isis" not in found and found


def test_nothing_found_exits_1(root):
    result = runner.invoke(app, ["search", "zeppelin", "--root", str(root)])
    assert result.exit_code == 1
    assert "No matches" in result.stdout


def test_only_left_out_words_is_a_usage_error(root):
    result = runner.invoke(app, ["search", "--root", str(root), "--", "-ISIS"])
    assert result.exit_code == 2
    assert "nothing to search for" in result.stderr


def test_the_help_documents_the_syntax_with_examples():
    result = runner.invoke(app, ["search", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for shown in ('"handed over"', "negotiat*", "ISIS OR Daesh", "-ceasefire", "claimtrack search ISI "):
        assert shown in result.stdout


@pytest.mark.parametrize("text, fts", [
    ("ISI", '"isi"'),
    ("isi* Kabul", '"isi"* AND "kabul"'),
    ('"handed over" -Doha', '("handed over") NOT "doha"'),
    ("ISIS OR Daesh border", '("isis" OR "daesh") AND "border"'),
    ("al-Qaeda", '"al qaeda"'),
])
def test_the_fts_query_of_a_search(text, fts):
    assert q.fts_query(text) == fts


def test_search_as_you_type_reads_the_unfinished_word_as_a_prefix():
    assert (q.as_typed("cana"), q.as_typed("cana "), q.as_typed('"handed ov'), q.as_typed("isi*")) == ("cana*", "cana ", '"handed ov', "isi*")

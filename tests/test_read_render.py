"""The library under the reading commands: data assembly (threads, queries) and the pure render
functions, called directly and drawn on a StringIO console."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from claimtrack.index import queries

from claimtrack.views import jsonout, render, threads
from claimtrack.index.refresh import open_index
from claimtrack.problems import UnknownId


def draw(renderable, width: int = 80, colour: bool = False) -> str:
    out = io.StringIO()
    if colour:
        console = Console(file=out, width=width, force_terminal=True, color_system="truecolor", no_color=False, markup=False, emoji=False, highlight=False)
    else:
        console = Console(file=out, width=width, no_color=True, markup=False, emoji=False, highlight=False)
    console.print(renderable)
    return out.getvalue()


@pytest.fixture
def conn(dataset):
    c = open_index(dataset)
    yield c
    c.close()


def test_clean_shows_control_characters_as_escapes():
    assert render.clean("a\x1b[31mb\x07c\x9bd\x7f") == "a\\x1b[31mb\\x07c\\x9bd\\x7f"
    assert render.clean("x\u202ey\u2066z") == "x\\u202ey\\u2066z"


def test_clean_keeps_line_breaks_tabs_and_every_script():
    text = "line\n\tindented قال הממשלה 水坝 [bold]"
    assert render.clean(text) == text
    assert render.clean("a\r\nb\rc") == "a\nb\\x0dc"


def test_long_ids_break_after_hyphens():
    assert render.break_id("issue/a-long-claim-name", 12) == "issue/a-\nlong-claim-\nname"
    assert render.break_id("issue/a-long-name", 12) == "issue/\na-long-name"
    assert render.break_id("short", 12) == "short"


def test_snippet_matches_become_emphasised_parts_and_adjacent_ones_join():
    parts = queries.snippet_parts("say \x02cut\x03 \x02flow\x03 now\n\nthen")
    assert parts == [("say ", False), ("cut flow", True), (" now then", False)]
    assert queries.snippet_parts("a\nb", " ¶ ") == [("a ¶ b", False)]


def test_emphasis_is_guillemets_in_plain_output_and_reverse_video_in_colour():
    e = render.Emphasised([("before ", False), ("match", True), (" after", False)])
    assert draw(e) == "before «match» after\n"
    coloured = draw(e, colour=True)
    assert "«" not in coloured and "\x1b[1;7mmatch" in coloured


def test_passage_is_the_quote_s_paragraph_cut_at_words():
    body = "First line.\n" + "word " * 100 + "THE QUOTE" + " more" * 100 + "\nLast line."
    start = body.index("THE QUOTE")
    p = threads.passage(body, start, start + 9, context=40)
    assert p.text[p.quote_start:p.quote_end] == "THE QUOTE"
    assert p.cut_before and p.cut_after
    assert p.text.startswith("word ") and p.text.endswith("more")
    assert len(p.text) <= 9 + 2 * 40


def test_passage_of_a_short_paragraph_is_the_whole_line():
    body = "Headline\nShe said it was false. Then she left.\nEnd"
    start = body.index("false")
    p = threads.passage(body, start, start + 5)
    assert (p.text, p.cut_before, p.cut_after) == ("She said it was false. Then she left.", False, False)


def test_issue_tree_marks_the_highlighted_claim(conn):
    view = threads.load_issue_view(conn, "flow")
    text = draw(render.issue_tree(view, highlight="flow/up-denies-cut"), width=100)
    assert "├── ▶ rebuts (analyst) ▸ up-denies-cut\n" in text
    assert text.count("▶") == 1
    assert "▶" not in draw(render.issue_tree(view), width=100)


def test_issue_tree_numbers_citations_in_thread_order(conn):
    view = threads.load_issue_view(conn, "flow")
    text = draw(render.issue_tree(view), width=100)
    assert "treaty minimum. [1]" in text
    assert "[4] Daily River, 2024-05-10 — “its gauges showed the flow at 92 percent of the treaty minimum”" in text


def test_wide_tables_give_way_to_a_stacked_layout_when_narrow(conn):
    claims = queries.claims(conn)
    sides = {s.id: s for s in queries.sides(conn)}
    wide, narrow = draw(render.claims_table(claims, sides), 120), draw(render.claims_table(claims, sides), 60)
    assert wide.splitlines()[0].split() == ["Date", "Claim", "Statement"]
    assert narrow.splitlines()[0].split() == ["Date", "Claim"]


def test_a_claim_in_full_has_its_links_both_ways(conn):
    d = threads.load_claim_detail(conn, "flow/down-accuses-cut")
    assert sorted((l.type, c.id) for l, c in d.links_in) == [
        ("rebuts", "flow/up-counter-canals"), ("rebuts", "flow/up-denies-cut"), ("supports", "flow/commission-gauges")]
    assert d.links_out == []
    assert [h.status for h in d.history] == ["disputed"]
    (cq,) = d.citations
    assert cq.source.outlet == "Daily River"
    assert cq.passage.text[cq.passage.quote_start:cq.passage.quote_end] == "deliberately cut the flow below the treaty minimum"


def test_claims_page_limits_and_counts(conn):
    page, total = queries.claims_page(conn, limit=1, side="upstream")
    assert ([c.id for c in page], total) == (["flow/up-counter-canals"], 2)
    assert queries.claims_page(conn)[1] == 4


def test_resolve_ref_tells_issues_from_claims(conn):
    assert queries.resolve_ref(conn, "flow") == "issue"
    assert queries.resolve_ref(conn, "flow/up-denies-cut") == "claim"
    assert queries.resolve_ref(conn, "down-accuses-cut") == "claim"  # a claim's name alone, unique
    with pytest.raises(UnknownId) as exc:
        queries.resolve_ref(conn, "down-acuses-cut")
    assert exc.value.suggestions == ["flow/down-accuses-cut"]


def test_check_filter_rejects_unknown_values_with_suggestions(conn):
    queries.check_filter(conn, "side", "upstream")
    queries.check_filter(conn, "actor", None)
    with pytest.raises(UnknownId) as exc:
        queries.check_filter(conn, "side", "upstrem")
    assert exc.value.suggestions[0] == "upstream"


def test_json_dumps_escapes_c1_and_bidi_controls():
    assert jsonout.dumps({"s": "a\x9bb\u202ec\x1b"}) == '{\n  "s": "a\\u009bb\\u202ec\\u001b"\n}'


def test_a_claim_answering_two_claims_is_shown_in_full_once(tmp_path):
    from conftest import CLAIMS, write_dataset

    claims = dict(CLAIMS)
    claims["flow/down-answers-both"] = """\
        statement: Downstream's spokesperson called both of Upstream's answers evasions.
        kind: rebuttal
        by: down-spokesman
        said_on: 2024-03-05
        status: asserted
        rebuts: [flow/up-denies-cut, flow/up-counter-canals]
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: the drought alone
        """
    conn = open_index(write_dataset(tmp_path / "ds", claims=claims))
    text = draw(render.issue_tree(threads.load_issue_view(conn, "flow")), width=120)
    assert text.count("rebuts (analyst) ▸ down-answers-both") == 2
    assert text.count("rebuts (analyst) ▸ down-answers-both (shown above)") == 1
    assert text.count("called both of Upstream's answers evasions") == 1


def test_a_date_reads_by_one_rule_in_the_terminal_and_in_prose():
    from claimtrack.views.datewords import fmt_date, prose_date

    assert fmt_date("../2014-07-24") == prose_date("../2014-07-24") == "on or before 2014-07-24"
    assert fmt_date("2014-07-01/2014-07-23", True) == "between 2014-07-01 and 2014-07-23~"
    assert prose_date("2025-11-05", True) == "2025-11-05 (inferred)"
    assert (fmt_date(None), prose_date(None)) == ("unknown", "date unknown")
    assert (fmt_date("unknown", True), prose_date("unknown", True)) == ("unknown", "date unknown")  # nothing was inferred

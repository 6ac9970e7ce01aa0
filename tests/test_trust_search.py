"""Large and deep sources: search shows a bounded snippet of a long text, `source add` refuses a
text above the cap unless told, and an HTML page is archived whole or not at all.

(The costs are measured by hand and reported in docs/safety.md; no test times anything.)
"""

from __future__ import annotations

from pathlib import Path

from claimtrack.index import queries as q
from claimtrack.edit.archive import MAX_TEXT_BYTES, html_to_text, missing_words
from claimtrack.index.refresh import open_index
from conftest import SOURCE_BODIES, assert_one_error_line, run_in_process, tree_digest, write_dataset

LONG_SOURCE = "2024-07-01-unknown-long-report"


def _long_body(repeats: int = 4000) -> str:
    """About 330 KB: far above the length FTS5's snippet() is asked for, thousands of hits of 'flow'."""
    filler = "The flow at the gauge was measured again and the flow was logged.\n" * repeats
    return "Long report\n\n" + filler + "At the end the Commission said the treaty minimum was met.\n"


def _long_dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "ds", sources={**SOURCE_BODIES, LONG_SOURCE: _long_body()})


def test_a_long_source_gets_a_short_snippet_with_its_matches_marked(tmp_path):
    conn = open_index(_long_dataset(tmp_path))
    (hit,) = [h for h in q.search(conn, "treaty minimum met") if h.ref == LONG_SOURCE]
    assert "\x02treaty\x03 \x02minimum\x03 was \x02met\x03" in hit.snippet
    assert hit.snippet.startswith("…") and len(hit.snippet) < 400


def test_the_snippet_of_a_long_source_marks_the_words_a_prefix_matches(tmp_path):
    conn = open_index(_long_dataset(tmp_path))
    (hit,) = [h for h in q.search(conn, "commiss*") if h.ref == LONG_SOURCE]
    assert "\x02Commission\x03" in hit.snippet


def test_the_snippet_of_a_long_source_sees_accents_and_case_as_fts_does():
    body = "filler text here. " * 2000 + "Officials in Kâbul and KABUL spoke. " + "more filler. " * 2000
    snippet = q.long_snippet(body, "kabul")
    assert "\x02Kâbul\x03" in snippet and "\x02KABUL\x03" in snippet


def test_search_on_a_long_source_through_the_cli(tmp_path):
    root = _long_dataset(tmp_path)
    before = tree_digest(root)
    proc = run_in_process("search", "treaty", "minimum", "--root", str(root))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert f"source {LONG_SOURCE}" in out and "«treaty minimum»" in out
    assert len(out) < 5000
    assert tree_digest(root) == before


def test_short_texts_keep_fts5s_own_snippet(dataset):
    conn = open_index(dataset)
    (hit,) = [h for h in q.search(conn, "canals") if h.kind == "claim"]
    assert hit.snippet == "Upstream's Water Ministry said Downstream had itself diverted water for its new \x02canals\x03."


# --- the size cap --------------------------------------------------------------------------------


def _big_text(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    line = "A line of a very long transcript that nobody should archive whole.\n"
    path.write_text(line * (MAX_TEXT_BYTES // len(line) + 10), encoding="utf-8")
    return path


def test_a_text_above_the_cap_is_refused(dataset, tmp_path):
    before = tree_digest(dataset)
    proc = run_in_process("source", "add", str(_big_text(tmp_path)), "--title", "Huge", "--root", str(dataset))
    assert proc.returncode == 1
    line = assert_one_error_line(proc.stderr)
    assert "5.0 MB" in line and "--allow-large" in line
    assert tree_digest(dataset) == before


def test_allow_large_archives_it(dataset, tmp_path):
    proc = run_in_process("source", "add", str(_big_text(tmp_path)), "--title", "Huge", "--allow-large", "--root", str(dataset))
    assert proc.returncode == 0, proc.stderr
    assert (dataset / "sources" / "unknown-unknown-huge.md").stat().st_size > MAX_TEXT_BYTES


# --- HTML pages: the whole text or an error ---------------------------------------------------------


def _deep_page(depth: int) -> str:
    spans = "".join(f"<span>word{i} " for i in range(depth))
    return (f"<html><head><title>Deep page</title></head><body><p>Start of the article.</p>{spans}"
            "<p>The final paragraph says the talks ended.</p></body></html>")


def test_a_thousand_unclosed_spans_are_archived_whole(dataset, tmp_path):
    page = tmp_path / "deep.html"
    page.write_text(_deep_page(1000), encoding="utf-8")
    proc = run_in_process("source", "add", str(page), "--title", "Deep page", "--root", str(dataset))
    assert proc.returncode == 0, proc.stderr
    body = (dataset / "sources" / "unknown-unknown-deep-page.md").read_text(encoding="utf-8")
    assert "word999 The final paragraph says the talks ended." in body
    assert all(f"word{i} " in body for i in range(1000))


def test_a_page_a_hundred_thousand_levels_deep_is_archived_whole(dataset, tmp_path):
    page = tmp_path / "deeper.html"
    page.write_text("<html><body>" + "<span>" * 100_000 + "Only text, very deep: the talks ended.</body></html>", encoding="utf-8")
    proc = run_in_process("source", "add", str(page), "--title", "Very deep", "--root", str(dataset))
    assert proc.returncode == 0, proc.stderr
    body = (dataset / "sources" / "unknown-unknown-very-deep.md").read_text(encoding="utf-8")
    assert body.endswith("---\nOnly text, very deep: the talks ended.\n")


def test_flattening_keeps_what_hides_text_hidden():
    deep = "<span>" * 300
    html = f"<html><body><p>Shown.</p>{deep}<script>var secret = 1;</script><span style='display: none'>hidden</span>end.</body></html>"
    assert html_to_text(html) == "Shown.\n\nend.\n"


def test_missing_words_finds_a_text_cut_short():
    page = "Start of the article. The final paragraph says the talks ended."
    # 'the' is in the text (earlier), so it is not counted: six words are missing, 'The' the first
    assert missing_words(page, "Start of the article.\n") == (6, "The")


def test_missing_words_allows_what_converters_add_and_join():
    page = "Items: first second  cell1 cell2 “quoted”"
    assert missing_words(page, "Items:\n  * first\n  1. second\n\ncell1  cell2 \"quoted\"\n") is None


def test_missing_words_allows_table_cells_laid_side_by_side():
    page = "1 2 3 alpha beta gamma"
    assert missing_words(page, "1 alpha\n2 beta\n3 gamma\n") is None

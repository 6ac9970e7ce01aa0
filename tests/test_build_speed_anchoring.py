"""Where the build anchors a quote: in the job that parses its source, once per source, or, for a
source that is not parsed again, from its stored body. Every way gives the span the quote has in
the source's body, and the same rows whether the files are parsed in one process or a pool."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimtrack.index import build
from claimtrack.index.refresh import index_path, refresh_index
from conftest import write_dataset

BODY = "The ministry said the flow was\ncut “deliberately” at the dam.\n"

CLAIM = """\
    statement: The ministry said the flow was cut at the dam.
    kind: accusation
    by: up-ministry
    said_on: 2024-03-02
    status: asserted
    citations:
      - source: 2024-03-02-daily-river-report
        quote: "the flow was cut \\"deliberately\\""
      - source: 2024-03-02-daily-river-report
        quote: "not in the report"
    """


def _rows(root: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(index_path(root))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def spans(root: Path) -> list[tuple]:
    return _rows(root, 'SELECT claim_id, idx, start, "end", anchored FROM citations ORDER BY claim_id, idx')


def sources(root: Path) -> list[tuple]:
    return _rows(root, "SELECT id FROM sources")


def where(quote_start: str, quote_end: str) -> tuple[int, int]:
    return BODY.index(quote_start), BODY.index(quote_end) + len(quote_end)


@pytest.fixture(params=["one process", "a pool"])
def parsing(request, monkeypatch):
    if request.param == "a pool":
        monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    return request.param


def test_a_quote_across_a_line_break_is_anchored_by_the_build(tmp_path, parsing):
    root = write_dataset(tmp_path, claims={"flow/cut": CLAIM}, sources={"2024-03-02-daily-river-report": BODY})
    refresh_index(root)
    assert spans(root) == [("flow/cut", 0, *where("the flow", "“deliberately”"), 1), ("flow/cut", 1, None, None, 1)]


def test_a_source_whose_metadata_is_invalid_still_anchors_the_quotes_that_cite_it(tmp_path, parsing):
    root = write_dataset(tmp_path, claims={"flow/cut": CLAIM}, sources={"2024-03-02-daily-river-report": BODY})
    path = root / "sources" / "2024-03-02-daily-river-report.md"
    path.write_text(path.read_text(encoding="utf-8").replace("outlet: Daily River\n", "outlet: Daily River\nnot_a_field: x\n"), encoding="utf-8")
    refresh_index(root)
    assert sources(root) == []
    assert spans(root) == [("flow/cut", 0, *where("the flow", "“deliberately”"), 1), ("flow/cut", 1, None, None, 1)]


def test_a_quote_of_a_missing_source_is_left_unanchored(tmp_path, parsing):
    root = write_dataset(tmp_path, claims={"flow/cut": CLAIM}, sources={})
    refresh_index(root)
    assert spans(root) == [("flow/cut", 0, None, None, 0), ("flow/cut", 1, None, None, 0)]


def test_a_claim_changed_alone_is_anchored_from_the_stored_body(tmp_path):
    root = write_dataset(tmp_path, claims={"flow/cut": CLAIM}, sources={"2024-03-02-daily-river-report": BODY})
    refresh_index(root)
    path = root / "claims" / "flow" / "cut.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"not in the report"', '"at the dam"'), encoding="utf-8")
    assert refresh_index(root).parsed == ["claims/flow/cut.yaml"]
    assert spans(root) == [("flow/cut", 0, *where("the flow", "“deliberately”"), 1), ("flow/cut", 1, *where("at the dam", "at the dam"), 1)]


def test_a_source_changed_alone_anchors_again_the_quotes_that_cite_it(tmp_path):
    root = write_dataset(tmp_path, claims={"flow/cut": CLAIM}, sources={"2024-03-02-daily-river-report": BODY})
    refresh_index(root)
    moved = "Reported: " + BODY
    write_dataset(tmp_path, claims={}, sources={"2024-03-02-daily-river-report": moved})
    assert refresh_index(root).parsed == ["sources/2024-03-02-daily-river-report.md"]
    start = moved.index("the flow")
    assert spans(root) == [("flow/cut", 0, start, start + len("the flow was\ncut “deliberately”"), 1), ("flow/cut", 1, None, None, 1)]

"""The browser's issue list, made cheap at 100,000 claims without changing what it shows: the
counts of each issue come from one grouped query (queries.issue_counts) and equal those of
issue_summaries (what `claimtrack issues` shows); a row's height in the list is counted from its
plain lines (panes.IssuePrompt) and equals the height of the Content Textual would make of it; and
the list drawn from those rows is the list drawn from the rows' rich Text. Datasets are written
in each test, the sides those of conftest (UP, DO, ME) and a third party with no side."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest

from conftest import ACTORS, write_dataset

pytest.importorskip("textual")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from textual.content import Content  # noqa: E402
from textual.widgets.option_list import Option  # noqa: E402

from claimtrack.browse import labels, panes  # noqa: E402
from claimtrack.browse.app import BrowserApp  # noqa: E402
from claimtrack.browse.panes import IssueList, IssuePrompt  # noqa: E402
from claimtrack.index import queries as q  # noqa: E402
from claimtrack.index.refresh import connect, refresh_index  # noqa: E402

WITH_A_THIRD_PARTY = ACTORS + """\
  - id: observer
    name: Independent Observer
"""

SOURCE = "2024-03-02-daily-river-flow-dispute"
QUOTE = "deliberately cut the flow below the treaty minimum"


def claim(kind: str, by: str, status: str = "asserted", said_on: str = "2024-03-02", rebuts: str | None = None,
          supports: str | None = None) -> str:
    """A claim file's text, citing conftest's first source."""
    links = (f"rebuts: [{rebuts}]\n" if rebuts else "") + (f"supports: [{supports}]\n" if supports else "")
    return (f"statement: A {kind} by {by}, {status}.\nkind: {kind}\nby: {by}\nsaid_on: {said_on}\nstatus: {status}\n{links}"
            f"citations:\n  - source: {SOURCE}\n    quote: \"{QUOTE}\"\n")


def issue(title: str) -> str:
    return f"title: {title}\nquestion: What happened to the river?\n"


# Two issues with every way a claim counts or not, and one with no claims at all.
ISSUES = {"dam": issue("The dam"), "canal": issue("The canal"), "empty": issue("Nothing said yet")}
CLAIMS = {
    "dam/accused": claim("accusation", "down-spokesman", "disputed"),
    "dam/rebutted": claim("denial", "up-ministry", rebuts="dam/accused"),
    "dam/answered-elsewhere": claim("accusation", "up-ministry"),
    "dam/supported-only": claim("counter-accusation", "down-spokesman"),
    "dam/support": claim("statement", "commission", supports="dam/supported-only"),
    "dam/retracted": claim("accusation", "down-spokesman", "retracted"),
    "dam/superseded": claim("counter-accusation", "up-ministry", "superseded"),
    "dam/observed": claim("statement", "observer", "disputed"),
    "canal/observed": claim("accusation", "observer", said_on="2024-04"),
    "canal/answer": claim("rebuttal", "commission", rebuts="dam/answered-elsewhere"),
    "canal/disputed": claim("proposal", "up-ministry", "disputed"),
}


def index_of(root: Path):
    refresh_index(root)
    return connect(root)


def counts_of_summaries(conn) -> list[tuple]:
    """What issue_summaries counts, with each issue's sides in its order."""
    return [(s.issue.id, s.claims, list(s.per_side.items()), s.disputed, s.unanswered) for s in q.issue_summaries(conn)]


def counts_of(conn) -> list[tuple]:
    return [(c.issue.id, c.claims, list(c.per_side.items()), c.disputed, c.unanswered) for c in q.issue_counts(conn)]


def test_the_grouped_counts_are_issue_summaries_counts(tmp_path):
    conn = index_of(write_dataset(tmp_path, CLAIMS, actors=WITH_A_THIRD_PARTY, issues=ISSUES))
    assert counts_of(conn) == counts_of_summaries(conn)


def test_the_grouped_counts_by_what_each_claim_is(tmp_path):
    conn = index_of(write_dataset(tmp_path, CLAIMS, actors=WITH_A_THIRD_PARTY, issues=ISSUES))
    by_issue = {c.issue.id: c for c in q.issue_counts(conn)}
    dam, canal, empty = by_issue["dam"], by_issue["canal"], by_issue["empty"]
    assert (dam.claims, dam.disputed) == (8, 2)
    assert dam.unanswered == 1  # supported-only; not answered-elsewhere (rebutted from canal), retracted, superseded
    assert dict(dam.per_side) == {"downstream": 3, "upstream": 3, "mediator": 1, "": 1}
    assert (canal.claims, canal.disputed, canal.unanswered, dict(canal.per_side)) == (3, 1, 1, {"": 1, "mediator": 1, "upstream": 1})
    assert (empty.claims, empty.per_side, empty.disputed, empty.unanswered) == (0, {}, 0, 0)


def test_the_grouped_counts_keep_the_order_in_which_the_claims_table_meets_the_sides(tmp_path):
    """A claim file changed is indexed again: its row moves in the table, and so may the order in
    which a scan meets its issue's sides; the grouped counts follow it as issue_summaries does."""
    root = write_dataset(tmp_path, CLAIMS, actors=WITH_A_THIRD_PARTY, issues=ISSUES)
    conn = index_of(root)
    before = counts_of(conn)
    conn.close()
    for name in ("accused", "supported-only", "retracted"):  # every downstream claim of dam, rewritten
        path = root / "claims" / "dam" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("statement: A ", "statement: Again a "), encoding="utf-8")
    conn = index_of(root)
    assert counts_of(conn) == counts_of_summaries(conn)
    assert [sides for _, _, sides, _, _ in counts_of(conn)] != [sides for _, _, sides, _, _ in before]


def test_every_issue_is_listed_in_id_order_as_issue_summaries_lists_them(tmp_path):
    conn = index_of(write_dataset(tmp_path, CLAIMS, actors=WITH_A_THIRD_PARTY, issues=ISSUES))
    assert [c.issue for c in q.issue_counts(conn)] == [s.issue for s in q.issue_summaries(conn)]


# --- a row's height ---------------------------------------------------------------------------

WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz'-.,漢字é"), min_size=1, max_size=30)
TITLE = st.lists(WORD, max_size=14).map(" ".join)


def row_parts(title: str, per_side: dict[str, int], disputed: int, unanswered: int) -> list[tuple[str, str | None]]:
    counts = q.IssueCounts(q.IssueRec("i", title, "?", None, ()), sum(per_side.values()), per_side, disputed, unanswered)
    sides = {sid: q.SideRec(sid, sid.title(), "") for sid in ("upstream", "downstream")}
    return labels.issue_option_parts(counts, sides, {"upstream": "UP", "downstream": "DO"})


@settings(max_examples=300, deadline=None)
@given(title=TITLE, up=st.integers(0, 10**6), other=st.integers(0, 10**6), width=st.integers(1, 90),
       overflow=st.sampled_from(["fold", "ellipsis", "clip"]))
def test_a_rows_height_is_the_height_of_the_content_made_of_its_text(title, up, other, width, overflow):
    parts = row_parts(title, {"upstream": up, "": other}, up // 3, other // 7)
    rules = {"text_overflow": overflow}
    content = Content.from_rich_text(labels.assembled(parts))
    assert IssuePrompt(None, parts).get_height(rules, width) == content.get_height(rules, width)


def test_a_row_reads_as_its_text():
    parts = row_parts("The dam's flow", {"upstream": 2, "downstream": 1}, 1, 0)
    assert str(IssuePrompt(None, parts)) == labels.assembled(parts).plain == "The dam's flow\nUP 2 · DO 1 · 1 disputed · 0 unanswered"


# --- the list drawn ---------------------------------------------------------------------------

LONG = "The {n} dispute over the upstream dam's reservoir, its spillways and the treaty minimum of its flow"


async def screens_of(root: Path, keys: list[str]) -> list[str]:
    """The browser's screen at 80x24 at the start and after each key, as Textual exports it."""
    app = BrowserApp(index_of(root))
    shots = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shots.append(app.export_screenshot())
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            shots.append(app.export_screenshot())
    return shots


def test_the_list_drawn_from_the_rows_is_the_list_drawn_from_their_rich_text(tmp_path, monkeypatch):
    """Twelve issues whose titles wrap in the list at 80x24: the screens, list scrolled to its end
    and back, are the ones drawn when each row is the rich Text itself (as before IssuePrompt)."""
    issues = {f"issue-{n:02d}": issue(LONG.format(n=n) + "!" * n) for n in range(12)}
    claims = {f"issue-{n:02d}/said": claim("accusation", "down-spokesman") for n in range(12)}
    root = write_dataset(tmp_path, claims, actors=WITH_A_THIRD_PARTY, issues=issues)
    keys = ["end", "pageup", "up", "home"]
    drawn = asyncio.run(screens_of(root, keys))

    def fill_with_text(self, counts, sides, marks):
        rows = self.query_one(IssueList)
        rows.clear_options()
        rows.add_options([Option(labels.assembled(labels.issue_option_parts(c, sides, marks)), id=c.issue.id) for c in counts])

    monkeypatch.setattr(panes.MainScreen, "fill_issues", fill_with_text)
    as_text = asyncio.run(screens_of(root, keys))
    assert len(drawn) == len(keys) + 1
    assert drawn == as_text


def test_the_claims_of_a_row_in_a_dataset_written_here(tmp_path):
    root = write_dataset(tmp_path, CLAIMS, actors=WITH_A_THIRD_PARTY, issues=ISSUES)
    counts = {c.issue.id: c for c in q.issue_counts(index_of(root))}
    sides = {s.id: s for s in q.sides(index_of(root))}
    text = labels.assembled(labels.issue_option_parts(counts["canal"], sides, {"upstream": "UP", "downstream": "DO", "mediator": "ME"}))
    assert text.plain == textwrap.dedent("""\
        The canal
        UP 1 · ME 1 · ?? 1 · 1 disputed · 1 unanswered""")

"""SVG snapshots of the browser's screens (pytest-textual-snapshot), on conftest's fictional
dataset. Each was read by eye when written; after a deliberate change of the screens, look at the
new ones and accept them with `pytest tests/test_browse_snapshots.py --snapshot-update`."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_textual_snapshot")

from claimtrack.browse.app import BrowserApp  # noqa: E402
from claimtrack.index.refresh import connect, refresh_index  # noqa: E402


@pytest.fixture
def make(dataset, monkeypatch):
    """A browser on the fixture dataset, in colour unless told otherwise (NO_COLOR is read when the
    app is made)."""

    def build(start: str | None = None, colour: bool = True) -> BrowserApp:
        if colour:
            monkeypatch.delenv("NO_COLOR", raising=False)
        refresh_index(dataset)
        return BrowserApp(connect(dataset), start)

    return build


def test_main_screen_at_80x24(make, snap_compare):
    assert snap_compare(make(), terminal_size=(80, 24))


def test_main_screen_at_200x50(make, snap_compare):
    assert snap_compare(make("flow"), press=["enter"], terminal_size=(200, 50))


def test_claim_in_full_at_80x24(make, snap_compare):
    assert snap_compare(make("flow/down-accuses-cut"), terminal_size=(80, 24))


def test_claim_under_no_color(make, snap_compare):
    assert snap_compare(make("flow/up-denies-cut", colour=False), terminal_size=(80, 24))


def test_source_with_cited_passages(make, snap_compare):
    assert snap_compare(make("flow/down-accuses-cut"), press=["s"], terminal_size=(80, 24))


def test_timeline(make, snap_compare):
    assert snap_compare(make("flow"), press=["t"], terminal_size=(80, 24))


def test_search_as_you_type(make, snap_compare):
    assert snap_compare(make(), press=["slash", *"treaty"], terminal_size=(80, 24))


def test_filters(make, snap_compare):
    assert snap_compare(make("flow"), press=["F"], terminal_size=(80, 24))


def test_help(make, snap_compare):
    assert snap_compare(make(), press=["question_mark"], terminal_size=(80, 24))

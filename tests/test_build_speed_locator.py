"""What the loaded dataset keeps of each text to locate problems (store.Locator): the text as read,
held once (a source's body is the Source's, not kept a second time), so that check's memory at
100,000 claims stays under 1 GiB; every problem is still located as before."""

from __future__ import annotations

from claimtrack.store import Locator, load_dataset
from conftest import write_dataset

SOURCE = "sources/2024-03-02-daily-river-flow-dispute.md"


def test_a_loaded_source_keeps_its_front_matter_and_its_body_once(dataset):
    ds, _ = load_dataset(dataset)
    full = (dataset / SOURCE).read_text(encoding="utf-8")
    body = ds.sources["2024-03-02-daily-river-flow-dispute"].body
    assert ds.locator.read(SOURCE) + body == full


def test_a_key_of_a_source_front_matter_is_still_located(dataset):
    ds, _ = load_dataset(dataset)
    lines = (dataset / SOURCE).read_text(encoding="utf-8").splitlines()
    assert ds.locator.line(SOURCE, ("outlet",)) == lines.index("outlet: Daily River") + 1


def test_a_claim_text_is_read_back_as_it_was(dataset):
    ds, _ = load_dataset(dataset)
    rel = "claims/flow/up-denies-cut.yaml"
    assert ds.locator.text(rel) == (dataset / rel).read_text(encoding="utf-8")


def test_a_source_that_fails_to_load_keeps_its_whole_text(tmp_path):
    root = write_dataset(tmp_path, sources={"2024-03-02-daily-river-flow-dispute": "The body.\n"})
    path = root / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("outlet: Daily River\n", "outlet: Daily River\nnot_a_field: x\n"), encoding="utf-8")
    ds, _ = load_dataset(root)
    assert "2024-03-02-daily-river-flow-dispute" not in ds.sources
    assert ds.locator.read(SOURCE) == path.read_text(encoding="utf-8")


def test_a_staged_text_with_any_character_is_kept_as_it_was():
    locator = Locator()
    text = "statement: a lone surrogate \ud800 and \udcff, an emoji \U0001f30a\n"
    locator.keep("claims/flow/x.yaml", text)
    assert locator.read("claims/flow/x.yaml") == text


def test_a_text_not_read_is_none_to_read_and_empty_to_text():
    assert (Locator().read("claims/flow/x.yaml"), Locator().text("claims/flow/x.yaml")) == (None, "")

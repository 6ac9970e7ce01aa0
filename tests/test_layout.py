"""The dataset's layout (layout.py) and the locator the loader fills (store.Locator): one table of
file kinds, one walk, and check rules that locate their problems without reading a file."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from claimtrack.check import check_dataset, run_checks
from claimtrack.index.refresh import scan_files
from claimtrack.layout import classify, walk, walk_entries
from claimtrack.paths import LeavesDataset
from claimtrack.store import FILE_KINDS, load_dataset
from conftest import write_dataset

PAGE = b"<html><body>The page as fetched.</body></html>"


def odd_dataset(root: Path) -> Path:
    """The fixture dataset with one file of each other kind: a kept original page, an issue
    folder with no _issue.yaml (and a claim in it), and strays in claims/ and sources/."""
    write_dataset(root)
    (root / "sources" / "2024-03-02-daily-river-flow-dispute.html").write_bytes(PAGE)
    (root / "sources" / "orphan.html").write_bytes(PAGE)
    (root / "sources" / "notes.txt").write_text("notes\n", encoding="utf-8")
    (root / "claims" / "README.md").write_text("readme\n", encoding="utf-8")
    (root / "claims" / "bare").mkdir()
    (root / "claims" / "bare" / "lonely.yaml").write_text("statement: x\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(("rel", "expected"), [
    ("claims/actors.yaml", ("actors", "")),
    ("claims/flow/_issue.yaml", ("issue", "flow")),
    ("claims/flow/up-denies-cut.yaml", ("claim", "flow/up-denies-cut")),
    ("sources/2024-03-02-a.md", ("source", "2024-03-02-a")),
    ("sources/2024-03-02-a.html", ("original", "2024-03-02-a")),
    ("claims/README.md", ("stray", "")),
    ("sources/notes.txt", ("stray", "")),
    ("claims/flow/deep/x.yaml", ("stray", "")),
    ("claims/Flow/Bad Name.yaml", ("claim", "Flow/Bad Name")),  # the loader says bad-id
])
def test_classify_names_the_kind_and_id_of_a_path(rel, expected):
    assert classify(rel) == expected


@pytest.mark.parametrize("rel", ["../claims/actors.yaml", "/etc/passwd", "claims//x.yaml", "claims/./x.yaml"])
def test_classify_refuses_a_path_that_leaves_the_dataset(rel):
    with pytest.raises(LeavesDataset):
        classify(rel)


def test_the_walk_and_classify_agree_on_every_file(tmp_path):
    root = odd_dataset(tmp_path / "ds")
    walked = list(walk(root))
    assert {kind for kind, _, _ in walked} == {"actors", "issue", "claim", "source", "original", "folder", "stray"}
    for kind, ident, rel in walked:
        if kind == "folder":  # no file: the walk names the folder for its missing _issue.yaml
            continue
        if rel == "sources/orphan.html":  # by its shape an original page; with no text beside it, a stray
            assert (classify(rel), kind) == (("original", "orphan"), "stray")
            continue
        assert classify(rel) == (kind, ident), rel


def test_the_walk_yields_the_other_kinds_where_they_are(tmp_path):
    root = odd_dataset(tmp_path / "ds")
    others = [(k, i, r) for k, i, r in walk(root) if k in ("original", "folder", "stray")]
    assert others == [
        ("stray", "", "claims/README.md"),
        ("folder", "bare", "claims/bare/"),
        ("original", "2024-03-02-daily-river-flow-dispute", "sources/2024-03-02-daily-river-flow-dispute.html"),
        ("stray", "", "sources/notes.txt"),
        ("stray", "", "sources/orphan.html"),  # no sources/orphan.md beside it
    ]
    assert ("claim", "bare/lonely", "claims/bare/lonely.yaml") in list(walk(root))


def test_the_walk_puts_a_link_out_of_the_dataset_in_the_refusals_and_never_yields_it(tmp_path):
    root = write_dataset(tmp_path / "ds")
    outside = tmp_path / "outside.yaml"
    outside.write_text("statement: elsewhere\n", encoding="utf-8")
    os.symlink(outside, root / "claims" / "flow" / "linked.yaml")
    refused: list = []
    rels = [rel for _, _, rel in walk(root, refused)]
    assert "claims/flow/linked.yaml" not in rels
    assert [(p.path, p.code) for p in refused] == [("claims/flow/linked.yaml", "symlink-outside")]


def test_the_freshness_check_stamps_the_walked_files_of_text(tmp_path):
    root = odd_dataset(tmp_path / "ds")
    stamps = scan_files(root)
    texts = sorted((k, i, r) for k, i, r in walk(root) if k in ("actors", "issue", "claim", "source"))
    assert sorted(s[:3] for s in stamps) == texts
    for _, _, rel, size, mtime in stamps:
        st = (root / rel).stat()
        assert (size, mtime) == (st.st_size, st.st_mtime_ns)


def test_an_unordered_walk_yields_the_same_files(tmp_path):
    root = odd_dataset(tmp_path / "ds")
    ordered = [(k, i, r) for k, i, r, _ in walk_entries(root)]
    assert sorted((k, i, r) for k, i, r, _ in walk_entries(root, ordered=False)) == sorted(ordered)


def test_every_kind_of_the_walk_has_an_entry_in_the_parse_table(tmp_path):
    root = odd_dataset(tmp_path / "ds")
    assert {kind for kind, _, _ in walk(root)} <= set(FILE_KINDS)


# ------------------------------------------------------------------------------------ locator


def test_the_loader_keeps_what_the_rules_need_of_the_files(tmp_path):
    root = odd_dataset(tmp_path / "ds")
    ds, _ = load_dataset(root)
    loc = ds.locator
    claim = "claims/flow/up-denies-cut.yaml"
    assert loc.text(claim) == (root / claim).read_text(encoding="utf-8")
    assert loc.exists(claim) and loc.exists("claims/bare/lonely.yaml") and not loc.exists("claims/flow/nothing.yaml")
    assert loc.originals == {"2024-03-02-daily-river-flow-dispute": hashlib.sha256(PAGE).hexdigest()}
    assert [a["id"] for a in loc.actors_data["actors"]] == list(ds.actors)


def test_a_line_is_found_in_the_text_that_was_read(tmp_path):
    root = write_dataset(tmp_path / "ds")
    ds, _ = load_dataset(root)
    lines = (root / "claims/flow/up-denies-cut.yaml").read_text(encoding="utf-8").splitlines()
    line = ds.locator.line("claims/flow/up-denies-cut.yaml", ("citations", 0, "quote"))
    assert lines[line - 1].lstrip().startswith("quote:")
    source = "sources/2024-03-02-daily-river-flow-dispute.md"
    assert (root / source).read_text(encoding="utf-8").splitlines()[ds.locator.line(source, ("sha256",)) - 1].startswith("sha256:")
    assert ds.locator.line("claims/flow/never-read.yaml", ("by",)) == 0


def test_the_rules_read_no_file(tmp_path):
    """The problems of a loaded dataset, lines included, are the same after its files are gone."""
    root = write_dataset(tmp_path / "ds")
    claim = root / "claims/flow/up-denies-cut.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("by: up-ministry", "by: nobody-known"), encoding="utf-8")
    ds, _ = load_dataset(root)
    before = run_checks(root, ds)
    assert [p.code for p in before] == ["unknown-actor"]
    shutil.rmtree(root / "claims")
    shutil.rmtree(root / "sources")
    (root / "claims").mkdir()
    (root / "sources").mkdir()
    assert run_checks(root, ds) == before


def test_a_dataset_checked_against_another_root_is_located_in_that_roots_files(tmp_path):
    """run_checks(root, ds) with a dataset that was not loaded from `root` finds lines in the files under `root`."""
    root = write_dataset(tmp_path / "ds")
    ds, _ = load_dataset(root)
    other = write_dataset(tmp_path / "other")
    claim = other / "claims/flow/up-denies-cut.yaml"
    claim.write_text("# a comment\n# and another\n" + claim.read_text(encoding="utf-8").replace("by: up-ministry", "by: nobody-known"), encoding="utf-8")
    moved = ds.model_copy(update={"claims": load_dataset(other)[0].claims})
    (problem,) = run_checks(other, moved)
    assert (problem.code, problem.line) == ("unknown-actor", 1 + claim.read_text(encoding="utf-8").splitlines().index("by: nobody-known"))
    assert check_dataset(root)[1] == []


# ------------------------------------------------------------------------------ writes


NEW_CLAIM = """\
# a claim staged by a write,
# with two comment lines above its keys
statement: Upstream's Water Ministry said the gauges were wrong.
kind: denial
by: nobody-known
said_on: 2024-03-03
status: asserted
citations:
  - source: 2024-03-02-daily-river-flow-dispute
    quote: "rejected the accusation"
"""


def test_a_write_locates_a_problem_in_the_text_it_stages(dataset):
    from claimtrack.edit.transaction import Transaction

    with Transaction(dataset) as tx:
        tx.put("claims/flow/gauges-wrong.yaml", NEW_CLAIM)
        errors, _ = tx.validate()
    assert [(p.path, p.line, p.code) for p in errors] == [("claims/flow/gauges-wrong.yaml", 5, "unknown-actor")]
    assert not (dataset / "claims/flow/gauges-wrong.yaml").exists()


@pytest.mark.parametrize(("page", "codes"), [(PAGE, []), (PAGE + b"<!-- changed -->", ["sha256-mismatch"])])
def test_a_write_checks_a_staged_original_page_against_its_recorded_sha256(dataset, page, codes):
    from claimtrack.edit.transaction import Transaction
    from conftest import source_text

    sid = "2024-04-01-daily-river-page"
    text = source_text(sid, "The page as fetched.\n").replace("\n---\n", f"\noriginal_sha256: {hashlib.sha256(PAGE).hexdigest()}\n---\n", 1)
    with Transaction(dataset) as tx:
        tx.put(f"sources/{sid}.md", text)
        tx.put(f"sources/{sid}.html", page)
        errors, _ = tx.validate()
    assert [p.code for p in errors] == codes
    if codes:
        assert errors[0].line == 1 + text.splitlines().index(f"original_sha256: {hashlib.sha256(PAGE).hexdigest()}")

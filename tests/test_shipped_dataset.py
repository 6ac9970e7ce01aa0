"""The dataset that ships in claims/ and sources/ must always check clean."""

from __future__ import annotations

from claimtrack.check import check_dataset
from claimtrack.store import is_dataset


def test_the_shipped_dataset_checks_clean(repo_root):
    assert is_dataset(repo_root)
    ds, problems = check_dataset(repo_root)
    assert [p.format() for p in problems] == []


def test_the_shipped_dataset_has_the_promised_shape(repo_root):
    ds, _ = check_dataset(repo_root)
    assert len(ds.claims) >= 30 and len(ds.issues) >= 6
    for issue in ("sanctuary", "iskp-crossings", "expulsion-proposal"):
        claims = [c for c in ds.claims.values() if c.issue == issue]
        sides = {ds.actors[c.by].side for c in claims}
        assert {"pakistan", "afghanistan"} <= sides, issue
        assert any(c.rebuts for c in claims), issue
    assert any(c.supersedes for c in ds.claims.values())
    cited = {cit.source for c in ds.claims.values() for cit in c.citations}
    assert cited == set(ds.sources)

"""Writes never lose or half-write anything: locked, validated as a whole, atomic, rolled back."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claimtrack.check import check_dataset
from claimtrack.problems import WriteRefused
from claimtrack.store import load_dataset
from claimtrack.edit.inputs import ClaimDraft, Cite, NewIssue
from claimtrack.edit.ops import add_claim, add_link, set_status
from claimtrack.edit.transaction import Transaction, WriteFailed
from claimtrack.edit.yamlout import dump_rt, load_rt
from conftest import CLAIMS, edited, write_dataset

REPORT = "2024-05-10-unknown-commission-report"


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".claimtrack" not in p.parts}


def draft(**over) -> ClaimDraft:
    fields = dict(issue="flow", by="down-spokesman", kind="statement", said_on="2024-05",
                  statement="Downstream's spokesperson said the shortfall was smaller than first feared.",
                  citations=[Cite(REPORT, "smaller than first feared")])
    fields.update(over)
    return ClaimDraft(**fields)


@pytest.mark.slow
def test_eight_adds_at_once_all_land(dataset):
    args = ["add", "--root", str(dataset), "--issue", "flow", "--by", "down-spokesman", "--kind", "statement",
            "--said-on", "2024-05", "--cite", REPORT, "--quote", "smaller than first feared"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    procs = [
        subprocess.Popen([sys.executable, "-m", "claimtrack", *args, "--statement", f"Downstream's spokesperson said the shortfall was smaller (take {n})."],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for n in range(8)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert [code for code, _ in outcomes] == [0] * 8, outcomes
    ds, problems = check_dataset(dataset)
    assert [p for p in problems if p.severity == "error"] == []
    new = sorted(cid for cid in ds.claims if cid not in CLAIMS)
    assert len(new) == 8
    assert sorted(ds.claims[cid].statement[-8:-2] for cid in new) == [f"take {n}" for n in range(8)]


@pytest.mark.slow
def test_eight_adds_of_the_same_statement_get_eight_names(dataset):
    args = ["add", "--root", str(dataset), "--issue", "flow", "--by", "down-spokesman", "--kind", "statement",
            "--said-on", "2024-05", "--cite", REPORT, "--quote", "smaller than first feared", "--name", "same",
            "--statement", "Downstream's spokesperson said the shortfall was smaller."]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    procs = [subprocess.Popen([sys.executable, "-m", "claimtrack", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for _ in range(8)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    names = sorted(p.name for p in (dataset / "claims/flow").glob("same*.yaml"))
    assert names == sorted(["same.yaml"] + [f"same-{n}.yaml" for n in range(2, 9)])


def test_a_crash_midway_leaves_the_old_file_and_no_temporary_file(dataset, monkeypatch):
    target = dataset / "claims/flow/up-denies-cut.yaml"
    before = target.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(WriteFailed, match="No space left on device — nothing was changed"):
        set_status(dataset, "flow/up-denies-cut", "disputed", "Contradicted by the gauges.", on="2024-05-10")
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([f"{n.split('/')[1]}.yaml" for n in CLAIMS] + ["_issue.yaml"])


def test_a_failure_on_the_second_file_puts_the_first_back(dataset, monkeypatch):
    before = digests(dataset)
    real = os.replace
    calls = []

    def fail_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", fail_second)
    new_issue = NewIssue("gauges", "The gauges", "Are the commission's gauges right?")
    with pytest.raises(WriteFailed, match="Input/output error — nothing was changed"):
        add_claim(dataset, draft(issue="gauges", new_issue=new_issue))
    assert digests(dataset) == before
    assert not (dataset / "claims/gauges").exists()


def test_a_change_that_introduces_an_error_is_refused_with_its_place(dataset):
    before = digests(dataset)
    with Transaction(dataset) as tx:
        tx.put("claims/flow/up-denies-cut.yaml", edited(textwrap.dedent(CLAIMS["flow/up-denies-cut"]), "by: up-ministry", "by: nobody"))
        with pytest.raises(WriteRefused) as refused:
            tx.commit()
    assert str(refused.value).startswith("claims/flow/up-denies-cut.yaml:3: error: unknown actor 'nobody'")
    assert digests(dataset) == before


def test_an_error_already_in_the_dataset_does_not_block_an_unrelated_write(tmp_path):
    broken = edited(textwrap.dedent(CLAIMS["flow/up-counter-canals"]), "by: up-ministry", "by: nobody")
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-counter-canals": broken})
    result = add_claim(root, draft(name="ok"))
    assert result.paths == ["claims/flow/ok.yaml"]


def test_a_write_to_a_claim_that_already_has_an_error_is_not_blocked_by_it(tmp_path):
    broken = edited(textwrap.dedent(CLAIMS["flow/up-denies-cut"]), "rebuts: [flow/down-accuses-cut]", "rebuts: [flow/gone]")
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-denies-cut": broken})
    result = set_status(root, "flow/up-denies-cut", "disputed", "Contradicted by the gauges.", on="2024-05-10")
    assert result.changed


def test_every_write_leaves_a_dataset_that_loads(dataset):
    add_claim(dataset, draft(name="a"))
    add_link(dataset, "flow/a", "supersedes", "flow/down-accuses-cut")
    set_status(dataset, "flow/down-accuses-cut", "superseded", "Her later account replaced it.", on="2024-05-10")
    ds, problems = load_dataset(dataset)
    assert problems == [] and "flow/a" in ds.claims
    _, checked = check_dataset(dataset)
    assert checked == []


def test_the_yaml_the_tool_writes_survives_its_own_round_trip(dataset):
    """Loading and dumping a written file again changes nothing: the layout is stable."""
    add_claim(dataset, draft(name="a", statement="Downstream's spokesperson said " + "the shortfall was smaller than first feared, " * 4 + "in all.",
                             said_on_note="the report's date; the remark is undated", said_on="2024-05-10"))
    text = (dataset / "claims/flow/a.yaml").read_text()
    assert dump_rt(load_rt(text)) == text


def test_the_shipped_claims_survive_a_round_trip_unchanged(repo_root):
    """Editing a shipped file with status or link rewrites nothing but what changed."""
    files = sorted((repo_root / "claims").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text()
        assert dump_rt(load_rt(text)) == text, path

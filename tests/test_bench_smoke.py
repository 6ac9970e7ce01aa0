"""The benchmark stays runnable: a smoke run at N=200, and the generator's promises.

No timing is asserted here: benchmarks/bench.py checks the speed targets, tests never do.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimtrack.check import check_dataset
from claimtrack.store import load_dataset
from conftest import REAL_CACHE_HOME

BENCH_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
RECORD_KEYS = {"size", "operation", "median_s", "floor_s", "ratio", "peak_mib"}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


generate = _load("generate")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "n200"
    generate.generate(root, 200, seed=0)
    return root


def test_generated_dataset_checks_clean(small):
    ds, problems = check_dataset(small)
    assert [p.format() for p in problems] == []
    assert (len(ds.claims), len(ds.sources)) == (200, 40)


def test_generator_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate.generate(a, 60, seed=3)
    generate.generate(b, 60, seed=3)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / rel).read_bytes() == (b / rel).read_bytes() for rel in files_a)


def test_generated_threads_are_one_to_six_deep(small):
    ds, _ = load_dataset(small)
    depth: dict[str, int] = {}

    def deep(cid: str) -> int:
        if cid not in depth:
            targets = [t for _, t in ds.claims[cid].links()]
            depth[cid] = 1 + max((deep(t) for t in targets), default=0)
        return depth[cid]

    assert {deep(cid) for cid in ds.claims} == {1, 2, 3, 4, 5, 6}


def test_generated_big_issue_and_search_words(small):
    ds, _ = load_dataset(small)
    in_big = [c for c in ds.claims if c.startswith(generate.BIG_ISSUE + "/")]
    rare = [s for s in ds.sources.values() if generate.RARE_WORD in s.body]
    common = [s for s in ds.sources.values() if generate.COMMON_WORD in s.body]
    assert len(in_big) == 40  # a fifth of a small dataset; 200 from 1,000 claims up
    assert len(rare) == generate.RARE_SOURCES
    assert len(common) > 0.9 * len(ds.sources)


@pytest.mark.slow
def test_bench_smoke_run_writes_one_record_per_operation(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "bench.py"), "--sizes", "200", "--repeat", "1", "--slow-repeat", "1", "--no-warm-up",
         "--root-dir", str(tmp_path / "data"), "--json", str(out)],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "XDG_CACHE_HOME": REAL_CACHE_HOME},  # the Argdown CLI .ci/argdown.sh installed, if any
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    bench = _load("bench")
    records = report["records"]
    assert [r["operation"] for r in records] == bench.OP_NAMES
    for r in records:
        assert RECORD_KEYS <= set(r), r
        assert r["size"] == 200
        if r["missing"]:
            assert r["median_s"] is None
        else:
            assert r["error"] is None, r
            assert r["median_s"] > 0 and r["peak_mib"] > 0
            assert r["floor_s"] > 0 and r["ratio"] == pytest.approx(r["median_s"] / r["floor_s"], rel=0.01)
    assert "| N | operation |" in result.stdout

"""The fast YAML parser (yaml-rs) gives exactly what the reference loader (PyYAML) gives.

store.parse_yaml takes yaml-rs's value only where the two provably agree, and PyYAML's otherwise;
these tests hold that on every YAML text the project has (the tests' own datasets, the shipped
dataset, the docs' examples, a generated dataset) and on the constructs where YAML 1.1 and 1.2
differ. Equal means the same value with the same types (`repr`), or both refusing.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import conftest
from claimtrack import store
from claimtrack.store import load_claim_text, parse_yaml, parse_yaml_pyyaml, split_front_matter

REPO = Path(__file__).resolve().parent.parent
yaml_rs = pytest.importorskip("yaml_rs", reason="yaml-rs has no wheel here: PyYAML is all there is")


def outcome(parse, text: str) -> str:
    try:
        return "value " + repr(parse(text))
    except Exception:  # both must refuse; which error is PyYAML's to say (parse_yaml falls back)
        return "refused"


def yaml_texts(root: Path) -> dict[str, str]:
    """Every YAML text under root: .yaml files and the front matter of .md sources."""
    out = {}
    for path in sorted(root.rglob("*.yaml")) + sorted(root.rglob("*.yml")):
        if ".claimtrack" not in path.parts and "node_modules" not in path.parts:
            out[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    for path in sorted(root.rglob("*.md")):
        split = split_front_matter(path.read_text(encoding="utf-8"))
        if split and ".claimtrack" not in path.parts:
            out[f"{path.relative_to(root)} (front matter)"] = split[0]
    return out


def assert_same(texts: dict[str, str]) -> None:
    assert texts, "no YAML found: the test would prove nothing"
    differ = {name: (outcome(parse_yaml, t), outcome(parse_yaml_pyyaml, t)) for name, t in texts.items()
              if outcome(parse_yaml, t) != outcome(parse_yaml_pyyaml, t)}
    assert differ == {}


def test_the_fast_parser_is_in_use():
    assert store._yaml_rs() is not None


def test_the_shipped_dataset_and_docs_parse_the_same():
    texts = {**yaml_texts(REPO / "claims"), **yaml_texts(REPO / "sources"), **yaml_texts(REPO / "docs")}
    assert_same(texts)


def test_the_tests_yaml_parses_the_same():
    texts = yaml_texts(REPO / "tests")
    texts.update({f"conftest {name}": text for name, text in conftest.CLAIMS.items()})
    texts.update({"conftest ACTORS": conftest.ACTORS, "conftest ISSUE": conftest.ISSUE})
    for name, body in conftest.SOURCE_BODIES.items():
        texts[f"conftest source {name}"] = split_front_matter(conftest.source_text(name, body))[0]
    assert_same(texts)


def test_a_generated_dataset_parses_the_same(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_generate_yaml", REPO / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate
    spec.loader.exec_module(generate)
    generate.generate(tmp_path / "g", 400, seed=7)
    assert_same(yaml_texts(tmp_path / "g"))


# Where YAML 1.1 (PyYAML) and YAML 1.2 (yaml-rs) differ, and what the loader's own rules say.
EDGES = [
    "", "# only a comment\n", "a: 017\n", "a: 0o17\n", "a: 08\n", "a: 1:20\n", "a: 12:30:45\n", "a: -1:20\n",
    "a: 0x1F\n", "a: 0b101\n", "a: 1_000\n", "a: 1e3\n", "a: 1.\n", "a: -.5\n", "a: .inf\n", "a: ~\n", "a: Null\n",
    "a: yes\n", "a: on\n", "a: off\n", "a: True\n", "a: FALSE\n", "a: y\n",
    "a: 2025-11-05\n", "a: 2025-11-05T10:00:00Z\n", "a: 2025-02-30\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", "a: &x one\nb: *x\n",
    "a: !!python/object:os.system x\n", "a: !custom x\n", "a: [!x 1]\n", "- !x 1\n", "a: !!str 12\n",
    "---\na: 1\n---\nb: 2\n", "---\na: 1\n...\n", "? [1, 2]\n: x\n", "a: =\n", "a: <<\n", "\ufeffa: 1\n",
    "{a: 1, a: 2}\n", "a:\n  - b: 1\n    b: 2\n", "status: x\nkind: y\nstatus: z\n", "1: a\n'1': b\n",
    "a: 1\n b: 2\n", "a: b: c\n", "a: 'x' y\n", "a: [1, 2,]\n",
    "a: 'it''s'\n", 'a: "x\\u00e9 \\t tab"\n', "a: |\n  text\n  more\n", "a: >-\n  folded\n  text\n",
    "a: Stop! now\n", "a: 'a quoted !tag and a ? mark'\n", "a: at 10:30 they met\n",
]


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_where_yaml_versions_differ_the_reference_wins(text):
    assert outcome(parse_yaml, text) == outcome(parse_yaml_pyyaml, text)


def test_a_duplicate_key_is_still_located():
    text = 'statement: "A said B."\nkind: accusation\nby: a\nsaid_on: 2025-01-02\nstatus: asserted\nstatus: disputed\n'
    claim, problems = load_claim_text("issue/c1", text)
    assert claim is None
    assert [(p.code, p.line) for p in problems] == [("duplicate-key", 6)]
    assert "first at line 5" in problems[0].message


def test_history_on_and_dates_stay_text():
    value = parse_yaml("history:\n  - on: 2025-11-05\n    status: disputed\nsaid_on: 2025-11\n")
    assert value == {"history": [{"on": "2025-11-05", "status": "disputed"}], "said_on": "2025-11"}


def test_the_reference_parser_can_be_asked_for(monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_YAML", "pyyaml")
    store._yaml_rs.cache_clear()
    try:
        assert store._yaml_rs() is None
        assert parse_yaml("a: on\n") == {"a": "on"}
    finally:
        monkeypatch.delenv("CLAIMTRACK_YAML")
        store._yaml_rs.cache_clear()

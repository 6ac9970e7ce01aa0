"""The --json shapes of the reading commands are the ones docs/reading.md documents.

The documentation's tables are the schema: each `### Shape: `name`` or `### `claimtrack ... --json``
section lists every field of its object with a type. The real output of each command, on the fixture
dataset, must have exactly those fields, of those types, all the way down.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import CLAIMS, edited, write_dataset

runner = CliRunner()
DOC = Path(__file__).resolve().parents[1] / "docs" / "reading.md"

Schema = dict[str, str]  # field -> type, as written in the docs


def documented_shapes() -> tuple[dict[str, Schema], dict[str, Schema]]:
    """(named shapes, command shapes keyed by the command as written in the heading)."""
    shapes: dict[str, Schema] = {}
    commands: dict[str, Schema] = {}
    text = DOC.read_text(encoding="utf-8").split("## JSON shapes", 1)[1].split("\n## ", 1)[0]
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, body = section.split("\n", 1)
        fields: Schema = {}
        base = re.search(r"^Has every field of `([^`]+)`, and:", body, flags=re.M)
        if base:
            fields.update(shapes[base.group(1)])
        for row in re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", body, flags=re.M):
            fields[row[0]] = row[1].strip()
        named = re.match(r"Shape: `([^`]+)`", heading)
        if named:
            shapes[named.group(1)] = fields
        else:
            commands[re.match(r"`claimtrack (.+) --json`", heading).group(1)] = fields
    return shapes, commands


SHAPES, COMMANDS = documented_shapes()


def check(value, type_text: str, where: str) -> None:
    """Assert that `value` is of the documented type (see 'Types' in docs/reading.md)."""
    t = type_text.strip()
    if t.endswith(" or null"):
        if value is not None:
            check(value, t[: -len(" or null")], where)
        return
    if t.startswith("array of "):
        assert isinstance(value, list), f"{where}: expected an array, got {value!r}"
        for i, item in enumerate(value):
            check(item, t[len("array of "):], f"{where}[{i}]")
        return
    if t.startswith("object of "):
        assert isinstance(value, dict), f"{where}: expected an object, got {value!r}"
        for key, item in value.items():
            assert isinstance(key, str)
            check(item, t[len("object of "):], f"{where}.{key}")
        return
    if t.startswith('"'):
        assert value == json.loads(t), f"{where}: expected {t}, got {value!r}"
        return
    if t.startswith("`"):
        check_object(value, SHAPES[t.strip("`")], where)
        return
    python = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None)}[t]
    assert isinstance(value, python) and not (t in ("integer", "number") and isinstance(value, bool)), f"{where}: expected {t}, got {value!r}"


def check_object(value, schema: Schema, where: str) -> None:
    assert isinstance(value, dict), f"{where}: expected an object, got {value!r}"
    assert set(value) == set(schema), f"{where}: fields {sorted(value)} but the docs list {sorted(schema)}"
    for field, type_text in schema.items():
        check(value[field], type_text, f"{where}.{field}")


def test_the_docs_define_every_shape_they_use():
    used = {m for schema in [*SHAPES.values(), *COMMANDS.values()] for t in schema.values() for m in re.findall(r"`([^`]+)`", t)}
    assert used <= set(SHAPES)
    assert set(COMMANDS) == {"issues", "show ISSUE", "show CLAIM", "timeline ISSUE", "search TEXT", "list"}


@pytest.fixture
def rich_dataset(tmp_path):
    """The fixture dataset plus what exercises every optional field: a superseding claim (a
    timeline change), a link from another issue, a citation with via and note, a history."""
    claims = dict(CLAIMS)
    claims["flow/down-revises-shortfall"] = """\
        statement: Downstream's spokesperson later said the shortfall was smaller than first feared.
        kind: concession
        by: down-spokesman
        said_on: 2024-05-10
        status: asserted
        supersedes: [flow/down-accuses-cut]
        citations:
          - source: 2024-05-10-unknown-commission-report
            quote: the shortfall was "smaller than first feared"
            via: a radio interview
            note: The report calls it a change from her earlier account.
        """
    superseded = edited(CLAIMS["flow/down-accuses-cut"], "status: disputed", "status: superseded", 1)
    claims["flow/down-accuses-cut"] = edited(superseded, "        citations:", "          - on: 2024-05-10\n            status: superseded\n            note: She revised it.\n        citations:")
    claims["canals/down-denies-diversion"] = """\
        statement: Downstream's spokesperson denied any diversion.
        kind: denial
        by: down-spokesman
        said_on: 2024-03-03
        status: asserted
        tags: [canals]
        rebuts: [flow/up-counter-canals]
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: the drought alone
        """
    issues = {"flow": "title: Flow\nquestion: Q?\nsummary: S.\ntags: [water]\n", "canals": "title: Canals\nquestion: Q?\n"}
    root = write_dataset(tmp_path / "ds", claims=claims, issues=issues)
    assert runner.invoke(app, ["check", "--root", str(root)]).exit_code == 0
    return root


CASES = {
    "issues": ["issues"],
    "show ISSUE": ["show", "flow"],
    "show CLAIM": ["show", "flow/down-accuses-cut"],
    "timeline ISSUE": ["timeline", "flow"],
    "search TEXT": ["search", "diverted"],
    "list": ["list"],
}


@pytest.mark.parametrize("command", list(CASES))
def test_json_output_has_the_documented_shape(rich_dataset, command):
    result = runner.invoke(app, [*CASES[command], "--json", "--root", str(rich_dataset)])
    assert result.exit_code == 0, result.output
    check_object(json.loads(result.stdout), COMMANDS[command], command)


@pytest.mark.parametrize("command", list(CASES))
def test_json_output_never_imports_rich(rich_dataset, command):
    """--json is for scripts: the records' to_dict() and views/jsonout.py, nothing that draws."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "claimtrack", *CASES[command], "--json", "--root", str(rich_dataset)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    assert "claimtrack" in imported and "rich" not in imported
    assert json.loads(proc.stdout)["schema_version"] == 1


def read_json(root, *args: str) -> dict:
    """The JSON a read command prints, once it has succeeded."""
    result = runner.invoke(app, [*args, "--json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_show_claim_json_carries_links_both_ways_and_the_passage(rich_dataset):
    data = read_json(rich_dataset, "show", "flow/down-accuses-cut")
    assert [(l["type"], l["claim"]["id"]) for l in data["links_in"]] == [
        ("supports", "flow/commission-gauges"),
        ("supersedes", "flow/down-revises-shortfall"),
        ("rebuts", "flow/up-counter-canals"),
        ("rebuts", "flow/up-denies-cut"),
    ]
    assert data["links_out"] == []
    (cit,) = data["citations"]
    p = cit["passage"]
    assert p["text"][p["quote_start"]:p["quote_end"]] == "deliberately cut the flow below the treaty minimum"
    assert [h["status"] for h in data["history"]] == ["disputed", "superseded"]


def test_timeline_json_marks_the_change_of_position(rich_dataset):
    data = read_json(rich_dataset, "timeline", "flow")
    changes = [c for row in data["rows"] for c in row["changes"]]
    assert changes == [{"claim": "flow/down-revises-shortfall", "supersedes": ["flow/down-accuses-cut"]}]


def test_search_json_matches_point_at_the_matched_words(rich_dataset):
    data = read_json(rich_dataset, "search", "diverted")
    assert data["hits"]
    for hit in data["hits"]:
        assert [hit["snippet"][a:b].lower() for a, b in hit["matches"]] == ["diverted"] * len(hit["matches"])


def test_list_json_counts_what_the_limit_left_out(rich_dataset):
    data = read_json(rich_dataset, "list", "--limit", "2")
    assert (data["total"], len(data["claims"])) == (6, 2)

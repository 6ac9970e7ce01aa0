"""Sources as things of their own: `source list`, `source show`, `source edit` (front matter
only: the body is pinned by its sha256), and a source named by a prefix or its outlet and date."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from conftest import copy_dataset, tree_digest

runner = CliRunner()


@pytest.fixture
def dataset(built_dataset, tmp_path) -> Path:
    """The test's own copy of the fixture dataset, its index built once for the module."""
    return copy_dataset(built_dataset, tmp_path)
FLOW = "2024-03-02-daily-river-flow-dispute"
REPORT = "2024-05-10-unknown-commission-report"


def run(root: Path, *args: str, **env: str):
    return runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": "200", "NO_COLOR": "1", **env})


def editor(tmp_path: Path, python: str) -> str:
    """An $EDITOR that runs `python` on the file's text (variable t) and writes back t."""
    script = tmp_path / "edit.py"
    script.write_text(f"import sys\np = sys.argv[1]\nt = open(p, encoding='utf-8').read()\n{python}\nopen(p, 'w', encoding='utf-8').write(t)\n")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_source_list_json_counts_citations(dataset):
    result = run(dataset, "source", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)["sources"]}
    assert rows[FLOW] == {"id": FLOW, "published": "2024-03-02", "outlet": "Daily River", "title": "A report", "citations": 3}
    assert rows[REPORT]["citations"] == 1


def test_source_list_table_names_each_source(dataset):
    result = run(dataset, "source", "list")
    assert result.exit_code == 0, result.output
    assert FLOW in result.stdout and "Daily River" in result.stdout


def test_source_show_marks_each_cited_passage_and_names_its_claims(dataset):
    result = run(dataset, "source", "show", FLOW)
    assert result.exit_code == 0, result.output
    assert "«deliberately cut the flow below the treaty minimum»[1]" in result.stdout
    assert "[1] cited by flow/down-accuses-cut" in result.stdout
    assert "«Downstream had itself diverted water for its new canals»[3]" in result.stdout
    assert "outlet: Daily River" in result.stdout


def test_source_show_by_outlet_and_date(dataset):
    result = run(dataset, "source", "show", "daily-river 2024-03-02")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(FLOW)


def test_source_show_by_a_unique_prefix(dataset):
    result = run(dataset, "source", "show", "2024-05")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(REPORT)


def test_an_ambiguous_source_lists_the_ones_to_choose_from(dataset):
    result = run(dataset, "source", "show", "2024-")
    assert result.exit_code == 1
    assert "'2024-' fits more than one source:" in result.stderr
    assert f"{FLOW} (Daily River, 2024-03-02: A report)" in result.stderr


def test_an_unknown_source_suggests_the_closest(dataset):
    result = run(dataset, "source", "show", "2024-03-02-daily-river-flow-dispte")
    assert result.exit_code == 1
    assert f"did you mean: {FLOW}?" in result.stderr


def test_add_cites_a_source_by_outlet_and_date(dataset):
    result = run(dataset, "add", "--issue", "flow", "--by", "Lena Ortiz", "--kind", "statement", "--said-on", "2024-05",
                 "--statement", "Downstream's spokesperson said the shortfall was smaller than first feared.",
                 "--cite", "2024-05", "--quote", "smaller than first feared")
    assert result.exit_code == 0, result.output


def test_source_edit_changes_the_front_matter_and_keeps_the_body(dataset, tmp_path):
    path = dataset / "sources" / f"{FLOW}.md"
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    result = run(dataset, "source", "edit", "daily-river 2024-03-02", EDITOR=editor(tmp_path, "t = t.replace('author: unknown', 'author: Jane Roe')"))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "author: Jane Roe\n" in text and text.endswith("---\n" + body)


def test_source_edit_gives_the_editor_the_front_matter_alone(dataset, tmp_path):
    seen = tmp_path / "seen.txt"
    result = run(dataset, "source", "edit", FLOW, EDITOR=editor(tmp_path, f"open({str(seen)!r}, 'w').write(t)"))
    assert result.exit_code == 0, result.output
    assert "No changes" in result.stdout
    assert seen.read_text().startswith("title: A report\n") and "Flow dispute flares" not in seen.read_text()


def test_source_edit_refuses_a_changed_sha256_and_keeps_the_edit(dataset, tmp_path):
    before = tree_digest(dataset)
    result = run(dataset, "source", "edit", FLOW, EDITOR=editor(tmp_path, "import re\nt = re.sub('sha256: [0-9a-f]+', 'sha256: ' + '0' * 64, t)"))
    assert result.exit_code == 1
    assert "sha256 pins the archived body" in result.stderr
    assert "a copy of your edit is kept in" in result.stderr
    kept = list((dataset / ".claimtrack" / "recover").glob(f"{FLOW}.*.yaml"))
    assert len(kept) == 1 and "sha256: " + "0" * 64 in kept[0].read_text()
    assert {k: v for k, v in tree_digest(dataset).items() if not k.startswith(".claimtrack/recover")} == before


def test_source_edit_refuses_a_body_added_to_the_front_matter(dataset, tmp_path):
    before = tree_digest(dataset)
    result = run(dataset, "source", "edit", FLOW, EDITOR=editor(tmp_path, "t = t + '---\\nA new body.\\n'"))
    assert result.exit_code == 1
    assert "may not hold a '---' line" in result.stderr
    assert {k: v for k, v in tree_digest(dataset).items() if not k.startswith(".claimtrack/recover")} == before


def test_source_edit_refuses_an_invalid_field(dataset, tmp_path):
    before = tree_digest(dataset)
    result = run(dataset, "source", "edit", FLOW, EDITOR=editor(tmp_path, "t = t + 'colour: blue\\n'"))
    assert result.exit_code == 1
    assert "colour" in result.stderr
    assert {k: v for k, v in tree_digest(dataset).items() if not k.startswith(".claimtrack/recover")} == before

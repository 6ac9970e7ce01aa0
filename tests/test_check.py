"""The checker: a good dataset checks clean; each rule reports its problem at the right place."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from claimtrack.check import check_dataset
from conftest import ACTORS, CLAIMS, ISSUE, write_dataset


def problems_of(root: Path, code: str | None = None):
    _, problems = check_dataset(root)
    return [p for p in problems if code is None or p.code == code]


def one(root: Path, code: str):
    found = problems_of(root, code)
    assert len(found) == 1, [p.format() for p in problems_of(root)]
    return found[0]


def with_claim(tmp_path: Path, claim_id: str, text: str) -> Path:
    return write_dataset(tmp_path / "ds", claims={**CLAIMS, claim_id: text})


def test_the_fixture_dataset_checks_clean(dataset):
    assert problems_of(dataset) == []


def test_an_empty_dataset_from_init_checks_clean(tmp_path):
    from claimtrack.edit.init import init_dataset

    root = init_dataset(tmp_path / "new")
    assert problems_of(root) == []


def test_bad_yaml_is_reported_at_its_line(tmp_path):
    root = with_claim(tmp_path, "flow/broken", "statement: fine\nkind: [unclosed\nby: x\n")
    p = one(root, "bad-yaml")
    assert (p.path, p.severity) == ("claims/flow/broken.yaml", "error")
    assert p.line in (2, 3)
    assert "YAML syntax" in p.message


def test_an_unknown_key_is_an_error_at_its_line(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("        status: asserted\n", "        status: asserted\n        statment: typo\n")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    p = one(root, "unknown-field")
    assert (p.path, p.line) == ("claims/flow/up-denies-cut.yaml", 6)
    assert "'statment'" in p.message and "statement" in p.message


def test_a_missing_field_names_the_field(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("        kind: denial\n", "")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    p = one(root, "missing-field")
    assert "'kind'" in p.message


def test_a_kind_outside_the_closed_set_is_an_error(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("kind: denial", "kind: denail")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    p = one(root, "bad-value")
    assert (p.line, "'denail'" in p.message) == (2, True)


def test_an_empty_statement_is_an_error(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace(
        "statement: Upstream's Water Ministry rejected the accusation as baseless and blamed the drought.", 'statement: "  "'
    )
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    assert one(root, "empty-statement").line == 1


def test_an_unknown_actor_suggests_the_closest(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("by: up-ministry", "by: up-ministri")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    p = one(root, "unknown-actor")
    assert (p.path, p.line) == ("claims/flow/up-denies-cut.yaml", 3)
    assert "'up-ministry'" in p.message


def test_an_actor_on_an_unknown_side_is_an_error(tmp_path):
    root = write_dataset(tmp_path / "ds", actors=ACTORS.replace("    side: mediator\n", "    side: mediators\n"))
    p = one(root, "unknown-side")
    assert p.path == "claims/actors.yaml"
    assert p.line == ACTORS.splitlines().index("    side: mediator") + 1


def test_a_duplicate_actor_id_is_an_error(tmp_path):
    extra = "  - id: commission\n    name: Another\n    side: mediator\n"
    root = write_dataset(tmp_path / "ds", actors=ACTORS + extra)
    p = one(root, "duplicate-id")
    assert p.line == len(ACTORS.splitlines()) + 1


def test_a_link_to_no_such_claim_is_an_error(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("rebuts: [flow/down-accuses-cut]", "rebuts: [flow/down-accuses-cat]")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    p = one(root, "unknown-claim")
    assert p.line == 6 and "flow/down-accuses-cut" in p.message


def test_a_claim_that_rebuts_itself_is_an_error(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("rebuts: [flow/down-accuses-cut]", "rebuts: [flow/up-denies-cut]")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    assert one(root, "self-link").line == 6


def test_a_cycle_of_supersedes_is_an_error(tmp_path):
    a = CLAIMS["flow/up-denies-cut"].replace("rebuts: [flow/down-accuses-cut]", "supersedes: [flow/up-counter-canals]")
    b = CLAIMS["flow/up-counter-canals"].replace("rebuts: [flow/down-accuses-cut]", "supersedes: [flow/up-denies-cut]")
    claims = {**CLAIMS, "flow/up-denies-cut": a, "flow/up-counter-canals": b}
    root = write_dataset(tmp_path / "ds", claims=claims)
    p = one(root, "supersedes-cycle")
    assert "flow/up-counter-canals -> flow/up-denies-cut -> flow/up-counter-canals" in p.message


def test_supersedes_across_sides_is_a_warning(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("rebuts: [flow/down-accuses-cut]", "supersedes: [flow/commission-gauges]")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    assert one(root, "supersedes-other-side").severity == "warning"


def test_a_quote_not_in_the_source_shows_the_closest_passage(tmp_path):
    text = CLAIMS["flow/up-counter-canals"].replace(
        "quote: Downstream had itself diverted water for its new canals", "quote: Downstream had itself diverted the water for new canals"
    )
    root = with_claim(tmp_path, "flow/up-counter-canals", text)
    p = one(root, "quote-not-found")
    assert (p.path, p.line) == ("claims/flow/up-counter-canals.yaml", 9)
    assert 'closest passage is: "' in p.message and "diverted water for its new canals" in p.message


def test_a_quote_matches_across_curly_quotes_dashes_and_line_breaks(tmp_path):
    text = CLAIMS["flow/commission-gauges"].replace(
        "quote: its gauges showed the flow at 92 percent of the treaty minimum",
        "quote: |-\n              shortfall was \"smaller than first\n              feared\" - a change",
    )
    root = with_claim(tmp_path, "flow/commission-gauges", text)
    assert problems_of(root, "quote-not-found") == []


def test_an_unknown_source_is_an_error(tmp_path):
    text = CLAIMS["flow/up-denies-cut"].replace("source: 2024-03-02-daily-river-flow-dispute", "source: 2024-03-02-daily-river-flow")
    root = with_claim(tmp_path, "flow/up-denies-cut", text)
    p = one(root, "unknown-source")
    assert p.line == 8 and "2024-03-02-daily-river-flow-dispute" in p.message


def test_an_edited_source_body_fails_its_sha256(dataset):
    path = dataset / "sources" / "2024-05-10-unknown-commission-report.md"
    path.write_text(path.read_text(encoding="utf-8").replace("92 percent", "93 percent"), encoding="utf-8")
    p = one(dataset, "sha256-mismatch")
    assert (p.path, p.line) == ("sources/2024-05-10-unknown-commission-report.md", 8)


def test_a_source_without_front_matter_is_an_error(dataset):
    (dataset / "sources" / "plain.md").write_text("just text\n", encoding="utf-8")
    assert one(dataset, "no-front-matter").path == "sources/plain.md"


def test_a_source_front_matter_error_has_the_file_line(dataset):
    path = dataset / "sources" / "2024-05-10-unknown-commission-report.md"
    path.write_text(path.read_text(encoding="utf-8").replace("author: unknown", "autor: unknown"), encoding="utf-8")
    p = one(dataset, "unknown-field")
    assert p.line == 7


def test_asserted_while_rebutted_is_a_warning(tmp_path):
    text = CLAIMS["flow/down-accuses-cut"].replace("status: disputed", "status: asserted", 2)
    root = with_claim(tmp_path, "flow/down-accuses-cut", text)
    p = one(root, "status-contradicts-links")
    assert (p.severity, p.line) == ("warning", 5)
    assert "flow/up-counter-canals" in p.message and "disputed" in p.message


def test_superseded_without_a_later_position_is_a_warning(tmp_path):
    text = CLAIMS["flow/up-counter-canals"].replace("status: asserted", "status: superseded")
    text = text.rstrip(" ") + "        history:\n          - {on: 2024-04-01, status: superseded, note: later position}\n"
    root = with_claim(tmp_path, "flow/up-counter-canals", text)
    assert "no claim supersedes it" in one(root, "status-contradicts-links").message


def test_a_status_without_history_is_a_warning(tmp_path):
    text = CLAIMS["flow/up-counter-canals"].replace("status: asserted", "status: corroborated")
    root = with_claim(tmp_path, "flow/up-counter-canals", text)
    assert one(root, "assessment-without-history").severity == "warning"


def test_a_status_that_differs_from_its_last_history_entry_is_a_warning(tmp_path):
    text = CLAIMS["flow/down-accuses-cut"].replace("            status: disputed", "            status: refuted")
    root = with_claim(tmp_path, "flow/down-accuses-cut", text)
    assert one(root, "status-history").line == 5


def test_a_date_in_the_future_is_an_error(tmp_path):
    text = CLAIMS["flow/up-counter-canals"].replace("said_on: 2024-03", "said_on: 2999-01-01")
    root = with_claim(tmp_path, "flow/up-counter-canals", text)
    assert one(root, "future-date").line == 4


def test_an_inferred_date_needs_a_note(tmp_path):
    text = CLAIMS["flow/commission-gauges"].replace(", note: \"the report's date\"", "")
    root = with_claim(tmp_path, "flow/commission-gauges", text)
    assert one(root, "inferred-without-note").line == 4


def test_a_month_that_does_not_exist_is_an_error(tmp_path):
    text = CLAIMS["flow/up-counter-canals"].replace("said_on: 2024-03", "said_on: 2024-13")
    root = with_claim(tmp_path, "flow/up-counter-canals", text)
    p = one(root, "bad-value")
    assert p.line == 4 and "month" in p.message


def test_an_issue_folder_without_issue_file_is_an_error(dataset):
    (dataset / "claims" / "orphans").mkdir()
    assert one(dataset, "missing-issue-file").path == "claims/orphans/"


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    a = CLAIMS["flow/up-denies-cut"].replace("by: up-ministry", "by: nobody")
    b = CLAIMS["flow/up-counter-canals"].replace("kind: counter-accusation", "kind: nonsense")
    root = write_dataset(tmp_path / "ds", claims={**CLAIMS, "flow/up-denies-cut": a, "flow/up-counter-canals": b})
    codes = sorted(p.code for p in problems_of(root))
    assert codes == ["bad-value", "unknown-actor"]


def test_the_format_doc_lists_every_kind_and_status(repo_root):
    from claimtrack.model import KINDS, STATUSES

    doc = (repo_root / "docs" / "format.md").read_text(encoding="utf-8")
    for name, meaning in {**KINDS, **STATUSES}.items():
        assert f"| `{name}` | {meaning} |" in doc


def test_the_format_doc_names_every_claim_field(repo_root):
    from claimtrack.model import Claim

    doc = (repo_root / "docs" / "format.md").read_text(encoding="utf-8")
    for name in Claim.model_fields:
        if name != "id":
            assert f"`{name}`" in doc, name


def test_an_impossible_day_is_a_located_error_not_a_crash(tmp_path):
    text = CLAIMS["flow/up-counter-canals"].replace("said_on: 2024-03", "said_on: 2024-02-30")
    root = with_claim(tmp_path, "flow/up-counter-canals", text)
    p = one(root, "bad-value")
    assert p.line == 4 and "not a real date" in p.message


def test_a_history_key_named_on_is_read_as_text_not_a_boolean(dataset):
    from claimtrack.store import load_claim

    claim, problems = load_claim(dataset, "flow/down-accuses-cut")
    assert problems == [] and claim.history[0].on.value == "2024-03-02"

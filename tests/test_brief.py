"""Per-issue briefs: golden Markdown, HTML and JSON of a fixture issue, --as-of and --since,
escaping of hostile data, determinism, the fingerprint, and the `brief` command.

Golden files live in tests/snapshots/brief/. After a deliberate change to a brief, re-record them
with CLAIMTRACK_UPDATE_SNAPSHOTS=1 and read the diff by eye before keeping it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.views import brief as B
from claimtrack.cli.app import app
from claimtrack.index.refresh import connect, refresh_index
from conftest import CLAIMS, SOURCE_BODIES, assert_golden, edited, write_dataset

runner = CliRunner()
SNAPSHOTS = Path(__file__).parent / "snapshots" / "brief"

# The fixture issue, grown by a change of position: in May, Downstream's spokesperson said the
# shortfall was smaller than first feared, which supersedes her March accusation (disputed in
# March, superseded in May).
BRIEF_CLAIMS = dict(CLAIMS)
BRIEF_CLAIMS["flow/down-accuses-cut"] = """\
    statement: Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum.
    kind: accusation
    by: down-spokesman
    said_on: 2024-03-02
    status: superseded
    history:
      - on: 2024-03-02
        status: disputed
        note: Upstream's Water Ministry rejected it the same day.
      - on: 2024-05-10
        status: superseded
        note: The spokesperson later said the shortfall was smaller than first feared.
    citations:
      - source: 2024-03-02-daily-river-flow-dispute
        quote: "deliberately cut the flow below the treaty minimum"
    """
BRIEF_CLAIMS["flow/down-shortfall-smaller"] = """\
    statement: Downstream's spokesperson later said the shortfall was smaller than first feared.
    kind: concession
    by: down-spokesman
    said_on: 2024-05-10
    status: asserted
    supersedes: [flow/down-accuses-cut]
    citations:
      - source: 2024-05-10-unknown-commission-report
        quote: the shortfall was “smaller than first feared”
        reported_by: [the River Commission's report]
    """


def fixture_root(tmp_path: Path, name: str = "ds", **overrides) -> Path:
    return write_dataset(tmp_path / name, claims=overrides.pop("claims", BRIEF_CLAIMS), **overrides)


def build(root: Path, issue: str = "flow", **kw) -> B.Brief:
    refresh_index(root)
    return B.build_brief(connect(root), issue, **kw)


# --- golden files -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_brief_matches_the_golden_file(tmp_path, fmt):
    brief = build(fixture_root(tmp_path), since="2024-05-01")
    assert_golden(SNAPSHOTS / f"flow.{fmt}", B.render(brief, fmt))


def test_the_cli_writes_what_the_library_renders(tmp_path):
    root = fixture_root(tmp_path)
    out = tmp_path / "flow.html"
    result = runner.invoke(app, ["brief", "flow", "--since", "2024-05", "-o", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "Wrote the brief of flow" in result.stdout
    assert out.read_text(encoding="utf-8") == (SNAPSHOTS / "flow.html").read_text(encoding="utf-8")


def test_the_format_follows_the_output_suffix_unless_given(tmp_path):
    root = fixture_root(tmp_path)
    for args in (["-o", str(tmp_path / "a.json")], ["-o", str(tmp_path / "b.txt")],
                 ["-f", "html", "-o", str(tmp_path / "c.md")]):
        result = runner.invoke(app, ["brief", "flow", *args, "--root", str(root)])
        assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "a.json").read_text())["issue"]["id"] == "flow"
    assert (tmp_path / "b.txt").read_text().startswith("# The dam's flow")
    assert (tmp_path / "c.md").read_text().startswith("<!DOCTYPE html>")


# --- contents ---------------------------------------------------------------------------------


def test_sections_come_in_the_order_the_reader_needs(tmp_path):
    md = B.render_markdown(build(fixture_root(tmp_path)))
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Bottom line",
        "## Each side's position",
        "## The exchanges",
        "## Timeline",
        "## Open and unverified claims",
        "## Changes of position",
        "## Sources",
    ]
    assert md.index("**The question in dispute:**") < md.index("## Bottom line")
    assert md.rstrip().splitlines()[-1].startswith("As of the latest entry")


def test_bottom_line_counts_claims_per_side_and_names_what_changed_last(tmp_path):
    brief = build(fixture_root(tmp_path))
    per_side = {p.side.id: len(p.claims) for p in brief.positions}
    assert per_side == {"upstream": 2, "downstream": 2, "mediator": 1}
    last = {(e.kind, e.claim.id) for e in brief.last_events}
    assert last == {("claim", "flow/commission-gauges"), ("claim", "flow/down-shortfall-smaller"), ("status", "flow/down-accuses-cut")}
    md = B.render_markdown(brief)
    assert "- 5 claims are recorded: 2 by Upstream Republic, 2 by Downstream Kingdom and 1 by River Commission." in md
    assert "[C4](#c4), a concession by Lena Ortiz (Downstream Kingdom) on 2024-05-10, which supersedes [C3](#c3)." in md


def test_latest_position_of_a_side_leaves_out_superseded_claims(tmp_path):
    brief = build(fixture_root(tmp_path))
    latest = {p.side.id: [c.id for c in p.latest] for p in brief.positions}
    assert latest["downstream"] == ["flow/down-shortfall-smaller"]
    # Two Upstream claims: 2024-03 and 2024-03-02; the later one is its latest position.
    assert latest["upstream"] == ["flow/up-denies-cut"]


def test_a_change_of_position_shows_both_statements(tmp_path):
    md = B.render_markdown(build(fixture_root(tmp_path)))
    section = md.split("## Changes of position")[1].split("## Sources")[0]
    assert "- **[C4](#c4)** supersedes **[C3](#c3)**:" in section
    assert "  - Before: [C3](#c3), an accusation by Lena Ortiz (Downstream Kingdom) on 2024-03-02: Downstream's spokesperson said Upstream deliberately cut" in section
    assert "  - After: [C4](#c4), a concession by Lena Ortiz (Downstream Kingdom) on 2024-05-10: Downstream's spokesperson later said the shortfall" in section


def test_exchanges_nest_answers_under_the_claim_they_answer(tmp_path):
    md = B.render_markdown(build(fixture_root(tmp_path)))
    section = md.split("## The exchanges")[1].split("## Timeline")[0]
    assert "\n- **[C3](#c3)** · Lena Ortiz (Downstream Kingdom)" in section
    assert "\n  - *rebuts [C3](#c3):* **[C2](#c2)**" in section
    assert "\n  - *supersedes [C3](#c3):* **[C4](#c4)**" in section


def test_every_source_lists_the_quotes_taken_from_it(tmp_path):
    brief = build(fixture_root(tmp_path))
    quotes = {s.id: [(c.ref, x.quote) for x, c in s.quotes] for s in brief.sources}
    assert quotes["2024-05-10-unknown-commission-report"] == [
        ("C4", "the shortfall was “smaller than first feared”"),
        ("C5", "its gauges showed the flow at 92 percent of the treaty minimum"),
    ]
    assert [s.ref for s in brief.sources] == ["S1", "S2"]


def test_claims_known_only_second_hand_or_unanswered_need_attention(tmp_path):
    brief = build(fixture_root(tmp_path))
    reasons = {a.claim.id: a.reasons for a in brief.attention}
    assert reasons == {
        "flow/up-counter-canals": ["unanswered"],
        "flow/down-shortfall-smaller": ["second-hand"],
    }


def test_the_wording_is_attributive(tmp_path):
    """Every sentence of the brief's own is a count or an attribution: no verdict words appear in
    the text the templates add (the fixture's data holds none of them either)."""
    md = B.render_markdown(build(fixture_root(tmp_path))).lower()
    for verdict in (" true", " false", " lie", " lied", " wrong", " proved", " proves", " correct", " admitted", " confirmed"):
        assert verdict not in md, verdict


# --- as of a date, and what is new ------------------------------------------------------------


def test_as_of_gives_the_status_before_a_later_change(tmp_path):
    brief = build(fixture_root(tmp_path), as_of="2024-04-30")
    statuses = {c.id: c.status for c in brief.claims}
    assert statuses["flow/down-accuses-cut"] == "disputed"  # superseded only on 2024-05-10
    assert "flow/down-shortfall-smaller" not in statuses  # said on 2024-05-10
    assert "flow/commission-gauges" not in statuses
    assert brief.changes == []
    assert [h.status for h in next(c for c in brief.claims if c.id == "flow/down-accuses-cut").history] == ["disputed"]


def test_as_of_on_the_command_line_takes_the_last_day_of_a_month(tmp_path):
    root = fixture_root(tmp_path)
    result = runner.invoke(app, ["brief", "flow", "--as-of", "2024-04", "-f", "json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2024-04-30"
    assert {c["id"]: c["status"] for c in data["claims"]}["flow/down-accuses-cut"] == "disputed"
    result = runner.invoke(app, ["brief", "flow", "--as-of", "2024-04", "--root", str(root)])
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "*As the record stood on 2024-04-30" in md
    assert "*accusation · disputed*" in md
    assert "· superseded" not in md and "Changes of position\n\nNo claim in this issue supersedes" in md


def test_as_of_before_any_claim_gives_an_empty_brief(tmp_path):
    brief = build(fixture_root(tmp_path), as_of="2023-12-31")
    md = B.render_markdown(brief)
    assert brief.claims == [] and brief.sources == []
    assert "- No claims are recorded for this issue by 2023-12-31." in md
    B.render_html(brief)  # renders without an error


def test_since_marks_claims_and_status_changes_dated_on_or_after_it(tmp_path):
    brief = build(fixture_root(tmp_path), since="2024-05-01")
    assert [c.ref for c in brief.new_claims] == ["C4", "C5"]
    assert [(e.claim.ref, e.status) for e in brief.new_status_changes] == [("C3", "superseded")]
    md = B.render_markdown(brief)
    assert "- **New since 2024-05-01:** 2 claims ([C4](#c4) and [C5](#c5)) and 1 status change ([C3](#c3) superseded)." in md
    assert "#### C4 · Lena Ortiz · 2024-05-10\n\n*concession · asserted* · **new**" in md
    assert "#### C1 · Upstream Water Ministry · 2024-03\n\n*counter-accusation · asserted*\n" in md
    assert "- 2024-05-10: *superseded* — The spokesperson later said the shortfall was smaller than first feared. **new**" in md
    html = B.render_html(brief)
    assert '<article class="claim" id="c5">' in html and html.count('<span class="badge new">NEW</span>') > 0


def test_since_with_nothing_new_says_so(tmp_path):
    md = B.render_markdown(build(fixture_root(tmp_path), since="2025-01-01"))
    assert "- Nothing new is recorded since 2025-01-01." in md
    assert "**new**" not in md.split("## Bottom line")[1]


# --- escaping ---------------------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"
STYLE_END = "</style><b onmouseover=alert(1)>"
HOSTILE_BODY = f"The spokesperson said the {STYLE_END} gauge was | broken *twice* [here](javascript:alert(1)).\n"


def hostile_root(tmp_path: Path) -> Path:
    claims = dict(BRIEF_CLAIMS)
    claims["flow/hostile"] = f'''\
        statement: "# Spokesperson said {SCRIPT} & &amp; | *x* [link](javascript:alert(1)) `code`"
        kind: accusation
        by: down-spokesman
        said_on: 2024-03-05
        status: asserted
        citations:
          - source: 2024-03-05-hostile
            quote: "the {STYLE_END} gauge was | broken *twice* [here](javascript:alert(1))"
            via: "<img src=x onerror=alert(1)>"
        '''
    sources = dict(SOURCE_BODIES)
    sources["2024-03-05-hostile"] = HOSTILE_BODY
    return write_dataset(tmp_path / "hostile", claims=claims, sources=sources)


def test_html_escapes_every_piece_of_data(tmp_path):
    html = B.render_html(build(hostile_root(tmp_path)))
    assert "<script" not in html
    assert html.count("</style>") == 1  # the page's own
    assert "<img" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;/style&gt;&lt;b onmouseover=alert(1)&gt;" in html
    assert 'href="javascript' not in html


def test_markdown_escapes_data_so_that_it_reads_as_typed(tmp_path):
    from markdown_it import MarkdownIt

    md = B.render_markdown(build(hostile_root(tmp_path)))
    assert "<script>" not in md and "</style>" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    # Rendered as GitHub would (CommonMark with raw HTML allowed, and tables), no tag or link comes from the data.
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html and "<style" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html or "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "# Spokesperson said" in html  # a leading '#' stays text, not a heading


def test_a_side_colour_that_is_not_hex_is_not_written(tmp_path):
    from claimtrack.index.queries import SideRec

    info = B._side_info(SideRec("x", "X", "red;}</style><script>"))
    assert info.colour == B.NO_SIDE_COLOUR


def test_markdown_escape_covers_the_markdown_specials():
    assert B.md_escape("a|b") == "a\\|b"
    assert B.md_escape("- item") == "\\- item"
    assert B.md_escape("1. item") == "1\\. item"
    assert B.md_escape("x <b> y") == "x &lt;b&gt; y"
    assert B.md_escape("&amp; & AT&T") == "&amp;amp; & AT&T"
    # ESC is shown as the four characters \x1b (whose backslash is escaped in turn): it never reaches a terminal.
    assert B.md_escape("line\nbreak\x1b[31m") == "line break\\\\x1b\\[31m"


def test_html_is_self_contained(tmp_path):
    html = B.render_html(build(fixture_root(tmp_path)))
    for fetched in ("<script", "<link", "<img", "<iframe", "src=", "@import", "http://", "//fonts"):
        assert fetched not in html, fetched
    assert html.count("url(") == html.count("url(#"), "url() only for the maps' own arrowheads"
    assert '<meta name="viewport"' in html and "@media print" in html


# --- determinism and the fingerprint ----------------------------------------------------------


def test_two_runs_give_the_same_bytes(tmp_path):
    root = fixture_root(tmp_path)
    outputs = []
    for run in (1, 2):
        if run == 2:  # a fresh index, and files touched: nothing of it may show
            (root / ".claimtrack" / "index.sqlite").unlink()
            for f in (root / "claims" / "flow").iterdir():
                os.utime(f, (1_000_000_000, 1_000_000_000))
        for fmt in ("md", "html", "json"):
            out = tmp_path / f"run{run}.{fmt}"
            result = runner.invoke(app, ["brief", "flow", "-f", fmt, "-o", str(out), "--root", str(root)])
            assert result.exit_code == 0, result.output
        outputs.append([(tmp_path / f"run{run}.{fmt}").read_bytes() for fmt in ("md", "html", "json")])
    assert outputs[0] == outputs[1]


def test_the_same_data_in_another_folder_gives_the_same_brief(tmp_path):
    one = build(fixture_root(tmp_path, "one"))
    two = build(fixture_root(tmp_path, "two"))
    assert B.render_html(one) == B.render_html(two)
    assert B.brief_json(one) == B.brief_json(two)


def test_stamp_adds_a_generation_time_only_when_asked(tmp_path):
    root = fixture_root(tmp_path)
    plain = runner.invoke(app, ["brief", "flow", "--root", str(root)])
    stamped = runner.invoke(app, ["brief", "flow", "--stamp", "--root", str(root)])
    assert plain.exit_code == 0 and stamped.exit_code == 0, plain.output + stamped.output
    plain, stamped = plain.stdout, stamped.stdout
    assert "Generated" not in plain
    assert " Generated 20" in stamped


def test_fingerprint_covers_the_files_that_went_into_the_brief(tmp_path):
    brief = build(fixture_root(tmp_path))
    assert [p for p, _ in brief.fingerprint.files] == [
        "claims/actors.yaml",
        "claims/flow/_issue.yaml",
        "claims/flow/commission-gauges.yaml",
        "claims/flow/down-accuses-cut.yaml",
        "claims/flow/down-shortfall-smaller.yaml",
        "claims/flow/up-counter-canals.yaml",
        "claims/flow/up-denies-cut.yaml",
        "sources/2024-03-02-daily-river-flow-dispute.md",
        "sources/2024-05-10-unknown-commission-report.md",
    ]
    assert len(brief.fingerprint.sha256) == 64
    assert f"`{brief.fingerprint.short}`" in B.render_markdown(brief)
    assert json.loads(B.brief_json(brief))["fingerprint"]["sha256"] == brief.fingerprint.sha256


def test_fingerprint_changes_with_a_cited_file_and_not_with_another_issue(tmp_path):
    root = fixture_root(tmp_path, issues={"flow": _ISSUE, "other": _OTHER_ISSUE})
    before = build(root).fingerprint.sha256
    (root / "claims" / "other" / "_issue.yaml").write_text(edited(_OTHER_ISSUE, "Other", "Another"), encoding="utf-8")
    assert build(root).fingerprint.sha256 == before
    path = root / "claims" / "flow" / "up-denies-cut.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "tags: [drought]\n", encoding="utf-8")
    assert build(root).fingerprint.sha256 != before


_ISSUE = """\
title: The dam's flow
question: Did Upstream cut the river's flow below the treaty minimum?
summary: Downstream says the flow was cut; Upstream denies it and blames the drought.
"""
_OTHER_ISSUE = "title: Other\nquestion: Something else?\n"


# --- the command ------------------------------------------------------------------------------


def test_all_writes_one_brief_per_issue_and_an_index(tmp_path):
    root = fixture_root(tmp_path, issues={"flow": _ISSUE, "other": _OTHER_ISSUE})
    out = tmp_path / "briefs"
    result = runner.invoke(app, ["brief", "--all", "-f", "html", "-o", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["flow.html", "index.html", "other.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="flow.html"><strong>The dam&#39;s flow</strong></a>' in index
    assert '<a href="other.html"><strong>Other</strong></a>' in index
    md = runner.invoke(app, ["brief", "--all", "-o", str(tmp_path / "md"), "--root", str(root)])
    assert md.exit_code == 0
    assert "| [The dam's flow](flow.md) |" in (tmp_path / "md" / "index.md").read_text(encoding="utf-8")


def test_all_needs_a_folder(tmp_path):
    root = fixture_root(tmp_path)
    result = runner.invoke(app, ["brief", "--all", "--root", str(root)])
    assert result.exit_code == 2
    assert "give the folder with -o DIR" in result.stderr


def test_an_unknown_issue_names_the_closest(tmp_path):
    root = fixture_root(tmp_path)
    result = runner.invoke(app, ["brief", "flw", "--root", str(root)])
    assert result.exit_code == 1
    assert "did you mean: flow" in result.stderr
    assert result.stdout == ""


def test_a_bad_date_is_a_usage_error(tmp_path):
    root = fixture_root(tmp_path)
    for option in ("--as-of", "--since"):
        result = runner.invoke(app, ["brief", "flow", option, "2024-13", "--root", str(root)])
        assert result.exit_code == 2
        assert f"{option} '2024-13' is not a date" in result.stderr


def test_no_issue_and_no_all_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["brief", "--root", str(fixture_root(tmp_path))])
    assert result.exit_code == 2 and "which issue?" in result.stderr


def test_markdown_on_a_terminal_is_drawn_by_rich_with_data_shown_literally(tmp_path, monkeypatch):
    claims = dict(BRIEF_CLAIMS)
    claims["flow/markup"] = """\
        statement: "[bold red]Upstream[/bold red] rejected it."
        kind: denial
        by: up-ministry
        said_on: 2024-03-03
        status: asserted
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: "rejected the accusation"
        """
    root = write_dataset(tmp_path / "ds", claims=claims)
    monkeypatch.setattr("claimtrack.cli.brief.on_terminal", lambda: True)
    result = runner.invoke(app, ["brief", "flow", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "## Bottom line" not in result.stdout  # drawn, not raw Markdown
    assert "Bottom line" in result.stdout
    assert "[bold red]Upstream[/bold red] rejected" in result.stdout
    assert "\x1b[" not in result.stdout  # NO_COLOR


def test_brief_on_a_fresh_index_imports_nothing_heavy(tmp_path):
    root = fixture_root(tmp_path)
    refresh_index(root)
    out = tmp_path / "b.html"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "claimtrack", "brief", "flow", "-o", str(out), "--root", str(root)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    assert imported & {"pydantic", "yaml", "sqlalchemy", "sqlmodel", "ruamel"} == set()
    assert "jinja2" in imported and out.exists()


def test_templates_are_package_data():
    from importlib.resources import files

    names = {p.name for p in files("claimtrack.views").joinpath("templates").iterdir()}
    assert {"brief.md.j2", "brief.html.j2", "index.md.j2", "index.html.j2"} <= names


def test_output_into_a_folder_is_named_after_the_issue(tmp_path):
    root = fixture_root(tmp_path)
    (tmp_path / "out").mkdir()
    result = runner.invoke(app, ["brief", "flow", "-f", "html", "-o", str(tmp_path / "out"), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "flow.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_files_with_problems_are_named_in_a_warning(tmp_path):
    claims = dict(BRIEF_CLAIMS)
    claims["flow/broken"] = "statement: [unclosed\n"
    root = write_dataset(tmp_path / "ds", claims=claims)
    result = runner.invoke(app, ["brief", "flow", "--root", str(root)])
    assert result.exit_code == 0
    assert "warning: 1 file with problems left out of the index (e.g. claims/flow/broken.yaml)" in result.stderr
    assert result.stdout.startswith("# The dam's flow")


def test_an_unwritable_output_is_a_one_line_error(tmp_path):
    root = fixture_root(tmp_path)
    (tmp_path / "file").write_text("x")
    result = runner.invoke(app, ["brief", "flow", "-o", str(tmp_path / "file" / "b.md"), "--root", str(root)])
    assert result.exit_code == 1
    assert result.stderr.startswith("claimtrack: error: cannot write") and result.stderr.count("\n") == 1


def test_a_written_brief_is_readable_by_others_as_open_would_make_it(tmp_path):
    root = fixture_root(tmp_path)
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, ["brief", "flow", "-o", str(tmp_path / "b.html"), "--root", str(root)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b.html").stat().st_mode & 0o777 == 0o644


def test_a_speakers_own_post_is_never_called_second_hand(tmp_path):
    own_post = edited(BRIEF_CLAIMS["flow/down-shortfall-smaller"], "reported_by: [the River Commission's report]", "channel: post on X")
    brief = build(fixture_root(tmp_path, claims={**BRIEF_CLAIMS, "flow/down-shortfall-smaller": own_post}))
    reasons = {a.claim.id: a.reasons for a in brief.attention}
    assert "second-hand" not in reasons.get("flow/down-shortfall-smaller", [])
    assert "known only second-hand" not in B.render_markdown(brief)


def test_the_markdown_brief_prints_each_links_basis(tmp_path):
    md = B.render_markdown(build(fixture_root(tmp_path)))
    assert "(the dataset's reading)" in md

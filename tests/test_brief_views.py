"""The brief an editor grasps at a glance (issue 16): each exchange as an SVG map, the sides side
by side, quotes linked to their source at their own words, the print header; and the same map as
`claimtrack export ISSUE --format svg`.

The fixture is the dam issue of test_brief.py with two sides and a third party (the River
Commission), a supersedes, a second-hand citation, a source with an http(s) URL, and a claim of
another issue (`treaty`) that rebuts one of the issue's claims. Golden files: flow-views.html and
flow-views.md in tests/snapshots/brief/, read by eye.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from claimtrack.views import brief as B
from claimtrack.cli.app import app
from conftest import assert_golden, edited
from test_brief import BRIEF_CLAIMS, SNAPSHOTS, build, fixture_root

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"
RIVER_URL = "https://daily-river.example/2024/03/02/flow-dispute"

TREATY_ISSUE = "title: The treaty's minimum\nquestion: What flow does the treaty require?\n"
VIEWS_CLAIMS = dict(BRIEF_CLAIMS)
VIEWS_CLAIMS["treaty/commission-denies-denial"] = """\
    statement: The River Commission said the drought did not explain the March shortfall.
    kind: statement
    by: commission
    said_on: 2024-06-01
    status: asserted
    rebuts: [flow/up-denies-cut]
    citations:
      - source: 2024-05-10-unknown-commission-report
        quote: its gauges showed the flow at 92 percent of the treaty minimum
    """


def views_root(tmp_path: Path) -> Path:
    from conftest import ISSUE

    root = fixture_root(tmp_path, claims=VIEWS_CLAIMS, issues={"flow": ISSUE, "treaty": TREATY_ISSUE})
    path = root / "sources" / "2024-03-02-daily-river-flow-dispute.md"
    path.write_text(edited(path.read_text(encoding="utf-8"), "url: unknown", f"url: {RIVER_URL}", 1), encoding="utf-8")
    return root


def maps(html: str) -> list[ET.Element]:
    """Every inline <svg> of the page, parsed as XML (in the SVG namespace, as a browser reads it)."""
    out, at = [], 0
    while (start := html.find("<svg", at)) >= 0:
        end = html.index("</svg>", start) + len("</svg>")
        out.append(ET.fromstring(html[start:end].replace("<svg", f'<svg xmlns="{SVG[1:-1]}"', 1)))
        at = end
    return out


def test_the_brief_matches_its_golden_files(tmp_path):
    brief = build(views_root(tmp_path), since="2024-05-01")
    assert_golden(SNAPSHOTS / "flow-views.html", B.render_html(brief))
    assert_golden(SNAPSHOTS / "flow-views.md", B.render_markdown(brief))


def test_each_exchange_map_has_a_node_per_claim_an_edge_per_link_and_links_to_the_cards(tmp_path):
    brief = build(views_root(tmp_path))
    html = B.render_html(brief)
    svgs = maps(html)
    assert len(svgs) == len(brief.threads) == 1
    claims = {s.claim.id: s.claim for s in brief.threads[0]}
    nodes = svgs[0].findall(f".//{SVG}a")
    assert sorted(n.get("data-claim") for n in nodes) == sorted(claims)
    for n in nodes:
        card = f'id="{claims[n.get("data-claim")].anchor}"'
        assert n.get("href") == "#" + claims[n.get("data-claim")].anchor and card in html
    edges = {(g.get("data-from"), g.get("data-type"), g.get("data-to")) for g in svgs[0].findall(f".//{SVG}g[@class='edge']")}
    links = {(c.id, l.type, l.claim) for c in claims.values() for l in c.links_out if l.claim in claims}
    assert edges == links and len(svgs[0].findall(f".//{SVG}g[@class='edge']")) == len(links) == 4
    labels = [t.text for t in svgs[0].findall(f".//{SVG}g[@class='edge-label']/{SVG}text")]
    assert sorted(labels) == sorted(t for _, t, _ in links)


def test_a_node_says_its_status_and_side_in_words(tmp_path):
    html = B.render_html(build(views_root(tmp_path)))
    node = next(a for a in maps(html)[0].iter(f"{SVG}a") if a.get("data-claim") == "flow/down-accuses-cut")
    words = " ".join("".join(t.itertext()) for t in node.iter(f"{SVG}text"))
    assert "C3" in words and "Downstream Kingdom" in words and "superseded" in words


def test_the_map_is_laid_out_answered_claim_above_its_answer(tmp_path):
    html = B.render_html(build(views_root(tmp_path)))
    top = {a.get("data-claim"): float(a.find(f"{SVG}rect").get("y")) for a in maps(html)[0].iter(f"{SVG}a")}
    assert top["flow/down-accuses-cut"] < top["flow/up-denies-cut"]
    assert top["flow/down-accuses-cut"] < top["flow/down-shortfall-smaller"]


def test_a_quote_links_to_its_source_at_its_own_words_and_to_its_card(tmp_path):
    html = B.render_html(build(views_root(tmp_path)))
    fragment = f'href="{RIVER_URL}#:~:text=rejected%20the%20accusation%20as%20%E2%80%98baseless%E2%80%99"'
    assert fragment in html
    assert 'href="#s1" title="The archived copy, under Sources">S1</a>' in html
    # A source without an http(s) URL: its quotes link to their card only.
    assert "smaller%20than" not in html


def test_a_long_quote_gives_its_first_and_last_four_words():
    assert B.text_fragment("one two three four five six seven eight nine") == "one%20two%20three%20four,six%20seven%20eight%20nine"
    assert B.text_fragment("a well-known, short one") == "a%20well%2Dknown%2C%20short%20one"


def test_the_print_header_holds_the_title_only_as_css_escapes(tmp_path):
    assert str(B._css_string('</style><b>"x"')) == '"' + "".join(f"\\{ord(c):06x}" for c in '</style><b>"x"') + '"'
    html = B.render_html(build(views_root(tmp_path)))
    assert '@top-left { content: "\\000054\\000068\\000065\\000020\\000064' in html  # "The d..."


def test_export_svg_is_the_map_of_every_claim_and_link(tmp_path):
    root = views_root(tmp_path)
    result = runner.invoke(app, ["export", "flow", "--format", "svg", "--root", str(root)])
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(result.stdout.split("\n", 1)[1])
    brief = build(root)
    nodes = svg.findall(f".//{SVG}a")
    assert sorted(n.get("data-claim") for n in nodes) == sorted(c.id for c in brief.claims)
    assert {n.get("href") for n in nodes} == {f"flow.html#{c.anchor}" for c in brief.claims}
    links = [(c.id, l.type, l.claim) for c in brief.claims for l in c.links_out if l.claim.startswith("flow/")]
    assert sorted((g.get("data-from"), g.get("data-type"), g.get("data-to")) for g in svg.findall(f".//{SVG}g[@class='edge']")) == sorted(links)


def test_export_svg_gives_the_same_bytes_twice(tmp_path):
    root = views_root(tmp_path)
    runs = [runner.invoke(app, ["export", "--all", "--format", "svg", "--root", str(root)]) for _ in range(2)]
    assert [r.exit_code for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.count('class="map"') == 2


def test_the_hostile_fixture_gives_a_well_formed_svg_export(tmp_path):
    from test_trust_brief import write_hostile

    root = write_hostile(tmp_path / "h")
    result = runner.invoke(app, ["export", "hx", "--format", "svg", "--root", str(root)])
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert not [e for e in svg.iter() if e.tag.endswith(("script", "foreignObject", "image"))]
    for e in svg.iter():
        for name, value in e.attrib.items():
            assert not name.lower().startswith("on"), (e.tag, name)
            if name == "href":
                assert value.startswith("hx.html#c"), value
    assert "<script>" in "".join(svg.itertext())  # the data shown as text, never as an element


def test_the_positions_are_in_a_grid_row_per_date(tmp_path):
    brief = build(views_root(tmp_path))
    assert [(c.ref, c.row) for c in brief.claims] == [("C1", 2), ("C2", 3), ("C3", 3), ("C4", 4), ("C5", 4)]
    html = B.render_html(brief)
    assert textwrap.dedent('''\
        <div class="cell" style="grid-column: 2; grid-row: 3">
        <article class="claim" id="c3">''') in html


def test_all_links_each_brief_to_the_index_and_to_the_other_issues(tmp_path):
    root = views_root(tmp_path)
    for fmt, index, other in (("md", "[All briefs](index.md)", "[flow/up-denies-cut](flow.md)"),
                              ("html", '<a href="index.html">All briefs</a>', '<a href="flow.html"><code>flow/up-denies-cut</code></a>')):
        out = tmp_path / f"all-{fmt}"
        result = runner.invoke(app, ["brief", "--all", "--format", fmt, "-o", str(out), "--root", str(root)])
        assert result.exit_code == 0, result.output
        treaty = (out / f"treaty.{fmt}").read_text(encoding="utf-8")
        assert index in treaty and other in treaty


def test_the_index_counts_each_issue_per_side_and_per_status(tmp_path):
    root = views_root(tmp_path)
    result = runner.invoke(app, ["brief", "--all", "--format", "html", "-o", str(tmp_path / "out"), "--root", str(root)])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<a href="flow.html"><strong>The dam&#39;s flow</strong></a>' in index
    assert "Did Upstream cut the river&#39;s flow below the treaty minimum?" in index
    assert '<span class="per-side">4 asserted, 1 superseded</span>' in index


def test_a_source_card_says_what_it_is_a_copy_of_with_its_retrieved_day_and_short_sha256(tmp_path):
    root = views_root(tmp_path)
    path = root / "sources" / "2024-05-10-unknown-commission-report.md"
    path.write_text(edited(path.read_text(encoding="utf-8"), "\n---\n", "\ncopy_of: 2024-03-02-daily-river-flow-dispute\n---\n", 1), encoding="utf-8")
    brief = build(root)
    html = B.render_html(brief)
    card = html.split('<li id="s2">', 1)[1].split("</dl>", 1)[0]
    digest = next(s.sha256 for s in brief.sources if s.ref == "S2")
    assert f'<code title="{digest}">{digest[:12]}</code>' in card
    assert "<dt>Retrieved</dt><dd><span class=\"nw\">2024-06-01</span></dd>" in card
    assert '<dt>Copy of</dt><dd><a href="#s1">S1</a>: a syndicated or mirrored copy of it, so one outlet, not two</dd>' in card

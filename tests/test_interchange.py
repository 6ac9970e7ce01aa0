"""Exports in the field's formats and imports back: each shape as its published documentation has
it, each round trip into an empty dataset, and each refusal saying what is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.store import load_dataset

from conftest import CLAIMS, REAL_CACHE_HOME, copy_dataset, edited, tree_digest, write_dataset

runner = CliRunner()


@pytest.fixture
def dataset(built_dataset, tmp_path) -> Path:
    """The test's own copy of the fixture dataset, its index built once for the module."""
    return copy_dataset(built_dataset, tmp_path)

# The fixture dataset with one claim assessed (refuted), so that ClaimReview has something to review.
ASSESSED = dict(CLAIMS)
ASSESSED["flow/down-accuses-cut"] = """\
    statement: Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum.
    kind: accusation
    by: down-spokesman
    said_on: 2024-03-02
    status: refuted
    history:
      - on: 2024-03-02
        status: disputed
        note: Upstream's Water Ministry rejected it the same day.
      - on: 2024-05-10
        status: refuted
        note: The Commission's gauges showed the flow at 92 percent of the minimum.
    citations:
      - source: 2024-03-02-daily-river-flow-dispute
        quote: "deliberately cut the flow below the treaty minimum"
    """
ASSESSED["flow/commission-gauges"] = edited(CLAIMS["flow/commission-gauges"], "supports: [flow/down-accuses-cut]", "rebuts: [flow/down-accuses-cut]")


def export(root: Path, *args: str, code: int = 0):
    result = runner.invoke(app, ["export", *args, "--root", str(root)])
    assert result.exit_code == code, result.output
    return result


def empty(tmp_path: Path, name: str = "empty") -> Path:
    result = runner.invoke(app, ["init", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    return tmp_path / name


def same_data(a: Path, b: Path, claims: list[str] | None = None) -> None:
    da, _ = load_dataset(a)
    db, _ = load_dataset(b)
    wanted = claims if claims is not None else list(da.claims)
    assert {c: db.claims.get(c) for c in wanted} == {c: da.claims[c] for c in wanted}
    assert set(db.claims) == set(wanted)
    used = {da.claims[c].by for c in wanted}
    assert {k: v for k, v in db.actors.items()} == {k: v for k, v in da.actors.items() if k in used}
    cited = {cit.source for c in wanted for cit in da.claims[c].citations}
    assert {k: v.body for k, v in db.sources.items()} == {k: da.sources[k].body for k in cited}


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", ["aif", "argdown"])
def test_round_trip_gives_the_same_claims_actors_and_links(tmp_path, dataset, fmt):
    out = tmp_path / f"export.{fmt}"
    assert export(dataset, "--all", "--format", fmt, "-o", str(out)).exit_code == 0
    target = empty(tmp_path)
    result = runner.invoke(app, ["import", str(out), "--format", fmt, "--root", str(target)])
    assert result.exit_code == 0, result.output
    same_data(dataset, target)
    assert runner.invoke(app, ["check", "--root", str(target)]).exit_code == 0


def test_claimreview_round_trip_gives_the_assessed_claims(tmp_path):
    ds = write_dataset(tmp_path / "ds", claims=ASSESSED)
    out = tmp_path / "reviews.jsonld"
    assert export(ds, "flow", "--format", "claimreview", "--publisher", "River Desk", "-o", str(out)).exit_code == 0
    target = empty(tmp_path)
    result = runner.invoke(app, ["import", str(out), "--format", "claimreview", "--root", str(target)])
    assert result.exit_code == 0, result.output
    same_data(ds, target, ["flow/down-accuses-cut"])


def test_claimreview_links_to_claims_left_out_are_named_on_export(tmp_path):
    ds = write_dataset(tmp_path / "ds", claims=ASSESSED)
    result = export(ds, "flow", "--format", "claimreview", "--publisher", "River Desk")
    assert result.exit_code == 0
    assert "1 of 4 claims carry an assessment" in result.output  # stderr is mixed in by CliRunner
    data = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert "rebuts" not in data["claimtrack"]["claims"]["flow/down-accuses-cut"]


# --------------------------------------------------------------------------- ClaimReview shape


def test_claimreview_has_the_properties_google_requires(tmp_path):
    """developers.google.com/search/docs/appearance/structured-data/factcheck: claimReviewed,
    reviewRating with alternateName, url, author with a name; itemReviewed a Claim with author,
    datePublished and its appearances."""
    ds = write_dataset(tmp_path / "ds", claims=ASSESSED)
    result = export(ds, "--all", "--format", "claimreview", "--publisher", "River Desk", "--url", "https://example.org/flow")
    assert result.exit_code == 0
    doc = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert doc["@context"] == "https://schema.org"
    [review] = doc["@graph"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum."
    assert review["reviewRating"]["@type"] == "Rating" and review["reviewRating"]["alternateName"] == "refuted"
    assert review["author"] == {"@type": "Organization", "name": "River Desk"}
    assert review["url"] == "https://example.org/flow#flow/down-accuses-cut"
    assert review["datePublished"] == "2024-05-10"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"]["name"] == "Lena Ortiz" and item["datePublished"] == "2024-03-02"
    assert item["firstAppearance"]["@type"] == "CreativeWork"
    assert item["firstAppearance"]["headline"] == "A report" and item["firstAppearance"]["datePublished"] == "2024-03-02"
    assert "ratingValue" not in review["reviewRating"]  # no number is made up for a status


def test_claimreview_without_a_publisher_is_refused(tmp_path, dataset):
    result = export(dataset, "--all", "--format", "claimreview", code=2)
    assert result.exit_code == 2
    assert "--publisher" in result.output


def test_claimreview_holds_no_claim_without_an_assessment(tmp_path, dataset):
    result = export(dataset, "--all", "--format", "claimreview", "--publisher", "River Desk")
    assert result.exit_code == 0
    doc = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert doc["@graph"] == []


def test_a_foreign_claimreview_is_refused_saying_what_is_missing(tmp_path, dataset):
    foreign = tmp_path / "foreign.jsonld"
    foreign.write_text(json.dumps({
        "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "The river is dry.",
        "reviewRating": {"@type": "Rating", "alternateName": "False"}, "author": {"@type": "Organization", "name": "Checkers"},
        "itemReviewed": {"@type": "Claim", "identifier": "flow/river-dry", "author": {"@type": "Person", "name": "Lena Ortiz"}},
    }))
    before = tree_digest(dataset)
    result = runner.invoke(app, ["import", str(foreign), "--format", "claimreview", "--root", str(dataset)])
    assert result.exit_code == 1
    for what in ("no 'kind'", "no 'by'", "no 'said_on'", "no 'status'", "no 'citations'", "nothing was written"):
        assert what in result.output
    assert tree_digest(dataset) == before


# ---------------------------------------------------------------------------------- AIF shape


def test_aif_is_what_aifdb_loads(tmp_path, dataset):
    """AIFdb's JSON: nodes {nodeID, text, type}, edges {edgeID, fromID, toID, formEdgeID},
    locutions {nodeID, personID, timestamp}, participants {participantID, firstname, surname}."""
    result = export(dataset, "flow", "--format", "aif")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert {"nodes", "edges", "locutions", "participants"} <= set(doc)
    nodes = {n["nodeID"]: n for n in doc["nodes"]}
    assert all(set(n) >= {"nodeID", "text", "type"} and n["type"] in {"I", "L", "CA", "RA", "MA", "YA", "TA"} for n in nodes.values())
    assert all(set(e) == {"edgeID", "fromID", "toID", "formEdgeID"} and e["fromID"] in nodes and e["toID"] in nodes for e in doc["edges"])
    people = {p["participantID"] for p in doc["participants"]}
    assert all(nodes[l["nodeID"]]["type"] == "L" and l["personID"] in people and l["timestamp"] for l in doc["locutions"])
    edges = {(e["fromID"], e["toID"]) for e in doc["edges"]}
    # the denial rebuts the accusation: I(denial) -> CA -> I(accusation)
    ca = "CA:flow/up-denies-cut>flow/down-accuses-cut"
    assert nodes[ca]["type"] == "CA" and ("flow/up-denies-cut", ca) in edges and (ca, "flow/down-accuses-cut") in edges
    ra = "RA:flow/commission-gauges>flow/down-accuses-cut"
    assert nodes[ra]["type"] == "RA" and ("flow/commission-gauges", ra) in edges
    # each claim's locution asserts its I-node
    assert ("L:flow/up-denies-cut", "YA:flow/up-denies-cut") in edges and ("YA:flow/up-denies-cut", "flow/up-denies-cut") in edges


def test_aif_supersedes_is_a_rephrase(tmp_path):
    claims = dict(CLAIMS)
    claims["flow/up-counter-canals"] = edited(CLAIMS["flow/up-counter-canals"], "rebuts: [flow/down-accuses-cut]", "supersedes: [flow/up-denies-cut]")
    ds = write_dataset(tmp_path / "ds", claims=claims)
    doc = json.loads(export(ds, "flow", "--format", "aif").stdout)
    assert {"nodeID": "MA:flow/up-counter-canals>flow/up-denies-cut", "text": "Default Rephrase", "type": "MA"} in doc["nodes"]


def test_aif_import_takes_links_from_the_graph_not_the_extension(tmp_path, dataset):
    doc = json.loads(export(dataset, "flow", "--format", "aif").stdout)
    ca = "CA:flow/up-denies-cut>flow/down-accuses-cut"
    doc["edges"] = [e for e in doc["edges"] if ca not in (e["fromID"], e["toID"])]
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(doc))
    target = empty(tmp_path)
    result = runner.invoke(app, ["import", str(path), "--format", "aif", "--root", str(target)])
    assert result.exit_code == 0, result.output
    ds, _ = load_dataset(target)
    assert ds.claims["flow/up-denies-cut"].rebuts == []
    assert "the file's own links were used" in result.output


# ------------------------------------------------------------------------------------ Argdown


def _argdown_cli() -> list[str] | None:
    """The real Argdown CLI: $ARGDOWN, `argdown` on PATH, or one installed into the cache by
    .ci/argdown.sh; None when there is none and npm cannot install it."""
    if os.environ.get("ARGDOWN"):
        return [os.environ["ARGDOWN"]]
    if shutil.which("argdown"):
        return ["argdown"]
    cache = Path(REAL_CACHE_HOME) / "claimtrack-ci" / "argdown"  # not the test's own cache: installed once
    local = cache / "node_modules" / ".bin" / "argdown"
    if local.exists():
        return [str(local)]
    if shutil.which("npm") and shutil.which("node"):
        script = Path(__file__).resolve().parents[1] / ".ci" / "argdown.sh"
        env = {**os.environ, "XDG_CACHE_HOME": REAL_CACHE_HOME}
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=600, env=env)
        if done.returncode == 0 and local.exists():
            return [str(local)]
    return None


def test_argdown_export_is_parsed_by_the_argdown_cli_into_the_same_statements_and_relations(tmp_path, dataset):
    cli = _argdown_cli()
    if cli is None:
        pytest.skip("the Argdown CLI is not installed and neither node nor npm is here to install it (.ci/argdown.sh)")
    claims = dict(CLAIMS)
    claims["flow/up-counter-canals"] = edited(CLAIMS["flow/up-counter-canals"], "Upstream's Water Ministry said", "Upstream's Water Ministry [said] #not-a-tag <a> *b* _c_ @d {e} // f /* g */ said")
    ds = write_dataset(tmp_path / "ds2", claims=claims)
    out = tmp_path / "map.argdown"
    assert export(ds, "--all", "--format", "argdown", "-o", str(out)).exit_code == 0
    done = subprocess.run([*cli, "json", str(out), str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    parsed = json.loads((tmp_path / "map.json").read_text())
    loaded, _ = load_dataset(ds)
    statements = parsed["statements"]
    assert set(statements) == set(loaded.claims)
    for cid, claim in loaded.claims.items():
        text = next(m["text"] for m in statements[cid]["members"] if m.get("text"))
        assert text.split(" #(kind:")[0] == claim.statement
        assert f"status: {claim.status}" in statements[cid]["tags"]
    relations = {(r["from"], r["relationType"], r["to"]) for r in parsed["relations"]}
    expected = {(c.id, {"rebuts": "attack", "supports": "support"}[t], dst) for c in loaded.claims.values() for t, dst in c.links() if t != "supersedes"}
    assert relations == expected
    sections = [s["title"] for s in parsed["sections"]]
    assert sections == ["The dam's flow"]


def test_argdown_without_data_is_refused_saying_what_is_missing(tmp_path, dataset):
    path = tmp_path / "plain.argdown"
    path.write_text(textwrap.dedent("""\
        # Flow

        [flow/cut]: Upstream cut the flow. #(status: disputed)
            - [flow/denied]: Upstream denied it.

        <An argument>: not a claim.
        """))
    before = tree_digest(dataset)
    result = runner.invoke(app, ["import", str(path), "--format", "argdown", "--root", str(dataset)])
    assert result.exit_code == 1
    assert f"{path}:3: error: flow/cut: no 'kind' — Argdown has no kind of claim" in result.output
    assert "Argdown has no citations" in result.output
    assert tree_digest(dataset) == before


def test_import_dry_run_shows_the_files_and_writes_nothing(tmp_path, dataset):
    out = tmp_path / "map.argdown"
    assert export(dataset, "--all", "--format", "argdown", "-o", str(out)).exit_code == 0
    target = empty(tmp_path)
    before = tree_digest(target)
    result = runner.invoke(app, ["import", str(out), "--format", "argdown", "--dry-run", "--root", str(target)])
    assert result.exit_code == 0, result.output
    assert "would write claims/flow/up-denies-cut.yaml" in result.output
    assert "statement: Upstream's Water Ministry rejected the accusation" in result.output
    assert tree_digest(target) == before


def test_import_of_a_claim_that_exists_differently_writes_nothing(tmp_path, dataset):
    out = tmp_path / "map.aif.json"
    assert export(dataset, "--all", "--format", "aif", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    next(n for n in doc["nodes"] if n["nodeID"] == "flow/up-denies-cut")["text"] = "Upstream said something else."
    out.write_text(json.dumps(doc))
    before = tree_digest(dataset)
    result = runner.invoke(app, ["import", str(out), "--format", "aif", "--root", str(dataset)])
    assert result.exit_code == 1
    assert "flow/up-denies-cut is already in the dataset and differs" in result.output
    assert tree_digest(dataset) == before


# ------------------------------------------------------------------------------ DOT and Mermaid


def test_dot_export_is_valid_graphviz_with_labelled_arrows_from_the_answer(tmp_path, dataset):
    result = export(dataset, "flow", "--format", "dot")
    assert result.exit_code == 0
    text = result.stdout
    assert '"flow/up-denies-cut" -> "flow/down-accuses-cut" [label="rebuts"' in text
    assert '"flow/commission-gauges" -> "flow/down-accuses-cut" [label="supports"' in text
    assert 'color="#d62728"' in text  # Downstream's colour, from actors.yaml
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz): the DOT was not laid out")
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout


def test_mermaid_export_draws_each_link_once_with_its_type(tmp_path, dataset):
    result = export(dataset, "flow", "--format", "mermaid")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart BT"
    arrows = [l.strip() for l in lines if "|" in l and ("-->" in l or "-.->" in l or "==>" in l)]
    assert sorted(a.split("|")[1] for a in arrows) == ["rebuts", "rebuts", "supports"]
    assert any("classDef" in l and "#d62728" in l for l in lines)


# ----------------------------------------------------------------------------------- CSL-JSON


def test_csl_keeps_what_the_source_records_and_invents_nothing(tmp_path):
    body = "A report.\n"
    import hashlib

    sources = {"2024-05-unknown-monthly": body}
    ds = write_dataset(tmp_path / "ds", claims={}, sources=sources)
    (ds / "sources" / "2024-05-unknown-monthly.md").write_text(
        "---\ntitle: A monthly\noutlet: unknown\nurl: https://example.org/m\npublished: 2024-05\nretrieved: unknown\n"
        f"author: unknown\nsha256: {hashlib.sha256(body.encode()).hexdigest()}\n---\n{body}")
    (ds / "claims" / "flow" / "c.yaml").write_text(textwrap.dedent("""\
        statement: Someone said a report.
        kind: statement
        by: commission
        said_on: 2024-05
        status: asserted
        citations:
          - {source: 2024-05-unknown-monthly, quote: A report.}
        """))
    result = export(ds, "flow", "--format", "csl")
    assert result.exit_code == 0
    [item] = json.loads(result.stdout)
    assert item == {"id": "2024-05-unknown-monthly", "type": "article-newspaper", "title": "A monthly",
                    "issued": {"date-parts": [[2024, 5]]}, "URL": "https://example.org/m"}


def test_csl_gives_outlet_author_and_accessed_when_known(tmp_path, dataset):
    items = json.loads(export(dataset, "flow", "--format", "csl").stdout)
    first = next(i for i in items if i["id"] == "2024-03-02-daily-river-flow-dispute")
    assert first["container-title"] == "Daily River"
    assert first["issued"] == {"date-parts": [[2024, 3, 2]]} and first["accessed"] == {"date-parts": [[2024, 6, 1]]}


# --------------------------------------------------------------------------- Web Annotation


def test_each_annotation_selects_exactly_the_quoted_text(tmp_path, dataset):
    result = export(dataset, "--all", "--format", "annotations")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld" and doc["type"] == "AnnotationCollection"
    items = doc["first"]["items"]
    loaded, _ = load_dataset(dataset)
    assert len(items) == sum(len(c.citations) for c in loaded.claims.values())
    for ann in items:
        assert ann["type"] == "Annotation" and ann["motivation"] == "describing"
        target = ann["target"]
        sid = target["source"].removeprefix("sources/").removesuffix(".md#body")
        body = loaded.sources[sid].body
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert body[position["start"] : position["end"]] == quote["exact"]
        assert body.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
        assert body[position["start"] - len(quote["prefix"]) : position["start"]] == quote["prefix"]
        assert body[position["end"] : position["end"] + len(quote["suffix"])] == quote["suffix"]
    curly = next(a for a in items if a["body"][1]["value"] == "flow/up-denies-cut")
    assert curly["target"]["selector"][0]["exact"] == "rejected the accusation as ‘baseless’"  # the source's own characters


# ------------------------------------------------------------------------------------- usage


def test_export_needs_one_issue_or_all(tmp_path, dataset):
    result = export(dataset, "--format", "aif", code=2)
    assert result.exit_code == 2
    assert "give one ISSUE or --all" in result.output


def test_export_of_an_unknown_issue_names_the_closest(tmp_path, dataset):
    result = export(dataset, "flo", "--format", "aif", code=1)
    assert result.exit_code == 1
    assert "no issue 'flo'" in result.output and "flow" in result.output


def test_import_of_a_file_that_is_not_json_says_where(tmp_path, dataset):
    path = tmp_path / "bad.json"
    path.write_text('{"nodes": [\n  oops\n]}')
    result = runner.invoke(app, ["import", str(path), "--format", "aif", "--root", str(dataset)])
    assert result.exit_code == 1
    assert f"{path}:2: not aif" in result.output


def test_the_shipped_examples_are_the_current_export(repo_root, tmp_path):
    """docs/examples/interchange/ holds the shipped dataset exported in every format; a change to
    an export must regenerate them (scripts: see docs/interchange.md)."""
    folder = repo_root / "docs" / "examples" / "interchange"
    ds = tmp_path / "ds"
    assert runner.invoke(app, ["init", "--example", str(ds)]).exit_code == 0
    from claimtrack.interchange import SUFFIXES

    for fmt, suffix in SUFFIXES.items():
        extra = ["--publisher", "Example Fact-Check Desk", "--url", "https://example.org/claimtrack-reviews"] if fmt == "claimreview" else []
        result = export(ds, "--all", "--format", fmt, *extra)
        assert result.exit_code == 0
        assert (folder / f"all{suffix}").read_text(encoding="utf-8") == result.stdout, fmt

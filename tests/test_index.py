"""The index is a cache of the files: refreshed incrementally, rebuilt identically from nothing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from claimtrack.index import queries
from claimtrack.index.refresh import connect, index_path, refresh_index
from conftest import edited

TABLES = ["files", "sides", "actors", "issues", "claims", "links", "status_changes", "citations", "sources"]


def dump(root: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(index_path(root))
    try:
        out = {}
        for table in TABLES:
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            out[table] = sorted(tuple("" if v is None else v for v in r) for r in rows)
        out["fts"] = sorted(conn.execute("SELECT kind, ref, issue, text FROM fts").fetchall(), key=str)
        return out
    finally:
        conn.close()


def test_the_first_refresh_parses_every_file(dataset):
    report = refresh_index(dataset)
    assert report.rebuilt
    assert len(report.parsed) == 8  # actors, one issue, four claims, two sources


def test_a_second_refresh_parses_nothing(dataset):
    refresh_index(dataset)
    report = refresh_index(dataset)
    assert (report.parsed, report.removed, report.rebuilt) == ([], [], False)


def test_changing_one_claim_parses_that_file_only(dataset):
    refresh_index(dataset)
    path = dataset / "claims" / "flow" / "up-denies-cut.yaml"
    path.write_text(edited(path.read_text(), "blamed the drought", "blamed the long drought"))
    report = refresh_index(dataset)
    assert report.parsed == ["claims/flow/up-denies-cut.yaml"]
    conn = connect(dataset)
    assert "long drought" in queries.get_claim(conn, "flow/up-denies-cut").statement


def test_a_touched_but_unchanged_file_is_not_parsed(dataset):
    refresh_index(dataset)
    path = dataset / "claims" / "flow" / "up-denies-cut.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    report = refresh_index(dataset)
    assert report.parsed == [] and report.restamped == ["claims/flow/up-denies-cut.yaml"]


def test_a_deleted_claim_leaves_the_index(dataset):
    refresh_index(dataset)
    (dataset / "claims" / "flow" / "commission-gauges.yaml").unlink()
    report = refresh_index(dataset)
    assert report.removed == ["claims/flow/commission-gauges.yaml"]
    conn = connect(dataset)
    assert "flow/commission-gauges" not in queries.claim_ids(conn)
    assert not [l for l in queries.links(conn) if l.src == "flow/commission-gauges"]
    assert queries.citations(conn, ["flow/commission-gauges"]) == {"flow/commission-gauges": []}
    assert not [h for h in queries.search(conn, "gauges") if h.kind != "source"]


def test_deleting_the_index_and_refreshing_gives_the_same_rows(dataset):
    refresh_index(dataset)
    path = dataset / "claims" / "flow" / "up-denies-cut.yaml"
    path.write_text(edited(path.read_text(), "blamed the drought", "blamed the long drought"))
    refresh_index(dataset)
    before = dump(dataset)
    for suffix in ("", "-wal", "-shm"):
        Path(str(index_path(dataset)) + suffix).unlink(missing_ok=True)
    refresh_index(dataset)
    assert dump(dataset) == before


def test_an_index_of_another_schema_version_is_rebuilt(dataset):
    refresh_index(dataset)
    conn = sqlite3.connect(index_path(dataset))
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    assert refresh_index(dataset).rebuilt


def test_a_corrupt_index_is_rebuilt(dataset):
    index_path(dataset).parent.mkdir(exist_ok=True)
    index_path(dataset).write_bytes(b"this is not a database")
    assert refresh_index(dataset).rebuilt
    assert len(queries.claim_ids(connect(dataset))) == 4


def test_citations_carry_their_span_in_the_source(dataset):
    refresh_index(dataset)
    conn = connect(dataset)
    (cit,) = queries.citations(conn, ["flow/up-counter-canals"])["flow/up-counter-canals"]
    body = queries.source_body(conn, cit.source)
    assert body[cit.start : cit.end] == "Downstream had itself diverted water for its new canals"


def test_editing_a_source_re_anchors_its_citations(dataset):
    refresh_index(dataset)
    path = dataset / "sources" / "2024-03-02-daily-river-flow-dispute.md"
    path.write_text(edited(path.read_text(encoding="utf-8"), "Flow dispute flares\n", "Flow dispute flares again\n"), encoding="utf-8")
    refresh_index(dataset)
    conn = connect(dataset)
    (cit,) = queries.citations(conn, ["flow/up-counter-canals"])["flow/up-counter-canals"]
    assert queries.source_body(conn, cit.source)[cit.start : cit.end].endswith("new canals")


def test_a_file_with_problems_is_recorded_and_left_out(dataset):
    (dataset / "claims" / "flow" / "broken.yaml").write_text("statement: [\n")
    refresh_index(dataset)
    conn = connect(dataset)
    assert queries.files_with_problems(conn) == ["claims/flow/broken.yaml"]
    assert "flow/broken" not in queries.claim_ids(conn)


def test_the_schema_version_is_defined_once_where_the_stdlib_path_reads_it():
    from claimtrack.index import location, refresh, schema

    package = Path(location.__file__).parent.parent
    defined = [p.relative_to(package).as_posix() for p in package.rglob("*.py") if "\nSCHEMA_VERSION =" in p.read_text(encoding="utf-8")]
    assert defined == ["index/location.py"]
    assert schema.SCHEMA_VERSION is location.SCHEMA_VERSION is refresh.SCHEMA_VERSION


def test_the_index_lives_under_a_git_ignored_folder(dataset):
    refresh_index(dataset)
    assert (dataset / ".claimtrack" / ".gitignore").read_text() == "*\n"


def test_a_large_change_parsed_in_parallel_gives_the_same_rows(dataset, monkeypatch):
    from claimtrack.index import build as indexer

    refresh_index(dataset)
    serial = dump(dataset)
    for suffix in ("", "-wal", "-shm"):
        Path(str(index_path(dataset)) + suffix).unlink(missing_ok=True)
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(indexer, "FLUSH_EVERY", 3)
    refresh_index(dataset)
    assert dump(dataset) == serial


def test_two_first_refreshes_at_once_both_see_a_whole_index(dataset):
    import subprocess
    import sys

    code = "import sys; from pathlib import Path; from claimtrack.index.refresh import refresh_index, connect; from claimtrack.index import queries; refresh_index(Path(sys.argv[1])); print(len(queries.claim_ids(connect(Path(sys.argv[1])))))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(dataset)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate() for p in procs]
    assert [(out.strip(), p.returncode) for (out, _), p in zip(results, procs)] == [("4", 0)] * 4, results


def test_schema_sql_is_what_sqlalchemy_makes_of_the_sqlmodel_tables():
    from importlib import resources

    from claimtrack.index.schema import schema_sql

    shipped = resources.files("claimtrack.index").joinpath("schema.sql").read_text(encoding="utf-8")
    assert shipped == schema_sql(), "regenerate: python -m claimtrack.index.schema > src/claimtrack/index/schema.sql"


def test_a_second_refresh_in_one_process_anchors_against_the_new_body(dataset):
    refresh_index(dataset)
    source = dataset / "sources" / "2024-03-02-daily-river-flow-dispute.md"
    claim = dataset / "claims" / "flow" / "up-counter-canals.yaml"
    text = edited(source.read_text(encoding="utf-8"), "Flow dispute flares\n", "Flow dispute flares again, and again\n")
    import hashlib

    head, body = text.split("---\n", 2)[1], text.split("---\n", 2)[2]
    head = "\n".join(l if not l.startswith("sha256:") else f"sha256: {hashlib.sha256(body.encode()).hexdigest()}" for l in head.splitlines()) + "\n"
    source.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    claim.write_text(edited(claim.read_text(), "status: asserted", "status: asserted\n"), encoding="utf-8")
    refresh_index(dataset)
    conn = connect(dataset)
    (cit,) = queries.citations(conn, ["flow/up-counter-canals"])["flow/up-counter-canals"]
    assert queries.source_body(conn, cit.source)[cit.start : cit.end] == "Downstream had itself diverted water for its new canals"


def test_a_deleted_issue_folder_leaves_the_index(dataset):
    import shutil

    from conftest import CLAIMS, ISSUE

    other = {cid.replace("flow/", "dams/"): text.replace("flow/", "dams/") for cid, text in CLAIMS.items()}
    (dataset / "claims" / "dams").mkdir()
    (dataset / "claims" / "dams" / "_issue.yaml").write_text(ISSUE)
    for cid, text in other.items():
        (dataset / "claims" / "dams" / f"{cid.split('/')[1]}.yaml").write_text(__import__("textwrap").dedent(text))
    assert len(refresh_index(dataset).parsed) == 13  # everything: the first refresh
    shutil.rmtree(dataset / "claims" / "dams")
    report = refresh_index(dataset)
    assert sorted(report.removed) == sorted(["claims/dams/_issue.yaml"] + [f"claims/{c}.yaml" for c in other])
    conn = connect(dataset)
    assert [i.id for i in queries.issues(conn)] == ["flow"]
    assert all(c.startswith("flow/") for c in queries.claim_ids(conn))


def test_a_change_in_one_folder_reads_only_that_folders_stamps(dataset, monkeypatch):
    from claimtrack.index import refresh as index

    refresh_index(dataset)
    seen = []
    real = index._stamps_in
    monkeypatch.setattr(index, "_stamps_in", lambda conn, folders: seen.append(folders) or real(conn, folders))
    path = dataset / "claims" / "flow" / "up-denies-cut.yaml"
    path.write_text(edited(path.read_text(), "blamed the drought", "blamed the dry season"))
    assert refresh_index(dataset).parsed == ["claims/flow/up-denies-cut.yaml"]
    assert seen == [["claims/flow"]]


def test_a_table_column_the_model_does_not_have_fails_loudly():
    import pytest

    from claimtrack.index import build
    from claimtrack.model import Issue

    with pytest.raises(LookupError, match="claims.issue is not a field of Issue"):
        build._plan("claims", Issue, ())

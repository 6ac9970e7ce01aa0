"""A team's shared index on PostgreSQL: `claimtrack sync URL` and `--database URL`.

Run against a real server that the test run starts (tests/pg_fixture.py); skipped, saying why,
where there is none. The database must hold exactly the rows of the local SQLite index, after a
first sync, a change, a deletion, and two syncs at once from two clones.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.edit.init import init_dataset
from conftest import assert_one_error_line, copy_dataset, isolated, replace_once
from pg_fixture import _create_database, _free_port, _made, pg_server, pg_url  # noqa: F401  (fixtures)

runner = CliRunner()


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return init_dataset(tmp_path / "ds", example=True)


def sync(root: Path, url: str):
    return runner.invoke(app, ["sync", url, "--root", str(root)])


def local_rows(root: Path) -> dict[str, list[tuple]]:
    """Every row of the local index, per table, as the database should hold them."""
    from claimtrack.index.refresh import index_path, refresh_index
    from claimtrack.teamdb import schema

    refresh_index(root)
    conn = sqlite3.connect(index_path(root))
    try:
        out = {}
        for table in schema.metadata().sorted_tables:
            if table.name == "fulltext":
                rows = conn.execute("SELECT kind, ref, issue, text FROM fts").fetchall()
            elif table.name == "meta":
                continue
            else:
                names = ", ".join(f'"{c.name}"' for c in table.columns)
                rows = conn.execute(f'SELECT {names} FROM "{table.name}"').fetchall()
            out[table.name] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def database_rows(url: str) -> dict[str, list[tuple]]:
    import psycopg

    from claimtrack.teamdb import schema

    with psycopg.connect(url) as conn:
        out = {}
        for table in schema.metadata().sorted_tables:
            if table.name == "fulltext":
                rows = conn.execute("SELECT kind, ref, issue, text FROM fulltext").fetchall()
            elif table.name == "meta":
                continue
            else:
                names = ", ".join(f'"{c.name}"' for c in table.columns)
                rows = conn.execute(f'SELECT {names} FROM "{table.name}"').fetchall()
            # SQLite keeps booleans as 0 and 1
            rows = [tuple(int(v) if isinstance(v, bool) else v for v in r) for r in rows]
            out[table.name] = sorted(rows, key=repr)
        return out


# --- without a server -------------------------------------------------------------------------


def test_sqlite_sql_is_translated_for_postgresql():
    from claimtrack.teamdb.reads import translate

    assert translate("SELECT id FROM claims WHERE id = ? AND issue IN (?,?)") == "SELECT id FROM claims WHERE id = %s AND issue IN (%s,%s)"
    assert translate("SELECT 1 FROM t WHERE x LIKE ? AND y = 'a?%'") == "SELECT 1 FROM t WHERE x ILIKE %s AND y = 'a?%%'"
    assert translate("SELECT 1 FROM claims c WHERE c.id IN ()") == "SELECT 1 FROM claims c WHERE c.id IN (SELECT NULL WHERE FALSE)"
    assert translate('SELECT "end", "on" FROM citations WHERE "like?" = 1') == 'SELECT "end", "on" FROM citations WHERE "like?" = 1'


def test_an_unreachable_database_is_one_error_line(shipped):
    url = f"postgresql://nobody@127.0.0.1:{_free_port()}/nothing"
    result = runner.invoke(app, ["show", "border", "--database", url])
    assert result.exit_code == 1
    line = assert_one_error_line(result.stderr)
    assert "cannot connect to postgresql://nobody@127.0.0.1" in line


def test_a_database_url_of_another_kind_is_refused(shipped):
    result = sync(shipped, "mysql://someone@db/claims")
    assert result.exit_code == 1
    assert "is not a PostgreSQL URL" in assert_one_error_line(result.stderr)


def test_a_password_in_the_url_is_never_printed(shipped):
    url = f"postgresql://nobody:s3cret@127.0.0.1:{_free_port()}/nothing"
    result = sync(shipped, url)
    assert result.exit_code == 1
    assert "s3cret" not in result.stderr and "nobody:***@" in result.stderr


def _imports(*args: str, cwd: Path) -> set[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CLAIMTRACK_DATABASE", None)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimtrack", *args], capture_output=True, text=True, cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if line.startswith("import time:")}


def test_a_local_read_and_the_help_import_no_database_driver(shipped):
    fresh = runner.invoke(app, ["issues", "--root", str(shipped)])  # the index is fresh before we measure
    assert fresh.exit_code == 0, fresh.output
    for args in (["--help"], ["show", "--help"], ["issues"]):
        assert _imports(*args, cwd=shipped) & {"psycopg", "sqlalchemy"} == set(), args


# --- on a real server -------------------------------------------------------------------------


def test_a_first_sync_copies_every_row_of_the_shipped_dataset(shipped, pg_url):
    result = sync(shipped, pg_url)
    assert result.exit_code == 0, result.output
    files = len(list((shipped / "claims").rglob("*.yaml"))) + len(list((shipped / "sources").glob("*.md")))
    assert f"made the tables, {files} files copied, 0 removed, 0 unchanged" in result.stdout
    assert database_rows(pg_url) == local_rows(shipped)
    assert database_rows(pg_url)["claims"]


def test_a_sync_with_nothing_changed_copies_nothing(shipped, pg_url):
    assert sync(shipped, pg_url).exit_code == 0
    result = sync(shipped, pg_url)
    assert result.exit_code == 0
    assert ": 0 files copied, 0 removed," in result.stdout


def test_a_changed_claim_is_the_only_file_copied(shipped, pg_url):
    assert sync(shipped, pg_url).exit_code == 0
    claim = shipped / "claims/expulsion-proposal/pk-proposed-handover-at-border-posts.yaml"
    replace_once(claim, "\nstatus: asserted", "\nstatus: disputed")
    result = sync(shipped, pg_url)
    assert result.exit_code == 0, result.output
    assert ": 1 file copied, 0 removed," in result.stdout
    rows = database_rows(pg_url)
    assert rows == local_rows(shipped)
    assert ("expulsion-proposal/pk-proposed-handover-at-border-posts", "disputed") in {(r[0], r[9]) for r in rows["claims"]}


def test_a_deleted_claim_leaves_the_database(shipped, pg_url):
    assert sync(shipped, pg_url).exit_code == 0
    gone = "expulsion-proposal/pk-proposed-handover-at-border-posts"
    (shipped / "claims" / f"{gone}.yaml").unlink()
    result = sync(shipped, pg_url)
    assert result.exit_code == 0, result.output
    assert ": 0 files copied, 1 removed," in result.stdout
    rows = database_rows(pg_url)
    assert rows == local_rows(shipped)
    assert gone not in {r[0] for r in rows["claims"]} | {r[0] for r in rows["citations"]} | {r[1] for r in rows["fulltext"]}


def test_a_changed_source_moves_the_quotes_of_claims_that_did_not_change(shipped, pg_url):
    assert sync(shipped, pg_url).exit_code == 0
    source = shipped / "sources/2025-11-05-arab-news-istanbul-talks.md"
    text = source.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    source.write_text(head + sep + "A new first paragraph.\n\n" + body, encoding="utf-8")
    result = sync(shipped, pg_url)
    assert result.exit_code == 0, result.output
    assert ": 1 file copied, 0 removed," in result.stdout
    assert database_rows(pg_url)["citations"] == local_rows(shipped)["citations"]


def test_a_database_of_another_schema_is_made_again(shipped, pg_url):
    import psycopg

    assert sync(shipped, pg_url).exit_code == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
        conn.execute("DELETE FROM claims")
    result = sync(shipped, pg_url)
    assert result.exit_code == 0, result.output
    assert "made the tables" in result.stdout
    assert database_rows(pg_url) == local_rows(shipped)


@pytest.mark.slow
def test_two_syncs_at_once_from_two_clones_leave_one_clone_whole(shipped, pg_url, tmp_path):
    """Both start on an empty database (both would make the tables) from clones that differ by
    a changed claim, a deleted one and a new issue: the database ends up as one clone, whole."""
    other = tmp_path / "other"
    shutil.copytree(shipped, other, ignore=shutil.ignore_patterns(".claimtrack"))
    replace_once(other / "claims/expulsion-proposal/pk-proposed-handover-at-border-posts.yaml", "\nstatus: asserted", "\nstatus: disputed")
    next(iter(sorted((other / "claims/border").glob("[!_]*.yaml")))).unlink()
    (other / "claims/water").mkdir()
    (other / "claims/water/_issue.yaml").write_text("title: Water\nquestion: Who diverted the river?\n", encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src, "NO_COLOR": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "claimtrack", "sync", pg_url, "--root", str(root)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for root in (shipped, other)]
    outcomes = [(p.wait(timeout=300), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
    for code, out, err in outcomes:
        assert code == 0, err
    assert sum("made the tables" in out for _, out, _ in outcomes) == 1
    rows = database_rows(pg_url)
    assert rows in (local_rows(shipped), local_rows(other))
    assert local_rows(shipped) != local_rows(other)


# --- reading from the database ----------------------------------------------------------------


@pytest.fixture(scope="module")
def synced_once(pg_server, tmp_path_factory):
    """The shipped dataset synced to a database, once for the module: the reads below each get a
    copy of both (synced), as if each had synced its own."""
    root = init_dataset(tmp_path_factory.mktemp("synced") / "ds", example=True)
    name = f"synced{os.getpid()}_{next(_made)}"  # a worker may set a module fixture up twice (worksteal)
    _create_database(pg_server, name)
    with isolated(tmp_path_factory):
        assert sync(root, pg_server.url(name)).exit_code == 0
    return root, name


@pytest.fixture
def synced(synced_once, pg_server, tmp_path):
    """The shipped dataset, with its index, and a database a sync of it made: a copy of each
    (conftest.copy_dataset; CREATE DATABASE ... TEMPLATE, a file copy), the test's own to change."""
    root, template = synced_once
    copy = copy_dataset(root, tmp_path)
    name = f"t{os.getpid()}_{next(_made)}"
    _create_database(pg_server, name, template=template)
    return copy, pg_server.url(name)


@pytest.mark.parametrize("args", [
    ["issues", "--json"],
    ["show", "expulsion-proposal", "--json"],
    ["show", "expulsion-proposal/pk-proposed-handover-at-border-posts", "--json"],
    ["timeline", "sanctuary", "--json"],
    ["list", "--json", "-n", "0"],
    ["list", "--json", "--side", "afghanistan", "--since", "2025"],
    ["brief", "expulsion-proposal", "--format", "md"],
    ["brief", "sanctuary", "--format", "json"],
])
def test_a_read_from_the_database_equals_the_same_read_from_the_files(synced, args):
    root, url = synced
    local = runner.invoke(app, [*args, "--root", str(root)])
    shared = runner.invoke(app, [*args, "--database", url])
    assert local.exit_code == 0, local.output
    assert shared.exit_code == 0, shared.output
    assert shared.stdout == local.stdout


@pytest.mark.parametrize("words", [["handed", "over"], ["shelter*"], ['"handed over"'], ["ISKP", "OR", "Daesh"], ["border -Kabul"], ["ISKP"], ["border", "--side", "pakistan"], ["talks", "--issue", "security-talks"]])
def test_a_search_in_the_database_finds_what_the_local_search_finds(synced, words):
    """The same hits, each with matched words marked; the order and the snippets' extent are each
    engine's own (bm25 and snippet in SQLite, ts_rank and ts_headline in PostgreSQL)."""
    root, url = synced
    local = runner.invoke(app, ["search", *words, "--json", "-n", "200", "--root", str(root)])
    shared = runner.invoke(app, ["search", *words, "--json", "-n", "200", "--database", url])
    assert local.exit_code == 0 and shared.exit_code == 0, local.output + shared.output
    typed = [w for word in words for w in (word.split() if word.startswith("border ") else [word])]
    wanted = tuple(w.lower().strip('"*') for w in typed if not w.startswith("-") and w not in ("pakistan", "security-talks", "OR"))

    def hits(output: str):
        found = json.loads(output)["hits"]
        for h in found:
            marked = [h["snippet"][a:b].lower() for a, b in h["matches"]]
            assert marked and all(m.startswith(wanted) for m in marked), (h, wanted)
        return sorted((h["kind"], h["ref"], h["issue"]) for h in found)

    assert hits(shared.stdout) == hits(local.stdout)
    assert hits(local.stdout)


def test_the_database_is_read_through_the_environment_variable(synced, monkeypatch):
    root, url = synced
    monkeypatch.setenv("CLAIMTRACK_DATABASE", url)
    result = runner.invoke(app, ["list", "--json", "-n", "0"])  # no dataset here: only the database
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == len(list((root / "claims").rglob("[!_]*.yaml"))) - 1  # actors.yaml


def test_a_database_that_was_never_synced_says_to_sync(pg_url):
    result = runner.invoke(app, ["show", "border", "--database", pg_url])
    assert result.exit_code == 1
    assert "holds no claimtrack index — run 'claimtrack sync" in assert_one_error_line(result.stderr)


def test_an_unknown_id_read_from_the_database_suggests_the_closest(synced):
    _, url = synced
    result = runner.invoke(app, ["show", "expulsion-proposl", "--database", url])
    assert result.exit_code == 1
    assert "expulsion-proposal" in assert_one_error_line(result.stderr)

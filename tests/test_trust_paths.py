"""Ids and file names never reach outside the dataset (issue 10, items 3 and 13).

Every id a user types becomes a path only through paths.claim_path/issue_path/source_path, which
refuse anything that is not an id; a symbolic link that points out of the dataset is a located
error, never read; a link inside it is read, but never written through; a file name that is not
UTF-8 is a located error and every other file is still served; an argument that is not UTF-8 is
refused before any command runs. Each test asserts the exit status, the one line on stderr when
a command fails, no traceback, and the dataset's files unchanged (tree_digest)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import CLAIMS, assert_one_error_line, edited, run_claimtrack, run_in_process, tree_digest, write_dataset

CLAIM = "flow/up-denies-cut"
OTHER = "flow/down-accuses-cut"
SECRET = "zanzibarite"


def outside_file(tmp_path: Path, name: str = "x.yaml", text: str | None = None) -> Path:
    """A file beside the dataset (not in it), holding a key that must never appear in any output."""
    out = tmp_path / "outside"
    out.mkdir(exist_ok=True)
    path = out / name
    path.write_text(text if text is not None else f"statement: stolen\n{SECRET}: 1\n", encoding="utf-8")
    return path


def editor_that_records(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """$EDITOR as a program that only notes which file it was asked to open."""
    mark = tmp_path / "editor-opened"
    script = tmp_path / "editor.py"
    script.write_text(f"import sys\nopen({str(mark)!r}, 'a').write(sys.argv[1] + '\\n')\n", encoding="utf-8")
    return {"EDITOR": f"{sys.executable} {script}", "VISUAL": ""}, mark


# ------------------------------------------------------------------ ids that climb out of the root


TRAVERSALS = ["flow/../../../outside/x", "../../outside/x", "flow/../../outside/x.yaml", "claims/flow/../../../outside/x.yaml"]


@pytest.mark.parametrize("wanted", TRAVERSALS)
def test_edit_refuses_an_id_that_climbs_out_and_opens_nothing(tmp_path, dataset, wanted):
    target = outside_file(tmp_path)
    env, mark = editor_that_records(tmp_path)
    before = tree_digest(dataset)
    done = run_in_process("edit", wanted, cwd=dataset, env=env)
    assert done.returncode == 1
    line = assert_one_error_line(done.stderr)
    assert "is not a claim id" in line
    assert not mark.exists()  # the editor never ran
    assert tree_digest(dataset) == before
    assert SECRET in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [
    ["status", "flow/../../outside/x", "refuted", "--note", "n"],
    ["link", "flow/../../outside/x", "rebuts", OTHER],
    ["unlink", "flow/../../outside/x", "rebuts", OTHER],
    ["show", "flow/../../outside/x"],
    ["brief", "../outside"],
    ["timeline", "../outside"],
    ["source", "add", "-", "--title", "T", "--id", "../outside/x"],
    ["add", "--issue", "flow", "--by", "up-ministry", "--kind", "denial", "--said-on", "2024-03-02",
     "--statement", "The ministry denied it.", "--cite", "../outside/x", "--quote", "rejected"],
    ["add", "--issue", "flow", "--by", "up-ministry", "--kind", "denial", "--said-on", "2024-03-02",
     "--statement", "The ministry denied it.", "--cite", "2024-03-02-daily-river-flow-dispute",
     "--quote", "rejected the accusation", "--name", "../../outside/x"],
])
def test_every_command_refuses_an_id_that_climbs_out(tmp_path, dataset, args):
    target = outside_file(tmp_path)
    before = tree_digest(dataset)
    done = run_in_process(*args, cwd=dataset, input=b"Some text.\n")
    assert done.returncode == 1
    assert_one_error_line(done.stderr)
    assert tree_digest(dataset) == before
    assert target.read_text(encoding="utf-8").endswith(f"{SECRET}: 1\n")
    assert not (tmp_path / "outside" / "x.md").exists()


@pytest.mark.parametrize("wanted", ["up-denies-*", "up-denies-cu?", "[u]p-denies-cut"])
def test_a_glob_character_in_a_name_does_not_pick_a_file(tmp_path, dataset, wanted):
    env, mark = editor_that_records(tmp_path)
    before = tree_digest(dataset)
    done = run_in_process("edit", wanted, cwd=dataset, env=env)
    assert done.returncode == 1
    assert f"no claim '{wanted}'" in assert_one_error_line(done.stderr)
    assert not mark.exists()
    assert tree_digest(dataset) == before


def test_claim_path_refuses_what_is_not_an_id():
    from claimtrack.paths import BadId, claim_path, issue_path, source_path

    assert claim_path("flow/up-denies-cut") == "claims/flow/up-denies-cut.yaml"
    for bad in ("flow/../x", "../x/y", "flow/", "/flow/x", "flow/x/y", "Flow/x", "flow/x.yaml", "flow/-x", "flow"):
        with pytest.raises(BadId):
            claim_path(bad)
    for bad in ("..", "a/b", "", "x\x00"):
        with pytest.raises(BadId):
            source_path(bad)
        with pytest.raises(BadId):
            issue_path(bad)


# ------------------------------------------------------------- symbolic links out of the dataset


OUTSIDE_CLAIM = f"""\
statement: The ministry said {SECRET} things.
kind: denial
by: up-ministry
said_on: 2024-03-02
status: asserted
citations:
  - source: 2024-03-02-daily-river-flow-dispute
    quote: rejected the accusation
"""


def link_out(dataset: Path, tmp_path: Path, where: str) -> Path:
    """Put a link at `where` (relative to the dataset) to a file or folder outside it, holding
    valid data (so that only the link, not the content, can keep it out of the dataset)."""
    from conftest import ACTORS, ISSUE, source_text

    out = tmp_path / "outside"
    out.mkdir(exist_ok=True)
    link = dataset / where.rstrip("/")
    if where.endswith("/"):  # a whole issue folder
        (out / "_issue.yaml").write_text(edited(ISSUE, "The dam's flow", f"The {SECRET}"), encoding="utf-8")
        (out / "x.yaml").write_text(OUTSIDE_CLAIM, encoding="utf-8")
        link.symlink_to(out, target_is_directory=True)
        return link
    if where.endswith(".md"):
        target = out / "x.md"
        target.write_text(source_text("2024-03-02-evil", f"A {SECRET} body.\n"), encoding="utf-8")
    else:
        target = out / "x.yaml"
        text = {"actors.yaml": edited(ACTORS, "name: Lena Ortiz", f"name: {SECRET}"),
                "_issue.yaml": edited(ISSUE, "The dam's flow", f"The {SECRET}")}.get(link.name, OUTSIDE_CLAIM)
        target.write_text(text, encoding="utf-8")
    if link.exists():
        link.unlink()
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("where", ["claims/flow/evil.yaml", "claims/flow/_issue.yaml", "claims/evil/",
                                   "sources/evil.md", "claims/actors.yaml"])
def test_check_names_a_link_out_of_the_dataset_and_never_reads_it(tmp_path, dataset, where):
    link_out(dataset, tmp_path, where)
    before = tree_digest(dataset)
    done = run_in_process("check", "--format", "json", cwd=dataset)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    problems = json.loads(done.stdout)["problems"]
    mine = [p for p in problems if p["code"] == "symlink-outside"]
    assert [p["path"] for p in mine] == [where]
    assert mine[0]["line"] == 0 and "symlink leaves the dataset" in mine[0]["message"]
    assert SECRET not in done.stdout.decode("utf-8")
    assert tree_digest(dataset) == before


def test_the_text_form_of_check_prints_the_located_line(tmp_path, dataset):
    link_out(dataset, tmp_path, "claims/flow/evil.yaml")
    done = run_in_process("check", cwd=dataset)
    assert done.returncode == 1
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines == [f"claims/flow/evil.yaml:0: error: symlink leaves the dataset (it points to {tmp_path / 'outside' / 'x.yaml'}) "
                     "— replace the link with the file itself, or remove it"]


@pytest.mark.parametrize("where", ["claims/flow/evil.yaml", "claims/evil/", "sources/evil.md"])
def test_the_index_never_serves_a_link_out_of_the_dataset(tmp_path, dataset, where):
    link_out(dataset, tmp_path, where)
    listed = run_in_process("list", "--json", cwd=dataset)
    assert listed.returncode == 0, listed.stderr
    assert sorted(c["id"] for c in json.loads(listed.stdout)["claims"]) == sorted(CLAIMS)
    searched = run_in_process("search", SECRET, cwd=dataset)
    assert searched.returncode == 1, searched.stderr  # nothing found, as grep says it
    assert searched.stdout.decode("utf-8").startswith("No matches for")
    shown = run_in_process("show", "flow/evil", cwd=dataset)
    assert shown.returncode == 1
    assert_one_error_line(shown.stderr)


def test_edit_refuses_a_claim_that_links_out_of_the_dataset(tmp_path, dataset):
    link_out(dataset, tmp_path, "claims/flow/evil.yaml")
    env, mark = editor_that_records(tmp_path)
    before = tree_digest(dataset)
    done = run_in_process("edit", "flow/evil", cwd=dataset, env=env)
    assert done.returncode == 1
    assert "symlink leaves the dataset" in assert_one_error_line(done.stderr)
    assert not mark.exists()
    assert tree_digest(dataset) == before


def test_status_on_a_claim_that_links_out_changes_nothing(tmp_path, dataset):
    link = link_out(dataset, tmp_path, "claims/flow/evil.yaml")
    target = os.readlink(link)
    done = run_in_process("status", "flow/evil", "refuted", "--note", "n", cwd=dataset)
    assert done.returncode == 1
    assert_one_error_line(done.stderr)
    assert link.is_symlink() and os.readlink(link) == target
    assert Path(target).read_text(encoding="utf-8") == OUTSIDE_CLAIM


# ---------------------------------------------------------- symbolic links inside the dataset


def link_inside(dataset: Path) -> Path:
    link = dataset / "claims" / "flow" / "alias.yaml"
    link.symlink_to("up-denies-cut.yaml")
    return link


def test_a_link_inside_the_dataset_is_followed_when_reading(dataset):
    link_inside(dataset)
    checked = run_in_process("check", cwd=dataset)
    assert checked.returncode == 0, checked.stdout
    shown = run_in_process("show", "flow/alias", cwd=dataset)
    assert shown.returncode == 0, shown.stderr
    assert b"rejected the accusation" in shown.stdout


@pytest.mark.parametrize("args", [["status", "flow/alias", "refuted", "--note", "n"],
                                  ["link", "flow/alias", "supports", "flow/commission-gauges"]])
def test_a_write_through_a_link_is_refused_and_the_link_stays(dataset, args):
    link = link_inside(dataset)
    before = tree_digest(dataset)
    done = run_in_process(*args, cwd=dataset)
    assert done.returncode == 1
    assert "is a symbolic link" in assert_one_error_line(done.stderr)
    assert link.is_symlink() and os.readlink(link) == "up-denies-cut.yaml"
    assert tree_digest(dataset) == before


def test_edit_refuses_a_linked_claim_before_the_editor_opens(tmp_path, dataset):
    link_inside(dataset)
    env, mark = editor_that_records(tmp_path)
    before = tree_digest(dataset)
    done = run_in_process("edit", "flow/alias", cwd=dataset, env=env)
    assert done.returncode == 1
    assert "is a symbolic link" in assert_one_error_line(done.stderr)
    assert not mark.exists()
    assert tree_digest(dataset) == before


# --------------------------------------------------------------------- names that are not UTF-8


def bad_name(folder: Path, name: bytes) -> Path:
    """Create a file (or folder, name ending in b'/') whose name is `name`, or skip where the
    file system refuses names that are not UTF-8 (e.g. APFS)."""
    path = os.path.join(os.fsencode(folder), name.rstrip(b"/"))
    try:
        if name.endswith(b"/"):
            os.mkdir(path)
        else:
            with open(path, "wb") as fh:
                fh.write(b"statement: x\n")
    except OSError as exc:
        pytest.skip(f"this file system refuses names that are not UTF-8: {exc}")
    return Path(os.fsdecode(path))


@pytest.mark.parametrize("where,name,shown_as", [
    ("claims/flow", b"\xff.yaml", "claims/flow/\\xff.yaml"),
    ("claims", b"\xfe/", "claims/\\xfe/"),
    ("sources", b"caf\xe9.md", "sources/caf\\xe9.md"),
])
def test_a_name_that_is_not_utf8_is_a_located_error_and_the_rest_is_served(dataset, where, name, shown_as):
    made = bad_name(dataset / where, name)
    if made.is_dir():
        (made / "_issue.yaml").write_text("title: T\nquestion: Q?\n", encoding="utf-8")
    before = tree_digest(dataset)
    checked = run_in_process("check", cwd=dataset)
    assert checked.returncode == 1
    assert b"Traceback" not in checked.stderr
    assert checked.stdout.decode("utf-8").splitlines() == [
        f"{shown_as}:0: error: the {'folder' if made.is_dir() else 'file'} name is not UTF-8 — rename it "
        "(an id is lower-case letters, digits and hyphens)"]
    for args in (["issues"], ["show", "flow"], ["show", CLAIM], ["list"], ["search", "drought"], ["timeline", "flow"]):
        done = run_in_process(*args, cwd=dataset)
        assert done.returncode == 0, (args, done.stderr)
        assert done.stderr == b"", (args, done.stderr)
    assert tree_digest(dataset) == before


def test_add_works_beside_a_name_that_is_not_utf8(dataset):
    bad_name(dataset / "claims" / "flow", b"\xff.yaml")
    done = run_in_process("add", "--issue", "flow", "--by", "commission", "--kind", "statement", "--said-on", "2024-05-10",
                          "--statement", "The River Commission reported its gauge readings.",
                          "--cite", "2024-05-10-unknown-commission-report", "--quote", "its gauges showed the flow", cwd=dataset)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    written = [line.split()[1] for line in done.stdout.decode("utf-8").splitlines() if line.startswith("Wrote ")]
    assert len(written) == 1 and (dataset / written[0]).is_file()
    listed = run_in_process("list", "--json", cwd=dataset)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["claims"]) == len(CLAIMS) + 1


@pytest.mark.parametrize("arg,shown_as", [(os.fsdecode(b"\xff"), "\\xff"), (os.fsdecode(b"flow/\xed\xa0\x80"), "flow/\\xed\\xa0\\x80")])
def test_an_argument_that_is_not_utf8_is_refused_as_such(dataset, arg, shown_as):
    before = tree_digest(dataset)
    for args in (["show", arg], ["status", arg, "refuted", "--note", "n"], ["list", "--issue", arg]):
        done = run_claimtrack(*args, cwd=dataset)
        assert done.returncode == 2
        line = assert_one_error_line(done.stderr)
        assert line == f"claimtrack: error: argument {args.index(arg) + 1} ('{shown_as}') is not valid UTF-8 — give it in UTF-8 (ids are lower-case letters, digits and hyphens)"
    assert tree_digest(dataset) == before


def test_shown_escapes_what_is_not_utf8():
    from claimtrack.paths import shown

    assert shown("plain-name.yaml") == "plain-name.yaml"
    assert shown(os.fsdecode(b"a\xffb")) == "a\\xffb"
    assert shown("lone \ud800") == "lone \\ud800"

"""The guided `add` from a truly empty dataset (`claimtrack init`): the side, the actor and the
issue started inline; a surname or an alias names the actor; every answer kept in a draft when
the flow is cut short (the input ends, or Ctrl-C on a terminal) and `add --resume` goes on."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.edit.archive import SourceDraft, archive_source
from claimtrack.cli.app import app
from claimtrack.edit.init import init_dataset
from claimtrack.store import load_actors_text, load_claim_text, load_dataset
from conftest import copy_dataset, isolated, tree_digest

runner = CliRunner()

BODY = (
    "Flow dispute flares\n\n"
    "Downstream's spokesperson Lena Ortiz said on Saturday that Upstream had “deliberately cut the flow below the "
    "treaty minimum” at the new dam.\n"
    "Upstream's Water Ministry rejected the accusation as ‘baseless’, saying the drought alone explained the low water.\n"
)

# An accusation into an empty dataset: the actor, its side and the issue are started on the way.
ACCUSATION = [
    "1",                       # the one source (also the default)
    "Lena Ortiz", "", "",      # a new actor: name, kind (person), side: Enter starts a new one
    "Downstream Kingdom", "downstream", "",  # the side: name, id, colour (the palette's first)
    "",                        # the actor's id: lena-ortiz
    "The dam's flow", "flow", "Did Upstream cut the river's flow below the treaty minimum?",
    "1",                       # kind: accusation
    "Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum.",
    "",                        # the date: the source's
    "n", "'on Saturday', in an article of that date",
    "deliberately cut the flow below the treaty minimum",
    "remarks to reporters",    # how it was said
    "",                        # directly
    "y",                       # write it
]


def make_empty(root: Path) -> Path:
    root = init_dataset(root)
    archive_source(root, SourceDraft(body=BODY, title="Flow dispute flares", outlet="The River Daily", url="unknown",
                                     published="2024-03-02", retrieved="2024-03-03", author="unknown"), "river-daily")
    return root


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    return make_empty(tmp_path / "ds")


def guided(root: Path, answers: list[str], *options: str, code: int = 0):
    result = runner.invoke(app, ["add", "--root", str(root), "--interactive", *options], input="\n".join(answers) + "\n")
    assert result.exit_code == code, result.output
    return result


def test_an_accusation_into_an_empty_dataset_starts_the_side_actor_and_issue(empty):
    result = guided(empty, ACCUSATION)
    assert result.exit_code == 0, result.output
    ds, problems = load_dataset(empty)
    assert problems == []
    assert [(s.id, s.name) for s in ds.sides.values()] == [("downstream", "Downstream Kingdom")]
    assert [(a.id, a.side, a.kind) for a in ds.actors.values()] == [("lena-ortiz", "downstream", "person")]
    assert ds.issues["flow"].question == "Did Upstream cut the river's flow below the treaty minimum?"
    (claim,) = ds.claims.values()
    assert (claim.by, claim.kind, claim.said_on.value, claim.said_on.inferred) == ("lena-ortiz", "accusation", "2024-03-02", True)
    assert (claim.citations[0].quote, claim.citations[0].channel) == ("deliberately cut the flow below the treaty minimum", "remarks to reporters")
    assert not (empty / ".claimtrack" / "draft.json").exists()


def test_the_questions_come_in_reading_order(empty):
    result = guided(empty, ACCUSATION)
    out = result.stdout
    order = [out.index(q) for q in ("Source (", "The actor's name", "Title of the issue", "Kind (number", "Statement (", "When was it said?", "Quote (")]
    assert order == sorted(order)


def denial(root: Path, who: str, *extra: str):
    """A denial by an existing actor, rebutting the accusation (claim 1 in the issue)."""
    return guided(root, ["1", who, "", "2", "Upstream's Water Ministry rejected the accusation as baseless.", "", "y",
                         "rejected the accusation as 'baseless'", "", "", "1", "", *extra], "--name", "up-denies")


def accused(root: Path) -> str:
    """The accusation the fixture recorded: its name is the statement's words and a short hash."""
    [path] = (root / "claims" / "flow").glob("downstreams-spokesperson-upstream-deliberately-*.yaml")
    return f"flow/{path.stem}"


@pytest.fixture(scope="module")
def with_accusation_once(tmp_path_factory) -> Path:
    """The accusation recorded by a guided add, and the other side and its ministry added, once
    for the module."""
    empty = make_empty(tmp_path_factory.mktemp("guided") / "ds")
    with isolated(tmp_path_factory):
        assert guided(empty, ACCUSATION).exit_code == 0
        result = runner.invoke(app, ["side", "add", "upstream", "--name", "Upstream Republic", "--root", str(empty)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["actor", "add", "up-ministry", "--name", "Upstream Water Ministry", "--kind", "institution",
                                     "--side", "upstream", "--alias", "the Ministry of Water", "--root", str(empty)])
        assert result.exit_code == 0, result.output
    return empty


@pytest.fixture
def with_accusation(with_accusation_once, tmp_path) -> Path:
    """A copy of that dataset (its index included), the test's own."""
    return copy_dataset(with_accusation_once, tmp_path)


@pytest.mark.parametrize("who", ["up-ministry", "upstream water ministry", "the Ministry of Water", "Ministry"])
def test_the_actor_is_found_by_id_name_alias_or_last_word(with_accusation, who):
    result = denial(with_accusation, who, "y", "y")
    assert result.exit_code == 0, result.output
    claim, _ = load_claim_text("flow/up-denies", (with_accusation / "claims/flow/up-denies.yaml").read_text(encoding="utf-8"))
    assert claim.by == "up-ministry"


def test_the_denial_disputes_the_accusation_when_the_user_agrees(with_accusation):
    result = denial(with_accusation, "Ministry", "y", "y")
    assert result.exit_code == 0, result.output
    assert f"Also set the status: {accused(with_accusation)} becomes disputed?" in " ".join(result.stdout.split())
    ds, _ = load_dataset(with_accusation)
    accusation = ds.claims[accused(with_accusation)]
    assert (accusation.status, accusation.history[-1].note) == ("disputed", "flow/up-denies rebuts it.")


def test_declining_the_status_change_keeps_the_accusations_file(with_accusation):
    path = with_accusation / "claims" / f"{accused(with_accusation)}.yaml"
    before = path.read_bytes()
    result = denial(with_accusation, "Ministry", "n", "y")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert (with_accusation / "claims/flow/up-denies.yaml").is_file()


def test_input_that_ends_keeps_the_answers_and_resume_goes_on(empty):
    before = tree_digest(empty)
    cut = 12  # up to the kind
    result = guided(empty, ACCUSATION[:cut], code=1)
    assert result.exit_code == 1
    assert "your answers are kept in" in result.stderr and "'claimtrack add --resume'" in result.stderr
    assert tree_digest(empty) == before
    state = json.loads((empty / ".claimtrack" / "draft.json").read_text(encoding="utf-8"))
    assert state["issue"] == "flow" and state["new_actor"]["name"] == "Lena Ortiz"
    result = runner.invoke(app, ["add", "--root", str(empty), "--resume"], input="\n".join(ACCUSATION[cut:]) + "\n")
    assert result.exit_code == 0, result.output
    assert "The actor's name" not in result.stdout  # answered before: not asked again
    ds, problems = load_dataset(empty)
    assert problems == [] and len(ds.claims) == 1
    assert not (empty / ".claimtrack" / "draft.json").exists()


def test_resume_without_a_draft_says_so(empty):
    result = runner.invoke(app, ["add", "--root", str(empty), "--resume"])
    assert result.exit_code == 1
    assert "there is no interrupted claim to resume" in result.stderr


def test_a_dataset_without_a_source_says_to_archive_one_first(tmp_path):
    root = init_dataset(tmp_path / "ds")
    result = guided(root, ["1"], code=1)
    assert result.exit_code == 1
    assert "there is no source yet — archive the article first (claimtrack source add FILE)" in result.stderr
    assert not (root / ".claimtrack" / "draft.json").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_ctrl_c_on_a_terminal_keeps_the_answers_and_says_where(empty):
    """A real terminal (a pty): answers typed, then Ctrl-C at the next question."""
    import pty
    import select

    src = str(Path(__file__).resolve().parents[1] / "src")
    pid, fd = pty.fork()
    if pid == 0:  # the child: claimtrack on the terminal
        os.environ.update({"PYTHONPATH": src, "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"})
        os.execv(sys.executable, [sys.executable, "-m", "claimtrack", "add", "--root", str(empty)])
    out = b""

    def read_until(marker: bytes, again: bytes | None = None) -> None:
        """Read until `marker`; with `again`, send it again after each 2 s of silence (below)."""
        nonlocal out
        waited = 0.0
        while marker not in out:
            ready, _, _ = select.select([fd], [], [], 2 if again else 60)
            if not ready and again and waited < 60:
                waited += 2
                os.write(fd, again)
                continue
            assert ready, out.decode("utf-8", "replace")
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk

    read_until(b"Source (")
    os.write(fd, b"1\r")
    read_until(b"The actor's name")
    os.write(fd, b"Lena Ortiz\r")
    read_until(b"Kind (")
    os.write(fd, b"\x03")
    # A Ctrl-C that lands between Python's last look at its signals and the blocking read of the
    # prompt waits, unseen, for the next one (CPython's input()): as a person would, the test
    # presses it again after 2 s of silence. The one that is seen must keep the answers.
    read_until(b"draft.json", again=b"\x03")
    read_until(b"--resume")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = out.decode("utf-8", "replace")
    assert os.WEXITSTATUS(status) == 130, text
    assert "interrupted — nothing was written; your answers are kept in" in " ".join(text.split())
    state = json.loads((empty / ".claimtrack" / "draft.json").read_text(encoding="utf-8"))
    assert state["source"] == "river-daily" and state["parts"]["actor_name"] == "Lena Ortiz"  # an answer inside a question too
    actors, _ = load_actors_text((empty / "claims" / "actors.yaml").read_text(encoding="utf-8"))
    assert actors.actors == []


def test_a_new_add_offers_to_continue_an_interrupted_one(empty):
    assert guided(empty, ACCUSATION[:12], code=1).exit_code == 1
    result = guided(empty, ["y", *ACCUSATION[12:]])
    assert result.exit_code == 0, result.output
    assert "An interrupted claim is kept in" in result.stdout
    ds, problems = load_dataset(empty)
    assert problems == [] and len(ds.claims) == 1


def test_add_from_a_suggested_candidate_offers_its_fields_as_defaults(with_accusation):
    from claimtrack.suggest.in_dataset import suggestions

    ds, _ = load_dataset(with_accusation)
    (denial_candidate,) = [c for c in suggestions(ds, "river-daily") if c["verb"] == "rejected"]
    # Enter accepts each offer: who, the issue, the kind, the date, that it is inferred and why,
    # the quote, the channel, the chain; the statement is the person's own words.
    answers = ["" if denial_candidate["speaker"]["actor"] else "up-ministry", "", "",
               "Upstream's Water Ministry rejected the accusation as baseless.", "", "", "", "", "", "", "1", "", "y", "y"]
    result = runner.invoke(app, ["add", "--root", str(with_accusation), "--from", f"river-daily:{denial_candidate['number']}", "--name", "up-denies"],
                           input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    claim, problems = load_claim_text("flow/up-denies", (with_accusation / "claims/flow/up-denies.yaml").read_text(encoding="utf-8"))
    assert problems == []
    assert (claim.kind, claim.citations[0].quote) == (denial_candidate["kind"], denial_candidate["quote"])
    assert claim.targets("rebuts") == [accused(with_accusation)]


def test_add_from_a_candidate_that_is_not_there(with_accusation):
    result = runner.invoke(app, ["add", "--root", str(with_accusation), "--from", "river-daily:99"])
    assert result.exit_code == 1
    assert "river-daily has no candidate #99 — 'claimtrack suggest river-daily' lists them" in result.stderr

"""The guided flow of `claimtrack add`, driven with scripted answers (`--interactive` forces it on
without a terminal; on a terminal it starts by itself when no option is given)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.store import load_actors_text, load_claim_text, load_issue_text

runner = CliRunner()


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".claimtrack" not in p.parts}


def guided(root: Path, answers: list[str], *options: str, code: int = 0):
    result = runner.invoke(app, ["add", "--root", str(root), "--interactive", *options], input="\n".join(answers) + "\n")
    assert result.exit_code == code, result.output
    return result


# The questions come in the order a person reads an article: source, who, issue, kind,
# statement, date, quote, how it was said, through whom, links (src/claimtrack/cli/write.py).
# The fixture's claims in date order: 1 up-counter-canals (2024-03), 2 down-accuses-cut,
# 3 up-denies-cut (both 2024-03-02), 4 commission-gauges (2024-05-10).
SHORTFALL = [
    "commission",                 # source, by words of its id or title
    "Lena Ortiz",                 # who said it: by name
    "flow",                       # issue
    "10",                         # kind: statement
    "Downstream's spokesperson later said the shortfall was smaller than first feared.",
    "2024-05",                    # date (Enter would take the source's, 2024-05-10)
    "y",                          # the source states it
    "smaller than first feered",  # a typo: not in the source
    "1",                          # take the closest passage
    "",                           # how it was said: not said
    "",                           # through whom: directly
    "",                           # rebuts
    "supersedes 2",               # supersedes down-accuses-cut
    "y",                          # and so it becomes superseded
    "y",                          # write it
]
NAMED = ("--name", "down-smaller-shortfall")


def test_the_guided_flow_writes_the_claim(dataset):
    result = guided(dataset, SHORTFALL, *NAMED)
    assert result.exit_code == 0, result.output
    claim, problems = load_claim_text("flow/down-smaller-shortfall", (dataset / "claims/flow/down-smaller-shortfall.yaml").read_text())
    assert problems == []
    assert (claim.by, claim.kind, claim.said_on.value, claim.targets("supersedes")) == ("down-spokesman", "statement", "2024-05", ["flow/down-accuses-cut"])
    assert [(c.source, c.quote) for c in claim.citations] == [("2024-05-10-unknown-commission-report", "smaller than first feared")]


def test_a_quote_not_in_the_source_is_met_with_the_closest_passages(dataset):
    result = guided(dataset, SHORTFALL, *NAMED)
    assert "Not in the source. The closest passages:" in result.stdout
    assert '  1  "smaller than first feared"' in result.stdout


def test_the_claims_to_link_are_shown_by_statement(dataset):
    result = guided(dataset, SHORTFALL, *NAMED)
    assert "   2  2024-03-02 down-spokesman: Downstream's spokesperson said Upstream deliberately cut the flow" in result.stdout


def test_the_flow_ends_with_the_thread_and_the_path(dataset):
    result = guided(dataset, SHORTFALL, *NAMED)
    assert any("▶" in line and "down-smaller-shortfall" in line for line in result.stdout.splitlines())
    assert "Wrote claims/flow/down-smaller-shortfall.yaml" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].startswith("Also changed: flow/down-accuses-cut is now superseded (was disputed)")


def test_a_wrong_answer_is_explained_and_asked_again(dataset):
    answers = SHORTFALL[:1] + ["Lena Ortega"] + SHORTFALL[1:5] + ["2999"] + SHORTFALL[5:]
    result = guided(dataset, answers, *NAMED)
    assert result.exit_code == 0, result.output
    assert "unknown actor 'Lena Ortega' — did you mean 'down-spokesman'?" in result.stdout
    assert "said_on 2999 is in the future" in result.stdout


def test_declining_at_the_end_writes_nothing(dataset):
    before = digests(dataset)
    result = guided(dataset, SHORTFALL[:-1] + ["n"], *NAMED, code=1)
    assert result.exit_code == 1
    assert "Nothing was written." in result.stdout
    assert digests(dataset) == before


def test_input_that_ends_early_writes_nothing(dataset):
    before = digests(dataset)
    result = guided(dataset, SHORTFALL[:5], code=1)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("claimtrack: error: the input ended before the claim was complete — nothing was written; "
                                          "your answers are kept in " + str(dataset / ".claimtrack/draft.json") + ": 'claimtrack add --resume' goes on from there")
    assert digests(dataset) == before


def test_options_given_are_not_asked_again(dataset):
    result = guided(dataset, ["commission", "smaller than first feared", "", "", "", "supersedes 2", "y", "y"], "--name", "s",
                    "--issue", "flow", "--by", "down-spokesman", "--kind", "statement", "--said-on", "2024-05",
                    "--inferred", "the report's date", "--statement", "Downstream's spokesperson said the shortfall was smaller.")
    assert result.exit_code == 0, result.output
    assert "Who said it?" not in result.stdout and "Kind" not in result.stdout
    claim, _ = load_claim_text("flow/s", (dataset / "claims/flow/s.yaml").read_text())
    assert claim.targets("supports") == [] and claim.targets("supersedes") == ["flow/down-accuses-cut"] and claim.said_on.inferred


def test_a_new_issue_and_a_new_actor_can_be_started_in_the_flow(dataset):
    answers = [
        "2024-05-10-unknown-commission-report",
        "new", "Tomas Berg", "", "3", "",  # a new actor: name, kind (person), side (mediator), id
        "new", "Who pays for the gauges", "", "Should Upstream pay for the commission's gauges?",
        "statement", "The commission's spokesman said its gauges showed 92 percent of the minimum.", "2024-05-10", "y",
        "its gauges showed the flow at 92 percent", "", "",
        "y",
    ]
    result = guided(dataset, answers)
    assert result.exit_code == 0, result.output
    issue, problems = load_issue_text("pays-gauges", (dataset / "claims/pays-gauges/_issue.yaml").read_text())
    assert problems == [] and issue.question == "Should Upstream pay for the commission's gauges?"
    actors, _ = load_actors_text((dataset / "claims/actors.yaml").read_text())
    assert [(a.id, a.side, a.kind) for a in actors.actors][-1] == ("tomas-berg", "mediator", "person")
    assert (dataset / "claims/actors.yaml").read_text().startswith("sides:\n  - id: upstream\n")
    (claim_file,) = (dataset / "claims/pays-gauges").glob("commissions-*.yaml")
    claim, problems = load_claim_text(f"pays-gauges/{claim_file.stem}", claim_file.read_text())
    assert problems == [] and claim.by == "tomas-berg"

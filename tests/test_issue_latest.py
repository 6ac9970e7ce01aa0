"""`claimtrack issues` gives each issue's latest date. Two claims can be said on dates that sort
alike and read differently ("2024-03-02", and "../2024-03-02": on that day or before): the latest
is then the more precise text, "2024-03-02", whichever claim the index reads first (SQLite's
index reads them in file order, a team's PostgreSQL index in its own)."""

from __future__ import annotations

import json

import pytest

from conftest import run_in_process, write_dataset

QUOTE = "deliberately cut the flow below the treaty minimum"


def claim(said_on: str) -> str:
    return (f"statement: The dam was closed.\nkind: accusation\nby: down-spokesman\nsaid_on: {said_on}\nstatus: asserted\n"
            f"citations:\n  - source: 2024-03-02-daily-river-flow-dispute\n    quote: \"{QUOTE}\"\n")


@pytest.mark.parametrize("first, second", [("../2024-03-02", "2024-03-02"), ("2024-03-02", "../2024-03-02")])
def test_the_latest_of_two_dates_that_sort_alike_is_the_more_precise_whichever_is_read_first(tmp_path, first, second):
    root = write_dataset(tmp_path, claims={"flow/a-first": claim(first), "flow/b-second": claim(second)})

    result = run_in_process("issues", "--json", cwd=root)

    assert result.returncode == 0, result.stderr
    (flow,) = [i for i in json.loads(result.stdout)["issues"] if i["id"] == "flow"]
    assert flow["latest"] == "2024-03-02"

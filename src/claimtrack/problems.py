"""Problems are values, not exceptions: bad data is reported with its place, never raised.

Exceptions are kept for misuse and for situations the user must act on before anything can run:

    ClaimtrackError
    ├── DatasetNotFound     no claims/ + sources/ above the current folder
    ├── UnknownId           an issue, claim, actor or source id that is not in the dataset
    └── WriteRefused        a write whose result would not check clean (carries the problems)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    code: str
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


def error(path: str, line: int, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, "error")


def warning(path: str, line: int, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, "warning")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.code, p.message))


def problems_json(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    return json.dumps(
        {
            "problems": [p.to_dict() for p in problems],
            "errors": errors,
            "warnings": len(problems) - errors,
        },
        ensure_ascii=False,
        indent=2,
    )


class ClaimtrackError(Exception):
    """Base of the errors the CLI turns into a one-line message and an exit code."""


class DatasetNotFound(ClaimtrackError):
    pass


class UnknownId(ClaimtrackError):
    def __init__(self, kind: str, wanted: str, suggestions: list[str]):
        self.kind, self.wanted, self.suggestions = kind, wanted, suggestions
        hint = f" — did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no {kind} '{wanted}'{hint}")


class WriteRefused(ClaimtrackError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0].format() if problems else "invalid result"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")

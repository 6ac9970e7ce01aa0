"""Shared fixtures: a small, valid dataset written into tmp_path, and an isolated environment.

The fixture dataset is fictional on purpose (two riparian states and a mediator) so that tests
never depend on the shipped dataset's wording; `write_dataset` takes overrides for bad variants.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import textwrap
from pathlib import Path

import pytest

ACTORS = """\
sides:
  - id: upstream
    name: Upstream Republic
    colour: "#1f77b4"
  - id: downstream
    name: Downstream Kingdom
    colour: "#d62728"
  - id: mediator
    name: River Commission
    colour: "#7f7f7f"
actors:
  - id: up-ministry
    name: Upstream Water Ministry
    side: upstream
    role: ministry
    aliases: [the Water Ministry]
  - id: down-spokesman
    name: Lena Ortiz
    side: downstream
    role: government spokesperson
    aliases: [Lena Ortis]
  - id: commission
    name: River Commission secretariat
    side: mediator
"""

ISSUE = """\
title: The dam's flow
question: Did Upstream cut the river's flow below the treaty minimum?
summary: Downstream says the flow was cut; Upstream denies it and blames the drought.
"""

SOURCE_BODIES = {
    "2024-03-02-daily-river-flow-dispute": (
        "Flow dispute flares\n\n"
        "Downstream's spokesperson Lena Ortiz said on Saturday that Upstream had “deliberately cut the flow "
        "below the treaty minimum” at the new dam.\n"
        "Upstream's Water Ministry rejected the accusation as ‘baseless’, saying the drought alone "
        "explained the low water.\n"
        "The ministry added that Downstream had itself diverted water for its new canals.\n"
    ),
    "2024-05-10-unknown-commission-report": (
        "The River Commission said its gauges showed the flow at 92 percent of the treaty minimum in March.\n"
        "Downstream's spokesperson later said the shortfall was “smaller than first feared” — a change from her earlier account.\n"
    ),
}


def source_text(source_id: str, body: str, title: str = "A report", outlet: str = "Daily River") -> str:
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return f"---\ntitle: {title}\noutlet: {outlet}\nurl: unknown\npublished: {source_id[:10]}\nretrieved: 2024-06-01\nauthor: unknown\nsha256: {digest}\n---\n{body}"


CLAIMS = {
    "flow/down-accuses-cut": """\
        statement: Downstream's spokesperson said Upstream deliberately cut the flow below the treaty minimum.
        kind: accusation
        by: down-spokesman
        said_on: 2024-03-02
        status: disputed
        history:
          - on: 2024-03-02
            status: disputed
            note: Upstream's Water Ministry rejected it the same day.
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: "deliberately cut the flow below the treaty minimum"
        """,
    "flow/up-denies-cut": """\
        statement: Upstream's Water Ministry rejected the accusation as baseless and blamed the drought.
        kind: denial
        by: up-ministry
        said_on: 2024-03-02
        status: asserted
        rebuts: [flow/down-accuses-cut]
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: "rejected the accusation as ‘baseless’"
        """,
    "flow/up-counter-canals": """\
        statement: Upstream's Water Ministry said Downstream had itself diverted water for its new canals.
        kind: counter-accusation
        by: up-ministry
        said_on: 2024-03
        status: asserted
        rebuts: [flow/down-accuses-cut]
        citations:
          - source: 2024-03-02-daily-river-flow-dispute
            quote: Downstream had itself diverted water for its new canals
        """,
    "flow/commission-gauges": """\
        statement: The River Commission said its gauges showed the flow at 92 percent of the treaty minimum in March.
        kind: statement
        by: commission
        said_on: {value: 2024-05-10, inferred: true, note: "the report's date"}
        status: asserted
        supports: [flow/down-accuses-cut]
        citations:
          - source: 2024-05-10-unknown-commission-report
            quote: its gauges showed the flow at 92 percent of the treaty minimum
        """,
}


def write_dataset(root: Path, claims: dict[str, str] | None = None, actors: str = ACTORS,
                  issues: dict[str, str] | None = None, sources: dict[str, str] | None = None) -> Path:
    """Write the fixture dataset (or a variant of it) under `root` and return `root`."""
    (root / "claims").mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "claims" / "actors.yaml").write_text(actors, encoding="utf-8")
    for issue_id, text in (issues if issues is not None else {"flow": ISSUE}).items():
        (root / "claims" / issue_id).mkdir(exist_ok=True)
        (root / "claims" / issue_id / "_issue.yaml").write_text(text, encoding="utf-8")
    bodies = sources if sources is not None else SOURCE_BODIES
    for source_id, body in bodies.items():
        (root / "sources" / f"{source_id}.md").write_text(source_text(source_id, body), encoding="utf-8")
    for claim_id, text in (claims if claims is not None else CLAIMS).items():
        issue, name = claim_id.split("/")
        (root / "claims" / issue).mkdir(exist_ok=True)
        (root / "claims" / issue / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _each_app_built_once() -> None:
    """typer's CliRunner makes the app's click command (typer.main.get_command: every command's
    signature read, its click parameters made) again on every `invoke`: about 30 ms of CPU, most
    of an in-process test's time, some 700 times a run (a fifth of the suite's CPU). The command
    is made from the app's registered commands alone, which no test changes, so it is made once
    per app in each test process and reused: click makes a fresh Context for every invocation,
    and the entry point (cli.app.command_line) is tested on its own, as before. A change to the
    app's commands or groups makes it again."""
    import typer.main
    import typer.testing

    made: dict[int, tuple] = {}

    def get_command(typer_app):
        key = (tuple(typer_app.registered_commands), tuple(typer_app.registered_groups), typer_app.registered_callback)
        known = made.get(id(typer_app))
        if known is None or known[0] is not typer_app or known[1] != key:
            known = made[id(typer_app)] = (typer_app, key, typer.main.get_command(typer_app))
        return known[2]

    if getattr(typer.testing, "_get_command", None) is typer.main.get_command:  # typer's CliRunner as it is written
        typer.testing._get_command = get_command


_each_app_built_once()


def pytest_collection_modifyitems(items):
    """The tests marked slow (seconds each: the benchmark's smoke run, eight processes at once)
    go first, each worker taking them before the quick ones, so no worker starts one near the
    end while the other has finished (a stable sort: the rest keep their order)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# The real user cache, read before any test changes XDG_CACHE_HOME: where .ci/argdown.sh installs
# the Argdown CLI that the interchange test and the benchmark's peer use.
REAL_CACHE_HOME = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"))


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the developer's dataset, colours or terminal width, and none shares a home,
    cache or temporary folder with another (tests run in parallel workers): HOME, the XDG folders
    and TMPDIR are the test's own (beside tmp_path, which stays the test's alone), for claimtrack in-process and in every process
    a test starts."""
    isolate(monkeypatch, tmp_path_factory)


@contextlib.contextmanager
def isolated(tmp_path_factory):
    """isolated_env's settings for a module-scoped fixture, which is made before any test's own
    isolated_env: `with isolated(tmp_path_factory): ...` while it builds what its tests share."""
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp_path_factory)
        yield


def copy_dataset(built: Path, tmp_path: Path) -> Path:
    """A test's own copy (tmp_path/ds) of a dataset a module-scoped fixture built once, its index
    included: copytree keeps the files' sizes and times, so the copy's index is fresh and its
    first read finds nothing to do, as in the folder it was built in."""
    return shutil.copytree(built, tmp_path / "ds", symlinks=True)


def isolate(monkeypatch, tmp_path_factory) -> None:
    env = tmp_path_factory.mktemp("env")
    for name, sub in (("HOME", "home"), ("XDG_CACHE_HOME", "home/.cache"), ("XDG_CONFIG_HOME", "home/.config"),
                      ("XDG_DATA_HOME", "home/.local/share"), ("XDG_STATE_HOME", "home/.local/state"), ("TMPDIR", "tmp")):
        folder = env / sub
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.delenv("CLAIMTRACK_ROOT", raising=False)
    monkeypatch.delenv("CLAIMTRACK_DATABASE", raising=False)
    # The processes a test starts keep the bytecode they compile (as the benchmark's do): with
    # PYTHONDONTWRITEBYTECODE, which this machine's environment sets, each would compile
    # claimtrack's modules from src/ again (40 to 60 ms a process, some 250 processes a run).
    # A test that must not write it (a file-size limit) sets it again for its own process.
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "ds")


@pytest.fixture(scope="module")
def built_dataset(tmp_path_factory) -> Path:
    """The fixture dataset with its index, built once for a module. A module whose tests need the
    dataset but not its first build gives each test a copy of this one instead (its own `dataset`:
    copy_dataset(built_dataset, tmp_path)), which saves a build (~10 ms of CPU) per test."""
    from claimtrack.index.refresh import refresh_index

    with isolated(tmp_path_factory):
        root = write_dataset(tmp_path_factory.mktemp("built") / "ds")
        refresh_index(root)
    return root


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root` except the derived index: 'nothing on disk changed' is
    `tree_digest(root) == before`."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".claimtrack" not in p.relative_to(root).parts}


def edited(text: str, old: str, new: str, count: int = -1) -> str:
    """`text.replace(old, new, count)` for building a variant of a fixture, failing loudly when
    `old` is not in `text` (a silent miss leaves the fixture as it was, and a test that asserts
    a problem is absent, or that an edit is seen, would pass without testing anything)."""
    assert old in text, f"{old!r} is not in the text being edited:\n{text}"
    return text.replace(old, new, count)


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a fixture file, failing loudly when `old` is not in it exactly once (a silent miss
    would let a test that asserts a problem is absent pass vacuously)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


UPDATE_SNAPSHOTS = os.environ.get("CLAIMTRACK_UPDATE_SNAPSHOTS") == "1"


def assert_golden(path: Path, text: str) -> None:
    """`text` is byte for byte the golden file at `path` (no newline translation, so a stray
    carriage return shows). With CLAIMTRACK_UPDATE_SNAPSHOTS=1 the file is re-recorded instead,
    to be read by eye in the diff; a golden file that does not exist yet is written and the
    test fails, so that nothing is kept unread."""
    if UPDATE_SNAPSHOTS or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if not UPDATE_SNAPSHOTS:
            pytest.fail(f"new golden file {path} written: read it, then run again")
    assert text == path.read_bytes().decode("utf-8"), f"{path} differs; re-record with CLAIMTRACK_UPDATE_SNAPSHOTS=1"


def run_claimtrack(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                   input: bytes | None = None, timeout: float = 120):
    """Run claimtrack as a real process (`python -m claimtrack`), for what CliRunner cannot show:
    tracebacks, signals, real stdout/stderr file descriptors, a fresh process's state. Returns the
    CompletedProcess. Each costs the program's start-up: where the process is not the point,
    run_in_process gives the same three things without it."""
    import subprocess
    import sys

    src = str(Path(__file__).resolve().parents[1] / "src")
    full_env = {**os.environ, "PYTHONPATH": src, "NO_COLOR": "1", "COLUMNS": "120"}
    full_env.pop("CLAIMTRACK_ROOT", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], cwd=cwd, env=full_env, input=input,
                          capture_output=True, timeout=timeout)


def run_in_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: bytes | None = None):
    """Run the `claimtrack` program in this process, through the same entry point as the real one
    (`claimtrack.cli.main.main`: the check of the arguments' encoding, errors as one line, the exit
    status), with sys.argv, the working folder, the environment and the standard streams its own
    for the call; returns a CompletedProcess, as run_claimtrack does. For a test of what a command
    prints, says and writes, where a process of its own (~0.4 s of start-up each) adds nothing;
    run_claimtrack stays for what only a process shows (signals, file descriptors, the guard on a
    real stdout, which a buffer here does not go through, locks, other users, a fresh process).
    An exception that escapes `main` is written to stderr as its traceback, as Python would, so
    "no traceback" is still asserted by reading stderr."""
    import subprocess
    import sys
    import traceback

    from click.testing import CliRunner

    from claimtrack.cli.main import main

    old_argv, old_cwd = sys.argv, os.getcwd()
    with CliRunner().isolation(input=input, env=env) as (out, err, _):
        sys.argv = ["claimtrack", *args]
        try:
            if cwd is not None:
                os.chdir(cwd)
            main()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        except BaseException:  # noqa: B036 (what Python does with an exception nobody caught)
            traceback.print_exc()
            code = 1
        finally:
            sys.argv = old_argv
            os.chdir(old_cwd)
        sys.stdout.flush()
        sys.stderr.flush()
        return subprocess.CompletedProcess(["claimtrack", *args], code, out.getvalue(), err.getvalue())


def assert_one_error_line(stderr: str | bytes) -> str:
    """The CLI's promise on failure: exactly one line on stderr, starting 'claimtrack: error:' or a
    located 'path:line: error:', and never a Python traceback. Returns the line."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "error:" in lines[0], text
    return lines[0]

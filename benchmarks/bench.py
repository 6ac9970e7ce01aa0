"""claimtrack's benchmark: whole commands on synthetic datasets, each beside the floor it is held against.

    python benchmarks/bench.py --sizes 1000,10000,100000 [--json FILE] [--repeat 5] [--root-dir DIR]

For each size it generates a dataset once (benchmarks/generate.py; kept in --root-dir and reused
while the generator and seed are the same), then measures the median of several runs of each
operation as a whole process, with its peak memory, and in the same run the floor it is held
against (see OPERATIONS and benchmarks/floors.py). It prints a Markdown table and, with --json,
writes one record per (size, operation):

    {"size", "operation", "median_s", "floor_s", "ratio", "peak_mib", "floor", "target", "ok", ...}

`ok` is true when the operation meets its target, false when it does not, and null when it has
no target or could not run (a command that does not exist yet is reported as missing and
skipped). Peak memory is measured as benchmarks/runner.py says: the process's own peak RSS, or
the sum of the peaks of its process tree when that is larger (pool workers count; pages shared
after fork count in each, so it errs high).

`build` is also timed beside its peer, `argdown json` of the same graph (generate.py writes it as
peer.argdown: statements, tags, rebuttal attacks; Argdown has no citations), run in turn with the
build, pair by pair: the record's `peer_s`, `peer_peak_mib`, `peer_ratio` (the median of the
pairwise ratios) and `peer_ok` (ratio ≤ PEER_TARGET). The Argdown CLI is the one .ci/argdown.sh
installs (~/.cache/claimtrack-ci/argdown), else it is installed with npm into --root-dir/argdown;
without npm the peer is reported missing. Beside it, `native_floor` (floors.py native): the build's
compiled parts alone (read, hash, yaml-rs, pydantic-core validation, the bulk insert) and
`two_core_bound_s`, the least a two-core build could take doing only that, the insert in one
process: max(insert, all / 2), with `bound_vs_argdown`.

The speed targets are checked here, never by timed tests; tests keep a smoke run at N=200.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402

STUB = HERE / "stub_cli.py"
FLOORS = HERE / "floors.py"
MEMORY_TARGET_MIB = 1024  # peak memory at 100k under 1 GiB
MEMORY_TARGET_FROM = 100_000

REFRESH_SCRIPT = (
    "import json, sys, time\n"
    "t0 = time.perf_counter()\n"
    "from pathlib import Path\n"
    "from claimtrack.index.refresh import refresh_index\n"
    "r = refresh_index(Path(sys.argv[1]))\n"
    "print(json.dumps({'seconds': time.perf_counter() - t0, 'parsed': len(r.parsed), 'rebuilt': r.rebuilt}))\n"
)

# Time to the browser's first screen, as a whole process: imports, the index check, the app drawn
# once (headless), then exit. With no dataset, the floor: an empty Textual app drawn once.
BROWSE_SCRIPT = (
    "import sys\n"
    "from textual.app import App\n"
    "async def first_screen(pilot):\n"
    "    await pilot.pause()\n"
    "    pilot.app.exit()\n"
    "if len(sys.argv) > 1:\n"
    "    from pathlib import Path\n"
    "    from claimtrack.index.refresh import connect, refresh_index\n"
    "    from claimtrack.browse.app import BrowserApp\n"
    "    refresh_index(Path(sys.argv[1]))\n"
    "    app = BrowserApp(connect(Path(sys.argv[1])), sys.argv[2])\n"
    "else:\n"
    "    app = App()\n"
    "app.run(headless=True, size=(80, 24), auto_pilot=first_screen)\n"
)

SPEC_SCRIPT = (
    "import json, runpy, sys, typer.main\n"
    "app = runpy.run_path(sys.argv[1])['app'] if sys.argv[1].endswith('.py') else __import__('claimtrack.cli.app', fromlist=['app']).app\n"
    "def walk(cmd, prefix=''):\n"
    "    out = {}\n"
    "    for name, sub in getattr(cmd, 'commands', {}).items():\n"
    "        key = (prefix + ' ' + name).strip()\n"
    "        out[key] = sorted(o for p in sub.params for o in (p.opts if p.param_type_name == 'option' else [p.name.upper()]))\n"
    "        out.update(walk(sub, key))\n"
    "    return out\n"
    "print(json.dumps(walk(typer.main.get_command(app))))\n"
)


# ------------------------------------------------------------------------------------- the peer

ARGDOWN_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimtrack-ci" / "argdown"
PEER_TARGET = 1.0  # build at most as long as `argdown json` of the same graph (the issue's target)


def find_argdown(root_dir: Path, log: Callable[[str], None]) -> tuple[list[str] | None, str]:
    """The Argdown CLI (@argdown/cli) to time beside `build`: the one .ci/argdown.sh installs, else
    one installed with npm into the benchmark's root; (None, why) without npm."""
    for folder in (ARGDOWN_CACHE, root_dir / "argdown"):
        exe = folder / "node_modules" / ".bin" / "argdown"
        if exe.exists():
            return [str(exe)], str(folder)
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        return None, "npm or node is missing: the Argdown peer is not measured"
    folder = root_dir / "argdown"
    folder.mkdir(parents=True, exist_ok=True)
    log(f"installing @argdown/cli into {folder} ...")
    r = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error", "@argdown/cli"],
                       capture_output=True, text=True)
    exe = folder / "node_modules" / ".bin" / "argdown"
    if r.returncode != 0 or not exe.exists():
        return None, f"npm install @argdown/cli failed: {r.stderr.strip()[-300:]}"
    return [str(exe)], str(folder)


# ------------------------------------------------------------------------------- running processes


@contextlib.contextmanager
def one_claim_changing(path: Path):
    """A function that changes one claim file (its statement edited, then put back, in turn) for
    the refresh-one rows; the file is restored afterwards. Refuses a claim whose statement the
    edit would not change: a refresh of an unchanged file would measure nothing."""
    original = path.read_text(encoding="utf-8")
    edited = original.replace('statement: "The ', 'statement: "Edited: The ', 1)
    if edited == original:
        raise RuntimeError(f"{path}: no 'statement: \"The ' to edit, so refresh-one would change nothing")
    state = {"n": 0}

    def change_one() -> None:
        state["n"] += 1
        path.write_text(edited if state["n"] % 2 else original, encoding="utf-8")

    try:
        yield change_one
    finally:
        if path.read_text(encoding="utf-8") != original:
            path.write_text(original, encoding="utf-8")


@dataclass
class Run:
    seconds: float
    peak_mib: float
    code: int
    stdout: str
    stderr: str
    cpu_s: float = 0.0  # user + system, the children it waited for included: less moved by the load than wall time


class Runner:
    """Runs whole processes through benchmarks/runner.py, a small process started once (see there
    why: a child's peak memory would otherwise include this process's)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(HERE / "runner.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)

    def __call__(self, argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
        self.proc.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd) if cwd else None, "env": env}) + "\n")
        self.proc.stdin.flush()
        res = json.loads(self.proc.stdout.readline())
        return Run(res["seconds"], res["peak_mib"], res["code"], res["stdout"], res["stderr"], res.get("cpu_s", 0.0))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


# ------------------------------------------------------------------------------------ operations


@dataclass
class Op:
    name: str
    what: str  # what is measured, for the docs and the table
    floor_name: str
    target: str  # "ratio<=X", "abs<X" or ""
    slow: bool = False
    needs: str | None = None  # a CLI command that must exist


OPERATIONS = [
    Op("build", "full index build from nothing (refresh_index, whole process)", "parse all files with yaml.CSafeLoader", "ratio<=2", slow=True),
    Op("help", "claimtrack --help", "stub typer app --help", "ratio<=1.2"),
    Op("refresh-noop", "refresh with nothing changed (refresh_index, whole process)", "stat every file + read the stamps", "abs<1"),
    Op("show-issue", "claimtrack show ISSUE (~200 claims), warm", "stub app, same arguments", "abs<0.25", needs="show"),
    Op("show-claim", "claimtrack show CLAIM, warm", "stub app, same arguments", "abs<0.3", needs="show"),
    Op("search-common", "claimtrack search COMMON_WORD, warm", "stub app, same arguments", "abs<0.3", needs="search"),
    Op("search-rare", "claimtrack search RARE_WORD, warm", "stub app, same arguments", "abs<0.3", needs="search"),
    Op("list", "claimtrack list --issue ISSUE, warm", "stub app, same arguments", "abs<0.3", needs="list"),
    Op("timeline", "claimtrack timeline ISSUE, warm", "stub app, same arguments", "abs<0.3", needs="timeline"),
    Op("brief", "claimtrack brief ISSUE (Markdown to stdout), warm", "stub app, same arguments", "", needs="brief"),
    Op("browse", "claimtrack browse ISSUE: time to first screen (headless, 80x24), warm", "a bare Textual app's first screen", "abs<1", needs="browse"),
    Op("refresh-one", "refresh after one claim changed (refresh_index, whole process)", "stat every file + read the stamps", "abs<0.3"),
    Op("check", "claimtrack check", "parse + sha256 + normalised quote search", "ratio<=3", slow=True),
]
# The same reads, browse's first screen, and refresh-one, while `claimtrack watch` runs: no stat walk,
# a cookie round trip; refresh-one+watch is the change seen and applied by the watcher (it refreshes
# only the paths its events name) and a process that then trusts the index. Their floor stays the one
# without the watcher; their target is 0.3 s, browse's stays its own.
WATCHED = ["show-issue", "show-claim", "search-common", "search-rare", "list", "timeline", "browse", "refresh-one"]
WATCHED_TARGET = {"browse": "abs<1"}
_BY_NAME = {op.name: op for op in OPERATIONS}
OPERATIONS[-1:-1] = [Op(f"{name}+watch", _BY_NAME[name].what + ", with claimtrack watch running", _BY_NAME[name].floor_name,
                        WATCHED_TARGET.get(name, "abs<0.3"), needs="watch") for name in WATCHED]  # before check: the order they run in
OP_NAMES = [op.name for op in OPERATIONS]


def judge(target: str, median: float | None, floor: float | None) -> bool | None:
    if not target or median is None:
        return None
    kind, value = target.split("<=") if "<=" in target else target.split("<")
    if kind == "ratio":
        return None if not floor else median / floor <= float(value)
    return median < float(value)


# ---------------------------------------------------------------------------------- the bench


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.claimtrack = self._claimtrack_argv(args.claimtrack)
        # PYTHONDONTWRITEBYTECODE would make every run compile claimtrack's modules again (the
        # stub's typer is compiled at install): an installed claimtrack runs from its bytecode.
        self.env = {k: v for k, v in os.environ.items() if k not in ("CLAIMTRACK_ROOT", "PYTHONDONTWRITEBYTECODE")}
        self.env.update({"NO_COLOR": "1", "COLUMNS": "120"})
        self.records: list[dict] = []
        self.failed_runs: list[str] = []
        self._commands: set[str] | None = None
        self.run = Runner()
        self.argdown, self.argdown_why = find_argdown(Path(args.root_dir), self.log)
        self.log(f"peer: argdown from {self.argdown_why}" if self.argdown else f"peer: {self.argdown_why}")

    @staticmethod
    def _claimtrack_argv(given: str | None) -> list[str]:
        if given:
            return shlex.split(given)
        script = Path(sys.executable).parent / "claimtrack"
        return [str(script)] if script.exists() else [sys.executable, "-m", "claimtrack"]

    def log(self, msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    # -- helpers

    def commands(self) -> set[str]:
        """claimtrack's command names; raises when the app cannot even be loaded."""
        if self._commands is None:
            specs = command_specs(None)
            if specs is None:
                raise RuntimeError("cannot load claimtrack's commands (python -c 'import claimtrack.cli.app' fails)")
            self._commands = set(specs)
        return self._commands

    def python(self, *argv: str, cwd: Path | None = None) -> Run:
        return self.run([sys.executable, *argv], cwd=cwd, env=self.env)

    def cli(self, *argv: str, cwd: Path | None = None) -> Run:
        return self.run([*self.claimtrack, *argv], cwd=cwd, env=self.env)

    def stub(self, *argv: str, cwd: Path | None = None) -> Run:
        return self.run([sys.executable, str(STUB), *argv], cwd=cwd, env=self.env)

    def floor_script(self, name: str, root: Path) -> Run:
        return self.python(str(FLOORS), name, str(root))

    def refresh(self, root: Path) -> Run:
        return self.python("-c", REFRESH_SCRIPT, str(root))

    def repeats(self, op: Op, size: int) -> int:
        if op.slow:
            return self.args.slow_repeat or (min(self.args.repeat, 3) if size <= 10_000 else 1)
        return self.args.repeat

    # -- one operation

    def measure(self, size: int, op: Op, body: Callable[[], Run], floor: Callable[[], Run] | None,
                before: Callable[[], None] | None = None, floor_from_output: bool = False,
                peer: Callable[[], Run] | None = None, **extra) -> dict:
        rec = {"size": size, "operation": op.name, "what": op.what, "floor": op.floor_name, "target": op.target,
               "median_s": None, "floor_s": None, "ratio": None, "peak_mib": None, "floor_peak_mib": None, "ok": None,
               "missing": False, "error": None, "runs_s": [], "floor_runs_s": [], "peer_runs_s": []}
        rec.update(extra)
        try:
            known = self.commands() if op.needs else set()
        except RuntimeError as exc:
            known, rec["error"] = set(), str(exc)
            self.failed_runs.append(f"n={size} {op.name}: {exc}")
            self.records.append(rec)
            return rec
        if op.needs and op.needs not in known:
            rec["missing"] = True
            rec["error"] = f"'claimtrack {op.needs}' does not exist yet"
            self.log(f"  {op.name:<14} missing: {rec['error']}")
            self.records.append(rec)
            return rec
        peaks, floor_peaks, peer_peaks, pair_ratios = [], [], [], []
        for _ in range(self.repeats(op, size)):
            p = peer() if peer is not None else None
            if p is not None and p.code != 0:
                rec["peer_error"] = f"argdown exited {p.code}: {(p.stderr.strip() or p.stdout.strip())[-300:]}"
                p = None
            if floor is not None:
                f = floor()
                if f.code != 0:
                    rec["error"] = f"floor exited {f.code}: {f.stderr.strip()[-300:]}"
                    break
                secs = json.loads(f.stdout.strip().splitlines()[-1])["seconds"] if floor_from_output else f.seconds
                rec["floor_runs_s"].append(round(secs, 4))
                rec.setdefault("floor_cpu_runs_s", []).append(round(f.cpu_s, 4))
                floor_peaks.append(f.peak_mib)
            if before:
                before()
            r = body()
            if r.code != 0:
                rec["error"] = f"exited {r.code}: {(r.stderr.strip() or r.stdout.strip())[-400:]}"
                self.failed_runs.append(f"n={size} {op.name}: {rec['error']}")
                break
            rec["runs_s"].append(round(r.seconds, 4))
            rec.setdefault("cpu_runs_s", []).append(round(r.cpu_s, 4))
            peaks.append(r.peak_mib)
            if p is not None:  # the peer ran just before, in the same pair
                rec["peer_runs_s"].append(round(p.seconds, 4))
                peer_peaks.append(p.peak_mib)
                pair_ratios.append(r.seconds / p.seconds)
            if "inner" in extra:  # in-process seconds printed by the refresh script
                rec["inner_s"] = rec.get("inner_s", []) + [round(json.loads(r.stdout.strip().splitlines()[-1])["seconds"], 4)]
        rec["load"] = round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None  # beside every figure
        if rec["runs_s"]:
            rec["median_s"] = round(statistics.median(rec["runs_s"]), 4)
            rec["min_s"] = round(min(rec["runs_s"]), 4)
            rec["cpu_s"] = round(statistics.median(rec["cpu_runs_s"]), 4)
            rec["peak_mib"] = round(max(peaks), 1)
        if rec["floor_runs_s"]:
            rec["floor_s"] = round(statistics.median(rec["floor_runs_s"]), 4)
            rec["floor_peak_mib"] = round(max(floor_peaks), 1)
            rec["floor_cpu_s"] = round(statistics.median(rec["floor_cpu_runs_s"]), 4)
        if rec["median_s"] is not None and rec["floor_s"]:
            rec["ratio"] = round(rec["median_s"] / rec["floor_s"], 2)
        if pair_ratios:
            rec["peer_s"] = round(statistics.median(rec["peer_runs_s"]), 4)
            rec["peer_peak_mib"] = round(max(peer_peaks), 1)
            rec["peer_ratio"] = round(statistics.median(pair_ratios), 2)  # pair by pair, as the machine drifts
            rec["peer_ok"] = rec["peer_ratio"] <= PEER_TARGET
            if size >= MEMORY_TARGET_FROM and rec["peak_mib"] is not None:
                rec["peer_memory_ok"] = rec["peak_mib"] < rec["peer_peak_mib"]
        if not rec["error"]:
            ok = judge(op.target, rec["median_s"], rec["floor_s"])
            if size >= MEMORY_TARGET_FROM and rec["peak_mib"] is not None:
                mem_ok = rec["peak_mib"] < MEMORY_TARGET_MIB
                rec["memory_ok"] = mem_ok
                ok = mem_ok if ok is None else (ok and mem_ok)
            rec["ok"] = ok
        rec.pop("inner", None)
        self.log(f"  {op.name:<14} {fmt_s(rec['median_s'])} floor {fmt_s(rec['floor_s'])} "
                 f"ratio {rec['ratio']} peak {rec['peak_mib']} MiB ok={rec['ok']}" + (f"  ERROR {rec['error']}" if rec["error"] else "")
                 + (f"  argdown {fmt_s(rec['peer_s'])} ({rec['peer_ratio']}x) peak {rec['peer_peak_mib']} MiB" if "peer_s" in rec else ""))
        self.records.append(rec)
        return rec

    # -- one size

    def dataset(self, size: int) -> tuple[Path, dict]:
        root = Path(self.args.root_dir) / f"n{size}"
        marker = root / gen.MARKER
        if marker.exists():
            info = json.loads(marker.read_text())
            if (info.get("generator") == gen.GENERATOR_VERSION and info.get("claims") == size and info.get("seed") == self.args.seed
                    and (root / gen.ARGDOWN_FILE).exists()):
                self.log(f"n={size}: reusing {root}")
                return root, info
        self.log(f"n={size}: generating {root} ...")
        t0 = time.perf_counter()
        info = gen.generate(root, size, seed=self.args.seed)
        info["generate_s"] = round(time.perf_counter() - t0, 2)
        self.log(f"n={size}: generated in {info['generate_s']}s")
        return root, info

    def run_size(self, size: int) -> None:
        root, info = self.dataset(size)
        index = root / ".claimtrack"
        issue, claim = info["big_issue"], info["sample_claim"]
        wanted = set(self.args.ops.split(",")) if self.args.ops else set(OP_NAMES)
        ops = {op.name: op for op in OPERATIONS}

        def wipe() -> None:
            shutil.rmtree(index, ignore_errors=True)

        def ensure_fresh() -> None:
            r = self.refresh(root)
            if r.code != 0:
                raise SystemExit(f"refresh_index failed on {root}: {r.stderr[-2000:]}")

        if "build" in wanted:
            argdown_file = root / info.get("argdown", gen.ARGDOWN_FILE)
            out = Path(self.args.root_dir) / f"argdown-out-n{size}"

            def argdown_json() -> Run:
                return self.run([*self.argdown, "json", argdown_file.name, str(out)], cwd=root, env=self.env)

            peer = argdown_json if self.argdown and argdown_file.exists() else None
            rec = self.measure(size, ops["build"], lambda: self.refresh(root), lambda: self.floor_script("parse", root),
                               before=wipe, inner=True, peer=peer)
            if peer is None:
                rec["peer_error"] = self.argdown_why if not self.argdown else f"{argdown_file} is missing"
            if not rec["error"]:
                ins = [json.loads(self.floor_script("insert", root).stdout.strip().splitlines()[-1])["seconds"]
                       for _ in range(self.repeats(ops["build"], size))]
                rec["insert_floor_s"] = round(statistics.median(ins), 4)
                native = json.loads(self.floor_script("native", root).stdout.strip().splitlines()[-1])
                rec["native_floor"] = {k: round(v, 4) for k, v in native.items() if k.endswith("s") and k != "files"}
                bound = max(native["insert_s"], native["seconds"] / 2)
                rec["native_floor"]["two_core_bound_s"] = round(bound, 4)
                if rec.get("peer_s"):
                    rec["native_floor"]["bound_vs_argdown"] = round(bound / rec["peer_s"], 2)
        if not (index / "index.sqlite").exists():
            ensure_fresh()

        if "help" in wanted:
            self.measure(size, ops["help"], lambda: self.cli("--help"), lambda: self.stub("--help"))

        ensure_fresh()
        if "refresh-noop" in wanted:
            rec = self.measure(size, ops["refresh-noop"], lambda: self.refresh(root), lambda: self.floor_script("stat", root), inner=True)
            if not rec["error"]:
                d = self.floor_script("dirs", root)
                rec["dirs_floor_s"] = round(d.seconds, 4)  # whole process, like the operation

        reads = [
            ("show-issue", ["show", issue]),
            ("show-claim", ["show", claim]),
            ("search-common", ["search", info["common_word"]]),
            ("search-rare", ["search", info["rare_word"]]),
            ("list", ["list", "--issue", issue]),
            ("timeline", ["timeline", issue]),
            ("brief", ["brief", issue]),
        ]
        for name, argv in reads:
            if name not in wanted:
                continue
            op = ops[name]
            try:
                exists = not op.needs or op.needs in self.commands()
            except RuntimeError:
                exists = False
            if exists and self.args.warm_up:
                self.cli(*argv, cwd=root)  # warm: the index is fresh and the files are in the page cache
            self.measure(size, op, lambda argv=argv: self.cli(*argv, cwd=root), lambda argv=argv: self.stub(*argv, cwd=root),
                         args=" ".join(argv))
        watched_reads = [(name, argv) for name, argv in reads if f"{name}+watch" in wanted]

        if "browse" in wanted:
            self.measure(size, ops["browse"], lambda: self.python("-c", BROWSE_SCRIPT, str(root), issue),
                         lambda: self.python("-c", BROWSE_SCRIPT), args=f"browse {issue}")

        if "refresh-one" in wanted:
            with one_claim_changing(root / gen_claim_path(claim)) as change_one:
                self.measure(size, ops["refresh-one"], lambda: self.refresh(root), lambda: self.floor_script("stat", root),
                             before=change_one, inner=True)
            ensure_fresh()

        if watched_reads or "browse+watch" in wanted or "refresh-one+watch" in wanted:
            self.with_watcher(size, root, claim, watched_reads, issue if "browse+watch" in wanted else None,
                              "refresh-one+watch" in wanted, ops)

        if "check" in wanted:
            rec = self.measure(size, ops["check"], lambda: self.cli("check", cwd=root), lambda: self.floor_script("check", root))
            if not rec["error"]:
                q = json.loads(self.floor_script("quotes", root).stdout.strip().splitlines()[-1])["seconds"]
                rec["quotes_floor_s"] = round(q, 4)
        info_rec = {k: v for k, v in info.items() if k in ("claims", "sources", "issues", "big_issue_claims", "generate_s")}
        for rec in self.records:
            if rec["size"] == size:
                rec["dataset"] = info_rec


    def with_watcher(self, size: int, root: Path, claim: str, reads: list, browse_issue: str | None, refresh_one: bool,
                     ops: dict) -> None:
        """The reads (and browse's first screen on `browse_issue`) again while `claimtrack watch`
        runs (started here, stopped with SIGTERM)."""
        try:
            exists = "watch" in self.commands()
        except RuntimeError:
            exists = False
        if not exists:
            for name in [name for name, _ in reads] + (["browse"] if browse_issue else []):
                self.measure(size, ops[f"{name}+watch"], lambda: None, None)  # reported missing
            return
        proc = subprocess.Popen([*self.claimtrack, "watch"], cwd=root, env=self.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stderr.readline()  # "watching ..." once the index is fresh and it vouches
            if "watching" not in line:
                raise SystemExit(f"claimtrack watch did not start: {line}{proc.stderr.read()[-2000:]}")
            for name, argv in reads:
                if self.args.warm_up:
                    self.cli(*argv, cwd=root)
                self.measure(size, ops[f"{name}+watch"], lambda argv=argv: self.cli(*argv, cwd=root),
                             lambda argv=argv: self.stub(*argv, cwd=root), args=" ".join(argv))
            if browse_issue:  # as the browse row, after one run (as each read's) that the watcher answers
                self.python("-c", BROWSE_SCRIPT, str(root), browse_issue)
                self.measure(size, ops["browse+watch"], lambda: self.python("-c", BROWSE_SCRIPT, str(root), browse_issue),
                             lambda: self.python("-c", BROWSE_SCRIPT), args=f"browse {browse_issue}")
            if refresh_one:
                with one_claim_changing(root / gen_claim_path(claim)) as change_one:
                    self.measure(size, ops["refresh-one+watch"], lambda: self.refresh(root), lambda: self.floor_script("stat", root),
                                 before=change_one, inner=True)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def gen_claim_path(claim_id: str) -> str:
    issue, name = claim_id.split("/", 1)
    return f"claims/{issue}/{name}.yaml"


def command_specs(stub: Path | None) -> dict | None:
    """{command: [options and ARGUMENTS]} of the real app (stub=None) or of the stub."""
    target = str(stub) if stub else "claimtrack"
    r = subprocess.run([sys.executable, "-c", SPEC_SCRIPT, target], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


def stub_drift() -> dict:
    real, stub = command_specs(None), command_specs(STUB)
    if real is None or stub is None:
        return {"error": "could not read the command specs"}
    drift = {}
    for name in sorted(set(real) | set(stub)):
        if name not in stub:
            drift[name] = "in claimtrack, not in the stub"
        elif name not in real:
            drift[name] = "in the stub, not (yet) in claimtrack"
        elif set(real[name]) != set(stub[name]):
            drift[name] = {"only_claimtrack": sorted(set(real[name]) - set(stub[name])),
                           "only_stub": sorted(set(stub[name]) - set(real[name]))}
    return drift


# ---------------------------------------------------------------------------------- reporting


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def table(records: list[dict]) -> str:
    lines = ["| N | operation | median | floor | ratio | CPU | floor CPU | peak MiB | target | ok | load | Argdown | ÷ Argdown | Argdown peak MiB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|"]
    for r in records:
        if r["missing"]:
            ok = "missing"
        elif r["error"]:
            ok = "ERROR"
        else:
            ok = {True: "yes", False: "**NO**", None: ""}[r["ok"]]
        target = r["target"].replace("ratio<=", "≤ ").replace("abs<", "< ")
        target = (target + ("x" if r["target"].startswith("ratio") else " s")) if r["target"] else ""
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        peak = "" if r["peak_mib"] is None else f"{r['peak_mib']:.0f}"
        if "peer_s" in r:
            verdict = "" if r["peer_ok"] else " **NO**"
            peer = f" {fmt_s(r['peer_s'])} | {r['peer_ratio']:.2f}x (≤ {PEER_TARGET}x){verdict} | {r['peer_peak_mib']:.0f} |"
        elif r.get("peer_error"):
            peer = f" {r['peer_error'][:60]} | | |"
        else:
            peer = " | | |"
        load = "" if r.get("load") is None else f"{r['load']:.1f}"
        cpu = f"{fmt_s(r.get('cpu_s'))} | {fmt_s(r.get('floor_cpu_s'))}"
        lines.append(f"| {r['size']:,} | {r['operation']} | {fmt_s(r['median_s'])} | {fmt_s(r['floor_s'])} | {ratio} | {cpu} | {peak} | {target} | {ok} | {load} |{peer}")
    return "\n".join(lines)


def machine() -> dict:
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            mem = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpus": os.cpu_count(), "memory_gib": mem, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg_at_start": load}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of claims (default: %(default)s)")
    ap.add_argument("--json", type=Path, help="write the records to this file")
    ap.add_argument("--repeat", type=int, default=5, help="runs per fast operation; the median is reported (default: %(default)s)")
    ap.add_argument("--slow-repeat", type=int, default=0,
                    help="runs of the full build and the full check (default: 3 up to 10,000 claims, 1 above)")
    ap.add_argument("--root-dir", default=str(Path(tempfile.gettempdir()) / "claimtrack-bench"),
                    help="where the datasets are generated and kept between runs (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0, help="the generator's seed (default: %(default)s)")
    ap.add_argument("--ops", help=f"only these operations, comma-separated: {','.join(OP_NAMES)}")
    ap.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                    help="measure each read without the untimed run before it (figures of a cold page cache; the tests' smoke run, which times nothing)")
    ap.add_argument("--claimtrack", help="the command to run claimtrack (default: the claimtrack script beside this Python)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    bench = Bench(args)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    drift = stub_drift()
    if drift:
        bench.log(f"note: the stub's commands differ from claimtrack's: {json.dumps(drift)}")
    try:
        for size in sizes:
            bench.run_size(size)
    finally:
        bench.run.close()
    report = {
        "command": "python benchmarks/bench.py " + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)),
        "started": started,
        "machine": machine(),
        "claimtrack": " ".join(bench.claimtrack),
        "stub_drift": drift,
        "records": bench.records,
    }
    print(table(bench.records))
    misses = [f"n={r['size']} {r['operation']}" for r in bench.records if r["ok"] is False]
    misses += [f"n={r['size']} {r['operation']} vs Argdown" for r in bench.records if r.get("peer_ok") is False]
    misses += [f"n={r['size']} {r['operation']} peak vs Argdown's" for r in bench.records if r.get("peer_memory_ok") is False]
    missing = [f"n={r['size']} {r['operation']}" for r in bench.records if r["missing"]]
    bounds = [r for r in bench.records if r.get("native_floor")]
    if bounds:
        print()
        print("The build's compiled parts alone (floors.py native: read, hash, yaml-rs, pydantic-core, the bulk insert;")
        print("no quote anchored, no Python code of claimtrack's, no start-up), and the least a two-core build could take with them:")
        for r in bounds:
            nf = r["native_floor"]
            vs = f", {nf['bound_vs_argdown']:.2f}x Argdown's {fmt_s(r['peer_s'])}" if "bound_vs_argdown" in nf else ""
            print(f"  n={r['size']:,}: parse {fmt_s(nf['parse_s'])}, validate {fmt_s(nf['validate_s'])}, insert {fmt_s(nf['insert_s'])}"
                  f" (one process): at least {fmt_s(nf['two_core_bound_s'])} on two cores{vs}; the build took {fmt_s(r['median_s'])}")
    print()
    print(f"targets missed: {', '.join(misses) if misses else 'none'}")
    if missing:
        print(f"not measured (command missing): {', '.join(missing)}")
    if bench.failed_runs:
        print("errors:\n  " + "\n  ".join(bench.failed_runs))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 1 if bench.failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())

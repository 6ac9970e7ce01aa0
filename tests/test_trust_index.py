"""The index is a cache that repairs itself, and a read-only dataset can still be read.

Each case breaks the index (or what stands where it lives) the way a disk, a user or a copy
would, runs the command through the program's entry point (in this process; as a real process
under another user for the read-only cases, where the user is the point), and asserts: the exit
status, one line on stderr, no traceback, and the dataset's own files byte-identical (tree_digest).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from claimtrack.index.refresh import index_path, refresh_index
from conftest import assert_one_error_line, run_in_process, tree_digest, write_dataset


def _built(dataset: Path) -> Path:
    refresh_index(dataset)
    return index_path(dataset)


def _one_note(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("claimtrack: note: "), text
    return lines[0]


def _corrupt_table(db: Path, table: str) -> None:
    """Overwrite the root page of `table` with garbage: 'database disk image is malformed'."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    db.write_bytes(bytes(data))


def test_a_corrupt_page_is_rebuilt_and_the_read_answered(dataset):
    _corrupt_table(_built(dataset), "claims")
    before = tree_digest(dataset)
    proc = run_in_process("list", "--root", str(dataset))
    assert proc.returncode == 0
    assert "flow/down-accuses-cut" in proc.stdout.decode()
    note = _one_note(proc.stderr)
    assert "database disk image is malformed" in note and "rebuilt" in note
    assert tree_digest(dataset) == before


def test_after_the_repair_the_next_read_is_quiet(dataset):
    _corrupt_table(_built(dataset), "claims")
    repair = run_in_process("list", "--root", str(dataset))
    assert repair.returncode == 0
    assert "rebuilt" in _one_note(repair.stderr)  # the index was broken, so the quiet read below is after a repair
    proc = run_in_process("list", "--root", str(dataset))
    assert proc.returncode == 0 and proc.stderr == b""


def test_a_dropped_full_text_table_is_rebuilt_when_search_needs_it(dataset):
    conn = sqlite3.connect(_built(dataset))
    conn.execute("DROP TABLE fts")
    conn.commit()
    conn.close()
    before = tree_digest(dataset)
    proc = run_in_process("search", "drought", "--root", str(dataset))
    assert proc.returncode == 0
    assert "flow/up-denies-cut" in proc.stdout.decode()
    assert "no such table: fts" in _one_note(proc.stderr)
    assert tree_digest(dataset) == before


def test_an_index_that_is_not_a_database_is_rebuilt(dataset):
    db = _built(dataset)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(b"not a database at all" * 500)
    proc = run_in_process("issues", "--root", str(dataset))
    assert proc.returncode == 0
    assert "file is not a database" in _one_note(proc.stderr)


def test_add_on_a_broken_index_writes_and_says_so_once(dataset):
    conn = sqlite3.connect(_built(dataset))
    conn.execute("DROP TABLE fts")
    conn.commit()
    conn.close()
    proc = run_in_process(
        "add", "--issue", "flow", "--by", "commission", "--kind", "statement", "--said-on", "2024-05-10",
        "--statement", "The Commission reported its gauge readings.", "--cite", "2024-05-10-unknown-commission-report",
        "--quote", "its gauges showed the flow", "--root", str(dataset),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Wrote claims/flow/" in proc.stdout.decode()
    _one_note(proc.stderr)
    assert len(list((dataset / "claims" / "flow").glob("*.yaml"))) == 6  # the issue file, four claims, the new one


def test_an_index_file_that_is_a_folder_is_one_located_error(dataset):
    (dataset / ".claimtrack").mkdir()
    (dataset / ".claimtrack" / "index.sqlite").mkdir()
    before = tree_digest(dataset)
    proc = run_in_process("issues", "--root", str(dataset))
    assert proc.returncode == 1
    line = assert_one_error_line(proc.stderr)
    assert str(dataset / ".claimtrack" / "index.sqlite") in line and "remove it" in line
    assert tree_digest(dataset) == before and (dataset / ".claimtrack" / "index.sqlite").is_dir()


def test_a_claimtrack_file_in_place_of_the_folder_is_one_located_error(dataset):
    (dataset / ".claimtrack").write_text("my notes\n")
    before = tree_digest(dataset)
    proc = run_in_process("search", "flow", "--root", str(dataset))
    assert proc.returncode == 1
    line = assert_one_error_line(proc.stderr)
    assert str(dataset / ".claimtrack") in line and "remove or rename it" in line
    assert (dataset / ".claimtrack").read_text() == "my notes\n"
    assert tree_digest(dataset) == before


def test_index_rebuild_starts_again_from_the_files(dataset):
    _corrupt_table(_built(dataset), "claims")
    before = tree_digest(dataset)
    proc = run_in_process("index", "--rebuild", "--root", str(dataset))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "Rebuilt the index from 8 files." in out
    assert "4 claims, 2 sources, 1 issues" in out
    assert proc.stderr == b""
    assert tree_digest(dataset) == before


def _replace_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """What `cp -p`, `rsync -a` or `tar x` do to a file the index already holds."""
    assert len(old) == len(new)
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def test_a_copy_keeping_sizes_and_times_is_served_stale_until_verified(dataset):
    refresh_index(dataset)
    claim = dataset / "claims" / "flow" / "up-denies-cut.yaml"
    _replace_keeping_size_and_mtime(claim, "blamed the drought", "blamed the weather")
    stale = run_in_process("show", "flow/up-denies-cut", "--root", str(dataset))
    assert stale.returncode == 0 and "blamed the drought" in stale.stdout.decode()  # the trap --verify is for

    proc = run_in_process("index", "--verify", "--root", str(dataset))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "1 of 8 files was stale" in out and "claims/flow/up-denies-cut.yaml" in out
    fixed = run_in_process("show", "flow/up-denies-cut", "--root", str(dataset))
    assert fixed.returncode == 0 and "blamed the weather" in fixed.stdout.decode()


def test_verify_on_a_clean_index_says_all_match(dataset):
    refresh_index(dataset)
    before = tree_digest(dataset)
    proc = run_in_process("index", "--verify", "--root", str(dataset))
    assert proc.returncode == 0
    assert "All 8 files match the index." in proc.stdout.decode()
    assert tree_digest(dataset) == before


def test_rebuild_and_verify_together_are_a_usage_error(dataset):
    proc = run_in_process("index", "--rebuild", "--verify", "--root", str(dataset))
    assert proc.returncode == 2
    assert "not both" in assert_one_error_line(proc.stderr)


def test_index_help_says_where_the_index_lives(repo_root):
    proc = run_in_process("index", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.decode().split())
    assert ".claimtrack/index.sqlite" in text
    assert "$XDG_CACHE_HOME/claimtrack/" in text and "~/.cache" in text
    assert "claimtrack index --verify" in text and "claimtrack index --rebuild" in text


# --- read-only datasets ------------------------------------------------------------------------

USER = "cttest"


def _as_user(tmp_path: Path):
    """A way to run claimtrack as the non-root user USER, or a reason to skip.

    Dropping root in preexec_fn needs an interpreter that user may execute; when this one lives
    under a folder closed to them (/root/.pyenv), the system python of the same version runs
    with this environment's packages on its path."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to run claimtrack as another user")
    import pwd

    try:
        user = pwd.getpwnam(USER)
    except KeyError:
        if shutil.which("useradd") is None or subprocess.run(["useradd", "-m", USER], capture_output=True).returncode != 0:
            pytest.skip(f"no user {USER}, and useradd could not create one")
        user = pwd.getpwnam(USER)
    import site
    import sysconfig

    def demote():
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    paths = [str(Path(__file__).resolve().parents[1] / "src"), sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chown(home, user.pw_uid, user.pw_gid)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120", "PYTHONPATH": os.pathsep.join(paths)}
    for python in (sys.executable, shutil.which(version, path="/usr/bin:/bin"), shutil.which("python3", path="/usr/bin:/bin")):
        if not python:
            continue
        try:
            probe = subprocess.run([python, "-c", f"import sys, claimtrack.cli.app, pydantic, yaml, rich; assert sys.version_info[:2] == {tuple(sys.version_info[:2])}"],
                                   env=env, preexec_fn=demote, capture_output=True)
        except OSError:  # the user may not execute it
            continue
        if probe.returncode == 0:
            break
    else:
        pytest.skip(f"no python {sys.version_info.major}.{sys.version_info.minor} that {USER} may run with claimtrack importable")

    def run(*args: str, extra: dict[str, str] | None = None):
        return subprocess.run([python, "-m", "claimtrack", *args], env={**env, **(extra or {})}, preexec_fn=demote,
                              capture_output=True, timeout=120, cwd="/")

    return run, home


def _read_only(dataset: Path) -> None:
    for path in [dataset, *dataset.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)


@pytest.fixture
def open_tmp():
    """A folder USER may enter, outside pytest's own temporary folders: pytest closes
    /tmp/pytest-of-root to everyone else (mode 0700) whenever any pytest session starts, so a
    chmod of tmp_path's parents would hold only until another run on the machine began."""
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-as-user-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.fixture
def open_dataset(open_tmp):
    return write_dataset(open_tmp / "ds")


@pytest.fixture
def read_only_dataset(open_dataset):
    _read_only(open_dataset)
    return open_dataset


@pytest.mark.slow
def test_every_read_works_on_a_dataset_the_user_cannot_write(read_only_dataset, open_tmp):
    run, home = _as_user(open_tmp)
    before = tree_digest(read_only_dataset)
    for args in (["issues"], ["list"], ["show", "flow"], ["timeline", "flow"], ["search", "drought"], ["check"]):
        proc = run(*args, "--root", str(read_only_dataset))
        assert proc.returncode == 0, (args, proc.stderr.decode())
        assert b"Traceback" not in proc.stderr and (args == ["check"] or proc.stderr == b""), proc.stderr
    assert not (read_only_dataset / ".claimtrack").exists()
    assert list((home / ".cache" / "claimtrack").glob("*/index.sqlite"))
    assert tree_digest(read_only_dataset) == before


def test_index_says_it_lives_in_the_cache_on_a_read_only_dataset(read_only_dataset, open_tmp):
    run, home = _as_user(open_tmp)
    cache = open_tmp / "xdg"
    cache.mkdir()
    os.chown(cache, *(lambda u: (u.pw_uid, u.pw_gid))(__import__("pwd").getpwnam(USER)))
    proc = run("index", "--root", str(read_only_dataset), extra={"XDG_CACHE_HOME": str(cache)})
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert f"Index: {cache}/claimtrack/" in out and "cache folder" in out
    assert (next((cache / "claimtrack").iterdir()) / "dataset.txt").read_text().strip() == str(read_only_dataset)


def test_an_index_left_by_another_user_is_not_written_but_read_around(open_dataset, open_tmp):
    refresh_index(open_dataset)  # root's index, which the user may not write
    run, home = _as_user(open_tmp)
    before = tree_digest(open_dataset)
    proc = run("search", "drought", "--root", str(open_dataset))
    assert proc.returncode == 0, proc.stderr.decode()
    assert "flow/up-denies-cut" in proc.stdout.decode() and proc.stderr == b""
    assert tree_digest(open_dataset) == before


def test_no_writable_cache_either_is_one_error_line(read_only_dataset, open_tmp):
    run, home = _as_user(open_tmp)
    proc = run("issues", "--root", str(read_only_dataset), extra={"XDG_CACHE_HOME": str(read_only_dataset)})
    assert proc.returncode == 1
    line = assert_one_error_line(proc.stderr)
    assert "cannot create the index folder" in line and "XDG_CACHE_HOME" in line

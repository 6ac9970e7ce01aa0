"""A real PostgreSQL server for the tests, started by the test run itself.

`pg_server` (session-scoped) runs initdb in a temporary folder and starts the server on a free
loopback port, as the `postgres` user when the tests run as root (PostgreSQL refuses to run as
root), and stops it and removes the folder at the end. `pg_url` gives each test an empty database
of its own. Without PostgreSQL's server binaries (Debian's `postgresql` package; .ci/run installs
it), the tests that use them are skipped, saying why in one line.

Why not pytest-postgresql: its process fixture runs pg_ctl as the current user, which fails as
root, the user CI runs as; switching users is the whole difficulty, and these forty lines do it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

USER = "claimtrack"  # the cluster's superuser, trusted on loopback only


def _bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path, folder: Path, as_user: list[str]):
        self.bindir, self.folder, self.as_user = bindir, folder, as_user
        self.port = _free_port()

    def run(self, tool: str, *args: str) -> None:
        proc = subprocess.run([*self.as_user, str(self.bindir / tool), *args], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = (self.folder / "log").read_text() if (self.folder / "log").exists() else ""
            raise RuntimeError(f"{tool} failed: {proc.stderr.strip()} {log[-2000:]}")

    def start(self) -> None:
        data = str(self.folder / "data")
        self.run("initdb", "-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self.run("pg_ctl", "-D", data, "-o", options, "-l", str(self.folder / "log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def pg_server():
    bindir = _bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server here (initdb not found): install Debian's postgresql package, as .ci/run does")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[test]'")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-pg-"))
    if os.geteuid() == 0:
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            pytest.skip("running as root with no 'postgres' user to run the PostgreSQL server as")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PgServer(bindir, folder, as_user)
    try:
        server.start()  # a server that is installed but does not start is an error, not a skip
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


_made = iter(range(1, 1_000_000))


def _create_database(server: PgServer, name: str, template: str | None = None) -> None:
    """A new database on `server`, empty or a copy of `template` (which nobody may be connected to)."""
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as conn:
        # PostgreSQL 15 copies a new database through the WAL by default, slow for many small ones
        strategy = " STRATEGY = FILE_COPY" if conn.info.server_version >= 150000 else ""
        copied = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{copied}{strategy}')


@pytest.fixture
def pg_url(pg_server) -> str:
    """An empty database of the test's own on the session's server."""
    name = f"t{os.getpid()}_{next(_made)}"
    _create_database(pg_server, name)
    return pg_server.url(name)

"""Throw-away servers for tests that break them: a PostgreSQL cluster and a Redis server of their own.

A fault test restarts PostgreSQL and flushes Redis; it must never do that to the machine's servers,
which other suites (and other checkouts) are using. Each server here lives in a temporary
directory, listens on a free loopback port, and is stopped and deleted at the end.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.services import port_open


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not port_open("127.0.0.1", port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up on port {port}")
        time.sleep(0.05)


def _pg_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for version in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (version / name).exists():
            return str(version / name)
    raise RuntimeError(f"{name} not found: PostgreSQL's server binaries are needed for a throw-away cluster")


@dataclass
class PostgresCluster:
    data_dir: Path
    port: int
    _as: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self._as, _pg_binary("pg_ctl"), "-D", str(self.data_dir), "-w", "-t", "30", *args],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        self._ctl("-l", str(self.data_dir.parent / "postgres.log"), "-o",
                  f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir.parent} -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start")
        _wait_port(self.port, "the throw-away PostgreSQL")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def restart(self) -> None:
        """Stop (every connection dropped) and start again on the same port and data."""
        self.stop("fast")
        self.start()


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """initdb + pg_ctl in a new temporary directory, on a free port. As root, the server runs as
    ``postgres`` (initdb refuses root), so the directory is its own under the system's /tmp: pytest's
    per-user tmp_path is not reachable by another user."""
    base = Path(tempfile.mkdtemp(prefix="dosewatch-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    subprocess.run([*run_as, _pg_binary("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync",
                    "-E", "UTF8"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cluster = PostgresCluster(data, free_port(), run_as)
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def redis_server(base: Path) -> Iterator[str]:
    """A redis-server of its own (no persistence) on a free port; yields ``redis://127.0.0.1:<port>``."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is needed for a throw-away Redis")
    base.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                                "--dir", str(base)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, "the throw-away Redis")
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

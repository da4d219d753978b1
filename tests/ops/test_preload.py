"""gunicorn with ``preload_app`` (deploy/gunicorn.conf.py): the app is imported once in the master
and every worker is a fork of it. These start the real config with two workers on PostgreSQL and
Redis and check that the fork shares nothing that must not be shared: the master holds no
connection at all, each worker talks to PostgreSQL over sockets of its own (one backend each, in
``pg_stat_activity``), /metrics adds up every worker's counts from files under the workers' own
pids, and workers recycled by ``max_requests`` serve correctly after the fork too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from alerts.app import get_db
from alerts.models import CheckIn
from tests.support.services import redis_db

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "gunicorn.conf.py"
CHECKINS_201 = re.compile(r'^dosewatch_http_requests_total\{method="POST",'
                          r'route="/v1/patients/<int:patient_id>/checkins",status="201"\} (\S+)$', re.MULTILINE)


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    return pg_app  # the factories (make_patient, make_token) write to the database gunicorn serves


@dataclass
class Server:
    port: int
    master: int
    metrics_dir: Path
    log: Path

    def workers(self) -> set[int]:
        return {pid for pid, ppid in _parents().items() if ppid == self.master}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _parents() -> dict[int, int]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                found[int(entry.name)] = int(fields[1])
    return found


@contextmanager
def gunicorn(tmp_path: Path, pg_url: str, redis_url: str, *args: str) -> Iterator[Server]:
    """``gunicorn --config deploy/gunicorn.conf.py`` with two workers, as deploy/Procfile starts it.
    Redis backs the rate limiter and Sentry is configured (to a closed port: nothing is ever sent),
    so every client the app builds at start-up is built in the master."""
    port = _free_port()
    metrics_dir = tmp_path / "web-metrics"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DOSEWATCH_", "CELERY_", "SENTRY_"))}
    env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="2", GUNICORN_THREADS="4", DATABASE_URL=pg_url,
               REDIS_URL=f"{redis_url}/{redis_db()}", CELERY_BROKER_URL="memory://", NOTIFIER="console",
               CONSOLE_NOTIFIER_ECHO="false", DOSEWATCH_DATA_DIR=str(tmp_path / "var"),
               SENTRY_DSN="http://public@127.0.0.1:9/1", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "--no-control-socket",
                                 *args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(port, proc.pid, metrics_dir, log)
    try:
        deadline = time.monotonic() + 60
        while len(server.workers()) < 2 or _get(port, "/ping")[0] != 200:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(port: int, path: str) -> tuple[int | None, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as resp:
            return int(resp.status), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return None, ""


def _check_in(port: int, patient_id: int, token: str) -> int:
    body = json.dumps({"recorded_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
                       "symptoms": {"tremor": 1, "spasms": 0}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/patients/{patient_id}/checkins", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Idempotency-Key": uuid.uuid4().hex, "Connection": "close"})  # a new connection: any worker
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _check_ins(server: Server, patient_id: int, token: str, count: int) -> list[int]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: _check_in(server.port, patient_id, token), range(count)))


def _tcp_sockets() -> dict[int, tuple[int, int, str]]:
    """Every TCP socket of the machine: inode -> (local port, remote port, state in hex)."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
            found[inode] = (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16), state)
    return found


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


LISTEN = "0A"


def _connections(pid: int) -> dict[int, tuple[int, int]]:
    """The process's TCP connections (not listening sockets): inode -> (local port, remote port)."""
    tcp = _tcp_sockets()
    return {inode: tcp[inode][:2] for inode in _socket_inodes(pid) if inode in tcp and tcp[inode][2] != LISTEN}


def _backends(app: Flask, client_ports: set[int]) -> dict[int, int]:
    """pg_stat_activity: client port -> backend pid, for connections from those ports."""
    with get_db(app).engine.connect() as conn:
        rows = conn.execute(text("SELECT client_port, pid FROM pg_stat_activity WHERE datname = current_database()"))
        return {port: pid for port, pid in rows if port in client_ports}


def _metrics_total(server: Server) -> float:
    status, body = _get(server.port, "/metrics")
    assert status == 200, body[-2000:]
    match = CHECKINS_201.search(body)
    return float(match[1]) if match else 0.0


def _metric_file_pids(server: Server) -> set[int]:
    return {int(m[1]) for f in server.metrics_dir.iterdir() if (m := re.fullmatch(r"\w+?_(\d+)\.db", f.name))}


def test_preloaded_workers_each_have_their_own_database_connections_and_the_master_none(
        tmp_path: Path, pg_url: str, redis_url: str, app: Flask, make_patient, make_token) -> None:  # type: ignore[no-untyped-def]
    patient = make_patient()
    token = make_token(patient)
    pg_port = make_url(pg_url).port or 5432
    with gunicorn(tmp_path, pg_url, redis_url, "--max-requests", "0") as server:
        workers = server.workers()
        # New connections until both workers have served a check-in (the kernel picks the acceptor).
        statuses: list[int] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            statuses += _check_ins(server, patient.id, token, 16)
            to_pg = {pid: {i: ports for i, ports in _connections(pid).items() if ports[1] == pg_port}
                     for pid in workers}
            if all(to_pg.values()):
                break
        assert set(statuses) == {201}
        assert all(to_pg.values()), f"a worker never reached PostgreSQL: {to_pg}"

        # The master built the app (engine, Celery app, the limiter's Redis client, Sentry) and holds
        # no connection of any kind: nothing for the workers to inherit.
        assert _connections(server.master) == {}
        assert server.workers() == workers  # none was replaced meanwhile

        # No socket is in two processes: each worker's connections are its own.
        first, second = (set(to_pg[pid]) for pid in sorted(workers))
        assert not first & second
        # ... and each is a backend of its own, as PostgreSQL sees it.
        ports = {local: pid for pid in workers for local, _remote in to_pg[pid].values()}
        backends = _backends(app, set(ports))
        assert set(backends) == set(ports)
        assert len(set(backends.values())) == len(ports)

        # /metrics adds up both workers, from files under the workers' pids (the master's are gone).
        assert _metrics_total(server) == len(statuses)
        assert _metric_file_pids(server) == workers
    with get_db(app).sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(CheckIn)) == len(statuses)


def test_workers_recycled_by_max_requests_are_forks_that_serve_correctly(
        tmp_path: Path, pg_url: str, redis_url: str, app: Flask, make_patient, make_token) -> None:  # type: ignore[no-untyped-def]
    patient = make_patient()
    token = make_token(patient)
    with gunicorn(tmp_path, pg_url, redis_url, "--max-requests", "15", "--max-requests-jitter", "0") as server:
        first = server.workers()
        statuses = _check_ins(server, patient.id, token, 90)
        assert statuses == [201] * 90
        # Replacements booted and served: more worker pids counted than ever ran at once.
        served = _metric_file_pids(server)
        assert len(served) > 2 and served - first
        assert _metrics_total(server) == 90
        assert _connections(server.master) == {}
        log = server.log.read_text()
        assert log.count("Booting worker") > 2
        assert "Traceback" not in log and "Exception" not in log, log[-3000:]
    with get_db(app).sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(CheckIn)) == 90


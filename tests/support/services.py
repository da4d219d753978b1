"""Make sure the machine's PostgreSQL, Redis and the Twilio mock are up; start them if not.

The test command must work on a machine where a service has stopped (DEVELOPERS.md), so the suite
starts what it needs instead of skipping. Each helper is idempotent and quick when all is running.

The suite runs in pytest-xdist workers (pyproject's addopts), each its own process asking for the
same services at about the same moment: a service found down is started under a file lock by
whichever worker (or other checkout's run) gets there first; the others wait for the lock, then
find it running.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DATABASES = 16  # redis-server's default ``databases``
TWILIO_MOCK_PORT = int(os.environ.get("TWILIO_MOCK_PORT", "4010"))
SHARED = Path(__file__).resolve().parents[3] / "shared"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _wait(host: str, port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up on {host}:{port}")


def worker_index() -> int:
    """0 in a run without workers; ``n`` in pytest-xdist's worker ``gw<n>``."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") else 0


def _start_once(what: str, port: int, start: Callable[[], None], timeout: float = 360) -> None:
    """Run ``start`` unless something answers on ``port``, in one process at a time (a lock file in
    the system's temporary directory, shared by every worker and checkout on this machine)."""
    if port_open("127.0.0.1", port):
        return
    with FileLock(Path(tempfile.gettempdir()) / f"dosewatch-tests-{what}-{port}.lock", timeout=timeout):
        if not port_open("127.0.0.1", port):  # not started while this process waited for the lock
            start()


def ensure_postgres() -> str:
    _start_once("postgres", PG_PORT, _start_postgres)
    return os.environ.get("TEST_POSTGRES_URL", f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test")


def _start_postgres() -> None:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions or not shutil.which("pg_ctlcluster"):
        raise RuntimeError("PostgreSQL is not running and no local cluster was found to start")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False)
    _wait(PG_HOST, PG_PORT, "PostgreSQL")


def ensure_redis() -> str:
    _start_once("redis", REDIS_PORT, _start_redis)
    return f"redis://{REDIS_HOST}:{REDIS_PORT}"


def _start_redis() -> None:
    if not shutil.which("redis-server"):
        raise RuntimeError("Redis is not running and redis-server is not installed")
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", REDIS_HOST, "--port", str(REDIS_PORT),
                    "--save", "", "--appendonly", "no"], check=False)
    _wait(REDIS_HOST, REDIS_PORT, "Redis")


def redis_db() -> int:
    """This worker's Redis database number: ``DOSEWATCH_TEST_REDIS_DB`` (13 unless set; two
    checkouts on one machine set it apart by at least the number of workers) plus the worker's
    index, so the workers of one run never flush each other's broker."""
    number = int(os.environ.get("DOSEWATCH_TEST_REDIS_DB", "13")) + worker_index()
    if not 0 <= number < REDIS_DATABASES:
        raise RuntimeError(f"Redis database {number} (DOSEWATCH_TEST_REDIS_DB + worker {worker_index()}) is past "
                           f"Redis's {REDIS_DATABASES} databases: set DOSEWATCH_TEST_REDIS_DB lower")
    return number


def ensure_twilio_mock() -> str:
    """Start ../shared/twilio-mock (Prism serving Twilio's own OpenAPI spec) and return its base URL."""
    _start_once("twilio-mock", TWILIO_MOCK_PORT, _start_twilio_mock)
    return f"http://127.0.0.1:{TWILIO_MOCK_PORT}"


def _start_twilio_mock() -> None:
    start = SHARED / "twilio-mock" / "start"
    if not start.exists():
        raise RuntimeError(f"the Twilio mock is not at {start}")
    env = dict(os.environ, TWILIO_MOCK_PORT=str(TWILIO_MOCK_PORT), TWILIO_MOCK_PRISM_ARGS="-v warn")
    subprocess.run([str(start)], check=True, env=env, stdout=subprocess.DEVNULL, timeout=300)

"""Make sure the machine's PostgreSQL, Redis and the Twilio mock are up; start them if not.

The test command must work on a machine where a service has stopped (DEVELOPERS.md), so the suite
starts what it needs instead of skipping. Each helper is idempotent and quick when all is running.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
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


def ensure_postgres() -> str:
    if not port_open(PG_HOST, PG_PORT):
        versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if not versions or not shutil.which("pg_ctlcluster"):
            raise RuntimeError("PostgreSQL is not running and no local cluster was found to start")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False)
        _wait(PG_HOST, PG_PORT, "PostgreSQL")
    return os.environ.get("TEST_POSTGRES_URL", f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test")


def ensure_redis() -> str:
    if not port_open(REDIS_HOST, REDIS_PORT):
        if not shutil.which("redis-server"):
            raise RuntimeError("Redis is not running and redis-server is not installed")
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", REDIS_HOST, "--port", str(REDIS_PORT),
                        "--save", "", "--appendonly", "no"], check=False)
        _wait(REDIS_HOST, REDIS_PORT, "Redis")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}"


def ensure_twilio_mock() -> str:
    """Start ../shared/twilio-mock (Prism serving Twilio's own OpenAPI spec) and return its base URL."""
    if not port_open("127.0.0.1", TWILIO_MOCK_PORT):
        start = SHARED / "twilio-mock" / "start"
        if not start.exists():
            raise RuntimeError(f"the Twilio mock is not at {start}")
        env = dict(os.environ, TWILIO_MOCK_PORT=str(TWILIO_MOCK_PORT), TWILIO_MOCK_PRISM_ARGS="-v warn")
        subprocess.run([str(start)], check=True, env=env, stdout=subprocess.DEVNULL, timeout=300)
    return f"http://127.0.0.1:{TWILIO_MOCK_PORT}"

"""A real Celery worker on the machine's PostgreSQL and Redis, for the integration tests.

The worker is a subprocess (``celery -A workers.main worker -P threads``) configured only through
the environment, as in production. It gets its own PostgreSQL database (not ``pg_url``: the service
tests truncate that one under their own fixtures, and a worker's late task must never deliver
their rows) and its own Redis database number, flushed at start. Beat is not run: tests send
``workers.tasks.tick`` themselves and move ``check_at``/``next_step_at`` back instead of waiting.

Messages go through the Twilio mock when ``alerts/notify/twilio.py`` exists (TwilioNotifier), and
through the console notifier (which prints one line per message) until then.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis
from celery import Celery
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from alerts import create_app
from alerts.app import get_db
from alerts.models import Base
from tests.support.services import redis_db

REPO = Path(__file__).resolve().parents[2]
# Its own Redis database, one per xdist worker; DOSEWATCH_TEST_REDIS_DB lets two checkouts run the
# suite side by side (tests/support/services.py).
REDIS_DB = redis_db()
TWILIO_NOTIFIER = REPO / "alerts" / "notify" / "twilio.py"
TEST_ACCOUNT_SID = "AC" + "0" * 32  # the mock checks the shape (AC + 32 hex), not the account
_SUCCEEDED = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[0-9a-f-]+)\] succeeded in [\d.]+s: (?P<result>.*)$")
_CONSOLE_SEND = re.compile(r"^(?P<line>\[(sms|voice) -> .*)$")
T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T], timeout: float = 20.0, interval: float = 0.05) -> T:
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclass
class Worker:
    """The running worker, a Celery client on the same broker, and the database they share."""

    process: subprocess.Popen[bytes]
    log_path: Path
    broker_url: str
    app: Flask  # a client app with the worker's configuration, for sessions and publishing
    uses_twilio: bool
    _offset: int = field(default=0)

    @property
    def celery(self) -> Celery:
        return self.app.extensions["celery"]

    @property
    def sessions(self) -> sessionmaker[Session]:
        return get_db(self.app).sessionmaker

    def log(self) -> str:
        """The worker's output since the current test began."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[self._offset:]

    def start_test(self) -> None:
        self._offset = len(self.log_path.read_text(encoding="utf-8", errors="replace"))

    def send(self, task: str) -> str:
        """Publish a task by name (as beat would); returns its id."""
        return self.celery.send_task(task).id

    def run(self, task: str, timeout: float = 20.0) -> dict[str, Any]:
        """Publish a task and wait until the worker reports it succeeded; returns its result."""
        return self.wait_succeeded(self.send(task), timeout)

    def wait_succeeded(self, task_id: str, timeout: float = 20.0) -> dict[str, Any]:
        return wait_for(f"task {task_id} to succeed", lambda: self.results().get(task_id), timeout)

    def results(self) -> dict[str, dict[str, Any]]:
        """Every task that succeeded so far, by id, with the return value the worker logged."""
        found = {}
        for line in self.log().splitlines():
            match = _SUCCEEDED.search(line)
            if match:
                found[match["id"]] = {"task": match["name"], **ast.literal_eval(match["result"])}
        return found

    def messages_sent(self) -> int:
        """How many messages the worker handed to its notifier, by its own task reports."""
        senders = ("workers.tasks.deliver_outbox", "workers.tasks.deliver_urgent")
        return sum(r.get("sent", 0) for r in self.results().values() if r["task"] in senders)

    def console_lines(self) -> list[str]:
        """What the console notifier recorded: one "[sms -> +1...] body" per message sent.

        Taken from its echo on stdout, which the worker passes through as printed (never as a
        log record: logs hold no phone number or message body).
        """
        return [match["line"] for match in map(_CONSOLE_SEND.search, self.log().splitlines()) if match]

    def flush_broker(self) -> None:
        redis.Redis.from_url(self.broker_url).flushdb()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    # If pytest itself is killed, the kernel stops the worker too: no orphan keeps consuming.
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@pytest.fixture(scope="session")
def integration_db_url(pg_server_url: str) -> Iterator[str]:
    name = f"dosewatch_integ_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def worker(integration_db_url: str, redis_url: str, twilio_mock_url: str,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """Start one worker (2 threads) for the session; stop it at the end, however the tests went."""
    data_dir = tmp_path_factory.mktemp("worker")
    broker_url = f"{redis_url.rstrip('/')}/{REDIS_DB}"
    redis.Redis.from_url(broker_url).flushdb()
    settings = {
        "DATABASE_URL": integration_db_url,
        "CELERY_BROKER_URL": broker_url,
        "DOSEWATCH_DATA_DIR": str(data_dir),
        "TICK_SECONDS": "1",
        # Small batches, so two ticks or two senders running at once really interleave.
        "TICK_BATCH_SIZE": "5",
        "OUTBOX_BATCH_SIZE": "5",
        "PUBLIC_BASE_URL": "https://dosewatch.example.org",
    }
    uses_twilio = TWILIO_NOTIFIER.exists()
    if uses_twilio:
        settings.update(NOTIFIER="twilio", TWILIO_ACCOUNT_SID=TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN="test-token",
                        TWILIO_FROM_NUMBER="+15005550006", TWILIO_API_BASE_URL=twilio_mock_url)
    else:
        settings.update(NOTIFIER="console", CONSOLE_NOTIFIER_ECHO="1")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DOSEWATCH_", "CELERY_"))}
    env.update(settings, PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost")
    log_path = data_dir / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "workers.main", "worker", "--loglevel", "INFO",
               "--concurrency", "2", "-P", "threads", "-n", f"integ-{uuid.uuid4().hex[:6]}@%h",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    client = create_app({**settings, "TICK_SECONDS": 1.0, "TICK_BATCH_SIZE": 5, "OUTBOX_BATCH_SIZE": 5,
                         "NOTIFIER": "console", "CONSOLE_NOTIFIER_ECHO": False})
    running = Worker(process, log_path, broker_url, client, uses_twilio)
    try:
        def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"the worker exited with {process.returncode}:\n{running.log()[-3000:]}")
            return " ready." in running.log()

        wait_for("the worker to be ready", ready, timeout=30)
        yield running
    finally:
        process.terminate()  # warm shutdown: finishes the task in hand
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        get_db(client).dispose()


@pytest.fixture
def live(worker: Worker) -> Worker:
    """The worker, with empty tables and an empty broker for this test."""
    engine = get_db(worker.app).engine
    with engine.begin() as conn:
        # TRUNCATE, not the DELETE the other fixtures use: its exclusive lock waits for the running
        # worker's transactions, so nothing a previous test left in flight lands in this one.
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    worker.flush_broker()
    worker.start_test()
    return worker

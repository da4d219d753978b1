"""``/readyz`` with real processes: a Celery worker and beat (SQLite and the filesystem broker, as
``dosewatch up`` runs them, ticking every 2 s). Ready while both run; 503 naming beat once beat
is stopped; 503 naming the tick, with beat still fine, once the worker is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from alerts import create_app
from alerts.app import get_db
from alerts.migrate import upgrade

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups")]


class Loop:
    # Ticks every 2 s, not 1: a tick expires after one period, and on a loaded machine the
    # filesystem broker can take a second to deliver it.
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DOSEWATCH_", "CELERY_"))}
        self.env.update(DOSEWATCH_DATA_DIR=str(data_dir), DATABASE_URL=f"sqlite:///{data_dir / 'dw.sqlite3'}",
                        TICK_SECONDS="2", NOTIFIER="console", CONSOLE_NOTIFIER_ECHO="0", PYTHONUNBUFFERED="1")
        self.env.pop("REDIS_URL", None)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, pool: str = "solo", concurrency: int = 1) -> None:
        argv = {"worker": ["worker", "-P", pool, "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
                           "--without-heartbeat"],
                "beat": ["beat", "-s", str(self.data_dir / "celerybeat-schedule")]}[name]
        log = (self.data_dir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.main", *argv,
                                             "--loglevel", "INFO"], cwd=REPO, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)  # as a crash or an OOM kill: no goodbye
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    def logs(self, tail: int | None = None) -> str:
        return "\n".join(p.read_text(errors="replace")[-(tail or 0):] for p in self.data_dir.glob("*.log"))


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[tuple[Loop, Flask]]:
    running = Loop(tmp_path)
    upgrade(running.env["DATABASE_URL"])
    app = create_app({"DOSEWATCH_DATA_DIR": str(tmp_path), "DATABASE_URL": running.env["DATABASE_URL"],
                      "TICK_SECONDS": 2.0, "NOTIFIER": "console", "CELERY_BROKER_URL": "filesystem://"})
    try:
        yield running, app
    finally:
        running.stop_all()
        get_db(app).dispose()


def _wait(what: str, probe: Callable[[], Any], loop: Loop, timeout: float = 40.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}\n{loop.logs(tail=3000)}")


def test_readyz_fails_when_beat_stops_and_when_the_worker_stops(loop) -> None:  # type: ignore[no-untyped-def]
    running, app = loop
    client = app.test_client()

    def readyz() -> tuple[int, dict[str, Any]]:
        response = client.get("/readyz")
        return response.status_code, response.get_json()

    running.start("worker")
    running.start("beat")
    _wait("/readyz 200 with worker and beat running", lambda: readyz()[0] == 200, running)

    running.stop("beat")
    status, body = _wait("/readyz 503 after beat stopped", lambda: (r := readyz())[0] == 503 and r, running)
    assert not body["checks"]["beat"]["ok"]
    assert "Celery beat" in body["checks"]["beat"]["detail"]
    assert client.get("/healthz").status_code == 200  # the API itself is fine

    running.start("beat")
    _wait("/readyz 200 again with beat back", lambda: readyz()[0] == 200, running)

    running.stop("worker")
    status, body = _wait("/readyz 503 after the worker stopped", lambda: (r := readyz())[0] == 503 and r, running)
    assert not body["checks"]["tick"]["ok"] and "a worker running the tick" in body["checks"]["tick"]["detail"]
    assert body["checks"]["beat"]["ok"]  # beat still publishes: it is the worker that is gone

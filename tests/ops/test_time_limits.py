"""Celery time limits: every task has them, and a task stuck past its soft limit is stopped without
losing or repeating its work.

The stuck task is real: the sender's Twilio request goes to a local server that accepts it and never
answers. The worker (prefork, as production runs it) raises the soft limit in the task; the send in
flight ends at the Twilio client's own timeout (10 s, shorter than the gap between the soft and the
hard limit, so the hard kill is never needed), its row becomes ``unknown`` (never re-sent: Twilio may
have it), the escalation moves on, and the worker goes on ticking.

Why the test stops at the soft limit: a hard kill (SIGTERM to the pool process) can leave billiard's
result-queue lock held by the dead process, and the whole pool then waits on it for ever. We saw it
here, intermittently (py-spy: every pool process in ``SemLock.__enter__`` in ``send_payload``). So
the soft limit is what ends a stuck task, the hard one is the last resort, and a worker wedged that
way stops stamping its heartbeat, which ``/readyz`` and ``dosewatch doctor --check worker`` report."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from alerts.clock import utcnow
from alerts.config import ConfigError, load_settings
from alerts.db import Database
from alerts.models import DoseSchedule, Notification, Patient
from alerts.ops import heartbeat
from alerts.services.doses import start_schedule
from tests.ops.test_readyz_processes import Loop, _wait


def test_every_task_has_a_soft_and_a_hard_time_limit(app) -> None:  # type: ignore[no-untyped-def]
    celery = app.extensions["celery"]
    ours = [task for name, task in celery.tasks.items() if name.startswith("workers.")]
    assert {t.name for t in ours} >= {"workers.tasks.tick", "workers.tasks.deliver_outbox",
                                      "workers.maintenance.apply_retention"}
    for task in ours:
        soft = task.soft_time_limit or celery.conf.task_soft_time_limit
        hard = task.time_limit or celery.conf.task_time_limit
        assert 0 < soft < hard < app.config["SEND_LEASE_SECONDS"], task.name


def test_a_hard_limit_as_long_as_the_send_lease_is_refused_at_start() -> None:
    with pytest.raises(ConfigError, match="TASK_TIME_LIMIT"):
        load_settings({"TASK_TIME_LIMIT": 120, "SEND_LEASE_SECONDS": 120}, env={})


@pytest.fixture
def silent_twilio() -> Iterator[tuple[str, list[str]]]:
    """A 'Twilio' that reads each request and never answers it (until the test ends)."""
    requests: list[str] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
            # Which outbox row this is: its status callback URL carries ?n=<notification id>.
            requests.append(form.get("StatusCallback", [""])[0].rsplit("n=", 1)[-1])
            release.wait(60)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    release.set()
    server.shutdown()
    server.server_close()


@pytest.mark.integration
def test_a_send_stuck_past_its_soft_limit_is_stopped_and_its_message_is_neither_lost_nor_repeated(
        tmp_path, silent_twilio) -> None:  # type: ignore[no-untyped-def]
    twilio_url, requests = silent_twilio
    loop = Loop(tmp_path)
    loop.env.update(TASK_SOFT_TIME_LIMIT="1", TASK_TIME_LIMIT="25", SEND_LEASE_SECONDS="30", NOTIFIER="twilio",
                    TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="test-token",
                    TWILIO_FROM_NUMBER="+15005550006", TWILIO_API_BASE_URL=twilio_url)
    from alerts.migrate import upgrade

    upgrade(loop.env["DATABASE_URL"])
    db = Database(loop.env["DATABASE_URL"])
    with db.session() as session:
        patient = Patient(name="Ana", timezone="America/New_York", phone="+12025550101")
        session.add(patient)
        session.flush()
        schedule = DoseSchedule(patient_id=patient.id, times=["08:00"], dose_mg=Decimal(10), grace_minutes=30)
        session.add(schedule)
        session.flush()
        start_schedule(session, schedule, patient, utcnow() - timedelta(days=2))

    def status() -> str | None:
        with db.sessionmaker() as session:
            return session.scalar(select(Notification.status).where(Notification.id == 1))

    try:
        loop.start("worker", pool="prefork", concurrency=2)  # time limits need a pool process to kill
        loop.start("beat")
        _wait("the reminder to reach the silent Twilio", lambda: "1" in requests, loop)
        _wait("the soft time limit to stop the send", lambda: "Soft time limit (1s) exceeded" in loop.logs(), loop)
        # The send in flight times out: unknown (Twilio may have it), not re-sent, and the
        # escalation moves on at once (alerts/services/unreachable.py).
        _wait("the stuck row to become unknown", lambda: status() == "unknown", loop)
        killed_at = utcnow()
        # The worker carries on: ticks keep running after the kill.
        _wait("a tick after the kill", lambda: _last_tick(db) > killed_at, loop)
        time.sleep(2)
        # Each message was handed to "Twilio" once: the stopped send was never repeated (the
        # escalation moved on to new messages instead, each stuck and stopped in its turn).
        assert requests.count("1") == 1 and len(requests) == len(set(requests)), requests
        assert "Hard time limit" not in loop.logs()
    finally:
        loop.stop_all()
        db.dispose()


def _last_tick(db: Database):  # type: ignore[no-untyped-def]
    with db.sessionmaker() as session:
        return heartbeat.read(session).get("tick", utcnow() - timedelta(days=1))

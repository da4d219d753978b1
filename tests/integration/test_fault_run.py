"""The fault run: every message delivered exactly once while everything around the sender breaks.

Real Celery workers and beats (subprocesses, configured by environment as in production), a
throw-away PostgreSQL cluster and a throw-away Redis that this test starts and is free to break, and
a Twilio-shaped sink on loopback (``tests/support/twilio_sink.py``) that records every message.
1,200 messages for 200 patients are queued in six waves; during each wave's delivery one thing
breaks: a worker is killed with SIGKILL (and restarted), Redis is flushed (FLUSHALL), PostgreSQL is
restarted, the sink answers 429, then 500, then times out (having taken the message). Then every
outbox row is reconciled against what the sink received: none lost, none twice, none stuck.
Bounded: about a minute per run; every process is stopped at the end, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from alerts.clock import utcnow
from alerts.domain.delivery import EMERGENCY, ROUTINE, URGENT
from alerts.domain.escalation import Recipient
from alerts.models import Base, Caregiver, Notification, Patient
from alerts.services.outbox import Message, queue_messages
from tests.integration.conftest import REDIS_DB, REPO, TEST_ACCOUNT_SID, _die_with_parent, wait_for
from tests.support.throwaway import postgres_cluster, redis_server
from tests.support.twilio_sink import TwilioSink

pytestmark = pytest.mark.integration

PATIENTS = 200
WAVES = 6  # one message per patient per wave: 1,200 in all
FINAL_TIMEOUT = 120.0


@dataclass
class Fleet:
    """The workers and beats of one run, started and stopped by the test."""

    env: dict[str, str]
    logs: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    beats: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.main", *args], cwd=REPO, env=self.env,
                                stdout=log, stderr=subprocess.STDOUT,
                                # The child only calls prctl before exec: no lock the sink thread holds is touched.
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)  # noqa: PLW1509

    def start_worker(self, index: int) -> None:
        process = self._spawn(f"worker{index}", [
            "worker", "--loglevel", "INFO", "-P", "threads", "--concurrency", "3", "-n", f"fault{index}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat"])
        if index < len(self.workers):
            self.workers[index] = process
        else:
            self.workers.append(process)

    def start_beat(self, index: int) -> None:
        self.beats.append(self._spawn(f"beat{index}", [
            "beat", "--loglevel", "INFO", "-s", str(self.logs / f"beat{index}-schedule")]))

    def kill_worker(self, index: int) -> None:
        """kill -9: no warm shutdown, no acknowledgement, claimed rows left ``sending``."""
        process = self.workers[index]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.workers + self.beats:
            if process.poll() is None:
                process.terminate()
        for process in self.workers + self.beats:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@dataclass
class Reconciliation:
    sent: int
    lost: list[str]
    duplicated: list[str]
    stuck: list[str]
    rechecked: int = 0  # timed out, not found at once, found at the provider a lease later

    def line(self) -> str:
        return (f"fault run: {self.sent} sent, {len(self.lost)} lost, {len(self.duplicated)} duplicated, "
                f"{len(self.stuck)} stuck")


def reconcile(sessions: sessionmaker[Session], sink: TwilioSink) -> Reconciliation:
    """Every outbox row against the sink: sent once and recorded sent, or not."""
    with sessions() as s:
        rows = list(s.execute(select(Notification.body, Notification.status, Notification.attempts,
                                     Notification.last_error, Notification.recheck_at)))
    received = sink.bodies()
    mine = {body for body, *_ in rows}
    # Not settled yet: still to send, or a timed-out send still to be asked about a lease later.
    stuck = [body for body, status, _, _, recheck_at in rows if status in ("queued", "sending") or recheck_at]
    # A lost row says what became of it, so a failure here can be read without re-running it.
    lost = [f"{body} [{status} after {attempts} attempt(s), received {received[body]}: {last_error}]"
            for body, status, attempts, last_error, _ in rows
            if received[body] == 0 or status not in ("sent", "queued", "sending")]
    duplicated = [body for body, count in received.items() if count > 1 or body not in mine]
    sent = sum(1 for body, status, *_ in rows if status == "sent" and received[body] == 1)
    rechecked = sum(1 for _, status, _, last_error, _ in rows
                    if status == "sent" and "found at the provider a lease later" in (last_error or ""))
    return Reconciliation(sent, lost, duplicated, stuck, rechecked)


def seed_patients(sessions: sessionmaker[Session]) -> list[list[Recipient]]:
    """200 patients with two caregivers each; returns each patient's three recipients."""
    people = []
    with sessions.begin() as s:
        for n in range(PATIENTS):
            patient = Patient(name=f"Patient {n}", timezone="America/Chicago", phone=f"+1500555{n:04d}")
            s.add(patient)
            s.flush()
            recipients = [Recipient("patient", patient.id, patient.phone or "", patient.name)]
            for position in (1, 2):
                carer = Caregiver(patient_id=patient.id, name=f"Carer {n}.{position}",
                                  phone=f"+1415{position}{n:06d}", position=position)
                s.add(carer)
                s.flush()
                recipients.append(Recipient("caregiver", carer.id, carer.phone, carer.name))
            people.append(recipients)
    return people


def queue_wave(sessions: sessionmaker[Session], people: list[list[Recipient]], wave: int) -> None:
    """One message per patient, to one of its three people; a tenth are emergencies, a tenth urgent."""
    with sessions.begin() as s:
        for n, recipients in enumerate(people):
            index = wave * PATIENTS + n
            priority, kind = ((EMERGENCY, "emergency") if index % 10 == 0 else (URGENT, "withdrawal_risk")
                              if index % 10 == 1 else (ROUTINE, "escalation"))
            queue_messages(s, recipients[0].id, None, [Message(
                dedupe_key=f"fault:{index}", recipient=recipients[(wave + n) % 3], kind=kind, priority=priority,
                body=f"dosewatch: fault run message {index} about Patient {n}. Please check on them.")], utcnow())


@contextlib.contextmanager
def running_fleet(tmp_path: Path, workers: int, beats: int) -> Iterator[tuple[Fleet, sessionmaker[Session],
                                                                              TwilioSink, Callable[[], None],
                                                                              Callable[[], None]]]:
    sink = TwilioSink(delay_seconds=0.05, hang_seconds=2.5)
    sink_url = sink.start()
    with postgres_cluster() as cluster, redis_server(tmp_path / "redis") as redis_url:
        engine: Engine = create_engine(cluster.url, pool_pre_ping=True)
        Base.metadata.create_all(engine)
        broker_url = f"{redis_url}/{REDIS_DB}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DOSEWATCH_", "CELERY_"))}
        env.update(
            DATABASE_URL=cluster.url, CELERY_BROKER_URL=broker_url, DOSEWATCH_DATA_DIR=str(tmp_path),
            TICK_SECONDS="1", OUTBOX_BATCH_SIZE="20", SEND_LEASE_SECONDS="8", SEND_MAX_ATTEMPTS="30",
            # A task must be dead before its lease runs out (the configuration refuses otherwise), so
            # the short lease brings short time limits: a drain cut off by them is a crash like any other.
            TASK_SOFT_TIME_LIMIT="6", TASK_TIME_LIMIT="7",
            NOTIFIER="twilio", TWILIO_ACCOUNT_SID=TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN="test-token",
            TWILIO_FROM_NUMBER="+15005550006", TWILIO_API_BASE_URL=sink_url, TWILIO_HTTP_TIMEOUT="1",
            PUBLIC_BASE_URL="https://dosewatch.example.org", PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost")
        fleet = Fleet(env, tmp_path)
        try:
            for i in range(workers):
                fleet.start_worker(i)
            for i in range(beats):
                fleet.start_beat(i)
            yield (fleet, sessionmaker(engine, expire_on_commit=False), sink,
                   lambda: redis.Redis.from_url(broker_url).flushall(), cluster.restart)
        finally:
            fleet.stop()
            engine.dispose()
            sink.stop()


@pytest.mark.parametrize(("workers", "beats"), [(1, 1), (2, 2)], ids=["one-worker-one-beat", "two-workers-two-beats"])
def test_no_message_is_lost_or_sent_twice_through_kills_flushes_restarts_and_provider_errors(
        tmp_path: Path, workers: int, beats: int) -> None:
    with running_fleet(tmp_path, workers, beats) as (fleet, sessions, sink, flush_redis, restart_postgres):
        people = seed_patients(sessions)

        def mid_wave(wave: int) -> None:
            """Queue a wave and wait until its delivery is under way."""
            before = len(sink.received)
            queue_wave(sessions, people, wave)
            wait_for(f"wave {wave} to be under way", lambda: len(sink.received) >= before + 20, timeout=60,
                     interval=0.01)

        mid_wave(0)
        fleet.kill_worker(0)  # mid-batch: its claimed rows are left "sending"
        fleet.start_worker(0)

        mid_wave(1)
        flush_redis()  # every queued nudge and unacked task gone; the next tick nudges again

        mid_wave(2)
        restart_postgres()  # every connection dropped mid-transaction

        sink.fail("429", requests=40)
        mid_wave(3)
        sink.fail("500", requests=40)
        mid_wave(4)
        sink.fail("timeout", requests=6)  # Twilio took them, but the answer comes after the client gave up
        mid_wave(5)

        def settled() -> Reconciliation | None:
            result = reconcile(sessions, sink)
            return result if not result.stuck and result.sent + len(result.lost) == PATIENTS * WAVES else None

        result = wait_for("every outbox row to settle", settled, timeout=FINAL_TIMEOUT, interval=0.5)
        time.sleep(2)  # anything sent twice would arrive now
        result = reconcile(sessions, sink)
        print(f"\n{result.line()} ({workers} worker(s), {beats} beat(s); faults: SIGKILL, FLUSHALL, "
              f"PostgreSQL restart, {dict(sink.refused)}; {result.rechecked} settled on a second look)")

        assert sink.refused == Counter({"429": 40, "500": 40, "timeout": 6})
        assert (result.lost, result.duplicated, result.stuck) == ([], [], [])
        assert result.sent == PATIENTS * WAVES
        assert result.line() == f"fault run: {PATIENTS * WAVES} sent, 0 lost, 0 duplicated, 0 stuck"

"""A real worker (Celery on Redis, PostgreSQL) carries out missed-dose escalations end to end.

The worker runs on the real clock, so "time passing" is simulated by moving ``check_at`` and
``next_step_at`` back in the database. Every assertion is on rows the worker wrote and on what it
handed to the notifier (the Twilio mock, or the console notifier's printed lines).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from alerts.clock import utcnow
from alerts.models import Alert, Caregiver, Dose, DoseSchedule, Notification, Patient
from alerts.services.alerts import acknowledge
from alerts.services.tick import run_tick
from tests.integration.conftest import Worker, wait_for
from tests.support import settings

pytestmark = pytest.mark.integration

TICK = "workers.tasks.tick"
DELIVER = "workers.tasks.deliver_outbox"
DELIVERED = ("sent", "recorded")  # "recorded": the console notifier stood in for Twilio


def seed_overdue_patient(worker: Worker, n: int = 1, caregivers: int = 2) -> Patient:
    """A patient whose next dose's grace ran out a minute ago, with ``caregivers`` caregivers."""
    now = utcnow()
    with worker.sessions.begin() as s:
        patient = Patient(name=f"Patient {n}", timezone="America/Chicago", phone=f"+1500555{n:04d}",
                          escalation_minutes=15)
        s.add(patient)
        s.flush()
        for position in range(1, caregivers + 1):
            s.add(Caregiver(patient_id=patient.id, name=f"Carer {n}.{position}", phone=f"+1415{n:03d}{position:04d}",
                            position=position))
        schedule = DoseSchedule(patient_id=patient.id, times=["08:00", "20:00"], dose_mg=Decimal("10"),
                                grace_minutes=30)
        s.add(schedule)
        s.flush()
        s.add(Dose(patient_id=patient.id, schedule_id=schedule.id, due_at=now - timedelta(minutes=31),
                   check_at=now - timedelta(minutes=1), local_date=now.date(), local_time="08:00",
                   dose_mg=Decimal("10")))
    return patient


def rows(worker: Worker) -> list[Notification]:
    with worker.sessions() as s:
        return list(s.scalars(select(Notification).order_by(Notification.id)))


def all_delivered(worker: Worker, count: int) -> list[Notification]:
    """Wait until exactly ``count`` rows exist and each has left (sent or recorded)."""
    def probe() -> list[Notification] | None:
        found = rows(worker)
        return found if len(found) == count and all(n.status in DELIVERED for n in found) else None

    return wait_for(f"{count} delivered notifications", probe)


def make_next_step_due(worker: Worker) -> None:
    """Pretend the escalation interval has passed (the worker runs on the real clock)."""
    with worker.sessions.begin() as s:
        s.execute(update(Alert).where(Alert.status == "open", Alert.next_step_at.is_not(None))
                  .values(next_step_at=utcnow() - timedelta(seconds=1)))


def assert_each_sent_once(worker: Worker, found: list[Notification]) -> None:
    """One row per (alert, step, recipient, channel); each handed to the notifier exactly once."""
    keys = Counter((n.alert_id, n.step, n.recipient_kind, n.recipient_id, n.channel) for n in found)
    assert set(keys.values()) == {1}
    assert all(n.attempts == 1 and n.provider_sid for n in found)
    if worker.uses_twilio:
        assert all(n.status == "sent" and n.provider_sid.startswith("SM") for n in found)  # type: ignore[union-attr]
    else:
        printed = Counter(worker.console_lines())
        assert printed == Counter(f"[{n.channel} -> {n.to_number}] {n.body}" for n in found)
    wait_for(f"the worker to report {len(found)} sends", lambda: worker.messages_sent() >= len(found))
    assert worker.messages_sent() == len(found)


def test_missed_dose_becomes_a_reminder_the_worker_sends(live: Worker) -> None:
    patient = seed_overdue_patient(live)
    assert live.run(TICK)["missed_doses"] == 1

    (reminder,) = all_delivered(live, 1)
    assert (reminder.kind, reminder.step, reminder.to_number) == ("reminder", 0, patient.phone)
    assert_each_sent_once(live, [reminder])
    with live.sessions() as s:
        statuses = sorted(s.scalars(select(Dose.status).where(Dose.patient_id == patient.id)))
    assert statuses == ["missed", "pending"]  # and its successor is watched


def test_escalation_proceeds_across_ticks_and_stops_on_acknowledgement(live: Worker) -> None:
    patient = seed_overdue_patient(live, caregivers=2)
    live.run(TICK)
    all_delivered(live, 1)
    live.run(TICK)  # the interval has not passed: nothing more
    for expected in (2, 3):  # caregiver 1, then caregiver 2
        make_next_step_due(live)
        live.run(TICK)
        all_delivered(live, expected)
    assert [(n.step, n.recipient_kind) for n in rows(live)] == [(0, "patient"), (1, "caregiver"), (2, "caregiver")]

    with live.sessions.begin() as s:  # caregiver 1 replies OK: what the SMS webhook does
        alert = s.scalars(select(Alert).where(Alert.patient_id == patient.id)).one()
        first = s.scalars(select(Caregiver).where(Caregiver.patient_id == patient.id, Caregiver.position == 1)).one()
        acknowledge(s, alert, first, via="sms", now=utcnow())
    live.send(DELIVER)  # the route's kick after its commit
    found = all_delivered(live, 5)
    assert [n.kind for n in found[3:]] == ["all_clear", "all_clear"]  # the patient and caregiver 2

    make_next_step_due(live)  # only open alerts are touched: the "everyone" step never comes
    live.run(TICK)
    live.run(DELIVER)
    assert len(rows(live)) == 5
    assert_each_sent_once(live, rows(live))


def test_flushing_redis_mid_escalation_loses_nothing_and_sends_nothing_twice(live: Worker) -> None:
    seed_overdue_patient(live, caregivers=2)
    live.run(TICK)
    all_delivered(live, 1)

    # A decision is committed (caregiver 1's row queued) and its nudges are in Redis ... then Redis
    # is flushed, whether or not the worker had taken them yet.
    make_next_step_due(live)
    run_tick(live.sessions, utcnow(), **settings.TICK)
    live.send(DELIVER)
    live.send(TICK)
    live.flush_broker()
    live.run(TICK)  # the next beat tick
    all_delivered(live, 2)

    # A step falls due and its tick is flushed away with the queue: the following tick runs it.
    make_next_step_due(live)
    live.send(TICK)
    live.flush_broker()
    live.run(TICK)
    found = all_delivered(live, 3)
    live.run(TICK)
    live.run(DELIVER)
    assert [(n.step, n.recipient_kind) for n in rows(live)] == [(0, "patient"), (1, "caregiver"), (2, "caregiver")]
    assert_each_sent_once(live, found)


def test_two_ticks_at_once_on_two_worker_threads_write_no_duplicates(live: Worker) -> None:
    patients = [seed_overdue_patient(live, n, caregivers=1) for n in range(1, 31)]
    ids = [live.send(TICK), live.send(TICK)]
    results = [live.wait_succeeded(i) for i in ids]
    assert sum(r["missed_doses"] for r in results) == len(patients)  # claims were disjoint

    found = all_delivered(live, len(patients))
    assert sorted(n.patient_id for n in found) == sorted(p.id for p in patients)
    with live.sessions() as s:
        assert len(list(s.scalars(select(Alert.id)))) == len(patients)
    assert_each_sent_once(live, found)


def test_two_senders_racing_on_one_backlog_send_each_message_once(live: Worker) -> None:
    for n in range(1, 41):
        seed_overdue_patient(live, n, caregivers=0)
    run_tick(live.sessions, utcnow(), **settings.TICK)  # 40 reminders queued, no nudge yet
    threads = [threading.Thread(target=live.send, args=(DELIVER,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert_each_sent_once(live, all_delivered(live, 40))

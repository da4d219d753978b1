"""Two ticks racing on PostgreSQL (each its own session, as two workers would be) never act twice.

PostgreSQL only: that is where ticks really run concurrently (SKIP LOCKED claims); SQLite serialises
writers with BEGIN IMMEDIATE, so there is no race to lose there.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts.models import Alert, Dose
from alerts.services.tick import TickReport, run_tick
from tests.conftest import NOW
from tests.services.support import MINUTE, notifications, read
from tests.support.settings import TICK

PATIENTS = 60


@pytest.fixture
def any_app(pg_app: Flask) -> Flask:
    return pg_app


@pytest.fixture
def crowd(session: Session, make_patient, make_caregiver, make_schedule) -> datetime:  # type: ignore[no-untyped-def]
    """Sixty patients, one caregiver each, all with a 14:00 dose; returns its due + grace."""
    for _ in range(PATIENTS):
        patient = make_patient(escalation_minutes=10)
        make_caregiver(patient)
        make_schedule(patient, ["14:00"], now=NOW)
    session.commit()
    return read(session, select(Dose).limit(1))[0].check_at


def race(sessions: sessionmaker[Session], now: datetime) -> list[TickReport]:
    """Two ticks at the same instant, released together; small batches so they interleave."""
    start = threading.Barrier(2)
    reports: list[TickReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            reports.append(run_tick(sessions, now, **{**TICK, "batch_size": 4}))
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return reports


def one_row_per_message(session: Session) -> Counter[tuple[object, ...]]:
    return Counter((n.alert_id, n.step, n.recipient_kind, n.recipient_id, n.channel) for n in notifications(session))


def test_two_racing_ticks_claim_disjoint_doses_and_queue_each_message_once(
        session: Session, sessions: sessionmaker[Session], crowd: datetime) -> None:
    reports = race(sessions, crowd)
    assert sum(r.missed_doses for r in reports) == PATIENTS  # disjoint claims, none left behind
    assert sum(r.alerts_opened for r in reports) == PATIENTS
    assert sum(r.steps_run for r in reports) == PATIENTS

    per_message = one_row_per_message(session)
    assert len(per_message) == PATIENTS and set(per_message.values()) == {1}
    assert {n.recipient_kind for n in notifications(session)} == {"patient"}
    alerts = read(session, select(Alert))
    assert len(alerts) == PATIENTS and len({a.patient_id for a in alerts}) == PATIENTS
    statuses = Counter(d.status for d in read(session, select(Dose)))
    assert statuses == {"missed": PATIENTS, "pending": PATIENTS}  # each dose once, one successor each


def test_two_racing_ticks_run_each_escalation_step_once(
        session: Session, sessions: sessionmaker[Session], crowd: datetime) -> None:
    run_tick(sessions, crowd, **TICK)
    reports = race(sessions, crowd + 10 * MINUTE)
    assert sum(r.steps_run for r in reports) == PATIENTS
    per_message = one_row_per_message(session)
    assert len(per_message) == 2 * PATIENTS and set(per_message.values()) == {1}
    caregivers_told = Counter(n.alert_id for n in notifications(session) if n.recipient_kind == "caregiver")
    assert len(caregivers_told) == PATIENTS and set(caregivers_told.values()) == {1}
    assert {a.next_step for a in read(session, select(Alert))} == {2}

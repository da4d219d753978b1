"""Due work is decided on the database's clock: a worker whose own clock is wrong does not send early
or late. SQLite (the machine's C clock) and PostgreSQL; the process clock is moved with freezegun,
which the database server does not see."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import Dose, DoseSchedule, Notification, Patient
from alerts.services import db_clock
from tests.services.support import read
from workers.tasks import tick


def patient_with_dose(session: Session, check_in: timedelta) -> Dose:
    """Rosa, whose 08:00 dose's grace runs out ``check_in`` from now on the real clock."""
    now = utcnow()
    patient = Patient(name="Rosa", timezone="America/Chicago", phone="+15005550101")
    session.add(patient)
    session.flush()
    schedule = DoseSchedule(patient_id=patient.id, times=["08:00"], dose_mg=Decimal(10), grace_minutes=30)
    session.add(schedule)
    session.flush()
    dose = Dose(patient_id=patient.id, schedule_id=schedule.id, due_at=now + check_in - timedelta(minutes=30),
                check_at=now + check_in, local_date=now.date(), local_time="08:00", dose_mg=Decimal(10))
    session.add(dose)
    session.commit()
    return dose


def tick_with_process_clock(app: Flask, skew: timedelta) -> dict[str, int]:
    with app.app_context(), freeze_time(utcnow() + skew, tick=True):
        return tick.run()  # type: ignore[no-any-return]


def test_a_worker_clock_20_minutes_fast_does_not_send_dose_not_recorded_early(
        any_app: Flask, session: Session, caplog: pytest.LogCaptureFixture) -> None:
    dose = patient_with_dose(session, check_in=timedelta(minutes=10))
    drifts = db_clock.drift_events
    with caplog.at_level(logging.ERROR, logger="dosewatch.clock"):
        result = tick_with_process_clock(any_app, timedelta(minutes=20))

    assert result["missed_doses"] == 0
    assert read(session, select(Dose.status).where(Dose.id == dose.id)) == ["pending"]
    assert read(session, select(Notification)) == []
    # Loud: an error log and a count, for whoever watches the worker.
    assert db_clock.drift_events == drifts + 1
    assert "clock drift" in caplog.text
    assert abs(result["clock_drift_ms"] - 20 * 60 * 1000) < 5000


def test_a_worker_clock_20_minutes_slow_still_finds_a_missed_dose_on_time(any_app: Flask, session: Session) -> None:
    dose = patient_with_dose(session, check_in=-timedelta(minutes=1))
    result = tick_with_process_clock(any_app, -timedelta(minutes=20))

    assert result["missed_doses"] == 1
    assert read(session, select(Dose.status).where(Dose.id == dose.id)) == ["missed"]
    assert [n.kind for n in read(session, select(Notification))] == ["reminder"]


def test_a_clock_within_a_second_of_the_database_is_not_reported(
        any_app: Flask, session: Session, caplog: pytest.LogCaptureFixture) -> None:
    drifts = db_clock.drift_events
    with caplog.at_level(logging.ERROR, logger="dosewatch.clock"):
        result = tick_with_process_clock(any_app, timedelta(0))
    assert db_clock.drift_events == drifts
    assert "clock drift" not in caplog.text
    assert abs(result["clock_drift_ms"]) < 1000

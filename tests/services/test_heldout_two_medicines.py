"""The held-out SMS batches (``tests/fixtures/sms``) through the inbound service, each text sent by a
patient on baclofen alone and by a twin on baclofen and metformin due at the same 14:00 dose, a
missed-dose alert open for both: whatever the text says, the two must end alike for baclofen
(same outcome, same alerts, same baclofen dose state), and nothing may make a clinical claim about
the metformin.

One tick opens every patient's missed-dose alert; then each row is answered once per twin. SQLite
only: the batch is about what a text does, not about the database (the webhook tests run both).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.clinical.safety import advice_violations
from alerts.models import Alert, Caregiver, Dose, DoseSchedule, Medication, Notification, Patient
from alerts.services.doses import start_schedule
from alerts.services.inbound import handle_sms
from alerts.services.tick import run_tick
from tests.twilio.conftest import CLINICAL_WORDS
from tests.unit.sms_batches import FIXTURES, load
from tests.support.settings import POLICY, TICK, WINDOWS

START = datetime(2026, 6, 15, 17, 0, tzinfo=UTC)   # 13:00 in New York: the next baclofen dose is 14:00
MISSED = datetime(2026, 6, 15, 18, 31, tzinfo=UTC)  # 14:31: both 14:00 doses are missed
ANSWER = MISSED + timedelta(minutes=4)


@pytest.fixture
def any_app(app: Flask) -> Flask:
    return app


def _twin(session: Session, n: int, row: dict, medicines: int) -> tuple[Patient, Caregiver, int]:
    lang = row.get("lang") or "en"
    patient = Patient(name=row.get("patient_name") or "Rosa", timezone="America/New_York", language=lang,
                      phone=f"+1202555{n:04d}", escalation_minutes=10)
    session.add(patient)
    session.flush()
    caregiver = Caregiver(patient_id=patient.id, name="Ann", phone=f"+1415555{n:04d}", position=1, language=lang)
    baclofen = Medication(patient_id=patient.id, name="baclofen", route="oral")
    session.add_all([caregiver, baclofen])
    session.flush()
    schedules = [DoseSchedule(patient_id=patient.id, medication_id=baclofen.id, times=["08:00", "14:00", "20:00"],
                              dose_mg=Decimal(10), grace_minutes=30)]
    if medicines == 2:
        metformin = Medication(patient_id=patient.id, name="metformin", route="oral")
        session.add(metformin)
        session.flush()
        schedules.append(DoseSchedule(patient_id=patient.id, medication_id=metformin.id, times=["14:00"],
                                      dose_mg=Decimal(500), grace_minutes=30))
    session.add_all(schedules)
    session.flush()
    for schedule in schedules:
        start_schedule(session, schedule, patient, START)
    return patient, caregiver, schedules[0].id


def _state(session: Session, patient: Patient, baclofen_schedule: int) -> tuple[object, ...]:
    kinds = sorted({a.kind for a in session.scalars(select(Alert).where(Alert.patient_id == patient.id))})
    baclofen = [(d.local_time, d.status) for d in session.scalars(
        select(Dose).where(Dose.schedule_id == baclofen_schedule).order_by(Dose.due_at))]
    return tuple(kinds), tuple(baclofen)


@pytest.mark.parametrize("batch", ["heldout.jsonl", "heldout2.jsonl"])
def test_every_held_out_text_ends_alike_for_baclofen_with_a_second_medicine_and_claims_nothing_about_it(
        session: Session, sessions, batch: str) -> None:  # type: ignore[no-untyped-def]
    rows = load(FIXTURES / batch)
    twins = []
    for i, row in enumerate(rows):
        twins.append((row, _twin(session, 2 * i, row, 1), _twin(session, 2 * i + 1, row, 2)))
    session.commit()
    run_tick(sessions, MISSED, **TICK)

    differences = []
    for i, (row, one, two) in enumerate(twins):
        results = []
        for (patient, caregiver, schedule_id), suffix in ((one, "a"), (two, "b")):
            sender = patient.phone if row["sender"] == "patient" else caregiver.phone
            result = handle_sms(session, message_sid=f"SM{batch[:8]}{i:05d}{suffix}", from_number=sender,
                                body=row["text"], now=ANSWER, policy=POLICY, windows=WINDOWS)
            session.commit()
            assert advice_violations(result.reply_text) == [], (row["id"], result.reply_text)
            results.append((result.outcome, _state(session, patient, schedule_id)))
        if results[0] != results[1]:
            differences.append((row["id"], results))

    assert differences == []
    metformin = [n.body for n in session.scalars(select(Notification)) if "metformin" in n.body.lower()]
    assert metformin, "the second medicine's reminders name it"
    assert [b for b in metformin if any(word in b.lower() for word in CLINICAL_WORDS)] == []

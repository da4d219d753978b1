"""A medicine other than baclofen gets adherence features only: reminders and missed-dose
escalation that name it, and never a clinical claim (no withdrawal, no toxicity).

NOW is 08:00 in New York. Every test asserts on the outbox: who is told what.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Alert, Dose, DoseSchedule, Medication, Patient
from alerts.services import admin as admin_service
from alerts.services import doses as dose_service
from alerts.services import supply
from alerts.services.doses import record_dose
from alerts.services.tick import TickReport, run_tick
from schemas.admin import ScheduleIn
from tests.conftest import NOW
from tests.services.support import MINUTE, add_second_medicine, bodies, pending_dose, read, sent
from tests.support.settings import DEFAULTS, POLICY, TICK, WINDOWS

HOUR = timedelta(hours=1)


def _medication(session: Session, patient: Patient, name: str, **kw: object) -> Medication:
    medication = Medication(patient_id=patient.id, name=name, route="oral", **kw)
    session.add(medication)
    session.commit()
    return medication


@pytest.fixture
def tick(sessions) -> Callable[[datetime], TickReport]:  # type: ignore[no-untyped-def]
    return lambda now: run_tick(sessions, now, **TICK)


@pytest.fixture
def take_dose(session: Session) -> Callable[..., list[int]]:
    def take(patient: Patient, at: datetime) -> list[int]:
        result = record_dose(session, patient, taken_at=at, source="app", now=at, policy=POLICY, windows=WINDOWS)
        session.commit()
        return list(result.notification_ids)

    return take


@pytest.fixture
def lev(session: Session, make_patient, make_caregiver, make_schedule) -> Patient:  # type: ignore[no-untyped-def]
    """Tom takes levetiracetam at 08:00 and 14:00 (no baclofen); Uma is his caregiver."""
    tom = make_patient(name="Tom", escalation_minutes=10)
    make_caregiver(tom, name="Uma")
    medication = _medication(session, tom, "Levetiracetam", strength="500 mg tablet")
    make_schedule(tom, ["08:00", "14:00"], medication_id=medication.id, now=NOW - MINUTE)
    return tom


def test_a_missed_dose_of_another_medicine_reminds_and_escalates_naming_that_medicine(
        session: Session, lev: Patient, tick) -> None:  # type: ignore[no-untyped-def]
    due = pending_dose(session, lev).check_at

    tick(due)
    tick(due + 10 * MINUTE)

    assert sent(session) == [("reminder", "patient", "sms", 0), ("escalation", "Uma", "sms", 1)]
    reminder, escalation = bodies(session)
    assert reminder.startswith("dosewatch: Tom, your 08:00 Levetiracetam dose has not been recorded yet.")
    assert escalation.startswith("dosewatch: Tom's 08:00 Levetiracetam dose has not been recorded (40 min overdue).")
    assert not any("baclofen" in text.lower() for text in (reminder, escalation))


def test_two_missed_doses_of_another_medicine_are_never_a_withdrawal_risk(
        session: Session, lev: Patient, tick) -> None:  # type: ignore[no-untyped-def]
    due = pending_dose(session, lev).check_at

    tick(due)
    tick(due + 6 * HOUR)  # the 14:00 dose is missed too: two in a row
    tick(due + 30 * HOUR)  # and more than a day without a dose

    kinds = {a.kind for a in read(session, select(Alert).where(Alert.patient_id == lev.id))}
    assert kinds == {"missed_dose"}
    assert {kind for kind, *_ in sent(session)} <= {"reminder", "escalation"}
    assert not any("withdrawal" in t.lower() or "toxicity" in t.lower() for t in bodies(session))


def test_another_medicine_taken_soon_after_baclofen_is_no_toxicity_claim(
        session: Session, make_patient, make_caregiver, make_schedule, take_dose) -> None:  # type: ignore[no-untyped-def]
    # Rosa takes baclofen 3 x 10 mg (interval 6 h) and 100 mg of another medicine at 09:00. Read as
    # baclofen, the 09:00 dose would be "too soon" and over the 30 mg daily total.
    rosa = make_patient(name="Rosa")
    make_caregiver(rosa, name="Ann")
    make_schedule(rosa, ["08:00", "14:00", "20:00"], now=NOW - MINUTE)
    other = _medication(session, rosa, "metformin")
    make_schedule(rosa, ["09:00"], dose_mg=Decimal(100), medication_id=other.id, now=NOW - MINUTE)

    take_dose(rosa, NOW)  # the 08:00 baclofen
    ids = take_dose(rosa, NOW + HOUR)  # the 09:00 metformin

    assert ids == []
    assert read(session, select(Alert).where(Alert.patient_id == rosa.id, Alert.kind == "toxicity_risk")) == []


def test_baclofen_doses_still_read_the_toxicity_rules_beside_another_medicine(
        session: Session, make_patient, make_caregiver, make_schedule, take_dose) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    make_caregiver(rosa, name="Ann")
    make_schedule(rosa, ["08:00", "14:00", "20:00"], now=NOW - MINUTE)
    other = _medication(session, rosa, "metformin")
    make_schedule(rosa, ["09:00"], medication_id=other.id, now=NOW - MINUTE)

    take_dose(rosa, NOW)
    take_dose(rosa, NOW + HOUR)  # metformin
    take_dose(rosa, NOW + 2 * HOUR - MINUTE)  # baclofen again, unscheduled, 1 h 59 min after the last

    # One toxicity alert per patient; each piece of evidence joins it (alerts/domain/clinical/response.py).
    keys = {key for a in read(session, select(Alert).where(Alert.patient_id == rosa.id))
            for key in [a.condition_key, *(a.details or {}).get("evidence", [])]}
    assert "toxicity_risk:too_soon" in keys


def test_a_schedule_given_no_medication_is_the_patients_baclofen(
        session: Session, make_patient) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    data = ScheduleIn.model_validate({"times": ["08:00"], "dose_mg": Decimal(10)})

    first = admin_service.add_schedule(session, rosa, data.to_domain(), NOW, default_grace_minutes=DEFAULTS.DEFAULT_GRACE_MINUTES)
    second = admin_service.add_schedule(session, rosa, data.to_domain(), NOW, default_grace_minutes=DEFAULTS.DEFAULT_GRACE_MINUTES)
    session.commit()

    medication, = admin_service.list_medications(session, rosa.id)
    assert (medication.name, medication.route) == ("baclofen", "oral")
    assert first.medication_id == second.medication_id == medication.id


def test_moving_a_schedule_to_another_medicine_takes_effect_from_the_next_dose_and_keeps_history(
        session: Session, lev: Patient, tick) -> None:  # type: ignore[no-untyped-def]
    old = read(session, select(DoseSchedule).where(DoseSchedule.patient_id == lev.id))[0]
    tick(pending_dose(session, lev).check_at)  # the 08:00 levetiracetam dose is missed
    other = _medication(session, lev, "lamotrigine")

    moved = admin_service.move_schedule(session, session.get(DoseSchedule, old.id), other.id, NOW + HOUR)
    session.commit()

    assert moved.id != old.id and moved.medication_id == other.id and moved.times == old.times
    assert not session.get(DoseSchedule, old.id).active
    nxt = pending_dose(session, lev)
    assert (nxt.schedule_id, nxt.local_time) == (moved.id, "14:00")
    missed = [d for d in read(session, select(DoseSchedule)) if d.id == old.id]
    assert missed and missed[0].medication_id == old.medication_id


def test_a_schedule_cannot_be_moved_to_another_patients_medicine(
        session: Session, lev: Patient, make_patient) -> None:  # type: ignore[no-untyped-def]
    stranger = _medication(session, make_patient(name="Omar"), "baclofen")
    schedule = read(session, select(DoseSchedule).where(DoseSchedule.patient_id == lev.id))[0]

    with pytest.raises(admin_service.Invalid, match="has no medication"):
        admin_service.move_schedule(session, session.get(DoseSchedule, schedule.id), stranger.id, NOW)


def test_baclofen_then_metformin_missed_escalate_as_doses_naming_both(
        session: Session, ward, tick) -> None:  # type: ignore[no-untyped-def]
    # Rosa's 14:00 baclofen is missed first; her 14:30 metformin joins the alert before Ann is told.
    add_second_medicine(session, ward.patient, ward.schedule, ["14:30"], now=NOW)

    tick(ward.t0)  # 14:30: the baclofen dose is missed, Rosa is reminded of it
    tick(ward.t0 + 30 * MINUTE)  # 15:00: the metformin dose is missed too, and the escalation reaches Ann

    reminder, escalation = bodies(session)
    assert reminder.startswith("dosewatch: Rosa, your 14:00 baclofen dose has not been recorded yet.")
    assert escalation.startswith("dosewatch: 2 of Rosa's doses have not been recorded (baclofen and metformin), "
                                 "from 14:00 to 14:30.")


# -- correcting and stopping a medicine (admin.update_medication, admin.stop_medication) ------------


def test_stopping_a_medicine_ends_its_schedules_from_the_next_dose_and_tells_no_one(
        session: Session, lev: Patient, tick, take_dose) -> None:  # type: ignore[no-untyped-def]
    take_dose(lev, NOW)  # the 08:00 levetiracetam, taken
    medication = read(session, select(Medication).where(Medication.patient_id == lev.id))[0]
    schedule = read(session, select(DoseSchedule).where(DoseSchedule.patient_id == lev.id))[0]
    stopped_at = NOW + HOUR

    ended = admin_service.stop_medication(session, session.get(Medication, medication.id), stopped_at,
                                          prescriber_ordered=False)
    session.commit()
    for hour in range(1, 30):  # the 14:00 dose and the next day's pass
        tick(stopped_at + hour * HOUR)

    assert [s.id for s in ended] == [schedule.id]
    session.expire_all()
    assert not session.get(Medication, medication.id).active
    assert (session.get(DoseSchedule, schedule.id).active, session.get(DoseSchedule, schedule.id).ended_at) == (
        False, stopped_at)
    assert [(d.local_time, d.status) for d in read(session, select(Dose).where(Dose.patient_id == lev.id)
                                                   .order_by(Dose.due_at))] == [("08:00", "taken"), ("14:00", "cancelled")]
    assert sent(session) == []  # no reminder, no escalation, and no message about the stop
    assert medication.id not in dose_service.active_medications(session, lev.id)  # no "took it" matches it


def test_baclofen_is_stopped_only_on_the_prescribers_confirmed_order(
        session: Session, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    baclofen = _medication(session, rosa, "Baclofen", strength="10 mg tablet")
    schedule = make_schedule(rosa, ["08:00", "20:00"], medication_id=baclofen.id, now=NOW - MINUTE)

    with pytest.raises(admin_service.Invalid, match="never be stopped abruptly") as refused:
        admin_service.stop_medication(session, baclofen, NOW - 10 * MINUTE, prescriber_ordered=False)
    session.rollback()
    assert refused.value.field == "confirm_prescriber_ordered"
    assert session.get(Medication, baclofen.id).active and session.get(DoseSchedule, schedule.id).active
    assert pending_dose(session, rosa).status == "pending"

    admin_service.stop_medication(session, baclofen, NOW - 10 * MINUTE, prescriber_ordered=True)
    session.commit()
    assert not session.get(Medication, baclofen.id).active
    assert [d.status for d in read(session, select(Dose).where(Dose.patient_id == rosa.id))] == ["cancelled"]  # 08:00
    with pytest.raises(admin_service.Conflict, match="already stopped"):
        admin_service.stop_medication(session, baclofen, NOW + 2 * HOUR, prescriber_ordered=True)
    # The bottle counted empty afterwards is no refill reminder and no withdrawal reading.
    assert supply.update_supply(session, rosa, baclofen, {"on_hand": Decimal(0)}, NOW + HOUR,
                                low_days=7, policy=POLICY) == []


def test_a_medicine_renamed_to_baclofen_is_read_by_the_baclofen_rules_from_the_next_dose(
        session: Session, make_patient, make_caregiver, make_schedule, take_dose) -> None:  # type: ignore[no-untyped-def]
    # The 09:00 medicine was entered as metformin by mistake: read as another drug it is no
    # toxicity claim (see above); corrected to baclofen, it is 100 mg one hour after the last.
    rosa = make_patient(name="Rosa")
    make_caregiver(rosa, name="Ann")
    make_schedule(rosa, ["08:00", "14:00", "20:00"], now=NOW - MINUTE)
    other = _medication(session, rosa, "metformin")
    make_schedule(rosa, ["09:00"], dose_mg=Decimal(100), medication_id=other.id, now=NOW - MINUTE)
    take_dose(rosa, NOW)

    admin_service.update_medication(session, session.get(Medication, other.id), {"name": "  Baclofen  "})
    session.commit()
    take_dose(rosa, NOW + HOUR)

    assert session.get(Medication, other.id).name == "Baclofen"
    keys = {key for a in read(session, select(Alert).where(Alert.patient_id == rosa.id))
            for key in [a.condition_key, *(a.details or {}).get("evidence", [])]}
    assert any(key.startswith("toxicity_risk") for key in keys), keys

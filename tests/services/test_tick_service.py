"""The tick against a real database (SQLite and PostgreSQL): missed doses and the escalation they start.

Time is explicit: every tick is given its ``now``. The ward: a patient in New York on 08:00, 14:00
and 20:00 doses with 30 minutes' grace, escalating every 10 minutes to Ann (caregiver 1) then Bob
(caregiver 2) then everyone. ``T0`` is the 14:00 dose's due time plus grace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from alerts.services.doses import record_dose
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, SECOND, Outgoing, Ward, doses, notifications, only_alert, outbox, pending_dose

Tick = Callable[..., TickReport]


def test_first_pending_dose_is_the_next_local_time_in_utc(session: Session, ward: Ward) -> None:
    # 14:00 EDT is 18:00 UTC; grace is 30 minutes.
    assert ward.due == datetime(2026, 6, 15, 18, 0, tzinfo=UTC)
    assert ward.t0 == datetime(2026, 6, 15, 18, 30, tzinfo=UTC)


def test_dose_is_not_missed_one_second_before_due_plus_grace(session: Session, ward: Ward, tick: Tick) -> None:
    report = tick(ward.t0 - SECOND)
    assert (report.missed_doses, report.alerts_opened, report.steps_run) == (0, 0, 0)
    assert pending_dose(session, ward.patient).due_at == ward.due
    assert outbox(session) == []


def test_dose_is_missed_exactly_at_due_plus_grace_and_the_patient_is_reminded(
        session: Session, ward: Ward, tick: Tick) -> None:
    report = tick(ward.t0)
    assert (report.missed_doses, report.alerts_opened, report.steps_run) == (1, 1, 1)
    missed = [d for d in doses(session, ward.patient) if d.due_at == ward.due][0]
    assert (missed.status, missed.missed_at) == ("missed", ward.t0)
    alert = only_alert(session, ward.patient)
    assert (alert.kind, alert.status, missed.alert_id) == ("missed_dose", "open", alert.id)
    assert outbox(session) == [Outgoing("reminder", 0, "patient", "queued")]
    (row,) = notifications(session)
    assert row.to_number == ward.patient.phone
    assert "14:00" in row.body and "Rosa" in row.body


def test_missed_dose_gets_one_successor_so_each_schedule_keeps_one_pending_dose(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    successor = pending_dose(session, ward.patient)
    # The 20:00 EDT dose, i.e. 00:00 UTC the next day.
    assert (successor.due_at, successor.local_time) == (datetime(2026, 6, 16, 0, 0, tzinfo=UTC), "20:00")
    assert successor.check_at == successor.due_at + timedelta(minutes=30)
    assert successor.schedule_id == ward.schedule.id


def test_second_tick_at_the_same_instant_adds_nothing(session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    before = outbox(session)
    report = tick(ward.t0)
    assert (report.missed_doses, report.alerts_opened, report.steps_run, report.notification_ids) == (0, 0, 0, [])
    assert outbox(session) == before
    assert len(doses(session, ward.patient)) == 2


def test_escalation_goes_patient_then_caregiver_1_then_caregiver_2_then_everyone_at_the_patients_interval(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE - SECOND)
    assert [o.recipient for o in outbox(session)] == ["patient"]

    tick(ward.t0 + 10 * MINUTE)
    assert outbox(session)[1:] == [Outgoing("escalation", 1, "Ann", "queued")]

    tick(ward.t0 + 20 * MINUTE)
    assert outbox(session)[2:] == [Outgoing("escalation", 2, "Bob", "queued")]

    tick(ward.t0 + 30 * MINUTE)
    assert outbox(session)[3:] == [Outgoing("reminder", 3, "patient", "queued"),
                                   Outgoing("escalation", 3, "Ann", "queued"),
                                   Outgoing("escalation", 3, "Bob", "queued")]

    # Everyone has been told: the alert stays open (nobody has acted) but nothing more is sent.
    tick(ward.t0 + 3 * 60 * MINUTE)
    assert len(outbox(session)) == 6
    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.next_step, alert.next_step_at) == ("open", 4, None)


def test_caregiver_message_says_how_long_the_dose_is_overdue(session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    ann_row = notifications(session)[1]
    assert ann_row.to_number == ward.ann.phone
    assert "40 min overdue" in ann_row.body  # due 18:00, now 18:40
    assert only_alert(session, ward.patient).code in ann_row.body


def test_late_tick_runs_one_step_and_the_next_waits_a_full_interval(session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 25 * MINUTE)  # beat was down for a while: only caregiver 1, not both at once
    assert [o.recipient for o in outbox(session)] == ["patient", "Ann"]
    tick(ward.t0 + 35 * MINUTE - SECOND)
    assert len(outbox(session)) == 2
    tick(ward.t0 + 35 * MINUTE)
    assert [o.recipient for o in outbox(session)] == ["patient", "Ann", "Bob"]


def test_custom_policy_as_data_is_followed(session: Session, ward: Ward, tick: Tick) -> None:
    ward.patient.escalation_policy = [
        {"target": "caregiver", "position": 2, "after_minutes": 0},
        {"target": "all_caregivers", "after_minutes": 5},
    ]
    session.commit()
    tick(ward.t0)
    assert outbox(session) == [Outgoing("escalation", 0, "Bob", "queued")]
    tick(ward.t0 + 5 * MINUTE)
    assert outbox(session)[1:] == [Outgoing("escalation", 1, "Ann", "queued"),
                                   Outgoing("escalation", 1, "Bob", "queued")]
    tick(ward.t0 + 60 * MINUTE)
    assert len(outbox(session)) == 3


def test_editing_caregivers_and_interval_after_the_alert_opened_does_not_change_the_running_escalation(
        session: Session, ward: Ward, tick: Tick, make_caregiver) -> None:  # type: ignore[no-untyped-def]
    tick(ward.t0)
    ann_phone = ward.ann.phone
    ward.ann.phone = "+14155559999"
    ward.patient.escalation_minutes = 60
    session.commit()
    make_caregiver(ward.patient, name="Cy", position=3)
    session.commit()  # the factory refreshes the patient, which leaves a (SQLite: locking) transaction open

    tick(ward.t0 + 10 * MINUTE)
    tick(ward.t0 + 20 * MINUTE)
    tick(ward.t0 + 30 * MINUTE)
    assert [o.recipient for o in outbox(session)] == ["patient", "Ann", "Bob", "patient", "Ann", "Bob"]
    assert {n.to_number for n in notifications(session) if n.recipient_id == ward.ann.id
            and n.recipient_kind == "caregiver"} == {ann_phone}


def test_dose_taken_before_it_is_due_marks_it_taken_and_nothing_is_sent(
        session: Session, ward: Ward, tick: Tick) -> None:
    taken_at = ward.due - 10 * MINUTE
    recorded = record_dose(session, ward.patient, taken_at=taken_at, source="app", now=taken_at)
    session.commit()
    assert recorded.dose is not None and recorded.dose.due_at == ward.due

    report = tick(ward.t0)
    tick(ward.t0 + 60 * MINUTE)
    assert report.missed_doses == 0
    assert outbox(session) == []
    statuses = {d.local_time: (d.status, d.taken_at) for d in doses(session, ward.patient)}
    assert statuses == {"14:00": ("taken", taken_at), "20:00": ("pending", None)}
    assert notifications(session) == []


def test_spring_forward_dose_at_0230_is_missed_once_an_hour_after_the_gap(
        session: Session, tick: Tick, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    # 2026-03-08: New York jumps from 02:00 EST to 03:00 EDT; 02:30 does not exist that day.
    patient = make_patient(name="Lee", timezone="America/New_York")
    make_schedule(patient, ["02:30"], now=datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    dose = pending_dose(session, patient)
    assert dose.due_at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT, not skipped

    assert tick(dose.check_at - SECOND).missed_doses == 0
    assert tick(dose.check_at).missed_doses == 1
    assert outbox(session) == [Outgoing("reminder", 0, "patient", "queued")]
    # The next day is back to 02:30, now EDT (UTC-4).
    assert pending_dose(session, patient).due_at == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)

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
from tests.support.settings import POLICY, WINDOWS

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
    recorded = record_dose(session, ward.patient, taken_at=taken_at, source="app", now=taken_at, windows=WINDOWS, policy=POLICY)
    session.commit()
    assert recorded.dose is not None and recorded.dose.due_at == ward.due

    report = tick(ward.t0)
    tick(ward.t0 + 60 * MINUTE)
    assert report.missed_doses == 0
    assert outbox(session) == []
    statuses = {d.local_time: (d.status, d.taken_at) for d in doses(session, ward.patient)}
    assert statuses == {"14:00": ("taken", taken_at), "20:00": ("pending", None)}
    assert notifications(session) == []


def test_spring_forward_dose_at_0230_is_missed_once_counted_from_the_end_of_the_gap(
        session: Session, tick: Tick, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    # 2026-03-08: New York jumps from 02:00 EST to 03:00 EDT; 02:30 does not exist that day.
    patient = make_patient(name="Lee", timezone="America/New_York")
    make_schedule(patient, ["02:30"], now=datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    dose = pending_dose(session, patient)
    assert dose.due_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT, not skipped

    assert tick(dose.check_at - SECOND).missed_doses == 0
    assert tick(dose.check_at).missed_doses == 1
    assert outbox(session) == [Outgoing("reminder", 0, "patient", "queued")]
    # The next day is back to 02:30, now EDT (UTC-4).
    assert pending_dose(session, patient).due_at == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Doses on the days clocks change, in a zone with whole-hour offsets and in one with half-hour ones
# (St. John's, Newfoundland: UTC-03:30 in winter, UTC-02:30 in summer), and in a half-hour zone
# without DST. Each: the dose's instant, then the next day's (same wall-clock time, new offset).
DST_DOSES = [
    # id, zone, time, schedule created at, first due, next day's due (all UTC)
    ("new_york_fall_back_first_0130", "America/New_York", "01:30",
     utc(2026, 10, 31, 12), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)),
    ("st_johns_spring_forward_gap", "America/St_Johns", "02:30",
     utc(2026, 3, 7, 12), utc(2026, 3, 8, 5, 30), utc(2026, 3, 9, 5, 0)),
    ("st_johns_fall_back_first_0130", "America/St_Johns", "01:30",
     utc(2026, 10, 31, 12), utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 5, 0)),
    ("kolkata_half_hour_offset", "Asia/Kolkata", "08:00",
     utc(2026, 3, 7, 12), utc(2026, 3, 8, 2, 30), utc(2026, 3, 9, 2, 30)),
]


@pytest.mark.parametrize(("zone", "at", "created", "first_due", "next_due"), [d[1:] for d in DST_DOSES],
                         ids=[d[0] for d in DST_DOSES])
def test_dose_on_a_clock_change_day_is_missed_once_and_the_next_keeps_its_wall_clock_time(
        session: Session, tick: Tick, make_patient, make_schedule,  # type: ignore[no-untyped-def]
        zone: str, at: str, created: datetime, first_due: datetime, next_due: datetime) -> None:
    patient = make_patient(name="Lee", timezone=zone)
    make_schedule(patient, [at], now=created, grace_minutes=30)
    dose = pending_dose(session, patient)
    assert (dose.due_at, dose.local_time) == (first_due, at)

    assert tick(first_due + 30 * MINUTE - SECOND).missed_doses == 0
    assert tick(first_due + 30 * MINUTE).missed_doses == 1
    # An hour later (on a fall-back day: the repeated 01:30, plus grace) nothing is due again.
    assert tick(first_due + 90 * MINUTE).missed_doses == 0

    assert [(d.due_at, d.local_time, d.status) for d in doses(session, patient)] == [
        (first_due, at, "missed"), (next_due, at, "pending")]
    assert [o for o in outbox(session) if o.step == 0] == [Outgoing("reminder", 0, "patient", "queued")]


@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Tokyo", "Pacific/Chatham", "America/St_Johns"])
def test_where_the_server_runs_changes_no_dose_time_and_no_missed_dose(
        session: Session, tick: Tick, make_patient, make_schedule,  # type: ignore[no-untyped-def]
        server_timezone, server_zone: str) -> None:
    # A New York patient on 01:30 and 08:00, across the November change, on a server elsewhere.
    server_timezone(server_zone)
    patient = make_patient(name="Lee", timezone="America/New_York")
    make_schedule(patient, ["01:30", "08:00"], now=utc(2026, 10, 31, 12), grace_minutes=30)

    for half_hours in range(0, 96):  # a tick every 30 minutes for two days
        tick(utc(2026, 11, 1) + half_hours * 30 * MINUTE)

    # Each dose missed exactly at due + grace, once; the first 01:30 (EDT) only, not the repeat (EST).
    assert [(d.local_date.isoformat(), d.local_time, d.due_at, d.missed_at, d.status)
            for d in doses(session, patient)] == [
        ("2026-11-01", "01:30", utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 0), "missed"),
        ("2026-11-01", "08:00", utc(2026, 11, 1, 13, 0), utc(2026, 11, 1, 13, 30), "missed"),  # EST from here
        ("2026-11-02", "01:30", utc(2026, 11, 2, 6, 30), utc(2026, 11, 2, 7, 0), "missed"),
        ("2026-11-02", "08:00", utc(2026, 11, 2, 13, 0), utc(2026, 11, 2, 13, 30), "missed"),
        ("2026-11-03", "01:30", utc(2026, 11, 3, 6, 30), None, "pending"),
    ]


def test_caregivers_are_told_in_the_order_of_their_position_not_the_order_they_were_added(
        session: Session, tick: Tick, make_patient, make_caregiver,  # type: ignore[no-untyped-def]
        make_schedule) -> None:
    patient = make_patient(name="Lee", escalation_minutes=10)
    make_caregiver(patient, name="Zoe", position=3)
    make_caregiver(patient, name="Ann", position=1)
    make_caregiver(patient, name="Max", position=2)
    make_schedule(patient, ["14:00"])
    check_at = pending_dose(session, patient).check_at

    for minutes in (0, 10, 20, 30, 40):
        tick(check_at + minutes * MINUTE)

    assert [(o.step, o.recipient) for o in outbox(session) if o.kind == "escalation"] == [
        (1, "Ann"), (2, "Max"), (3, "Zoe"),  # one at a time, by position
        (4, "Ann"), (4, "Max"), (4, "Zoe"),  # then everyone, still in that order
    ]

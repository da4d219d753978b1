"""Dose timelines through the real tick in zones whose clocks change in the awkward ways, and a
patient whose zone a clinician changes while doses are pending or an alert is escalating.

Every scheduled local time is due exactly once per local day: a time in a spring-forward gap when
the gap ends, a repeated time the first time. Ticks run every 15 minutes over the days around each
transition, so a dose planned twice, never planned, or a schedule left without a next dose shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Alert, Patient
from alerts.services.admin import update_patient
from alerts.services.doses import record_dose
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, Ward, doses, notifications, outbox, pending_dose, read
from tests.support.settings import POLICY, WINDOWS

Tick = Callable[..., TickReport]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def run_ticks(tick: Tick, start: datetime, end: datetime, every: timedelta = 15 * MINUTE) -> None:
    at = start
    while at <= end:
        tick(at)
        at += every


def missed_doses(session: Session, patient: Patient) -> list[tuple[str, str, datetime, datetime | None]]:
    return [(d.local_date.isoformat(), d.local_time, d.due_at, d.missed_at)
            for d in doses(session, patient) if d.status == "missed"]


def test_two_doses_in_santiagos_midnight_gap_are_both_due_when_the_clock_reaches_0100(
        session: Session, tick: Tick, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    # 2026-09-06: Santiago's clocks go from 23:59:59 (-04) on the 5th to 01:00 (-03) on the 6th.
    patient = make_patient(name="Lee", timezone="America/Santiago")
    make_schedule(patient, ["00:00", "00:30", "08:00"], now=utc(2026, 9, 5, 12), grace_minutes=30)

    run_ticks(tick, utc(2026, 9, 5, 12), utc(2026, 9, 7, 12))

    assert missed_doses(session, patient) == [
        ("2026-09-06", "00:00", utc(2026, 9, 6, 4, 0), utc(2026, 9, 6, 4, 30)),  # 01:00 -03
        # The same instant, its own dose: planned when the first was found missed, and found by the
        # same tick (a tick claims missed doses until none is left).
        ("2026-09-06", "00:30", utc(2026, 9, 6, 4, 0), utc(2026, 9, 6, 4, 30)),
        ("2026-09-06", "08:00", utc(2026, 9, 6, 11, 0), utc(2026, 9, 6, 11, 30)),
        ("2026-09-07", "00:00", utc(2026, 9, 7, 3, 0), utc(2026, 9, 7, 3, 30)),  # an ordinary day again
        ("2026-09-07", "00:30", utc(2026, 9, 7, 3, 30), utc(2026, 9, 7, 4, 0)),
        ("2026-09-07", "08:00", utc(2026, 9, 7, 11, 0), utc(2026, 9, 7, 11, 30)),
    ]
    assert pending_dose(session, patient).local_time == "00:00"


def test_doses_an_hour_apart_across_new_yorks_gap_are_each_missed_once_in_order(
        session: Session, tick: Tick, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    # 2026-03-08 02:00 EST -> 03:00 EDT. 02:30 is due at 03:00, clear of the 03:30 dose.
    patient = make_patient(name="Lee", timezone="America/New_York")
    make_schedule(patient, ["01:30", "02:30", "03:30"], now=utc(2026, 3, 7, 12), grace_minutes=15)

    run_ticks(tick, utc(2026, 3, 8, 5), utc(2026, 3, 8, 9))

    assert [(day, at, due) for day, at, due, _ in missed_doses(session, patient)] == [
        ("2026-03-08", "01:30", utc(2026, 3, 8, 6, 30)),
        ("2026-03-08", "02:30", utc(2026, 3, 8, 7, 0)),
        ("2026-03-08", "03:30", utc(2026, 3, 8, 7, 30)),
    ]
    assert (pending_dose(session, patient).local_date, pending_dose(session, patient).local_time) == (
        date(2026, 3, 9), "01:30")
    # One escalation for the patient, however many doses it is about.
    (alert,) = [a for a in read(session, select(Alert).where(Alert.patient_id == patient.id))
                if a.kind == "missed_dose"]
    assert len(alert.details["missed_dose_ids"]) == 3


@pytest.mark.parametrize(("zone", "times", "start", "end"), [
    ("Australia/Lord_Howe", ["01:45", "02:15", "20:00"], utc(2026, 4, 3), utc(2026, 4, 7)),
    ("Australia/Lord_Howe", ["01:45", "02:15", "20:00"], utc(2026, 10, 2), utc(2026, 10, 6)),
    ("Pacific/Chatham", ["03:00", "03:30", "21:00"], utc(2026, 4, 3), utc(2026, 4, 7)),
    ("Pacific/Chatham", ["03:00", "03:30", "21:00"], utc(2026, 9, 25), utc(2026, 9, 29)),
    ("America/Havana", ["00:00", "00:30", "12:00"], utc(2026, 3, 6), utc(2026, 3, 10)),
    ("America/Havana", ["00:00", "00:30", "12:00"], utc(2026, 10, 30), utc(2026, 11, 3)),
    ("Asia/Beirut", ["00:00", "23:30"], utc(2026, 3, 27), utc(2026, 3, 31)),
    ("Asia/Beirut", ["00:00", "23:30"], utc(2026, 10, 23), utc(2026, 10, 27)),
    ("Europe/Dublin", ["01:30", "13:30"], utc(2026, 10, 24), utc(2026, 10, 28)),
    ("Africa/Casablanca", ["02:30", "14:30"], utc(2026, 3, 20), utc(2026, 3, 24)),
], ids=["lord_howe_april", "lord_howe_october", "chatham_april", "chatham_september", "havana_march",
        "havana_november", "beirut_march", "beirut_october", "dublin_october", "casablanca_ramadan_ends"])
def test_through_the_tick_every_local_time_is_missed_once_per_local_day_around_a_transition(
        session: Session, tick: Tick, make_patient, make_schedule,  # type: ignore[no-untyped-def]
        zone: str, times: list[str], start: datetime, end: datetime) -> None:
    patient = make_patient(name="Lee", timezone=zone)
    make_schedule(patient, times, now=start, grace_minutes=15)

    run_ticks(tick, start, end, every=30 * MINUTE)

    missed = missed_doses(session, patient)
    per_day = Counter(day for day, *_ in missed)
    whole_days = sorted(per_day)[1:-1]  # the schedule's first and the last day are cut by start and end
    assert len(whole_days) >= 2
    assert {day: per_day[day] for day in whole_days} == {day: len(times) for day in whole_days}
    assert len({(day, at) for day, at, *_ in missed}) == len(missed)
    # Found by the first tick after grace (or the one after, for the second of two doses one gap
    # put at the same instant): never early, never skipped.
    assert all(due + 15 * MINUTE <= missed_at < due + 75 * MINUTE for _, _, due, missed_at in missed), missed
    pending_dose(session, patient)  # the schedule still has its next dose


# -- a clinician changes the patient's zone ------------------------------------------------------------


def move(session: Session, patient: Patient, zone: str, now: datetime) -> None:
    update_patient(session, patient, {"timezone": zone}, now)
    session.commit()


def dose_rows(session: Session, patient: Patient) -> list[tuple[str, str, datetime, str]]:
    return [(d.local_date.isoformat(), d.local_time, d.due_at, d.status) for d in doses(session, patient)]


def test_moving_west_after_the_evening_dose_does_not_ask_for_it_again(
        session: Session, tick: Tick, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    patient = make_patient(name="Lee", timezone="Europe/London")
    make_schedule(patient, ["08:00", "20:00"], now=utc(2026, 6, 15, 12), grace_minutes=30)
    record_dose(session, patient, taken_at=utc(2026, 6, 15, 19, 0), source="app", now=utc(2026, 6, 15, 19, 0), windows=WINDOWS, policy=POLICY)
    session.commit()

    # 20:00 UTC: 21:00 in London, 16:00 in New York, where "20:00 today" is the dose just taken.
    move(session, patient, "America/New_York", utc(2026, 6, 15, 20, 0))
    run_ticks(tick, utc(2026, 6, 15, 20, 0), utc(2026, 6, 16, 12, 30))

    assert dose_rows(session, patient) == [
        ("2026-06-15", "20:00", utc(2026, 6, 15, 19, 0), "taken"),
        ("2026-06-16", "08:00", utc(2026, 6, 16, 12, 0), "missed"),  # 08:00 in New York: the next dose
        ("2026-06-16", "20:00", utc(2026, 6, 17, 0, 0), "pending"),
    ]
    assert [n.created_at for n in notifications(session)] == [utc(2026, 6, 16, 12, 30)]


def test_moving_east_the_dose_still_owed_is_asked_for_not_skipped(
        session: Session, tick: Tick, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    patient = make_patient(name="Lee", timezone="America/New_York")
    make_schedule(patient, ["08:00", "20:00"], now=utc(2026, 6, 15, 2), grace_minutes=30)  # 22:00 the 14th
    assert pending_dose(session, patient).due_at == utc(2026, 6, 15, 12, 0)  # 08:00 in New York

    # 11:00 UTC: 07:00 in New York, 12:00 in London, where 08:00 today has passed without a dose.
    move(session, patient, "Europe/London", utc(2026, 6, 15, 11, 0))
    tick(utc(2026, 6, 15, 11, 0))

    assert dose_rows(session, patient) == [
        ("2026-06-15", "08:00", utc(2026, 6, 15, 7, 0), "missed"),
        ("2026-06-15", "20:00", utc(2026, 6, 15, 19, 0), "pending"),
    ]
    (reminder,) = notifications(session)
    assert (reminder.kind, reminder.created_at) == ("reminder", utc(2026, 6, 15, 11, 0))
    assert "08:00" in reminder.body


def test_a_zone_change_during_an_escalation_leaves_its_steps_alone_and_moves_the_next_dose(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)  # the 14:00 New York dose is missed; Rosa is reminded
    move(session, ward.patient, "America/Los_Angeles", ward.t0 + 5 * MINUTE)

    tick(ward.t0 + 10 * MINUTE)
    tick(ward.t0 + 20 * MINUTE)

    assert [(o.kind, o.step, o.recipient) for o in outbox(session)] == [
        ("reminder", 0, "patient"), ("escalation", 1, "Ann"), ("escalation", 2, "Bob")]
    # The 20:00 dose still owed today is at 20:00 in Los Angeles now.
    assert dose_rows(session, ward.patient)[-1] == ("2026-06-15", "20:00", utc(2026, 6, 16, 3, 0), "pending")

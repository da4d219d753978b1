"""Editing a schedule in place (``admin.edit_schedule``), driven through the real tick across the
change, on SQLite and PostgreSQL: every local day gets its doses once, none doubled, none dropped,
none written down as missed before anyone asked for it; the old version and its doses stay.

Time is explicit: every call gets its ``now``. The patient is in New York.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Dose, DoseSchedule, Patient
from alerts.services import admin as admin_service
from alerts.services.doses import record_dose
from alerts.services.tick import TickReport
from tests.services.support import doses, read
from tests.support.settings import POLICY, WINDOWS

HOUR = timedelta(hours=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _run(tick: Callable[..., TickReport], start: datetime, end: datetime) -> None:
    at = start
    while at <= end:
        tick(at)
        at += HOUR


def _given(session: Session, patient: Patient) -> list[tuple[date, str, int, str]]:
    """(local day, local time, schedule id, status) of every dose taken or missed, in due order
    (the one still pending after the run is the next, not yet decided)."""
    return [(d.local_date, d.local_time, d.schedule_id, d.status) for d in doses(session, patient)
            if d.status in ("taken", "missed")]


def _edit(session: Session, schedule: DoseSchedule, now: datetime, times: list[str]) -> DoseSchedule:
    new = admin_service.edit_schedule(session, session.get(DoseSchedule, schedule.id), now, times=times)
    session.commit()
    return new


def test_once_a_day_moved_later_after_the_dose_was_taken_is_not_given_twice_today(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00"], now=utc(2026, 6, 14, 13))  # first dose 08:00 EDT on the 15th
    record_dose(session, session.get(Patient, rosa.id), taken_at=utc(2026, 6, 15, 12, 5), source="app",
                now=utc(2026, 6, 15, 12, 5), windows=WINDOWS, policy=POLICY)
    session.commit()

    new = _edit(session, old, utc(2026, 6, 15, 12, 30), ["09:00"])  # 08:30 EDT
    _run(tick, utc(2026, 6, 15, 12, 30), utc(2026, 6, 17, 15))

    assert _given(session, rosa) == [
        (date(2026, 6, 15), "08:00", old.id, "taken"),
        (date(2026, 6, 16), "09:00", new.id, "missed"),
        (date(2026, 6, 17), "09:00", new.id, "missed"),
    ]


def test_a_dose_due_and_still_in_its_grace_stays_and_is_found_missed_as_before(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00"], now=utc(2026, 6, 14, 13))
    new = _edit(session, old, utc(2026, 6, 15, 12, 10), ["09:00"])  # 08:10: 08:00 due, not yet missed
    _run(tick, utc(2026, 6, 15, 12, 10), utc(2026, 6, 16, 15))

    assert _given(session, rosa) == [
        (date(2026, 6, 15), "08:00", old.id, "missed"),
        (date(2026, 6, 16), "09:00", new.id, "missed"),
    ]


def test_moved_earlier_to_a_time_already_past_keeps_todays_dose_and_writes_no_missed_one(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00"], now=utc(2026, 6, 14, 13))
    new = _edit(session, old, utc(2026, 6, 15, 11, 30), ["07:00"])  # 07:30 EDT
    _run(tick, utc(2026, 6, 15, 11, 30), utc(2026, 6, 17, 15))

    assert _given(session, rosa) == [
        (date(2026, 6, 15), "08:00", old.id, "missed"),
        (date(2026, 6, 16), "07:00", new.id, "missed"),
        (date(2026, 6, 17), "07:00", new.id, "missed"),
    ]


def test_three_a_day_shifted_mid_morning_gives_today_three_doses(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00", "14:00", "20:00"], now=utc(2026, 6, 14, 13))
    _run(tick, utc(2026, 6, 15, 11), utc(2026, 6, 15, 12, 30))
    new = _edit(session, old, utc(2026, 6, 15, 12, 40), ["09:00", "15:00", "21:00"])
    _run(tick, utc(2026, 6, 15, 12, 40), utc(2026, 6, 16, 14))

    per_day = Counter(day for day, *_ in _given(session, rosa))
    assert per_day == {date(2026, 6, 14): 2, date(2026, 6, 15): 3, date(2026, 6, 16): 1}
    assert [(t, s) for day, t, s, _ in _given(session, rosa) if day == date(2026, 6, 15)] == [
        ("08:00", old.id), ("15:00", new.id), ("21:00", new.id)]


def test_an_edit_across_the_fall_back_hour_gives_each_local_day_one_dose(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["01:30"], now=utc(2026, 10, 31, 12))
    _run(tick, utc(2026, 11, 1, 4), utc(2026, 11, 1, 6, 20))
    new = _edit(session, old, utc(2026, 11, 1, 6, 40), ["01:45"])  # the second 01:40 (EST)
    _run(tick, utc(2026, 11, 1, 6, 40), utc(2026, 11, 3, 9))

    assert _given(session, rosa) == [
        (date(2026, 11, 1), "01:30", old.id, "missed"),
        (date(2026, 11, 2), "01:45", new.id, "missed"),
        (date(2026, 11, 3), "01:45", new.id, "missed"),
    ]


def test_an_edit_before_the_spring_forward_gap_gives_the_gap_time_once(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00"], now=utc(2026, 3, 7, 12))
    new = _edit(session, old, utc(2026, 3, 8, 6), ["02:30"])  # 01:00 EST; 02:30 does not exist today
    _run(tick, utc(2026, 3, 8, 6), utc(2026, 3, 9, 12))

    assert [(day, t, s) for day, t, s, _ in _given(session, rosa)] == [
        (date(2026, 3, 7), "08:00", old.id),
        (date(2026, 3, 8), "02:30", new.id),
        (date(2026, 3, 9), "02:30", new.id),
    ]
    assert doses(session, rosa)[1].due_at == utc(2026, 3, 8, 7)  # 03:00 EDT, as the clock jumps


def test_the_old_version_is_ended_not_deleted_and_the_new_one_names_it(
        session: Session, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00"], now=utc(2026, 6, 14, 13))
    edited_at = utc(2026, 6, 15, 12, 30)
    new = admin_service.edit_schedule(session, session.get(DoseSchedule, old.id), edited_at, times=["09:00"],
                                      dose_mg=Decimal("15"), grace_minutes=45)
    session.commit()

    (was,) = read(session, select(DoseSchedule).where(DoseSchedule.id == old.id))
    (now_in_force,) = read(session, select(DoseSchedule).where(DoseSchedule.id == new.id))
    assert (was.active, was.ended_at, was.times, was.dose_mg) == (False, edited_at, ["08:00"], Decimal("10"))
    assert (now_in_force.active, now_in_force.replaces_id, now_in_force.times) == (True, old.id, ["09:00"])
    assert (now_in_force.dose_mg, now_in_force.grace_minutes) == (Decimal("15"), 45)
    assert now_in_force.effective_from == utc(2026, 6, 16, 13)
    assert now_in_force.medication_id == was.medication_id
    first = read(session, select(Dose).where(Dose.schedule_id == new.id))
    assert [(d.due_at, d.check_at, d.dose_mg) for d in first] == [
        (utc(2026, 6, 16, 13), utc(2026, 6, 16, 13, 45), Decimal("15"))]
    assert admin_service.active_schedules(session, rosa.id) == [session.get(DoseSchedule, new.id)]


def test_a_schedule_changed_meanwhile_cannot_be_edited_again_from_the_old_version(
        session: Session, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    old = make_schedule(rosa, ["08:00"], now=utc(2026, 6, 14, 13))
    _edit(session, old, utc(2026, 6, 15, 10), ["09:00"])
    with pytest.raises(admin_service.Conflict, match="changed meanwhile"):
        admin_service.edit_schedule(session, session.get(DoseSchedule, old.id), utc(2026, 6, 15, 10, 5),
                                    times=["10:00"])


def test_two_changes_in_one_day_give_that_day_one_dose(
        session: Session, make_patient, make_schedule, tick) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    first = make_schedule(rosa, ["20:00"], now=utc(2026, 6, 14, 12))
    second = _edit(session, first, utc(2026, 6, 15, 10), ["07:00"])  # 06:00 EDT: today keeps its 20:00
    third = _edit(session, second, utc(2026, 6, 15, 10, 30), ["21:00"])
    _run(tick, utc(2026, 6, 15, 10, 30), utc(2026, 6, 17, 2))

    assert _given(session, rosa) == [
        (date(2026, 6, 14), "20:00", first.id, "missed"),
        (date(2026, 6, 15), "20:00", first.id, "missed"),
        (date(2026, 6, 16), "21:00", third.id, "missed"),
    ]


def test_stopping_a_changed_schedule_also_stops_the_doses_its_earlier_version_still_owed(
        session: Session, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    first = make_schedule(rosa, ["20:00"], now=utc(2026, 6, 14, 12))
    second = _edit(session, first, utc(2026, 6, 15, 10), ["07:00"])
    admin_service.remove_schedule(session, session.get(DoseSchedule, second.id))
    session.commit()
    assert [d.status for d in doses(session, rosa) if d.status == "pending"] == []

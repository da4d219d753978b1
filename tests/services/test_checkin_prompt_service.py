"""The daily check-in prompt: at the patient's local time, once per local day, across DST.

The tick runs every 15 minutes here, as beat would run it (more often in production); each test
counts the prompts per local day. SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Notification, Patient
from alerts.services import checkin_prompts
from alerts.services.tick import TickReport
from tests.conftest import NOW
from tests.services.support import MINUTE, SECOND, read

Tick = Callable[..., TickReport]
NEW_YORK = ZoneInfo("America/New_York")


def patient_prompted_at(session: Session, make_patient: Callable[..., Patient], local_time: str,
                        start: datetime) -> Patient:
    patient = make_patient(name="Rosa", checkin_prompt_time=local_time)
    checkin_prompts.plan(patient, start)
    session.commit()
    return patient


def prompts(session: Session) -> list[Notification]:
    return read(session, select(Notification).where(Notification.kind == "checkin_prompt").order_by(Notification.id))


def run_ticks(tick: Tick, start: datetime, hours: int) -> None:
    at = start
    while at <= start + timedelta(hours=hours):
        tick(at)
        at += 15 * MINUTE


def test_the_prompt_goes_at_the_local_time_once_and_the_next_is_planned_for_tomorrow(
        session: Session, make_patient, tick: Tick) -> None:  # type: ignore[no-untyped-def]
    patient = patient_prompted_at(session, make_patient, "19:00", NOW)
    due = datetime(2026, 6, 15, 23, 0, tzinfo=UTC)  # 19:00 EDT
    assert patient.checkin_prompt_at == due

    tick(due - SECOND)
    assert prompts(session) == []
    report = tick(due)
    tick(due + MINUTE)
    tick(due + 3 * timedelta(hours=1))

    [prompt] = prompts(session)
    assert report.checkin_prompts == 1
    assert (prompt.to_number, prompt.dedupe_key) == (patient.phone, f"checkin_prompt:{patient.id}:2026-06-15")
    assert prompt.body == "dosewatch: How are your twitches today, 0-10? Reply with one number (0 = none, " \
                          "10 = the worst). In an emergency call 911."
    assert read(session, select(Patient))[0].checkin_prompt_at == due + timedelta(days=1)


def test_a_tick_late_by_days_sends_one_prompt_not_a_backlog(session: Session, make_patient, tick: Tick) -> None:  # type: ignore[no-untyped-def]
    patient_prompted_at(session, make_patient, "19:00", NOW)
    late = datetime(2026, 6, 18, 2, 0, tzinfo=UTC)  # 22:00 EDT three days on
    tick(late)
    tick(late + MINUTE)

    assert [p.dedupe_key.rsplit(":", 1)[1] for p in prompts(session)] == ["2026-06-17"]
    assert read(session, select(Patient))[0].checkin_prompt_at == datetime(2026, 6, 18, 23, 0, tzinfo=UTC)


def test_spring_forward_a_prompt_time_that_does_not_exist_comes_once_just_after_the_jump(
        session: Session, make_patient, tick: Tick) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 3, 7, 13, 0, tzinfo=UTC)  # 08:00 EST, the day before the jump
    patient_prompted_at(session, make_patient, "02:30", start)
    run_ticks(tick, start, 72)

    sent = [p.created_at.astimezone(NEW_YORK) for p in prompts(session)]
    per_day = Counter(t.date() for t in sent)
    assert per_day == {date(2026, 3, 8): 1, date(2026, 3, 9): 1, date(2026, 3, 10): 1}
    assert [t.strftime("%H:%M") for t in sent] == ["03:00", "02:30", "02:30"]  # 02:30 did not exist on the 8th


def test_fall_back_a_prompt_time_that_happens_twice_comes_once(
        session: Session, make_patient, tick: Tick) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)  # 08:00 EDT, the day before the clocks go back
    patient_prompted_at(session, make_patient, "01:30", start)
    run_ticks(tick, start, 72)

    sent = [p.created_at for p in prompts(session)]
    assert Counter(t.astimezone(NEW_YORK).date() for t in sent) == {
        date(2026, 11, 1): 1, date(2026, 11, 2): 1, date(2026, 11, 3): 1}
    assert sent[0] == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT), not the second


def test_a_patient_without_a_phone_or_a_prompt_time_is_never_prompted(
        session: Session, make_patient, tick: Tick) -> None:  # type: ignore[no-untyped-def]
    no_phone = make_patient(name="Ivy", phone=None, checkin_prompt_time="19:00")
    no_time = make_patient(name="Max")
    for patient in (no_phone, no_time):
        checkin_prompts.plan(patient, NOW)
    session.commit()
    run_ticks(tick, NOW, 24)

    assert prompts(session) == []
    assert [p.checkin_prompt_at for p in read(session, select(Patient))] == [None, None]

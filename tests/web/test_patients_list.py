"""The patients list's read model: a month of adherence read once a minute per viewer, the rest live."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cachetools import LRUCache
from sqlalchemy import select

from alerts.models import Dose, User
from alerts.services.console_auth import assign
from alerts.web import read

NOW = datetime(2026, 6, 15, 12, 0, 30, tzinfo=UTC)


def _dose(session, patient, schedule, due: datetime, status: str) -> Dose:  # type: ignore[no-untyped-def]
    dose = Dose(patient_id=patient.id, schedule_id=schedule.id, due_at=due, check_at=due + timedelta(minutes=30),
                local_date=due.date(), local_time=due.strftime("%H:%M"), dose_mg=Decimal("10"), status=status,
                taken_at=due + timedelta(minutes=5) if status == "taken" else None)
    session.add(dose)
    session.commit()
    return dose


def _row(session, admin, now, cache):  # type: ignore[no-untyped-def]
    (row,) = read.patients_overview(session, admin, now, cache=cache)
    return row


def test_adherence_is_read_once_a_minute_per_viewer_and_the_last_dose_stays_live(
        session, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    admin = User(role="admin", name="A", email="a@example.org", password_hash="x")
    session.add(admin)
    patient = make_patient(timezone="UTC")
    schedule = make_schedule(patient, times=["08:00"], now=NOW - timedelta(days=3))
    session.execute(Dose.__table__.delete())  # only the doses this test writes
    for days in (3, 2):
        _dose(session, patient, schedule, NOW.replace(hour=8, minute=0, second=0) - timedelta(days=days), "taken")
    cache: LRUCache = LRUCache(maxsize=8)
    assert _row(session, admin, NOW, cache).adherence_30 == 100

    # Yesterday's dose turns out missed, and today's is taken, within the same minute.
    yesterday = _dose(session, patient, schedule, NOW.replace(hour=8, minute=0, second=0) - timedelta(days=1), "missed")
    today = _dose(session, patient, schedule, NOW.replace(hour=8, minute=0, second=0), "taken")
    row = _row(session, admin, NOW + timedelta(seconds=20), cache)
    assert row.adherence_30 == 100, "the month's figure is the one read at the start of the minute"
    assert row.last_dose == today.taken_at, "the last dose is read live"
    assert row.today == [("08:00", "taken")]

    # The next minute reads the month again; without a cache every call does.
    assert _row(session, admin, NOW + timedelta(seconds=40), cache).adherence_30 == 75
    assert _row(session, admin, NOW, None).adherence_30 == 75
    assert session.scalar(select(Dose.status).where(Dose.id == yesterday.id)) == "missed"
    assert date(2026, 6, 15) == today.local_date


def test_each_viewer_has_their_own_figures(session, make_patient) -> None:  # type: ignore[no-untyped-def]
    admin = User(role="admin", name="A", email="a@example.org", password_hash="x")
    clinician = User(role="clinician", name="C", email="c@example.org", password_hash="x")
    session.add_all([admin, clinician])
    session.commit()
    patient = make_patient(timezone="UTC")
    assign(session, clinician, patient.id)
    session.commit()
    cache: LRUCache = LRUCache(maxsize=8)
    read.patients_overview(session, admin, NOW, cache=cache)
    read.patients_overview(session, clinician, NOW, cache=cache)
    assert {key[0] for key in cache} == {admin.id, clinician.id}

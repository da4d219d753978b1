"""Migration 0017 on a database with readings in it: the hourly rollup is filled from them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from alerts import migrate
from alerts.models import ReadingHour
from alerts.services import rollup
from tests.test_migrations import database_url, fresh_pg_url, sqlite_url  # noqa: F401  (fixtures)

HOUR = datetime(2026, 6, 15, 14, 0)  # UTC, naive as a driver takes it for both databases
# (patient, kind, value, minutes after HOUR): two hours of Rosa's heart rate, one of her SpO2, and
# one reading of Omar's in the same hour as hers.
READINGS = [(1, "heart_rate", 70.0, 0), (1, "heart_rate", 80.0, 59), (1, "heart_rate", 60.0, 30),
            (1, "heart_rate", 90.0, 60), (1, "spo2", 97.0, 5), (2, "heart_rate", 55.0, 1)]


def _seed_readings(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for n, (pid, kind, value, minutes) in enumerate(READINGS):
            at = HOUR + timedelta(minutes=minutes, seconds=n)
            conn.execute(text(
                "INSERT INTO reading (patient_id, kind, value, measured_at, dedupe_key, received_at) "
                "VALUES (:pid, :kind, :value, :at, :key, :at)"),
                {"pid": pid, "kind": kind, "value": value, "at": at, "key": f"k{n}"})
    engine.dispose()


def _hours(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT patient_id, kind, hour, low, high, total, count FROM reading_hour "
                                     "ORDER BY patient_id, kind, hour"))
            # Both drivers' instants, naive UTC (SQLite's text is read back by the model's type).
            return [(p, k, h if isinstance(h, str) else h.replace(tzinfo=None).isoformat(" "), lo, hi, t, c)
                    for p, k, h, lo, hi, t, c in rows]
    finally:
        engine.dispose()


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    migrate.upgrade(database_url, "0015_meds_dose_event_medication")
    _seed_readings(database_url)
    return database_url


def test_upgrade_folds_the_stored_readings_into_their_utc_hours(seeded: str) -> None:
    migrate.upgrade(seeded, "0017_reading_hour")
    got = _hours(seeded)
    assert [(p, k, h[:19], lo, hi, t, c) for p, k, h, lo, hi, t, c in got] == [
        (1, "heart_rate", "2026-06-15 14:00:00", 60.0, 80.0, 210.0, 3),
        (1, "heart_rate", "2026-06-15 15:00:00", 90.0, 90.0, 90.0, 1),
        (1, "spo2", "2026-06-15 14:00:00", 97.0, 97.0, 97.0, 1),
        (2, "heart_rate", "2026-06-15 14:00:00", 55.0, 55.0, 55.0, 1),
    ]


def test_the_backfilled_hours_are_read_back_as_the_ingest_writes_them(seeded: str) -> None:
    """SQLite keeps instants as text: the backfill's hour must be the text the model writes, or the
    ingest's first upsert into a backfilled hour would make a second row instead of adding to it."""
    migrate.upgrade(seeded, "0017_reading_hour")
    engine = create_engine(seeded)
    try:
        with Session(engine) as session:
            rollup.add_readings(session, 1, [("heart_rate", 50.0, HOUR.replace(tzinfo=UTC) + timedelta(minutes=45))])
            session.commit()
            rows = session.query(ReadingHour).filter_by(patient_id=1, kind="heart_rate").order_by(ReadingHour.hour).all()
            assert [(r.hour, r.low, r.high, r.total, r.count) for r in rows] == [
                (HOUR.replace(tzinfo=UTC), 50.0, 80.0, 260.0, 4),
                (HOUR.replace(tzinfo=UTC) + timedelta(hours=1), 90.0, 90.0, 90.0, 1)]
    finally:
        engine.dispose()


def test_downgrade_drops_the_rollup_and_keeps_the_readings(seeded: str) -> None:
    migrate.upgrade(seeded, "0017_reading_hour")
    migrate.downgrade(seeded, "0015_meds_dose_event_medication")
    engine = create_engine(seeded)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM reading")).scalar() == len(READINGS)
    finally:
        engine.dispose()
    migrate.upgrade(seeded, "0017_reading_hour")
    assert len(_hours(seeded)) == 4

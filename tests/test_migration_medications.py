"""Migration 0013 on a database with data in it: today's schedules become each patient's baclofen."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from alerts import migrate
from tests.test_migrations import database_url, fresh_pg_url, insert_patient, rows, sqlite_url  # noqa: F401  (fixtures)

CREATED = datetime(2026, 11, 30, 12, 0)


def _seed_at_0005(url: str) -> None:
    """Two patients with schedules (one has two) and one without, written as release 0005 would."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for pid, name in [(1, "Rosa"), (2, "Omar"), (3, "Ines")]:
            insert_patient(conn, pid, name, "America/New_York", CREATED)
        for sid, pid, times in [(10, 1, '["08:00", "20:00"]'), (11, 1, '["14:00"]'), (12, 2, '["09:00"]')]:
            conn.execute(text(
                "INSERT INTO dose_schedule (id, patient_id, times, dose_mg, grace_minutes, active, created_at) "
                "VALUES (:id, :pid, :times, 10, 30, :t, :at)"),
                {"id": sid, "pid": pid, "times": times, "t": True, "at": CREATED})
    engine.dispose()


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    migrate.upgrade(database_url, "0005_dose_slot")
    _seed_at_0005(database_url)
    return database_url


def test_upgrade_gives_each_patient_with_a_schedule_one_oral_baclofen(seeded: str) -> None:
    migrate.upgrade(seeded, "0013_medications")

    meds = rows(seeded, "SELECT patient_id, name, route, strength, rxnorm_code, active FROM medication "
                         "ORDER BY patient_id")
    assert meds == [(1, "baclofen", "oral", None, None, True), (2, "baclofen", "oral", None, None, True)]


def test_upgrade_points_every_existing_schedule_at_its_patients_baclofen(seeded: str) -> None:
    migrate.upgrade(seeded, "0013_medications")

    got = rows(seeded, "SELECT s.id, s.patient_id, m.patient_id, m.name FROM dose_schedule s "
                        "JOIN medication m ON m.id = s.medication_id ORDER BY s.id")
    assert got == [(10, 1, 1, "baclofen"), (11, 1, 1, "baclofen"), (12, 2, 2, "baclofen")]


def test_downgrade_keeps_the_schedules_and_a_second_upgrade_migrates_them_again(seeded: str) -> None:
    migrate.upgrade(seeded, "0013_medications")

    migrate.downgrade(seeded, "0005_dose_slot")

    assert rows(seeded, "SELECT id FROM dose_schedule ORDER BY id") == [(10,), (11,), (12,)]
    migrate.upgrade(seeded, "0013_medications")
    assert len(rows(seeded, "SELECT id FROM medication")) == 2

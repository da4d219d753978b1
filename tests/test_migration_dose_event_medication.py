"""Migration 0015 on a database with data in it: each dose event names the medicine it was a dose of."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, text

from alerts import migrate
from tests.test_migrations import database_url, fresh_pg_url, insert_patient, rows, sqlite_url  # noqa: F401  (fixtures)

AT = datetime(2026, 11, 30, 12, 0)
BEFORE = "0015_console_manage"
AFTER = "0015_meds_dose_event_medication"


def _seed_at_0014(url: str) -> None:
    """Rosa: baclofen (schedule 10) and metformin (schedule 11), a dose of each matched, one
    unscheduled dose. Omar: baclofen, one unscheduled dose. Ines: no medication, one dose event."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for pid, name in [(1, "Rosa"), (2, "Omar"), (3, "Ines")]:
            insert_patient(conn, pid, name, "America/New_York", AT)
        for mid, pid, name in [(100, 1, "baclofen"), (101, 1, "metformin"), (102, 2, "Baclofen")]:
            conn.execute(text(
                "INSERT INTO medication (id, patient_id, name, route, active, created_at) "
                "VALUES (:id, :pid, :name, 'oral', :t, :at)"), {"id": mid, "pid": pid, "name": name, "t": True, "at": AT})
        for sid, pid, mid in [(10, 1, 100), (11, 1, 101), (12, 2, 102)]:
            conn.execute(text(
                "INSERT INTO dose_schedule (id, patient_id, medication_id, times, dose_mg, grace_minutes, active, "
                "created_at) VALUES (:id, :pid, :mid, '[\"08:00\"]', 10, 30, :t, :at)"),
                {"id": sid, "pid": pid, "mid": mid, "t": True, "at": AT})
        for did, sid in [(1000, 10), (1001, 11)]:
            conn.execute(text(
                "INSERT INTO dose (id, patient_id, schedule_id, due_at, check_at, local_date, local_time, dose_mg, "
                "status, taken_at) VALUES (:id, 1, :sid, :at, :at, :day, '08:00', 10, 'taken', :at)"),
                {"id": did, "sid": sid, "at": AT, "day": date(2026, 11, 30)})
        for eid, pid, dose_id in [(1, 1, 1000), (2, 1, 1001), (3, 1, None), (4, 2, None), (5, 3, None)]:
            conn.execute(text(
                "INSERT INTO dose_event (id, patient_id, taken_at, source, dose_id, received_at) "
                "VALUES (:id, :pid, :at, 'app', :dose_id, :at)"), {"id": eid, "pid": pid, "dose_id": dose_id, "at": AT})
    engine.dispose()


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    migrate.upgrade(database_url, BEFORE)
    _seed_at_0014(database_url)
    return database_url


def test_upgrade_names_each_event_by_its_matched_dose_and_unscheduled_ones_as_the_patients_baclofen(
        seeded: str) -> None:
    migrate.upgrade(seeded, AFTER)

    got = rows(seeded, "SELECT id, medication_id FROM dose_event ORDER BY id")
    # The metformin dose stays metformin; unscheduled doses were baclofen (nothing else was watched);
    # a patient without a medication keeps none rather than a guess.
    assert got == [(1, 100), (2, 101), (3, 100), (4, 102), (5, None)]


def test_downgrade_keeps_the_events_and_a_second_upgrade_fills_them_again(seeded: str) -> None:
    migrate.upgrade(seeded, AFTER)

    migrate.downgrade(seeded, BEFORE)

    assert rows(seeded, "SELECT id FROM dose_event ORDER BY id") == [(1,), (2,), (3,), (4,), (5,)]
    migrate.upgrade(seeded, AFTER)
    assert rows(seeded, "SELECT medication_id FROM dose_event WHERE id = 2") == [(101,)]


def test_deleting_a_medication_leaves_its_dose_events_as_history(seeded: str) -> None:
    migrate.upgrade(seeded, AFTER)
    engine = create_engine(seeded)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys = ON"))
        conn.execute(text("DELETE FROM dose WHERE id = 1001"))
        conn.execute(text("DELETE FROM dose_schedule WHERE id = 11"))
        conn.execute(text("DELETE FROM medication WHERE id = 101"))
    engine.dispose()

    assert rows(seeded, "SELECT id, medication_id FROM dose_event WHERE id = 2") == [(2, None)]

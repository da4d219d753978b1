"""Migration 0016 on a database with data: clinicians keep seeing every patient they saw before."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from alerts import migrate
from tests.test_migrations import database_url, fresh_pg_url, insert_patient, rows, sqlite_url  # noqa: F401  (fixtures)

CREATED = datetime(2026, 12, 1, 12, 0)


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    """Two clinicians (one already had patient 1 as "mine"), an admin, a caregiver, two patients."""
    migrate.upgrade(database_url, "0015_console_access_totp")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        for pid, name in [(1, "Rosa"), (2, "Omar")]:
            insert_patient(conn, pid, name, "America/New_York", CREATED)
        for uid, role in [(10, "clinician"), (11, "clinician"), (12, "admin"), (13, "caregiver")]:
            conn.execute(text("INSERT INTO console_user (id, role, name, active, created_at) "
                              "VALUES (:id, :role, :name, :t, :at)"),
                         {"id": uid, "role": role, "name": f"user {uid}", "t": True, "at": CREATED})
        conn.execute(text("INSERT INTO clinician_patient (user_id, patient_id) VALUES (10, 1)"))
    engine.dispose()
    return database_url


def test_upgrade_assigns_every_patient_to_every_clinician_and_no_one_else(seeded: str) -> None:
    migrate.upgrade(seeded, "0016_console_access_assign")

    assert rows(seeded, "SELECT user_id, patient_id FROM clinician_patient ORDER BY user_id, patient_id") == [
        (10, 1), (10, 2), (11, 1), (11, 2)]


def test_downgrade_keeps_the_assignments_and_upgrading_again_adds_none(seeded: str) -> None:
    migrate.upgrade(seeded, "0016_console_access_assign")
    migrate.downgrade(seeded, "0015_console_access_totp")
    migrate.upgrade(seeded, "0016_console_access_assign")

    assert len(rows(seeded, "SELECT user_id FROM clinician_patient")) == 4

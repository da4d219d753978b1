"""Migration 0018 on a database with data in it: every medication gets a supply nobody has counted
(one unit a dose), every device none of its own medicine; a downgrade keeps the rows."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from alerts import migrate
from tests.test_migrations import database_url, fresh_pg_url, insert_patient, rows, sqlite_url  # noqa: F401  (fixtures)

AT = datetime(2026, 12, 6, 12, 0)
BEFORE = "0017_reading_hour"
AFTER = "0018_meds2_med_supply_device"


def _seed(url: str) -> None:
    """Rosa takes baclofen and metformin and has a pill bottle; Omar has a wearable."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for pid, name in [(1, "Rosa"), (2, "Omar")]:
            insert_patient(conn, pid, name, "America/New_York", AT)
        for mid, name in [(100, "baclofen"), (101, "metformin")]:
            conn.execute(text(
                "INSERT INTO medication (id, patient_id, name, route, active, created_at) "
                "VALUES (:id, 1, :name, 'oral', :t, :at)"), {"id": mid, "name": name, "t": True, "at": AT})
        for did, pid, external, kind in [(10, 1, "bottle-1", "pill_bottle"), (11, 2, "watch", "wearable")]:
            conn.execute(text(
                "INSERT INTO device (id, patient_id, external_id, kind, created_at) "
                "VALUES (:id, :pid, :ext, :kind, :at)"), {"id": did, "pid": pid, "ext": external, "kind": kind, "at": AT})
    engine.dispose()


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    migrate.upgrade(database_url, BEFORE)
    _seed(database_url)
    return database_url


def test_upgrade_leaves_every_supply_uncounted_at_one_unit_a_dose_and_every_device_without_a_medicine(
        seeded: str) -> None:
    migrate.upgrade(seeded, AFTER)

    assert rows(seeded, "SELECT id, supply_on_hand, units_per_dose, refill_date, supply_low_since "
                         "FROM medication ORDER BY id") == [(100, None, 1, None, None), (101, None, 1, None, None)]
    assert rows(seeded, "SELECT id, medication_id FROM device ORDER BY id") == [(10, None), (11, None)]


def test_a_counted_supply_and_a_bottle_for_a_medicine_survive_a_downgrade_as_the_rows_they_were(
        seeded: str) -> None:
    migrate.upgrade(seeded, AFTER)
    engine = create_engine(seeded)
    with engine.begin() as conn:
        conn.execute(text("UPDATE medication SET supply_on_hand = 28.5, units_per_dose = 1.5 WHERE id = 101"))
        conn.execute(text("UPDATE device SET medication_id = 101 WHERE id = 10"))
    engine.dispose()
    assert rows(seeded, "SELECT supply_on_hand, units_per_dose FROM medication WHERE id = 101") == [(28.5, 1.5)]

    migrate.downgrade(seeded, BEFORE)

    assert rows(seeded, "SELECT id, name FROM medication ORDER BY id") == [(100, "baclofen"), (101, "metformin")]
    assert rows(seeded, "SELECT id, external_id FROM device ORDER BY id") == [(10, "bottle-1"), (11, "watch")]
    migrate.upgrade(seeded, AFTER)
    assert rows(seeded, "SELECT medication_id FROM device WHERE id = 10") == [(None,)]

"""Migration 0019 on a database with data in it: each counted, active medicine with a refill day no
later count replaced is planned for the tick's check at 09:00 New York time the morning after (an
instant already past included, so a refill day gone by before the upgrade is asked about on the
first tick); every other medicine has nothing planned; a downgrade keeps the rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from alerts import migrate
from tests.test_migrations import (  # noqa: F401
    _partial_index_predicates,
    database_url,
    fresh_pg_url,
    insert_patient,
    rows,
    sqlite_url,
)

AT = datetime(2026, 3, 1, 15, 0)  # Sun 1 Mar, 10:00 in New York (EST)
BEFORE = "0018_meds2_med_supply_device"
AFTER = "0019_medication_supply_check"


def _seed(url: str) -> None:
    """Rosa, in New York, counted five medicines; New York's clocks go forward early Sun 8 Mar."""
    engine = create_engine(url)
    with engine.begin() as conn:
        insert_patient(conn, 1, "Rosa", "America/New_York", AT)
        # (id, on hand, counted at, refill day, active)
        for mid, on_hand, counted, refill, active in [
                (100, 30, AT, "2026-03-07", True),  # due Sat: checked Sun 09:00 EDT
                (101, 40, AT, "2026-03-06", True),  # due Fri: checked Sat 09:00 EST
                (102, 90, datetime(2026, 3, 7, 14), "2026-03-07", True),  # counted on the refill day: replaced
                (103, None, None, "2026-03-07", True),  # not counted: nothing to check
                (104, 10, AT, "2026-03-07", False)]:  # stopped
            conn.execute(text(
                "INSERT INTO medication (id, patient_id, name, route, active, created_at, supply_on_hand, "
                "units_per_dose, supply_counted_at, refill_date) "
                "VALUES (:id, 1, :name, 'oral', :active, :at, :on_hand, 1, :counted, :refill)"),
                {"id": mid, "name": f"med{mid}", "active": active, "at": AT, "on_hand": on_hand, "counted": counted,
                 "refill": datetime.fromisoformat(refill).date()})
    engine.dispose()


def _utc(value: object) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    migrate.upgrade(database_url, BEFORE)
    _seed(database_url)
    return database_url


def test_upgrade_plans_each_refill_day_no_count_replaced_and_a_downgrade_keeps_the_rows(seeded: str) -> None:
    migrate.upgrade(seeded, AFTER)

    planned = {mid: _utc(at) for mid, at in rows(seeded, "SELECT id, supply_check_at FROM medication")}
    assert planned == {100: datetime(2026, 3, 8, 13, tzinfo=UTC), 101: datetime(2026, 3, 7, 14, tzinfo=UTC),
                       102: None, 103: None, 104: None}
    # The tick's sweep reads only planned rows.
    assert "supply_check_at IS NOT NULL" in _partial_index_predicates(seeded)["ix_medication_supply_check_at"]

    migrate.downgrade(seeded, BEFORE)

    assert rows(seeded, "SELECT id, supply_on_hand, refill_date IS NOT NULL FROM medication ORDER BY id") == [
        (100, 30, True), (101, 40, True), (102, 90, True), (103, None, True), (104, 10, True)]

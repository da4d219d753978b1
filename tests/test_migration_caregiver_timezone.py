"""Migration 0021 on a database with caregivers in it: each keeps the quiet hours they had, read in
the patient's zone as before (a null zone); a zone set afterwards is dropped on downgrade, the rows kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from alerts import migrate
from alerts.domain.delivery import ROUTINE
from alerts.models import Caregiver, Notification
from alerts.services.alerts import caregiver_recipient
from alerts.services.outbox import Message, queue_messages
from tests.test_migrations import database_url, fresh_pg_url, insert_patient, rows, sqlite_url  # noqa: F401

CREATED = datetime(2026, 12, 1, 12, 0)
BEFORE, REVISION = "0020_notification_recheck", "0021_caregiver_timezone"
# (id, name, phone, position, quiet_start, quiet_end): Ann has quiet hours, Bob has none.
CAREGIVERS = [(1, "Ann", "+14155550101", 1, "22:00", "07:00"), (2, "Bob", "+14155550102", 2, None, None)]


@pytest.fixture
def seeded(database_url: str) -> str:  # noqa: F811
    """Rosa, in Tokyo, and her two caregivers, stored before caregivers had a zone."""
    migrate.upgrade(database_url, BEFORE)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        insert_patient(conn, 1, "Rosa", "Asia/Tokyo", CREATED)
        for cid, name, phone, position, start, end in CAREGIVERS:
            conn.execute(text(
                "INSERT INTO caregiver (id, patient_id, name, phone, position, language, quiet_start, quiet_end, "
                "created_at) VALUES (:id, 1, :name, :phone, :position, 'en', :start, :end, :at)"),
                {"id": cid, "name": name, "phone": phone, "position": position, "start": start, "end": end,
                 "at": CREATED})
    engine.dispose()
    return database_url


def test_upgrade_gives_every_caregiver_no_zone_and_keeps_their_quiet_hours(seeded: str) -> None:
    migrate.upgrade(seeded, REVISION)
    assert rows(seeded, "SELECT id, quiet_start, quiet_end, timezone FROM caregiver ORDER BY id") == [
        (1, "22:00", "07:00", None), (2, None, None, None)]


def test_after_upgrade_quiet_hours_are_still_read_in_the_patients_zone(seeded: str) -> None:
    migrate.upgrade(seeded, REVISION)
    now = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo, 09:00 in New York
    engine = create_engine(seeded)
    try:
        with Session(engine) as session:
            ann = session.get(Caregiver, 1)
            assert ann is not None
            queue_messages(session, 1, None, [Message("m:ann", caregiver_recipient(ann), "missed dose",
                                                      kind="escalation", priority=ROUTINE)], now)
            session.commit()
            row = session.query(Notification).one()
            assert row.held_until == datetime(2026, 12, 7, 22, 0, tzinfo=UTC)  # 07:00 in Tokyo
    finally:
        engine.dispose()


def test_downgrade_drops_the_zone_and_keeps_the_caregivers(seeded: str) -> None:
    migrate.upgrade(seeded, REVISION)
    engine = create_engine(seeded)
    with engine.begin() as conn:
        conn.execute(text("UPDATE caregiver SET timezone = 'America/New_York' WHERE id = 1"))
    engine.dispose()

    migrate.downgrade(seeded, BEFORE)
    engine = create_engine(seeded)
    try:
        assert "timezone" not in {c["name"] for c in inspect(engine).get_columns("caregiver")}
    finally:
        engine.dispose()
    assert rows(seeded, "SELECT id, name, quiet_start, quiet_end FROM caregiver ORDER BY id") == [
        (1, "Ann", "22:00", "07:00"), (2, "Bob", None, None)]

    migrate.upgrade(seeded, REVISION)
    assert rows(seeded, "SELECT id, timezone FROM caregiver ORDER BY id") == [(1, None), (2, None)]

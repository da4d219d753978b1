"""API fixtures: Rosa (the patient), her caregivers and schedule, and the four personas.

Personas, asked by every permission test: Rosa's own client token, an admin token, a token issued
for another patient, and no token (or an unknown one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import func, select, update

from alerts.db import Database, get_db
from alerts.models import Caregiver, DoseSchedule, Notification, Patient
from alerts.services.tick import run_tick
from tests.conftest import NOW, _make_app
from tests.support.schema import sqlite_url
from tests.support.settings import TICK


@dataclass
class Ward:
    patient: Patient
    ann: Caregiver
    bob: Caregiver
    schedule: DoseSchedule
    other: Patient


@pytest.fixture
def frozen() -> Iterator[object]:
    """The clock stopped at NOW (08:00 in New York, Rosa's first dose time)."""
    with freeze_time(NOW) as clock:
        yield clock


@pytest.fixture
def ward(make_patient, make_caregiver, make_schedule) -> Ward:  # type: ignore[no-untyped-def]
    """Rosa (New York; 08:00, 14:00, 20:00; escalation every 10 min) with Ann and Bob; and Omar, another patient."""
    rosa = make_patient(name="Rosa", escalation_minutes=10)
    ann = make_caregiver(rosa, name="Ann", position=1)
    bob = make_caregiver(rosa, name="Bob", position=2)
    schedule = make_schedule(rosa, ["08:00", "14:00", "20:00"], now=NOW)
    omar = make_patient(name="Omar")
    return Ward(rosa, ann, bob, schedule, omar)


@pytest.fixture
def personas(ward: Ward, make_token) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Request headers for each persona."""

    def bearer(secret: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret}"}

    return {
        "own": bearer(make_token(ward.patient, name="Rosa's phone")),
        # Ann's own app: a token issued to caregiver Ann, for Rosa.
        "caregiver": bearer(make_token(ward.patient, name="Ann's phone", caregiver=ward.ann)),
        "admin": bearer(make_token(role="admin", name="clinic admin")),
        "other": bearer(make_token(ward.other, name="Omar's phone")),
        "none": {},
        "unknown": bearer("dw_" + "x" * 43),
    }


@pytest.fixture
def device_token(ward: Ward, make_token) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Request headers of Rosa's watch: a device token, for her alone."""
    return {"Authorization": f"Bearer {make_token(ward.patient, role='device', name='Rosa watch')}"}


def read(db: Database, stmt: Any) -> list[Any]:
    """Rows the API wrote, read in a short session of their own.

    Not the factories' session: rolling that back would expire the fixtures' objects, and the next
    ``ward.patient.id`` would open a transaction, which on SQLite (every transaction begins
    IMMEDIATE) holds the write lock the next request needs.
    """
    with db.sessionmaker() as s:
        return list(s.scalars(stmt))


@pytest.fixture
def count(db: Database) -> Callable[[type], int]:
    """How many rows a table holds now."""

    def rows(model: type) -> int:
        return int(read(db, select(func.count()).select_from(model))[0])

    return rows


# -- FHIR export: a clinician, and a day of Rosa's record -------------------------------------------

TAKEN_DUE = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)  # 14:00 in New York: taken
MISSED_DUE = datetime(2026, 6, 16, 0, 0, tzinfo=UTC)  # 20:00 in New York: missed


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def clinician(ward: Ward, make_token) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Dr Lee's token: Rosa is on her panel, Omar is not."""
    return bearer(make_token(ward.patient, role="clinician", name="Dr Lee"))


@pytest.fixture
def rosas_day(client, ward: Ward, personas, device_token, db: Database) -> None:  # type: ignore[no-untyped-def]
    """Rosa's day through the same routes and tick as production: the 14:00 dose taken, vitals from
    her watch, the 20:00 dose missed (the tick opens the alert and texts her; Twilio says delivered),
    then a check-in reporting a seizure (an emergency carrying the withdrawal-vs-toxicity assessment)."""
    pid = ward.patient.id
    with freeze_time(TAKEN_DUE):
        assert client.post(f"/v1/patients/{pid}/doses", json={"taken_at": "2026-06-15T17:55:00Z", "dose_mg": "10"},
                           headers=personas["own"]).status_code == 201
    with freeze_time(NOW):
        readings = [{"kind": "heart_rate", "value": 72, "measured_at": "2026-06-15T11:00:00Z", "device_id": "watch-1"},
                    {"kind": "spo2", "value": 97, "measured_at": "2026-06-15T11:00:00Z", "device_id": "watch-1"},
                    {"kind": "body_temperature", "value": 37.1, "measured_at": "2026-06-15T11:01:00Z",
                     "device_id": "watch-1"},
                    {"kind": "respiratory_rate", "value": 14, "measured_at": "2026-06-15T11:02:00Z"},
                    {"kind": "bp_systolic", "value": 121, "measured_at": "2026-06-15T11:03:00Z"},
                    {"kind": "bp_diastolic", "value": 79, "measured_at": "2026-06-15T11:03:00Z"},
                    {"kind": "skin_temperature", "value": 33.5, "measured_at": "2026-06-15T11:04:00Z",
                     "device_id": "watch-1"}]
        assert client.post(f"/v1/patients/{pid}/readings", json={"readings": readings},
                           headers=device_token).status_code == 201
    run_tick(db.sessionmaker, MISSED_DUE + timedelta(minutes=31), **TICK)  # the 20:00 dose is missed
    with db.sessionmaker() as s, s.begin():
        s.execute(update(Notification).values(status="delivered", sent_at=MISSED_DUE + timedelta(minutes=31)))
    with freeze_time(MISSED_DUE + timedelta(minutes=40)):
        assert client.post(f"/v1/patients/{pid}/checkins", json={
            "recorded_at": "2026-06-16T00:39:00Z", "symptoms": {"seizure": 4, "tremor": 2}},
            headers=personas["own"]).status_code == 201


@pytest.fixture
def export_kicks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Bulk export job ids the routes asked a worker to run (recorded, not sent)."""
    calls: list[str] = []
    monkeypatch.setattr("alerts.api.fhir.kick_export", lambda app, job_id: calls.append(job_id))
    return calls


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on SQLite (the embedded default), then on PostgreSQL; a module that means both
    databases overrides ``app`` with this (so it cannot ask for ``app`` itself)."""
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_app")
        return
    sqlite_app = _make_app(tmp_path, sqlite_url(tmp_path))
    yield sqlite_app
    get_db(sqlite_app).dispose()

"""API fixtures: Rosa (the patient), her caregivers and schedule, and the four personas.

Personas, asked by every permission test: Rosa's own client token, an admin token, a token issued
for another patient, and no token (or an unknown one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from alerts.db import Database
from alerts.models import Caregiver, DoseSchedule, Patient
from tests.conftest import NOW


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

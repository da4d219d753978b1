"""Factory fixtures for the clinical-rule tests: plain values, no services, no database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from alerts.domain.clinical.history import (
    CheckInRecord,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
)


@pytest.fixture
def make_profile() -> Callable[..., ClinicalProfile]:
    """A patient on 20 mg every 8 hours (60 mg a day), New York, no risk factors, unless told."""

    def make(**kw: Any) -> ClinicalProfile:
        values: dict[str, Any] = {
            "renal_impairment": False,
            "intrathecal_pump": False,
            "daily_total_mg": 60.0,
            "dose_interval_hours": 8.0,
            "timezone": "America/New_York",
        }
        values.update(kw)
        return ClinicalProfile(**values)

    return make


@pytest.fixture
def settings() -> ClinicalSettings:
    return ClinicalSettings()


@pytest.fixture
def schedule() -> Callable[..., list[DoseRecord]]:
    """Scheduled doses from a status string, oldest first, 8 h apart, the last one due at ``last_due``.

    "T" taken (on time), "M" missed, "P" pending: ``schedule("TMM", last_due=now)``.
    """

    def make(
        statuses: str, last_due: datetime, every: timedelta = timedelta(hours=8), dose_mg: float = 20.0
    ) -> list[DoseRecord]:
        doses = []
        for i, s in enumerate(statuses):
            due = last_due - every * (len(statuses) - 1 - i)
            status = {"T": "taken", "M": "missed", "P": "pending"}[s]
            doses.append(DoseRecord(due, status, due if s == "T" else None, dose_mg))  # type: ignore[arg-type]
        return doses

    return make


@pytest.fixture
def taken_from() -> Callable[[list[DoseRecord]], list[DoseTaken]]:
    """The dose-taken events that go with a schedule's taken doses."""

    def make(doses: list[DoseRecord]) -> list[DoseTaken]:
        return [DoseTaken(d.taken_at, d.dose_mg, True) for d in doses if d.taken_at is not None]

    return make


@pytest.fixture
def checkin() -> Callable[..., CheckInRecord]:
    def make(at: datetime, **symptoms: int) -> CheckInRecord:
        return CheckInRecord(at, symptoms)

    return make

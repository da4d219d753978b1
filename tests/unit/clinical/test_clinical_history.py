"""The rule inputs refuse values the rules could misread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.domain.clinical.history import (
    CheckInRecord,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    SupplyReport,
    findings_from_checkins,
)

NOW = datetime(2024, 6, 5, 16, 0, tzinfo=UTC)
NAIVE = datetime(2024, 6, 5, 16, 0)
BAD: Any = "skipped"  # not one of the Literal values, on purpose


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: DoseRecord(NAIVE, "pending", None, 20.0), id="a naive due time is refused"),
        pytest.param(lambda: DoseTaken(NAIVE, 20.0, True), id="a naive taken time is refused"),
        pytest.param(lambda: DoseRecord(NOW, BAD, None, 20.0), id="an unknown dose status is refused"),
        pytest.param(lambda: CheckInRecord(NOW, {"sneezing": 3}), id="an unknown symptom is refused"),
        pytest.param(lambda: CheckInRecord(NOW, {"fever": 11}), id="a severity above 10 is refused"),
        pytest.param(lambda: SupplyReport(NOW, BAD), id="an unknown supply report is refused"),
        pytest.param(
            lambda: ClinicalProfile(False, False, 60.0, 8.0, "Mars/Olympus"), id="an unknown zone is refused"
        ),
        pytest.param(
            lambda: ClinicalProfile(False, False, 60.0, 0.0, "UTC"), id="a zero dose interval is refused"
        ),
        pytest.param(
            lambda: ClinicalSettings(too_soon_fraction=1.5), id="a too-soon fraction above 1 is refused"
        ),
        pytest.param(
            lambda: ClinicalSettings(no_dose_window_hours=0), id="an empty no-dose window is refused"
        ),
    ],
)
def test_bad_inputs_are_refused(build: Callable[[], Any]) -> None:
    with pytest.raises(ValueError):
        build()


def test_checkin_symptoms_become_findings_from_their_minimum_severity() -> None:
    checkin = CheckInRecord(NOW, {"fever": 1, "tremor": 0, "drowsiness": 4, "confusion": 3})
    assert sorted(f.key for f in findings_from_checkins([checkin])) == ["confusion", "fever"]
    assert all(f.source == "checkin" and f.at == NOW for f in findings_from_checkins([checkin]))

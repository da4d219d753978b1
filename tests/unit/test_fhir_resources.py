"""The FHIR R4 resources dosewatch exports, one builder at a time: each validates with the R4B
models of ``fhir.resources``, and the bulk export's fast path writes exactly the same resource."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B import get_fhir_model_class

from alerts.fhir import resources as fr
from alerts.fhir.export import _identified

AT = datetime(2026, 6, 15, 12, 0, 30, 250000, tzinfo=UTC)


def valid(resource: dict[str, object]) -> dict[str, object]:
    get_fhir_model_class(str(resource["resourceType"])).model_validate(resource)
    return resource


@pytest.mark.parametrize("kind", sorted(fr.VITALS))
@pytest.mark.parametrize("device", [None, 4])
def test_the_bulk_fast_path_writes_the_same_vital_sign_observation(kind: str, device: int | None) -> None:
    expected = _identified(valid(fr.vital(17, 3, kind, 36.75, AT, device)))  # type: ignore[arg-type]
    assert json.loads(fr.vital_line(17, 3, kind, 36.75, AT, device)) == expected  # type: ignore[arg-type]


def test_a_motion_index_is_not_a_vital_sign_observation() -> None:
    assert fr.vital(1, 1, "motion_index", 3.0, AT, None) is None
    assert fr.vital_line(1, 1, "motion_index", 3.0, AT, None) is None


def test_instants_are_written_in_utc_whatever_zone_they_come_in() -> None:
    assert fr.instant(datetime(2026, 1, 1, 12, tzinfo=ZoneInfo("America/New_York"))) == "2026-01-01T17:00:00Z"
    assert fr.instant(AT) == "2026-06-15T12:00:30.250000Z"


def test_a_stopped_schedule_with_a_start_day_is_a_stopped_medication_request() -> None:
    request = valid(fr.medication_request(5, 1, "Europe/Madrid", ["07:30"], Decimal("12.5"), False, date(2026, 6, 1), AT))
    assert request["status"] == "stopped"
    timing = request["dosageInstruction"][0]["timing"]  # type: ignore[index]
    assert timing["repeat"]["boundsPeriod"] == {"start": "2026-06-01"}
    assert request["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 12.5  # type: ignore[index]


def test_an_unscheduled_dose_taken_has_no_request_and_no_dose_if_unknown() -> None:
    given = valid(fr.dose_taken(9, 1, AT, "sms", None, None))
    assert "request" not in given and "dosage" not in given


@pytest.mark.parametrize(("status", "expected"), [("delivered", "completed"), ("failed", "not-done"),
                                                  ("undelivered", "not-done"), ("sent", "completed"),
                                                  ("no-answer", "not-done"), ("something-new", "unknown")])
def test_a_messages_delivery_status_becomes_the_communication_status(status: str, expected: str) -> None:
    message = valid(fr.communication(1, 2, "escalation", "voice", "caregiver", status, 21610, "body", AT, AT))
    assert message["status"] == expected
    assert message["statusReason"]["coding"][0]["code"] == status  # type: ignore[index]
    assert message["medium"][0]["coding"][0]["code"] == "PHONE"  # type: ignore[index]


def test_a_risk_without_an_assessment_lists_its_reasons_as_evidence() -> None:
    issue = valid(fr.detected_issue(3, 1, "withdrawal_risk", "resolved", AT,
                                    {"reasons": ["2 scheduled doses missed in a row"]}))
    assert issue["status"] == "final"
    assert issue["evidence"] == [{"code": [{"text": "2 scheduled doses missed in a row"}]}]
    assert "detail" not in issue


def test_which_alerts_are_risks() -> None:
    assert fr.is_risk("toxicity_risk", {})
    assert fr.is_risk("emergency", {"assessment": {"verdict": "withdrawal"}})
    assert not fr.is_risk("missed_dose", {})
    assert not fr.is_risk("device_offline", {"assessment": "not a record"})


def test_a_check_in_with_a_supply_problem_and_no_symptoms_is_a_valid_observation() -> None:
    checkin = valid(fr.checkin(1, 1, AT, {}, "ran_out", None))
    assert checkin["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == "ran_out"  # type: ignore[index]

"""Values that pass a type check but no calendar or clock can use: refused at the border (422),
where they used to be stored and then overflow the date arithmetic of a reminder or a rule (a 500
on this request, or a crash of every later tick)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from alerts.models import Device, DoseSchedule, Patient
from tests.api.conftest import Ward, read
from tests.conftest import NOW


def _refill_event(ward: Ward, day: str) -> tuple[str, str, dict[str, Any]]:
    return ("post", f"/v1/patients/{ward.patient.id}/device-events",
            {"kind": "pump_refill_scheduled", "occurred_at": NOW.isoformat(), "refill_date": day, "device_id": "pump"})


CASES = {
    "refill_day_year_1_on_a_device": lambda w: ("put", f"/v1/admin/patients/{w.patient.id}/devices",
                                                {"external_id": "pump", "kind": "pump", "refill_date": "0001-01-01"}),
    "refill_day_year_9999_on_a_device": lambda w: ("put", f"/v1/admin/patients/{w.patient.id}/devices",
                                                   {"external_id": "pump", "kind": "pump", "refill_date": "9999-12-31"}),
    "refill_day_year_1_in_an_event": lambda w: _refill_event(w, "0001-01-01"),
    "refill_day_year_9999_in_an_event": lambda w: _refill_event(w, "9999-12-31"),
    "schedule_starting_in_year_1": lambda w: ("post", f"/v1/admin/patients/{w.patient.id}/schedules",
                                              {"times": ["08:00"], "dose_mg": 5, "starts_on": "0001-01-01"}),
    "schedule_starting_in_year_9999": lambda w: ("post", f"/v1/admin/patients/{w.patient.id}/schedules",
                                                 {"times": ["08:00"], "dose_mg": 5, "starts_on": "9999-12-31"}),
    "a_look_back_of_1e308_hours": lambda w: ("patch", f"/v1/admin/patients/{w.patient.id}",
                                             {"clinical_settings": {"no_dose_window_hours": 1e308}}),
    "caregiver_step_at_position_2_to_the_70": lambda w: (
        "patch", f"/v1/admin/patients/{w.patient.id}",
        {"escalation_policy": [{"target": "caregiver", "position": 2**70, "after_minutes": 0}]}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_value_no_calendar_or_rule_can_use_is_a_422_and_changes_nothing(
        client, ward: Ward, personas, device_token, db, frozen, case: str) -> None:
    method, path, body = CASES[case](ward)
    headers = device_token if "/device-events" in path else personas["admin"]

    response = client.open(path, method=method.upper(), json=body, headers=headers)

    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert read(db, select(Device)) == []
    assert len(read(db, select(DoseSchedule))) == 1  # the ward's own
    [rosa] = read(db, select(Patient).where(Patient.id == ward.patient.id))
    assert rosa.clinical_settings is None and rosa.escalation_policy is None

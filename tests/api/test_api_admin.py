"""Admin API: setting up patients, caregivers, schedules and tokens, and refusing what is invalid."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from alerts.models import ApiToken, Caregiver, Dose, DoseSchedule, Patient
from tests.api.conftest import read
from tests.conftest import NOW

PROBLEM = "application/problem+json"
RAMON = {"name": "Ramón", "timezone": "Europe/Madrid", "phone": "+34 612 34 56 78", "language": "es",
         "renal_impairment": True, "escalation_minutes": 20}


@pytest.fixture
def admin(personas) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return personas["admin"]


# -- patients --------------------------------------------------------------------------------------


def test_admin_creates_a_patient_with_the_phone_normalised_to_e164(client, admin, db, frozen) -> None:
    response = client.post("/v1/admin/patients", headers=admin, json=RAMON)

    assert response.status_code == 201
    body = response.json
    assert body["phone"] == "+34612345678"
    assert response.headers["Location"] == f"/v1/admin/patients/{body['id']}"
    stored = read(db, select(Patient).where(Patient.id == body["id"]))[0]
    assert (stored.timezone, stored.phone, stored.language, stored.renal_impairment, stored.escalation_minutes) == (
        "Europe/Madrid", "+34612345678", "es", True, 20)


def test_escalation_minutes_default_to_the_configured_value(client, admin, app) -> None:
    response = client.post("/v1/admin/patients", headers=admin, json={"name": "Ivy", "timezone": "UTC"})

    assert response.json["escalation_minutes"] == app.config["DEFAULT_ESCALATION_MINUTES"]


BAD_PATIENTS = [
    ("invalid_phone", {"phone": "+1 555 0100"}, "phone"),
    ("national_phone", {"phone": "612345678"}, "phone"),
    ("unknown_timezone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ("utc_offset_not_a_zone", {"timezone": "+02:00"}, "timezone"),
    ("unsupported_language", {"language": "fr"}, "language"),
    ("escalation_too_slow", {"escalation_minutes": 600}, "escalation_minutes"),
    ("policy_bad_target", {"escalation_policy": [{"target": "neighbour"}]}, "escalation_policy"),
    ("policy_caregiver_without_position", {"escalation_policy": [{"target": "caregiver"}]}, "escalation_policy"),
    ("renal_flag_as_text", {"renal_impairment": "yes"}, "renal_impairment"),
]


@pytest.mark.parametrize(("change", "loc"), [b[1:] for b in BAD_PATIENTS], ids=[b[0] for b in BAD_PATIENTS])
def test_invalid_patient_is_refused_and_nothing_stored(client, admin, ward, count, change, loc) -> None:
    before = count(Patient)

    response = client.post("/v1/admin/patients", headers=admin, json={**RAMON, **change})

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert [e["loc"] for e in response.json["errors"]] == [loc]
    assert count(Patient) == before


def test_patient_detail_lists_caregivers_in_order_and_schedules(client, admin, ward) -> None:
    response = client.get(f"/v1/admin/patients/{ward.patient.id}", headers=admin)

    assert response.status_code == 200
    body = response.json
    assert [(c["name"], c["position"]) for c in body["caregivers"]] == [("Ann", 1), ("Bob", 2)]
    [schedule] = body["schedules"]
    assert schedule["times"] == ["08:00", "14:00", "20:00"]
    assert schedule["next_dose_at"] == "2026-06-15T18:00:00Z"  # 14:00 in New York


def test_unknown_patient_is_404(client, admin, ward) -> None:
    for method, path in (("GET", "/v1/admin/patients/999"), ("PATCH", "/v1/admin/patients/999"),
                         ("POST", "/v1/admin/patients/999/caregivers"), ("POST", "/v1/admin/patients/999/schedules")):
        response = client.open(path, method=method, headers=admin, json={})
        assert response.status_code == 404, path
        assert response.mimetype == PROBLEM


def test_patch_changes_only_the_fields_sent(client, admin, ward, db) -> None:
    response = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin,
                            json={"renal_impairment": True, "phone": None})

    assert response.status_code == 200
    stored = read(db, select(Patient).where(Patient.id == ward.patient.id))[0]
    assert (stored.renal_impairment, stored.phone, stored.name, stored.escalation_minutes) == (True, None, "Rosa", 10)


def test_patch_cannot_null_a_required_field(client, admin, ward, db) -> None:
    response = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin, json={"timezone": None})

    assert response.status_code == 422
    assert read(db, select(Patient.timezone).where(Patient.id == ward.patient.id)) == ["America/New_York"]


def test_new_timezone_replans_the_pending_dose(client, admin, ward, db, frozen) -> None:
    response = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin,
                            json={"timezone": "America/Los_Angeles"})

    assert response.status_code == 200
    pending = read(db, select(Dose).where(Dose.schedule_id == ward.schedule.id, Dose.status == "pending"))
    # NOW is 05:00 in Los Angeles: the next dose is 08:00 there (15:00 UTC), not New York's 14:00.
    assert [(d.local_time, d.due_at) for d in pending] == [("08:00", NOW + timedelta(hours=3))]
    assert response.json["schedules"][0]["next_dose_at"] == "2026-06-15T15:00:00Z"


def test_zone_change_to_the_same_offset_still_leaves_one_pending_dose(client, admin, ward, db, frozen) -> None:
    """New York -> Toronto gives the same instants; the schedule must not be left without a pending dose."""
    before = read(db, select(Dose.due_at).where(Dose.status == "pending", Dose.schedule_id == ward.schedule.id))

    client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin, json={"timezone": "America/Toronto"})

    after = read(db, select(Dose.due_at).where(Dose.status == "pending", Dose.schedule_id == ward.schedule.id))
    assert after == before
    assert len(after) == 1


# -- caregivers ------------------------------------------------------------------------------------


def test_caregiver_is_added_after_the_last_by_default(client, admin, ward) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Cy", "phone": "+1 (415) 555-0199", "language": "es"})

    assert response.status_code == 201
    assert (response.json["position"], response.json["phone"]) == (3, "+14155550199")


def test_two_caregivers_at_one_position_is_a_conflict(client, admin, ward, count) -> None:
    before = count(Caregiver)

    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Cy", "phone": "+14155550199", "position": 1})

    assert response.status_code == 409
    assert response.mimetype == PROBLEM
    assert "Ann" in response.json["detail"]
    assert count(Caregiver) == before


def test_the_same_phone_twice_for_one_patient_is_a_conflict(client, admin, ward, count) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Ann again", "phone": ward.ann.phone})

    assert response.status_code == 409
    assert count(Caregiver) == 2


@pytest.mark.parametrize("body", [{"name": "Cy", "phone": "not a phone"}, {"name": "Cy"},
                                  {"name": "", "phone": "+14155550199"},
                                  {"name": "Cy", "phone": "+14155550199", "position": 0}])
def test_invalid_caregiver_is_refused(client, admin, ward, count, body) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin, json=body)

    assert response.status_code == 422
    assert count(Caregiver) == 2


def test_removed_caregiver_is_gone(client, admin, ward, db) -> None:
    assert client.delete(f"/v1/admin/caregivers/{ward.bob.id}", headers=admin).status_code == 204
    assert read(db, select(Caregiver.name)) == ["Ann"]
    assert client.delete(f"/v1/admin/caregivers/{ward.bob.id}", headers=admin).status_code == 404


# -- schedules -------------------------------------------------------------------------------------


def test_schedule_is_created_with_its_first_pending_dose(client, admin, ward, db, frozen) -> None:
    response = client.post(f"/v1/admin/patients/{ward.other.id}/schedules", headers=admin,
                           json={"times": ["21:00", "09:00"], "dose_mg": 7.5, "grace_minutes": 45})

    assert response.status_code == 201
    body = response.json
    assert (body["times"], body["dose_mg"], body["grace_minutes"], body["active"]) == (
        ["09:00", "21:00"], 7.5, 45, True)
    [dose] = read(db, select(Dose).where(Dose.schedule_id == body["id"]))
    assert (dose.status, dose.local_time, dose.check_at - dose.due_at) == ("pending", "09:00", timedelta(minutes=45))
    assert body["next_dose_at"] == "2026-06-15T13:00:00Z"  # 09:00 in New York


@pytest.mark.parametrize("body", [
    {"times": ["8am"], "dose_mg": 10},
    {"times": ["24:00"], "dose_mg": 10},
    {"times": [], "dose_mg": 10},
    {"times": ["08:00"], "dose_mg": 0},
    {"times": ["08:00"], "dose_mg": -5},
    {"times": ["08:00"], "dose_mg": 10, "grace_minutes": 721},
    {"times": ["08:00"], "dose_mg": 10, "every": "day"},
], ids=["am_pm", "hour_24", "no_times", "zero_dose", "negative_dose", "grace_too_long", "unknown_field"])
def test_invalid_schedule_is_refused_and_nothing_stored(client, admin, ward, count, body) -> None:
    before = (count(DoseSchedule), count(Dose))

    response = client.post(f"/v1/admin/patients/{ward.patient.id}/schedules", headers=admin, json=body)

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert (count(DoseSchedule), count(Dose)) == before


def test_stopped_schedule_has_no_pending_dose(client, admin, ward, db) -> None:
    response = client.delete(f"/v1/admin/schedules/{ward.schedule.id}", headers=admin)

    assert response.status_code == 204
    assert read(db, select(DoseSchedule.active)) == [False]
    assert read(db, select(Dose.status)) == ["cancelled"]


# -- tokens ----------------------------------------------------------------------------------------


def test_issued_token_is_returned_once_and_works_for_its_patient_only(client, admin, ward, db, frozen) -> None:
    response = client.post("/v1/admin/tokens", headers=admin,
                           json={"name": "Rosa's pill bottle", "patient_ids": [ward.patient.id]})

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = response.json["token"]
    assert secret.startswith("dw_")
    assert response.json["patient_ids"] == [ward.patient.id]
    assert secret not in read(db, select(ApiToken.token_hash))
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=bearer).status_code == 200
    assert client.get(f"/v1/patients/{ward.other.id}/alerts", headers=bearer).status_code == 403
    assert client.get("/v1/admin/patients", headers=bearer).status_code == 403


@pytest.mark.parametrize(("body", "loc"), [
    ({"name": "phone"}, "patient_ids"),
    ({"name": "phone", "patient_ids": [999]}, "patient_ids"),
    ({"name": "phone", "role": "root", "patient_ids": [1]}, "role"),
], ids=["client_without_patients", "unknown_patient", "unknown_role"])
def test_invalid_token_request_is_refused(client, admin, ward, count, body, loc) -> None:
    before = count(ApiToken)

    response = client.post("/v1/admin/tokens", headers=admin, json=body)

    assert response.status_code == 422
    assert [e["loc"] for e in response.json["errors"]] == [loc]
    assert count(ApiToken) == before

"""Who is told, end to end: a check-in through the API and a device's readings go through the same
response table (``alerts.domain.clinical.response``), and the answer names the alert raised.

Rosa (New York) has caregivers Ann and Bob and no risk factor on record; Iris has renal impairment
and one caregiver, Jo. Time is frozen at NOW (08:00 in New York).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from alerts.models import Alert, CheckIn, Notification
from tests.api.conftest import read
from tests.conftest import NOW

AT = NOW.isoformat()


def check_in(client, patient_id: int, headers, **symptoms: int):  # type: ignore[no-untyped-def]
    return client.post(f"/v1/patients/{patient_id}/checkins", headers=headers,
                       json={"recorded_at": AT, "symptoms": symptoms})


def told(db) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(alert kind, recipient kind, channel, phone) of every message queued, sorted."""
    return sorted((n.kind, n.recipient_kind, n.channel, n.to_number) for n in read(db, select(Notification)))


@pytest.fixture
def iris(make_patient, make_caregiver, make_token) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    patient = make_patient(name="Iris", renal_impairment=True)
    jo = make_caregiver(patient, name="Jo")
    return {"patient": patient, "jo": jo, "headers": {"Authorization": f"Bearer {make_token(patient)}"}}


def test_renal_impairment_and_heavy_drowsiness_short_of_profound_tells_the_caregivers_of_toxicity(
        client, iris, db, frozen) -> None:
    # Found by a new user: this check-in got 201 and nobody was told. Brief: "Patients with impaired
    # renal function are at an increased risk of baclofen toxicity"; toxicity: "Excessive drowsiness
    # and sedation".
    response = check_in(client, iris["patient"].id, iris["headers"], drowsiness=7)

    assert response.status_code == 201
    (alert,) = read(db, select(Alert))
    assert (alert.kind, alert.details["verdict"]) == ("toxicity_risk", "possible_toxicity")
    assert response.json["alert_id"] == alert.id
    assert told(db) == [("toxicity_risk", "caregiver", "sms", iris["jo"].phone)]
    (text,) = read(db, select(Notification.body))
    assert "drowsiness" in text and "possible toxicity" in text and "call 911" in text
    assert any("renal impairment" in r for r in alert.details["assessment"]["toxicity"])


@pytest.mark.parametrize(("symptoms", "kind"), [
    # Withdrawal, table Accompanying Symptoms: "Increased heart rate, fever".
    ({"fever": 4}, "urgent"),
    ({"fast_heart_rate": 4}, "urgent"),
    # Withdrawal: "Worsening muscle spasms ... significantly more severe".
    ({"spasms": 8}, "urgent"),
    # Withdrawal: "Tremors and twitches: Involuntary shaking, trembling".
    ({"tremor": 5}, "withdrawal_risk"),
    # Toxicity: "Myoclonus"; "Excessive drowsiness and sedation".
    ({"myoclonus": 5}, "toxicity_risk"),
    ({"drowsiness": 6}, "toxicity_risk"),
    # Toxicity, table Accompanying Symptoms: "low blood pressure, and hypothermia".
    ({"low_blood_pressure": 3}, "urgent"),
    ({"feeling_cold": 3}, "urgent"),
], ids=lambda v: str(v))
def test_withdrawal_and_toxicity_signs_reach_every_caregiver_by_text(
        client, ward, personas, db, frozen, symptoms: dict[str, int], kind: str) -> None:
    response = check_in(client, ward.patient.id, personas["own"], **symptoms)

    assert response.status_code == 201
    (alert,) = read(db, select(Alert))
    assert alert.kind == kind
    assert response.json["alert_id"] == alert.id
    assert told(db) == sorted([(kind, "caregiver", "sms", ward.ann.phone), (kind, "caregiver", "sms", ward.bob.phone)])


def test_worsening_spasms_since_the_last_check_in_reach_the_caregivers(client, ward, personas, db, frozen) -> None:
    check_in(client, ward.patient.id, personas["own"], spasms=2)
    response = client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=personas["own"],
                           json={"recorded_at": (NOW + timedelta(minutes=1)).isoformat(), "symptoms": {"spasms": 5}})

    (alert,) = read(db, select(Alert))
    assert (alert.kind, alert.details["codes"]) == ("urgent", ["worsening_spasms"])
    assert response.json["alert_id"] == alert.id


@pytest.mark.parametrize("symptoms", [
    {"seizure": 1}, {"drowsiness": 8}, {"breathing_difficulty": 2}, {"confusion": 8},
], ids=["seizure", "profound drowsiness", "difficulty breathing", "severe confusion"])
def test_the_four_emergency_signs_call_every_caregiver_and_tell_the_patient_to_call_911(
        client, ward, personas, db, frozen, symptoms: dict[str, int]) -> None:
    response = check_in(client, ward.patient.id, personas["own"], **symptoms)

    (alert,) = read(db, select(Alert))
    assert alert.kind == "emergency" and response.json["alert_id"] == alert.id
    assert told(db) == sorted([
        ("emergency", "patient", "sms", ward.patient.phone),
        ("emergency", "caregiver", "sms", ward.ann.phone), ("emergency", "caregiver", "voice", ward.ann.phone),
        ("emergency", "caregiver", "sms", ward.bob.phone), ("emergency", "caregiver", "voice", ward.bob.phone),
    ])
    (patient_text,) = read(db, select(Notification.body).where(Notification.recipient_kind == "patient"))
    assert "911" in patient_text


def test_a_mild_everyday_check_in_is_recorded_and_names_no_alert(client, ward, personas, db, frozen) -> None:
    response = check_in(client, ward.patient.id, personas["own"], tremor=2, spasms=4)

    assert response.status_code == 201
    assert response.json["alert_id"] is None
    assert read(db, select(Alert)) == [] and told(db) == []


def test_a_replayed_check_in_names_the_alert_it_raised(client, ward, personas, db, frozen) -> None:
    headers = {**personas["own"], "Idempotency-Key": "chk-fever"}
    first = client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=headers,
                        json={"recorded_at": AT, "symptoms": {"fever": 5}})
    replay = client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=headers,
                         json={"recorded_at": AT, "symptoms": {"fever": 5}})

    assert first.json["alert_id"] is not None
    assert replay.json["alert_id"] == first.json["alert_id"]
    assert read(db, select(CheckIn.alert_id)) == [first.json["alert_id"]]


# -- devices: the same table --------------------------------------------------------------------------


def sustained(kind: str, value: float, unit: str) -> dict[str, Any]:
    return {"readings": [{"kind": kind, "value": value, "unit": unit, "device_id": "wrist-1",
                          "measured_at": (NOW - timedelta(minutes=3 - i)).isoformat()} for i in range(3)]}


@pytest.mark.parametrize(("kind", "value", "unit", "finding"), [
    ("heart_rate", 140, "/min", "fast_heart_rate"),  # withdrawal: "Increased heart rate"
    ("body_temperature", 39.5, "Cel", "fever"),  # withdrawal: "fever"
    ("bp_systolic", 82, "mm[Hg]", "low_blood_pressure"),  # toxicity: "low blood pressure"
], ids=lambda v: str(v))
def test_a_sustained_withdrawal_or_toxicity_sign_on_a_device_reaches_every_caregiver(
        client, ward, device_token, db, frozen, kind: str, value: float, unit: str, finding: str) -> None:
    response = client.post(f"/v1/patients/{ward.patient.id}/readings", json=sustained(kind, value, unit),
                           headers=device_token)

    assert response.status_code in (200, 201), response.json
    assert response.json["findings"] == [finding]
    (alert,) = read(db, select(Alert))
    assert (alert.kind, alert.details["codes"]) == ("urgent", [finding])
    assert response.json["alert_id"] == alert.id
    assert told(db) == sorted([("urgent", "caregiver", "sms", ward.ann.phone),
                               ("urgent", "caregiver", "sms", ward.bob.phone)])


def test_a_devices_slow_breathing_is_an_emergency_through_the_same_table(
        client, ward, device_token, db, frozen) -> None:
    response = client.post(f"/v1/patients/{ward.patient.id}/readings",
                           json=sustained("respiratory_rate", 6, "/min"), headers=device_token)

    (alert,) = read(db, select(Alert))
    assert alert.kind == "emergency" and response.json["alert_id"] == alert.id
    assert ("emergency", "caregiver", "voice", ward.ann.phone) in told(db)
    assert ("emergency", "patient", "sms", ward.patient.phone) in told(db)

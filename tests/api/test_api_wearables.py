"""Wearables over HTTP: the formats devices already speak, in batches, normalised and deduplicated.

The Open mHealth and FHIR documents here are not ours: they are the standards' own samples, copied
into ``tests/fixtures/standards/`` (see its README).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from alerts.models import Device, Reading
from tests.api.conftest import Ward, read
from tests.conftest import NOW

PROBLEM = "application/problem+json"
STANDARDS = Path(__file__).parents[1] / "fixtures" / "standards"
OMH = STANDARDS / "open-mhealth"
MEASURES = ("heart-rate", "respiratory-rate", "body-temperature", "oxygen-saturation", "blood-pressure")


def _samples(outcome: str) -> list[Any]:
    return [pytest.param(path, id=f"{path.parts[-4]}-{path.parts[-3]}-{path.stem}")
            for measure in MEASURES for path in sorted((OMH / measure).glob(f"*/{outcome}/*.json"))]


def data_point(sample: Path) -> dict[str, Any]:
    """A sample body wrapped in the data point a device sends, its header naming the sample's schema."""
    name, version = sample.parts[-4], sample.parts[-3]
    return {"header": {"id": f"{name}-{version}-{sample.stem}", "creation_date_time": NOW.isoformat(),
                       "schema_id": {"namespace": "omh", "name": name, "version": version},
                       "acquisition_provenance": {"source_name": "wrist-1", "modality": "sensed"}},
            "body": json.loads(sample.read_text())}


def readings_url(ward: Ward, fmt: str = "") -> str:
    return f"/v1/patients/{ward.patient.id}/readings" + (f"/{fmt}" if fmt else "")


def batch(n: int, kind: str = "heart_rate", value: float = 72, unit: str | None = "/min", **extra: Any) -> dict[str, Any]:
    return {"readings": [{"kind": kind, "value": value, "unit": unit, "device_id": "wrist-1",
                          "measured_at": (NOW - timedelta(seconds=n - i)).isoformat(), **extra} for i in range(n)]}


# -- Open mHealth ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", _samples("shouldPass"))
def test_every_open_mhealth_should_pass_sample_is_accepted(client, ward, device_token, frozen, db,
                                                           sample: Path) -> None:
    response = client.post(readings_url(ward, "openmhealth"), json=data_point(sample), headers=device_token)

    assert response.status_code == 201, response.json
    body = json.loads(sample.read_text())
    # Nothing read beyond what the point says: no time frame, or a summary, is skipped with a reason.
    summary_or_untimed = "effective_time_frame" not in body or "descriptive_statistic" in body
    expected = 0 if summary_or_untimed else 2 if sample.parts[-4] == "blood-pressure" else 1
    assert response.json["stored"] == expected
    assert len(response.json["skipped"]) == (1 if summary_or_untimed else 0)
    assert len(read(db, select(Reading.id))) == expected


@pytest.mark.parametrize("sample", _samples("shouldFail"))
def test_every_open_mhealth_should_fail_sample_is_rejected_and_nothing_is_stored(
        client, ward, device_token, frozen, count, sample: Path) -> None:
    response = client.post(readings_url(ward, "openmhealth"), json=data_point(sample), headers=device_token)

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.json["errors"] and all(e["loc"].startswith("body") for e in response.json["errors"])
    assert count(Reading) == 0


def test_an_array_of_data_points_is_one_batch(client, ward, device_token, frozen) -> None:
    points = [data_point(p.values[0]) for p in _samples("shouldPass")]

    response = client.post(readings_url(ward, "openmhealth"), json=points, headers=device_token)

    assert response.status_code == 201
    assert response.json["received"] == response.json["stored"] > 0
    assert response.json["stored"] + len(response.json["skipped"]) >= len(points)


def test_one_bad_data_point_in_an_array_stores_none_of_them(client, ward, device_token, frozen, count) -> None:
    good = data_point(OMH / "heart-rate/1.0/shouldPass/heart-rate-only.json")
    bad = data_point(OMH / "heart-rate/1.0/shouldFail/incorrect-unit.json")

    response = client.post(readings_url(ward, "openmhealth"), json=[good, bad], headers=device_token)

    assert response.status_code == 422
    assert response.json["errors"][0]["loc"] == "1.body.heart_rate.unit"
    assert count(Reading) == 0


def test_a_data_point_without_its_header_is_rejected(client, ward, device_token, frozen) -> None:
    sample = json.loads((OMH / "data-point/1.0/shouldFail/missing-header.json").read_text())

    response = client.post(readings_url(ward, "openmhealth"), json=sample, headers=device_token)

    assert response.status_code == 422
    assert "'header' is a required property" in response.json["detail"]


def test_a_measure_we_do_not_read_is_refused_by_name(client, ward, device_token, frozen) -> None:
    sample = json.loads((OMH / "data-point/1.0/shouldPass/valid-data-point.json").read_text())  # physical activity

    response = client.post(readings_url(ward, "openmhealth"), json=sample, headers=device_token)

    assert response.status_code == 422
    assert response.json["errors"][0]["type"] == "unsupported_schema"
    assert "omh:physical-activity:1.0 is not a supported measure" in response.json["detail"]


def test_open_mhealth_fahrenheit_is_stored_in_celsius(client, ward, device_token, frozen, db) -> None:
    client.post(readings_url(ward, "openmhealth"), headers=device_token,
                json=data_point(OMH / "body-temperature/2.0/shouldPass/basal-temperature.json"))  # 96.5 F

    assert read(db, select(Reading.value)) == [35.83]


def test_an_open_mhealth_wrist_temperature_is_skin_temperature_not_core(client, ward, device_token, frozen,
                                                                        db) -> None:
    point = data_point(OMH / "body-temperature/3.0/shouldPass/valid-temperature-with-statistic.json")
    point["body"]["measurement_location"] = "wrist"
    del point["body"]["descriptive_statistic"]  # a statistic is skipped (see test_api_device_documents)

    client.post(readings_url(ward, "openmhealth"), json=point, headers=device_token)

    assert read(db, select(Reading.kind)) == ["skin_temperature"]


# -- FHIR R4 ---------------------------------------------------------------------------------------

FHIR = sorted((STANDARDS / "fhir-r4").glob("Observation-*.json"))


def measured(example: Path, at: datetime = NOW - timedelta(minutes=1)) -> dict[str, Any]:
    """An HL7 example as a device sends it, measured at ``at``: most examples are dated to the day
    only, which no reading can be placed by (see the test of the examples as published)."""
    observation = json.loads(example.read_text())
    observation["effectiveDateTime"] = at.isoformat()
    return observation


@pytest.mark.parametrize("example", FHIR, ids=[p.stem for p in FHIR])
def test_every_fhir_vital_sign_example_loads(client, ward, device_token, frozen, example: Path) -> None:
    response = client.post(readings_url(ward, "fhir"), data=json.dumps(measured(example)), headers=device_token,
                           content_type="application/fhir+json")

    assert response.status_code == 201, response.json
    # The cancelled blood pressure has no values: accepted, nothing to store.
    assert response.json["stored"] == {"Observation-blood-pressure": 2,
                                       "Observation-blood-pressure-cancel": 0}.get(example.stem, 1)


@pytest.mark.parametrize("example", FHIR, ids=[p.stem for p in FHIR])
def test_the_examples_as_published_load_and_those_dated_to_the_day_are_reported_not_stored(
        client, ward, device_token, frozen, example: Path) -> None:
    response = client.post(readings_url(ward, "fhir"), data=example.read_bytes(), headers=device_token,
                           content_type="application/fhir+json")

    assert response.status_code == 201, response.json
    published_at = json.loads(example.read_text())["effectiveDateTime"]
    day_only = (f"effectiveDateTime {published_at} has no time of day: not stored, because the vital-sign rules "
                "need the instant it was measured (date, time and UTC offset)")
    expected = {
        "Observation-satO2": (1, []),  # measured at 09:30:10+01:00: the one example a rule could read
        "Observation-blood-pressure-cancel": (0, ["status cancelled: the Observation holds no value"]),
    }.get(example.stem, (0, [day_only]))
    assert (response.json["stored"], [s["reason"] for s in response.json["skipped"]]) == expected


def test_a_fhir_bundle_stores_every_vital_sign_in_canonical_units(client, ward, device_token, frozen, db) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": measured(p)} for p in FHIR]}

    response = client.post(readings_url(ward, "fhir"), json=bundle, headers=device_token)

    assert response.status_code == 201
    rows = read(db, select(Reading).order_by(Reading.kind))
    assert [(r.kind, r.value) for r in rows] == [
        ("body_temperature", 36.5), ("bp_diastolic", 60.0), ("bp_systolic", 107.0), ("heart_rate", 44.0),
        ("spo2", 95.0)]
    # The pulse oximeter names itself: it is registered as the patient's device.
    assert read(db, select(Device.external_id)) == ["DeviceMetric/example"]


def test_fhir_fahrenheit_is_converted_and_an_impossible_spo2_refused(client, ward, device_token, frozen,
                                                                     count) -> None:
    temp = measured(STANDARDS / "fhir-r4/Observation-body-temperature.json")
    temp["valueQuantity"] = {"value": 101.3, "unit": "F", "system": "http://unitsofmeasure.org", "code": "[degF]"}
    sat = measured(STANDARDS / "fhir-r4/Observation-satO2.json")
    sat["valueQuantity"]["value"] = 140
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": temp}, {"resource": sat}]}

    response = client.post(readings_url(ward, "fhir"), json=bundle, headers=device_token)

    assert response.status_code == 422
    assert response.json["errors"] == [{"loc": "entry.1.resource.valueQuantity", "type": "implausible_value",
                                        "msg": "spo2 of 140 % is physiologically impossible (accepted 40-100 %); "
                                               "check the sensor and unit"}]
    assert count(Reading) == 0
    response = client.post(readings_url(ward, "fhir"), json=temp, headers=device_token)
    assert (response.status_code, response.json["stored"]) == (201, 1)


def test_a_fhir_skin_temperature_is_not_read_as_body_temperature(client, ward, device_token, frozen, db) -> None:
    obs = measured(STANDARDS / "fhir-r4/Observation-body-temperature.json")
    obs["code"]["coding"] = [{"system": "http://loinc.org", "code": "39106-0", "display": "Temperature of Skin"}]

    assert client.post(readings_url(ward, "fhir"), json=obs, headers=device_token).status_code == 201
    assert read(db, select(Reading.kind)) == ["skin_temperature"]


def test_a_fhir_resource_that_is_not_an_observation_is_refused(client, ward, device_token, frozen) -> None:
    response = client.post(readings_url(ward, "fhir"), json={"resourceType": "Patient", "id": "x"},
                           headers=device_token)

    assert response.status_code == 422
    assert "Observation" in response.json["detail"]


def test_an_invalid_fhir_observation_is_refused_with_the_fhir_models_words(client, ward, device_token, frozen) -> None:
    obs = json.loads((STANDARDS / "fhir-r4/Observation-heart-rate.json").read_text())
    obs["status"] = 7

    response = client.post(readings_url(ward, "fhir"), json=obs, headers=device_token)

    assert response.status_code == 422
    assert response.json["errors"][0]["loc"] == "status"


# -- the project's JSON ----------------------------------------------------------------------------


def test_thousands_of_readings_in_one_request_are_stored_once(client, ward, device_token, frozen, count) -> None:
    body = batch(5000)  # ~0.6 MB: far over the general body limit, within the readings routes' one

    first = client.post(readings_url(ward), json=body, headers=device_token)
    again = client.post(readings_url(ward), json=body, headers=device_token)

    assert first.status_code == again.status_code == 201
    assert (first.json["stored"], first.json["duplicates"]) == (5000, 0)
    assert (again.json["stored"], again.json["duplicates"]) == (0, 5000)
    assert count(Reading) == 5000


def test_a_reading_id_dedupes_a_resent_sample_whatever_its_time(client, ward, device_token, frozen, count) -> None:
    one = {"kind": "spo2", "value": 97, "unit": "%", "measured_at": NOW.isoformat(), "reading_id": "s-1"}
    moved = {**one, "measured_at": (NOW - timedelta(seconds=1)).isoformat()}

    response = client.post(readings_url(ward), json={"readings": [one, moved]}, headers=device_token)

    assert (response.json["received"], response.json["stored"]) == (2, 1)


def test_units_are_normalised_before_storing(client, ward, device_token, frozen, db) -> None:
    body = {"readings": [
        {"kind": "body_temperature", "value": 102.2, "unit": "[degF]", "measured_at": NOW.isoformat()},
        {"kind": "bp_systolic", "value": 12, "unit": "kPa", "measured_at": NOW.isoformat()},
    ]}

    assert client.post(readings_url(ward), json=body, headers=device_token).status_code == 201
    assert read(db, select(Reading.value).order_by(Reading.kind)) == [39.0, 90.01]


@pytest.mark.parametrize(("kind", "value", "unit"), [("heart_rate", 900, "/min"), ("spo2", 140, "%")])
def test_one_impossible_value_refuses_the_whole_batch(client, ward, device_token, frozen, count,
                                                       kind: str, value: float, unit: str) -> None:
    body = batch(100)
    body["readings"][57].update(kind=kind, value=value, unit=unit)

    response = client.post(readings_url(ward), json=body, headers=device_token)

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    [error] = response.json["errors"]
    assert error["loc"] == "readings.57"
    assert "physiologically impossible" in error["msg"]
    assert count(Reading) == 0


def test_a_reading_from_the_future_is_refused(client, ward, device_token, frozen, count) -> None:
    body = batch(3)
    body["readings"][2]["measured_at"] = (NOW + timedelta(hours=1)).isoformat()

    response = client.post(readings_url(ward), json=body, headers=device_token)

    assert response.status_code == 422
    assert "in the future" in response.json["detail"]
    assert count(Reading) == 0


def test_an_empty_batch_and_an_unknown_unit_are_refused(client, ward, device_token, frozen) -> None:
    assert client.post(readings_url(ward), json={"readings": []}, headers=device_token).status_code == 422
    response = client.post(readings_url(ward), json=batch(1, unit="beat/min"), headers=device_token)
    assert response.status_code == 422
    assert "not a unit of heart_rate" in response.json["detail"]


# -- device tokens ---------------------------------------------------------------------------------


def test_a_device_token_posts_for_its_one_patient_only(client, ward, device_token, frozen) -> None:
    other = f"/v1/patients/{ward.other.id}/readings"

    assert client.post(readings_url(ward), json=batch(1), headers=device_token).status_code == 201
    assert client.post(other, json=batch(1), headers=device_token).status_code == 404


def test_a_device_token_may_not_record_doses_or_read_alerts(client, ward, device_token, frozen) -> None:
    dose = client.post(f"/v1/patients/{ward.patient.id}/doses", json={"taken_at": NOW.isoformat()},
                       headers=device_token)
    alerts = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=device_token)

    assert dose.status_code == alerts.status_code == 403
    assert dose.json["detail"] == "A device token may only post readings and device events."


@pytest.mark.parametrize(("persona", "status"), [("own", 201), ("admin", 201), ("other", 404), ("none", 401),
                                                 ("unknown", 401)])
def test_each_persona_on_the_readings_route(client, ward, personas, frozen, persona: str, status: int) -> None:
    assert client.post(readings_url(ward), json=batch(1), headers=personas[persona]).status_code == status


def test_a_device_token_is_issued_for_exactly_one_patient(client, ward, personas) -> None:
    body = {"name": "watch", "role": "device", "patient_ids": [ward.patient.id, ward.other.id]}

    response = client.post("/v1/admin/tokens", json=body, headers=personas["admin"])

    assert response.status_code == 422
    assert "exactly one patient" in response.json["detail"]
    body["patient_ids"] = [ward.patient.id]
    assert client.post("/v1/admin/tokens", json=body, headers=personas["admin"]).status_code == 201


# -- device events and the clinician's settings ----------------------------------------------------


def events_url(ward: Ward) -> str:
    return f"/v1/patients/{ward.patient.id}/device-events"


def test_a_refill_date_comes_only_with_a_refill_event(client, ward, device_token, frozen) -> None:
    missing = {"kind": "pump_refill_scheduled", "occurred_at": NOW.isoformat()}
    stray = {"kind": "fall", "occurred_at": NOW.isoformat(), "refill_date": "2026-06-22"}

    for body in (missing, stray):
        response = client.post(events_url(ward), json=body, headers=device_token)
        assert response.status_code == 422
        assert "refill_date is required for pump_refill_scheduled and only for it" in response.json["detail"]


def test_a_fall_is_recorded(client, ward, device_token, frozen) -> None:
    response = client.post(events_url(ward), json={"kind": "fall", "occurred_at": NOW.isoformat(),
                                                   "device_id": "watch-1"}, headers=device_token)

    assert response.status_code == 201
    assert (response.json["kind"], response.json["status"]) == ("fall", "recorded")


def test_a_seizure_confidence_outside_0_to_1_is_refused(client, ward, device_token, frozen) -> None:
    body = {"kind": "seizure", "occurred_at": NOW.isoformat(), "confidence": 93}

    assert client.post(events_url(ward), json=body, headers=device_token).status_code == 422


def test_another_patients_device_event_cannot_be_cancelled(client, ward, personas, device_token, frozen) -> None:
    event = client.post(events_url(ward), json={"kind": "fall", "occurred_at": NOW.isoformat()},
                        headers=device_token).json

    response = client.post(f"/v1/patients/{ward.other.id}/device-events/{event['id']}/cancel",
                           headers=personas["admin"])
    not_pending = client.post(f"{events_url(ward)}/{event['id']}/cancel", headers=device_token)

    assert response.status_code == 404
    assert not_pending.status_code == 409


def test_a_clinician_sets_the_vital_sign_thresholds_and_window_per_patient(client, ward, personas) -> None:
    url = f"/v1/admin/patients/{ward.patient.id}"
    settings = {"resp_rate_emergency_max": 10, "sustained_readings": 2, "sustained_window_minutes": 3,
                "seizure_cancel_seconds": 30}

    response = client.patch(url, json={"clinical_settings": settings}, headers=personas["admin"])
    refused = client.patch(url, json={"clinical_settings": {"sustained_readings": 0}}, headers=personas["admin"])

    assert response.status_code == 200
    assert response.json["clinical_settings"] == settings
    assert refused.status_code == 422
    assert "sustained_readings must be at least 1" in refused.json["detail"]


def test_an_admin_registers_a_device_and_its_refill_day(client, ward, personas, frozen) -> None:
    body = {"external_id": "pump-1", "kind": "pump", "refill_date": "2026-06-22"}

    response = client.put(f"/v1/admin/patients/{ward.patient.id}/devices", json=body, headers=personas["admin"])

    assert response.status_code == 200
    # 09:00 in New York on 15 June is 13:00 UTC: the 7-day reminder, later today.
    assert response.json["refill_reminder_at"] == "2026-06-15T13:00:00Z"
    listed = client.get(f"/v1/admin/patients/{ward.patient.id}/devices", headers=personas["admin"]).json
    assert [d["external_id"] for d in listed["devices"]] == ["pump-1"]


def test_a_pill_bottle_naming_a_medicine_the_patient_does_not_take_is_refused_and_nothing_stored(
        client, ward, device_token, personas, frozen, count) -> None:  # type: ignore[no-untyped-def]
    from alerts.models import Device, DeviceEvent

    omars = client.post(f"/v1/admin/patients/{ward.other.id}/medications", headers=personas["admin"],
                        json={"name": "metformin"}).json
    events = f"/v1/patients/{ward.patient.id}/device-events"
    opened = {"kind": "pill_bottle_opened", "occurred_at": "2026-06-15T11:59:00Z", "device_id": "bottle-1"}

    unknown = client.post(events, headers=device_token, json={**opened, "medication": {"name": "warfarin"}})
    not_a_dose = client.post(events, headers=device_token, json={"kind": "fall", "occurred_at": opened["occurred_at"],
                                                                "medication": {"name": "baclofen"}})
    others = client.put(f"/v1/admin/patients/{ward.patient.id}/devices", headers=personas["admin"],
                        json={"external_id": "bottle-1", "kind": "pill_bottle", "medication_id": omars["id"]})

    assert [r.status_code for r in (unknown, not_a_dose, others)] == [422, 422, 422]
    assert (count(DeviceEvent), count(Device)) == (0, 0)

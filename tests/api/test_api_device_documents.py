"""Device documents as real exporters write them, not as the standards' samples show them.

Each test is something a watch, a FHIR gateway or an EHR integrator sends that the samples in
``test_api_wearables.py`` do not: a unit or a code system spelt another way, a skin temperature
coded beside the body-temperature code, a Bundle carrying a Patient, a device name as long as the
column, a time given only as a day. Each ends stored right (value, instant, kind) or refused whole
with a problem document saying what is wrong: never a 500, never a reading dropped unannounced.
Tests that depend on the database run on SQLite and on PostgreSQL (production's), where a NUL or
an over-long key used to fail the INSERT.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from alerts.models import Device, DeviceEvent, Reading
from tests.api.conftest import Ward, read
from tests.conftest import NOW

PROBLEM = "application/problem+json"
AT = NOW - timedelta(minutes=1)  # when the documents' readings were measured: a minute before "now"
ON_BOTH_DATABASES = pytest.mark.parametrize(
    "app", ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)], indirect=True)


@pytest.fixture
def app(request: pytest.FixtureRequest, app: Flask) -> Flask:
    """The SQLite app, or PostgreSQL's for the second run of a test marked ON_BOTH_DATABASES."""
    return request.getfixturevalue("pg_app") if getattr(request, "param", "sqlite") == "postgresql" else app


@pytest.fixture
def send(client, ward: Ward, device_token: dict[str, str], frozen) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """POST a document as Rosa's watch to one of her routes ("readings/fhir", "device-events"...)."""

    def post(route: str, document: Any = None, *, data: bytes | None = None) -> Any:
        url = f"/v1/patients/{ward.patient.id}/{route}"
        if data is not None:
            return client.post(url, data=data, headers=device_token, content_type="application/json")
        return client.post(url, json=document, headers=device_token)

    return post


def stored(db) -> list[tuple[str, float, str]]:  # type: ignore[no-untyped-def]
    """(kind, value, UTC instant) of every reading stored, in the order measured."""
    rows = read(db, select(Reading).order_by(Reading.measured_at, Reading.kind))
    return [(r.kind, r.value, r.measured_at.isoformat()) for r in rows]


def observation(code: str | list[dict[str, str]] = "8867-4", value: float = 72, unit: str = "/min",
                **fields: Any) -> dict[str, Any]:
    """A FHIR R4 vital-sign Observation as a device gateway writes one (heart rate by default);
    ``code`` a LOINC code, or the codings themselves."""
    codings = [{"system": "http://loinc.org", "code": code}] if isinstance(code, str) else code
    body: dict[str, Any] = {
        "resourceType": "Observation", "id": "hr-1", "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "vital-signs"}]}],
        "code": {"coding": codings},
        "subject": {"reference": "Patient/rosa"}, "effectiveDateTime": AT.isoformat(),
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }
    body.update(fields)
    return body


# -- names, keys and instants the database must hold -----------------------------------------------



@ON_BOTH_DATABASES
def test_a_device_name_as_long_as_allowed_without_reading_ids_is_stored_once(send, count) -> None:
    readings = {"readings": [{"kind": "respiratory_rate", "value": 14, "unit": "/min", "device_id": "w" * 128,
                              "measured_at": "2026-06-15T11:59:00.123456+00:00"}]}

    first = send("readings", readings)
    again = send("readings", readings)

    assert (first.status_code, first.json["stored"]) == (201, 1)
    assert (again.status_code, again.json["duplicates"]) == (201, 1)
    assert count(Reading) == 1


@ON_BOTH_DATABASES
def test_a_device_event_from_a_device_name_as_long_as_allowed_is_recorded_once(send, count) -> None:
    event = {"kind": "pump_refill_scheduled", "occurred_at": AT.isoformat(), "device_id": "p" * 128,
             "refill_date": "2026-06-22"}

    first = send("device-events", event)
    again = send("device-events", event)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(DeviceEvent) == 1


NUL_DOCUMENTS = {
    "readings-device_id": ("readings", {"readings": [{"kind": "heart_rate", "value": 72, "unit": "/min",
                                                      "measured_at": AT.isoformat(), "device_id": "w\x00"}]}),
    "readings-reading_id": ("readings", {"readings": [{"kind": "heart_rate", "value": 72, "unit": "/min",
                                                       "measured_at": AT.isoformat(), "reading_id": "r\x00"}]}),
    "event-event_id": ("device-events", {"kind": "fall", "occurred_at": AT.isoformat(), "event_id": "e\x00"}),
    "event-device_id": ("device-events", {"kind": "fall", "occurred_at": AT.isoformat(), "device_id": "w\x00"}),
}


@ON_BOTH_DATABASES
@pytest.mark.parametrize("case", NUL_DOCUMENTS)
def test_a_nul_character_in_an_identifier_is_refused_and_nothing_is_stored(send, count, case: str) -> None:
    route, document = NUL_DOCUMENTS[case]

    response = send(route, document)

    assert response.status_code == 422, response.json
    assert response.mimetype == PROBLEM
    assert (count(Reading), count(DeviceEvent), count(Device)) == (0, 0, 0)


@ON_BOTH_DATABASES
@pytest.mark.parametrize("measured_at", [
    "0001-01-01T00:05:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1969-12-31T23:59:59Z"])
def test_an_instant_no_device_clock_can_report_is_refused(send, count, measured_at: str) -> None:
    body = {"readings": [{"kind": "heart_rate", "value": 72, "unit": "/min", "measured_at": measured_at}]}

    response = send("readings", body)

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["loc"], error["type"]) == ("readings.0.measured_at", "implausible_time")
    assert "check the device clock" in error["msg"]
    assert count(Reading) == 0


# -- what the JSON parser of the standard formats refuses ------------------------------------------


@pytest.mark.parametrize("route", ["readings/fhir", "readings/openmhealth"])
@pytest.mark.parametrize("data", [b"[" * 5000 + b"]" * 5000, b'{"resourceType": "Observation", "id": "\\ud800"}'],
                         ids=["nested-5000-deep", "lone-surrogate"])
def test_json_no_parser_should_walk_is_a_400_not_a_server_error(send, route: str, data: bytes) -> None:
    response = send(route, data=data)

    assert response.status_code == 400
    assert (response.mimetype, response.json["title"]) == (PROBLEM, "Malformed JSON")


def test_a_utf8_byte_order_mark_before_a_fhir_document_is_ignored(send, db) -> None:
    response = send("readings/fhir", data=b"\xef\xbb\xbf" + json.dumps(observation()).encode())

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 72.0, AT.isoformat())]
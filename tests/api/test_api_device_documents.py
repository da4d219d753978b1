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
from datetime import UTC, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from alerts.models import Alert, Device, DeviceEvent, Reading
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


def bundle(*resources: Any, type_: str = "collection") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": type_, "entry": [{"resource": r} for r in resources]}


def data_point(body: dict[str, Any], name: str = "heart-rate", version: str = "1.0", id_: str = "p-1",
               **header: Any) -> dict[str, Any]:
    """An Open mHealth data point: the header naming the body's schema, and the body."""
    return {"header": {"id": id_, "creation_date_time": AT.isoformat(),
                       "schema_id": {"namespace": "omh", "name": name, "version": version}, **header},
            "body": body}


def heart_rate_body(**time_frame: Any) -> dict[str, Any]:
    return {"heart_rate": {"value": 60, "unit": "beats/min"},
            "effective_time_frame": time_frame or {"date_time": AT.isoformat()}}


# -- FHIR: which measure an Observation is --------------------------------------------------------

SKIN = {"system": "http://loinc.org", "code": "39106-0", "display": "Temperature of Skin"}
BODY = {"system": "http://loinc.org", "code": "8310-5", "display": "Body temperature"}


@pytest.mark.parametrize(("codings", "kind", "findings"), [
    ([BODY], "body_temperature", ["fever"]),
    # The bodytemp profile makes every temperature carry 8310-5 and allows "a more granular LOINC
    # code" beside it: a watch's skin sensor, written to the profile, sends both.
    ([BODY, SKIN], "skin_temperature", []),
    ([SKIN, BODY], "skin_temperature", []),
], ids=["body-temperature", "profile-code-then-skin-code", "skin-code-then-profile-code"])
def test_a_skin_temperature_coded_beside_the_body_temperature_code_is_never_read_as_fever(
        send, db, codings: list[dict[str, str]], kind: str, findings: list[str]) -> None:
    series = [observation(codings, 39.5, "Cel", id=f"t{i}", effectiveDateTime=(AT - timedelta(minutes=2 * i)).isoformat())
              for i in range(3)]

    response = send("readings/fhir", bundle(*series))

    assert response.status_code == 201, response.json
    assert response.json["findings"] == findings
    assert {k for k, _, _ in stored(db)} == {kind}


@pytest.mark.parametrize("site", [
    {"coding": [{"system": "http://snomed.info/sct", "code": "8205005", "display": "Wrist region structure"}]},
    {"coding": [{"system": "http://snomed.info/sct", "code": "7569003"}]},  # finger
    {"text": "Left wrist"},
], ids=["snomed-wrist", "snomed-finger", "text-only"])
def test_a_body_temperature_taken_on_the_skin_is_skin_temperature(send, db, site: dict[str, Any]) -> None:
    response = send("readings/fhir", observation("8310-5", 36.1, "Cel", bodySite=site))

    assert response.status_code == 201, response.json
    assert [k for k, _, _ in stored(db)] == ["skin_temperature"]


@pytest.mark.parametrize(("code", "kind"), [
    ("8331-1", "body_temperature"),  # oral
    ("8333-7", "body_temperature"),  # tympanic membrane
    ("60830-7", "skin_temperature"),  # finger
    ("76174-2", "respiratory_rate"),  # by pulse oximetry plethysmograph
])
def test_a_device_that_sends_only_the_granular_loinc_code_is_read(send, db, code: str, kind: str) -> None:
    unit = "/min" if kind == "respiratory_rate" else "Cel"
    value = 14 if kind == "respiratory_rate" else 36.8

    response = send("readings/fhir", observation(code, value, unit))

    assert (response.status_code, response.json["stored"], response.json["skipped"]) == (201, 1, [])
    assert [k for k, _, _ in stored(db)] == [kind]


def test_loinc_codes_of_two_measures_refuse_the_observation(send, count) -> None:
    obs = observation()
    obs["code"]["coding"].append({"system": "http://loinc.org", "code": "9279-1"})  # and respiratory rate

    response = send("readings/fhir", obs)

    assert response.status_code == 422
    assert response.json["errors"] == [{
        "loc": "code", "type": "ambiguous_code",
        "msg": "the LOINC codes name different measures (heart_rate, respiratory_rate); an Observation is one measure"}]
    assert count(Reading) == 0


@pytest.mark.parametrize(("loinc", "ucum"), [
    ("https://loinc.org", "http://unitsofmeasure.org"),
    ("http://loinc.org/", "http://unitsofmeasure.org"),
    ("http://loinc.org", "https://unitsofmeasure.org"),
])
def test_code_systems_written_with_https_or_a_trailing_slash_are_the_same_code_system(
        send, db, loinc: str, ucum: str) -> None:
    obs = observation()
    obs["code"]["coding"][0]["system"] = loinc
    obs["valueQuantity"]["system"] = ucum

    response = send("readings/fhir", obs)

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 72.0, AT.isoformat())]


@pytest.mark.parametrize(("code", "value", "unit", "canonical"), [
    ("8867-4", 72, "{Beats}/min", ("heart_rate", 72.0)),
    ("9279-1", 7, "{breath}/min", ("respiratory_rate", 7.0)),
    ("8310-5", 101.3, "[degF]", ("body_temperature", 38.5)),
    ("8480-6", 16, "kPa", ("bp_systolic", 120.01)),
])
def test_units_as_exporters_write_them_are_stored_in_canonical_units(send, db, code: str, value: float, unit: str,
                                                                     canonical: tuple[str, float]) -> None:
    response = send("readings/fhir", observation(code, value, unit))

    assert response.status_code == 201, response.json
    assert stored(db) == [(*canonical, AT.isoformat())]


# -- FHIR: when it was measured --------------------------------------------------------------------


@pytest.mark.parametrize(("time", "utc"), [
    ({"effectiveDateTime": "2026-06-15T17:44:00+05:45"}, "2026-06-15T11:59:00+00:00"),  # Kathmandu
    ({"effectiveDateTime": "2026-06-14T23:59:00-12:00"}, "2026-06-15T11:59:00+00:00"),
    ({"effectiveDateTime": "2026-06-15T11:59:00.123456789Z"}, "2026-06-15T11:59:00.123456+00:00"),
    ({"effectiveInstant": "2026-06-15T07:59:00.5-04:00"}, "2026-06-15T11:59:00.500000+00:00"),
    ({"effectivePeriod": {"start": "2026-06-15T11:54:00Z", "end": "2026-06-15T11:59:00Z"}},
     "2026-06-15T11:59:00+00:00"),
    ({"effectivePeriod": {"start": "2026-06-15T11:59:00Z"}}, "2026-06-15T11:59:00+00:00"),  # still going on
])
def test_the_time_an_observation_was_measured_is_stored_as_its_utc_instant(send, db, time: dict[str, Any],
                                                                           utc: str) -> None:
    obs = observation()
    del obs["effectiveDateTime"]

    response = send("readings/fhir", {**obs, **time})

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 72.0, utc)]


@pytest.mark.parametrize("day", ["2026-06-15", "2026-06", "2026"])
def test_an_observation_dated_only_to_the_day_is_reported_and_the_rest_of_the_bundle_stored(send, db,
                                                                                            day: str) -> None:
    response = send("readings/fhir", bundle(observation(id="visit", effectiveDateTime=day), observation(id="watch")))

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 72.0, AT.isoformat())]  # nothing at midnight
    assert response.json["skipped"] == [{
        "loc": "entry.0.resource",
        "reason": f"effectiveDateTime {day} has no time of day: not stored, because the vital-sign rules need the "
                  "instant it was measured (date, time and UTC offset)"}]


def test_slow_breathing_dated_only_to_the_day_never_raises_an_emergency(send, frozen, count) -> None:
    """An EHR's record of today's breathing (5, 6, 7 /min), sent ten minutes after midnight UTC:
    placed at midnight it made three readings "within 5 minutes" and a 911 emergency."""
    frozen.move_to(NOW.replace(hour=0, minute=10))
    record = bundle(*[observation("9279-1", rate, id=f"visit-{rate}", effectiveDateTime=NOW.date().isoformat())
                      for rate in (5, 6, 7)])

    response = send("readings/fhir", record)

    assert response.status_code == 201, response.json
    assert (response.json["findings"], response.json["alert_id"]) == ([], None)
    assert count(Alert) == 0


def test_an_observation_with_only_the_time_it_was_issued_is_refused(send, count) -> None:
    obs = observation(issued=(NOW - timedelta(seconds=5)).isoformat())
    del obs["effectiveDateTime"]

    response = send("readings/fhir", obs)

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["loc"], error["type"]) == ("effectiveDateTime", "missing_time")
    assert "issued is when it was released, not when it was measured" in error["msg"]
    assert count(Reading) == 0


# -- FHIR: Bundles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("type_", ["collection", "transaction", "batch", "searchset", "history"])
def test_a_bundle_of_any_type_is_read_by_its_resources(send, db, type_: str) -> None:
    document = {"resourceType": "Bundle", "type": type_, "entry": [
        {"fullUrl": "urn:uuid:5f1c2a0e-1111-4a4a-9b9b-000000000001", "resource": observation(id="a"),
         "request": {"method": "POST", "url": "Observation"}},
        {"fullUrl": "https://ehr.example.org/fhir/Observation/b", "search": {"mode": "match"},
         "resource": observation("9279-1", 14, "{breaths}/min", id="b")},
    ]}

    response = send("readings/fhir", document)

    assert response.status_code == 201, response.json
    assert sorted(stored(db)) == [("heart_rate", 72.0, AT.isoformat()), ("respiratory_rate", 14.0, AT.isoformat())]


def test_what_a_bundle_carries_besides_vital_signs_is_reported_with_the_reason(send, db) -> None:
    absent = observation(id="gap", dataAbsentReason={"coding": [{"code": "error"}]})
    del absent["valueQuantity"]
    document = bundle(
        {"resourceType": "Patient", "id": "rosa"},
        {"resourceType": "Provenance", "target": [{"reference": "Observation/hr-1"}], "recorded": AT.isoformat(),
         "agent": [{"who": {"reference": "Device/watch"}}]},
        observation("29463-7", 61, "kg", id="weight"),
        observation(id="oops", status="entered-in-error"),
        absent,
        observation(id="hr-1"),
    )
    document["entry"].append({"fullUrl": "urn:uuid:5f1c2a0e-1111-4a4a-9b9b-000000000009"})

    response = send("readings/fhir", document)

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 72.0, AT.isoformat())]
    assert response.json["skipped"] == [
        {"loc": "entry.0.resource", "reason": "a Patient is not an Observation"},
        {"loc": "entry.1.resource", "reason": "a Provenance is not an Observation"},
        {"loc": "entry.2.resource", "reason": "code http://loinc.org|29463-7 is not a vital sign dosewatch reads "
                                              "(it reads heart rate, respiratory rate, body and skin temperature, "
                                              "SpO2 and blood pressure by their LOINC codes: 8867-4, 9279-1, "
                                              "8310-5, 39106-0, 59408-5, 85354-9 and the more specific ones)"},
        {"loc": "entry.3.resource", "reason": "status entered-in-error: the Observation holds no value"},
        {"loc": "entry.4.resource", "reason": "no value: dataAbsentReason error"},
        {"loc": "entry.6", "reason": "no resource"},
    ]


@pytest.mark.parametrize(("entry", "error"), [
    ({"resource": observation()}, {"loc": "entry", "type": "invalid_bundle", "msg": "a Bundle's entry must be an array"}),
    (["Observation/hr-1"], {"loc": "entry.0", "type": "invalid_bundle", "msg": "a Bundle entry must be an object"}),
], ids=["entry-object", "entry-string"])
def test_a_malformed_bundle_is_refused_with_where(send, count, entry: Any, error: dict[str, str]) -> None:
    response = send("readings/fhir", {"resourceType": "Bundle", "type": "collection", "entry": entry})

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.json["errors"] == [error]
    assert count(Reading) == 0


def test_observations_of_two_sources_numbered_alike_are_both_stored_and_a_resent_one_once(send, db) -> None:
    ehr = observation(id="1", effectiveDateTime=(AT - timedelta(hours=2)).isoformat(), valueQuantity={
        "value": 80, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"})
    watch = observation(id="1")

    first = send("readings/fhir", ehr)
    second = send("readings/fhir", watch)
    again = send("readings/fhir", watch)

    assert [r.json["stored"] for r in (first, second, again)] == [1, 1, 0]
    assert again.json["duplicates"] == 1
    assert [v for _, v, _ in stored(db)] == [80.0, 72.0]


def test_a_bundle_larger_than_a_batch_is_refused_before_it_is_read(send, count) -> None:
    response = send("readings/fhir", bundle(*[{"resourceType": "Patient"}] * 20_001))

    assert response.status_code == 422
    assert response.json["errors"][0]["msg"] == "a Bundle may carry at most 20000 entries, not 20001; send several"


# -- Open mHealth ----------------------------------------------------------------------------------


@pytest.mark.parametrize("interval", [
    {"start_date_time": "2026-06-15T11:49:00Z", "end_date_time": "2026-06-15T11:59:00Z"},
    {"start_date_time": "2026-06-15T11:49:00Z", "duration": {"value": 10, "unit": "min"}},
    {"end_date_time": "2026-06-15T11:59:00Z", "duration": {"value": 600, "unit": "sec"}},
], ids=["start-end", "start-duration", "end-duration"])
def test_a_reading_over_an_interval_is_read_at_its_end_however_the_interval_is_written(
        send, db, interval: dict[str, Any]) -> None:
    body = heart_rate_body(time_interval=interval)

    response = send("readings/openmhealth", data_point(body))

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 60.0, "2026-06-15T11:59:00+00:00")]


@pytest.mark.parametrize("statistic", ["average", "minimum", "maximum", "median"])
def test_a_descriptive_statistic_is_skipped_with_its_reason_not_stored_as_a_point(send, db, statistic: str) -> None:
    # A day's minimum SpO2 or average heart rate is not a reading taken at the end of the day: stored
    # as a point, a daily minimum could complete a "sustained" episode that never happened.
    interval = {"start_date_time": "2026-06-14T12:00:00Z", "end_date_time": "2026-06-15T11:59:00Z"}
    body = {**heart_rate_body(time_interval=interval), "descriptive_statistic": statistic}

    response = send("readings/openmhealth", data_point(body))

    assert response.status_code == 201, response.json
    assert response.json["stored"] == 0 and stored(db) == []
    (skip,) = response.json["skipped"]
    assert skip["loc"] == "(body)" and f"a {statistic} over its time frame" in skip["reason"]


def test_a_data_point_with_no_measurement_time_is_skipped_not_stored_at_its_header_time(send, db) -> None:
    body = heart_rate_body()
    del body["effective_time_frame"]

    response = send("readings/openmhealth", [data_point(body), data_point(heart_rate_body(), id_="p-2")])

    assert response.status_code == 201, response.json
    assert len(stored(db)) == 1, "the timed point is stored, the untimed one is not"
    assert response.json["skipped"] == [{"loc": "0", "reason": (
        "no effective_time_frame: not stored, because the header's creation_date_time is when the data point "
        "was made, not when it was measured")}]


def test_a_time_given_as_a_part_of_the_day_is_refused(send, count) -> None:
    body = heart_rate_body(time_interval={"date": "2026-06-15", "part_of_day": "morning"})

    response = send("readings/openmhealth", data_point(body))

    assert response.status_code == 422
    assert response.json["errors"] == [{
        "loc": "body.effective_time_frame", "type": "imprecise_time",
        "msg": "2026-06-15 morning gives no time of day; a vital sign needs the instant it was measured "
               "(date_time, or a time_interval with times)"}]
    assert count(Reading) == 0


def test_an_rfc_3339_time_with_a_lower_case_t_and_z_is_read(send, db) -> None:
    response = send("readings/openmhealth", data_point(heart_rate_body(date_time="2026-06-15t11:59:00z")))

    assert response.status_code == 201, response.json
    assert stored(db) == [("heart_rate", 60.0, "2026-06-15T11:59:00+00:00")]


def test_a_forehead_strip_temperature_is_skin_temperature(send, db) -> None:
    body = {"body_temperature": {"value": 39.4, "unit": "C"}, "measurement_location": "forehead",
            "effective_time_frame": {"date_time": AT.isoformat()}}

    response = send("readings/openmhealth", data_point(body, "body-temperature", "3.0"))

    assert response.status_code == 201, response.json
    assert [k for k, _, _ in stored(db)] == ["skin_temperature"]


def test_more_data_points_than_a_batch_holds_are_refused_before_they_are_read(send, count) -> None:
    response = send("readings/openmhealth", [{}] * 20_001)

    assert response.status_code == 422
    assert response.json["errors"][0]["msg"] == "send at most 20000 data points a request, not 20001"


# -- names, keys and instants the database must hold -----------------------------------------------

LONG = "x" * 300


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


@ON_BOTH_DATABASES
@pytest.mark.parametrize("route", ["readings/fhir", "readings/openmhealth"])
def test_names_of_any_length_from_fhir_and_open_mhealth_are_stored_once(send, db, count, route: str) -> None:
    if route == "readings/fhir":
        document = observation(device={"reference": f"https://gateway.example.org/fhir/Device/{LONG}"})
        del document["id"]  # keyed by device, kind and instant
    else:
        document = data_point(heart_rate_body(), id_=LONG, acquisition_provenance={"source_name": LONG})

    first = send(route, document)
    again = send(route, document)

    assert (first.status_code, first.json["stored"]) == (201, 1)
    assert (again.status_code, again.json["duplicates"]) == (201, 1)
    [name] = read(db, select(Device.external_id))
    assert len(name) == 128
    assert count(Reading) == 1


NUL_DOCUMENTS = {
    "readings-device_id": ("readings", {"readings": [{"kind": "heart_rate", "value": 72, "unit": "/min",
                                                      "measured_at": AT.isoformat(), "device_id": "w\x00"}]}),
    "readings-reading_id": ("readings", {"readings": [{"kind": "heart_rate", "value": 72, "unit": "/min",
                                                       "measured_at": AT.isoformat(), "reading_id": "r\x00"}]}),
    "event-event_id": ("device-events", {"kind": "fall", "occurred_at": AT.isoformat(), "event_id": "e\x00"}),
    "event-device_id": ("device-events", {"kind": "fall", "occurred_at": AT.isoformat(), "device_id": "w\x00"}),
    "fhir-device": ("readings/fhir", observation(device={"reference": "Device/w\x00"})),
    "omh-source_name": ("readings/openmhealth",
                        data_point(heart_rate_body(), acquisition_provenance={"source_name": "w\x00"})),
    "omh-id": ("readings/openmhealth", data_point(heart_rate_body(), id_="p\x00")),
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


@pytest.mark.parametrize("measured_at", ["0001-01-01T00:00:00+14:00", "1969-12-31T23:59:59Z"])
@pytest.mark.parametrize("route", ["readings/fhir", "readings/openmhealth"])
def test_a_standard_document_measured_when_no_clock_could_is_refused_at_its_time(send, count, route: str,
                                                                                  measured_at: str) -> None:
    document = (observation(effectiveDateTime=measured_at) if route == "readings/fhir"
                else data_point(heart_rate_body(date_time=measured_at)))

    response = send(route, document)

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["loc"], error["type"]) == (
        "effectiveDateTime" if route == "readings/fhir" else "body.effective_time_frame", "implausible_time")
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


# -- device events ---------------------------------------------------------------------------------


def test_a_refill_date_without_its_pump_is_refused_since_no_reminder_could_go_out(send, count) -> None:
    response = send("device-events", {"kind": "pump_refill_scheduled", "occurred_at": AT.isoformat(),
                                      "refill_date": "2026-06-22"})

    assert response.status_code == 422
    assert "device_id is required for pump_refill_scheduled" in response.json["detail"]
    assert count(DeviceEvent) == 0


def test_an_event_sent_again_with_another_utc_offset_is_a_replay_not_a_conflict(send, count) -> None:
    opened = {"kind": "pill_bottle_opened", "device_id": "bottle-1", "occurred_at": "2026-06-15T11:59:00+00:00"}

    first = send("device-events", opened)
    again = send("device-events", {**opened, "occurred_at": "2026-06-15T07:59:00-04:00"})  # the phone moved zone

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert count(DeviceEvent) == 1


# -- read no more than the document says: summaries and supplemental oxygen ----------------------------


def test_a_fhir_value_over_a_day_is_a_summary_skipped_with_its_reason(send, db) -> None:
    day = {"start": (AT - timedelta(hours=24)).isoformat(), "end": AT.isoformat()}
    summary = observation("59408-5", 88, "%", effectivePeriod=day)
    del summary["effectiveDateTime"]

    response = send("readings/fhir", summary)

    assert response.status_code == 201, response.json
    assert response.json["stored"] == 0 and stored(db) == []
    (skip,) = response.json["skipped"]
    assert "a summary such as a daily average or minimum, not a point reading" in skip["reason"]


def test_a_fhir_value_over_a_minute_is_a_reading_at_its_end(send, db) -> None:
    minute = {"start": (AT - timedelta(minutes=1)).isoformat(), "end": AT.isoformat()}
    point = observation(effectivePeriod=minute)
    del point["effectiveDateTime"]

    send("readings/fhir", point)

    assert stored(db) == [("heart_rate", 72.0, AT.astimezone(UTC).isoformat())]


def oxygen_series(document: Callable[[int], Any]) -> list[Any]:
    return [document(i) for i in range(3)]


def test_open_mhealth_spo2_on_supplemental_oxygen_keeps_that_fact_and_is_not_judged_by_room_air(
        send, db, count) -> None:
    # 88% three times in two minutes on room air is an emergency; on 2 L/min by nasal cannula it is
    # what a clinician's oxygen target says, which dosewatch does not know.
    def point(i: int) -> dict[str, Any]:
        body = {"oxygen_saturation": {"value": 88, "unit": "%"},
                "supplemental_oxygen_flow_rate": {"value": 2, "unit": "L/min"},
                "oxygen_therapy_mode_of_administration": "nasal cannula",
                "effective_time_frame": {"date_time": (AT - timedelta(minutes=2 - i)).isoformat()}}
        return data_point(body, "oxygen-saturation", "2.0", id_=f"o2-{i}")

    response = send("readings/openmhealth", oxygen_series(point))

    assert response.status_code == 201, response.json
    assert {k for k, _, _ in stored(db)} == {"spo2_on_oxygen"}
    assert response.json["findings"] == [] and response.json["alert_id"] is None
    assert count(Alert) == 0


def test_open_mhealth_spo2_at_zero_litres_is_room_air(send, db) -> None:
    body = {"oxygen_saturation": {"value": 97, "unit": "%"},
            "supplemental_oxygen_flow_rate": {"value": 0, "unit": "L/min"},
            "effective_time_frame": {"date_time": AT.isoformat()}}

    send("readings/openmhealth", data_point(body, "oxygen-saturation", "2.0"))

    assert [k for k, _, _ in stored(db)] == ["spo2"]


def test_fhir_spo2_with_an_inhaled_oxygen_flow_keeps_that_fact_and_is_not_judged_by_room_air(
        send, db, count) -> None:
    def obs(i: int) -> dict[str, Any]:
        o = observation("59408-5", 88, "%", id=f"o2-{i}",
                        effectiveDateTime=(AT - timedelta(minutes=2 - i)).isoformat(),
                        component=[{"code": {"coding": [{"system": "http://loinc.org", "code": "3151-8"}]},
                                    "valueQuantity": {"value": 2, "unit": "L/min", "system": "http://unitsofmeasure.org",
                                                      "code": "L/min"}}])
        return o

    response = send("readings/fhir", bundle(*oxygen_series(obs)))

    assert response.status_code == 201, response.json
    assert {k for k, _, _ in stored(db)} == {"spo2_on_oxygen"}
    assert count(Alert) == 0


def test_fhir_spo2_on_room_air_at_the_same_values_is_an_emergency(send, db, count) -> None:
    def obs(i: int) -> dict[str, Any]:
        return observation("59408-5", 88, "%", id=f"ra-{i}", effectiveDateTime=(AT - timedelta(minutes=2 - i)).isoformat())

    response = send("readings/fhir", bundle(*oxygen_series(obs)))

    assert response.json["findings"] == ["low_oxygen"]
    assert count(Alert) == 1


# -- intervals and pairs that contradict themselves ------------------------------------------------
# A document that says two things that cannot both be true is refused whole (422): stored, it would
# be one of them picked by the parser, and what the rules read would be something nobody measured.

EARLIER = (AT - timedelta(hours=3)).isoformat()


@pytest.mark.parametrize("interval", [
    {"start_date_time": AT.isoformat(), "end_date_time": EARLIER},
    {"start_date_time": EARLIER, "duration": {"value": -10, "unit": "min"}},
    {"end_date_time": AT.isoformat(), "duration": {"value": -10, "unit": "min"}},
], ids=["end-before-start", "negative-duration-from-start", "negative-duration-to-end"])
def test_an_open_mhealth_interval_that_ends_before_it_starts_is_refused_not_stored_at_one_end(
        send, count, interval: dict[str, Any]) -> None:
    # Stored "at its end", the first case sat three hours before the instant the device says the
    # measuring began: a reading placed where the rules could join it to an episode it was not in.
    response = send("readings/openmhealth", data_point(heart_rate_body(time_interval=interval)))

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    (error,) = response.json["errors"]
    assert error["loc"] == "body.effective_time_frame" and error["type"] == "implausible_time"
    assert "ends before it starts" in error["msg"]
    assert count(Reading) == 0


def test_a_fhir_period_that_ends_before_it_starts_is_refused_not_stored_at_its_end(send, count) -> None:
    # FHIR R4 Period, invariant per-1: "If present, start SHALL have a lower value than end".
    obs = observation(effectivePeriod={"start": AT.isoformat(), "end": EARLIER})
    del obs["effectiveDateTime"]

    response = send("readings/fhir", obs)

    assert response.status_code == 422, response.json
    (error,) = response.json["errors"]
    assert error["loc"] == "effectivePeriod" and error["type"] == "implausible_time"
    assert "ends before it starts" in error["msg"]
    assert count(Reading) == 0


def _bp_panel(systolic: float, diastolic: float, **fields: Any) -> dict[str, Any]:
    def component(code: str, value: float) -> dict[str, Any]:
        return {"code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "valueQuantity": {"value": value, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org",
                                  "code": "mm[Hg]"}}

    obs = observation("85354-9", component=[component("8480-6", systolic), component("8462-4", diastolic)], **fields)
    del obs["valueQuantity"]
    return obs


def _bp_point(systolic: float, diastolic: float) -> dict[str, Any]:
    return data_point({"systolic_blood_pressure": {"value": systolic, "unit": "mmHg"},
                       "diastolic_blood_pressure": {"value": diastolic, "unit": "mmHg"},
                       "effective_time_frame": {"date_time": AT.isoformat()}}, "blood-pressure", "1.0")


def _bp_readings(systolic: float, diastolic: float) -> dict[str, Any]:
    return {"readings": [{"kind": kind, "value": value, "unit": "mm[Hg]", "measured_at": AT.isoformat(),
                          "device_id": "cuff-1"}
                         for kind, value in (("bp_systolic", systolic), ("bp_diastolic", diastolic))]}


@pytest.mark.parametrize(("route", "document", "loc"), [
    ("readings/openmhealth", _bp_point, "body"),
    ("readings/fhir", _bp_panel, "component"),
    ("readings", _bp_readings, "readings.1"),
], ids=["openmhealth", "fhir-panel", "project-json"])
def test_a_blood_pressure_whose_diastolic_is_not_below_its_systolic_is_refused_not_read_as_low_pressure(
        send, count, route: str, document: Callable[[float, float], Any], loc: str) -> None:
    # 120/70 with its two fields swapped: stored, "systolic 70" is the rules' low blood pressure
    # (<= 90, the brief's toxicity side), and three cuff readings so swapped text the caregivers.
    response = send(route, document(70, 120))

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    (error,) = response.json["errors"]
    assert error["loc"] == loc and error["type"] == "implausible_value"
    assert "diastolic 120 mm[Hg] is not below systolic 70 mm[Hg]" in error["msg"]
    assert count(Reading) == 0


@pytest.mark.parametrize(("route", "document"), [
    ("readings/openmhealth", _bp_point), ("readings/fhir", _bp_panel), ("readings", _bp_readings),
], ids=["openmhealth", "fhir-panel", "project-json"])
def test_a_blood_pressure_the_right_way_round_is_stored(send, db, route: str,
                                                        document: Callable[[float, float], Any]) -> None:
    response = send(route, document(120, 70))

    assert response.status_code == 201, response.json
    assert [(k, v) for k, v, _ in stored(db)] == [("bp_diastolic", 70.0), ("bp_systolic", 120.0)]


def test_a_negative_oxygen_flow_is_refused_not_read_as_supplemental_oxygen(send, count) -> None:
    # Some exporters write -1 for "not recorded". Read as "on oxygen", it kept three readings of 88%
    # from the room-air threshold: the low-oxygen emergency was never raised.
    def point(i: int) -> dict[str, Any]:
        body = {"oxygen_saturation": {"value": 88, "unit": "%"},
                "supplemental_oxygen_flow_rate": {"value": -1, "unit": "L/min"},
                "effective_time_frame": {"date_time": (AT - timedelta(minutes=2 - i)).isoformat()}}
        return data_point(body, "oxygen-saturation", "2.0", id_=f"o2-{i}")

    response = send("readings/openmhealth", oxygen_series(point))

    assert response.status_code == 422, response.json
    assert [(e["loc"], e["type"]) for e in response.json["errors"]] == [
        (f"{i}.body.supplemental_oxygen_flow_rate", "implausible_value") for i in range(3)]
    assert "-1 L/min" in response.json["errors"][0]["msg"]
    assert count(Reading) == 0

"""POST /v1/patients/{id}/checkins: symptom severities 0-10, idempotent, bad input refused whole."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from alerts.domain.symptoms import SYMPTOMS
from alerts.models import Alert, CheckIn, Notification
from tests.api.conftest import read
from tests.conftest import NOW

PROBLEM = "application/problem+json"
AT = NOW.isoformat()


def post(client, patient_id: int, headers, **kw):  # type: ignore[no-untyped-def]
    return client.post(f"/v1/patients/{patient_id}/checkins", headers=headers, **kw)


def test_checkin_is_stored_with_its_severities(client, ward, personas, db, frozen) -> None:
    response = post(client, ward.patient.id, personas["own"],
                    json={"recorded_at": AT, "symptoms": {"tremor": 4, "spasms": 6}, "note": "worse after lunch"})

    assert response.status_code == 201
    assert response.json["symptoms"] == {"tremor": 4, "spasms": 6}
    stored = read(db, select(CheckIn))
    assert [(c.patient_id, c.symptoms, c.note, c.recorded_at) for c in stored] == [
        (ward.patient.id, {"tremor": 4, "spasms": 6}, "worse after lunch", NOW)]


def test_every_symptom_in_the_catalogue_is_accepted(client, ward, personas, frozen) -> None:
    response = post(client, ward.patient.id, personas["own"],
                    json={"recorded_at": AT, "symptoms": {key: 0 for key in SYMPTOMS}})

    assert response.status_code == 201


@pytest.mark.parametrize("how", ["header", "event_id"])
def test_replayed_checkin_returns_original_and_stores_nothing(client, ward, personas, count, frozen, how) -> None:
    body = {"recorded_at": AT, "symptoms": {"confusion": 3}}
    headers = dict(personas["own"])
    if how == "header":
        headers["Idempotency-Key"] = "chk-1"
    else:
        body["event_id"] = "chk-1"

    first = post(client, ward.patient.id, headers, json=body)
    replay = post(client, ward.patient.id, headers, json=body)

    assert first.status_code == replay.status_code == 201
    assert replay.json == first.json
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert count(CheckIn) == 1


def test_same_key_with_other_symptoms_is_refused(client, ward, personas, count, frozen) -> None:
    headers = {**personas["own"], "Idempotency-Key": "chk-1"}
    post(client, ward.patient.id, headers, json={"recorded_at": AT, "symptoms": {"tremor": 1}})

    response = post(client, ward.patient.id, headers, json={"recorded_at": AT, "symptoms": {"tremor": 9}})

    assert response.status_code == 422
    assert response.json["type"].endswith("/idempotency-conflict")
    assert count(CheckIn) == 1


def test_unknown_symptom_is_named_and_the_valid_ones_listed(client, ward, personas, count, frozen) -> None:
    response = post(client, ward.patient.id, personas["own"],
                    json={"recorded_at": AT, "symptoms": {"tremor": 2, "headache": 5}})

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    [error] = response.json["errors"]
    assert error["loc"] == "symptoms"
    assert "'headache'" in error["msg"]
    assert all(key in error["msg"] for key in SYMPTOMS)
    assert count(CheckIn) == 0


GOOD = {"recorded_at": AT, "symptoms": {"tremor": 2}}
BAD_INPUTS = [
    ("severity_11", {"json": {**GOOD, "symptoms": {"tremor": 11}}}, 422, ["symptoms.tremor"]),
    ("severity_negative", {"json": {**GOOD, "symptoms": {"tremor": -1}}}, 422, ["symptoms.tremor"]),
    ("severity_as_text", {"json": {**GOOD, "symptoms": {"tremor": "3"}}}, 422, ["symptoms.tremor"]),
    ("severity_fraction", {"json": {**GOOD, "symptoms": {"tremor": 2.5}}}, 422, ["symptoms.tremor"]),
    ("no_symptoms", {"json": {**GOOD, "symptoms": {}}}, 422, ["symptoms"]),
    ("symptoms_not_an_object", {"json": {**GOOD, "symptoms": ["tremor"]}}, 422, ["symptoms"]),
    ("naive_datetime", {"json": {**GOOD, "recorded_at": "2026-06-15T12:00:00"}}, 422, ["recorded_at"]),
    ("far_future", {"json": {**GOOD, "recorded_at": (NOW + timedelta(days=1)).isoformat()}}, 422, ["recorded_at"]),
    ("too_old", {"json": {**GOOD, "recorded_at": (NOW - timedelta(days=30)).isoformat()}}, 422, ["recorded_at"]),
    ("note_too_long", {"json": {**GOOD, "note": "n" * 1001}}, 422, ["note"]),
    ("unknown_field", {"json": {**GOOD, "mood": "ok"}}, 422, ["mood"]),
    ("malformed_json", {"data": '{"symptoms": {"tremor": 2', "content_type": "application/json"}, 400, []),
    ("oversized_body", {"json": {**GOOD, "note": "n" * 70_000}}, 413, []),
    ("wrong_content_type", {"data": json.dumps(GOOD), "content_type": "application/x-www-form-urlencoded"}, 415, []),
]


@pytest.mark.parametrize(("kwargs", "status", "locs"), [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS])
def test_bad_checkin_is_refused_with_a_problem_and_nothing_stored(
        client, ward, personas, count, frozen, kwargs, status, locs) -> None:
    response = post(client, ward.patient.id, personas["own"], **kwargs)

    assert response.status_code == status
    assert response.mimetype == PROBLEM
    assert response.json["title"]
    assert [e["loc"] for e in response.json.get("errors", [])] == locs
    assert (count(CheckIn), count(Alert), count(Notification)) == (0, 0, 0)


@pytest.mark.parametrize(("persona", "patient", "status"), [
    ("admin", "unknown", 404), ("own", "unknown", 404), ("other", "rosa", 404),
], ids=["unknown_patient_admin_token", "unknown_patient_client_token", "another_patients_token"])
def test_checkin_for_unknown_patient_or_with_another_patients_token_is_a_problem_and_stores_nothing(
        client, ward, personas, count, frozen, persona, patient, status) -> None:
    patient_id = 424242 if patient == "unknown" else ward.patient.id

    response = post(client, patient_id, personas[persona], json=GOOD)

    assert response.status_code == status
    assert response.mimetype == PROBLEM
    assert str(patient_id) in response.json["detail"]
    assert count(CheckIn) == 0


@pytest.mark.parametrize("severity", [0, 10], ids=["absent", "worst"])
def test_severity_bounds_0_and_10_are_accepted(client, ward, personas, db, frozen, severity) -> None:
    response = post(client, ward.patient.id, personas["own"],
                    json={"recorded_at": AT, "symptoms": {"spasms": severity}})

    assert response.status_code == 201, response.json
    assert [c.symptoms for c in read(db, select(CheckIn))] == [{"spasms": severity}]


def test_everyday_checkin_reads_only_recent_checkins_not_the_dose_history(client, ward, personas, db,
                                                                           frozen) -> None:
    """Most check-ins raise nothing: judging one must not cost the whole history (bench/ingest.py)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = post(client, ward.patient.id, personas["own"], json={"recorded_at": AT, "symptoms": {"tremor": 2}})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert response.status_code == 201
    selects = [s for s in statements if s.lstrip().startswith("select")]
    assert len(selects) == 2  # the token with its patient and scope; the patient's recent check-ins
    assert not any(table in s for s in statements for table in ("from dose", "join dose", "from alert"))


def test_checkin_that_raises_an_alert_carries_an_assessment_read_from_the_dose_history(
        client, ward, personas, db, frozen) -> None:
    response = post(client, ward.patient.id, personas["own"], json={"recorded_at": AT, "symptoms": {"seizure": 10}})

    assert response.status_code == 201
    (alert,) = read(db, select(Alert))
    assert alert.kind == "emergency"
    assert alert.details["assessment"]["verdict"] in ("possible_withdrawal", "possible_toxicity", "unclear")

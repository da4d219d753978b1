"""A check-in's token, checked by the statement that stores it (PostgreSQL), answers as the ordinary
check does (SQLite, and every other route): the same status for every persona, nothing stored for a
token revoked or deleted a moment before, the token's refusal before any complaint about the body,
and the rules reading the patient's own risk factors and look-back, not the defaults.

Each test runs on SQLite (the ordinary path) and PostgreSQL (``record_checkin_for_token``).
Rosa is the ``ward`` (New York; caregivers Ann and Bob); time is frozen at NOW.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from alerts.models import Alert, ApiToken, CheckIn, Patient, token_patient
from tests.api.conftest import read
from tests.api.test_api_permissions import INGEST_EXPECTED, PROBLEM
from tests.conftest import NOW

HOUR = timedelta(hours=1)


@pytest.fixture
def app(any_app: Flask) -> Flask:
    """The API on SQLite (the embedded default), then on PostgreSQL (``tests/api/conftest.py``)."""
    return any_app


@pytest.fixture(autouse=True)
def no_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workers.dispatch.kick_outbox", lambda app: None)


def post(client: Any, patient_id: int, headers: dict[str, str], body: Any = None, **extra: str) -> Any:
    body = {"recorded_at": NOW.isoformat(), "symptoms": {"confusion": 2}} if body is None else body
    return client.post(f"/v1/patients/{patient_id}/checkins", headers={**headers, **extra}, json=body)


def test_each_persona_gets_what_its_token_allows(client, ward, personas, make_token, count, frozen) -> None:
    device = {"Authorization": f"Bearer {make_token(ward.patient, role='device', name='watch')}"}
    clinician = {"Authorization": f"Bearer {make_token(ward.patient, role='clinician', name='Dr Lee')}"}
    expected = {**INGEST_EXPECTED, "device": 403, "clinician": 403}
    headers = {**personas, "device": device, "clinician": clinician}

    answers = {persona: post(client, ward.patient.id, headers[persona]) for persona in expected}

    assert {p: r.status_code if r.status_code != 201 else "ok" for p, r in answers.items()} == expected
    assert count(CheckIn) == 3  # own, caregiver, admin
    assert answers["device"].json["detail"] == "A device token may only post readings and device events."
    assert answers["clinician"].json["detail"] == "A clinician token may only read its patients' records (FHIR)."
    assert answers["unknown"].headers["WWW-Authenticate"] == 'Bearer realm="dosewatch", error="invalid_token"'
    assert all(r.mimetype == PROBLEM for p, r in answers.items() if expected[p] != "ok")


def test_a_token_revoked_deleted_or_unscoped_after_use_stores_nothing(client, ward, personas, make_token, db,
                                                                      count, frozen) -> None:
    # Each token has checked in once (so anything a process might remember of it, it has seen).
    anns = {"Authorization": f"Bearer {make_token(ward.patient, name='Ann phone 2', caregiver=ward.ann)}"}
    spare = {"Authorization": f"Bearer {make_token(ward.patient, name='spare')}"}
    for key, headers in enumerate((personas["own"], anns, spare)):
        assert post(client, ward.patient.id, headers, **{"Idempotency-Key": f"first-{key}"}).status_code == 201
    with db.session() as s:
        s.execute(update(ApiToken).where(ApiToken.name == "Rosa's phone").values(revoked_at=NOW))
        s.execute(delete(ApiToken).where(ApiToken.name == "Ann phone 2"))  # as removing a caregiver does
        spare_id = s.scalar(select(ApiToken.id).where(ApiToken.name == "spare"))
        s.execute(delete(token_patient).where(token_patient.c.token_id == spare_id))

    answers = [post(client, ward.patient.id, headers) for headers in (personas["own"], anns, spare)]

    assert [r.status_code for r in answers] == [401, 401, 404]
    assert count(CheckIn) == 3


def test_a_refused_token_is_told_so_before_anything_about_the_body(client, ward, personas, make_token,
                                                                   count, frozen) -> None:
    device = {"Authorization": f"Bearer {make_token(ward.patient, role='device', name='watch')}"}
    bad_body = {"recorded_at": NOW.isoformat(), "symptoms": {"hiccups": 2}}  # 422 for a token that may post

    assert post(client, ward.patient.id, personas["own"], bad_body).status_code == 422
    assert post(client, ward.patient.id, personas["unknown"], bad_body).status_code == 401
    assert post(client, ward.patient.id, personas["other"], bad_body).status_code == 404
    assert post(client, ward.patient.id, device, bad_body).status_code == 403
    assert post(client, ward.patient.id, personas["unknown"], **{"Idempotency-Key": "\x01"}).status_code == 401
    assert post(client, ward.patient.id, personas["own"], **{"Idempotency-Key": "\x01"}).status_code == 400
    assert client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=personas["unknown"], data="{",
                       content_type="application/json").status_code == 401
    assert count(CheckIn) == 0


def test_a_patient_that_does_not_exist_is_a_404_even_for_an_admin(client, ward, personas, count, frozen) -> None:
    assert post(client, ward.patient.id + 1000, personas["admin"]).status_code == 404
    assert post(client, 2**31, personas["admin"]).status_code == 404  # no row can have that id
    assert post(client, ward.patient.id + 1000, personas["own"]).status_code == 404
    assert count(CheckIn) == 0


def test_the_rules_read_the_patients_risk_factors_as_they_are_now(client, make_patient, make_caregiver,
                                                                  make_token, db, frozen) -> None:
    # An intrathecal pump is a withdrawal risk factor ("Long-term use, especially with intrathecal
    # pumps"): with one, mild tremor is a withdrawal risk; with the pump taken off the record, the
    # same report is recorded and nothing more.
    iris = make_patient(name="Iris", intrathecal_pump=True)
    make_caregiver(iris, name="Jo")
    headers = {"Authorization": f"Bearer {make_token(iris)}"}
    body = {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 2}}

    first = post(client, iris.id, headers, body)
    with db.session() as s:
        s.execute(update(Alert).values(status="resolved"))
        s.execute(update(Patient).where(Patient.id == iris.id).values(intrathecal_pump=False))
    second = post(client, iris.id, headers, body)

    (alert,) = read(db, select(Alert))
    assert (first.status_code, first.json["alert_id"], alert.kind) == (201, alert.id, "withdrawal_risk")
    assert (second.status_code, second.json["alert_id"]) == (201, None)


def test_a_clinicians_longer_supply_window_reaches_past_the_default_look_back(client, ward, personas, db,
                                                                             frozen) -> None:
    # Running out is a withdrawal risk for supply_lookback_hours (72 by default, the longest of the
    # default windows). Rosa's clinician set 120: a report 100 hours ago still warns.
    with db.session() as s:
        s.execute(update(Patient).where(Patient.id == ward.patient.id)
                  .values(clinical_settings={"supply_lookback_hours": 120}))
        s.add(CheckIn(patient_id=ward.patient.id, recorded_at=NOW - 100 * HOUR, symptoms={},
                      supply_problem="ran_out", source="app", received_at=NOW - 100 * HOUR))

    response = post(client, ward.patient.id, personas["own"], {"recorded_at": NOW.isoformat(),
                                                               "symptoms": {"tremor": 1}})

    (alert,) = read(db, select(Alert))
    assert response.status_code == 201 and response.json["alert_id"] == alert.id
    assert alert.condition_key == "withdrawal_risk"
    assert alert.details["evidence"] == ["withdrawal_risk:supply"]

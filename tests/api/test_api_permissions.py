"""Who may call what: every endpoint asked by the four personas.

Rosa's own client token, her caregiver Ann's token and an admin token may act for Rosa; a token
issued for another patient gets 404, as for a patient that does not exist (a 403 would tell it which
ids exist); no token or an unknown one gets 401 with a Bearer challenge. Admin endpoints need an
admin token: client tokens, even Rosa's own, get 403. Only a caregiver acknowledges an alert, as
themselves: Rosa's token and the admin's get 403 there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from alerts.models import Alert, ApiToken, CheckIn, DoseEvent, Medication
from alerts.services.tick import run_tick
from alerts.services.tokens import hash_token
from tests.api.conftest import Ward, read
from tests.conftest import NOW
from tests.support.settings import TICK

PROBLEM = "application/problem+json"
DUE = NOW + timedelta(hours=6)

Call = Callable[[Ward, Any], tuple[str, str, dict[str, Any] | None]]


def _open_alert(ward: Ward, db: Any) -> int:
    run_tick(db.sessionmaker, DUE + timedelta(minutes=31), **TICK)
    return read(db, select(Alert.id))[0]


def _medication(ward: Ward, db: Any) -> int:
    """A medicine of Rosa's other than baclofen (so a stop needs no prescriber's confirmation)."""
    with db.session() as s:
        medication = Medication(patient_id=ward.patient.id, name="metformin", route="oral")
        s.add(medication)
        s.flush()
        return int(medication.id)


INGEST: dict[str, Call] = {
    "post_dose": lambda w, db: ("post", f"/v1/patients/{w.patient.id}/doses", {"taken_at": NOW.isoformat()}),
    "post_checkin": lambda w, db: ("post", f"/v1/patients/{w.patient.id}/checkins",
                                   {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 2}}),
    "list_alerts": lambda w, db: ("get", f"/v1/patients/{w.patient.id}/alerts", None),
    "acknowledge": lambda w, db: ("post", f"/v1/alerts/{_open_alert(w, db)}/acknowledge", {"caregiver_id": w.ann.id}),
}
ADMIN: dict[str, Call] = {
    "create_patient": lambda w, db: ("post", "/v1/admin/patients", {"name": "Ivy", "timezone": "Europe/Madrid"}),
    "list_patients": lambda w, db: ("get", "/v1/admin/patients", None),
    "get_patient": lambda w, db: ("get", f"/v1/admin/patients/{w.patient.id}", None),
    "update_patient": lambda w, db: ("patch", f"/v1/admin/patients/{w.patient.id}", {"renal_impairment": True}),
    "add_caregiver": lambda w, db: ("post", f"/v1/admin/patients/{w.patient.id}/caregivers",
                                    {"name": "Cy", "phone": "+14155550199"}),
    "update_caregiver": lambda w, db: ("patch", f"/v1/admin/caregivers/{w.bob.id}",
                                       {"quiet_start": "22:00", "quiet_end": "07:00"}),
    "remove_caregiver": lambda w, db: ("delete", f"/v1/admin/caregivers/{w.bob.id}", None),
    "add_schedule": lambda w, db: ("post", f"/v1/admin/patients/{w.patient.id}/schedules",
                                   {"times": ["22:00"], "dose_mg": 5}),
    "remove_schedule": lambda w, db: ("delete", f"/v1/admin/schedules/{w.schedule.id}", None),
    "create_token": lambda w, db: ("post", "/v1/admin/tokens", {"name": "new phone", "patient_ids": [w.patient.id]}),
    "edit_medication": lambda w, db: ("patch", f"/v1/admin/medications/{_medication(w, db)}", {"strength": "10 mg"}),
    "stop_medication": lambda w, db: ("post", f"/v1/admin/medications/{_medication(w, db)}/stop", {}),
}

INGEST_EXPECTED = {"own": "ok", "caregiver": "ok", "admin": "ok", "other": 404, "none": 401, "unknown": 401}
ACK_EXPECTED = {**INGEST_EXPECTED, "own": 403, "admin": 403}
ADMIN_EXPECTED = {"own": 403, "caregiver": 403, "admin": "ok", "other": 403, "none": 401, "unknown": 401}
CASES = ([(name, persona, want) for name in INGEST
          for persona, want in (ACK_EXPECTED if name == "acknowledge" else INGEST_EXPECTED).items()]
         + [(name, persona, want) for name in ADMIN for persona, want in ADMIN_EXPECTED.items()])


@pytest.mark.parametrize(("endpoint", "persona", "expected"), CASES,
                         ids=[f"{e}-{p}" for e, p, _ in CASES])
def test_each_persona_gets_what_its_token_allows(client, ward, personas, db, frozen, count,
                                                 endpoint, persona, expected) -> None:
    method, path, body = {**INGEST, **ADMIN}[endpoint](ward, db)
    before = (count(DoseEvent), count(CheckIn))

    response = client.open(path, method=method.upper(), headers=personas[persona], json=body)

    if expected == "ok":
        assert 200 <= response.status_code < 300, response.get_data(as_text=True)
        return
    assert response.status_code == expected
    assert response.mimetype == PROBLEM
    assert response.json["status"] == expected
    if expected == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (count(DoseEvent), count(CheckIn)) == before


def test_revoked_token_is_refused(client, ward, personas, db, frozen) -> None:
    with db.session() as s:
        s.execute(update(ApiToken).where(ApiToken.name == "Rosa's phone").values(revoked_at=NOW))

    response = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=personas["own"])

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("header", ["Basic cm9zYTpwdw==", "Bearer", "Bearer ", "dw_abc"])
def test_malformed_authorization_header_is_401(client, ward, header) -> None:
    response = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.mimetype == PROBLEM


def test_only_the_tokens_hash_is_stored(client, ward, personas, db) -> None:
    secret = personas["own"]["Authorization"].removeprefix("Bearer ")
    stored = read(db, select(ApiToken.token_hash))

    assert secret not in stored
    assert all(len(h) == 64 for h in stored)
    assert hash_token(secret) in stored  # the SHA-256 of the secret, so the bearer can be looked up


def test_token_issued_for_two_patients_may_post_for_both_and_for_no_one_else(
        client, ward, make_patient, make_token, count, frozen) -> None:  # type: ignore[no-untyped-def]
    third = make_patient(name="Ines")
    household = {"Authorization": f"Bearer {make_token(ward.patient, ward.other, name='family tablet')}"}
    body = {"taken_at": NOW.isoformat()}

    statuses = [client.post(f"/v1/patients/{p.id}/doses", headers=household, json=body).status_code
                for p in (ward.patient, ward.other, third)]

    assert statuses == [201, 201, 404]
    assert count(DoseEvent) == 2

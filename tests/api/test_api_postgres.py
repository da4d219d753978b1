"""The key ingest behaviours again on PostgreSQL (production's database), plus the lost-race replay.

Overriding ``app`` points ``client``, ``db``, ``session`` and the factories at a fresh PostgreSQL
database for every test in this module.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select

from alerts.models import Alert, CheckIn, DoseEvent, Notification, Patient
from alerts.services import doses as dose_service
from alerts.services.tick import run_tick
from tests.api.conftest import read
from tests.conftest import NOW
from tests.support.settings import TICK

pytestmark = pytest.mark.integration
DUE = NOW + timedelta(hours=6)


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    return pg_app


def test_replayed_dose_returns_original_and_stores_nothing_on_postgres(client, ward, personas, count,
                                                                       frozen) -> None:
    headers = {**personas["own"], "Idempotency-Key": "pg-1"}
    body = {"taken_at": NOW.isoformat(), "dose_mg": "10.5"}

    first = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=headers, json=body)
    replay = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=headers, json=body)
    conflict = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=headers,
                           json={**body, "dose_mg": 20})

    assert (first.status_code, replay.status_code, conflict.status_code) == (201, 201, 422)
    assert replay.json == first.json and first.json["dose_mg"] == 10.5
    assert count(DoseEvent) == 1


def test_replayed_checkin_returns_original_and_stores_nothing_on_postgres(client, ward, personas, count,
                                                                          frozen) -> None:
    headers = {**personas["own"], "Idempotency-Key": "pg-c1"}
    body = {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 3}}
    path = f"/v1/patients/{ward.patient.id}/checkins"

    first = client.post(path, headers=headers, json=body)
    replay = client.post(path, headers=headers, json=body)
    conflict = client.post(path, headers=headers, json={**body, "symptoms": {"tremor": 4}})

    assert (first.status_code, replay.status_code, conflict.status_code) == (201, 201, 422)
    assert replay.json == first.json and replay.headers["Idempotent-Replayed"] == "true"
    assert count(CheckIn) == 1


def test_a_checkin_is_judged_against_the_one_before_on_postgres(client, ward, personas, db) -> None:
    """The insert and the read of earlier check-ins are one statement here: the new one must see
    the earlier ones (worsening) and not count itself twice."""
    path = f"/v1/patients/{ward.patient.id}/checkins"
    with freeze_time(NOW):
        steady = client.post(path, headers=personas["own"], json={"recorded_at": NOW.isoformat(),
                                                                  "symptoms": {"tremor": 2}})
    later = NOW + timedelta(hours=4)
    with freeze_time(later):
        worse = client.post(path, headers=personas["own"], json={"recorded_at": later.isoformat(),
                                                                 "symptoms": {"tremor": 6}})

    assert steady.status_code == worse.status_code == 201
    # Tremor at 6 is a withdrawal sign: one withdrawal alert, with the worsening joined to it as
    # evidence of the same situation (not a second alert and a second text).
    (alert,) = read(db, select(Alert))
    assert (alert.kind, alert.details["evidence"]) == ("withdrawal_risk",
                                                       ["withdrawal_risk:signs", "consult_soon:worsening_twitches"])
    assert "tremor worse: severity 2 -> 6" in " ".join(alert.details["reasons"])


def test_a_request_that_loses_the_race_for_its_key_is_answered_as_a_replay(
        client, ward, personas, db, count, frozen, monkeypatch) -> None:
    """Two first requests with one key: the unique constraint picks a winner, the loser replays it."""
    real_match = dose_service.match_dose

    def competitor_commits_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Runs after this request's "is the key known?" lookup and before its INSERT: exactly the
        # window in which a concurrent twin request commits the same key.
        monkeypatch.setattr(dose_service, "match_dose", real_match)
        with db.session() as other:
            other.add(DoseEvent(patient_id=ward.patient.id, taken_at=NOW, source="app", idempotency_key="twin",
                                request_hash=None))
        return real_match(*args, **kwargs)

    monkeypatch.setattr(dose_service, "match_dose", competitor_commits_first)

    response = client.post(f"/v1/patients/{ward.patient.id}/doses",
                           headers={**personas["own"], "Idempotency-Key": "twin"}, json={"taken_at": NOW.isoformat()})

    assert response.status_code == 201
    assert response.headers["Idempotent-Replayed"] == "true"
    assert response.json["id"] == read(db, select(DoseEvent.id))[0]
    assert count(DoseEvent) == 1


def test_late_dose_resolves_the_missed_dose_alert_on_postgres(client, ward, personas, db, monkeypatch) -> None:
    monkeypatch.setattr("workers.dispatch.kick_outbox", lambda app: None)
    run_tick(db.sessionmaker, DUE + timedelta(minutes=31), **TICK)
    run_tick(db.sessionmaker, DUE + timedelta(minutes=41), **TICK)
    with freeze_time(DUE + timedelta(minutes=45)):
        response = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=personas["own"],
                               json={"taken_at": (DUE + timedelta(minutes=44)).isoformat()})

    assert response.status_code == 201
    assert read(db, select(Alert.status)) == ["resolved"]
    assert [n.to_number for n in read(db, select(Notification).where(Notification.kind == "all_clear"))] == [
        ward.ann.phone]


@pytest.mark.parametrize(("path", "kwargs", "status"), [
    ("doses", {"data": "{", "content_type": "application/json"}, 400),
    ("doses", {"json": {"taken_at": "2026-06-15T12:00:00"}}, 422),
    ("doses", {"json": {"taken_at": (NOW + timedelta(hours=2)).isoformat()}}, 422),
    ("checkins", {"json": {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 11}}}, 422),
    ("checkins", {"json": {"recorded_at": NOW.isoformat(), "symptoms": {"itch": 1}}}, 422),
    ("checkins", {"json": {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 1}, "note": "x" * 70_000}}, 413),
], ids=["malformed", "naive", "future", "severity_11", "unknown_symptom", "oversized"])
def test_bad_input_stores_nothing_on_postgres(client, ward, personas, count, frozen, path, kwargs, status) -> None:
    response = client.post(f"/v1/patients/{ward.patient.id}/{path}", headers=personas["own"], **kwargs)

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert (count(DoseEvent), count(CheckIn)) == (0, 0)


def test_a_nul_character_in_free_text_is_a_422_not_a_500_on_postgres(client, ward, personas, count, frozen) -> None:
    # PostgreSQL text cannot hold U+0000 (SQLite can): the schema must refuse it before the INSERT does.
    patients = count(Patient)
    checkin = client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=personas["own"],
                          json={"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 2}, "note": "legs\u0000jumpy"})
    dose = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=personas["own"],
                       json={"taken_at": NOW.isoformat(), "note": "\u0000"})
    patient = client.post("/v1/admin/patients", headers=personas["admin"],
                          json={"name": "Ann\u0000", "timezone": "America/New_York"})

    assert (checkin.status_code, dose.status_code, patient.status_code) == (422, 422, 422)
    assert checkin.mimetype == "application/problem+json" and "note" in checkin.get_data(as_text=True)
    assert count(CheckIn) == 0 and count(DoseEvent) == 0 and count(Patient) == patients

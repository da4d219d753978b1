"""A patient's alerts, and acknowledging one from the app or web."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from alerts.models import Alert, Notification
from alerts.services.tick import run_tick
from tests.api.conftest import read
from tests.conftest import NOW
from tests.support.settings import TICK

PROBLEM = "application/problem+json"
DUE = NOW + timedelta(hours=6)  # Rosa's 14:00 New York dose


@pytest.fixture
def escalated(ward, db) -> Alert:  # type: ignore[no-untyped-def]
    """Rosa missed her 14:00 dose: she was reminded, then Ann (caregiver 1) was told."""
    run_tick(db.sessionmaker, DUE + timedelta(minutes=31), **TICK)
    run_tick(db.sessionmaker, DUE + timedelta(minutes=41), **TICK)
    return read(db, select(Alert))[0]


@pytest.fixture
def ann_token(ward, make_token) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ann's own app: a token issued to caregiver Ann."""
    return {"Authorization": f"Bearer {make_token(ward.patient, name='Ann phone', caregiver=ward.ann)}"}


@pytest.fixture
def bob_token(ward, make_token) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {make_token(ward.patient, name='Bob phone', caregiver=ward.bob)}"}


@pytest.fixture
def kicks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    monkeypatch.setattr("workers.dispatch.kick_outbox", lambda app: calls.append(app))
    return calls


def test_open_alerts_are_listed_for_the_patient(client, ward, personas, escalated) -> None:
    response = client.get(f"/v1/patients/{ward.patient.id}/alerts?status=open", headers=personas["own"])

    assert response.status_code == 200
    [alert] = response.json["alerts"]
    assert (alert["id"], alert["kind"], alert["status"], alert["code"]) == (
        escalated.id, "missed_dose", "open", escalated.code)
    assert alert["next_step"] == 2
    assert alert["details"]["dose_time"] == "14:00"


def test_status_filter_leaves_out_closed_alerts(client, ward, personas, escalated, db) -> None:
    with db.session() as s:
        s.get(Alert, escalated.id).status = "resolved"  # type: ignore[union-attr]

    open_only = client.get(f"/v1/patients/{ward.patient.id}/alerts?status=open", headers=personas["own"])
    everything = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=personas["own"])

    assert open_only.json["alerts"] == []
    assert [a["status"] for a in everything.json["alerts"]] == ["resolved"]


def test_another_patients_alerts_are_not_listed(client, ward, personas, escalated) -> None:
    response = client.get(f"/v1/patients/{ward.other.id}/alerts", headers=personas["admin"])

    assert response.json["alerts"] == []


@pytest.mark.parametrize("query", ["status=closed", "limit=0", "limit=many"])
def test_bad_alert_query_is_422(client, ward, personas, query) -> None:
    response = client.get(f"/v1/patients/{ward.patient.id}/alerts?{query}", headers=personas["own"])

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.json["errors"][0]["loc"] in {"status", "limit"}


def test_acknowledging_stops_escalation_and_tells_the_others_told(
        client, ward, ann_token, escalated, db, kicks) -> None:
    # Bob is told too (step 2) before Ann acknowledges from her app.
    run_tick(db.sessionmaker, DUE + timedelta(minutes=51), **TICK)
    with freeze_time(DUE + timedelta(minutes=55)):
        response = client.post(f"/v1/alerts/{escalated.id}/acknowledge", headers=ann_token, json={})

    assert response.status_code == 200
    assert response.json["status"] == "acknowledged"
    alert = read(db, select(Alert))[0]
    assert (alert.status, alert.acknowledged_by, alert.close_reason) == ("acknowledged", ward.ann.id, "ack_web")
    told = read(db, select(Notification).where(Notification.kind == "all_clear"))
    assert sorted(n.to_number for n in told) == sorted([ward.patient.phone, ward.bob.phone])
    assert all("Ann" in n.body for n in told)
    assert len(kicks) == 1
    # And the escalation has stopped: a later tick sends nobody anything.
    assert run_tick(db.sessionmaker, DUE + timedelta(hours=2), **TICK).notification_ids == []


def test_acknowledging_an_alert_no_longer_open_is_409(
        client, ward, ann_token, bob_token, escalated, count) -> None:
    first = client.post(f"/v1/alerts/{escalated.id}/acknowledge", headers=ann_token,
                        json={"caregiver_id": ward.ann.id})
    notifications = count(Notification)

    second = client.post(f"/v1/alerts/{escalated.id}/acknowledge", headers=bob_token, json={})

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.mimetype == PROBLEM
    assert "acknowledged" in second.json["detail"]
    assert count(Notification) == notifications


@pytest.mark.parametrize("persona", ["own", "admin"])
def test_a_patients_or_admins_token_cannot_acknowledge_as_a_caregiver(
        client, ward, personas, escalated, count, db, persona) -> None:
    # Only a caregiver acknowledges, as themselves: Rosa's app naming Ann would stop the escalation
    # on behalf of someone who never saw the alert.
    before = count(Notification)

    response = client.post(f"/v1/alerts/{escalated.id}/acknowledge", headers=personas[persona],
                           json={"caregiver_id": ward.ann.id})

    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    assert read(db, select(Alert.status)) == ["open"]
    assert read(db, select(Alert.acknowledged_by)) == [None]
    assert count(Notification) == before


def test_a_caregivers_token_cannot_acknowledge_as_another_caregiver(
        client, ward, ann_token, escalated, count, db) -> None:
    before = count(Notification)

    response = client.post(f"/v1/alerts/{escalated.id}/acknowledge", headers=ann_token,
                           json={"caregiver_id": ward.bob.id})

    assert response.status_code == 403
    assert read(db, select(Alert.status)) == ["open"]
    assert count(Notification) == before


def test_another_patients_caregiver_cannot_acknowledge(
        client, ward, escalated, make_caregiver, make_token, session, count, db) -> None:
    stranger = make_caregiver(ward.other, name="Zed")
    session.commit()  # the factory's refresh leaves a transaction (on SQLite: the write lock) open
    headers = {"Authorization": f"Bearer {make_token(ward.other, name='Zed phone', caregiver=stranger)}"}
    before = count(Notification)

    response = client.post(f"/v1/alerts/{escalated.id}/acknowledge", headers=headers, json={})

    # Another family's alert is answered as a missing one: a token learns nothing of other patients.
    assert response.status_code == 404
    assert read(db, select(Alert.status)) == ["open"]
    assert count(Notification) == before


def test_acknowledging_an_unknown_alert_is_404(client, ward, personas) -> None:
    response = client.post("/v1/alerts/777/acknowledge", headers=personas["admin"], json={"caregiver_id": 1})

    assert response.status_code == 404
    assert response.mimetype == PROBLEM

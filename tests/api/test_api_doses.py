"""POST /v1/patients/{id}/doses: recording doses taken, idempotently, and refusing bad input whole."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from alerts.models import Alert, Dose, DoseEvent, Notification
from alerts.services.tick import run_tick
from tests.api.conftest import read
from tests.conftest import NOW
from tests.support.settings import TICK

PROBLEM = "application/problem+json"
DUE = NOW + timedelta(hours=6)  # Rosa's 14:00 New York dose, in UTC (18:00)


def iso(at) -> str:  # type: ignore[no-untyped-def]
    return at.isoformat().replace("+00:00", "Z")


def post_dose(client, patient_id: int, headers: dict[str, str], body=None, **kw):  # type: ignore[no-untyped-def]
    if body is not None and "data" not in kw:
        kw["json"] = body
    return client.post(f"/v1/patients/{patient_id}/doses", headers=headers, **kw)


@pytest.fixture
def kicks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records each outbox kick (the worker nudge the route sends after its commit)."""
    calls: list[object] = []
    monkeypatch.setattr("workers.dispatch.kick_outbox", lambda app: calls.append(app))
    return calls


# -- recording ---------------------------------------------------------------------------------------


def test_dose_taken_near_its_time_marks_the_scheduled_dose_taken(client, ward, personas, db) -> None:
    taken = DUE - timedelta(minutes=10)
    with freeze_time(taken):
        response = post_dose(client, ward.patient.id, personas["own"],
                             {"taken_at": iso(taken), "source": "pill_bottle", "dose_mg": 10})

    assert response.status_code == 201, response.json
    body = response.json
    assert body["patient_id"] == ward.patient.id
    assert body["source"] == "pill_bottle"
    assert body["dose_mg"] == 10
    assert body["matched_dose"]["local_time"] == "14:00"
    assert body["matched_dose"]["status"] == "taken"
    assert "Idempotent-Replayed" not in response.headers
    dose = read(db, select(Dose).where(Dose.id == body["matched_dose"]["id"]))[0]
    assert (dose.status, dose.taken_at) == ("taken", taken)
    # Its successor (20:00) is now the schedule's pending dose.
    pending = read(db, select(Dose).where(Dose.schedule_id == ward.schedule.id, Dose.status == "pending"))
    assert [d.local_time for d in pending] == ["20:00"]


def test_dose_far_from_any_scheduled_time_is_stored_unmatched(client, ward, personas, count, frozen) -> None:
    response = post_dose(client, ward.patient.id, personas["own"], {"taken_at": iso(NOW - timedelta(hours=3))})

    assert response.status_code == 201
    assert response.json["matched_dose"] is None
    assert count(DoseEvent) == 1


def test_offset_timestamps_are_stored_as_the_same_instant_in_utc(client, ward, personas, db, frozen) -> None:
    response = post_dose(client, ward.patient.id, personas["own"], {"taken_at": "2026-06-15T07:55:00-04:00"})

    assert response.status_code == 201
    assert response.json["taken_at"] == "2026-06-15T11:55:00Z"
    event = read(db, select(DoseEvent))[0]
    assert event.taken_at == NOW - timedelta(minutes=5)


def test_late_dose_resolves_the_missed_dose_alert_and_tells_the_caregiver_told(
        client, ward, personas, db, kicks) -> None:
    run_tick(db.sessionmaker, DUE + timedelta(minutes=31), **TICK)  # missed: alert opens, Rosa reminded
    run_tick(db.sessionmaker, DUE + timedelta(minutes=41), **TICK)  # step 1: Ann is told
    taken = DUE + timedelta(minutes=45)

    with freeze_time(taken):
        response = post_dose(client, ward.patient.id, personas["own"], {"taken_at": iso(taken)})

    assert response.status_code == 201
    assert response.json["matched_dose"]["status"] == "taken"
    alert = read(db, select(Alert))[0]
    assert (alert.status, alert.close_reason) == ("resolved", "dose_taken")
    all_clear = read(db, select(Notification).where(Notification.kind == "all_clear"))
    assert [n.to_number for n in all_clear] == [ward.ann.phone]
    assert len(kicks) == 1  # the worker is nudged (after the commit) to send it now


def test_dose_with_nothing_to_announce_does_not_kick_the_worker(client, ward, personas, kicks, frozen) -> None:
    assert post_dose(client, ward.patient.id, personas["own"], {"taken_at": iso(NOW)}).status_code == 201
    assert kicks == []


# -- idempotency -------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["header", "event_id"])
def test_replayed_dose_returns_original_and_stores_nothing(client, ward, personas, count, frozen, how) -> None:
    body = {"taken_at": iso(NOW), "dose_mg": 10}
    headers = dict(personas["own"])
    if how == "header":
        headers["Idempotency-Key"] = "rosa-phone-0001"
    else:
        body["event_id"] = "rosa-phone-0001"

    first = post_dose(client, ward.patient.id, headers, body)
    replay = post_dose(client, ward.patient.id, headers, body)

    assert first.status_code == replay.status_code == 201
    assert replay.json == first.json
    assert replay.json["event_id"] == "rosa-phone-0001"
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert count(DoseEvent) == 1


def test_replay_with_keys_in_another_order_is_still_a_replay(client, ward, personas, count, frozen) -> None:
    headers = {**personas["own"], "Idempotency-Key": "k-1"}
    post_dose(client, ward.patient.id, headers, data=f'{{"taken_at": "{iso(NOW)}", "source": "app"}}',
              content_type="application/json")
    replay = post_dose(client, ward.patient.id, headers, data=f'{{ "source":"app","taken_at":"{iso(NOW)}" }}',
                       content_type="application/json")

    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert count(DoseEvent) == 1


def test_same_idempotency_key_with_a_different_body_is_refused(client, ward, personas, count, frozen) -> None:
    headers = {**personas["own"], "Idempotency-Key": "k-1"}
    post_dose(client, ward.patient.id, headers, {"taken_at": iso(NOW)})

    conflict = post_dose(client, ward.patient.id, headers, {"taken_at": iso(NOW - timedelta(minutes=30))})

    assert conflict.status_code == 422
    assert conflict.mimetype == PROBLEM
    assert conflict.json["type"].endswith("/idempotency-conflict")
    assert "k-1" in conflict.json["detail"]
    assert count(DoseEvent) == 1


def test_idempotency_keys_are_per_patient(client, ward, personas, count, frozen) -> None:
    """Two patients' devices may pick the same event id; neither is a replay of the other."""
    body = {"taken_at": iso(NOW), "event_id": "evt-1"}
    assert post_dose(client, ward.patient.id, personas["admin"], body).status_code == 201
    second = post_dose(client, ward.other.id, personas["admin"], body)

    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert count(DoseEvent) == 2


# -- bad input: a 4xx problem that says what is wrong, and nothing stored -----------------------------

GOOD = {"taken_at": iso(NOW)}

BAD_INPUTS = [
    # id, request kwargs, status, words the problem must contain (lower-cased), error locs
    ("malformed_json", {"data": '{"taken_at": ', "content_type": "application/json"}, 400, ["json"], []),
    ("empty_body", {"data": "", "content_type": "application/json"}, 400, ["json"], []),
    ("not_an_object", {"json": [GOOD]}, 422, [], ["(body)"]),
    ("wrong_type_timestamp_number", {"json": {"taken_at": 1781524800}}, 422, ["taken_at"], ["taken_at"]),
    ("wrong_type_dose_text", {"json": {**GOOD, "dose_mg": "ten"}}, 422, ["dose_mg"], ["dose_mg"]),
    ("missing_taken_at", {"json": {"source": "app"}}, 422, ["taken_at"], ["taken_at"]),
    ("naive_datetime", {"json": {"taken_at": "2026-06-15T12:00:00"}}, 422, ["timezone"], ["taken_at"]),
    ("far_future", {"json": {"taken_at": iso(NOW + timedelta(hours=1))}}, 422, ["future", "clock"], ["taken_at"]),
    ("too_old", {"json": {"taken_at": iso(NOW - timedelta(days=8))}}, 422, ["7 days"], ["taken_at"]),
    ("unknown_source", {"json": {**GOOD, "source": "fax"}}, 422, ["source"], ["source"]),
    ("zero_dose", {"json": {**GOOD, "dose_mg": 0}}, 422, ["dose_mg"], ["dose_mg"]),
    ("implausible_dose", {"json": {**GOOD, "dose_mg": 5000}}, 422, ["dose_mg"], ["dose_mg"]),
    ("unknown_field", {"json": {**GOOD, "takenAt": iso(NOW)}}, 422, ["takenat"], ["takenAt"]),
    ("event_id_too_long", {"json": {**GOOD, "event_id": "e" * 129}}, 422, ["event_id"], ["event_id"]),
    ("oversized_body", {"json": {**GOOD, "note": "x" * 70_000}}, 413, ["large"], []),
    ("wrong_content_type", {"data": json.dumps(GOOD), "content_type": "text/plain"}, 415, ["application/json"], []),
    ("no_content_type", {"data": json.dumps(GOOD)}, 415, ["application/json"], []),
    ("bad_idempotency_key", {"json": GOOD, "headers": {"Idempotency-Key": "k" * 200}}, 400, ["idempotency-key"], []),
]


@pytest.mark.parametrize(("kwargs", "status", "words", "locs"), [b[1:] for b in BAD_INPUTS],
                         ids=[b[0] for b in BAD_INPUTS])
def test_bad_dose_input_is_refused_with_a_problem_and_nothing_stored(
        client, ward, personas, count, db, frozen, kwargs, status, words, locs) -> None:
    kwargs = dict(kwargs)
    headers = {**personas["own"], **kwargs.pop("headers", {})}
    before = (count(DoseEvent), count(Notification), count(Dose))

    response = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=headers, **kwargs)

    assert response.status_code == status
    assert response.mimetype == PROBLEM
    problem = response.json
    assert problem["status"] == status
    text = (problem["title"] + " " + problem.get("detail", "")).lower()
    for word in words:
        assert word in text, text
    assert [e["loc"] for e in problem.get("errors", [])] == locs
    assert (count(DoseEvent), count(Notification), count(Dose)) == before
    pending = read(db, select(Dose.status).where(Dose.patient_id == ward.patient.id))
    assert pending == ["pending"]


def test_validation_errors_do_not_echo_huge_values(client, ward, personas, frozen) -> None:
    response = post_dose(client, ward.patient.id, personas["own"], {**GOOD, "event_id": "e" * 20_000})

    assert response.status_code == 422
    assert len(response.get_data()) < 2_000


@pytest.mark.parametrize("persona", ["own", "admin", "other"])
def test_dose_for_an_unknown_patient_is_404_and_stores_nothing(client, ward, personas, count, frozen,
                                                               persona) -> None:
    response = post_dose(client, 9999, personas[persona], GOOD)

    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert "9999" in response.json["detail"]
    assert count(DoseEvent) == 0


def test_dose_with_another_patients_token_is_404_and_stores_nothing(client, ward, personas, count, frozen) -> None:
    # 404 as for a patient that does not exist: a token must not learn which patient ids exist.
    response = post_dose(client, ward.patient.id, personas["other"], GOOD)

    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert str(ward.patient.id) in response.json["detail"]
    assert count(DoseEvent) == 0

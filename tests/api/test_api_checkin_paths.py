"""What a client relies on when it posts a check-in, on SQLite and PostgreSQL, whatever path the
check-in takes inside (see bench/README.md for a two-statement path that was measured and left out):
each 201 is stored exactly once however many replays race, and all of them get the same answer; a
check-in that raises an alert is never stored without it (a crash before the commit leaves neither,
and the retry raises it); a back-dated check-in is triaged against the one before it in time.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select

from alerts.app import get_db
from alerts.models import Alert, CheckIn, Notification
from alerts.services import clinical
from tests.api.conftest import read
from tests.conftest import NOW

pytestmark = pytest.mark.integration


@pytest.fixture
def app(any_app: Flask) -> Flask:
    """The API on SQLite (the embedded default), then on PostgreSQL (``tests/api/conftest.py``)."""
    return any_app


@pytest.fixture(autouse=True)
def no_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workers.dispatch.kick_outbox", lambda app: None)


def path(ward: Any) -> str:
    return f"/v1/patients/{ward.patient.id}/checkins"


def store(db: Any, ward: Any, *rows: tuple[Any, dict[str, int]]) -> None:
    """Earlier check-ins, written straight into the table."""
    with db.session() as s:
        s.add_all(CheckIn(patient_id=ward.patient.id, recorded_at=at, symptoms=symptoms, source="app",
                          received_at=at) for at, symptoms in rows)


def post_together(app: Flask, url: str, headers: dict[str, str], body: dict[str, Any], n: int = 8) -> list[Any]:
    """``n`` requests with one body and one key, released at once, each on its own client."""
    start = threading.Barrier(n)
    responses: list[Any] = []
    errors: list[BaseException] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        try:
            responses.append(client.post(url, headers=headers, json=body))
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(n)]
    with freeze_time(NOW):  # once for all threads: freezegun patches the modules, not a thread
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert errors == []
    return responses


@pytest.mark.parametrize("symptoms", [{"tremor": 1}, {"seizure": 1}], ids=["raises nothing", "emergency"])
def test_racing_replays_store_one_checkin_and_all_get_its_answer(app, ward, personas, count, symptoms) -> None:
    headers = {**personas["own"], "Idempotency-Key": "same-tap"}
    body = {"recorded_at": NOW.isoformat(), "symptoms": symptoms}

    responses = post_together(app, path(ward), headers, body)

    assert [r.status_code for r in responses] == [201] * len(responses)
    assert count(CheckIn) == 1
    (stored,) = read(get_db(app), select(CheckIn))
    assert {r.json["id"] for r in responses} == {stored.id}
    first = [r for r in responses if "Idempotent-Replayed" not in r.headers]
    assert len(first) == 1  # one stored it; the others were answered as its replays
    assert all(r.json == first[0].json for r in responses)
    assert first[0].json["alert_id"] == stored.alert_id
    if "seizure" in symptoms:
        (alert,) = read(get_db(app), select(Alert))
        assert stored.alert_id == alert.id and alert.kind == "emergency"
    else:
        assert stored.alert_id is None and count(Alert) == 0


def test_a_checkin_that_raises_an_alert_is_stored_with_it_or_not_at_all(app, ward, personas, count,
                                                                        monkeypatch) -> None:
    """A crash after the alert and its messages are written, before the commit, leaves nothing: no
    check-in whose alert was lost, so the client's retry raises it."""
    real = clinical.raise_triage

    def crash_after_writing(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise RuntimeError("the process died here")

    monkeypatch.setattr(clinical, "raise_triage", crash_after_writing)
    headers = {**personas["own"], "Idempotency-Key": "seizure-1"}
    body = {"recorded_at": NOW.isoformat(), "symptoms": {"seizure": 1}}
    with freeze_time(NOW):
        crashed = app.test_client().post(path(ward), headers=headers, json=body)

    assert crashed.status_code == 500
    assert (count(CheckIn), count(Alert), count(Notification)) == (0, 0, 0)

    monkeypatch.setattr(clinical, "raise_triage", real)
    with freeze_time(NOW):
        retry = app.test_client().post(path(ward), headers=headers, json=body)
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    (stored,) = read(get_db(app), select(CheckIn))
    (alert,) = read(get_db(app), select(Alert))
    assert retry.json["alert_id"] == stored.alert_id == alert.id
    assert count(Notification) > 0


def test_a_back_dated_checkin_is_judged_against_the_one_before_it_in_time(app, ward, personas, count) -> None:
    """Recorded before the patient's latest two (an app syncing late): triaged against its own
    predecessor, not against the latest check-ins."""
    db = get_db(app)
    store(db, ward, (NOW - timedelta(hours=4), {"spasms": 2}), (NOW - timedelta(hours=1), {"spasms": 6}),
          (NOW - timedelta(minutes=30), {"spasms": 6}))
    with freeze_time(NOW):
        response = app.test_client().post(path(ward), headers=personas["own"], json={
            "recorded_at": (NOW - timedelta(hours=2)).isoformat(), "symptoms": {"spasms": 6}})
    assert response.status_code == 201
    (alert,) = read(db, select(Alert))  # spasms 2 -> 6: worsening, though the latest two were 6 too
    assert alert.kind == "urgent" and response.json["alert_id"] == alert.id

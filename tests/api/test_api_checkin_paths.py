"""A check-in's two ways in: alone in one autocommit statement, or in a transaction with its alert.

On PostgreSQL a check-in that raises nothing is read, judged and stored in two statements outside a
transaction (``services.checkins.store_if_quiet``); anything else (an alert, a replay, a back-dated
check-in, a race) goes through ``record_checkin`` in one transaction, as every check-in does on
SQLite. These tests pin what a client relies on whichever way it went, on both databases: each
201 is stored exactly once, however many replays race; a check-in that raises an alert is never
stored without it; the rules judge it on the rows committed when it is stored.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import event, select

from alerts.app import get_db
from alerts.models import Alert, CheckIn, Notification
from alerts.services import checkins as checkin_service
from alerts.services import clinical
from tests.api.conftest import read
from tests.conftest import NOW

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Any) -> Flask:
    """The API on SQLite (the embedded default), then on PostgreSQL."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_app")
    from tests.conftest import _make_app
    from alerts.models import Base

    sqlite_app = _make_app(tmp_path, f"sqlite:///{tmp_path / 'test.sqlite3'}")
    Base.metadata.create_all(get_db(sqlite_app).engine)
    request.addfinalizer(get_db(sqlite_app).dispose)
    return sqlite_app


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


def test_an_everyday_checkin_is_two_statements_outside_a_transaction_on_postgres(
        app, ward, personas, count, frozen) -> None:
    db = get_db(app)
    if db.dialect != "postgresql":
        pytest.skip("SQLite runs every check-in in one local transaction: no round trips to save")
    seen: list[tuple[bool, str]] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append((conn.connection.dbapi_connection.autocommit, statement.split()[0]))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = app.test_client().post(path(ward), headers={**personas["own"], "Idempotency-Key": "k1"},
                                          json={"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 1}})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)

    assert response.status_code == 201 and response.json["alert_id"] is None
    assert seen == [(True, "SELECT"), (True, "INSERT")]
    (stored,) = read(db, select(CheckIn))
    assert (stored.id, stored.symptoms, stored.idempotency_key) == (response.json["id"], {"tremor": 1}, "k1")
    assert stored.request_hash is not None  # a replay with a changed body is still told apart


def test_the_rules_see_a_checkin_committed_between_the_read_and_the_insert(app, ward, personas, count,
                                                                         monkeypatch) -> None:
    """Spasms 6, as 2 hours ago, raise nothing; spasms 6 after spasms 2 are worsening (urgent). When
    the spasms-2 check-in commits after this one's read and before its insert, the insert must not
    go ahead on what it read: the check-in is judged again on the rows there are, and raises."""
    db = get_db(app)
    if db.dialect != "postgresql":
        pytest.skip("SQLite reads and inserts inside one write-locked transaction: nothing can commit between")
    store(db, ward, (NOW - timedelta(hours=2), {"spasms": 6}))
    real = checkin_service.first_look
    interleaved: list[bool] = []

    def another_checkin_commits(*args: Any, **kwargs: Any) -> Any:
        if not interleaved:
            interleaved.append(True)
            store(db, ward, (NOW - timedelta(hours=1), {"spasms": 2}))
        return real(*args, **kwargs)

    monkeypatch.setattr(checkin_service, "first_look", another_checkin_commits)
    with freeze_time(NOW):
        response = app.test_client().post(path(ward), headers=personas["own"],
                                          json={"recorded_at": NOW.isoformat(), "symptoms": {"spasms": 6}})

    assert response.status_code == 201
    assert response.json["alert_id"] is not None
    (alert,) = read(db, select(Alert))
    assert alert.kind == "urgent" and response.json["alert_id"] == alert.id
    assert count(CheckIn) == 3
    assert interleaved == [True]


def test_an_everyday_checkin_after_a_steady_one_raises_nothing(app, ward, personas, count) -> None:
    """The control for the test above: without the interleaved check-in the same request raises
    nothing (on PostgreSQL, by the statement that stores it alone)."""
    db = get_db(app)
    store(db, ward, (NOW - timedelta(hours=2), {"spasms": 6}))
    with freeze_time(NOW):
        response = app.test_client().post(path(ward), headers=personas["own"],
                                          json={"recorded_at": NOW.isoformat(), "symptoms": {"spasms": 6}})
    assert response.status_code == 201 and response.json["alert_id"] is None
    assert (count(CheckIn), count(Alert)) == (2, 0)


def test_a_back_dated_checkin_is_judged_against_the_one_before_it_in_time(app, ward, personas, count) -> None:
    """The read that rides with the token holds the latest check-ins; one recorded before them is
    triaged against its own predecessor, by the transaction's read."""
    db = get_db(app)
    store(db, ward, (NOW - timedelta(hours=4), {"spasms": 2}), (NOW - timedelta(hours=1), {"spasms": 6}),
          (NOW - timedelta(minutes=30), {"spasms": 6}))
    with freeze_time(NOW):
        response = app.test_client().post(path(ward), headers=personas["own"], json={
            "recorded_at": (NOW - timedelta(hours=2)).isoformat(), "symptoms": {"spasms": 6}})
    assert response.status_code == 201
    (alert,) = read(db, select(Alert))  # spasms 2 -> 6: worsening, though the latest two were 6 too
    assert alert.kind == "urgent" and response.json["alert_id"] == alert.id

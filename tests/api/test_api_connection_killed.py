"""A PostgreSQL connection killed under an ingest request: 503 problem+json with Retry-After, nothing
stored, and the same request sent again is stored once.

The connection is really ended (``pg_terminate_backend``, as a failover, an administrator or the
OOM killer ends it) at three moments: as the request takes it from the pool (its first statement
fails: for a check-in that is the statement run on psycopg's own cursor), in the middle of a
readings batch's COPY (also psycopg's own), and just before the commit (everything written, nothing
kept). Every ingest route is asked: check-ins, doses, readings, device events, and Twilio's inbound
SMS webhook. A raw driver error escaping a path would be a 500 with a stack trace in the log; a
half-kept request would show as rows after the 503.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, event, text
from werkzeug.test import TestResponse

from alerts.app import get_db
from alerts.models import CheckIn, DeviceEvent, DoseEvent, InboundMessage, Reading
from alerts.services import wearables
from tests.api.conftest import Ward
from tests.conftest import NOW, _make_app
from tests.support.schema import empty_postgres
from tests.twilio.conftest import PUBLIC_BASE_URL, TWILIO_CONFIG, sign

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


@pytest.fixture
def app(tmp_path, pg_url: str) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app on PostgreSQL, knowing Twilio's auth token (for the SMS webhook)."""
    app = _make_app(tmp_path, pg_url, **TWILIO_CONFIG)
    empty_postgres(get_db(app).engine)
    yield app
    get_db(app).dispose()


@pytest.fixture
def admin(pg_url: str) -> Iterator[Engine]:
    """A connection of the test's own, outside the app's pool, to end the app's connections with."""
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def terminate(admin: Engine, pid: int) -> None:
    with admin.connect() as conn:
        # The timeout makes it wait until the backend is gone, so the app's next round trip fails.
        ended = conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar_one()
    assert ended, f"backend {pid} was not terminated"


@dataclass
class Killer:
    """Ends the app's database connection once, at the moment chosen."""

    killed: int = 0


@pytest.fixture
def kill(app: Flask, admin: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Killer]]:
    engine = get_db(app).engine
    listeners: list[tuple[Any, str, Any]] = []

    def arm(moment: str) -> Killer:
        killer = Killer()

        def once(dbapi_connection: Any) -> None:
            if not killer.killed:
                killer.killed = dbapi_connection.info.backend_pid
                terminate(admin, killer.killed)

        if moment == "checkout":  # after the pool's own checks: the request gets a dead connection
            def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
                once(dbapi_connection)
            listeners.append((engine.pool, "checkout", on_checkout))
        elif moment == "commit":  # every statement ran; the COMMIT is what fails
            def on_commit(conn: Any) -> None:
                once(conn.connection.dbapi_connection)
            listeners.append((engine, "commit", on_commit))
        elif moment == "copy":  # the readings' COPY, on psycopg's own cursor
            copy = wearables._copy

            def killing_copy(cur: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
                once(cur.connection)
                copy(cur, table, rows)
            monkeypatch.setattr(wearables, "_copy", killing_copy)
        for target, name, fn in listeners:
            event.listen(target, name, fn)
        return killer

    yield arm
    for target, name, fn in listeners:
        event.remove(target, name, fn)


# -- the routes ------------------------------------------------------------------------------------


def _sms(client: FlaskClient, ward: Ward) -> TestResponse:
    params = {"MessageSid": "SM" + "5" * 32, "AccountSid": TWILIO_CONFIG["TWILIO_ACCOUNT_SID"],
              "From": ward.patient.phone, "To": TWILIO_CONFIG["TWILIO_FROM_NUMBER"], "Body": "taken"}
    return client.post("/twilio/sms", data=params,
                       headers={"X-Twilio-Signature": sign(PUBLIC_BASE_URL + "/twilio/sms", params)})


# route: (send the request once, the model whose rows it stores, rows stored by one success, status)
ROUTES: dict[str, tuple[Callable[[FlaskClient, Ward, dict[str, dict[str, str]], dict[str, str]], TestResponse],
                        type, int, int]] = {
    "checkin": (lambda c, w, p, d: c.post(
        f"/v1/patients/{w.patient.id}/checkins", headers={**p["own"], "Idempotency-Key": "killed-1"},
        json={"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 1}}), CheckIn, 1, 201),
    "dose": (lambda c, w, p, d: c.post(
        f"/v1/patients/{w.patient.id}/doses", headers={**p["own"], "Idempotency-Key": "killed-2"},
        json={"taken_at": NOW.isoformat()}), DoseEvent, 1, 201),
    "readings": (lambda c, w, p, d: c.post(
        f"/v1/patients/{w.patient.id}/readings", headers=d,
        json={"readings": [{"kind": "heart_rate", "value": 72, "unit": "/min", "device_id": "wrist-1",
                            "measured_at": (NOW - timedelta(seconds=3 - i)).isoformat()} for i in range(3)]}),
                 Reading, 3, 201),
    "device event": (lambda c, w, p, d: c.post(
        f"/v1/patients/{w.patient.id}/device-events", headers=d,
        json={"kind": "fall", "occurred_at": NOW.isoformat(), "device_id": "watch-1", "event_id": "killed-3"}),
                     DeviceEvent, 1, 201),
    "twilio sms": (lambda c, w, p, d: _sms(c, w), InboundMessage, 1, 200),
}


def assert_retry_later(response: TestResponse) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    assert response.json is not None
    assert response.json["status"] == 503 and response.json["title"] == "Service Unavailable"
    assert "nothing was stored" in response.json["detail"]
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize("moment", ["checkout", "commit"])
@pytest.mark.parametrize("route", list(ROUTES))
def test_a_connection_killed_under_an_ingest_request_is_a_503_that_stored_nothing_and_the_retry_stores_it_once(
        client: FlaskClient, kill, ward: Ward, personas, device_token, count, frozen, route: str, moment: str,
        caplog: pytest.LogCaptureFixture) -> None:
    send, model, stored, ok = ROUTES[route]
    killer = kill(moment)

    response = send(client, ward, personas, device_token)

    assert killer.killed, "the connection was never killed: the test did not test anything"
    assert_retry_later(response)
    assert count(model) == 0
    assert not [r for r in caplog.records if r.levelname == "ERROR" and "unhandled error" in r.getMessage()]
    retried = send(client, ward, personas, device_token)
    assert retried.status_code == ok, retried.get_data(as_text=True)
    assert count(model) == stored


def test_a_connection_killed_in_the_middle_of_a_readings_copy_is_a_503_and_the_batch_is_stored_on_retry(
        client: FlaskClient, kill, ward: Ward, personas, device_token, count, frozen) -> None:
    send, _, stored, ok = ROUTES["readings"]
    killer = kill("copy")

    response = send(client, ward, personas, device_token)

    assert killer.killed
    assert_retry_later(response)
    assert count(Reading) == 0
    assert send(client, ward, personas, device_token).status_code == ok
    assert count(Reading) == stored

"""PostgreSQL down, silent or slow: the API answers 503 problem+json with Retry-After, quickly.

The database is reached through a loopback proxy the test breaks (``tests/support/tcp_proxy.py``),
so the machine's PostgreSQL is never stopped. Timeouts are set short here; production's defaults
(``DATABASE_CONNECT_TIMEOUT_SECONDS``, ``DATABASE_STATEMENT_TIMEOUT_SECONDS``) are 5 s and 15 s,
both under gunicorn's 30 s worker timeout.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from alerts.app import get_db
from alerts.config import ConfigError, load_settings
from alerts.models import CheckIn, DoseEvent
from tests.api.conftest import Ward
from tests.conftest import NOW, _make_app
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
TIMEOUTS = {"DATABASE_CONNECT_TIMEOUT_SECONDS": 1, "DATABASE_STATEMENT_TIMEOUT_SECONDS": 1}


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    # The factories and ``count`` use the database directly; the app under test goes through the proxy.
    return pg_app


@pytest.fixture
def proxy(pg_url: str) -> Iterator[TcpProxy]:
    url = make_url(pg_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.stop()


def app_at(tmp_path, pg_url: str, port: int) -> Flask:  # type: ignore[no-untyped-def]
    url = make_url(pg_url).set(host="127.0.0.1", port=port)
    return _make_app(tmp_path, url.render_as_string(hide_password=False), **TIMEOUTS)


def assert_unavailable(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    assert response.json["status"] == 503
    assert int(response.headers["Retry-After"]) > 0


def test_while_the_database_is_down_every_request_is_a_503_and_the_api_recovers_when_it_is_back(
        tmp_path, pg_url, proxy, ward: Ward, personas, count, frozen) -> None:
    proxy.start("up")
    client = app_at(tmp_path, pg_url, proxy.port).test_client()
    alerts = f"/v1/patients/{ward.patient.id}/alerts"
    assert client.get(alerts, headers=personas["own"]).status_code == 200  # a pooled connection now exists

    checkins = f"/v1/patients/{ward.patient.id}/checkins"
    everyday = {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 1}}

    proxy.set_mode("down")
    # First, on the pooled connection (the check-in's statement runs on the driver's cursor): a
    # 503, and once the database is back the retry with the same key stores it, once.
    checkin = client.post(checkins, headers={**personas["own"], "Idempotency-Key": "down"}, json=everyday)
    listed = client.get(alerts, headers=personas["own"])
    dose = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=personas["own"],
                       json={"taken_at": NOW.isoformat()})
    health = client.get("/healthz")
    proxy.set_mode("up")
    again = client.get(alerts, headers=personas["own"])
    retried = client.post(checkins, headers={**personas["own"], "Idempotency-Key": "down"}, json=everyday)

    for response in (checkin, listed, dose, health):
        assert_unavailable(response)
    assert again.status_code == 200
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert count(DoseEvent) == 0 and count(CheckIn) == 1


def test_nothing_listening_on_the_database_port_is_a_503_at_once(tmp_path, pg_url, ward: Ward, personas) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    client = app_at(tmp_path, pg_url, port).test_client()

    started = time.monotonic()
    response = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=personas["own"])

    assert_unavailable(response)
    assert time.monotonic() - started < 3


def test_a_database_that_accepts_and_never_answers_is_a_503_within_the_connect_timeout(
        tmp_path, pg_url, proxy, ward: Ward, personas) -> None:
    proxy.start("silent")
    client = app_at(tmp_path, pg_url, proxy.port).test_client()

    started = time.monotonic()
    response = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=personas["own"])
    elapsed = time.monotonic() - started

    assert_unavailable(response)
    assert elapsed < 6, f"held the request {elapsed:.1f} s with a 1 s connect timeout"


@pytest.mark.parametrize("table", ["alert", "checkin"])
def test_a_statement_stuck_behind_a_lock_is_cancelled_by_the_statement_timeout(
        tmp_path, pg_url, ward: Ward, personas, db, table) -> None:
    """Another transaction holds a table's lock: the request gives up after the statement timeout
    (1 s here) with a 503 instead of waiting for as long as the lock is held. Reading Rosa's
    alerts, and posting her check-in, whose statement runs on the driver's cursor: its error must
    still reach the handlers as SQLAlchemy's (a 503, not a 500)."""
    app = _make_app(tmp_path, pg_url, **TIMEOUTS)
    client = app.test_client()
    holder = db.engine.connect()
    # Without a statement timeout the request would wait as long as the lock is held: the server
    # ends the holder after 8 s, so such a request returns (late, and the test fails) instead of hanging.
    holder.execute(text("SET idle_in_transaction_session_timeout = '8s'"))
    holder.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
    started = time.monotonic()
    if table == "alert":
        response = client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=personas["own"])
    else:
        response = client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=personas["own"],
                               json={"recorded_at": datetime.now(UTC).isoformat(), "symptoms": {"tremor": 1}})
    elapsed = time.monotonic() - started
    try:
        holder.rollback()
    finally:
        holder.invalidate()
        holder.close()
        get_db(app).dispose()

    assert_unavailable(response)
    assert 0.9 < elapsed < 5


@pytest.mark.parametrize("name", ["DATABASE_CONNECT_TIMEOUT_SECONDS", "DATABASE_STATEMENT_TIMEOUT_SECONDS"])
def test_database_timeouts_are_read_from_the_environment_and_a_negative_one_is_refused(name: str) -> None:
    assert getattr(load_settings(env={name: "2.5"}), name) == 2.5
    with pytest.raises(ConfigError, match=name):
        load_settings(env={name: "-1"})

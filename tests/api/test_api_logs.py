"""No personal data in logs: phone numbers, message bodies and tokens stay out of every log line,
also (above all) when a request fails.

A failed statement's error carries its parameters (SQLAlchemy prints them unless told not to) and
PostgreSQL's own message may quote a value; Flask logs the exception with both. The Twilio SDK logs
the query string of every API call at INFO, and a message look-up's query is the recipient's number.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, text

from alerts.models import InboundMessage
from alerts.notify.base import OutgoingMessage
from alerts.notify.twilio import TwilioNotifier
from alerts.services import admin as admin_service
from tests.api.conftest import Ward
from tests.conftest import NOW, _make_app
from tests.twilio.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, PUBLIC_BASE_URL, sign

pytestmark = pytest.mark.integration

PHONE = "+14155550199"
BODY = "my legs are jerking and Ana is scared"


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    return pg_app


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged, as a handler would write it (messages, arguments, tracebacks)."""
    return caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)


def test_a_failing_statement_with_a_phone_number_logs_neither_the_number_nor_the_database_message(
        client, ward: Ward, personas, monkeypatch, caplog) -> None:
    def broken_add_caregiver(session: Any, patient: Any, data: Any) -> Any:
        # A bug reaching the database with a caregiver's number as a parameter; PostgreSQL's error
        # quotes the value itself ('invalid input syntax for type integer: "+1415..."').
        session.execute(text("SELECT CAST(:phone AS integer)"), {"phone": data.phone})

    monkeypatch.setattr(admin_service, "add_caregiver", broken_add_caregiver)
    caplog.set_level(logging.DEBUG)

    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=personas["admin"],
                           json={"name": "Cy", "phone": PHONE})

    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert PHONE not in response.get_data(as_text=True)
    text_logged = logged(caplog)
    assert "DataError" in text_logged and "SELECT CAST" in text_logged  # the log still says what failed
    assert PHONE not in text_logged and PHONE.removeprefix("+") not in text_logged


def test_an_inbound_sms_that_fails_to_store_logs_neither_its_sender_nor_its_body(
        tmp_path, pg_url, monkeypatch, caplog) -> None:
    app = _make_app(tmp_path, pg_url, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_ACCOUNT_SID=ACCOUNT_SID,
                    TWILIO_FROM_NUMBER=FROM_NUMBER, PUBLIC_BASE_URL=PUBLIC_BASE_URL)

    def broken_handle_sms(session: Any, *, message_sid: str, from_number: str, body: str, **_: Any) -> Any:
        # The sender three times over does not fit from_number (20 characters): PostgreSQL refuses.
        session.execute(insert(InboundMessage).values(message_sid=message_sid, from_number=from_number * 3,
                                                      body=body, received_at=NOW))

    monkeypatch.setattr("alerts.api.twilio_webhooks.handle_sms", broken_handle_sms)
    caplog.set_level(logging.DEBUG)
    params = {"MessageSid": "SM" + "1" * 32, "From": PHONE, "To": FROM_NUMBER, "Body": BODY}

    response = app.test_client().post("/twilio/sms", data=params, headers={
        "X-Twilio-Signature": sign(PUBLIC_BASE_URL + "/twilio/sms", params)})

    assert response.status_code == 500
    text_logged = logged(caplog)
    assert "inbound_message" in text_logged
    assert PHONE not in text_logged and BODY not in text_logged and "jerking" not in text_logged


def test_a_request_refused_because_the_database_is_slow_logs_no_token_or_token_hash(
        tmp_path, pg_url, ward: Ward, personas, db, caplog) -> None:
    from alerts.services.tokens import hash_token

    secret = personas["own"]["Authorization"].removeprefix("Bearer ")
    app = _make_app(tmp_path, pg_url, DATABASE_STATEMENT_TIMEOUT_SECONDS=0.5)
    holder = db.engine.connect()
    holder.execute(text("SET idle_in_transaction_session_timeout = '8s'"))
    holder.execute(text("LOCK TABLE api_token IN ACCESS EXCLUSIVE MODE"))  # the token look-up waits
    caplog.set_level(logging.DEBUG)
    try:
        response = app.test_client().get(f"/v1/patients/{ward.patient.id}/alerts", headers=personas["own"])
    finally:
        holder.invalidate()
        holder.close()

    assert response.status_code == 503
    text_logged = logged(caplog)
    assert "api_token" in text_logged  # the statement is named ...
    assert secret not in text_logged and hash_token(secret) not in text_logged  # ... its values are not


def test_the_twilio_sdk_does_not_log_the_numbers_it_texts_or_looks_up(twilio_mock_url: str, caplog) -> None:
    notifier = TwilioNotifier(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base_url=twilio_mock_url, timeout=5)
    caplog.set_level(logging.DEBUG)
    message = OutgoingMessage(notification_id=1, to=PHONE, channel="sms", body=BODY,
                              status_callback=PUBLIC_BASE_URL + "/twilio/status")

    notifier.send(message)
    notifier.find_sent(message, NOW)

    text_logged = logged(caplog)
    assert PHONE not in text_logged and PHONE.replace("+", "%2B") not in text_logged
    assert BODY not in text_logged

"""End to end through the outbox: a missed dose escalates, and the worker's sender delivers each
message through the Twilio SDK to the Twilio mock, recording the SID Twilio gave it."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.app import get_db
from alerts.models import OptOut
from alerts.notify import make_notifier
from alerts.notify.twilio import TwilioNotifier
from alerts.services.sender import deliver_due
from alerts.services.tick import run_tick
from tests.services.support import MINUTE, Ward, notifications, read
from tests.twilio.conftest import PUBLIC_BASE_URL, form_of, record_requests
from tests.support.settings import SEND, TICK
from workers.dispatch import callback_urls

pytestmark = pytest.mark.integration


@pytest.fixture
def app(mock_app: Flask) -> Flask:
    """The app configured to send through Twilio, whose API is the mock."""
    return mock_app


def test_missed_dose_escalation_is_sent_through_twilio_with_sids_and_status_callbacks(
        app: Flask, session: Session, ward: Ward) -> None:
    now = ward.t0 + 10 * MINUTE
    sessions = get_db(app).sessionmaker
    run_tick(sessions, ward.t0, **TICK)
    run_tick(sessions, now, **TICK)  # Rosa reminded, then Ann told
    session.commit()

    notifier = make_notifier(app.config)
    assert isinstance(notifier, TwilioNotifier)
    sent = record_requests(notifier)
    status_url, voice_url = callback_urls(app)
    report = deliver_due(sessions, notifier, lambda: now, callback_url=status_url, voice_url=voice_url, **SEND)

    assert (report.sent, report.failed, report.retried) == (2, 0, 0)
    rows = notifications(session)
    assert [(r.to_number, r.status) for r in rows] == [(ward.patient.phone, "sent"), (ward.ann.phone, "sent")]
    assert all(r.provider_sid and r.provider_sid.startswith("SM") for r in rows)
    assert all(r.sent_at == now and r.attempts == 1 for r in rows)
    forms = [form_of(r) for r in sent]
    assert [(f["To"], f["Body"]) for f in forms] == [(r.to_number, r.body) for r in rows]
    assert [f["StatusCallback"] for f in forms] == [f"{PUBLIC_BASE_URL}/twilio/status?n={r.id}" for r in rows]


def test_unsubscribed_caregiver_fails_permanently_and_is_not_retried(
        app: Flask, session: Session, ward: Ward) -> None:
    sessions = get_db(app).sessionmaker
    run_tick(sessions, ward.t0, **TICK)
    session.commit()
    notifier = make_notifier(app.config)
    notifier.http_client.session.headers["Prefer"] = "code=400, example=unsubscribed"  # type: ignore[attr-defined]

    report = deliver_due(sessions, notifier, lambda: ward.t0, **SEND)

    assert (report.sent, report.retried) == (0, 0)
    row = notifications(session)[0]
    assert (row.to_number, row.status, row.error_code, row.provider_sid) == (ward.patient.phone, "failed", 21610, None)
    # Twilio says the number replied STOP: our opt-out list agrees from now on.
    assert ward.patient.phone in [o.phone for o in read(session, select(OptOut)) if o.active]


def test_rate_limited_send_is_queued_again_for_later(app: Flask, session: Session, ward: Ward) -> None:
    sessions = get_db(app).sessionmaker
    run_tick(sessions, ward.t0, **TICK)
    session.commit()
    notifier = make_notifier(app.config)
    notifier.http_client.session.headers["Prefer"] = "code=429"  # type: ignore[attr-defined]

    report = deliver_due(sessions, notifier, lambda: ward.t0, **SEND)

    assert report.retried == 1
    [row] = notifications(session)
    assert (row.status, row.error_code, row.attempts) == ("queued", 20429, 1)
    assert row.next_attempt_at > ward.t0

"""Each way a message can fail to reach someone, end to end: signed webhooks in, the outbox sending
through the Twilio SDK to the Twilio mock (``Prefer: code=...`` makes it answer an error), and every
path ending with a human reached (the next channel or the next caregiver) or the care team told.

The cast: Rosa (patient, dose 14:00 New York), Ann (caregiver 1), Bob (caregiver 2); the escalation
steps every 10 minutes. Assertions read what left the process: the requests the mock received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
import requests
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from werkzeug.test import TestResponse

from alerts.app import get_db
from alerts.domain.escalation import Recipient
from alerts.models import OptOut
from alerts.notify.twilio import TwilioNotifier
from alerts.services.outbox import Message, queue_messages
from alerts.services.sender import DeliveryReport, deliver_due
from tests.services.support import MINUTE, Outgoing, Ward, notifications, only_alert, outbox, read
from tests.twilio.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER
from tests.twilio.test_twilio_webhooks import tick
from tests.support.settings import SEND
from workers.dispatch import callback_urls

pytestmark = pytest.mark.integration
Post = Callable[..., TestResponse]


@dataclass
class Sent:
    method: str
    path: str
    to: str | None


class TwilioAnswers(TwilioHttpClient):
    """The SDK's HTTP client, asking the Twilio mock for chosen answers.

    ``errors[number]``: ``Prefer`` values, one per request to that number, then the mock's success.
    ``lost``: numbers whose send reaches the mock but whose answer never comes back (a read
    timeout after the request was written). ``lookup``: the ``Prefer`` value for message look-ups.
    """

    def __init__(self) -> None:
        super().__init__(timeout=10)
        self.errors: dict[str, list[str]] = {}
        self.lost: set[str] = set()
        self.lookup: str | None = None
        self.seen: list[Sent] = []

    def request(self, method: str, url: str, params: dict[str, object] | None = None,  # type: ignore[override]
                data: dict[str, object] | None = None, headers: dict[str, str] | None = None,
                **kw: object) -> Response:
        to = str((data or {}).get("To")) if data and "To" in data else None
        headers = dict(headers or {})
        if method == "POST" and to in self.errors and self.errors[to]:
            headers["Prefer"] = self.errors[to].pop(0)
        if method == "GET" and self.lookup:
            headers["Prefer"] = self.lookup
        self.seen.append(Sent(method, url.split("/Accounts/")[-1].split("/", 1)[-1], to))
        response = super().request(method, url, params=params, data=data, headers=headers, **kw)  # type: ignore[arg-type]
        if method == "POST" and to in self.lost:
            raise requests.ReadTimeout("the request reached Twilio; its answer was lost")
        return response

    def posts_to(self, number: str) -> list[str]:
        """What was sent to ``number``: "sms" or "call", in order."""
        return ["call" if s.path.startswith("Calls") else "sms" for s in self.seen if s.method == "POST" and s.to == number]


@pytest.fixture
def app(mock_app: Flask) -> Flask:
    return mock_app


@dataclass
class Twilio:
    """The outbox's sender, pointed at the mock through :class:`TwilioAnswers`."""

    app: Flask
    http: TwilioAnswers = field(default_factory=TwilioAnswers)
    from_number: str = FROM_NUMBER

    def deliver(self, at: datetime, max_attempts: int = 8) -> DeliveryReport:
        notifier = TwilioNotifier(ACCOUNT_SID, AUTH_TOKEN, self.from_number,
                                  api_base_url=self.app.config["TWILIO_API_BASE_URL"], http_client=self.http,
                                  timeout=self.app.config["TWILIO_HTTP_TIMEOUT"])
        status_url, voice_url = callback_urls(self.app)
        return deliver_due(get_db(self.app).sessionmaker, notifier, lambda: at, max_attempts=max_attempts,
                           callback_url=status_url, voice_url=voice_url, batch_size=SEND["batch_size"], lease_seconds=SEND["lease_seconds"])


@pytest.fixture
def twilio(app: Flask) -> Twilio:
    return Twilio(app)


def ann_step(app: Flask, twilio: Twilio, ward: Ward) -> datetime:
    """Rosa reminded (delivered), then Ann's step run at T0+10. Returns T0+10."""
    tick(app, ward.t0)
    twilio.deliver(ward.t0)
    at = ward.t0 + 10 * MINUTE
    tick(app, at)
    return at


def bob_reached_at(app: Flask, twilio: Twilio, ward: Ward, session: Session, at: datetime) -> None:
    """The tick at ``at`` runs Bob's step, and his escalation text leaves for the mock."""
    tick(app, at)
    twilio.deliver(at)
    assert [o.status for o in outbox(session) if o.kind == "escalation" and o.recipient == "Bob"] == ["sent"]
    assert "sms" in twilio.http.posts_to(ward.bob.phone)


def status_callback(twilio_post: Post, row_id: int, sid: str, status: str, error_code: str = "", *,
                    call: bool = False) -> TestResponse:
    params = ({"CallSid": sid, "CallStatus": status} if call else {"MessageSid": sid, "MessageStatus": status})
    if error_code:
        params["ErrorCode"] = error_code
    # Signed for the URL we gave Twilio, query string included.
    response = twilio_post(f"/twilio/status?n={row_id}", {"AccountSid": ACCOUNT_SID, **params})
    assert response.status_code == 204, response.get_data(as_text=True)
    return response


def test_stop_by_sms_skips_that_caregiver_and_reaches_the_next_one_at_once(
        app: Flask, session: Session, ward: Ward, sms: Post, twilio: Twilio) -> None:
    with freeze_time(ward.t0 - MINUTE):
        assert sms(ward.ann.phone, "STOP").status_code == 200
    at = ann_step(app, twilio, ward)
    twilio.deliver(at)

    assert twilio.http.posts_to(ward.ann.phone) == []
    assert [o for o in outbox(session) if o.kind == "unreachable"] == [Outgoing("unreachable", None, "Bob", "sent")]
    bob_reached_at(app, twilio, ward, session, at)


def test_twilio_unsubscribed_error_records_the_opt_out_tells_bob_and_moves_on(
        app: Flask, session: Session, ward: Ward, twilio: Twilio) -> None:
    twilio.http.errors[ward.ann.phone] = ["code=400, example=unsubscribed"]
    at = ann_step(app, twilio, ward)
    twilio.deliver(at)

    [ann_text] = [n for n in notifications(session) if n.to_number == ward.ann.phone]
    assert (ann_text.status, ann_text.error_code) == ("failed", 21610)
    assert [o.phone for o in read(session, select(OptOut))] == [ward.ann.phone]
    assert twilio.http.posts_to(ward.ann.phone) == ["sms"]  # and no call: she unsubscribed
    bob_reached_at(app, twilio, ward, session, at)


def test_invalid_number_tells_the_team_and_moves_on_without_a_call(
        app: Flask, session: Session, ward: Ward, twilio: Twilio) -> None:
    twilio.http.errors[ward.ann.phone] = ["code=400"]  # 21211, invalid 'To'
    at = ann_step(app, twilio, ward)
    twilio.deliver(at)

    assert twilio.http.posts_to(ward.ann.phone) == ["sms"]
    [notice] = [n for n in notifications(session) if n.kind == "unreachable"]
    assert (notice.to_number, notice.status) == (ward.bob.phone, "sent")
    assert notice.body.startswith(f"dosewatch: we could not reach Ann at {ward.ann.phone} about Rosa")
    bob_reached_at(app, twilio, ward, session, at)


def test_server_errors_are_retried_with_backoff_and_then_get_through(
        app: Flask, session: Session, ward: Ward, twilio: Twilio) -> None:
    twilio.http.errors[ward.ann.phone] = ["code=500", "code=503"]
    at = ann_step(app, twilio, ward)
    for minute in range(3):  # each backoff (5 s, 10 s; jitter) has passed a minute later
        twilio.deliver(at + minute * MINUTE)

    [ann_text] = [n for n in notifications(session) if n.to_number == ward.ann.phone]
    assert (ann_text.status, ann_text.attempts) == ("sent", 3)
    assert twilio.http.posts_to(ward.ann.phone) == ["sms", "sms", "sms"]
    assert [n.kind for n in notifications(session)].count("unreachable") == 0


def test_rate_limiting_that_never_ends_gives_up_after_the_attempts_and_tells_the_team(
        app: Flask, session: Session, ward: Ward, twilio: Twilio) -> None:
    twilio.http.errors[ward.ann.phone] = ["code=429"] * 3
    at = ann_step(app, twilio, ward)
    for minute in range(3):
        twilio.deliver(at + minute * MINUTE, max_attempts=3)

    [ann_text] = [n for n in notifications(session) if n.to_number == ward.ann.phone and n.channel == "sms"]
    assert (ann_text.status, ann_text.attempts, ann_text.error_code) == ("failed", 3, 20429)
    # A rate limit says nothing about her number: she is called instead, and Bob is told.
    assert twilio.http.posts_to(ward.ann.phone) == ["sms", "sms", "sms", "call"]
    assert [o for o in outbox(session) if o.kind == "unreachable"] == [Outgoing("unreachable", None, "Bob", "sent")]


def test_undelivered_callback_calls_ann_then_her_unanswered_call_reaches_bob(
        app: Flask, session: Session, ward: Ward, twilio: Twilio, twilio_post: Post) -> None:
    at = ann_step(app, twilio, ward)
    twilio.deliver(at)
    [text] = [n for n in notifications(session) if n.to_number == ward.ann.phone]

    with freeze_time(at + MINUTE):
        status_callback(twilio_post, text.id, text.provider_sid or "", "undelivered", "30005")
        status_callback(twilio_post, text.id, text.provider_sid or "", "undelivered", "30005")  # Twilio's repeat
        status_callback(twilio_post, text.id, text.provider_sid or "", "sent")  # late and out of order
    twilio.deliver(at + MINUTE)
    assert twilio.http.posts_to(ward.ann.phone) == ["sms", "call"]
    [call] = [n for n in notifications(session) if n.channel == "voice"]
    assert (call.status, call.to_number) == ("sent", ward.ann.phone)

    with freeze_time(at + 2 * MINUTE):
        status_callback(twilio_post, call.id, call.provider_sid or "", "no-answer", call=True)
    bob_reached_at(app, twilio, ward, session, at + 2 * MINUTE)
    assert [n.status for n in notifications(session) if n.id == text.id] == ["undelivered"]
    assert [n.kind for n in notifications(session)].count("unreachable") == 1


def test_a_send_that_timed_out_is_looked_up_found_and_never_sent_twice(
        app: Flask, session: Session, ward: Ward) -> None:
    # The mock's message list holds one outbound text, "testing", from +12019235161 to +18182008801
    # at 2019-05-24 17:44:46 UTC: a send of exactly that, just before, is one it can find.
    twilio = Twilio(app, from_number="+12019235161")
    sent_at = datetime(2019, 5, 24, 17, 44, 40, tzinfo=UTC)
    to = Recipient("caregiver", ward.ann.id, "+18182008801", "Ann")
    queue_messages(session, ward.patient.id, None, [Message("test:lookup", to, "testing", "test")], sent_at)
    session.commit()
    twilio.http.lost.add("+18182008801")

    report = twilio.deliver(sent_at)
    twilio.deliver(sent_at + MINUTE)

    [row] = notifications(session)
    assert (report.sent, row.status, row.provider_sid) == (1, "sent", "SMded05904ccb347238880ca9264e8fe1c")
    assert [(s.method, s.path.split("?")[0]) for s in twilio.http.seen] == [
        ("POST", "Messages.json"), ("GET", "Messages.json")]  # one send, one look-up; nothing more


def test_a_send_that_timed_out_and_is_not_found_is_not_resent_and_the_next_caregiver_is_reached(
        app: Flask, session: Session, ward: Ward, twilio: Twilio, twilio_post: Post) -> None:
    twilio.http.lost.add(ward.ann.phone)
    twilio.http.lookup = "example=readEmptySentdateLess"
    at = ann_step(app, twilio, ward)
    twilio.deliver(at)

    [text] = [n for n in notifications(session) if n.to_number == ward.ann.phone]
    assert (text.status, text.provider_sid) == ("unknown", None)
    bob_reached_at(app, twilio, ward, session, at)
    assert twilio.http.posts_to(ward.ann.phone) == ["sms"]  # never re-sent

    # Twilio did have it after all: its callback, on the URL naming the row, tells us so.
    with freeze_time(at + MINUTE):
        status_callback(twilio_post, text.id, "SM" + "c" * 32, "delivered")
    [text] = [n for n in notifications(session) if n.id == text.id]
    assert (text.status, text.provider_sid) == ("delivered", "SM" + "c" * 32)
    assert only_alert(session, ward.patient).status == "open"


def test_a_call_whose_answer_was_lost_is_looked_up_and_found_not_dialled_again(
        app: Flask, session: Session, ward: Ward) -> None:
    # The mock's call list holds an outbound call from +13051416799 to +13051913581 created at
    # 2019-10-18 17:00 UTC (CAaaaa...).
    twilio = Twilio(app, from_number="+13051416799")
    dialled_at = datetime(2019, 10, 18, 16, 59, 50, tzinfo=UTC)
    to = Recipient("caregiver", ward.ann.id, "+13051913581", "Ann")
    queue_messages(session, ward.patient.id, None,
                   [Message("test:call-lookup", to, "Rosa needs you", "test", channel="voice")], dialled_at)
    session.commit()
    twilio.http.lost.add("+13051913581")

    twilio.deliver(dialled_at)
    twilio.deliver(dialled_at + MINUTE)

    [row] = notifications(session)
    assert (row.status, row.provider_sid) == ("sent", "CA" + "a" * 32)
    assert [(s.method, s.path.split("?")[0]) for s in twilio.http.seen] == [("POST", "Calls.json"), ("GET", "Calls.json")]

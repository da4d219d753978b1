"""Signed webhooks whose parameters PostgreSQL cannot store or compare: 4xx or handled, never a 500,
and nothing half-stored. (Signed is not well formed: the signature proves who sent a form, not
that its values fit our columns.) Runs on SQLite and PostgreSQL, like the other webhook tests.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from alerts.models import DoseEvent, InboundMessage
from tests.conftest import NOW
from tests.services.support import Ward, notifications, read
from tests.twilio.conftest import PUBLIC_BASE_URL, sign
from tests.twilio.test_twilio_webhooks import _sent_notification, _status

Post = Callable[..., TestResponse]
HUGE = [str(2**31), str(2**63), str(10**30)]


def test_a_nul_in_a_signed_sms_is_read_as_an_unreadable_character_and_the_dose_still_counts(
        session: Session, ward: Ward, sms: Post) -> None:
    # GSM-7 codes "@" as 0x00; a carrier that passes it on as NUL must not cost Rosa her reply.
    with freeze_time(ward.due):
        response = sms(ward.patient.phone, "taken\x00", sid="SM" + "a" * 32)

    assert response.status_code == 200 and response.mimetype == "text/xml"
    [stored] = read(session, select(InboundMessage))
    assert stored.body == "taken\ufffd"
    assert len(read(session, select(DoseEvent))) == 1


@pytest.mark.parametrize(("field", "value"), [("From", "+1415\x005550101"), ("MessageSid", "SM\x00" + "b" * 31),
                                              ("MessageSid", "SM" + "c" * 200), ("From", "+1" * 100)])
def test_a_signed_sms_with_an_unstorable_sender_or_sid_is_a_400_and_stores_nothing(
        session: Session, ward: Ward, twilio_post: Post, field: str, value: str) -> None:
    params = {"MessageSid": "SM" + "d" * 32, "From": ward.patient.phone, "To": "+15005550006", "Body": "taken",
              field: value}
    if field == "MessageSid":
        params["SmsSid"] = value

    with freeze_time(ward.due):
        response = twilio_post("/twilio/sms", params)

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert read(session, select(InboundMessage)) == [] and read(session, select(DoseEvent)) == []


@pytest.mark.parametrize("ident", HUGE)
def test_a_status_callback_for_a_notification_id_past_the_column_is_a_400(
        session: Session, ward: Ward, twilio_post: Post, ident: str) -> None:
    sid = "SM" + "e" * 32
    _sent_notification(session, ward, sid)
    with freeze_time(NOW):
        response = twilio_post(f"/twilio/status?n={ident}", {"MessageSid": sid, "MessageStatus": "delivered"})

    assert response.status_code == 400
    assert [n.status for n in notifications(session)] == ["sent"]


@pytest.mark.parametrize("code", [*HUGE, "30006\x00"])
def test_an_error_code_that_is_no_twilio_code_is_ignored_and_the_status_still_moves(
        session: Session, ward: Ward, twilio_post: Post, code: str) -> None:
    sid = "SM" + "f" * 32
    _sent_notification(session, ward, sid)

    response = _status(twilio_post, MessageSid=sid, MessageStatus="delivered", ErrorCode=code)

    assert response.status_code == 204
    [row] = notifications(session)
    assert (row.status, row.error_code) == ("delivered", None)


@pytest.mark.parametrize("ident", HUGE)
@pytest.mark.parametrize("suffix", ["", "/gather"])
def test_a_voice_webhook_for_a_notification_id_past_the_column_is_a_404(
        ward: Ward, twilio_post: Post, ident: str, suffix: str) -> None:
    response = twilio_post(f"/twilio/voice/{ident}{suffix}", {"Digits": "1"})

    assert response.status_code == 404


def test_an_unsigned_hostile_request_is_refused_before_it_is_read(ward: Ward, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/twilio/status?n={2**63}", data={"MessageSid": "x\x00"},
                           headers={"X-Twilio-Signature": sign(PUBLIC_BASE_URL + "/elsewhere", {})})

    assert response.status_code == 403

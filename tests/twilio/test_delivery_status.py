"""apply_status: the answer says whether a callback changed anything (repeats and regressions do not)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from alerts.models import Notification
from alerts.services.delivery_status import apply_status
from tests.conftest import NOW
from tests.services.support import MINUTE, Ward, notifications

SID = "SM" + "a1" * 16


@pytest.fixture
def sent(session: Session, ward: Ward) -> Notification:
    row = Notification(dedupe_key="test:status", patient_id=ward.patient.id, kind="escalation",
                       recipient_kind="caregiver", recipient_id=ward.ann.id, to_number=ward.ann.phone,
                       body="test", status="sent", provider_sid=SID, next_attempt_at=NOW, created_at=NOW)
    session.add(row)
    session.commit()
    return row


def apply(session: Session, status: str, error_code: int | None = None) -> bool:
    changed = apply_status(session, provider_sid=SID, status=status, error_code=error_code, now=NOW + MINUTE)
    session.commit()
    return changed


def test_a_repeated_status_is_a_no_op(session: Session, sent: Notification) -> None:
    assert apply(session, "sent") is False
    assert notifications(session)[0].updated_at is None


def test_a_later_status_applies_once(session: Session, sent: Notification) -> None:
    assert apply(session, "delivered") is True
    assert apply(session, "delivered") is False
    assert [(n.status, n.updated_at) for n in notifications(session)] == [("delivered", NOW + MINUTE)]


def test_an_earlier_status_after_a_final_one_is_ignored(session: Session, sent: Notification) -> None:
    apply(session, "failed", 30003)
    assert apply(session, "queued") is False
    assert apply(session, "delivered") is False
    assert [(n.status, n.error_code) for n in notifications(session)] == [("failed", 30003)]


def test_unknown_sids_and_statuses_change_nothing(session: Session, sent: Notification) -> None:
    stranger = "SM" + "0" * 32
    assert apply_status(session, provider_sid=stranger, status="delivered", error_code=None, now=NOW) is False
    assert apply(session, "teleported") is False
    assert [n.status for n in notifications(session)] == ["sent"]


def test_a_callback_that_overtakes_the_send_response_still_leaves_the_send_recorded(
        session: Session, ward: Ward, db) -> None:  # type: ignore[no-untyped-def]
    # Twilio's "delivered" (or "sent") callback can reach the webhook before the API call that sent
    # the message has returned to the worker: the callback names the row (?n=) and moves it on; the
    # worker's own record of the send (sent_at, attempts, its lease cleared) must still be kept, or
    # the per-recipient limit, which counts sent_at, never sees this message.
    from alerts.notify.base import SendResult
    from alerts.services.delivery_status import record_status
    from alerts.services.sender import deliver_due
    from tests.services.support import RecordingNotifier
    from tests.support.settings import SEND

    row = Notification(dedupe_key="test:race", patient_id=ward.patient.id, kind="escalation",
                       recipient_kind="caregiver", recipient_id=ward.ann.id, to_number=ward.ann.phone,
                       body="test", status="queued", next_attempt_at=NOW, created_at=NOW)
    session.add(row)
    session.commit()

    class CallbackFirst(RecordingNotifier):
        def send(self, message):  # type: ignore[no-untyped-def]
            result: SendResult = super().send(message)
            with db.sessionmaker.begin() as webhook:
                record_status(webhook, provider_sid=result.provider_sid, status="delivered", error_code=None,
                              now=NOW, notification_id=message.notification_id)
            return result

    deliver_due(db.sessionmaker, CallbackFirst(), lambda: NOW, **SEND)

    (stored,) = notifications(session)
    assert (stored.status, stored.sent_at, stored.attempts, stored.lease_until) == ("delivered", NOW, 1, None)

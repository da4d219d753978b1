"""The sender's per-recipient limit: no storm of texts to one phone, reminders coalesced, and
emergencies never held back. SQLite and PostgreSQL, through a recording notifier."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from alerts.domain.delivery import URGENT
from alerts.domain.escalation import Recipient
from alerts.domain.rate_limit import RateLimit
from alerts.services.inbound import handle_sms
from alerts.services.outbox import Message, queue_messages
from alerts.services.sender import deliver_due
from tests.services.support import MINUTE, RecordingNotifier, Ward, notifications
from tests.support.settings import POLICY, SEND, WINDOWS

LIMIT = RateLimit(count=3, window=timedelta(hours=1))


def queue(session: Session, ward: Ward, key: str, *, kind: str = "test", urgent: bool = False,
          to_patient: bool = False) -> None:
    person = ward.patient if to_patient else ward.ann
    recipient = Recipient("patient" if to_patient else "caregiver", person.id, person.phone or "", person.name)
    queue_messages(session, ward.patient.id, None,
                   [Message(key, recipient, f"message {key}", kind, urgent=urgent)], ward.t0)
    session.commit()


def test_a_fourth_non_urgent_text_in_the_hour_waits_until_the_first_leaves_the_window(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    for i in range(3):
        queue(session, ward, f"early:{i}")
        deliver_due(sessions, notifier, lambda i=i: ward.t0 + i * 10 * MINUTE, rate_limit=LIMIT, **SEND)  # type: ignore[misc]
    queue(session, ward, "fourth")
    report = deliver_due(sessions, notifier, lambda: ward.t0 + 30 * MINUTE, rate_limit=LIMIT, **SEND)

    fourth = notifications(session)[-1]
    assert (report.deferred, fourth.status, fourth.next_attempt_at) == (1, "queued", ward.t0 + 60 * MINUTE)
    assert "held back" in (fourth.last_error or "")
    assert deliver_due(sessions, notifier, lambda: ward.t0 + 59 * MINUTE, rate_limit=LIMIT, **SEND).sent == 0
    assert deliver_due(sessions, notifier, lambda: ward.t0 + 60 * MINUTE, rate_limit=LIMIT, **SEND).sent == 1
    assert [m.body for m in notifier.sent][-1] == "message fourth"


def test_after_more_sends_than_the_limit_a_text_waits_for_the_newest_ones_to_age_out(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    # Five went out before the limit was set (or while it was higher): a new one may go only when
    # fewer than three sent in the last hour remain, i.e. once the third newest (at +20 min) leaves.
    for i in range(5):
        queue(session, ward, f"before:{i}")
        deliver_due(sessions, notifier, lambda i=i: ward.t0 + i * 10 * MINUTE, **SEND)  # type: ignore[misc]
    queue(session, ward, "next")
    deliver_due(sessions, notifier, lambda: ward.t0 + 45 * MINUTE, rate_limit=LIMIT, **SEND)

    assert notifications(session)[-1].next_attempt_at == ward.t0 + 80 * MINUTE


def test_emergency_texts_are_never_held_back_by_the_limit(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    for i in range(3):
        queue(session, ward, f"chatter:{i}")
    for i in range(3):
        queue(session, ward, f"emergency:{i}", kind="emergency", urgent=True)
    report = deliver_due(sessions, notifier, lambda: ward.t0, rate_limit=LIMIT, **SEND)

    assert (report.sent, report.deferred) == (6, 0)


def test_urgent_texts_do_not_use_up_the_non_urgent_allowance(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    for i in range(3):
        queue(session, ward, f"emergency:{i}", kind="emergency", urgent=True)
    queue(session, ward, "all-clear", kind="all_clear")
    assert deliver_due(sessions, notifier, lambda: ward.t0, rate_limit=LIMIT, **SEND).sent == 4


def test_of_several_reminders_queued_for_one_phone_only_the_newest_goes_out(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    queue(session, ward, "reminder:1", kind="reminder", to_patient=True)
    queue(session, ward, "reminder:2", kind="reminder", to_patient=True)
    report = deliver_due(sessions, notifier, lambda: ward.t0, rate_limit=LIMIT, **SEND)

    assert (report.sent, report.cancelled) == (1, 1)
    assert [(n.dedupe_key, n.status) for n in notifications(session)] == [
        ("reminder:1", "cancelled"), ("reminder:2", "sent")]
    assert [m.body for m in notifier.sent] == ["message reminder:2"]


def test_without_a_limit_everything_goes(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    for i in range(5):
        queue(session, ward, f"m:{i}")
    assert deliver_due(sessions, notifier, lambda: ward.t0, **SEND).sent == 5


def test_a_withdrawal_risk_alert_is_never_held_back_by_the_limit(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    # Issue 10: a withdrawal-risk text waited up to an hour behind routine messages to the same
    # caregiver. The brief's two risks ask for a call to the prescriber today: they never wait.
    for i in range(3):
        queue(session, ward, f"routine:{i}")
    deliver_due(sessions, notifier, lambda: ward.t0, rate_limit=LIMIT, **SEND)
    handle_sms(session, message_sid="SM" + "1" * 32, from_number=ward.patient.phone or "", body="ran out of pills",
               now=ward.t0 + MINUTE, policy=POLICY, windows=WINDOWS)
    session.commit()
    report = deliver_due(sessions, notifier, lambda: ward.t0 + MINUTE, rate_limit=LIMIT, **SEND)

    risk = [n for n in notifications(session) if n.kind == "withdrawal_risk"]
    assert {n.to_number for n in risk} >= {ward.ann.phone}
    assert report.deferred == 0
    assert {n.status for n in risk} == {"sent"}
    assert {n.priority for n in risk} == {URGENT}

"""Delivering the outbox: at most once per row, re-checked just before sending, retried with backoff."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from alerts.domain.delivery import EMERGENCY, URGENT
from alerts.domain.escalation import Recipient
from alerts.notify.base import OutgoingMessage, SendResult, TransportError
from alerts.services.alerts import acknowledge
from alerts.services.doses import record_dose
from alerts.services.outbox import Message, queue_messages
from alerts.services.sender import DeliveryReport, _mark_attempt, claim_due, deliver_due, expire_stale_leases
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, SECOND, RecordingNotifier, Ward, notifications, only_alert
from tests.support.settings import POLICY, SEND, WINDOWS

Tick = Callable[..., TickReport]


def drain(sessions: sessionmaker[Session], notifier: RecordingNotifier, at: datetime, **kw: object) -> DeliveryReport:
    return deliver_due(sessions, notifier, lambda: at, **{**SEND, **kw})  # type: ignore[arg-type]


def test_delivered_rows_are_marked_sent_with_the_provider_sid(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    report = drain(sessions, notifier, ward.t0 + SECOND)
    (row,) = notifications(session)
    assert report.sent_ids == [row.id]
    assert [(m.to, m.body) for m in notifier.sent] == [(ward.patient.phone, row.body)]
    assert (row.status, row.provider_sid, row.attempts, row.sent_at) == (
        "sent", f"SM{row.id:032d}", 1, ward.t0 + SECOND)
    assert drain(sessions, notifier, ward.t0 + MINUTE).sent == 0  # nothing goes out twice


def test_escalation_queued_before_an_acknowledgement_is_cancelled_not_sent(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    drain(sessions, notifier, ward.t0 + 10 * MINUTE)  # patient and Ann have their messages
    tick(ward.t0 + 20 * MINUTE)  # Bob's escalation is queued ...
    acknowledge(session, only_alert(session, ward.patient), ward.ann, via="sms", now=ward.t0 + 20 * MINUTE)
    session.commit()  # ... and Ann acknowledges before the sender gets to it
    report = drain(sessions, notifier, ward.t0 + 20 * MINUTE + SECOND)

    bob_escalation = [n for n in notifications(session) if n.kind == "escalation" and n.to_number == ward.bob.phone]
    assert [(n.status, n.sent_at) for n in bob_escalation] == [("cancelled", None)]
    assert "acknowledged" in (bob_escalation[0].last_error or "")
    assert report.cancelled == 1
    assert [m.body for m in notifier.sent if m.to == ward.bob.phone] == [
        n.body for n in notifications(session) if n.kind == "all_clear" and n.to_number == ward.bob.phone]


def test_reminder_queued_before_a_late_dose_is_cancelled_not_sent(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    record_dose(session, ward.patient, taken_at=ward.t0, source="app", now=ward.t0, windows=WINDOWS, policy=POLICY)
    session.commit()
    report = drain(sessions, notifier, ward.t0 + SECOND)
    assert (report.sent, report.cancelled) == (0, 1)
    assert notifier.sent == []
    assert [n.status for n in notifications(session)] == ["cancelled"]


def test_transient_failure_is_retried_after_a_backoff(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures.append(TransportError("Too Many Requests", permanent=False, code=20429, status=429))
    report = drain(sessions, notifier, ward.t0)
    (row,) = notifications(session)
    assert (report.retried, row.status, row.attempts, row.error_code) == (1, "queued", 1, 20429)
    # First retry after 5 s with jitter in [50 %, 100 %].
    assert ward.t0 + timedelta(seconds=2.5) <= row.next_attempt_at <= ward.t0 + timedelta(seconds=5)

    assert drain(sessions, notifier, row.next_attempt_at - SECOND).sent == 0  # not before its time
    assert notifier.sent == []
    assert drain(sessions, notifier, row.next_attempt_at).sent == 1
    (row,) = notifications(session)
    assert (row.status, row.attempts, len(notifier.sent)) == ("sent", 2, 1)


def test_permanent_failure_is_marked_failed_and_never_retried(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures.append(TransportError("invalid 'To' number", permanent=True, code=21211, status=400))
    assert drain(sessions, notifier, ward.t0).failed == 1
    assert drain(sessions, notifier, ward.t0 + timedelta(hours=1)).sent == 0
    row, *team = notifications(session)
    assert (row.status, row.error_code, row.attempts) == ("failed", 21211, 1)
    assert ward.patient.phone not in [m.to for m in notifier.sent]
    # The care team is told the patient's number does not work (see test_unreachable_service.py).
    assert [(n.kind, n.to_number) for n in team] == [("unreachable", ward.ann.phone), ("unreachable", ward.bob.phone)]


def test_transient_failures_give_up_after_max_attempts(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures += [TransportError("503", permanent=False, code=20503, status=503) for _ in range(2)]
    drain(sessions, notifier, ward.t0, max_attempts=2)
    drain(sessions, notifier, ward.t0 + timedelta(minutes=10), max_attempts=2)
    row, *team = notifications(session)
    assert (row.status, row.attempts) == ("failed", 2)
    assert ward.patient.phone not in [m.to for m in notifier.sent]
    assert [n.kind for n in team] == ["unreachable", "unreachable"]


def test_ambiguous_failure_is_not_resent(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures.append(TransportError("read timeout", permanent=False, ambiguous=True))
    drain(sessions, notifier, ward.t0)
    drain(sessions, notifier, ward.t0 + timedelta(hours=1))
    (row,) = notifications(session)
    assert (row.status, notifier.sent) == ("unknown", [])


@dataclass
class SlowProvider(RecordingNotifier):
    """Twilio under load: every send times out on our side, yet the provider takes the message and
    records it only after a while (``records_after`` look-ups), or never (``takes=False``). The
    look-up fails outright while ``lookups_fail`` lasts."""

    takes: bool = True
    records_after: int = 1
    lookups_fail: int = 0
    provider: list[OutgoingMessage] = field(default_factory=list)
    looked_up: list[int] = field(default_factory=list)

    def send(self, message: OutgoingMessage) -> SendResult:
        with self._lock:
            self.sent.append(message)
        raise TransportError("read timeout", permanent=False, ambiguous=True)

    def find_sent(self, message: OutgoingMessage, since: datetime) -> SendResult | None:
        self.looked_up.append(message.notification_id)
        if self.lookups_fail:
            self.lookups_fail -= 1
            raise TransportError("look-up timed out", permanent=False, ambiguous=True)
        if len(self.looked_up) <= self.records_after or not self.takes:
            return None
        return SendResult(provider_sid=f"SM{message.notification_id:032d}", status="sent")


LEASE = timedelta(seconds=SEND["lease_seconds"])


def test_a_timed_out_send_not_found_at_once_is_found_a_lease_later_and_recorded_sent(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    slow = SlowProvider()
    drain(sessions, slow, ward.t0)
    (row, *_) = notifications(session)
    assert (row.status, row.recheck_at) == ("unknown", ward.t0 + LEASE)
    # Not found at once: the escalation moves on to Ann straight away (her step is due now), as before.
    assert only_alert(session, ward.patient).next_step_at == ward.t0

    drain(sessions, RecordingNotifier(), ward.t0 + MINUTE)  # the second look is not due yet
    report = drain(sessions, slow, ward.t0 + LEASE + SECOND)

    row = notifications(session)[0]
    assert report.settled == 1
    assert (row.status, row.provider_sid, row.sent_at, row.recheck_at) == ("sent", f"SM{row.id:032d}", ward.t0, None)
    assert [m.to for m in slow.sent].count(ward.patient.phone) == 1  # never sent again
    assert slow.looked_up == [row.id, row.id]


def test_a_timed_out_send_the_provider_never_took_stays_unknown_and_is_not_sent_again(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    slow = SlowProvider(takes=False)
    drain(sessions, slow, ward.t0)
    drain(sessions, slow, ward.t0 + LEASE + SECOND)
    drain(sessions, slow, ward.t0 + timedelta(hours=1))

    row = notifications(session)[0]
    assert (row.status, row.recheck_at) == ("unknown", None)
    assert row.last_error is not None and row.last_error.endswith("not at the provider a lease later: not sent")
    assert [m.to for m in slow.sent].count(ward.patient.phone) == 1
    assert slow.looked_up == [row.id, row.id]  # asked once more, then left


def test_a_second_look_that_fails_is_tried_again_later(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    slow = SlowProvider(records_after=0)
    slow.lookups_fail = 2  # the first look (straight after the timeout) and the second both fail
    drain(sessions, slow, ward.t0)
    drain(sessions, slow, ward.t0 + LEASE + SECOND)

    row = notifications(session)[0]
    assert row.status == "unknown" and row.recheck_at is not None and row.recheck_at > ward.t0 + LEASE + SECOND
    drain(sessions, slow, row.recheck_at)
    assert notifications(session)[0].status == "sent"


def test_a_notifier_that_cannot_look_up_plans_no_second_look(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures.append(TransportError("read timeout", permanent=False, ambiguous=True))
    drain(sessions, notifier, ward.t0)
    assert (notifications(session)[0].status, notifications(session)[0].recheck_at) == ("unknown", None)


def test_two_drains_racing_send_each_row_exactly_once(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    recipient = Recipient("caregiver", ward.ann.id, ward.ann.phone, "Ann")
    messages = [Message(dedupe_key=f"race:{i}", recipient=recipient, body=f"message {i}", kind="test")
                for i in range(240)]
    queue_messages(session, ward.patient.id, None, messages, ward.t0)
    session.commit()

    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []

    def drainer() -> None:
        start.wait()
        reports.append(drain(sessions, notifier, ward.t0, batch_size=7))

    threads = [threading.Thread(target=drainer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    sent_ids = Counter(m.notification_id for m in notifier.sent)
    assert len(sent_ids) == 240 and set(sent_ids.values()) == {1}
    assert sum(r.sent for r in reports) == 240
    assert {n.status for n in notifications(session)} == {"sent"}


# -- a worker killed mid-batch ----------------------------------------------------------------------


class WorkerKilled(BaseException):
    """Stands for kill -9 in the middle of a send: nothing after it in the worker runs."""


@dataclass
class DyingNotifier(RecordingNotifier):
    """Sends ``survive`` messages, then the worker dies during the next request: before the
    provider got it, or (``reached``) after the provider took it but before its answer came back."""

    survive: int = 3
    reached: bool = False

    def send(self, message: OutgoingMessage) -> SendResult:
        if len(self.sent) == self.survive:
            if self.reached:
                self.sent.append(message)
            raise WorkerKilled
        return super().send(message)


@dataclass
class LookingUpNotifier(RecordingNotifier):
    """A recording notifier that can also say whether the provider has a message (as Twilio's
    look-up does), from everything any notifier sharing ``provider`` was handed."""

    provider: list[OutgoingMessage] = field(default_factory=list)
    looked_up: list[int] = field(default_factory=list)

    def send(self, message: OutgoingMessage) -> SendResult:
        result = super().send(message)
        self.provider.append(message)
        return result

    def find_sent(self, message: OutgoingMessage, since: datetime) -> SendResult | None:
        self.looked_up.append(message.notification_id)
        for m in self.provider:
            if (m.to, m.body) == (message.to, message.body):
                return SendResult(provider_sid=f"SM{m.notification_id:032d}", status="sent")
        return None


def queue_many(session: Session, ward: Ward, count: int, **kw: object) -> None:
    recipient = Recipient("caregiver", ward.ann.id, ward.ann.phone, "Ann")
    queue_messages(session, ward.patient.id, None,
                   [Message(dedupe_key=f"batch:{i}", recipient=recipient, body=f"message {i}", kind="test", **kw)
                    for i in range(count)], ward.t0)  # type: ignore[arg-type]
    session.commit()


def kill_worker_mid_batch(sessions: sessionmaker[Session], at: datetime, dying: DyingNotifier) -> None:
    with pytest.raises(WorkerKilled):
        drain(sessions, dying, at, batch_size=20, send_threads=1)


def test_rows_a_killed_worker_claimed_but_never_handed_over_go_out_after_the_lease(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick) -> None:
    queue_many(session, ward, 20)
    dying = DyingNotifier(survive=3)
    kill_worker_mid_batch(sessions, ward.t0, dying)  # it had claimed all 20, sent 3, died on the 4th
    assert Counter(n.status for n in notifications(session)) == {"sent": 3, "sending": 17}

    assert tick(ward.t0 + 3 * MINUTE).stale_sends == 17  # the 120 s lease has run out
    survivor = LookingUpNotifier(provider=list(dying.sent))
    drain(sessions, survivor, ward.t0 + 3 * MINUTE)

    # The 16 never attempted go out without a look-up; the one whose request was being made is
    # looked up, not found, and sent. Every message reached the provider exactly once.
    batch = [n for n in notifications(session) if n.kind == "test"]
    assert survivor.looked_up == [batch[3].id]
    assert Counter(m.body for m in dying.sent + survivor.sent if m.to == ward.ann.phone) == Counter(
        f"message {i}" for i in range(20))
    assert {n.status for n in batch} == {"sent"}


def test_a_row_the_provider_took_before_the_worker_died_is_settled_not_sent_again(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick) -> None:
    queue_many(session, ward, 20)
    dying = DyingNotifier(survive=3, reached=True)
    kill_worker_mid_batch(sessions, ward.t0, dying)
    tick(ward.t0 + 3 * MINUTE)
    survivor = LookingUpNotifier(provider=list(dying.sent))
    drain(sessions, survivor, ward.t0 + 3 * MINUTE)

    fourth = [n for n in notifications(session) if n.kind == "test"][3]
    assert (fourth.status, fourth.provider_sid) == ("sent", f"SM{fourth.id:032d}")
    assert fourth.body not in [m.body for m in survivor.sent]
    assert Counter(m.body for m in dying.sent + survivor.sent if m.to == ward.ann.phone) == Counter(
        f"message {i}" for i in range(20))


def test_a_worker_whose_lease_ran_out_does_not_send_a_row_claimed_again_since(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    queue_many(session, ward, 1)
    with sessions.begin() as slow:  # claimed at t0 by a worker that then stalls past its lease
        [row] = claim_due(slow, ward.t0, limit=1, lease_seconds=120)
    with sessions.begin() as s:
        expire_stale_leases(s, ward.t0 + 3 * MINUTE)
        claim_due(s, ward.t0 + 3 * MINUTE, limit=1, lease_seconds=120)  # another worker has it now
    with sessions() as s:
        assert not _mark_attempt(s, row, ward.t0 + 3 * MINUTE + SECOND)
        s.commit()


# -- priorities -------------------------------------------------------------------------------------


def test_an_emergency_queued_behind_a_routine_backlog_is_claimed_first(
        session: Session, sessions: sessionmaker[Session], ward: Ward) -> None:
    queue_many(session, ward, 30)
    recipient = Recipient("caregiver", ward.bob.id, ward.bob.phone, "Bob")
    queue_messages(session, ward.patient.id, None, [
        Message("urgent", recipient, "urgent", "urgent", priority=URGENT),
        Message("emergency", recipient, "call 911", "emergency", priority=EMERGENCY),
    ], ward.t0 + SECOND)
    session.commit()
    with sessions.begin() as s:
        claimed = claim_due(s, ward.t0 + MINUTE, limit=3, lease_seconds=120)
        assert [n.dedupe_key for n in claimed] == ["emergency", "urgent", "batch:0"]
    with sessions.begin() as s:
        assert claim_due(s, ward.t0 + MINUTE, limit=3, lease_seconds=120, max_priority=URGENT) == []

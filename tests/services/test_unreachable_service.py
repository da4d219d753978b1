"""Messages that do not reach their person: the escalation moves on at once and the care team is told.

The ward escalates every 10 minutes: Rosa (the patient) at T0, Ann at T0+10, Bob at T0+20, then
everyone. Each test shows a failure ending with a human reached (the next channel or the next
caregiver) or the team told. Runs on SQLite and PostgreSQL, sending through a recording notifier.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts.models import Alert, OptOut
from alerts.notify.base import TransportError
from alerts.services.delivery_status import record_status
from alerts.services.inbound import handle_sms
from alerts.services.sender import DeliveryReport, claim_due, deliver_due
from alerts.services.tick import TickReport
from tests.services.support import (
    MINUTE,
    Outgoing,
    RecordingNotifier,
    Ward,
    notifications,
    only_alert,
    outbox,
    read,
)
from tests.support.settings import POLICY, SEND, WINDOWS

Tick = Callable[..., TickReport]


def drain(sessions: sessionmaker[Session], notifier: RecordingNotifier, at: datetime, **kw: object) -> DeliveryReport:
    return deliver_due(sessions, notifier, lambda: at, **{**SEND, **kw})  # type: ignore[arg-type]


def sms_from(session: Session, phone: str, body: str, at: datetime) -> None:
    handle_sms(session, message_sid=f"SM{abs(hash((phone, body, at))):032d}"[:34], from_number=phone, body=body,
               now=at, policy=POLICY, windows=WINDOWS)
    session.commit()


def ann_step_fails(sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier,
                   error: TransportError) -> datetime:
    """Rosa reminded at T0; Ann's step at T0+10, whose text fails with ``error``. Returns T0+10."""
    at = ward.t0 + 10 * MINUTE
    tick(ward.t0)
    drain(sessions, notifier, ward.t0)
    tick(at)
    notifier.failures.append(error)
    drain(sessions, notifier, at)
    return at


def ann_texted(session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick,
               notifier: RecordingNotifier) -> tuple[datetime, str]:
    """Rosa reminded and Ann texted at T0+10 (both accepted by the provider): (T0+10, Ann's SID)."""
    at = ward.t0 + 10 * MINUTE
    tick(ward.t0)
    tick(at)
    drain(sessions, notifier, at)
    return at, next(n.provider_sid or "" for n in notifications(session) if n.to_number == ward.ann.phone)


def sent_to(notifier: RecordingNotifier, phone: str) -> list[str]:
    return [m.channel for m in notifier.sent if m.to == phone]


def test_a_caregiver_who_replied_stop_is_skipped_and_the_next_caregiver_is_told_at_once(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    sms_from(session, ward.ann.phone, "STOP", ward.t0 - MINUTE)
    tick(ward.t0)
    drain(sessions, notifier, ward.t0)
    at = ward.t0 + 10 * MINUTE
    tick(at)  # Ann's step
    drain(sessions, notifier, at)  # Ann's text is cancelled: Bob learns she opted out; Bob's step is due now
    tick(at)
    drain(sessions, notifier, at)

    assert sent_to(notifier, ward.ann.phone) == []
    assert outbox(session) == [
        Outgoing("reminder", 0, "patient", "sent"), Outgoing("escalation", 1, "Ann", "cancelled"),
        Outgoing("unreachable", None, "Bob", "sent"), Outgoing("escalation", 2, "Bob", "sent"),
    ]
    told = next(m.body for m in notifier.sent if m.to == ward.bob.phone)
    assert told.startswith("dosewatch: Ann (+1415555") and "until they reply START" in told
    assert only_alert(session, ward.patient).next_step_at == at + 10 * MINUTE  # everyone, 10 minutes later


def test_an_opted_out_caregiver_gets_no_emergency_text_either_until_start(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    sms_from(session, ward.bob.phone, "STOP", ward.t0)
    sms_from(session, ward.patient.phone, "she had a fit", ward.t0 + MINUTE)
    drain(sessions, notifier, ward.t0 + MINUTE)
    assert sent_to(notifier, ward.bob.phone) == []
    # The emergency text, the patient's own words forwarded (issue 10) and the call; Bob opted out.
    assert sorted(sent_to(notifier, ward.ann.phone)) == ["sms", "sms", "sms", "voice"]

    sms_from(session, ward.bob.phone, "START", ward.t0 + 2 * MINUTE)
    sms_from(session, ward.ann.phone, "ok", ward.t0 + 3 * MINUTE)  # Ann acknowledges: Bob gets the all-clear
    drain(sessions, notifier, ward.t0 + 3 * MINUTE)
    all_clear = [n.body for n in notifications(session) if n.kind == "all_clear" and n.to_number == ward.bob.phone]
    assert [m.body for m in notifier.sent if m.to == ward.bob.phone] == all_clear
    assert all_clear and "Ann" in all_clear[0]


def test_a_text_that_fails_permanently_calls_the_caregiver_instead_and_tells_the_team(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    at = ann_step_fails(sessions, ward, tick, notifier, TransportError("unreachable", permanent=True, code=30003))

    assert outbox(session)[1:] == [
        Outgoing("escalation", 1, "Ann", "failed"), Outgoing("unreachable", None, "Bob", "sent"),
        Outgoing("escalation", 1, "Ann", "sent"),
    ]
    assert sent_to(notifier, ward.ann.phone) == ["voice"]
    # The call may still reach Ann: Bob's own step waits for its time.
    assert only_alert(session, ward.patient).next_step_at == at + 10 * MINUTE


def test_an_invalid_number_is_not_called_the_next_caregiver_is_told_at_once(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    at = ann_step_fails(sessions, ward, tick, notifier, TransportError("invalid 'To'", permanent=True, code=21211))
    tick(at)
    drain(sessions, notifier, at)

    assert sent_to(notifier, ward.ann.phone) == []
    assert [o for o in outbox(session) if o.recipient == "Bob"] == [
        Outgoing("unreachable", None, "Bob", "sent"), Outgoing("escalation", 2, "Bob", "sent")]


def test_rate_limited_until_the_attempts_run_out_then_the_team_is_told_and_the_next_caregiver_reached(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures += [TransportError("429", permanent=False, code=20429, status=429) for _ in range(3)]
    at = ward.t0
    for _ in range(3):
        drain(sessions, notifier, at, max_attempts=3)
        at += timedelta(minutes=1)  # past each backoff (5 s, 10 s with jitter)
    tick(at)
    drain(sessions, notifier, at, max_attempts=3)

    reminder = notifications(session)[0]
    assert (reminder.status, reminder.attempts) == ("failed", 3)
    # The patient could not be texted: both caregivers learn it, and Ann's step runs now.
    assert [o for o in outbox(session) if o.kind != "reminder"] == [
        Outgoing("unreachable", None, "Ann", "sent"), Outgoing("unreachable", None, "Bob", "sent"),
        Outgoing("escalation", 1, "Ann", "sent")]


def test_a_timed_out_send_is_not_sent_again_and_the_escalation_moves_on(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures.append(TransportError("read timeout", permanent=False, ambiguous=True))
    drain(sessions, notifier, ward.t0)
    tick(ward.t0)
    drain(sessions, notifier, ward.t0 + MINUTE)

    assert sent_to(notifier, ward.patient.phone) == []  # never re-sent
    assert outbox(session) == [Outgoing("reminder", 0, "patient", "unknown"), Outgoing("escalation", 1, "Ann", "sent")]


def test_undelivered_callback_calls_the_caregiver_and_a_repeated_callback_changes_nothing(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    at, sid = ann_texted(session, sessions, ward, tick, notifier)

    first = record_status(session, provider_sid=sid, status="undelivered", error_code=30005, now=at + MINUTE)
    session.commit()
    again = record_status(session, provider_sid=sid, status="undelivered", error_code=30005, now=at + 2 * MINUTE)
    late = record_status(session, provider_sid=sid, status="sent", error_code=None, now=at + 3 * MINUTE)
    session.commit()

    assert len(first) == 2 and again == [] and late == []  # a call to Ann, a message to Bob; once
    assert [(o.kind, o.recipient, o.status) for o in outbox(session)[1:]] == [
        ("escalation", "Ann", "undelivered"), ("unreachable", "Bob", "queued"), ("escalation", "Ann", "queued")]
    assert [n.channel for n in notifications(session)][-1] == "voice"


def test_an_unanswered_call_moves_on_to_the_next_caregiver_without_alarming_the_team(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    at, sid = ann_texted(session, sessions, ward, tick, notifier)
    record_status(session, provider_sid=sid, status="undelivered", error_code=30003, now=at)
    session.commit()
    drain(sessions, notifier, at)  # the call to Ann goes out (and Bob is told her texts fail)
    [call] = [n for n in notifications(session) if n.channel == "voice"]

    record_status(session, provider_sid=call.provider_sid or "", status="no-answer", error_code=None, now=at + MINUTE)
    session.commit()
    tick(at + MINUTE)

    assert only_alert(session, ward.patient).next_step == 3
    assert [o for o in outbox(session) if o.step == 2] == [Outgoing("escalation", 2, "Bob", "queued")]
    assert len([o for o in outbox(session) if o.kind == "unreachable"]) == 1


def test_a_failed_all_clear_changes_nothing(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    at = ward.t0 + 10 * MINUTE
    tick(ward.t0)
    tick(at)
    drain(sessions, notifier, at)
    sms_from(session, ward.patient.phone, "taken", at + MINUTE)
    notifier.failures.append(TransportError("invalid", permanent=True, code=21211))
    drain(sessions, notifier, at + MINUTE)

    assert outbox(session)[-1] == Outgoing("all_clear", None, "Ann", "failed")
    assert [o.kind for o in outbox(session)].count("unreachable") == 0
    assert only_alert(session, ward.patient).status == "resolved"


def test_twilio_saying_unsubscribed_records_the_opt_out(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)
    notifier.failures.append(TransportError("unsubscribed", permanent=True, code=21610))
    drain(sessions, notifier, ward.t0)
    assert [(o.phone, o.active) for o in read(session, select(OptOut))] == [(ward.patient.phone, True)]
    assert read(session, select(Alert))[0].next_step_at == ward.t0  # Ann's step: now


def test_a_failed_text_about_a_withdrawal_risk_is_read_out_in_a_call(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    sms_from(session, ward.patient.phone, "ran out of pills", ward.t0)  # withdrawal risk: Ann and Bob texted
    notifier.failures_to[ward.ann.phone] = [TransportError("unreachable", permanent=True, code=30003)]
    drain(sessions, notifier, ward.t0)

    texted = {n.to_number: n.body for n in notifications(session) if n.kind == "withdrawal_risk" and n.channel == "sms"}
    [call] = [m for m in notifier.sent if m.channel == "voice"]
    assert (call.to, call.body) == (ward.ann.phone, texted[ward.ann.phone])


def test_a_send_whose_worker_died_mid_request_is_not_resent_and_the_next_caregiver_is_told_at_once(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    with sessions.begin() as worker:  # a worker claims the reminder, marks the attempt, then dies
        [claimed] = claim_due(worker, ward.t0, limit=10, lease_seconds=120)
        claimed.attempted_at = ward.t0
    later = ward.t0 + 5 * MINUTE
    report = tick(later)  # the lease has run out: the reminder is queued again, to be looked up
    assert report.stale_sends == 1
    # This notifier cannot look a message up: the reminder may have reached Rosa, so it is never
    # sent again; it becomes unknown and Ann's step runs now.
    drain(sessions, RecordingNotifier(), later)
    tick(later)

    assert outbox(session) == [Outgoing("reminder", 0, "patient", "unknown"), Outgoing("escalation", 1, "Ann", "queued")]
    assert notifications(session)[0].id == claimed.id
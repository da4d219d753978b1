"""Quiet hours in the sending decision, on SQLite and PostgreSQL: a routine missed-dose text to a
caregiver inside their quiet hours waits until they end (and is still sent then, not thrown away as
too old); the next caregiver is reached on time; urgent and emergency texts never wait.

The ward: Rosa in New York, the 14:00 dose missed at 14:30 EDT (``t0``), escalation every 10
minutes to Ann then Bob. Ann's quiet hours are 14:00-18:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from alerts.domain.delivery import EMERGENCY, ROUTINE, URGENT
from alerts.models import Caregiver, Patient
from alerts.services.alerts import caregiver_recipient
from alerts.services.outbox import Message, queue_messages
from alerts.services.sender import deliver_due
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, RecordingNotifier, Ward, notifications
from tests.support.settings import SEND

EIGHTEEN_EDT = datetime(2026, 6, 15, 22, 0, tzinfo=UTC)


def _quiet(session: Session, caregiver: Caregiver, start: str, end: str) -> Caregiver:
    row = session.get(Caregiver, caregiver.id)
    assert row is not None
    row.quiet_start, row.quiet_end = start, end
    session.commit()
    return row


def _to(session: Session, caregiver: Caregiver) -> list[tuple[str, str, datetime]]:
    return [(n.kind, n.status, n.next_attempt_at) for n in notifications(session)
            if n.recipient_kind == "caregiver" and n.recipient_id == caregiver.id]


def test_a_routine_escalation_waits_for_the_end_of_quiet_hours_and_then_goes(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Callable[..., TickReport],
        notifier: RecordingNotifier) -> None:
    _quiet(session, ward.ann, "14:00", "18:00")
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)  # Ann's step
    tick(ward.t0 + 20 * MINUTE)  # Bob's step, on time: Ann's quiet hours do not slow the escalation

    assert _to(session, ward.ann) == [("escalation", "queued", EIGHTEEN_EDT)]
    assert notifications(session)[1].held_until == EIGHTEEN_EDT
    deliver_due(sessions, notifier, lambda: ward.t0 + 21 * MINUTE, **SEND)
    assert [m.to for m in notifier.sent] == [ward.patient.phone, ward.bob.phone]

    # 18:00 EDT, 3 h 20 min after it was queued (longer than an escalation text's 2 h shelf life):
    # it goes, because its age counts from the end of the hold.
    deliver_due(sessions, notifier, lambda: EIGHTEEN_EDT, **SEND)
    assert [m.to for m in notifier.sent][-1] == ward.ann.phone
    assert _to(session, ward.ann)[0][1] == "sent"


def test_outside_quiet_hours_the_escalation_goes_at_once(
        session: Session, ward: Ward, tick: Callable[..., TickReport]) -> None:
    _quiet(session, ward.ann, "22:00", "07:00")
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    assert _to(session, ward.ann) == [("escalation", "queued", ward.t0 + 10 * MINUTE)]
    assert notifications(session)[1].held_until is None


def test_urgent_and_emergency_texts_are_never_held(session: Session, ward: Ward) -> None:
    ann = _quiet(session, ward.ann, "14:00", "18:00")
    now = ward.t0
    queue_messages(session, ward.patient.id, None, [
        Message("test:withdrawal", caregiver_recipient(ann), "withdrawal", kind="withdrawal_risk", priority=URGENT),
        Message("test:emergency", caregiver_recipient(ann), "call 911", kind="emergency", priority=EMERGENCY),
        Message("test:risk-clear", caregiver_recipient(ann), "all clear", kind="all_clear", priority=URGENT),
    ], now)
    session.commit()
    assert [(kind, at) for kind, _, at in _to(session, ward.ann)] == [
        ("withdrawal_risk", now), ("emergency", now), ("all_clear", now)]


# -- a caregiver's own zone -------------------------------------------------------------------------
# Rosa flew to Tokyo (her zone changed so her doses follow her); Ann stayed in New York.
TOKYO, NY = "Asia/Tokyo", "America/New_York"


def _abroad(session: Session, ward: Ward, ann_zone: str | None) -> Caregiver:
    patient = session.get(Patient, ward.patient.id)
    assert patient is not None
    patient.timezone = TOKYO
    ann = _quiet(session, ward.ann, "22:00", "07:00")
    ann.timezone = ann_zone
    session.commit()
    return ann


def _queue_escalation_and_emergency(session: Session, ann: Caregiver, patient_id: int, now: datetime) -> None:
    queue_messages(session, patient_id, None, [
        Message("test:escalation", caregiver_recipient(ann), "missed dose", kind="escalation", priority=ROUTINE),
        Message("test:emergency", caregiver_recipient(ann), "call 911", kind="emergency", priority=EMERGENCY),
    ], now)
    session.commit()


def test_a_caregiver_with_their_own_zone_is_texted_in_their_day_while_the_patient_is_abroad(
        session: Session, ward: Ward) -> None:
    ann = _abroad(session, ward, NY)
    now = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)  # 10:00 EDT for Ann, 23:00 JST for Rosa
    _queue_escalation_and_emergency(session, ann, ward.patient.id, now)
    assert [(kind, at) for kind, _, at in _to(session, ward.ann)] == [("escalation", now), ("emergency", now)]


def test_a_caregiver_with_their_own_zone_is_held_in_their_night_and_emergencies_still_go(
        session: Session, ward: Ward) -> None:
    ann = _abroad(session, ward, NY)
    now = datetime(2026, 6, 16, 3, 0, tzinfo=UTC)  # 23:00 EDT for Ann, 12:00 JST for Rosa
    _queue_escalation_and_emergency(session, ann, ward.patient.id, now)
    seven_edt = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
    assert [(kind, at) for kind, _, at in _to(session, ward.ann)] == [("escalation", seven_edt), ("emergency", now)]


def test_a_caregiver_without_a_zone_keeps_the_patients_as_before(session: Session, ward: Ward) -> None:
    ann = _abroad(session, ward, None)
    now = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)  # 23:00 JST: Rosa's zone's night
    _queue_escalation_and_emergency(session, ann, ward.patient.id, now)
    seven_jst = datetime(2026, 6, 15, 22, 0, tzinfo=UTC)
    assert [(kind, at) for kind, _, at in _to(session, ward.ann)] == [("escalation", seven_jst), ("emergency", now)]


def test_the_hold_ends_by_the_caregivers_clock_across_their_dst_change(session: Session, ward: Ward) -> None:
    """New York falls back on 2026-11-01; Tokyo has no DST. Queued 23:00 EDT on the 31st, the text
    waits until 07:00 EST (12:00 UTC), not 07:00 EDT (11:00 UTC)."""
    ann = _abroad(session, ward, NY)
    now = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    _queue_escalation_and_emergency(session, ann, ward.patient.id, now)
    assert _to(session, ward.ann)[0][2] == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

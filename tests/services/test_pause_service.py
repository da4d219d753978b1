"""A pause begun while a missed-dose alert is open, on SQLite and PostgreSQL.

The usual way a pause starts: Rosa misses her 14:00 dose, the escalation begins, and the family
phones the clinic to say she was admitted to hospital this morning. From the pause on, her
caregivers are texted about that dose no more (in hospital others give the doses), and no text
already queued for it (held until Ann's quiet hours end) goes out after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from alerts.services import pauses
from alerts.services.sender import deliver_due
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, RecordingNotifier, Ward, hold_anns_step, only_alert, sent
from tests.support.settings import SEND


def _pause(session: Session, ward: Ward, at, **kw) -> None:  # type: ignore[no-untyped-def]
    pauses.pause(session, ward.patient.id, starts_at=kw.get("starts_at", at), ends_at=at + timedelta(days=3),
                 reason="hospital stay", created_by=None, now=at)
    session.commit()


def test_a_pause_during_a_missed_dose_escalation_stops_it_and_texts_no_caregiver_about_that_dose(
        session: Session, ward: Ward, tick: Callable[..., TickReport]) -> None:
    tick(ward.t0)  # the patient is reminded; Ann is next, at t0 + 10 min
    _pause(session, ward, ward.t0 + 5 * MINUTE)

    for minutes in (10, 20, 30, 60):
        tick(ward.t0 + minutes * MINUTE)

    assert sent(session, recipient_kind="caregiver") == []
    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.close_reason, alert.next_step_at) == ("resolved", "paused", None)


def test_a_caregiver_text_held_for_quiet_hours_is_not_sent_once_a_pause_has_begun(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Callable[..., TickReport],
        notifier: RecordingNotifier) -> None:
    after_quiet_hours = hold_anns_step(session, ward, tick)
    _pause(session, ward, ward.t0 + 15 * MINUTE)

    deliver_due(sessions, notifier, lambda: after_quiet_hours, **SEND)

    assert ward.ann.phone not in [m.to for m in notifier.sent]


def test_a_pause_that_begins_later_stops_the_escalation_when_it_begins(
        session: Session, ward: Ward, tick: Callable[..., TickReport]) -> None:
    # A pause booked ahead (admission at t0 + 15 min): Ann is told at t0 + 10, Bob is not at t0 + 20.
    _pause(session, ward, ward.t0 - 60 * MINUTE, starts_at=ward.t0 + 15 * MINUTE)
    for minutes in (0, 10, 20, 30):
        tick(ward.t0 + minutes * MINUTE)

    assert [(who, step) for _, who, _, step in sent(session, recipient_kind="caregiver")] == [("Ann", 1)]
    assert only_alert(session, ward.patient).status == "resolved"

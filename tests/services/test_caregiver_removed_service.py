"""A caregiver removed while an alert about their patient is open, on SQLite and PostgreSQL.

An open alert keeps the escalation it was opened with (a reordering never rewrites one in flight),
but someone removed from the care team is no longer on it: they are not texted or called about the
patient again, not even a text already queued for them (held for their quiet hours), and the step
that was theirs does not sit for a whole interval with nobody told - the next person is told.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from alerts.models import Caregiver
from alerts.services import admin as admin_service
from alerts.services.alerts import acknowledge
from alerts.services.sender import deliver_due
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, RecordingNotifier, Ward, hold_anns_step, only_alert, outbox
from tests.support.settings import SEND


def _remove(session: Session, caregiver: Caregiver, now: datetime) -> None:
    row = session.get(Caregiver, caregiver.id)
    assert row is not None
    admin_service.remove_caregiver(session, row, now)
    session.commit()


def test_a_caregiver_removed_during_an_escalation_is_not_texted_and_the_next_caregiver_is_told_in_time(
        session: Session, ward: Ward, tick: Callable[..., TickReport]) -> None:
    tick(ward.t0)  # the patient is reminded; Ann (caregiver 1) is due at t0 + 10, Bob at t0 + 20
    _remove(session, ward.ann, ward.t0 + 5 * MINUTE)

    tick(ward.t0 + 10 * MINUTE)
    tick(ward.t0 + 11 * MINUTE)

    # ("?": a caregiver no longer on the patient's list.)
    assert [(o.recipient, o.step) for o in outbox(session) if o.kind == "escalation"] == [("Bob", 2)]


def test_a_text_queued_for_a_caregiver_who_is_then_removed_is_not_sent(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Callable[..., TickReport],
        notifier: RecordingNotifier) -> None:
    after_quiet_hours = hold_anns_step(session, ward, tick)
    _remove(session, ward.ann, ward.t0 + 15 * MINUTE)

    deliver_due(sessions, notifier, lambda: after_quiet_hours, **SEND)

    assert ward.ann.phone not in [m.to for m in notifier.sent]


def test_a_caregiver_told_and_then_removed_gets_no_all_clear(
        session: Session, ward: Ward, tick: Callable[..., TickReport]) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)  # Ann is told
    _remove(session, ward.ann, ward.t0 + 15 * MINUTE)
    tick(ward.t0 + 20 * MINUTE)  # Bob is told
    alert = only_alert(session, ward.patient)
    session.refresh(alert, with_for_update=True)
    bob = session.get(Caregiver, ward.bob.id)
    assert bob is not None

    acknowledge(session, alert, bob, via="sms", now=ward.t0 + 25 * MINUTE)
    session.commit()

    assert [o.recipient for o in outbox(session) if o.kind == "all_clear"] == ["patient"]

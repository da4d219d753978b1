"""When an escalation message does not reach its person: move on at once, and tell the care team.

Called by the outbox sender (a permanent Twilio error on send, retries used up, a recipient who
replied STOP, a send that timed out and was not found at Twilio) and by the status callback
(``failed`` / ``undelivered`` for a message, ``failed`` / ``busy`` / ``no-answer`` for a call).
Waiting for the escalation's next step to come round would leave an alert with nobody on it for
that long, so:

1. the next channel: a caregiver whose text failed is called (the step's own call, if it already
   has one, counts: the dedupe key is the same), unless the number itself is invalid or opted out;
2. otherwise the next step: once no message of the step can still reach anyone, the alert's next
   step is brought forward to now, so the next tick runs it (the next caregiver);
3. the care team learns of the number: every other caregiver of the patient gets a message from a
   template (once per alert and unreachable person), so someone can fix the number.

Only escalation steps move on (an all-clear or a reply that fails changes nothing), and nothing
moves once the alert is acknowledged or resolved: someone is already on it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain import escalation
from alerts.domain.delivery import priority_for_alert
from alerts.domain.messages import render
from alerts.models import Alert, Caregiver, Notification, OptOut, Patient
from alerts.services import alerts as alert_service
from alerts.services.outbox import Message, queue_messages

log = logging.getLogger("dosewatch.unreachable")

Reason = Literal["failed", "opted_out", "no_answer", "unknown"]

# Twilio errors that say the number itself is wrong or unsubscribed: calling it cannot help either.
# 21211 invalid number, 21610 replied STOP, 21408 region not enabled.
NOT_CALLABLE_CODES = frozenset({21211, 21610, 21408})
# 21610: Twilio refuses to text a number that replied STOP to us; keep our opt-out list in step.
UNSUBSCRIBED = 21610
# Statuses after which a message of a step can no longer reach its person.
NOT_REACHING = frozenset({"failed", "undelivered", "cancelled", "canceled", "busy", "no-answer"})


def not_reached(session: Session, notification_id: int, reason: Reason, now: datetime,
                error_code: int | None = None) -> list[int]:
    """React to one message that did not reach its person. Returns outbox ids queued. Caller commits."""
    row = session.get(Notification, notification_id)
    if row is None:
        return []
    if error_code == UNSUBSCRIBED:
        _record_opt_out(session, row.to_number, now)
        reason = "opted_out"
    if row.alert_id is None or row.step is None:
        return []  # not an escalation step: nobody waits on it
    alert = session.get(Alert, row.alert_id, with_for_update=True)
    if alert is None or alert.status != "open":
        return []
    ids: list[int] = []
    if reason in ("failed", "opted_out"):
        ids += _tell_the_team(session, alert, row, reason, now)
    if reason == "failed" and error_code not in NOT_CALLABLE_CODES:
        ids += _call_instead(session, alert, row, now)
    _move_on_if_nobody_left(session, alert, row, now)
    return ids


def _call_instead(session: Session, alert: Alert, row: Notification, now: datetime) -> list[int]:
    """A caregiver's text failed: call them as part of the same step (the patient is never called:
    asking someone who may be drowsy or seizing to "press 1" helps no one)."""
    if row.channel != "sms" or row.recipient_kind != "caregiver":
        return []
    step = escalation.step_at(alert.policy, row.step or 0)
    if step is None:
        return []
    recipient = next((r for r in escalation.recipients(step) if r.kind == "caregiver" and r.id == row.recipient_id),
                     None)
    if recipient is None:
        return []
    # Alerts written for calls (emergencies) have a spoken script; the others are read out as texted.
    spoken = "voice" if (alert.details or {}).get("voice_template") else "sms"
    message = Message(
        # The step's own key for a call: a step that already calls this caregiver adds nothing.
        dedupe_key=f"alert:{alert.id}:step:{row.step}:{recipient.kind}:{recipient.id}:voice",
        recipient=recipient, body=alert_service.step_message(alert, recipient, now, spoken),
        kind=row.kind, step=row.step, channel="voice", urgent=row.urgent, priority=row.priority,
    )
    ids = queue_messages(session, alert.patient_id, alert.id, [message], now)
    if ids:
        log.info("alert %s: text to caregiver %s failed, calling instead", alert.id, recipient.id)
    return ids


def _move_on_if_nobody_left(session: Session, alert: Alert, row: Notification, now: datetime) -> None:
    """Bring the next step forward to now once no message of this step can still reach anyone.

    Only for the step the alert is on: a late failure of an earlier step changes nothing, the
    escalation has already moved past it.
    """
    if row.step != alert.next_step - 1 or alert.next_step_at is None or alert.next_step_at <= now:
        return
    session.flush()
    step_rows = session.execute(select(Notification.id, Notification.status).where(
        Notification.alert_id == alert.id, Notification.step == row.step))
    # The row at hand counts as not reaching whatever its status says ("unknown" after a timeout
    # that a look-up could not settle: it may never arrive, so nobody should wait on it).
    if all(status in NOT_REACHING or row_id == row.id for row_id, status in step_rows):
        log.info("alert %s: nobody at step %s can be reached, next step now", alert.id, row.step)
        alert.next_step_at = now


def _tell_the_team(session: Session, alert: Alert, row: Notification, reason: Reason,
                   now: datetime) -> list[int]:
    patient = session.get(Patient, alert.patient_id)
    if patient is None:
        return []
    who: Caregiver | Patient | None = (session.get(Caregiver, row.recipient_id) if row.recipient_kind == "caregiver"
                                       else session.get(Patient, row.recipient_id))
    name = who.name if who is not None else row.to_number
    team = session.scalars(select(Caregiver).where(
        Caregiver.patient_id == patient.id, Caregiver.phone != row.to_number).order_by(Caregiver.position))
    template = "recipient_opted_out" if reason == "opted_out" else "number_unreachable"
    messages = [
        Message(
            # Once per alert and person who cannot be reached: an emergency repeating every few
            # minutes must not repeat this too.
            dedupe_key=f"alert:{alert.id}:unreachable:{row.recipient_kind}:{row.recipient_id}:caregiver:{c.id}",
            recipient=alert_service.caregiver_recipient(c),
            body=render(template, c.language, person=name, phone=row.to_number, patient_name=patient.name),
            kind="unreachable", priority=priority_for_alert(alert.kind), send_when_closed=True,
        )
        for c in team
    ]
    return queue_messages(session, patient.id, alert.id, messages, now)


def _record_opt_out(session: Session, phone: str, now: datetime) -> None:
    opt_out = session.get(OptOut, phone)
    if opt_out is None:
        session.add(OptOut(phone=phone, opted_out_at=now, active=True))
    elif not opt_out.active:
        opt_out.active = True
        opt_out.opted_out_at = now


"""The outbox, queueing half: notifications written with their decision, in the caller's transaction.

:func:`queue_messages` inserts rows with a unique dedupe key (alert, step, recipient, channel), so the
same decision replayed by a second worker or tick adds nothing. Nothing here sends: the sending half
(:mod:`alerts.services.sender`) claims due rows and delivers each at most once. The two halves share
only the ``notification`` table, so what decides a message (alerts, replies, the unreachable path)
and what sends it never import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.delivery import ROUTINE, URGENT, rate_limited
from alerts.domain.escalation import Recipient
from alerts.domain.quiet_hours import holds, quiet_until, quiet_zone
from alerts.models import Caregiver, Notification, Patient
from alerts.services.sql import insert_ignore


@dataclass(frozen=True)
class Message:
    """One message to queue: who, how, what, and the key that makes it unique."""

    dedupe_key: str
    recipient: Recipient
    body: str
    kind: str
    channel: str = "sms"
    step: int | None = None
    # Never held back by the per-recipient limit; at least ``URGENT`` priority.
    urgent: bool = False
    send_when_closed: bool = False
    priority: int = ROUTINE  # alerts.domain.delivery


def queue_messages(session: Session, patient_id: int, alert_id: int | None, messages: Sequence[Message],
                   now: datetime) -> list[int]:
    """Insert outbox rows (duplicates by dedupe key are skipped). Returns the ids inserted."""
    return queue_batches(session, [(patient_id, alert_id, messages)], now)


def queue_batches(session: Session, batches: Sequence[tuple[int, int | None, Sequence[Message]]],
                  now: datetime) -> list[int]:
    """:func:`queue_messages` for several (patient id, alert id, messages) at once, in one executemany.

    The tick queues one batch per alert whose step is due; one batched INSERT for all of them
    instead of one per alert is what keeps a tick's cost at a few statements per batch of due work.

    A routine text to a caregiver inside their quiet hours (``alerts.domain.quiet_hours``) is
    queued to go when they end; one more query, only when the batch holds such a text.
    """
    quiet = _quiet_hours_ends(session, [m.recipient.id for _, _, messages in batches for m in messages
                                        if m.recipient.kind == "caregiver" and holds(m.kind, m.priority, m.urgent)],
                              now)
    rows = [
        {
            "dedupe_key": m.dedupe_key,
            "alert_id": alert_id,
            "patient_id": patient_id,
            "kind": m.kind,
            "step": m.step,
            "recipient_kind": m.recipient.kind,
            "recipient_id": m.recipient.id,
            "to_number": m.recipient.phone,
            "channel": m.channel,
            "body": m.body,
            "urgent": m.urgent or not rate_limited(m.priority),
            "priority": min(m.priority, URGENT) if m.urgent else m.priority,
            "send_when_closed": m.send_when_closed,
            "status": "queued",
            "attempts": 0,
            "next_attempt_at": now,
            "held_until": None,
            "created_at": now,
        }
        for patient_id, alert_id, messages in batches
        for m in messages
    ]
    if quiet:
        for row in rows:
            until = quiet.get(row["recipient_id"]) if row["recipient_kind"] == "caregiver" else None
            if until is not None and holds(row["kind"], row["priority"], row["urgent"]):
                row["next_attempt_at"] = row["held_until"] = until
    return insert_ignore(session, Notification.__table__, rows, returning=Notification.__table__.c.id)


def _quiet_hours_ends(session: Session, caregiver_ids: Sequence[int], now: datetime) -> dict[int, datetime]:
    """When each of these caregivers' quiet hours end, for those inside them at ``now``."""
    if not caregiver_ids:
        return {}
    rows = session.execute(select(Caregiver.id, Caregiver.quiet_start, Caregiver.quiet_end, Caregiver.timezone,
                                  Patient.timezone)
                           .join(Patient, Patient.id == Caregiver.patient_id)
                           .where(Caregiver.id.in_(set(caregiver_ids)), Caregiver.quiet_start.is_not(None)))
    ends = {cid: quiet_until(start, end, quiet_zone(own, patient_tz), now) for cid, start, end, own, patient_tz in rows}
    return {cid: until for cid, until in ends.items() if until is not None}

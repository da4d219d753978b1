"""Write and read the audit log (``alerts.models.audit``). Anything that shows or changes patient
data calls :func:`record` in the same transaction as the change, so the record and the change
commit (or roll back) together."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import AuditEvent


class Actor(Protocol):
    id: int
    role: str
    name: str


def actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    contact = getattr(actor, "email", None) or getattr(actor, "phone", None) or ""
    # A phone number is patient-adjacent data; the log keeps only its last digits.
    if contact.startswith("+"):
        contact = "…" + contact[-4:]
    return f"{actor.name} <{contact}>" if contact else actor.name


def record(session: Session, actor: Actor | None, action: str, patient_id: int | None = None, *,
           target: str = "", address: str | None = None, now: datetime | None = None,
           role: str | None = None, **details: Any) -> AuditEvent:
    """Append one audit event (flushed by the caller's commit). ``actor`` None: the system itself."""
    event = AuditEvent(
        at=now or utcnow(), user_id=actor.id if actor is not None else None, actor=actor_label(actor)[:200],
        role=role or (actor.role if actor is not None else "system"), action=action, patient_id=patient_id,
        target=target[:200], address=(address or None) and address[:64], details=details,
    )
    session.add(event)
    return event


def recent(session: Session, *, patient_id: int | None = None, limit: int = 200) -> list[AuditEvent]:
    stmt = select(AuditEvent)
    if patient_id is not None:
        stmt = stmt.where(AuditEvent.patient_id == patient_id)
    return list(session.scalars(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


CSV_COLUMNS = ("id", "at", "user_id", "actor", "role", "action", "patient_id", "target", "address")


def to_csv(events: Iterable[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([e.id, e.at.isoformat(), e.user_id or "", e.actor, e.role, e.action, e.patient_id or "",
                         e.target, e.address or ""])
    return out.getvalue()

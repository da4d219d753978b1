"""The audit log: who viewed or changed which patient's data, when, in which role, from where.

Append-only. The application only ever inserts (``alerts.services.audit.record``); an ORM guard
refuses updates and deletes of loaded rows. There are deliberately no foreign keys: removing a
user or a patient must not rewrite or cascade-delete the record of what was done to them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_patient_at", "patient_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    # Who, as written at the time ("Dr Lee <lee@clinic.example>", "+1415…0100", "sms", "cli").
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    # view | create | update | acknowledge | resolve | note | pause | export | sign_in | sign_in_failed ...
    action: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[int | None] = mapped_column(Integer, default=None)
    # What was acted on, e.g. "patient page", "alert 12", "schedule 3".
    target: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise ValueError("the audit log is append-only")

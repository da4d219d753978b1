from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class Alert(Base):
    """Something a human must know about, and how far its escalation has gone.

    ``policy`` is the escalation copied (with each step's recipients resolved) when the alert
    opens, so editing a patient's caregivers or policy later never changes a running escalation.
    """

    __tablename__ = "alert"
    __table_args__ = (
        # The tick's second query: open alerts whose next escalation step is due.
        Index("ix_alert_open_next_step_at", "next_step_at", "id",
              postgresql_where=text("status = 'open' AND next_step_at IS NOT NULL"),
              sqlite_where=text("status = 'open' AND next_step_at IS NOT NULL")),
        # At most one open alert per patient and condition ("missed_dose", ...): the same condition
        # does not re-alert while its alert is open, and re-arms once it is closed.
        Index("uq_alert_open_condition", "patient_id", "condition_key", unique=True,
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
        Index("ix_alert_patient_opened", "patient_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    condition_key: Mapped[str] = mapped_column(String(96))
    # open -> acknowledged | resolved
    status: Mapped[str] = mapped_column(String(16), default="open")
    # A short code a caregiver can text back when they have more than one open alert.
    code: Mapped[str] = mapped_column(String(8))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    close_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("caregiver.id", ondelete="SET NULL"), default=None)
    policy: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Index into ``policy`` of the next step to run, and when.
    next_step: Mapped[int] = mapped_column(Integer, default=0)
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

"""What people do in the care console beside alerts themselves: pauses and alert notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class AlertPause(Base):
    """Missed-dose alerts paused for a patient over a period (a hospital stay, where staff give doses).

    It stops reminders about doses and the "no dose seen" warnings; emergencies and every other
    clinical alert still go out (``alerts.services.pauses``).
    """

    __tablename__ = "alert_pause"
    __table_args__ = (Index("ix_alert_pause_patient_ends", "patient_id", "ends_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("console_user.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertNote(Base):
    """A person's note on an alert, or the reason they gave when resolving it, kept apart from the
    automatic log (messages sent, delivery status)."""

    __tablename__ = "alert_note"
    __table_args__ = (Index("ix_alert_note_alert", "alert_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("console_user.id", ondelete="SET NULL"), default=None)
    author: Mapped[str] = mapped_column(String(120))
    # note | acknowledged | resolved
    kind: Mapped[str] = mapped_column(String(16), default="note")
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

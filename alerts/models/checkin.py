from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class CheckIn(Base):
    """How the patient feels: symptom -> severity 0-10 (keys from ``alerts.domain.symptoms``)."""

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("patient_id", "idempotency_key"),
        Index("ix_checkin_patient_recorded", "patient_id", "recorded_at"),
        # A check-in reads the patient's supply reports in the look-back: this finds the few there
        # are without reading every check-in of those days (``services.checkins``).
        Index("ix_checkin_patient_supply", "patient_id", "recorded_at",
              postgresql_where=text("supply_problem IS NOT NULL"), sqlite_where=text("supply_problem IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    symptoms: Mapped[dict[str, int]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    # "ran_out" | "no_refill": the patient cannot take the next dose. The brief: baclofen "should
    # never be stopped suddenly", so running out is a withdrawal risk with no symptom needed.
    supply_problem: Mapped[str | None] = mapped_column(String(16), default=None)
    source: Mapped[str] = mapped_column(String(32), default="app")
    idempotency_key: Mapped[str | None] = mapped_column(String(128), default=None)
    request_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The alert this check-in raised or joined (or found open for its signs): the API answer names
    # it, a replay included, as readings and device events do.
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="SET NULL"), default=None)

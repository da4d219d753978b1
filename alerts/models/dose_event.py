from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class DoseEvent(Base):
    """A report that a dose was taken: from the app, a device, a smart pill bottle or an SMS reply."""

    __tablename__ = "dose_event"
    __table_args__ = (
        # A replayed request (same Idempotency-Key or event id) must find the original.
        UniqueConstraint("patient_id", "idempotency_key"),
        Index("ix_dose_event_patient_taken", "patient_id", "taken_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(32))
    dose_mg: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), default=None)
    # sha256 of the canonical request body: the same key with a different body is a client bug.
    request_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    # The scheduled dose this event satisfied, if any (None: an unscheduled or extra dose).
    dose_id: Mapped[int | None] = mapped_column(ForeignKey("dose.id", ondelete="SET NULL"), default=None)
    # The medicine taken: the one the report named, the patient's only one, or that of the scheduled
    # dose it was matched to. None: a patient on several medicines reported a dose none was due for
    # and named none. Only a medicine with a clinical pack is read by the clinical rules.
    medication_id: Mapped[int | None] = mapped_column(ForeignKey("medication.id", ondelete="SET NULL"), index=True,
                                                      default=None)
    # How the medicine was decided: given | only | nearest_due | unknown (``choose_medication``);
    # None for events from before medications were data (migration 0015 filled their medicine).
    medication_basis: Mapped[str | None] = mapped_column(String(16), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

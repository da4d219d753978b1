from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from alerts.models.patient import Patient


class Caregiver(Base):
    """A person to reach about one patient. The same phone may care for several patients."""

    __tablename__ = "caregiver"
    __table_args__ = (
        UniqueConstraint("patient_id", "position"),
        UniqueConstraint("patient_id", "phone"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    # 1 is called first.
    position: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="en")
    # Quiet hours, wall-clock "HH:MM" in the caregiver's zone (both or neither): routine texts to this
    # caregiver wait until they end (``alerts.domain.quiet_hours``); emergencies and risks never do.
    quiet_start: Mapped[str | None] = mapped_column(String(5), default=None)
    quiet_end: Mapped[str | None] = mapped_column(String(5), default=None)
    # The caregiver's own IANA zone, for their quiet hours; None: the patient's (``quiet_zone``), so a
    # caregiver who lives elsewhere keeps their night when the patient's zone changes.
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="caregivers")


class OptOut(Base):
    """A phone number that replied STOP: carriers require we never text it again until START."""

    __tablename__ = "opt_out"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

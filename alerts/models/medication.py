from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class Medication(Base):
    """A medicine a patient takes. Schedules say when; this says what.

    Whether the clinical rules apply is decided by the drug (``alerts.domain.medications``): a
    medication with no clinical pack gets reminders and missed-dose escalation only.
    """

    __tablename__ = "medication"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # As the label says it ("10 mg tablet"); free text, never used in a calculation.
    strength: Mapped[str | None] = mapped_column(String(60), default=None)
    # "oral" | "intrathecal"
    route: Mapped[str] = mapped_column(String(16), default="oral")
    # RxNorm concept id (RXCUI), when the app that added it knows it.
    rxnorm_code: Mapped[str | None] = mapped_column(String(16), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class Medication(Base):
    """A medicine a patient takes. Schedules say when; this says what.

    Whether the clinical rules apply is decided by the drug (``alerts.domain.medications``): a
    medication with no clinical pack gets reminders and missed-dose escalation only.
    """

    __tablename__ = "medication"
    __table_args__ = (
        # The tick's supply sweep: medications whose planned supply check is due (a few a day).
        Index("ix_medication_supply_check_at", "supply_check_at", "id",
              postgresql_where=text("supply_check_at IS NOT NULL"), sqlite_where=text("supply_check_at IS NOT NULL")),
    )

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
    # Supply (``alerts.domain.supply``): units on hand, None while nobody has counted them (then
    # nothing is taken down and no low-supply reminder goes out). Each dose recorded for this
    # medication takes ``units_per_dose`` off, if it was taken after the count.
    supply_on_hand: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), default=None)
    units_per_dose: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(1))
    supply_counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The next refill, as the patient or pharmacy gave it (a local day in the patient's zone).
    refill_date: Mapped[date | None] = mapped_column(Date, default=None)
    # When the current low-supply episode began (its reminder was queued then); None: not low.
    # A refill or recount that lasts past the threshold clears it, so the next low is told again.
    supply_low_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # When the tick next reads this supply (``alerts.services.supply.plan_check``): the morning
    # after the refill day, if no count since has replaced it; None: nothing planned.
    supply_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

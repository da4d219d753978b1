from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from alerts.models.patient import Patient


class DoseSchedule(Base):
    """When a patient takes a medication: wall-clock times in the patient's zone, every day.

    ``medication_id`` null: a schedule written by code that predates medications as data; it is
    baclofen (migration 0013 points every older schedule at its patient's baclofen).
    """

    __tablename__ = "dose_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    medication_id: Mapped[int | None] = mapped_column(ForeignKey("medication.id", ondelete="RESTRICT"), index=True,
                                                      default=None)
    # ["08:00", "14:00", "20:00"], local to the patient.
    times: Mapped[list[str]] = mapped_column(JSON)
    dose_mg: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    grace_minutes: Mapped[int] = mapped_column(Integer, default=30)
    # Units (tablets) one dose of this schedule takes off its medication's supply; None: the
    # medication's ``units_per_dose`` (two tablets in the morning, one at night: two schedules).
    units_per_dose: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An edit never rewrites a schedule: it ends this row and starts a new version
    # (``alerts.services.schedules.edit_schedule``). ``replaces_id`` is the version before,
    # ``effective_from`` the due time of this version's first dose (null: from its creation),
    # ``ended_at`` when it was replaced or stopped. Doses keep pointing at the version they were for.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("dose_schedule.id", ondelete="SET NULL"),
                                                    default=None)
    effective_from: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    patient: Mapped[Patient] = relationship(back_populates="schedules")


class Dose(Base):
    """One scheduled dose: a schedule's time on one local day, pinned to a UTC instant.

    Each active schedule keeps exactly one ``pending`` dose: its next one. When that dose is taken or
    found missed, the next is created in the same transaction, so the tick only ever looks at due
    rows through the partial index below (cost follows due doses, not patients).
    """

    __tablename__ = "dose"
    __table_args__ = (
        # Makes planning a dose replay-safe (ON CONFLICT DO NOTHING). A dose is a schedule's local
        # time on a local day, pinned to an instant: (schedule, due_at) alone would refuse the second
        # of two times one spring-forward gap puts at the same instant. The instant stays in the key
        # because rows planned twice for one local time by older releases must still fit.
        UniqueConstraint("schedule_id", "local_date", "local_time", "due_at"),
        # The tick's query: pending doses whose grace has run out, oldest first.
        Index("ix_dose_pending_check_at", "check_at", "id",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        Index("ix_dose_patient_due", "patient_id", "due_at"),
        # The care console's patients list and reports read every visible patient's doses over
        # the last 7/30 days: a time range across patients, which the index above cannot serve
        # once the table holds years of history.
        Index("ix_dose_due_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    schedule_id: Mapped[int] = mapped_column(ForeignKey("dose_schedule.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # due_at + grace: when a dose with no matching dose event counts as missed.
    check_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    local_time: Mapped[str] = mapped_column(String(5))
    dose_mg: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    # pending -> taken | missed; missed -> taken (late) when a late dose arrives.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="SET NULL"), default=None)

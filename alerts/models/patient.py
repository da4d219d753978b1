from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from alerts.models.caregiver import Caregiver
    from alerts.models.schedule import DoseSchedule


class Patient(Base):
    __tablename__ = "patient"
    __table_args__ = (
        # The tick's clinical sweep: patients whose dose-pattern rules are due to be re-read.
        Index("ix_patient_clinical_check_at", "clinical_check_at", "id",
              postgresql_where=text("clinical_check_at IS NOT NULL"),
              sqlite_where=text("clinical_check_at IS NOT NULL")),
        # The tick's daily check-in prompts: patients whose prompt is due.
        Index("ix_patient_checkin_prompt_at", "checkin_prompt_at", "id",
              postgresql_where=text("checkin_prompt_at IS NOT NULL"),
              sqlite_where=text("checkin_prompt_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # IANA zone name; dose times are wall-clock here.
    timezone: Mapped[str] = mapped_column(String(64))
    # E.164; optional because some patients cannot use a phone (their caregivers are told instead).
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    # The brief: "Patients with impaired renal function are at an increased risk of baclofen toxicity".
    renal_impairment: Mapped[bool] = mapped_column(Boolean, default=False)
    # The brief: withdrawal risk is highest with "long-term use, especially with intrathecal pumps".
    intrathecal_pump: Mapped[bool] = mapped_column(Boolean, default=False)
    # Minutes between escalation steps, unless ``escalation_policy`` lists the steps itself.
    escalation_minutes: Mapped[int] = mapped_column(Integer, default=15)
    # Optional steps as data: [{"target": "patient"|"caregiver"|"all_caregivers",
    #   "position": 1, "after_minutes": 0}, ...]. None means the default policy.
    escalation_policy: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    # A clinician's overrides of the clinical rules' thresholds for this patient, by field name of
    # ``alerts.domain.clinical.history.ClinicalSettings`` (e.g. {"no_dose_window_hours": 12}).
    clinical_settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # When the dose-pattern rules (missed in a row, no dose for a window) must next be read for
    # this patient; None when nothing can change until a new event arrives.
    clinical_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The daily "How are your twitches today, 0-10?" text: a wall-clock "HH:MM" in the patient's
    # zone (None: no prompt), and the UTC instant of the next one (kept by the tick, DST-correct).
    checkin_prompt_time: Mapped[str | None] = mapped_column(String(5), default=None)
    checkin_prompt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    caregivers: Mapped[list[Caregiver]] = relationship(
        back_populates="patient", order_by="Caregiver.position", cascade="all, delete-orphan"
    )
    schedules: Mapped[list[DoseSchedule]] = relationship(back_populates="patient", cascade="all, delete-orphan")

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class Device(Base):
    """A wearable, smart pill bottle or intrathecal pump that reports for one patient.

    Devices name themselves (``external_id``: a serial, a FHIR Device reference, an Open mHealth
    source name); the first report from an unknown name registers it. A clinician sets how often it
    should report (``expected_interval_minutes``): only then is silence watched.
    """

    __tablename__ = "device"
    __table_args__ = (
        UniqueConstraint("patient_id", "external_id"),
        # The tick's offline sweep: devices whose expected report is overdue and not yet announced.
        Index("ix_device_offline_check_at", "offline_check_at", "id",
              postgresql_where=text("offline_check_at IS NOT NULL"),
              sqlite_where=text("offline_check_at IS NOT NULL")),
        # The tick's refill sweep: pumps whose next refill reminder is due.
        Index("ix_device_refill_reminder_at", "refill_reminder_at", "id",
              postgresql_where=text("refill_reminder_at IS NOT NULL"),
              sqlite_where=text("refill_reminder_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(128))
    # wearable | pill_bottle | pump
    kind: Mapped[str] = mapped_column(String(16), default="wearable")
    # None: silence is not watched (a pill bottle only speaks when opened).
    expected_interval_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    # When the device last reported (server time: a backlog synced today is a device alive today).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # last_seen_at + expected interval while armed; None once "offline" was sent, until it reports.
    offline_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Pumps: the next refill appointment (a local calendar day in the patient's zone) ...
    refill_date: Mapped[date | None] = mapped_column(Date, default=None)
    # ... and the next reminder about it: its instant and how many days before the refill it is.
    refill_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    refill_reminder_days: Mapped[int | None] = mapped_column(Integer, default=None)
    # Smart pill bottles: the medicine the bottle holds, so each opening is a dose of it (None: the
    # dose is matched to whichever medicine was due, as any unnamed dose is).
    medication_id: Mapped[int | None] = mapped_column(ForeignKey("medication.id", ondelete="SET NULL"),
                                                      default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeviceEvent(Base):
    """Something a device reported happening: a seizure, a fall, a pill bottle opened, a pump alarm.

    A seizure with a cancel window waits here as ``pending`` until ``raise_at``: the tick raises the
    emergency then, unless the wearer cancelled it (the database, not a Celery countdown, holds it).
    """

    __tablename__ = "device_event"
    __table_args__ = (
        UniqueConstraint("patient_id", "dedupe_key"),
        Index("ix_device_event_pending_raise_at", "raise_at", "id",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        Index("ix_device_event_patient_occurred", "patient_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id", ondelete="SET NULL"), default=None)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(160))
    # recorded (nothing more to do) | pending (cancel window open) | cancelled | raised
    status: Mapped[str] = mapped_column(String(16), default="recorded")
    raise_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="SET NULL"), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

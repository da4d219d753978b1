from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from alerts.models.base import Base, UTCDateTime

# SQLite only makes INTEGER PRIMARY KEY an alias of its rowid (autoincrementing); BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Reading(Base):
    """One vital-sign sample from a device, in its canonical unit (``alerts.domain.vitals.KINDS``).

    Readings arrive by the thousand: the table is written with the database's bulk path and has
    only the indexes the rules read by. ``dedupe_key`` (the sender's id for the sample, or device,
    kind and instant) makes a re-sent batch store nothing twice.
    """

    __tablename__ = "reading"
    __table_args__ = (
        UniqueConstraint("patient_id", "dedupe_key"),
        # The sustained-window rules read one patient's recent readings of one kind.
        Index("ix_reading_patient_kind_measured", "patient_id", "kind", "measured_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # No foreign keys on this table, on purpose: PostgreSQL checks a foreign key with a trigger per
    # row, which nearly halved bulk-insert speed (bench/wearables.py). Both ids come from rows the
    # same transaction has just read or written (the request's patient, ``resolve_devices``), and
    # neither patients nor devices are ever deleted.
    patient_id: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[int | None] = mapped_column(Integer, default=None)
    kind: Mapped[str] = mapped_column(String(24))
    value: Mapped[float] = mapped_column(Float)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dedupe_key: Mapped[str] = mapped_column(String(160))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VitalFinding(Base):
    """A vital-sign condition that held over its sustained window (fever, slow breathing ...).

    The withdrawal-vs-toxicity assessment reads these, not raw readings: a few rows per episode
    instead of a day of per-second samples.
    """

    __tablename__ = "vital_finding"
    __table_args__ = (
        UniqueConstraint("patient_id", "key", "at"),
        Index("ix_vital_finding_patient_at", "patient_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    # A key of ``alerts.domain.clinical.history.VITAL_FINDING_KEYS``.
    key: Mapped[str] = mapped_column(String(32))
    # When the condition became sustained (the last reading that completed the window).
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The most abnormal value in the window, canonical unit.
    value: Mapped[float] = mapped_column(Float)


class ReadingHour(Base):
    """One patient's readings of one kind in one UTC hour, folded: lowest, highest, sum and count.

    The console's 30- and 90-day charts read these (a few thousand rows) instead of every reading
    (~130,000 per vital over 90 days for a wearable sending one a minute). Written in the same
    transaction as the readings, from the rows actually stored (``alerts.services.rollup``), so a
    re-sent batch adds nothing; min, max and the weighted average of any span of whole hours are
    exact from these four numbers.
    """

    __tablename__ = "reading_hour"

    # No foreign key, as on ``reading``: written with it, by the same bulk path.
    patient_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)  # the hour's start, UTC
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    total: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class ExportJob(Base):
    """A FHIR Bulk Data ``$export``: what was asked, by which token, and how far the worker got.

    The row is the job (the status URL reads it); the Celery message only says "start now", so a
    lost message or a dead worker is noticed by the next status poll and the job is handed out again.
    """

    __tablename__ = "fhir_export_job"
    __table_args__ = (
        Index("ix_fhir_export_job_status_updated", "status", "updated_at"),
    )

    # A random id: the status and file URLs must not be guessable from another job's.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # accepted -> in-progress -> completed | failed; any of them -> cancelled (DELETE).
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    # "system" ($export of every patient) or "group" (Group/{group_id}/$export).
    level: Mapped[str] = mapped_column(String(8))
    group_id: Mapped[str | None] = mapped_column(String(64), default=None)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"), index=True)
    types: Mapped[list[str]] = mapped_column(JSON)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    request_url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The worker's heartbeat: moved on every progress write. A job in progress whose heartbeat is
    # old lost its worker.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resources_written: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), default=0)
    # [{"type": "Observation", "count": 123}, ...] once completed (the URLs are built when served).
    output: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from alerts.models.base import Base, UTCDateTime


class Heartbeat(Base):
    """The last time each part of the alerting loop did its job, written by that part itself.

    ``beat`` when Celery beat last published a tick, ``tick`` when a worker last finished one,
    ``send`` when a worker last finished draining the outbox. ``/readyz`` and ``dosewatch doctor``
    read them: a process that died writes nothing, so a stale row is what "alerting stopped" looks
    like from outside (Redis, being disposable, is no place to keep this).
    """

    __tablename__ = "heartbeat"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)

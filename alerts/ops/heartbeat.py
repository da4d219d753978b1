"""Heartbeats in the database: each part of the alerting loop stamps the instant it last did its job.

``beat``: Celery beat published a tick. ``tick``: a worker finished one. ``send``: a worker finished
draining the outbox. A stamp is one UPDATE (an INSERT the first time), in its own short transaction,
so it never holds a lock that alerting waits on, and a failure to write it is logged, never raised:
the heartbeat reports on alerting and must never be the reason alerting stops.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from alerts.models import Heartbeat
from alerts.services.sql import insert_ignore

log = logging.getLogger("dosewatch.heartbeat")

NAMES = ("beat", "tick", "send")


def stamp(sessions: sessionmaker[Session], name: str, now: datetime) -> None:
    """Record that ``name`` did its job at ``now`` (a later stamp never goes back in time)."""
    try:
        with sessions.begin() as session:
            done = session.execute(update(Heartbeat).where(Heartbeat.name == name, Heartbeat.beat_at < now)
                                   .values(beat_at=now).execution_options(synchronize_session=False))
            if not done.rowcount:  # type: ignore[attr-defined]
                insert_ignore(session, Heartbeat.__table__, [{"name": name, "beat_at": now}])
    except SQLAlchemyError as exc:
        log.warning("heartbeat %s not recorded: %s", name, exc.__class__.__name__)


def read(session: Session) -> dict[str, datetime]:
    """Every heartbeat recorded so far, by name."""
    return {name: at for name, at in session.execute(select(Heartbeat.name, Heartbeat.beat_at))}

"""Is alerting working? What ``GET /readyz`` and ``dosewatch doctor`` answer.

:func:`assess` is pure: a :class:`Snapshot` of what was observed (heartbeats, the oldest due outbox
rows, whether the database and broker answered) and ``now`` in, a :class:`Report` out. The rule:
alerting has stalled when a part of the loop has not done its job for ``STALL_INTERVALS`` tick
periods (beat publishing the tick, a worker running it, a worker draining the outbox), or when a
message has been due for that long without leaving. One late tick is noise (a slow tick, a worker
restart); three in a row is an outage someone must be woken for.

:func:`observe` takes the snapshot: one query for the heartbeats, one for the due outbox rows, and a
connection to the broker with a short timeout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from alerts.domain.delivery import PRIORITY_NAMES
from alerts.models import Notification
from alerts.ops import heartbeat

STALL_INTERVALS = 3

# What each heartbeat means, for the report and the operator reading it at 3 a.m.
_MEANING = {
    "beat": "Celery beat publishing the tick",
    "tick": "a worker running the tick (missed doses, escalation steps)",
    "send": "a worker draining the outbox (sending messages)",
}


@dataclass(frozen=True)
class DueRows:
    """Queued messages whose time has come, of one kind and priority."""

    kind: str
    priority: str  # emergency | urgent | routine (alerts.domain.delivery)
    count: int
    oldest_due_at: datetime


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    tick_seconds: float
    database_error: str | None = None
    broker_error: str | None = None
    heartbeats: dict[str, datetime] = field(default_factory=dict)
    due: list[DueRows] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    age_seconds: float | None = None


@dataclass(frozen=True)
class Report:
    checks: list[Check]
    due: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def ok_for(self, component: str) -> bool:
        """Health of one process, for a container health check (``dosewatch doctor --check``).

        ``beat``: it published a tick lately. ``worker``: it ran the ticks beat published and
        drained the outbox; when beat itself is silent the worker has had nothing to run, so that is
        beat's failure, not the worker's (restarting a healthy worker would not help). ``web``: the
        database answers. ``all``: everything, as ``/readyz``.
        """
        if component == "all":
            return self.ok
        if component == "web":
            return self.check("database").ok
        if component == "beat":
            return self.check("database").ok and self.check("beat").ok
        if component == "worker":
            if not self.check("database").ok:
                return False
            if not self.check("beat").ok:
                return True
            return all(self.check(n).ok for n in ("tick", "send", "outbox"))
        raise ValueError(f"unknown component {component!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "stalled",
            "checks": {c.name: {"ok": c.ok, "detail": c.detail,
                                **({"age_seconds": round(c.age_seconds, 1)} if c.age_seconds is not None else {})}
                       for c in self.checks},
            "outbox_due": self.due,
        }


def assess(snapshot: Snapshot, stall_intervals: int = STALL_INTERVALS) -> Report:
    limit = stall_intervals * snapshot.tick_seconds
    checks = [
        Check("database", snapshot.database_error is None, snapshot.database_error or "answers"),
        Check("broker", snapshot.broker_error is None, snapshot.broker_error or "answers"),
    ]
    for name in heartbeat.NAMES:
        at = snapshot.heartbeats.get(name)
        if snapshot.database_error is not None:
            checks.append(Check(name, False, "unknown: the database did not answer"))
        elif at is None:
            checks.append(Check(name, False, f"never: no sign of {_MEANING[name]}"))
        else:
            age = max((snapshot.now - at).total_seconds(), 0.0)
            ok = age <= limit
            detail = (f"last {age:.0f} s ago" if ok else
                      f"stalled: nothing from {_MEANING[name]} for {age:.0f} s (limit {limit:.0f} s)")
            checks.append(Check(name, ok, detail, age))
    oldest = min((d.oldest_due_at for d in snapshot.due), default=None)
    if snapshot.database_error is not None:
        checks.append(Check("outbox", False, "unknown: the database did not answer"))
    elif oldest is None:
        checks.append(Check("outbox", True, "nothing due", 0.0))
    else:
        age = max((snapshot.now - oldest).total_seconds(), 0.0)
        ok = age <= limit
        waiting = sum(d.count for d in snapshot.due)
        checks.append(Check("outbox", ok, f"{waiting} due, oldest for {age:.0f} s"
                            + ("" if ok else f" (limit {limit:.0f} s): messages are not leaving"), age))
    due = [{"kind": d.kind, "priority": d.priority, "count": d.count,
            "oldest_age_seconds": round(max((snapshot.now - d.oldest_due_at).total_seconds(), 0.0), 1)}
           for d in sorted(snapshot.due, key=lambda d: (_RANK.get(d.priority, len(_RANK)), d.oldest_due_at))]
    return Report(checks, due)


# Most pressing first in the report, as the sender claims them.
_RANK = {name: rank for rank, name in PRIORITY_NAMES.items()}


def due_rows(session: Session, now: datetime) -> list[DueRows]:
    """Queued messages already due, grouped by kind and priority (``ix_notification_queued_priority``)."""
    rows = session.execute(
        select(Notification.kind, Notification.priority, func.count(), func.min(Notification.next_attempt_at))
        .where(Notification.status == "queued", Notification.next_attempt_at <= now)
        .group_by(Notification.kind, Notification.priority)
    ).all()
    return [DueRows(kind, PRIORITY_NAMES.get(priority, str(priority)), count, oldest)
            for kind, priority, count, oldest in rows]


def broker_error(broker_url: str, celery_app: Any, timeout: float = 2.0) -> str | None:
    """None if the broker accepts a connection within ``timeout`` seconds, else why not."""
    if broker_url.startswith("memory://"):
        return None
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the answer
        return f"unreachable: {exc.__class__.__name__}"
    return None


def observe(session: Session, now: datetime, tick_seconds: float, broker: str | None) -> Snapshot:
    """Look at the database (heartbeats, due rows); ``broker`` is :func:`broker_error`'s answer."""
    try:
        session.execute(text("SELECT 1"))
        beats = heartbeat.read(session)
        due = due_rows(session, now)
    except Exception as exc:  # noqa: BLE001 - a database that fails is what this reports
        session.rollback()
        return Snapshot(now, tick_seconds, database_error=f"unreachable: {exc.__class__.__name__}",
                        broker_error=broker)
    return Snapshot(now, tick_seconds, None, broker, beats, due)

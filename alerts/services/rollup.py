"""The hourly rollup of readings (``reading_hour``), kept in the transaction that stores them.

A stored batch is folded here in Python per (kind, UTC hour) and added to the table with one
INSERT ... ON CONFLICT DO UPDATE: lowest of the lows, highest of the highs, sums and counts added.
Only the readings a batch actually stored are given here (``alerts.services.wearables`` knows which:
a re-sent reading is skipped by the reading's dedupe key before it reaches the rollup), so a
re-sent batch counts nothing twice, and a late or out-of-order reading lands in its own hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.models import ReadingHour

_TABLE = ReadingHour.__table__


def hour_of(at: datetime) -> datetime:
    """The start of ``at``'s UTC hour."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def fold(readings: Iterable[tuple[str, float, datetime]]) -> dict[tuple[str, datetime], list[Any]]:
    """(kind, value, measured_at) folded per (kind, hour) into [low, high, total, count]."""
    out: dict[tuple[str, datetime], list[Any]] = {}
    for kind, value, at in readings:
        # Parsed readings are already UTC: one replace() each, the zone conversion only when needed.
        hour = at.replace(minute=0, second=0, microsecond=0) if at.tzinfo is UTC else hour_of(at)
        acc = out.get((kind, hour))
        if acc is None:
            out[(kind, hour)] = [value, value, value, 1]
        else:
            if value < acc[0]:
                acc[0] = value
            if value > acc[1]:
                acc[1] = value
            acc[2] += value
            acc[3] += 1
    return out


def add_readings(session: Session, patient_id: int, readings: Iterable[tuple[str, float, datetime]]) -> int:
    """Add newly stored readings to their hours; returns how many hour rows were written."""
    folded = fold(readings)
    if not folded:
        return 0
    # In key order: two transactions adding to the same hours lock them in the same order.
    rows = [{"patient_id": patient_id, "kind": kind, "hour": hour, "low": a[0], "high": a[1], "total": a[2],
             "count": a[3]} for (kind, hour), a in sorted(folded.items())]
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = (postgresql if postgres else sqlite).insert(_TABLE).values(rows)
    # PostgreSQL's two-argument minimum is LEAST; SQLite's scalar min() takes two arguments.
    least, greatest = (func.least, func.greatest) if postgres else (func.min, func.max)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[_TABLE.c.patient_id, _TABLE.c.kind, _TABLE.c.hour],
        set_={"low": least(_TABLE.c.low, stmt.excluded.low), "high": greatest(_TABLE.c.high, stmt.excluded.high),
              "total": _TABLE.c.total + stmt.excluded.total, "count": _TABLE.c.count + stmt.excluded.count}))
    return len(rows)

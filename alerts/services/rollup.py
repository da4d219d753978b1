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


def fold(readings: Iterable[tuple[str, float, datetime]]) -> dict[tuple[str, datetime], tuple[float, float, float, int]]:
    """(kind, value, measured_at) folded per (kind, UTC hour) into (low, high, total, count).

    Runs on every reading the ingest stores, so it does as little per reading as Python allows:
    the hour is keyed by its fields (``datetime.replace`` cost four times as much), and each
    group's figures come from the C builtins once per hour, not from a comparison per reading.
    """
    groups: dict[tuple[str, int, int, int, int], list[float]] = {}
    for kind, value, at in readings:
        if at.tzinfo is not UTC:  # parsed readings are UTC already; a driver's may be in another zone
            at = at.astimezone(UTC)
        key = (kind, at.year, at.month, at.day, at.hour)
        values = groups.get(key)
        if values is None:
            groups[key] = values = []
        values.append(value)
    return {(kind, datetime(y, m, d, h, tzinfo=UTC)): (min(v), max(v), sum(v), len(v))
            for (kind, y, m, d, h), v in groups.items()}


def _upsert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (patient_id, kind, hour) DO UPDATE, adding an hour's figures to the
    stored ones. Built once per dialect and run with the rows as parameters, so SQLAlchemy compiles
    it once (a ``.values(rows)`` statement was compiled anew for every batch)."""
    stmt = (postgresql if dialect == "postgresql" else sqlite).insert(_TABLE)
    # PostgreSQL's two-argument minimum is LEAST; SQLite's scalar min() takes two arguments.
    least, greatest = (func.least, func.greatest) if dialect == "postgresql" else (func.min, func.max)
    return stmt.on_conflict_do_update(
        index_elements=[_TABLE.c.patient_id, _TABLE.c.kind, _TABLE.c.hour],
        set_={"low": least(_TABLE.c.low, stmt.excluded.low), "high": greatest(_TABLE.c.high, stmt.excluded.high),
              "total": _TABLE.c.total + stmt.excluded.total, "count": _TABLE.c.count + stmt.excluded.count})


_UPSERT = {dialect: _upsert(dialect) for dialect in ("postgresql", "sqlite")}


def add_readings(session: Session, patient_id: int, readings: Iterable[tuple[str, float, datetime]]) -> int:
    """Add newly stored readings to their hours; returns how many hour rows were written."""
    folded = fold(readings)
    if not folded:
        return 0
    # In key order: two transactions adding to the same hours lock them in the same order.
    rows = [{"patient_id": patient_id, "kind": kind, "hour": hour, "low": a[0], "high": a[1], "total": a[2],
             "count": a[3]} for (kind, hour), a in sorted(folded.items())]
    session.execute(_UPSERT[session.get_bind().dialect.name], rows)
    return len(rows)

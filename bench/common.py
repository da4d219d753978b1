"""Shared by the benchmarks: a throw-away PostgreSQL database, fast seeding with COPY, timing.

Each benchmark creates its own database ``dosewatch_bench_<random>`` on the server named by
``BENCH_DATABASE_URL`` (default: the machine's ``test`` database) and drops it when done, even on
error, so it never touches anyone's data.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# Run as ``python bench/tick.py`` from the repository root: make ``alerts`` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, text  # noqa: E402

from alerts.db import Database  # noqa: E402
from alerts.models import Base  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TIMES = ["08:00", "14:00", "20:00"]


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


@contextmanager
def bench_database(label: str) -> Iterator[Database]:
    """A fresh database with the schema, dropped afterwards."""
    name = f"dosewatch_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(server_url().rsplit("/", 1)[0] + f"/{name}")
    try:
        Base.metadata.create_all(db.engine)
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_rows(engine: Engine, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    """Bulk-load with PostgreSQL COPY (psycopg 3), the fastest way in."""
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def seed_patients(engine: Engine, count: int, now: datetime, due: int, first_id: int = 1) -> None:
    """``count`` patients in New York with one caregiver and a 3-doses-a-day schedule each, and one
    pending dose per schedule. The first ``due`` doses are past their grace at ``now``; the others
    fall due over the next eight hours (as they would across a real day)."""
    ids = range(first_id, first_id + count)
    copy_rows(engine, "patient",
              ["id", "name", "timezone", "phone", "language", "renal_impairment", "intrathecal_pump",
               "escalation_minutes", "created_at"],
              ((i, f"Patient {i}", "America/New_York", f"+1500{i:07d}", "en", False, False, 15, now) for i in ids))
    copy_rows(engine, "caregiver", ["id", "patient_id", "name", "phone", "position", "language", "created_at"],
              ((i, i, f"Carer {i}", f"+1415{i:07d}", 1, "en", now) for i in ids))
    copy_rows(engine, "dose_schedule",
              ["id", "patient_id", "times", "dose_mg", "grace_minutes", "active", "created_at"],
              ((i, i, '["08:00", "14:00", "20:00"]', 10, 30, True, now) for i in ids))

    def dose(i: int) -> tuple[Any, ...]:
        k = i - first_id
        if k < due:
            due_at = now - timedelta(minutes=31, seconds=k % 600)
        else:
            due_at = now + timedelta(seconds=60 + (k * 7919) % (8 * 3600))  # spread, not in id order
        return (i, i, i, due_at, due_at + timedelta(minutes=30), due_at.date(), "14:00", 10, "pending")

    copy_rows(engine, "dose",
              ["id", "patient_id", "schedule_id", "due_at", "check_at", "local_date", "local_time", "dose_mg",
               "status"],
              (dose(i) for i in ids))
    with engine.begin() as conn:
        for table in ("patient", "caregiver", "dose_schedule", "dose"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    vacuum_analyze(engine)


def vacuum_analyze(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"

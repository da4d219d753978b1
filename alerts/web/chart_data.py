"""The queries behind the patient page's charts: readings aggregated where they live.

A wearable sending a reading a minute gives ~130,000 readings per vital over 90 days. They are
never loaded into Python: the database folds the hourly rollup (``reading_hour``, 2,160 rows per
vital over 90 days) into fixed-length buckets from the period's start (lowest, highest, sum and
count per vital and bucket, one statement for every vital) and the page gets a few hundred rows.
The bucket is computed the way each database does it fastest: PostgreSQL's ``date_bin`` (grouping
by a timestamp, with the epoch arithmetic done once per bucket, not per row) and SQLite's
``strftime('%s')`` integer arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, func, select
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from alerts.domain.clinical.history import ClinicalSettings
from alerts.domain.vitals import alert_bands
from alerts.models import CheckIn, Patient, Reading, ReadingHour
from alerts.web.charts import (
    BUCKET_HOURS,
    VITALS,
    Bucket,
    SymptomChart,
    VitalChart,
    period_start,
    symptom_chart,
    vital_charts,
)


class _Bucketed(ColumnElement[Any]):
    """A timestamp column's bucket, ``seconds`` long, counted from ``origin``.

    The origin and length are rendered as literals, not bound parameters: PostgreSQL accepts the
    index expression in the select list only when it contains the GROUP BY expression *exactly*,
    and two bound parameters of equal value are not the same expression to it. Both values are
    computed here (an aware datetime and an int), never taken from a request.
    """

    inherit_cache = False  # the literals differ per patient and day: nothing worth caching

    def __init__(self, column: Any, origin: datetime, seconds: int) -> None:
        self.column = column
        self.origin = origin.astimezone(UTC)
        self.seconds = int(seconds)


class bucket_key(_Bucketed):  # noqa: N801 - used like a SQL function
    """What to GROUP BY."""

    inherit_cache = False
    type = Integer()


class bucket_index(_Bucketed):  # noqa: N801
    """The bucket's number from the origin (0, 1, 2 ...), to SELECT."""

    inherit_cache = False
    type = Integer()


def _origin_literal(element: _Bucketed) -> str:
    return f"TIMESTAMPTZ '{element.origin.isoformat()}'"


def _date_bin(element: _Bucketed, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"date_bin(INTERVAL '{element.seconds} seconds', {column}, {_origin_literal(element)})"


def _sqlite_index(element: _Bucketed, compiler: SQLCompiler, **kw: Any) -> str:
    # UTCDateTime stores naive UTC text on SQLite ("2026-12-06 16:00:00.000000"); %s reads it as UTC.
    column = compiler.process(element.column, **kw)
    origin = int(element.origin.timestamp())
    return f"((CAST(strftime('%s', {column}) AS INTEGER) - {origin}) / {element.seconds})"


@compiles(bucket_key, "postgresql")
def _key_pg(element: bucket_key, compiler: SQLCompiler, **kw: Any) -> str:
    return _date_bin(element, compiler, **kw)


@compiles(bucket_index, "postgresql")
def _index_pg(element: bucket_index, compiler: SQLCompiler, **kw: Any) -> str:
    return (f"(CAST(extract(epoch FROM {_date_bin(element, compiler, **kw)} - {_origin_literal(element)}) AS INTEGER)"
            f" / {element.seconds})")


@compiles(bucket_key, "sqlite")
@compiles(bucket_index, "sqlite")
def _bucket_sqlite(element: _Bucketed, compiler: SQLCompiler, **kw: Any) -> str:
    return _sqlite_index(element, compiler, **kw)


@compiles(bucket_key)
@compiles(bucket_index)
def _bucket_other(element: _Bucketed, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(f"time buckets are written for PostgreSQL and SQLite, not {compiler.dialect.name}")


def reading_buckets(session: Session, patient_id: int, kinds: list[str], start: datetime, now: datetime,
                    seconds: int) -> dict[str, list[Bucket]]:
    """Each kind's readings from ``start`` to ``now`` folded into buckets of ``seconds``: one
    statement, a few hundred rows back.

    Read from the hourly rollup (``reading_hour``: 24 rows a day per vital, not 1,440) whenever the
    buckets are made of whole UTC hours, which they are when the period starts on an hour (local
    midnight in every zone with a whole-hour offset) and are hours long: lowest, highest, sum and
    count of a bucket are then exactly those of its readings. A zone a half or quarter hour off UTC
    (India, Nepal, Newfoundland...) starts its days inside an hour, and reads the readings.
    The rollup's current hour may hold a reading stamped after ``now`` (a device clock running
    ahead, within what the ingest accepts); the readings' path stops at ``now``.
    """
    if start.timestamp() % 3600 == 0 and seconds % 3600 == 0:
        table, at = ReadingHour, ReadingHour.hour
        low, high, total, count = (func.min(ReadingHour.low), func.max(ReadingHour.high), func.sum(ReadingHour.total),
                                   func.sum(ReadingHour.count))
    else:
        table, at = Reading, Reading.measured_at  # type: ignore[assignment]
        low, high, total, count = (func.min(Reading.value), func.max(Reading.value), func.sum(Reading.value),
                                   func.count())
    stmt = (select(table.kind, bucket_index(at, start, seconds), low, high, total, count)
            .where(table.patient_id == patient_id, table.kind.in_(kinds), at >= start, at <= now)
            .group_by(table.kind, bucket_key(at, start, seconds)))
    out: dict[str, list[Bucket]] = {}
    for kind, index, lo, hi, tot, n in session.execute(stmt):
        out.setdefault(kind, []).append(Bucket(int(index), float(lo), float(hi), float(tot), int(n)))
    return out


def latest_readings(session: Session, patient_id: int, kinds: list[str]) -> dict[str, tuple[float, datetime]]:
    """Each kind's newest reading: one backwards step on the index per kind."""
    out = {}
    for kind in kinds:
        row = session.execute(select(Reading.value, Reading.measured_at)
                              .where(Reading.patient_id == patient_id, Reading.kind == kind)
                              .order_by(Reading.measured_at.desc()).limit(1)).first()
        if row is not None:
            out[kind] = (float(row[0]), row[1])
    return out


@dataclass(frozen=True)
class PatientCharts:
    days: int
    start: datetime
    vitals: list[VitalChart]
    symptoms: SymptomChart


def patient_charts(session: Session, patient: Patient, now: datetime, days: int,
                   settings: ClinicalSettings) -> PatientCharts:
    """The vitals and symptom charts of one patient over the last ``days`` local days."""
    start = period_start(patient.timezone, now, days)
    kinds = [kind for kind, _title in VITALS]
    buckets = reading_buckets(session, patient.id, kinds, start, now, BUCKET_HOURS[days] * 3600)
    vitals = vital_charts(alert_bands(settings), buckets, latest_readings(session, patient.id, kinds), start=start, days=days,
                          tz=patient.timezone)
    checkins = session.execute(select(CheckIn.recorded_at, CheckIn.symptoms).where(
        CheckIn.patient_id == patient.id, CheckIn.recorded_at >= start, CheckIn.recorded_at <= now)).all()
    symptoms = symptom_chart([(at, s or {}) for at, s in checkins], start=start, days=days, tz=patient.timezone)
    return PatientCharts(days, start, vitals, symptoms)

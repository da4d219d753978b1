"""The hourly rollup (``reading_hour``) the console's charts read, on SQLite and PostgreSQL.

After any sequence of batches (re-sent ones, overlapping ones, readings out of order and a backlog
synced days late), every (patient, kind, hour) row must equal the aggregate of the readings stored:
the charts' lowest, highest and average are read from it, and a double-counted re-send would move
the average and the "N readings" a clinician sees.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Patient, Reading, ReadingHour
from tests.support.settings import POLICY
from alerts.services.wearables import record_readings
from schemas.wearables import ParsedReading

NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
# Normal values (the rules run and raise nothing), in halves: sums of them are exact in a float, so
# the rollup's running sums can be compared exactly with a sum over the readings.
VALUES = {"heart_rate": (60.0, 90.0), "spo2": (95.0, 99.0), "body_temperature": (36.5, 37.5)}


def _reading(kind: str, value: float, at: datetime, device: str = "watch-1") -> ParsedReading:
    return ParsedReading(kind, value, at, device, f"{device}/{kind}/{at.isoformat()}")


def _random_reading(rng: random.Random) -> ParsedReading:
    kind = rng.choice(sorted(VALUES))
    low, high = VALUES[kind]
    value = rng.randint(int(low * 2), int(high * 2)) / 2
    # Mostly the last few hours, some from days back (a backlog synced late), to the second.
    back = rng.randint(0, 4 * 3600) if rng.random() < 0.8 else rng.randint(0, 5 * 86400)
    return _reading(kind, value, NOW - timedelta(seconds=back), device=rng.choice(("watch-1", "ring-2")))


def _hours(session: Session, patient_id: int) -> dict[tuple[str, datetime], tuple[float, float, float, int]]:
    rows = session.scalars(select(ReadingHour).where(ReadingHour.patient_id == patient_id))
    return {(h.kind, h.hour): (h.low, h.high, h.total, h.count) for h in rows}


def _direct(session: Session, patient_id: int) -> dict[tuple[str, datetime], tuple[float, float, float, int]]:
    """The same figures from every stored reading, folded here without the rollup's code."""
    groups: dict[tuple[str, datetime], list[float]] = {}
    for kind, value, at in session.execute(select(Reading.kind, Reading.value, Reading.measured_at)
                                           .where(Reading.patient_id == patient_id)):
        hour = datetime(at.year, at.month, at.day, at.hour, tzinfo=UTC)
        groups.setdefault((kind, hour), []).append(value)
    return {k: (min(v), max(v), sum(v), len(v)) for k, v in groups.items()}


def _record(session: Session, patient: Patient, batch: list[ParsedReading]) -> int:
    stored = record_readings(session, patient, batch, now=NOW, policy=POLICY).stored
    session.commit()
    return stored


def test_the_rollup_equals_the_readings_after_random_batches_with_re_sends_and_late_readings(
        session: Session, make_patient) -> None:  # type: ignore[no-untyped-def]
    rosa, omar = make_patient(name="Rosa"), make_patient(name="Omar")
    session.commit()
    rng = random.Random(13)
    sent: list[ParsedReading] = []
    for n in range(12):
        batch = [_random_reading(rng) for _ in range(rng.randint(1, 150))]
        if sent and n % 3 == 0:  # a re-send of part of what came before, mixed in
            batch += rng.sample(sent, min(len(sent), 40))
        if n % 4 == 1:
            batch += batch[:5]  # the same reading twice within one batch
        rng.shuffle(batch)
        _record(session, rosa if n % 5 else omar, batch)
        sent += batch

    for patient in (rosa, omar):
        direct = _direct(session, patient.id)
        assert direct, "the random batches stored readings for both patients"
        assert _hours(session, patient.id) == direct
    # The batches spread over many hours and days, late ones included.
    assert len({hour for _kind, hour in _hours(session, rosa.id)}) > 24


def test_a_re_sent_batch_adds_nothing_and_an_overlapping_one_adds_only_its_new_readings(
        session: Session, make_patient) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    session.commit()
    hour = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)
    batch = [_reading("heart_rate", v, hour + timedelta(minutes=m)) for m, v in enumerate((70.0, 80.0, 60.0))]
    assert _record(session, rosa, batch) == 3
    assert _hours(session, rosa.id) == {("heart_rate", hour): (60.0, 80.0, 210.0, 3)}

    assert _record(session, rosa, batch) == 0  # the same batch again, as a retry after a timeout
    assert _hours(session, rosa.id) == {("heart_rate", hour): (60.0, 80.0, 210.0, 3)}

    # Two old readings and one new, lower, one in the next hour: only the new one counts.
    overlap = batch[:2] + [_reading("heart_rate", 50.0, hour + timedelta(minutes=61))]
    assert _record(session, rosa, overlap) == 1
    assert _hours(session, rosa.id) == {("heart_rate", hour): (60.0, 80.0, 210.0, 3),
                                        ("heart_rate", hour + timedelta(hours=1)): (50.0, 50.0, 50.0, 1)}


def test_a_late_reading_joins_its_own_hour_lowering_its_minimum(
        session: Session, make_patient) -> None:  # type: ignore[no-untyped-def]
    rosa = make_patient(name="Rosa")
    session.commit()
    hour = datetime(2026, 6, 12, 3, 0, tzinfo=UTC)
    _record(session, rosa, [_reading("spo2", 97.0, hour + timedelta(minutes=30))])
    _record(session, rosa, [_reading("spo2", 99.0, NOW - timedelta(minutes=1))])
    _record(session, rosa, [_reading("spo2", 94.0, hour + timedelta(minutes=5)),  # synced three days late
                            _reading("spo2", 98.5, hour + timedelta(minutes=59, seconds=59))])

    assert _hours(session, rosa.id)[("spo2", hour)] == (94.0, 98.5, 289.5, 3)

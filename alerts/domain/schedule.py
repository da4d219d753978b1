"""Dose times: wall-clock in the patient's zone, turned into UTC instants correctly across DST.

Rules (the issue's, and what a patient would expect from a pill alarm):
- A time that does not exist on a spring-forward day (02:30 in New York) happens once, at the same
  distance after the jump (03:30 local): the dose is not skipped and not doubled.
- A time that happens twice on a fall-back day (01:30) happens once, the first time.
Both follow from PEP 495's ``fold=0``, which ``zoneinfo`` implements; the tests pin the behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Occurrence:
    due_at: datetime  # UTC
    local_date: date
    local_time: str  # "HH:MM" as scheduled (not as shifted by a DST gap)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


def parse_times(times: Sequence[str]) -> list[time]:
    """Validate "HH:MM" strings; return them sorted and unique. Raises ValueError."""
    if not times:
        raise ValueError("a schedule needs at least one time")
    parsed = set()
    for raw in times:
        match = _TIME_RE.match(raw) if isinstance(raw, str) else None
        if not match:
            raise ValueError(f"dose time {raw!r} is not HH:MM (24-hour)")
        parsed.add(time(int(match.group(1)), int(match.group(2))))
    return sorted(parsed)


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz`` (fold=0: see the module docstring)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_occurrence(times: Sequence[str], tz_name: str, after: datetime,
                    starts_on: date | None = None) -> Occurrence:
    """The first scheduled dose strictly after the instant ``after``."""
    tz = zone(tz_name)
    slots = parse_times(times)
    local_day = after.astimezone(tz).date() - timedelta(days=1)
    if starts_on and local_day < starts_on:
        local_day = starts_on
    # Three local days always hold the next occurrence of a daily schedule (a day is 23-25 hours).
    best: Occurrence | None = None
    for offset in range(3):
        day = local_day + timedelta(days=offset)
        for slot in slots:
            due = local_to_utc(day, slot, tz)
            if due > after and (best is None or due < best.due_at):
                best = Occurrence(due, day, slot.strftime("%H:%M"))
        if best is not None:
            return best
    raise AssertionError("unreachable: a daily schedule always has a next dose")  # pragma: no cover


def occurrences_between(times: Sequence[str], tz_name: str, start: datetime, end: datetime) -> list[Occurrence]:
    """Every scheduled dose in (start, end]: for reports, the demo and tests."""
    out = []
    cursor = start
    while True:
        occ = next_occurrence(times, tz_name, cursor)
        if occ.due_at > end:
            return out
        out.append(occ)
        cursor = occ.due_at


def interval_hours(times: Sequence[str]) -> float:
    """The shortest gap between consecutive doses of the day (24 for once a day), in hours."""
    slots = [t.hour * 60 + t.minute for t in parse_times(times)]
    gaps = [b - a for a, b in zip(slots, slots[1:], strict=False)] + [slots[0] + 1440 - slots[-1]]
    return min(gaps) / 60

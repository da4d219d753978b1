"""Facts about a dose history, shared by the dose-pattern alerts and the withdrawal-vs-toxicity
assessment, so that "two missed doses in a row" or "over the daily total" means one thing everywhere.

Pure: values and a ``now`` in, facts out. Datetimes are timezone-aware.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from alerts.domain.clinical.history import DoseRecord, DoseTaken


def _taken_instants(doses: Sequence[DoseRecord], taken: Sequence[DoseTaken]) -> list[datetime]:
    # A scheduled dose marked taken may not have a matching DoseTaken row (e.g. marked by a
    # caregiver), so both sources count as "a dose was taken then".
    instants = [t.taken_at for t in taken]
    instants += [d.taken_at or d.due_at for d in doses if d.status == "taken"]
    return instants


def missed_runs(
    doses: Sequence[DoseRecord], taken: Sequence[DoseTaken], now: datetime
) -> list[list[DoseRecord]]:
    """Runs of scheduled doses missed with no dose taken in between, oldest run first.

    Pending doses (not yet decided) neither count nor break a run; any dose taken, scheduled or
    not, ends the run before it.
    """
    # At equal instants the missed dose sorts first, so a dose taken right at its due time ends it.
    events: list[tuple[datetime, int, DoseRecord | None]] = []
    for d in doses:
        if d.status == "missed" and d.due_at <= now:
            events.append((d.due_at, 0, d))
    for instant in _taken_instants(doses, taken):
        if instant <= now:
            events.append((instant, 1, None))
    runs: list[list[DoseRecord]] = []
    current: list[DoseRecord] = []
    for _, _, dose in sorted(events, key=lambda e: (e[0], e[1])):
        if dose is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(dose)
    if current:
        runs.append(current)
    return runs


def current_missed_streak(doses: Sequence[DoseRecord], taken: Sequence[DoseTaken], now: datetime) -> int:
    """Scheduled doses missed since the last dose taken (counting back from the most recent)."""
    last_taken = max((i for i in _taken_instants(doses, taken) if i <= now), default=None)
    return sum(
        1
        for d in doses
        if d.status == "missed" and d.due_at <= now and (last_taken is None or d.due_at > last_taken)
    )


def time_without_dose(
    doses: Sequence[DoseRecord], taken: Sequence[DoseTaken], now: datetime
) -> timedelta | None:
    """How long since the last dose taken; if none was ever taken, since the first dose was due.

    None when there is nothing to measure from (no dose taken and none due yet).
    """
    last = max((i for i in _taken_instants(doses, taken) if i <= now), default=None)
    if last is None:
        last = min((d.due_at for d in doses if d.due_at <= now), default=None)
    return None if last is None else now - last


def too_soon_doses(
    taken: Sequence[DoseTaken], interval_hours: float | None, fraction: float, since: datetime
) -> list[tuple[DoseTaken, timedelta]]:
    """Doses taken at or after ``since`` less than ``fraction * interval_hours`` after the previous
    dose, with the gap. Empty when the schedule has no regular interval."""
    if interval_hours is None:
        return []
    limit = timedelta(hours=interval_hours * fraction)
    ordered = sorted(taken, key=lambda t: t.taken_at)
    return [
        (later, later.taken_at - earlier.taken_at)
        for earlier, later in itertools.pairwise(ordered)
        if later.taken_at >= since and later.taken_at - earlier.taken_at < limit
    ]


def usual_dose_mg(doses: Sequence[DoseRecord]) -> float:
    """The largest prescribed single dose on the schedule (0 when there is no schedule)."""
    return max((d.dose_mg for d in doses), default=0.0)


def amount_mg(dose: DoseTaken, usual_mg: float) -> float:
    # A dose reported without an amount is counted as a usual dose: undercounting would hide an
    # overdose, and "a dose" most plausibly means the prescribed one.
    return usual_mg if dose.dose_mg is None else dose.dose_mg


def local_day_totals(taken: Sequence[DoseTaken], zone: ZoneInfo, usual_mg: float) -> dict[date, float]:
    """Milligrams taken per calendar day in the patient's time zone (23 or 25 hours on DST days)."""
    totals: dict[date, float] = {}
    for t in taken:
        day = t.taken_at.astimezone(zone).date()
        totals[day] = totals.get(day, 0.0) + amount_mg(t, usual_mg)
    return totals


def taken_mg_between(taken: Sequence[DoseTaken], start: datetime, end: datetime, usual_mg: float) -> float:
    """Milligrams taken in ``(start, end]``."""
    return sum(amount_mg(t, usual_mg) for t in taken if start < t.taken_at <= end)


def fmt_mg(value: float) -> str:
    """12.5 -> "12.5", 20.0 -> "20"."""
    return f"{round(value, 1):g}"


def fmt_gap(gap: timedelta) -> str:
    """A short duration for a message: "45 min", "3 h", "1 h 20 min"."""
    minutes = int(gap.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"

"""Dose times: wall-clock in the patient's zone, turned into UTC instants correctly across DST.

Rules (the issue's, and what a patient would expect from a pill alarm):
- Every scheduled time is due exactly once per local day.
- A time that does not exist on a spring-forward day (02:30 in New York, 00:30 in Santiago, 02:15 in
  Lord Howe's half-hour jump) is due at the first instant after the gap (03:00, 01:00, 02:30 local).
  Not "as far after the jump as it was into the gap" (PEP 495's ``fold=0``, 03:30): that lands on
  the next hour's wall-clock time, so a 02:30 dose fell on the 03:30 dose and one of them was lost.
- A time that happens twice on a fall-back day (01:30) happens once, the first time (``fold=0``).
Two times in one gap (00:00 and 00:30 in Santiago) are then due at the same instant; each is still
its own dose, identified by its local day and time, never merged into the other. So a schedule's
next dose follows the previous one in local (day, time) order, not "the first instant after it".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Occurrence:
    due_at: datetime  # UTC
    local_date: date
    local_time: str  # "HH:MM" as scheduled (not as shifted by a DST gap)


# Names ``available_timezones`` lists that are not places: "localtime" is the server's own zone (a
# patient's doses would move with the server), "Factory" is tzdata's "zone not set".
_NOT_PLACES = frozenset({"localtime", "Factory"})


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


@lru_cache(maxsize=1)
def _iana_zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_PLACES


def check_zone_name(name: str) -> str:
    """``name`` if it is an IANA zone (legacy links such as ``US/Eastern`` and ``Asia/Calcutta``
    included), else ValueError. Stricter than ``ZoneInfo``, which also opens any file under the
    zoneinfo directory: ``right/UTC`` (leap seconds: every instant 27 s off), ``posix/...`` and the
    server's ``localtime``."""
    if name not in _iana_zone_names():
        raise ValueError(f"unknown IANA time zone {name!r}: use a name such as America/New_York "
                         "(a UTC offset is not a zone: it does not follow daylight saving time)")
    return name


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
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz``: its first occurrence when it happens
    twice, the first instant after the gap when it does not happen (see the module docstring)."""
    wall = datetime.combine(day, at)
    instant = wall.replace(tzinfo=tz).astimezone(UTC)  # fold=0: the first of a repeated time
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return instant
    return _end_of_gap(wall, tz)


def _end_of_gap(wall: datetime, tz: ZoneInfo) -> datetime:
    """The transition instant that skips the nonexistent wall-clock time ``wall``.

    Read from the zone's rules rather than assumed to be an hour on the hour: gaps are 30 minutes
    in Lord Howe, start at midnight in Santiago, and were a whole day in Apia in 2011. The two
    readings of ``wall`` (with the offsets before and after the transition) bracket the transition;
    a search by the second finds the first instant whose local time is past ``wall``.
    """
    bounds = [wall.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1)]
    low, high = int(min(bounds).timestamp()), int(max(bounds).timestamp())
    while high - low > 1:  # invariant: local time at ``low`` is before the gap, at ``high`` after it
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(tz).replace(tzinfo=None) > wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def occurrence(day: date, at: time, tz: ZoneInfo) -> Occurrence:
    return Occurrence(local_to_utc(day, at, tz), day, at.strftime("%H:%M"))


def next_occurrence(times: Sequence[str], tz_name: str, after: datetime,
                    starts_on: date | None = None) -> Occurrence:
    """The first scheduled dose strictly after the instant ``after``."""
    tz = zone(tz_name)
    slots = parse_times(times)
    local_day = after.astimezone(tz).date() - timedelta(days=1)
    if starts_on and local_day < starts_on:
        local_day = starts_on
    # Three local days always hold the next occurrence of a daily schedule (a day is 23-25 hours).
    # Local (day, time) order is UTC order (ties only inside one gap), so the first found is the earliest.
    for offset in range(3):
        day = local_day + timedelta(days=offset)
        for slot in slots:
            occ = occurrence(day, slot, tz)
            if occ.due_at > after:
                return occ
    raise AssertionError("unreachable: a daily schedule always has a next dose")  # pragma: no cover


def following_occurrence(times: Sequence[str], tz_name: str, local_date: date, local_time: str) -> Occurrence:
    """The dose after the one scheduled at ``local_time`` on ``local_date``: the next time that day,
    else the first time the next day. By local day and time, so two doses one gap puts at the same
    instant both happen, and each local time is due once a day whatever the zone's transitions."""
    tz = zone(tz_name)
    slots = parse_times(times)
    previous = parse_times([local_time])[0]
    later = [slot for slot in slots if slot > previous]
    if later:
        return occurrence(local_date, later[0], tz)
    return occurrence(local_date + timedelta(days=1), slots[0], tz)


def rezoned_occurrence(times: Sequence[str], tz_name: str, local_date: date, local_time: str,
                       now: datetime) -> Occurrence:
    """Where the dose owed at ``local_time`` on ``local_date`` falls once the patient's zone is
    ``tz_name``: the same local day and time in the new zone, so no dose is skipped (moving east) and
    none already taken comes round again (moving west). When the move puts more than one dose in the
    past, the latest of them is the one owed: one overdue dose, not a burst of missed ones."""
    owed = occurrence(local_date, parse_times([local_time])[0], zone(tz_name))
    while (following := following_occurrence(times, tz_name, owed.local_date, owed.local_time)).due_at <= now:
        owed = following
    return owed


def occurrences_between(times: Sequence[str], tz_name: str, start: datetime, end: datetime) -> list[Occurrence]:
    """Every scheduled dose in (start, end], in the order they follow one another: for the demo and tests."""
    out = []
    occ = next_occurrence(times, tz_name, start)
    while occ.due_at <= end:
        out.append(occ)
        occ = following_occurrence(times, tz_name, occ.local_date, occ.local_time)
    return out


def interval_hours(times: Sequence[str]) -> float:
    """The shortest gap between consecutive doses of the day (24 for once a day), in hours."""
    slots = [t.hour * 60 + t.minute for t in parse_times(times)]
    gaps = [b - a for a, b in zip(slots, slots[1:], strict=False)] + [slots[0] + 1440 - slots[-1]]
    return min(gaps) / 60


def previous_occurrence(times: Sequence[str], tz_name: str, at: datetime) -> Occurrence:
    """The last scheduled dose due at or before the instant ``at``."""
    tz = zone(tz_name)
    slots = parse_times(times)
    local_day = at.astimezone(tz).date() + timedelta(days=1)
    for offset in range(3):
        day = local_day - timedelta(days=offset)
        for slot in reversed(slots):
            occ = occurrence(day, slot, tz)
            if occ.due_at <= at:
                return occ
    raise AssertionError("unreachable: a daily schedule always has a previous dose")  # pragma: no cover


@dataclass(frozen=True)
class ChangeOver:
    """Where an edited schedule hands over to its new times (``change_over``)."""

    first: Occurrence  # the new times' first dose: the new version is in force from its instant
    # The old times' doses not yet due that still come before it (the rest of today, when today
    # cannot switch): given as before, so the day is neither short nor doubled.
    old_still_due: tuple[Occurrence, ...]


def change_over(old_times: Sequence[str], new_times: Sequence[str], tz_name: str, now: datetime,
                starts_on: date | None = None, earlier_still_due: Sequence[Occurrence] = ()) -> ChangeOver:
    """How a schedule edited at ``now`` moves from ``old_times`` to ``new_times`` without doubling or
    dropping a dose.

    Doses already due (``due_at <= now``) stay as they are, whatever becomes of them. Of the local
    day ``now`` falls on, ``k`` old times are then due. Today switches to the new times at once if
    the new schedule's dose number ``k + 1`` is still to come, and no sooner after the last old dose
    due than half the new schedule's shortest interval: today then has as many doses as the new
    schedule gives a day, none of them crowding the one before. Otherwise today keeps its old times
    (its count and spacing are what they were) and the new times start tomorrow. So 08:00 -> 09:00
    once a day, edited at 08:30, keeps today's 08:00 (due already) and starts 09:00 tomorrow, not a
    second dose at 09:00 today; 08:00 -> 07:00 edited at 07:30 keeps today's 08:00 rather than write
    down a 07:00 dose that was missed before anyone asked for it.

    A schedule whose first day (``starts_on``) is still to come has given no dose: the new times
    start on that day. A schedule changed twice in a day, whose day still follows the times before
    the first change (``earlier_still_due``: those doses still to come), finishes that day as it
    was: the new times start the day after, not on top of the doses it still owes.
    """
    tz = zone(tz_name)
    new = parse_times(new_times)
    today = now.astimezone(tz).date()
    if starts_on is not None and starts_on > today:
        return ChangeOver(next_occurrence(new_times, tz_name, now, starts_on), ())
    if earlier_still_due:
        last_day = max(occ.local_date for occ in earlier_still_due)
        return ChangeOver(occurrence(last_day + timedelta(days=1), new[0], tz), ())
    old_today = [occurrence(today, slot, tz) for slot in parse_times(old_times)]
    done = sum(1 for occ in old_today if occ.due_at <= now)
    if done < len(new):
        candidate = occurrence(today, new[done], tz)
        last = previous_occurrence(old_times, tz_name, now)
        spacing = timedelta(hours=interval_hours(new_times) / 2)
        if candidate.due_at > now and candidate.due_at - last.due_at >= spacing:
            return ChangeOver(candidate, ())
    still_due = tuple(occ for occ in old_today if occ.due_at > now)
    return ChangeOver(occurrence(today + timedelta(days=1), new[0], tz), still_due)

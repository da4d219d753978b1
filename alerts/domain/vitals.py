"""Vital signs from wearables: canonical units, plausible ranges, and the sustained-window rules.

Pure: plain values and a ``now`` in, decisions out. Thresholds are NEWS2's bands (Royal College of
Physicians; ``shared/standards/README.md``) held in ``ClinicalSettings`` so a clinician can change
them per patient; every rule needs a condition *sustained* over a window (``sustained_readings``
consecutive readings within ``sustained_window_minutes``), so one noisy sample never wakes a family.

What a sustained condition means, from the brief:
* slow breathing (RR <= 8) or low SpO2 (<= 91%): "Respiratory depression, including slow or shallow
  breathing, is a life-threatening symptom of overdose" -> an emergency, callers told to call 911;
* fever, fast heart rate -> the withdrawal column of the comparison table;
* low temperature, low blood pressure, slow heart rate -> the toxicity column.
Each becomes a :class:`~alerts.domain.clinical.history.Finding` the assessment reads.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from alerts.domain.clinical.history import ClinicalSettings, Finding, _require_aware
from alerts.domain.schedule import local_to_utc


@dataclass(frozen=True)
class Kind:
    """A measured quantity: its canonical unit (UCUM), the units accepted for it, and the range
    outside which a value is not physiology but a broken sensor or a unit slip."""

    unit: str
    low: float
    high: float
    units: Mapping[str, Callable[[float], float]]


def _same(v: float) -> float:
    return v


def _fahrenheit(v: float) -> float:
    return (v - 32.0) * 5.0 / 9.0


def _kelvin(v: float) -> float:
    return v - 273.15


def _kpa(v: float) -> float:
    return v * 7.500615  # 1 kPa = 7.500615 mmHg


_PER_MIN = {"/min": _same, "1/min": _same}
_CELSIUS = {"Cel": _same, "C": _same, "°C": _same, "[degF]": _fahrenheit, "F": _fahrenheit, "°F": _fahrenheit,
            "K": _kelvin}
_MMHG = {"mm[Hg]": _same, "mmHg": _same, "kPa": _kpa}

# Canonical units are UCUM codes, as FHIR writes them. The ranges are generous on purpose (they
# only refuse the impossible, like a heart rate of 900 or SpO2 of 140); the clinical thresholds
# live in ``ClinicalSettings``.
KINDS: dict[str, Kind] = {
    "heart_rate": Kind("/min", 20, 300, {**_PER_MIN, "beats/min": _same, "{beats}/min": _same, "bpm": _same}),
    "respiratory_rate": Kind("/min", 0, 80, {**_PER_MIN, "breaths/min": _same, "{breaths}/min": _same}),
    "body_temperature": Kind("Cel", 25, 45, _CELSIUS),
    # Wrist skin temperature is not core temperature (standards README): stored, never read as fever.
    "skin_temperature": Kind("Cel", 10, 45, _CELSIUS),
    "spo2": Kind("%", 40, 100, {"%": _same}),
    # SpO2 measured on supplemental oxygen: stored as what it is, never judged by the room-air
    # threshold (spo2_emergency_max). NEWS2 scores oxygen-treated patients on its own scale, whose
    # target range a clinician sets; 91% on 2 L/min is not 91% on room air.
    "spo2_on_oxygen": Kind("%", 40, 100, {"%": _same}),
    "bp_systolic": Kind("mm[Hg]", 40, 300, _MMHG),
    "bp_diastolic": Kind("mm[Hg]", 20, 200, _MMHG),
    # A device's motion / tremor index: dimensionless, 0 (still) to 100.
    "motion_index": Kind("1", 0, 100, {"1": _same, "{index}": _same}),
}


_ANNOTATION = re.compile(r"\{[^{}]*\}")


def _without_annotations(unit: str) -> str:
    """A UCUM unit without its annotations: ``{beat}/min`` is ``/min``, ``{score}`` is ``1``.

    UCUM gives annotations in curly braces no meaning of their own (an annotation alone is the
    unity, 1): they are labels the sender chooses, so one unit arrives spelt many ways
    (``{beats}/min``, ``{Beats}/min`` in MIMIC's FHIR, ``{beat}/min``, ``{breaths}/min``...). Only
    tried when the spelling is not in the table, so the batch path's usual units still cost one
    dictionary look-up.
    """
    bare = _ANNOTATION.sub("", unit)
    return "1" if bare == "" else bare


class ImplausibleReading(ValueError):
    """A value in a unit we do not know, or outside what a living body can show."""


def normalise(kind: str, value: float, unit: str | None) -> float:
    """``value`` in ``unit`` converted to the kind's canonical unit; ValueError if unknown or impossible.

    ``unit`` None means the canonical unit.
    """
    spec = KINDS.get(kind)
    if spec is None:
        raise ImplausibleReading(f"unknown measure {kind!r}; known: {', '.join(KINDS)}")
    convert = _same if unit is None else spec.units.get(unit) or spec.units.get(_without_annotations(unit))
    if convert is None:
        raise ImplausibleReading(f"unit {unit!r} is not a unit of {kind}; use one of {', '.join(spec.units)} "
                                 "(UCUM annotations in braces, like {beats}, are ignored)")
    canonical = convert(float(value))
    if not spec.low <= canonical <= spec.high:
        shown = f"{canonical:.1f} {spec.unit}" if unit not in (None, spec.unit) else f"{value:g} {spec.unit}"
        raise ImplausibleReading(f"{kind} of {shown} is physiologically impossible "
                                 f"(accepted {spec.low:g}-{spec.high:g} {spec.unit}); check the sensor and unit")
    return round(canonical, 2)


def blood_pressure_problem(systolic: float, diastolic: float) -> str | None:
    """Why a systolic and a diastolic pressure taken in one measurement cannot both be right, or None.

    The pressure between beats is always below the pressure of the beat: a diastolic at or above
    its systolic is two fields swapped (or a failed cuff), never physiology. Each value alone is in
    range, so ``normalise`` passes both; stored, a swapped 120/70 reads "systolic 70", the rules'
    low blood pressure (the brief's toxicity side), and three such readings alert the caregivers.
    Values in canonical mm[Hg].
    """
    if diastolic < systolic:
        return None
    return (f"diastolic {diastolic:g} mm[Hg] is not below systolic {systolic:g} mm[Hg]: one measurement cannot "
            "be both; the two values are probably swapped")


# A reading's dedupe key is stored in a column this long (``bounded`` shortens a longer one).
KEY_LENGTH = 160


class ParsedReading(NamedTuple):
    """A reading from any format: canonical unit, UTC instant, and the key that dedupes it. (A named
    tuple: a batch makes thousands.)"""

    kind: str
    value: float
    measured_at: datetime
    device: str | None
    dedupe_key: str


def bounded(text: str, limit: int) -> str:
    """``text`` if it fits a column of ``limit`` characters, else its start and a digest of all of it.

    A key joins a device's name with a kind and an instant, and names from FHIR (a Device reference
    may be an absolute URL) or Open mHealth (``source_name``) have no limit of their own. The same
    text always gives the same result, so a re-sent reading still finds its twin.
    """
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{text[:limit - len(digest) - 1]}#{digest}"


class VitalReading(NamedTuple):
    """One reading as the rules read it (canonical unit, aware UTC instant). A named tuple: the
    rules build thousands per batch, and a tuple costs a fraction of a dataclass to make."""

    kind: str
    value: float
    at: datetime


@dataclass(frozen=True)
class Condition:
    """A finding (``key``) that holds when a reading of ``kind`` is at or below (``below``) or at or
    above the limit held in the ``ClinicalSettings`` field named ``limit_field``.

    The limit is named, not written into a lambda, so the console draws the very band the rule
    tests (``alert_bands``) and a clinician's per-patient override moves both at once.
    """

    key: str
    kind: str
    limit_field: str
    below: bool
    emergency: bool = False

    def limit(self, settings: ClinicalSettings) -> float:
        return float(getattr(settings, self.limit_field))

    def test(self, value: float, settings: ClinicalSettings) -> bool:
        limit = self.limit(settings)
        return value <= limit if self.below else value >= limit

    def worst(self, values: Iterable[float]) -> float:
        """The most abnormal value: the lowest for a "low" condition, the highest for a "high" one."""
        return min(values) if self.below else max(values)


CONDITIONS: tuple[Condition, ...] = (
    Condition("slow_breathing", "respiratory_rate", "resp_rate_emergency_max", below=True, emergency=True),
    Condition("low_oxygen", "spo2", "spo2_emergency_max", below=True, emergency=True),
    Condition("fever", "body_temperature", "fever_min_c", below=False),
    Condition("low_temperature", "body_temperature", "low_temperature_max_c", below=True),
    Condition("fast_heart_rate", "heart_rate", "fast_heart_rate_min", below=False),
    Condition("slow_heart_rate", "heart_rate", "slow_heart_rate_max", below=True),
    Condition("low_blood_pressure", "bp_systolic", "low_systolic_max", below=True),
)
RULE_KINDS: frozenset[str] = frozenset(c.kind for c in CONDITIONS)


@dataclass(frozen=True)
class Band:
    """The values of one vital at which a rule's condition holds: ``value <= limit`` when ``below``,
    else ``value >= limit``. What a chart draws behind a vital's line."""

    key: str
    kind: str
    limit: float
    below: bool
    emergency: bool


def alert_bands(settings: ClinicalSettings) -> dict[str, tuple[Band, ...]]:
    """Each vital the rules read -> the bands its conditions test, in ``CONDITIONS`` order, with
    the patient's own limits (``settings``)."""
    out: dict[str, tuple[Band, ...]] = {}
    for c in CONDITIONS:
        out[c.kind] = out.get(c.kind, ()) + (Band(c.key, c.kind, c.limit(settings), c.below, c.emergency),)
    return out


@dataclass(frozen=True)
class Sustained:
    """A condition that became sustained at ``at`` (the reading that completed the window)."""

    key: str
    at: datetime
    value: float
    emergency: bool

    def finding(self) -> Finding:
        return Finding(self.key, "wearable", self.at)


def sustained_episodes(readings: Sequence[VitalReading], condition: Condition,
                       settings: ClinicalSettings) -> list[Sustained]:
    """Each moment ``condition`` became sustained in ``readings`` (one kind, any order).

    Sustained: ``sustained_readings`` consecutive readings all meet the condition and the first and
    last of them are at most ``sustained_window_minutes`` apart (exactly at the window counts). A
    normal reading in between breaks the run. One result per run: a run that stays abnormal is one
    episode, not one per sample.
    """
    need = settings.sustained_readings
    window = timedelta(minutes=settings.sustained_window_minutes)
    out: list[Sustained] = []
    run: list[VitalReading] = []
    reported = False
    for r in sorted(readings, key=lambda r: r.at):
        if not condition.test(r.value, settings):
            run, reported = [], False
            continue
        run.append(r)
        if not reported and len(run) >= need and r.at - run[-need].at <= window:
            out.append(Sustained(condition.key, r.at, condition.worst(x.value for x in run[-need:]),
                                 condition.emergency))
            reported = True
    return out


@dataclass(frozen=True)
class VitalsDecision:
    """What a batch of readings calls for: findings to keep, and the emergency if any."""

    findings: tuple[Sustained, ...]
    emergency: tuple[Sustained, ...]


def evaluate_vitals(readings: Sequence[VitalReading], new_since: datetime, now: datetime,
                    settings: ClinicalSettings) -> VitalsDecision:
    """Read one patient's readings (a new batch plus the window before it) against every condition.

    Only episodes completed by a reading at or after ``new_since`` are returned: earlier ones were
    decided when their own batch arrived. An emergency needs a recent episode (within
    ``vital_alert_max_age_minutes`` of ``now``): a backlog from last night is history, not a 911 call.
    """
    _require_aware(new_since, "new_since")
    by_kind: dict[str, list[VitalReading]] = {}
    for r in readings:
        if r.kind in RULE_KINDS:
            by_kind.setdefault(r.kind, []).append(r)
    found: list[Sustained] = []
    for condition in CONDITIONS:
        rows = by_kind.get(condition.kind)
        if rows:
            found += [e for e in sustained_episodes(rows, condition, settings) if e.at >= new_since]
    fresh = now - timedelta(minutes=settings.vital_alert_max_age_minutes)
    emergency = tuple(e for e in found if e.emergency and fresh <= e.at <= now)
    return VitalsDecision(tuple(found), emergency)


def window_before(settings: ClinicalSettings) -> timedelta:
    """How far before a new batch earlier readings can still complete a window with it."""
    return timedelta(minutes=settings.sustained_window_minutes)


# -- devices ---------------------------------------------------------------------------------------


def offline_check_at(last_seen_at: datetime, expected_interval_minutes: int | None) -> datetime | None:
    """When a device that last reported at ``last_seen_at`` counts as offline (None: not watched)."""
    if not expected_interval_minutes:
        return None
    return last_seen_at + timedelta(minutes=expected_interval_minutes)


# Intrathecal pump refill reminders: a week ahead (time to book), two days ahead, and on the day.
REFILL_REMINDER_DAYS: tuple[int, ...] = (7, 2, 0)


def refill_reminders(refill_date: date, tz: ZoneInfo, at: time) -> list[tuple[datetime, int]]:
    """Each reminder's UTC instant (``at`` wall-clock on the right local day) and its days-before."""
    return [(local_to_utc(refill_date - timedelta(days=d), at, tz), d) for d in REFILL_REMINDER_DAYS]


def next_refill_reminder(refill_date: date, tz: ZoneInfo, at: time, after: datetime) -> tuple[datetime, int] | None:
    """The first reminder strictly after ``after``, or None when none is left."""
    upcoming = [r for r in refill_reminders(refill_date, tz, at) if r[0] > after]
    return min(upcoming) if upcoming else None


def due_refill_reminder(refill_date: date, tz: ZoneInfo, at: time, now: datetime) -> int | None:
    """Which reminder to send now (days before the refill), or None.

    After a pause (the tick was down), only the latest reminder due is sent: "in 7 days" is wrong
    by the time it is two days. None once the refill day has passed.
    """
    if now.astimezone(tz).date() > refill_date:
        return None
    due = [d for instant, d in refill_reminders(refill_date, tz, at) if instant <= now]
    return min(due) if due else None

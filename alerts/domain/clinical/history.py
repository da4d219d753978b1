"""Plain values the clinical rules read: a patient's dose history, check-ins, findings and settings.

Source of every rule that reads these: the clinical brief, ``shared/seed/000_8fc7b851bcf3b98d.txt``
("the brief"). All datetimes are timezone-aware; callers pass UTC. Nothing here touches a database:
the services layer loads rows and converts them to these frozen values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, SYMPTOMS


def _require_aware(value: datetime, name: str) -> None:
    # Naive datetimes silently compare wrong across DST and time zones; refuse them at the border.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got {value!r}")


@dataclass(frozen=True)
class DoseRecord:
    """One scheduled dose. ``taken_at`` is set when ``status == "taken"``."""

    due_at: datetime
    status: Literal["pending", "taken", "missed"]
    taken_at: datetime | None
    dose_mg: float

    def __post_init__(self) -> None:
        _require_aware(self.due_at, "due_at")
        if self.taken_at is not None:
            _require_aware(self.taken_at, "taken_at")
        if self.status not in ("pending", "taken", "missed"):
            raise ValueError(f"unknown dose status {self.status!r}")


@dataclass(frozen=True)
class DoseTaken:
    """Every dose the patient reports taking, scheduled or not. ``dose_mg`` None = amount not given."""

    taken_at: datetime
    dose_mg: float | None
    scheduled: bool

    def __post_init__(self) -> None:
        _require_aware(self.taken_at, "taken_at")


@dataclass(frozen=True)
class CheckInRecord:
    """A symptom check-in: symptom key (see ``alerts.domain.symptoms``) -> severity 0-10."""

    recorded_at: datetime
    symptoms: Mapping[str, int]

    def __post_init__(self) -> None:
        _require_aware(self.recorded_at, "recorded_at")
        for key, severity in self.symptoms.items():
            if key not in SYMPTOMS:
                raise ValueError(f"unknown symptom {key!r}")
            if not SEVERITY_MIN <= severity <= SEVERITY_MAX:
                raise ValueError(f"severity of {key!r} must be {SEVERITY_MIN}-{SEVERITY_MAX}, got {severity}")


@dataclass(frozen=True)
class SupplyReport:
    """The patient says they ran out of baclofen or cannot get a refill."""

    reported_at: datetime
    kind: Literal["ran_out", "no_refill"]

    def __post_init__(self) -> None:
        _require_aware(self.reported_at, "reported_at")
        if self.kind not in ("ran_out", "no_refill"):
            raise ValueError(f"unknown supply report {self.kind!r}")


@dataclass(frozen=True)
class Finding:
    """Something observed about the patient at ``at``: a reported symptom or (later) a vital sign.

    ``key`` is a symptom key from the catalogue, or one of :data:`VITAL_FINDING_KEYS` for wearable
    readings once they are ingested. ``source`` says where it came from ("checkin", "wearable", ...).
    ``severity`` is the reported 0-10 severity when there is one.
    """

    key: str
    source: str
    at: datetime
    severity: int | None = None

    def __post_init__(self) -> None:
        _require_aware(self.at, "at")


# Findings that devices produce (``alerts.domain.vitals``). Each names a row of the brief's
# comparison table; the symptom keys "fever", "fast_heart_rate" and "low_blood_pressure" are shared
# with self-reports, so a wearable reading and a check-in feed the same rule.
VITAL_FINDING_KEYS: frozenset[str] = frozenset(
    {
        "fever",  # Accompanying Symptoms (withdrawal): "fever"
        "fast_heart_rate",  # Accompanying Symptoms (withdrawal): "Increased heart rate"
        "low_temperature",  # Accompanying Symptoms (toxicity): "hypothermia"
        "low_blood_pressure",  # Accompanying Symptoms (toxicity): "low blood pressure"
        "slow_breathing",  # Accompanying Symptoms (toxicity): "Respiratory depression"
        "low_oxygen",  # Accompanying Symptoms (toxicity): "Respiratory depression" (shallow breathing)
        "slow_heart_rate",  # slowed vital functions, with "profound sedation" on the toxicity side
        "pump_failure",  # Onset (withdrawal): "abrupt cessation" - an intrathecal pump stopped delivering
    }
)


@dataclass(frozen=True)
class ClinicalProfile:
    """What the rules need to know about the patient.

    ``daily_total_mg`` is the prescribed oral daily total (0 = not known / not oral, e.g. pump only:
    the daily-total rule is then skipped). ``dose_interval_hours`` is the scheduled interval between
    doses (None = no regular interval: the too-soon rule is skipped). ``timezone`` is an IANA name;
    "today" is the patient's local calendar day.
    """

    renal_impairment: bool
    intrathecal_pump: bool
    daily_total_mg: float
    dose_interval_hours: float | None
    timezone: str

    def __post_init__(self) -> None:
        if self.daily_total_mg < 0:
            raise ValueError("daily_total_mg cannot be negative")
        if self.dose_interval_hours is not None and self.dose_interval_hours <= 0:
            raise ValueError("dose_interval_hours must be positive")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# The longest look-back or window a clinician may set (hours): 90 days.
MAX_WINDOW_HOURS = 24 * 90


@dataclass(frozen=True)
class ClinicalSettings:
    """Thresholds of the clinical rules. The brief gives no numbers: every default below is a
    starting point for a clinician to sign off, and the comment says what it stands for."""

    # Issue 3: "two or more consecutive missed doses". One missed dose is already escalated by the
    # missed-dose alert; two in a row starts to look like the brief's "abrupt cessation" (Onset row).
    consecutive_missed_threshold: int = 2
    # No dose at all for a day: even a once-daily schedule has then lapsed, which is "abrupt
    # cessation" (Onset row). Reached at exactly the window (``>=``), so a sweep landing on the
    # boundary minute does not wait a whole extra sweep.
    no_dose_window_hours: float = 24.0
    # A dose taken within half the scheduled interval of the previous one is an extra dose, not an
    # early one; the brief: toxicity "can occur with a single high dose or accumulation" (Onset row).
    too_soon_fraction: float = 0.5
    # Symptoms older than two days say little about what is happening now; the brief asks about
    # "new or worsening" twitches, which needs at least the previous day's check-in to compare.
    symptom_lookback_hours: float = 48.0
    # Dose history the withdrawal-vs-toxicity assessment reads for the Onset row: withdrawal follows
    # "abrupt cessation", usually within days, so three days of history covers it.
    history_lookback_hours: float = 72.0
    # Too-soon doses are recent events: report them for a day, not forever.
    event_lookback_hours: float = 24.0
    # Running out has no "refilled" event to end it; treat a report as current for three days.
    supply_lookback_hours: float = 72.0
    # "New or worsening" (brief, What to Do): a muscle sign present before counts as worsening when
    # its severity rose by at least this much between check-ins (a 1-point wobble is noise)...
    worsening_delta: int = 2
    # ...and one absent before counts as new from this severity (moderate, not a flicker).
    new_symptom_min: int = 4
    # "Worsening muscle spasms: ... significantly more severe" (withdrawal list): severe spasms are
    # urgent even without an earlier check-in to compare with.
    urgent_spasm_severity: int = 7
    # A reported symptom becomes a finding from this severity (0 means absent).
    finding_min_severity: int = 1
    # Toxicity's drowsiness is "Excessive drowsiness and sedation" / "profound sedation": mild
    # sleepiness is common on baclofen and should not count as a toxicity sign.
    drowsiness_min_severity: int = 5
    # "rapid dose reduction" (Onset row, withdrawal): less than half the prescribed daily total
    # taken over the last 24 hours.
    reduction_fraction: float = 0.5
    # "high dose administration" (Risk Factors row, toxicity). The brief gives no number; 80 mg/day
    # is the usual maximum oral daily dose in the US label. A clinician must confirm it.
    high_daily_dose_mg: float = 80.0

    # -- wearable vital signs (``alerts.domain.vitals``). Bands are NEWS2's (Royal College of
    # Physicians; shared/standards/README.md): the value at which a parameter scores 3 (2 for fever).
    # Brief, toxicity: "Respiratory depression, including slow or shallow breathing, is a
    # life-threatening symptom of overdose". NEWS2: respiratory rate <= 8 scores 3.
    resp_rate_emergency_max: float = 8.0
    # NEWS2: SpO2 <= 91% scores 3; low oxygen is how shallow breathing shows on a wrist oximeter.
    spo2_emergency_max: float = 91.0
    # Table, withdrawal: "fever". NEWS2: >= 39.1 C scores 2 (body temperature, not wrist skin).
    fever_min_c: float = 39.1
    # Table, toxicity: "hypothermia". NEWS2: <= 35.0 C scores 3.
    low_temperature_max_c: float = 35.0
    # Table, withdrawal: "Increased heart rate". NEWS2: pulse >= 131 scores 3.
    fast_heart_rate_min: float = 131.0
    # NEWS2: pulse <= 40 scores 3; slowed vital functions sit on the toxicity side with sedation.
    slow_heart_rate_max: float = 40.0
    # Table, toxicity: "low blood pressure". NEWS2: systolic <= 90 scores 3.
    low_systolic_max: float = 90.0
    # Sustained, not single samples: a condition counts when this many consecutive readings meet it
    # within this many minutes, so one noisy reading never wakes a family at 3 a.m.
    sustained_readings: int = 3
    sustained_window_minutes: float = 5.0
    # A sustained condition older than this (a backlog synced late) is history for the assessment,
    # not an emergency: calling 911 about last night helps no one.
    vital_alert_max_age_minutes: float = 30.0
    # Seizure-alert wearables let the wearer cancel a false alarm for a few seconds. 0 = none: the
    # emergency goes out at once.
    seizure_cancel_seconds: int = 0

    def __post_init__(self) -> None:
        if self.consecutive_missed_threshold < 1:
            raise ValueError("consecutive_missed_threshold must be at least 1")
        if not 0 < self.too_soon_fraction <= 1:
            raise ValueError("too_soon_fraction must be in (0, 1]")
        if not 0 < self.reduction_fraction <= 1:
            raise ValueError("reduction_fraction must be in (0, 1]")
        if self.sustained_readings < 1:
            raise ValueError("sustained_readings must be at least 1")
        if not 0 <= self.seizure_cancel_seconds <= 300:
            raise ValueError("seizure_cancel_seconds must be 0-300")
        for name in (
            "sustained_window_minutes",
            "vital_alert_max_age_minutes",
            "no_dose_window_hours",
            "symptom_lookback_hours",
            "history_lookback_hours",
            "event_lookback_hours",
            "supply_lookback_hours",
        ):
            # Bounded above too: a window of years means nothing clinically, and one of 1e308
            # hours would overflow the date arithmetic of every rule that reads it.
            longest = MAX_WINDOW_HOURS * (60 if name.endswith("_minutes") else 1)
            if not 0 < getattr(self, name) <= longest:
                raise ValueError(f"{name} must be positive and at most {longest} "
                                 f"({MAX_WINDOW_HOURS // 24} days)")


DEFAULT_SETTINGS = ClinicalSettings()


def validate_overrides(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check a clinician's overrides (admin input). Raises ValueError naming the bad field."""
    fields = {f.name: f for f in dataclasses.fields(ClinicalSettings)}
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in fields:
            raise ValueError(f"unknown clinical setting {name!r}; known: {', '.join(sorted(fields))}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name} must be a number")
        if isinstance(getattr(DEFAULT_SETTINGS, name), int):
            if value != int(value):
                raise ValueError(f"{name} must be a whole number")
            out[name] = int(value)
        else:
            out[name] = float(value)
    dataclasses.replace(DEFAULT_SETTINGS, **out)  # runs ClinicalSettings' own range checks
    return out


def findings_from_checkins(
    checkins: Iterable[CheckInRecord], settings: ClinicalSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """Every symptom reported at or above its minimum severity, as a finding at the check-in time."""
    findings = []
    for checkin in checkins:
        for key, severity in checkin.symptoms.items():
            minimum = (
                settings.drowsiness_min_severity if key == "drowsiness" else settings.finding_min_severity
            )
            if severity >= max(minimum, 1):
                findings.append(Finding(key, "checkin", checkin.recorded_at, severity))
    return findings

"""Withdrawal or toxicity? Reads recent dose history and findings against the brief's comparison
table ("Comparison of Muscle Symptoms: Withdrawal vs. Toxicity"), row by row, and says which column
the evidence points to. It never diagnoses: the verdict is "possible", or "unclear - needs a
clinician".

Verdict rule: a column "has evidence" when at least one row finds a sign that only that column
lists. One column -> that column; both or neither -> unclear. Signs listed in both columns
(seizures, confusion, twitching) are reported as shared and never decide by themselves. Risk
factors (pump, renal impairment, high dose) describe the patient, not an event: they count only
when something else is going on, so a pump patient with no findings is not "possible withdrawal".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from alerts.domain.clinical import dosing
from alerts.domain.clinical.history import (
    DEFAULT_SETTINGS,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    Finding,
    SupplyReport,
)

Verdict = Literal["possible_withdrawal", "possible_toxicity", "unclear"]
Column = Literal["withdrawal", "toxicity", "both"]

# The table's rows, named as the reasons name them.
ONSET = "onset"
MUSCLE = "muscle signs"
MENTAL = "mental status"
ACCOMPANYING = "accompanying symptoms"
RISK = "risk factors"

SUMMARIES: dict[Verdict, str] = {
    "possible_withdrawal": "possible withdrawal",
    "possible_toxicity": "possible toxicity",
    "unclear": "unclear - needs a clinician",
}

# Finding key -> (table row, column, the table's words). Symptom keys agree with the catalogue's
# ``signs_of`` (a test checks it); vital-sign keys are ready for the wearables issue.
TABLE: dict[str, tuple[str, Column, str]] = {
    # Muscle Twitches | "rebound spasticity, tremors, and twitching" | "myoclonus ... and seizures"
    "spasms": (MUSCLE, "withdrawal", "rebound spasticity"),
    "tremor": (MUSCLE, "withdrawal", "tremors"),
    "myoclonus": (MUSCLE, "toxicity", "myoclonus (involuntary muscle jerks)"),
    # A patient cannot tell a withdrawal twitch from a toxic jerk: the intro says twitches can
    # indicate "abrupt withdrawal or drug toxicity".
    "twitching": (MUSCLE, "both", "twitching / involuntary muscle jerks"),
    "seizure": (MUSCLE, "both", "seizures"),
    # Mental Status | "agitation, anxiety, hallucinations, and confusion" |
    #                 "profound sedation, lethargy, confusion, or coma"
    "agitation": (MENTAL, "withdrawal", "agitation, anxiety"),
    "hallucinations": (MENTAL, "withdrawal", "hallucinations"),
    "drowsiness": (MENTAL, "toxicity", "profound sedation, lethargy"),
    "unresponsive": (MENTAL, "toxicity", "coma"),
    "confusion": (MENTAL, "both", "confusion"),
    # Accompanying Symptoms | "Increased heart rate, fever, and paranoia" |
    #                         "Respiratory depression, low blood pressure, and hypothermia"
    "fast_heart_rate": (ACCOMPANYING, "withdrawal", "increased heart rate"),
    "fever": (ACCOMPANYING, "withdrawal", "fever"),
    "paranoia": (ACCOMPANYING, "withdrawal", "paranoia"),
    "breathing_difficulty": (ACCOMPANYING, "toxicity", "respiratory depression"),
    "slow_breathing": (ACCOMPANYING, "toxicity", "respiratory depression"),
    "low_blood_pressure": (ACCOMPANYING, "toxicity", "low blood pressure"),
    "feeling_cold": (ACCOMPANYING, "toxicity", "hypothermia"),
    "low_temperature": (ACCOMPANYING, "toxicity", "hypothermia"),
    # Wearables: a sustained low SpO2 is shallow breathing seen by an oximeter; a very slow pulse is
    # not a row of the table, and is read with toxicity's slowed breathing and low blood pressure.
    "low_oxygen": (ACCOMPANYING, "toxicity", "respiratory depression"),
    "slow_heart_rate": (ACCOMPANYING, "toxicity", "slowed vital signs, with low blood pressure"),
    # An intrathecal pump alarm (low reservoir, pump or catheter fault): delivery stops abruptly.
    "pump_failure": (ONSET, "withdrawal", "abrupt cessation (intrathecal pump failure)"),
}


@dataclass(frozen=True)
class Assessment:
    """The verdict and its reasons. Each reason starts with its table row ("onset: ...")."""

    verdict: Verdict
    withdrawal_reasons: tuple[str, ...]
    toxicity_reasons: tuple[str, ...]
    summary: str
    # Signs in both columns: shown to the clinician, never deciding.
    shared_reasons: tuple[str, ...] = ()


def _onset_withdrawal(
    profile: ClinicalProfile,
    doses: Sequence[DoseRecord],
    taken: Sequence[DoseTaken],
    supply: Sequence[SupplyReport],
    now: datetime,
    settings: ClinicalSettings,
) -> list[str]:
    """Onset, withdrawal: "Occurs after abrupt cessation or rapid dose reduction." """
    since = now - timedelta(hours=settings.history_lookback_hours)
    reasons = []
    runs = [
        r
        for r in dosing.missed_runs(doses, taken, now)
        if len(r) >= settings.consecutive_missed_threshold and r[-1].due_at >= since
    ]
    if runs:
        longest = max(len(r) for r in runs)
        reasons.append(f"{ONSET}: {longest} scheduled doses missed in a row (abrupt cessation)")
    gap = dosing.time_without_dose(doses, taken, now)
    if gap is not None and gap >= timedelta(hours=settings.no_dose_window_hours):
        reasons.append(f"{ONSET}: no dose taken for {dosing.fmt_gap(gap)} (abrupt cessation)")
    supply_since = now - timedelta(hours=settings.supply_lookback_hours)
    for report in supply:
        if supply_since <= report.reported_at <= now:
            what = "ran out of baclofen" if report.kind == "ran_out" else "cannot get a refill"
            reasons.append(f"{ONSET}: reported they {what} (abrupt cessation)")
    # Rapid dose reduction: only judged over a full day on the schedule, so a new patient's first
    # hours do not look like a reduction.
    if profile.daily_total_mg > 0 and any(d.due_at <= now - timedelta(hours=24) for d in doses):
        usual = dosing.usual_dose_mg(doses)
        day_mg = dosing.taken_mg_between(taken, now - timedelta(hours=24), now, usual)
        if day_mg < settings.reduction_fraction * profile.daily_total_mg:
            reasons.append(
                f"{ONSET}: {dosing.fmt_mg(day_mg)} mg taken in the last 24 h of "
                f"{dosing.fmt_mg(profile.daily_total_mg)} mg prescribed (rapid dose reduction)"
            )
    return reasons


def _onset_toxicity(
    profile: ClinicalProfile,
    doses: Sequence[DoseRecord],
    taken: Sequence[DoseTaken],
    now: datetime,
    settings: ClinicalSettings,
) -> list[str]:
    """Onset, toxicity: "Can occur with a single high dose or accumulation over time." """
    since = now - timedelta(hours=settings.history_lookback_hours)
    recent = [t for t in taken if since <= t.taken_at <= now]
    usual = dosing.usual_dose_mg(doses)
    reasons = []
    past = [t for t in taken if t.taken_at <= now]
    for _, gap in dosing.too_soon_doses(past, profile.dose_interval_hours, settings.too_soon_fraction, since):
        reasons.append(f"{ONSET}: a dose taken {dosing.fmt_gap(gap)} after the previous one (extra dose)")
    if usual > 0:
        for t in recent:
            if t.dose_mg is not None and t.dose_mg > usual:
                reasons.append(
                    f"{ONSET}: a single {dosing.fmt_mg(t.dose_mg)} mg dose, above the "
                    f"prescribed {dosing.fmt_mg(usual)} mg (single high dose)"
                )
    if profile.daily_total_mg > 0:
        for day, mg in sorted(dosing.local_day_totals(recent, profile.zone, usual).items()):
            if mg > profile.daily_total_mg:
                reasons.append(
                    f"{ONSET}: {dosing.fmt_mg(mg)} mg taken on {day.isoformat()}, above the "
                    f"prescribed {dosing.fmt_mg(profile.daily_total_mg)} mg (accumulation)"
                )
    return reasons


def assess(
    profile: ClinicalProfile,
    doses: Sequence[DoseRecord],
    taken: Sequence[DoseTaken],
    findings: Sequence[Finding],
    now: datetime,
    settings: ClinicalSettings = DEFAULT_SETTINGS,
    *,
    supply_reports: Sequence[SupplyReport] = (),
) -> Assessment:
    """Score the comparison table's two columns row by row and give a verdict.

    ``findings`` older than ``settings.symptom_lookback_hours`` are ignored; dose history is read
    over ``settings.history_lookback_hours``. Raises ValueError for a finding key the table does
    not know, so a new wearable finding cannot be silently dropped.
    """
    withdrawal = _onset_withdrawal(profile, doses, taken, supply_reports, now, settings)
    toxicity = _onset_toxicity(profile, doses, taken, now, settings)
    shared: list[str] = []

    since = now - timedelta(hours=settings.symptom_lookback_hours)
    seen: set[str] = set()
    for finding in sorted(findings, key=lambda f: f.at, reverse=True):
        if finding.key not in TABLE:
            raise ValueError(f"finding {finding.key!r} is not in the comparison table")
        if finding.at < since or finding.key in seen:
            continue
        seen.add(finding.key)
        row, column, words = TABLE[finding.key]
        text = f"{row}: {finding.key.replace('_', ' ')} (table: '{words}')"
        {"withdrawal": withdrawal, "toxicity": toxicity, "both": shared}[column].append(text)

    # Risk factors only once something is going on (see module docstring).
    if withdrawal or toxicity or shared:
        if profile.intrathecal_pump:
            withdrawal.append(
                f"{RISK}: intrathecal pump (table: 'Long-term use, especially with intrathecal pumps')"
            )
        if profile.renal_impairment:
            toxicity.append(
                f"{RISK}: renal impairment (table: 'Renal impairment'; brief: 'the drug is "
                "primarily eliminated by the kidneys')"
            )
        if profile.daily_total_mg >= settings.high_daily_dose_mg:
            toxicity.append(
                f"{RISK}: prescribed {dosing.fmt_mg(profile.daily_total_mg)} mg a day "
                "(table: 'high dose administration')"
            )

    if withdrawal and not toxicity:
        verdict: Verdict = "possible_withdrawal"
    elif toxicity and not withdrawal:
        verdict = "possible_toxicity"
    else:
        verdict = "unclear"
    return Assessment(verdict, tuple(withdrawal), tuple(toxicity), SUMMARIES[verdict], tuple(shared))

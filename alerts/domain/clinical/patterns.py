"""Dose-pattern risks: alerts that need no symptom, read from the dose history alone.

From the clinical brief (``shared/seed/000_8fc7b851bcf3b98d.txt``):

* withdrawal risk - baclofen "should never be stopped suddenly"; withdrawal "occurs after abrupt
  cessation or rapid dose reduction" (table, Onset). Missed doses in a row, no dose for a day, or
  running out are the ways a patient stops suddenly without meaning to.
* toxicity risk - toxicity "can occur with a single high dose or accumulation over time" (table,
  Onset): a dose taken again too soon, or more than the prescribed daily total.
* consult soon - "If you experience muscle twitches while on baclofen, especially if they are new
  or worsening, it is essential to seek medical advice promptly."

Each decision carries a stable ``condition_key``. The caller opens an alert only when
:func:`should_raise` says so: the same condition does not alert again while its alert is open, and
re-arms once that alert is resolved.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from alerts.domain.clinical import dosing
from alerts.domain.clinical.history import (
    DEFAULT_SETTINGS,
    CheckInRecord,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    SupplyReport,
)
from alerts.domain.clinical.redflags import is_new_or_worse

RiskKind = Literal["withdrawal_risk", "toxicity_risk", "consult_soon"]

# Twitch-like signs for the "new or worsening twitches" prompt. Spasms are left out on purpose:
# new or worsening spasms are urgent (``redflags.classify_symptoms`` with ``previous``), because the
# brief lists "Worsening muscle spasms" as a withdrawal symptom, not just a twitch.
TWITCH_SIGNS: tuple[str, ...] = ("twitching", "tremor", "myoclonus")


@dataclass(frozen=True)
class RiskDecision:
    """One alert to raise. ``template`` is the caregiver message; ``patient_template`` the message
    to the patient, when there is one. ``codes`` and ``facts`` render the short ``$reasons`` in the
    recipient's language (``wording.short_reasons``); ``reasons`` are the plain-language record."""

    kind: RiskKind
    condition_key: str
    reasons: tuple[str, ...]
    template: str
    patient_template: str | None = None
    codes: tuple[str, ...] = ()
    facts: Mapping[str, str] = field(default_factory=dict)


def should_raise(condition_key: str, open_condition_keys: Collection[str]) -> bool:
    """True unless an alert for this condition is already open. A resolved alert's key is no longer
    open, so the condition re-arms: if it still (or again) holds, it alerts again."""
    return condition_key not in open_condition_keys


def _withdrawal(
    doses: Sequence[DoseRecord],
    taken: Sequence[DoseTaken],
    now: datetime,
    settings: ClinicalSettings,
) -> list[RiskDecision]:
    template = "withdrawal_risk_caregiver"
    out = []
    streak = dosing.current_missed_streak(doses, taken, now)
    if streak >= settings.consecutive_missed_threshold:
        out.append(
            RiskDecision(
                "withdrawal_risk",
                "withdrawal_risk:missed_doses",
                (
                    (
                        f"{streak} scheduled doses missed in a row: stopping suddenly risks withdrawal "
                        "(brief: 'it should never be stopped suddenly')"
                    ),
                ),
                template,
                codes=("missed_doses",),
                facts={"count": str(streak)},
            )
        )
    gap = dosing.time_without_dose(doses, taken, now)
    # ">=": the window is reached at exactly its length (see ClinicalSettings.no_dose_window_hours).
    # Not raised alongside missed_doses: that alert already says the doses stopped.
    if not out and gap is not None and gap >= timedelta(hours=settings.no_dose_window_hours):
        out.append(
            RiskDecision(
                "withdrawal_risk",
                "withdrawal_risk:no_dose",
                (f"no dose taken for {dosing.fmt_gap(gap)} (table, Onset: 'abrupt cessation')",),
                template,
                codes=("no_dose",),
                facts={"gap": dosing.fmt_gap(gap)},
            )
        )
    return out


def _supply(supply: Sequence[SupplyReport], now: datetime, settings: ClinicalSettings) -> list[RiskDecision]:
    # Brief: running out means the dose stops suddenly, which it "should never" do.
    template = "withdrawal_risk_caregiver"
    out: list[RiskDecision] = []
    since = now - timedelta(hours=settings.supply_lookback_hours)
    kinds = sorted({r.kind for r in supply if since <= r.reported_at <= now})
    if kinds:
        out.append(
            RiskDecision(
                "withdrawal_risk",
                "withdrawal_risk:supply",
                tuple(
                    f"reported: {k.replace('_', ' ')}; without baclofen the dose stops suddenly "
                    "(brief: 'it should never be stopped suddenly')"
                    for k in kinds
                ),
                template,
                codes=tuple(kinds),
            )
        )
    return out


def checkin_risks(
    supply_reports: Sequence[SupplyReport],
    checkins: Sequence[CheckInRecord],
    now: datetime,
    settings: ClinicalSettings = DEFAULT_SETTINGS,
) -> list[RiskDecision]:
    """The dose-pattern risks a check-in is evidence for (a supply problem, worsening twitches):
    they read check-ins only, so a check-in can be judged without the patient's dose history."""
    return _supply(supply_reports, now, settings) + _worsening_twitches(checkins, now, settings)


def _toxicity(
    profile: ClinicalProfile,
    doses: Sequence[DoseRecord],
    taken: Sequence[DoseTaken],
    now: datetime,
    settings: ClinicalSettings,
) -> list[RiskDecision]:
    template = "toxicity_risk_caregiver"
    out = []
    past = [t for t in taken if t.taken_at <= now]
    since = now - timedelta(hours=settings.event_lookback_hours)
    soon = dosing.too_soon_doses(past, profile.dose_interval_hours, settings.too_soon_fraction, since)
    if soon:
        shortest = dosing.fmt_gap(min(gap for _, gap in soon))
        out.append(
            RiskDecision(
                "toxicity_risk",
                "toxicity_risk:too_soon",
                tuple(
                    f"dose taken {dosing.fmt_gap(gap)} after the previous one, within "
                    f"{settings.too_soon_fraction:g} of the {profile.dose_interval_hours:g} h interval "
                    "(table, Onset: 'a single high dose or accumulation')"
                    for _, gap in soon
                ),
                template,
                codes=("too_soon",),
                facts={"gap": shortest},
            )
        )
    if profile.daily_total_mg > 0:
        today = now.astimezone(profile.zone).date()
        mg = dosing.local_day_totals(past, profile.zone, dosing.usual_dose_mg(doses)).get(today, 0.0)
        if mg > profile.daily_total_mg:
            taken_mg, daily_mg = dosing.fmt_mg(mg), dosing.fmt_mg(profile.daily_total_mg)
            out.append(
                RiskDecision(
                    "toxicity_risk",
                    "toxicity_risk:over_daily_total",
                    (
                        (
                            f"{taken_mg} mg taken today ({today.isoformat()}, {profile.timezone}), "
                            f"above the prescribed {daily_mg} mg (table, Onset: 'accumulation over time')"
                        ),
                    ),
                    template,
                    codes=("over_daily_total",),
                    facts={"taken_mg": taken_mg, "daily_mg": daily_mg},
                )
            )
    return out


def _worsening_twitches(
    checkins: Sequence[CheckInRecord], now: datetime, settings: ClinicalSettings
) -> list[RiskDecision]:
    since = now - timedelta(hours=settings.symptom_lookback_hours)
    recent = sorted((c for c in checkins if since <= c.recorded_at <= now), key=lambda c: c.recorded_at)
    if len(recent) < 2:
        return []  # "worsening" needs something to compare with
    previous, latest = recent[-2].symptoms, recent[-1].symptoms
    codes, reasons = [], []
    for key in TWITCH_SIGNS:
        now_sev, before = latest.get(key, 0), previous.get(key, 0)
        if is_new_or_worse(now_sev, before, settings):
            codes.append(f"{'worse' if before else 'new'}_{key}")
            reasons.append(
                f"{key} {'worse' if before else 'new'}: severity {before} -> {now_sev} "
                "(brief: 'especially if they are new or worsening ... seek medical advice promptly')"
            )
    if not codes:
        return []
    return [
        RiskDecision(
            "consult_soon",
            "consult_soon:worsening_twitches",
            tuple(reasons),
            "consult_soon_caregiver",
            "consult_soon_patient",
            tuple(codes),
        )
    ]


def dose_pattern_risks(
    profile: ClinicalProfile,
    doses: Sequence[DoseRecord],
    taken: Sequence[DoseTaken],
    supply_reports: Sequence[SupplyReport],
    checkins: Sequence[CheckInRecord],
    now: datetime,
    settings: ClinicalSettings = DEFAULT_SETTINGS,
) -> list[RiskDecision]:
    """Every dose-pattern risk that holds at ``now``: withdrawal first, then toxicity, then consult.

    The caller filters with :func:`should_raise` against the patient's open alerts.
    """
    return (
        _withdrawal(doses, taken, now, settings)
        + _supply(supply_reports, now, settings)
        + _toxicity(profile, doses, taken, now, settings)
        + _worsening_twitches(checkins, now, settings)
    )

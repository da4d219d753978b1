"""Red flags: how urgent a check-in's symptoms are. Pure: symptoms in, a triage level out.

Levels, from the clinical brief (``shared/seed/000_8fc7b851bcf3b98d.txt``):

* emergency - the brief's emergency sentence: "If you experience a seizure, profound drowsiness,
  difficulty breathing, or severe confusion, call 911 or seek emergency medical help immediately."
  Which severity counts as "profound"/"severe" is ``SYMPTOMS[key].red_flag_at`` in the catalogue.
* urgent - serious signs that are not a 911 sentence: caregivers are alerted now.
* routine - recorded, no alert of its own (new or worsening twitches are prompted by ``patterns``).
* none - nothing reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from alerts.domain.clinical.history import DEFAULT_SETTINGS, ClinicalSettings
from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, SYMPTOMS

Level = Literal["emergency", "urgent", "routine", "none"]

_EMERGENCY_SENTENCE = (
    "brief, What to Do: 'If you experience a seizure, profound drowsiness, difficulty "
    "breathing, or severe confusion, call 911'"
)

# Emergency: symptom key -> (short reason code for messages, plain-language reason).
_EMERGENCY: dict[str, tuple[str, str]] = {
    "seizure": ("seizure", "a seizure"),
    "drowsiness": ("profound_drowsiness", "profound drowsiness"),
    # Hard to wake is the far end of "profound drowsiness" (and toxicity's "coma").
    "unresponsive": ("unresponsive", "hard to wake or unresponsive (profound drowsiness)"),
    "breathing_difficulty": ("breathing_difficulty", "difficulty breathing (slow or shallow breathing)"),
    "confusion": ("severe_confusion", "severe confusion"),
}

_PSYCHIATRIC = (
    "brief, withdrawal: 'Confusion, hallucinations, and paranoia are also serious withdrawal effects'"
)

# Urgent when present at all: symptom key -> (code, plain-language reason with its source).
_URGENT_IF_PRESENT: dict[str, tuple[str, str]] = {
    "hallucinations": ("hallucinations", f"hallucinations ({_PSYCHIATRIC})"),
    "paranoia": ("paranoia", f"paranoia ({_PSYCHIATRIC})"),
    # Confusion below "severe" is still one of the brief's "serious withdrawal effects".
    "confusion": ("confusion", f"confusion, not severe ({_PSYCHIATRIC})"),
    "fever": ("fever", "fever (table, Accompanying Symptoms, withdrawal: 'fever')"),
    "fast_heart_rate": (
        "fast_heart_rate",
        "fast heart rate (table, Accompanying Symptoms, withdrawal: 'Increased heart rate')",
    ),
    # Not in issue 3's urgent list: added because they sit in the same table row as fever and fast
    # heart rate, on the toxicity side, and toxicity's next step is respiratory depression.
    "low_blood_pressure": (
        "low_blood_pressure",
        "low blood pressure (table, Accompanying Symptoms, toxicity: 'low blood pressure')",
    ),
    "feeling_cold": (
        "feeling_cold",
        "feeling unusually cold (table, Accompanying Symptoms, toxicity: 'hypothermia')",
    ),
}


@dataclass(frozen=True)
class Triage:
    """The level and why. ``reasons`` are plain language with their source in the brief; ``codes``
    name the same reasons for short message text (see ``wording.short_reasons``)."""

    level: Level
    reasons: tuple[str, ...]
    codes: tuple[str, ...] = ()

    @property
    def caregiver_template(self) -> str | None:
        return {"emergency": "emergency_caregiver", "urgent": "urgent_caregiver"}.get(self.level)

    @property
    def patient_template(self) -> str | None:
        return "emergency_patient" if self.level == "emergency" else None

    @property
    def voice_template(self) -> str | None:
        return "emergency_voice" if self.level == "emergency" else None


# Findings from devices (``alerts.domain.vitals``, device events) that are serious but not a 911
# sentence: key -> (code, plain-language reason with its source). A device's emergencies (slow
# breathing, low SpO2, a seizure detected, a pump alarm) are raised with their measurements by the
# wearables service; these reach the caregivers through the same table as a check-in's.
_DEVICE_URGENT: dict[str, tuple[str, str]] = {
    "fever": ("fever", "sustained fever on a device (table, Accompanying Symptoms, withdrawal: 'fever')"),
    "fast_heart_rate": ("fast_heart_rate", "sustained fast heart rate on a device (table, Accompanying "
                        "Symptoms, withdrawal: 'Increased heart rate')"),
    "low_blood_pressure": ("low_blood_pressure", "sustained low blood pressure on a device (table, "
                           "Accompanying Symptoms, toxicity: 'low blood pressure')"),
    "low_temperature": ("low_temperature", "sustained low body temperature on a device (table, Accompanying "
                        "Symptoms, toxicity: 'hypothermia')"),
    "slow_heart_rate": ("slow_heart_rate", "sustained very slow pulse on a device (slowed vital signs, with "
                        "toxicity's 'profound sedation')"),
}
_DEVICE_EMERGENCY: dict[str, tuple[str, str]] = {
    "slow_breathing": ("slow_breathing", f"slow breathing on a device ({_EMERGENCY_SENTENCE})"),
    "low_oxygen": ("low_oxygen", f"low oxygen on a device, shallow breathing ({_EMERGENCY_SENTENCE})"),
    "seizure": ("seizure_detected", f"a seizure detected by a device ({_EMERGENCY_SENTENCE})"),
}


def classify_findings(keys: Iterable[str]) -> Triage:
    """Triage what a device found (finding keys of ``history.VITAL_FINDING_KEYS`` or "seizure"):
    the brief's emergency signs first, then the serious ones; anything else is routine."""
    found = list(dict.fromkeys(keys))
    emergency = [_DEVICE_EMERGENCY[k] for k in found if k in _DEVICE_EMERGENCY]
    if emergency:
        return Triage("emergency", tuple(r for _, r in emergency), tuple(c for c, _ in emergency))
    urgent = [_DEVICE_URGENT[k] for k in found if k in _DEVICE_URGENT]
    if urgent:
        return Triage("urgent", tuple(r for _, r in urgent), tuple(c for c, _ in urgent))
    return Triage("routine", tuple(f"{k.replace('_', ' ')} recorded" for k in found)) if found else Triage("none", ())


def is_new_or_worse(current: int, before: int, settings: ClinicalSettings) -> bool:
    """The brief's "new or worsening": absent before and now at least ``new_symptom_min``, or
    present before and now at least ``worsening_delta`` worse. Shared with ``patterns``."""
    if before <= 0:
        return current >= settings.new_symptom_min
    return current >= before + settings.worsening_delta


def classify_symptoms(
    symptoms: Mapping[str, int],
    previous: Mapping[str, int] | None = None,
    *,
    settings: ClinicalSettings = DEFAULT_SETTINGS,
) -> Triage:
    """Triage one check-in's symptoms (key -> severity 0-10), optionally against the previous one.

    Raises ValueError for a symptom key not in the catalogue or a severity outside 0-10: a
    misspelled "seizure" must fail loudly, not be ignored.
    """
    for key, severity in symptoms.items():
        if key not in SYMPTOMS:
            raise ValueError(f"unknown symptom {key!r}")
        if not SEVERITY_MIN <= severity <= SEVERITY_MAX:
            raise ValueError(f"severity of {key!r} must be {SEVERITY_MIN}-{SEVERITY_MAX}, got {severity}")
    present = {k: v for k, v in symptoms.items() if v > 0}

    emergency = []
    for key, severity in present.items():
        threshold = SYMPTOMS[key].red_flag_at
        if threshold is not None and severity >= threshold:
            code, text = _EMERGENCY[key]
            emergency.append((code, f"{text}, severity {severity} ({_EMERGENCY_SENTENCE})"))
    if emergency:
        return Triage("emergency", tuple(r for _, r in emergency), tuple(c for c, _ in emergency))

    urgent = [_URGENT_IF_PRESENT[k] for k in present if k in _URGENT_IF_PRESENT]
    agitation = present.get("agitation", 0)
    # Without an earlier check-in there is nothing to compare with: agitation then counts as new.
    if agitation and is_new_or_worse(agitation, (previous or {}).get("agitation", 0), settings):
        # Issue 3: "new agitation"; table, Mental Status, withdrawal: "agitation, anxiety".
        urgent.append(
            (
                "new_agitation",
                ("new or worsening agitation (table, Mental Status, withdrawal: 'agitation, anxiety')"),
            )
        )
    spasms = present.get("spasms", 0)
    if spasms >= settings.urgent_spasm_severity:
        urgent.append(
            (
                "severe_spasms",
                (
                    f"severe muscle spasms, severity {spasms} (brief, withdrawal: "
                    "'Worsening muscle spasms ... significantly more severe')"
                ),
            )
        )
    elif spasms and previous is not None and is_new_or_worse(spasms, previous.get("spasms", 0), settings):
        urgent.append(
            (
                "worsening_spasms",
                ("new or worsening muscle spasms (brief, withdrawal: 'Worsening muscle spasms')"),
            )
        )
    if urgent:
        return Triage("urgent", tuple(r for _, r in urgent), tuple(c for c, _ in urgent))

    if present:
        return Triage("routine", tuple(f"{SYMPTOMS[k].label.lower()} recorded, no red flag" for k in present))
    return Triage("none", ())

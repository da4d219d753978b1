"""Signs of a patient none of whose medications has a pack: reported, never interpreted.

Without a pack there is no sourced rule about what a sign means for a drug, so nothing here says
withdrawal, toxicity, "possible" anything, or reads a dose pattern. One safety principle remains:
dosewatch is never silent about an emergency someone describes or a device measures. A seizure,
profound drowsiness or being hard to wake, difficulty breathing or severe confusion (at the
severity the symptom catalogue marks as the emergency sign, ``Symptom.red_flag_at``), slow
breathing or low oxygen sustained on a device, a seizure a device detects, or an intrathecal pump
alarm: every caregiver is told at once by SMS and call, as "reported" or "measured", and the
patient is told to call 911. Every other sign is recorded and raises nothing (the urgent signs of
the baclofen pack are that pack's reading of its brief, not a rule for any medicine).

The phrases are the shared ones (``alerts.domain.clinical.wording``): "a seizure", "difficulty
breathing" describe a sign and make no claim about a drug.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from alerts.domain.clinical.redflags import Triage
from alerts.domain.clinical.wording import SHORT_REASONS
from alerts.domain.symptoms import SYMPTOMS

# Symptom key -> reason code, for the catalogue's emergency signs.
_EMERGENCY_SIGNS: dict[str, str] = {
    "seizure": "seizure",
    "drowsiness": "profound_drowsiness",
    "unresponsive": "unresponsive",
    "breathing_difficulty": "breathing_difficulty",
    "confusion": "severe_confusion",
}
# Device finding or event -> reason code.
_DEVICE_EMERGENCIES: dict[str, str] = {
    "slow_breathing": "slow_breathing",
    "low_oxygen": "low_oxygen",
    "seizure": "seizure_detected",
}
# What a text or a device says by itself (alerts.services.inbound, alerts.services.wearables).
_SAID: tuple[str, ...] = ("text_concern", "unwell_by_text", "asked_for_911", "pump_low_reservoir", "pump_fault",
                          "catheter_fault")

CODES: tuple[str, ...] = (*_EMERGENCY_SIGNS.values(), *_DEVICE_EMERGENCIES.values(), *_SAID)

# Language -> code -> phrase: the shared phrases of these codes only.
WORDS: dict[str, dict[str, str]] = {lang: {c: table[c] for c in CODES} for lang, table in SHORT_REASONS.items()}

# The caregiver's messages: the signs, the code to acknowledge, 911 - and no assessment.
TEMPLATES: dict[str, str] = {"emergency": "reported_emergency_caregiver", "urgent": "reported_urgent_caregiver"}
TEMPLATE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "reported_emergency_caregiver": frozenset({"patient_name", "reasons", "code"}),
    "reported_urgent_caregiver": frozenset({"patient_name", "reasons", "code"}),
}


def triage_symptoms(symptoms: Mapping[str, int]) -> Triage:
    """Emergency when a catalogue emergency sign is reported at its severity; otherwise recorded.

    Raises ValueError for a symptom key not in the catalogue, as the packs' triage does."""
    for key in symptoms:
        if key not in SYMPTOMS:
            raise ValueError(f"unknown symptom {key!r}")
    emergency = [(_EMERGENCY_SIGNS[k], f"{SYMPTOMS[k].label.lower()} reported, severity {v}")
                 for k, v in symptoms.items() if k in _EMERGENCY_SIGNS and v >= (SYMPTOMS[k].red_flag_at or 1)]
    if emergency:
        return Triage("emergency", tuple(r for _, r in emergency), tuple(c for c, _ in emergency))
    present = [k for k, v in symptoms.items() if v > 0]
    if present:
        return Triage("routine", tuple(f"{SYMPTOMS[k].label.lower()} recorded" for k in present))
    return Triage("none", ())


def triage_findings(keys: Iterable[str]) -> Triage:
    """Emergency for a device's emergency measurements or a detected seizure; otherwise recorded."""
    found = list(dict.fromkeys(keys))
    emergency = [k for k in found if k in _DEVICE_EMERGENCIES]
    if emergency:
        return Triage("emergency", tuple(f"{k.replace('_', ' ')} measured by a device" for k in emergency),
                      tuple(_DEVICE_EMERGENCIES[k] for k in emergency))
    return Triage("routine", tuple(f"{k.replace('_', ' ')} recorded" for k in found)) if found else Triage("none", ())

"""The short words that fill ``$reasons`` and ``$assessment`` in the clinical message templates.

The templates themselves are files (``alerts/templates/messages/<lang>/``); these phrases are the
only other words of the clinical messages, kept here in one table per language so a clinician can
review them next to the templates. They are short on purpose: a rendered message must fit in two
SMS segments. Spanish SMS text is written without accents, as the project's other Spanish
templates are: a, i, o and u with an accent are not GSM-7 and would force UCS-2 (70 characters a
segment). The letter ñ is GSM-7 and kept. The voice template is spoken, not texted, so it may
use accents.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from alerts.domain.clinical.assessment import Verdict

DEFAULT_LANGUAGE = "en"

# Reason code -> short phrase. Codes come from ``Triage.codes`` and ``RiskDecision.codes``;
# ``$placeholders`` are filled from ``RiskDecision.facts``.
SHORT_REASONS: dict[str, dict[str, str]] = {
    "en": {
        # emergency (redflags)
        "seizure": "a seizure",
        "profound_drowsiness": "profound drowsiness",
        "unresponsive": "hard to wake",
        "breathing_difficulty": "difficulty breathing",
        "severe_confusion": "severe confusion",
        # urgent (redflags)
        "hallucinations": "hallucinations",
        "paranoia": "paranoia",
        "confusion": "confusion",
        "new_agitation": "new agitation",
        "fever": "fever",
        "fast_heart_rate": "fast heart rate",
        "low_blood_pressure": "low blood pressure",
        "feeling_cold": "feeling very cold",
        "severe_spasms": "severe spasms",
        "worsening_spasms": "worse spasms",
        # urgent from devices (redflags.classify_findings)
        "low_temperature": "low body temperature",
        "slow_heart_rate": "very slow pulse",
        # signs read with the assessment (alerts.domain.clinical.response): a withdrawal or toxicity
        # risk told to the caregivers with the urgent template
        "twitching": "twitches",
        "spasms": "spasms",
        "tremor": "tremor",
        "myoclonus": "muscle jerks",
        "drowsiness": "drowsiness",
        "agitation": "agitation",
        # urgent from an SMS (alerts.services.inbound): the words themselves are forwarded with it
        "text_concern": "a worrying text",
        "unwell_by_text": "feeling unwell",
        "asked_for_911": "asked for 911 by text",
        # withdrawal risk (patterns)
        "missed_doses": "$count doses missed in a row",
        "no_dose": "no dose recorded for $gap",
        "ran_out": "ran out of baclofen",
        "no_refill": "cannot get a refill",
        # toxicity risk (patterns)
        "too_soon": "a dose $gap after the last one",
        "over_daily_total": "$taken_mg mg today, prescribed $daily_mg mg",
        # consult soon (patterns)
        "new_twitching": "new twitches",
        "worse_twitching": "worse twitches",
        "new_tremor": "new tremor",
        "worse_tremor": "worse tremor",
        "new_myoclonus": "new muscle jerks",
        "worse_myoclonus": "worse muscle jerks",
        # device emergencies (alerts.domain.vitals, device events). A pump alarm's withdrawal risk is
        # said by $assessment ("possible withdrawal"), which keeps these short enough for two SMS.
        "slow_breathing": "slow breathing ($rr/min on the wearable)",
        "low_oxygen": "low oxygen ($spo2% on the wearable)",
        "seizure_detected": "a seizure detected by the wearable",
        "pump_low_reservoir": "baclofen pump reservoir low",
        "pump_fault": "baclofen pump fault alarm",
        "catheter_fault": "baclofen pump catheter alarm",
    },
    "es": {
        "seizure": "una convulsion",
        "profound_drowsiness": "somnolencia profunda",
        "unresponsive": "le cuesta despertar",
        "breathing_difficulty": "dificultad para respirar",
        "severe_confusion": "confusion grave",
        "hallucinations": "alucinaciones",
        "paranoia": "paranoia",
        "confusion": "confusion",
        "new_agitation": "agitacion nueva",
        "fever": "fiebre",
        "fast_heart_rate": "pulso acelerado",
        "low_blood_pressure": "presion baja",
        "feeling_cold": "mucho frio",
        "severe_spasms": "espasmos intensos",
        "worsening_spasms": "espasmos peores",
        "low_temperature": "temperatura baja",
        "slow_heart_rate": "pulso muy lento",
        "twitching": "contracciones",
        "spasms": "espasmos",
        "tremor": "temblor",
        "myoclonus": "sacudidas musculares",
        "drowsiness": "somnolencia",
        "agitation": "agitacion",
        "text_concern": "un mensaje preocupante",
        "unwell_by_text": "se siente mal",
        "asked_for_911": "pidio el 911 por mensaje",
        "missed_doses": "$count dosis seguidas sin tomar",
        "no_dose": "sin dosis registrada en $gap",
        "ran_out": "se quedo sin baclofeno",
        "no_refill": "no puede resurtir la receta",
        "too_soon": "una dosis $gap despues de la anterior",
        "over_daily_total": "$taken_mg mg hoy, recetados $daily_mg mg",
        "new_twitching": "contracciones nuevas",
        "worse_twitching": "contracciones peores",
        "new_tremor": "temblor nuevo",
        "worse_tremor": "temblor peor",
        "new_myoclonus": "sacudidas nuevas",
        "worse_myoclonus": "sacudidas peores",
        "slow_breathing": "respiracion lenta ($rr/min)",
        "low_oxygen": "oxigeno bajo ($spo2%)",
        "seizure_detected": "convulsion detectada por el sensor",
        "pump_low_reservoir": "deposito de la bomba bajo",
        "pump_fault": "falla de la bomba",
        "catheter_fault": "alarma del cateter de la bomba",
    },
}

ASSESSMENT_TEXT: dict[str, dict[Verdict, str]] = {
    "en": {
        "possible_withdrawal": "possible withdrawal",
        "possible_toxicity": "possible toxicity",
        "unclear": "unclear - needs a clinician",
    },
    "es": {
        "possible_withdrawal": "posible abstinencia",
        "possible_toxicity": "posible toxicidad",
        "unclear": "no esta claro, debe verlo un medico",
    },
}

# What each clinical template needs. A caller that leaves one out gets a KeyError from ``render``.
TEMPLATE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "emergency_caregiver": frozenset({"patient_name", "reasons", "assessment", "code"}),
    "emergency_patient": frozenset({"patient_name", "reasons"}),
    "emergency_voice": frozenset({"patient_name", "reasons"}),
    "urgent_caregiver": frozenset({"patient_name", "reasons", "assessment", "code"}),
    "withdrawal_risk_caregiver": frozenset({"patient_name", "reasons", "code"}),
    "toxicity_risk_caregiver": frozenset({"patient_name", "reasons", "code"}),
    "consult_soon_patient": frozenset({"patient_name", "reasons"}),
    "consult_soon_caregiver": frozenset({"patient_name", "reasons", "assessment", "code"}),
}


def _table(lang: str | None, tables: Mapping[str, object] = SHORT_REASONS) -> str:
    return lang if lang is not None and lang in tables else DEFAULT_LANGUAGE


def short_reasons(
    codes: Sequence[str], lang: str | None = None, facts: Mapping[str, str] | None = None,
    tables: Mapping[str, Mapping[str, str]] = SHORT_REASONS,
) -> str:
    """The ``$reasons`` text: the codes' phrases in ``lang`` (English fallback), comma-separated.
    ``tables``: another pack's phrases (language -> code -> phrase); these by default.

    Raises KeyError for an unknown code or a missing fact: a hole in an alert is a bug.
    """
    table = tables[_table(lang, tables)]
    return ", ".join(string.Template(table[c]).substitute(facts or {}) for c in codes)


def assessment_text(verdict: Verdict, lang: str | None = None,
                    tables: Mapping[str, Mapping[Verdict, str]] = ASSESSMENT_TEXT) -> str:
    """The ``$assessment`` text for a verdict, in ``lang`` (English fallback)."""
    return tables[_table(lang, tables)][verdict]

"""The words: every template is safe, short, and says what the brief requires."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import alerts.domain.clinical as clinical_package
from alerts.domain.clinical.safety import advice_violations
from alerts.domain.clinical.wording import (
    ASSESSMENT_TEXT,
    SHORT_REASONS,
    TEMPLATE_PLACEHOLDERS,
    assessment_text,
    short_reasons,
)
from alerts.domain.messages import TEMPLATE_DIR, is_gsm7, render, sms_segments, template_paths

LANGUAGES = ("en", "es")
CLINICAL = sorted(TEMPLATE_PLACEHOLDERS)
SMS = [t for t in CLINICAL if not t.endswith("_voice")]

# The reason codes each clinical template can carry.
REASONS_BY_PREFIX = {
    "emergency": [
        "seizure",
        "profound_drowsiness",
        "unresponsive",
        "breathing_difficulty",
        "severe_confusion",
        # from devices (alerts.services.wearables)
        "slow_breathing",
        "low_oxygen",
        "seizure_detected",
        "pump_low_reservoir",
        "pump_fault",
        "catheter_fault",
        # from an SMS answer "4 call 911 now" (alerts.services.inbound)
        "asked_for_911",
    ],
    "urgent": [
        "hallucinations",
        "paranoia",
        "confusion",
        "new_agitation",
        "fever",
        "fast_heart_rate",
        "low_blood_pressure",
        "feeling_cold",
        "severe_spasms",
        "worsening_spasms",
        # from devices (redflags.classify_findings)
        "low_temperature",
        "slow_heart_rate",
        # from an SMS (alerts.services.inbound): a worrying text, "3 I feel unwell"
        "text_concern",
        "unwell_by_text",
    ],
    # A withdrawal or toxicity risk read from routine signs with the assessment
    # (alerts.domain.clinical.response), sent with the urgent template; one or two signs at most.
    "signs": [
        "twitching",
        "spasms",
        "tremor",
        "myoclonus",
        "drowsiness",
        "agitation",
    ],
    "withdrawal_risk": ["missed_doses", "no_dose", "ran_out", "no_refill"],
    "toxicity_risk": ["too_soon", "over_daily_total"],
    "consult_soon": [
        "new_twitching",
        "worse_twitching",
        "new_tremor",
        "worse_tremor",
        "new_myoclonus",
        "worse_myoclonus",
    ],
}
# Long but realistic facts.
FACTS = {"count": "12", "gap": "23 h 59 min", "taken_mg": "112.5", "daily_mg": "60", "rr": "7.5", "spo2": "88.5"}


def worst_case(template: str, lang: str) -> str:
    """The template with a 20-character name, its three longest reasons and the longest assessment."""
    prefix = next(p for p in REASONS_BY_PREFIX if template.startswith(p))
    codes = sorted(REASONS_BY_PREFIX[prefix], key=lambda c: -len(short_reasons([c], lang, FACTS)))[:3]
    values = {
        "patient_name": "Maria-Jose Fernandez",
        "code": "K7Q2",
        "reasons": short_reasons(codes, lang, FACTS),
        "assessment": max(ASSESSMENT_TEXT[lang].values(), key=len),
    }
    return render(template, lang, **{k: v for k, v in values.items() if k in TEMPLATE_PLACEHOLDERS[template]})


def placeholders(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {
        m.group("named") or m.group("braced")
        for m in string.Template.pattern.finditer(text)
        if m.group("named") or m.group("braced")
    }


# -- safety --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", template_paths(), ids=lambda p: f"{p.parent.name}/{p.name} gives no dose advice"
)
def test_no_template_tells_anyone_to_change_a_dose(path: Path) -> None:
    assert advice_violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", CLINICAL)
def test_no_rendered_clinical_message_tells_anyone_to_change_a_dose(template: str, lang: str) -> None:
    assert advice_violations(worst_case(template, lang)) == []


@pytest.mark.parametrize(
    "text",
    [
        "take an extra dose",
        "Take another dose now.",
        "You can take 2 more pills",
        "double your dose",
        "Double up tonight",
        "stop taking baclofen",
        "Stop baclofen today",
        "skip the next dose",
        "increase your dose",
        "reduce the dose",
        "adjust your dosage",
        "Do not wait, take an extra dose",
        "Do not stop and take extra",
        "tome una dosis doble",
        "tome otra dosis",
        "duplique la dosis",
        "deje de tomar baclofeno",
        "suspenda el baclofeno",
        "saltese la proxima dosis",
        "aumente la dosis",
        "cambie su dosis",
        "Tome una dosis extra",
        "Sáltese la próxima dosis",
    ],
)
def test_advice_violations_catches_dose_advice(text: str) -> None:
    assert advice_violations(text), text


@pytest.mark.parametrize(
    "text",
    [
        "do not stop baclofen abruptly",
        "Never stop baclofen abruptly.",
        "do not take extra to catch up",
        "Don't take an extra dose",
        "Do not attempt to adjust your dosage on your own.",
        "Please do not skip the next dose",
        "Reply STOP to opt out.",
        "If you have taken it, reply TAKEN.",
        "no deje de tomar baclofeno de golpe",
        "No se debe dejar el baclofeno de golpe ni tomar dosis extra",
        "No cambie su dosis por su cuenta.",
        "Responda STOP para darse de baja.",
    ],
)
def test_advice_violations_allows_the_safe_phrasing(text: str) -> None:
    assert advice_violations(text) == []


# -- length and characters -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", SMS)
def test_clinical_sms_fits_two_gsm7_segments(template: str, lang: str) -> None:
    text = worst_case(template, lang)
    assert is_gsm7(text), [ch for ch in text if not is_gsm7(ch)]
    assert sms_segments(text) <= 2, (len(text), text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_short_reason_is_gsm7(lang: str) -> None:
    words = [short_reasons([c], lang, FACTS) for c in SHORT_REASONS[lang]] + list(
        ASSESSMENT_TEXT[lang].values()
    )
    assert all(is_gsm7(w) for w in words)


def test_every_language_has_the_same_short_reasons() -> None:
    assert set(SHORT_REASONS["en"]) == set(SHORT_REASONS["es"])
    assert set(ASSESSMENT_TEXT["en"]) == set(ASSESSMENT_TEXT["es"])
    assert set(SHORT_REASONS["en"]) == {c for codes in REASONS_BY_PREFIX.values() for c in codes}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", CLINICAL)
def test_each_template_exists_with_its_documented_placeholders(template: str, lang: str) -> None:
    assert placeholders(TEMPLATE_DIR / lang / f"{template}.txt") == TEMPLATE_PLACEHOLDERS[template]


def test_unknown_language_falls_back_to_english() -> None:
    assert short_reasons(["seizure"], "fr") == "a seizure"
    assert assessment_text("unclear", "fr") == "unclear - needs a clinician"


# -- what the brief requires them to say ---------------------------------------------------------

NOT_ABRUPTLY = {"en": r"never stop baclofen abruptly", "es": r"no se debe dejar el baclofeno de golpe"}
NO_CATCH_UP = {"en": r"do not take extra to catch up", "es": r"ni tomar dosis extra para compensar"}
PRESCRIBER_TODAY = {"en": r"contact the prescriber today", "es": r"contacte hoy con el medico que lo receta"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_withdrawal_risk_says_never_stop_abruptly_no_catching_up_and_call_the_prescriber(lang: str) -> None:
    # Brief: "it should never be stopped suddenly"; "Avoid abrupt discontinuation"; issue 3's message.
    text = worst_case("withdrawal_risk_caregiver", lang).lower()
    for phrase in (NOT_ABRUPTLY[lang], NO_CATCH_UP[lang], PRESCRIBER_TODAY[lang]):
        assert re.search(phrase, text), phrase


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "template",
    [
        "emergency_caregiver",
        "emergency_patient",
        "emergency_voice",
        "urgent_caregiver",
        "toxicity_risk_caregiver",
        "consult_soon_caregiver",
    ],
)
def test_emergency_and_serious_messages_say_call_911(template: str, lang: str) -> None:
    # Brief: "call 911 or seek emergency medical help immediately".
    assert "911" in worst_case(template, lang)


@pytest.mark.parametrize("lang, phrase", [("en", "press 1 to acknowledge"), ("es", "pulse 1 para confirmar")])
def test_the_voice_call_asks_to_press_1(lang: str, phrase: str) -> None:
    assert phrase in worst_case("emergency_voice", lang).lower()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "template",
    [
        "emergency_caregiver",
        "urgent_caregiver",
        "withdrawal_risk_caregiver",
        "toxicity_risk_caregiver",
        "consult_soon_caregiver",
    ],
)
def test_caregiver_alerts_carry_the_acknowledgement_code(template: str, lang: str) -> None:
    assert "OK K7Q2" in worst_case(template, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", CLINICAL)
def test_no_diagnosis_beyond_possible(template: str, lang: str) -> None:
    text = worst_case(template, lang).lower()
    for word in ("overdose", "diagnos", "sobredosis", "you have", "is in withdrawal", "tiene abstinencia"):
        assert word not in text


# -- purity ----------------------------------------------------------------------------------------


def test_the_clinical_rules_import_no_framework_or_service() -> None:
    forbidden = {"flask", "celery", "twilio", "sqlalchemy", "alembic", "redis", "psycopg", "requests"}
    for path in Path(clinical_package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
                assert not name.startswith(
                    ("alerts.services", "alerts.models", "alerts.notify", "workers")
                ), f"{path.name} imports {name}"

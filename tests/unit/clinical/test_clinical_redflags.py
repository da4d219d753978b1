"""Red flags: the brief's emergency sentence and the serious-but-not-911 signs."""

from __future__ import annotations

import pytest

from alerts.domain.clinical.redflags import classify_symptoms
from alerts.domain.clinical.wording import SHORT_REASONS


# Brief, What to Do: "If you experience a seizure, profound drowsiness, difficulty breathing, or
# severe confusion, call 911 or seek emergency medical help immediately."
@pytest.mark.parametrize(
    "symptoms",
    [
        pytest.param({"seizure": 1}, id="a seizure at any severity is an emergency"),
        pytest.param({"drowsiness": 8}, id="profound drowsiness is an emergency"),
        pytest.param({"unresponsive": 1}, id="being hard to wake is profound drowsiness, an emergency"),
        pytest.param({"breathing_difficulty": 1}, id="difficulty breathing is an emergency"),
        pytest.param({"confusion": 7}, id="severe confusion is an emergency"),
    ],
)
def test_emergency_sentence_signs_raise_an_emergency(symptoms: dict[str, int]) -> None:
    triage = classify_symptoms(symptoms)
    assert triage.level == "emergency"
    assert all("call 911" in r for r in triage.reasons)
    assert triage.caregiver_template == "emergency_caregiver"
    assert triage.patient_template == "emergency_patient"
    assert triage.voice_template == "emergency_voice"


@pytest.mark.parametrize(
    "symptoms, level",
    [
        pytest.param({"drowsiness": 7}, "routine", id="drowsiness short of profound is not an emergency"),
        pytest.param({"confusion": 6}, "urgent", id="confusion short of severe is urgent, not an emergency"),
    ],
)
def test_below_the_emergency_threshold(symptoms: dict[str, int], level: str) -> None:
    assert classify_symptoms(symptoms).level == level


@pytest.mark.parametrize(
    "symptoms, previous, code",
    [
        pytest.param({"hallucinations": 2}, None, "hallucinations", id="hallucinations are urgent"),
        pytest.param({"paranoia": 2}, None, "paranoia", id="paranoia is urgent"),
        pytest.param(
            {"agitation": 5}, None, "new_agitation", id="agitation with no earlier check-in is new and urgent"
        ),
        pytest.param(
            {"agitation": 5},
            {"agitation": 0},
            "new_agitation",
            id="agitation absent before is new and urgent",
        ),
        pytest.param(
            {"agitation": 6},
            {"agitation": 3},
            "new_agitation",
            id="agitation much worse than before is urgent",
        ),
        pytest.param({"fever": 3}, None, "fever", id="fever is urgent"),
        pytest.param({"fast_heart_rate": 3}, None, "fast_heart_rate", id="a fast heart rate is urgent"),
        pytest.param({"spasms": 7}, None, "severe_spasms", id="severe spasms are urgent without history"),
        pytest.param(
            {"spasms": 5}, {"spasms": 3}, "worsening_spasms", id="spasms worse than before are urgent"
        ),
        pytest.param({"spasms": 4}, {}, "worsening_spasms", id="new moderate spasms are urgent"),
        pytest.param(
            {"low_blood_pressure": 4}, None, "low_blood_pressure", id="low blood pressure is urgent"
        ),
        pytest.param({"feeling_cold": 4}, None, "feeling_cold", id="feeling very cold is urgent"),
    ],
)
def test_serious_signs_alert_caregivers_urgently(
    symptoms: dict[str, int], previous: dict[str, int] | None, code: str
) -> None:
    triage = classify_symptoms(symptoms, previous)
    assert triage.level == "urgent"
    assert code in triage.codes
    assert triage.caregiver_template == "urgent_caregiver"
    assert triage.patient_template is None and triage.voice_template is None


@pytest.mark.parametrize(
    "symptoms, previous",
    [
        pytest.param({"agitation": 5}, {"agitation": 5}, id="agitation as before is not new"),
        pytest.param({"agitation": 2}, None, id="mild agitation is not urgent"),
        pytest.param({"spasms": 4}, None, id="moderate spasms with nothing to compare are routine"),
        pytest.param({"spasms": 4}, {"spasms": 3}, id="spasms one point worse are routine"),
        pytest.param({"twitching": 6, "tremor": 3, "myoclonus": 2}, None, id="twitches alone are routine"),
        pytest.param({"drowsiness": 4}, None, id="mild drowsiness is routine"),
    ],
)
def test_routine_symptoms_are_recorded_without_an_alert(
    symptoms: dict[str, int], previous: dict[str, int] | None
) -> None:
    triage = classify_symptoms(symptoms, previous)
    assert triage.level == "routine"
    assert triage.caregiver_template is None


def test_nothing_reported_is_none() -> None:
    assert classify_symptoms({}).level == "none"
    assert classify_symptoms({"seizure": 0, "fever": 0}).level == "none"


def test_an_emergency_outranks_urgent_signs() -> None:
    triage = classify_symptoms({"seizure": 3, "fever": 5, "hallucinations": 5})
    assert triage.level == "emergency"
    assert triage.codes == ("seizure",)


@pytest.mark.parametrize(
    "symptoms",
    [
        pytest.param({"seizures": 5}, id="a misspelled symptom fails loudly"),
        pytest.param({"seizure": 11}, id="severity above 10 fails"),
        pytest.param({"fever": -1}, id="negative severity fails"),
    ],
)
def test_bad_input_is_rejected(symptoms: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        classify_symptoms(symptoms)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("severity", [1, 5, 10])
def test_every_triage_code_has_short_words(severity: int, lang: str) -> None:
    from alerts.domain.symptoms import SYMPTOMS

    for key in SYMPTOMS:
        for previous in (None, {key: 1}):
            assert set(classify_symptoms({key: severity}, previous).codes) <= set(SHORT_REASONS[lang])

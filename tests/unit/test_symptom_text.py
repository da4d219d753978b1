"""Symptoms in plain words: what patients and caregivers text, and what must not raise an alarm."""

from __future__ import annotations

import pytest

from alerts.domain.clinical.redflags import classify_symptoms
from alerts.domain.symptom_text import has_red_flag_words, symptoms_in, without_denied_symptoms

# Each phrasing must triage as an emergency (the brief's 911 sentence), in English and Spanish.
EMERGENCY = {
    "seizure": ["she had a fit", "He's having a seizure!!", "seizing", "SEIZURE", "I think she had a seizure",
                "not sure if it was a seizure", "convulsions", "tuvo una convulsión", "ataque epileptico",
                "no, she had a fit", "he's shaking all over", "my whole body is jerking",
                "foaming at the mouth", "echando espuma por la boca"],
    "breathing_difficulty": ["cant breathe", "I can't breathe", "no, I can't breathe", "he is not breathing",
                             "trouble breathing", "breathing is very slow", "shallow breathing", "gasping",
                             "short of breath", "no puede respirar", "respira muy lento",
                             "breathing real slow", "her breathing feels shallow", "can't catch my breath", "he went blue",
                             "se puso morado", "no está respirando"],
    "unresponsive": ["can't wake him up", "cant wake her", "won't wake up", "he passed out", "unconscious",
                     "not responding", "no, she is not responding", "no despierta", "se desmayó",
                     "he won't answer me", "no reacciona", "no se despierta"],
    "drowsiness": ["she can't stay awake", "very drowsy", "extremely sleepy", "muy somnolienta",
                   "I can't keep her awake", "tengo mucho sueño", "no puedo mantenerme despierto"],
    "confusion": ["very confused", "doesn't know where she is", "talking nonsense", "muy confundido",
                  "no me reconoce", "she doesn't know who I am"],
}
# Denied, or not about symptoms at all: nothing to record.
NOTHING = ["no seizures today, feeling ok", "No seizure", "she didn't have a fit", "no trouble breathing",
           "not confused at all", "ok, calling 911", "took it", "TAKEN", "yes", "feeling fine thanks",
           "I fit it in", "", "   ", "👍", "sin fiebre", "never had a seizure", "911",
           # Near misses of the red-flag wording that are about something else.
           "she won't answer her phone", "my hair is going grey", "breathing ok now", "no está morado",
           "not shaking all over any more", "no tengo sueño"]
# Other symptoms of the brief, with the severity the message gives (or a moderate default).
OTHER = [
    ("legs jumping 7", {"twitching": 7}),
    ("twitching 3/10", {"twitching": 3}),
    ("spasms worse", {"spasms": 5}),
    ("shaking", {"tremor": 5}),
    ("fever 8 of 10", {"fever": 8}),
    ("seeing things", {"hallucinations": 6}),
    ("heart racing, a bit dizzy", {"fast_heart_rate": 6, "low_blood_pressure": 5}),
    ("feels very cold", {"feeling_cold": 5}),
    ("his legs are stiff", {"spasms": 5}),
    ("a little confused", {"confusion": 5}),
    ("calambres y temblores 6", {"spasms": 6, "tremor": 6}),
    ("Muscle jerks", {"myoclonus": 6}),
    ("me tiemblan las manos", {"tremor": 5}),
    ("le brincan las piernas", {"twitching": 5}),
    ("está viendo cosas", {"hallucinations": 6}),
    ("he's been sleeping all day", {"drowsiness": 5}),
    ("tengo sueño y mareo", {"drowsiness": 5, "low_blood_pressure": 5}),
]


@pytest.mark.parametrize(("key", "text"), [(k, t) for k, texts in EMERGENCY.items() for t in texts])
def test_emergency_signs_in_plain_words_triage_as_an_emergency(key: str, text: str) -> None:
    found = symptoms_in(text)

    assert key in found
    assert classify_symptoms(found).level == "emergency"
    assert has_red_flag_words(text)


@pytest.mark.parametrize("text", NOTHING)
def test_denials_and_other_replies_report_no_symptom(text: str) -> None:
    assert symptoms_in(text) == {}
    assert not has_red_flag_words(text)


@pytest.mark.parametrize(("text", "expected"), OTHER)
def test_other_symptoms_are_read_with_the_severity_given(text: str, expected: dict[str, int]) -> None:
    assert symptoms_in(text) == expected


def test_a_red_flag_next_to_a_denied_one_is_still_a_red_flag() -> None:
    assert symptoms_in("no seizures but we can't wake him up") == {"unresponsive": 10}


def test_a_severity_number_never_lowers_a_red_flag() -> None:
    assert symptoms_in("seizure 2 minutes ago")["seizure"] == 10


def test_a_very_long_message_is_read_whole() -> None:
    assert "seizure" in symptoms_in("we had a normal day " * 300 + "then a seizure")


# Each phrase of the symptom reader's emergency rows, by itself (the older whole-message parser and
# ``has_red_flag_words`` read these; the SMS reader reads the signs with its own tables).
RED_FLAG_PHRASES: list[tuple[str, str]] = [
    ("seizure", "sezure"), ("seizure", "convulsing"), ("seizure", "having fits"), ("seizure", "more fits"),
    ("seizure", "epileptic"), ("seizure", "ataque epileptico"), ("seizure", "convulsiones"),
    ("seizure", "echando espuma"), ("seizure", "espuma por la boca"), ("seizure", "todo el cuerpo le tiembla"),
    ("breathing_difficulty", "difficulty breathing"), ("breathing_difficulty", "hard to breathe"),
    ("breathing_difficulty", "labios morados"), ("breathing_difficulty", "cara azul"),
    ("breathing_difficulty", "dejo de respirar"),
    ("unresponsive", "inconsciente"), ("unresponsive", "desmayado"), ("unresponsive", "no lo podemos despertar"),
    ("unresponsive", "no response"),
    ("drowsiness", "falling asleep mid sentence"), ("drowsiness", "can t keep her eyes open"),
    ("drowsiness", "no se mantiene despierta"),
    ("confusion", "don't know where I am"), ("confusion", "dont know where i am"), ("confusion", "doesn't recognise"),
    ("confusion", "makes no sense"), ("confusion", "no sabe donde esta"),
]


@pytest.mark.parametrize(("key", "text"), RED_FLAG_PHRASES, ids=[f"{k}:{t}" for k, t in RED_FLAG_PHRASES])
def test_each_red_flag_phrase_of_the_symptom_reader_is_read_at_emergency_severity(key: str, text: str) -> None:
    from alerts.domain.symptoms import SYMPTOMS
    found = symptoms_in(text)
    assert found.get(key, 0) >= (SYMPTOMS[key].red_flag_at or 0) > 0


@pytest.mark.parametrize(("text", "kept"), [
    ("took it no twitching today", "took it today"),
    ("spasms this morning but no spasms now", "spasms this morning but now"),
])
def test_each_denied_mention_is_cut_even_after_one_that_is_not(text: str, kept: str) -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): stopping at a symptom's first
    # un-denied mention, so a later denial of it stayed in the text, went unnoticed.
    assert without_denied_symptoms(text) == kept


@pytest.mark.parametrize(("text", "found"), [
    ("spasms 1", {"spasms": 1}),  # the lowest stated severity is the one stated
    ("spasms, we called 9 1 1 just in case", {"spasms": 5}),  # "9 1 1" is no severity: the default
])
def test_a_stated_severity_is_read_and_911_is_not_one(text: str, found: dict[str, int]) -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): reading 1 as no severity, and
    # "9 1 1" as a severity of 1, went unnoticed.
    assert symptoms_in(text) == found

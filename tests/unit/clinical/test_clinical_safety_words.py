"""The words of the dose-advice guard (``alerts.domain.clinical.safety``) and of the emergency signs,
pinned one by one.

Deleting one alternative at a time from the guard went unnoticed by the unit tests about two
times in three ("discontinue baclofen" slipped through). Here every verb, every word for the drug,
every determiner, every negation and every clause boundary has a case that names it, in English
and Spanish, so a deleted word fails a test that says which. The mutation run
(docs/mutation-testing.md) checks that this stays true.

Brief: "Do not attempt to adjust your dosage on your own"; "The golden rule is never to stop
baclofen abruptly"; "If you experience a seizure, profound drowsiness, difficulty breathing, or
severe confusion, call 911".
"""

from __future__ import annotations

import pytest

from alerts.domain.clinical.redflags import classify_symptoms
from alerts.domain.clinical.safety import advice_violations
from alerts.domain.clinical.wording import short_reasons
from alerts.domain.messages import render


def labels(text: str) -> set[str]:
    return {v.split(":", 1)[0] for v in advice_violations(text)}


# (advice, the kind of advice it is). Each line names the word it pins.
FORBIDDEN = [
    # -- English: take more ---------------------------------------------------------------------------
    ("take extra today", "take extra"),
    ("take another one", "take extra"),
    ("take an additional tablet", "take extra"),
    ("take a second one", "take extra"),
    ("take one more", "take extra"),
    ("take your double", "take extra"),
    ("take the second", "take extra"),
    ("take 2 more", "take extra"),
    ("take two now", "take extra"),
    ("take twice as much", "take extra"),
    ("take it again", "take extra"),
    ("take them twice", "take extra"),
    ("take your dose early", "take extra"),
    ("take baclofen again", "take extra"),
    # -- double ----------------------------------------------------------------------------------------
    ("double up tonight", "double"),
    ("double your dose", "double"),
    ("double the baclofen", "double"),
    # -- increase --------------------------------------------------------------------------------------
    ("increase your dose", "increase"),
    ("raise the dosage", "increase"),
    ("boost your baclofen", "increase"),
    # -- reduce ----------------------------------------------------------------------------------------
    ("decrease the dose", "decrease"),
    ("reduce your baclofen", "decrease"),
    ("lower the dose", "decrease"),
    ("halve your tablets", "decrease"),
    ("taper the medication", "decrease"),
    ("cut down on your meds", "decrease"),
    ("cut back on baclofen", "decrease"),
    ("cut the pills", "decrease"),
    # -- skip ------------------------------------------------------------------------------------------
    ("skip it", "skip"),
    ("skip your next dose", "skip"),
    ("omit the dose", "skip"),
    ("hold tonight's dose", "skip"),
    ("withhold the medicine", "skip"),
    # -- stop, discontinue -----------------------------------------------------------------------------
    ("stop taking it", "stop"),
    ("stopping baclofen now", "stop"),
    ("discontinue baclofen", "stop"),
    ("quit using the pump", "stop"),
    ("stop it", "stop"),
    ("stop abruptly", "stop"),
    ("stop suddenly", "stop"),
    # -- change ----------------------------------------------------------------------------------------
    ("change your dose", "change"),
    ("adjust the dosage", "change"),
    ("alter your medication", "change"),
    ("modify the dosing", "change"),
    ("switch your medications", "change"),
    # -- Spanish: tomar de mas -------------------------------------------------------------------------
    ("tome una dosis extra", "tomar extra"),
    ("tomar una pastilla adicional", "tomar extra"),
    ("tomen su dosis doble", "tomar extra"),
    ("tomese la dosis de mas", "tomar extra"),
    ("toma mas", "tomar extra"),
    ("tome el extra", "tomar extra"),
    ("tome otra", "tomar extra"),
    ("toma otra", "tomar extra"),
    ("tomen dos", "tomar extra"),
    ("tomese otra", "tomar extra"),
    ("tomar dos", "tomar extra"),
    ("tomen el doble", "tomar extra"),
    # -- duplicar --------------------------------------------------------------------------------------
    ("duplicar la dosis", "duplicar"),
    ("duplica la dosis", "duplicar"),
    ("duplican la dosis", "duplicar"),
    ("duplique la dosis", "duplicar"),
    ("dupliquen la dosis", "duplicar"),
    # -- aumentar --------------------------------------------------------------------------------------
    ("aumentar la dosis", "aumentar"),
    ("aumenta la dosis", "aumentar"),
    ("aumentan la dosis", "aumentar"),
    ("aumente su medicacion", "aumentar"),
    ("aumenten el baclofeno", "aumentar"),
    ("suba la dosis", "aumentar"),
    ("subir la dosis", "aumentar"),
    ("sube la dosis", "aumentar"),
    ("suban la dosis", "aumentar"),
    ("suben la dosis", "aumentar"),
    # -- reducir ---------------------------------------------------------------------------------------
    ("reduzca la dosis", "reducir"),
    ("reduzcan la dosis", "reducir"),
    ("reducir la dosis", "reducir"),
    ("reduce la dosis", "reducir"),
    ("bajar la dosis", "reducir"),
    ("baja la dosis", "reducir"),
    ("bajan la dosis", "reducir"),
    ("baje la dosis", "reducir"),
    ("bajen la dosis", "reducir"),
    ("disminuir la dosis", "reducir"),
    ("disminuya la dosis", "reducir"),
    ("disminuyan la dosis", "reducir"),
    ("disminuye la dosis", "reducir"),
    # -- saltar ----------------------------------------------------------------------------------------
    ("saltar la dosis", "saltar"),
    ("salta la dosis", "saltar"),
    ("salte la dosis", "saltar"),
    ("salten la dosis", "saltar"),
    ("saltese la toma", "saltar"),
    ("omitir la dosis", "saltar"),
    ("omita la dosis", "saltar"),
    ("omitan la dosis", "saltar"),
    ("omite la dosis", "saltar"),
    # -- dejar, parar, suspender -----------------------------------------------------------------------
    ("deje de tomar", "dejar"),
    ("dejen el baclofeno", "dejar"),
    ("dejar el baclofeno", "dejar"),
    ("deja la medicacion", "dejar"),
    ("pare la medicacion", "dejar"),
    ("parar el tratamiento", "dejar"),
    ("interrumpa la bomba", "dejar"),
    ("interrumpir el tratamiento", "dejar"),
    ("suspenda el tratamiento", "dejar"),
    ("suspendan la dosis", "dejar"),
    ("suspender el baclofeno", "dejar"),
    ("suspende la dosis", "dejar"),
    # -- cambiar ---------------------------------------------------------------------------------------
    ("cambie la dosis", "cambiar"),
    ("cambiar la dosis", "cambiar"),
    ("cambia la dosis", "cambiar"),
    ("cambien la dosis", "cambiar"),
    ("ajuste la dosis", "cambiar"),
    ("ajustar la dosis", "cambiar"),
    ("ajusta la dosis", "cambiar"),
    ("ajusten la dosis", "cambiar"),
    ("modificar la dosis", "cambiar"),
    ("modifica la dosis", "cambiar"),
    ("modifique la dosis", "cambiar"),
]


@pytest.mark.parametrize(("text", "kind"), FORBIDDEN, ids=[t for t, _ in FORBIDDEN])
def test_the_guard_names_each_kind_of_dose_advice(text: str, kind: str) -> None:
    assert kind in labels(text), advice_violations(text)
    assert kind in labels(text.upper()), "case does not matter"


# Every word for the drug, every determiner: "stop <det> <drug>" is forbidden whichever is used.
DRUG_WORDS = ["dose", "doses", "dosage", "dosing", "baclofen", "medicine", "medication", "medications", "meds",
              "pill", "pills", "tablet", "tablets", "pump"]
DETERMINERS = ["your", "the", "his", "her", "their", "this", "that", "a", "one", "next", "today's", "todays",
               "tonight's", "tonights"]
DROGA = ["dosis", "baclofeno", "medicacion", "medicamento", "medicamentos", "medicina", "pastilla", "pastillas",
         "comprimido", "comprimidos", "tratamiento", "bomba", "toma"]
DET_ES = ["la", "las", "el", "los", "su", "sus", "una", "otra", "esta", "proxima", "siguiente"]


@pytest.mark.parametrize("drug", DRUG_WORDS)
def test_every_english_word_for_the_drug_is_guarded(drug: str) -> None:
    assert labels(f"change {drug} now") == {"change"}
    assert labels(f"stop {drug} now") == {"stop"}


@pytest.mark.parametrize("det", DETERMINERS)
def test_every_english_determiner_before_the_drug_is_guarded(det: str) -> None:
    assert labels(f"skip {det} dose") == {"skip"}


@pytest.mark.parametrize("droga", DROGA)
def test_every_spanish_word_for_the_drug_is_guarded(droga: str) -> None:
    assert "cambiar" in labels(f"cambie {droga} ahora")


@pytest.mark.parametrize("det", DET_ES)
def test_every_spanish_determiner_before_the_drug_is_guarded(det: str) -> None:
    assert "dejar" in labels(f"suspenda {det} dosis")


def test_accents_do_not_hide_spanish_advice() -> None:
    assert "cambiar" in labels("Modifique la medicación")
    assert "tomar extra" in labels("Tómese una dosis de más")


# -- what is allowed: the negated, safe phrasing -------------------------------------------------------

NEGATIONS = ["do not", "does not", "did not", "should not", "must not", "will not", "can not", "could not",
             "don't", "dont", "doesn't", "doesnt", "shouldn't", "mustn't", "won't", "can't", "cannot", "never"]


@pytest.mark.parametrize("negation", NEGATIONS)
def test_each_english_negation_makes_the_advice_safe(negation: str) -> None:
    assert advice_violations(f"You {negation} stop baclofen.") == []


@pytest.mark.parametrize("negation", ["no", "nunca", "jamas", "ni"])
def test_each_spanish_negation_makes_the_advice_safe(negation: str) -> None:
    assert advice_violations(f"{negation} cambie la dosis") == []


@pytest.mark.parametrize("filler", ["ever", "suddenly", "abruptly", "just", "attempt", "try", "to", "yourself"])
def test_a_harmless_english_word_between_the_negation_and_the_verb_keeps_it_safe(filler: str) -> None:
    assert advice_violations(f"Never {filler} stop baclofen.") == []


@pytest.mark.parametrize("filler", ["se", "lo", "la", "le", "les", "debe", "deben", "usted", "intente", "trate",
                                    "de", "por", "favor"])
def test_a_harmless_spanish_word_between_the_negation_and_the_verb_keeps_it_safe(filler: str) -> None:
    assert advice_violations(f"No {filler} cambie la dosis.") == []


def test_three_words_between_the_negation_and_the_verb_are_too_many() -> None:
    assert labels("do not just try to stop baclofen") == {"stop"}
    assert advice_violations("do not try to stop baclofen") == []


@pytest.mark.parametrize("boundary", [".", ",", ";", ":", "!", "?", "\n", "(", ")"], ids=repr)
def test_a_negation_does_not_carry_over_a_clause_boundary(boundary: str) -> None:
    # "Do not wait, stop baclofen" tells them to stop.
    assert labels(f"Do not wait{boundary} stop baclofen") == {"stop"}


@pytest.mark.parametrize("text", ["don\u2019t stop baclofen", "don\u2018t stop baclofen"])
def test_curly_apostrophes_do_not_hide_a_negation(text: str) -> None:
    assert advice_violations(text) == []


def test_a_negation_governing_another_verb_does_not_excuse_the_advice() -> None:
    assert labels("do not wait and then double your dose") == {"double"}


def test_a_safe_sentence_mentioning_the_drug_is_allowed() -> None:
    assert advice_violations("Rosa took her baclofen dose at 08:00. Never stop baclofen abruptly.") == []


def test_the_violation_quotes_the_phrase_found() -> None:
    assert advice_violations("Please discontinue baclofen.") == ["stop: 'discontinue baclofen'"]


# -- the brief's four emergency signs, in both languages -----------------------------------------------

EMERGENCY_WORDS = {
    "en": {"seizure": "a seizure", "profound_drowsiness": "profound drowsiness",
           "breathing_difficulty": "difficulty breathing", "severe_confusion": "severe confusion",
           "unresponsive": "hard to wake"},
    "es": {"seizure": "una convulsion", "profound_drowsiness": "somnolencia profunda",
           "breathing_difficulty": "dificultad para respirar", "severe_confusion": "confusion grave",
           "unresponsive": "le cuesta despertar"},
}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("code", ["seizure", "profound_drowsiness", "breathing_difficulty", "severe_confusion",
                                  "unresponsive"])
def test_each_emergency_sign_is_named_in_the_briefs_words(code: str, lang: str) -> None:
    assert short_reasons([code], lang) == EMERGENCY_WORDS[lang][code]


@pytest.mark.parametrize(("symptoms", "code"), [
    ({"seizure": 1}, "seizure"),
    ({"drowsiness": 8}, "profound_drowsiness"),
    ({"breathing_difficulty": 1}, "breathing_difficulty"),
    ({"confusion": 7}, "severe_confusion"),
    ({"unresponsive": 1}, "unresponsive"),
], ids=["seizure", "profound drowsiness", "difficulty breathing", "severe confusion", "hard to wake"])
def test_each_emergency_sign_opens_an_emergency_that_names_it(symptoms: dict[str, int], code: str) -> None:
    triage = classify_symptoms(symptoms)
    assert (triage.level, triage.codes) == ("emergency", (code,))
    assert triage.patient_template == "emergency_patient" and triage.voice_template == "emergency_voice"
    assert "call 911" in triage.reasons[0]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("code", ["seizure", "profound_drowsiness", "breathing_difficulty", "severe_confusion"])
def test_the_patients_emergency_text_names_the_sign_and_says_call_911(code: str, lang: str) -> None:
    text = render("emergency_patient", lang, patient_name="Rosa", reasons=short_reasons([code], lang))
    assert EMERGENCY_WORDS[lang][code] in text and "911" in text
    assert advice_violations(text) == []

"""The SMS reply parser: what patients and caregivers actually type, and what it must not misread."""

from __future__ import annotations

import pytest

from alerts.domain.replies import Reply, parse_reply

TAKEN = [
    "TAKEN", "taken", "  Taken.  ", "YES", "yes!", "Y", "y", "TOOK IT", "took it", "Took it!!", "I took it",
    "done", "Done.", "yes taken", "took my dose",
    # Spanish, with and without accents
    "tomada", "TOMADA", "Tomado", "si", "sí", "Sí.", "SI", "ya", "Ya la tomé", "ya la tome", "listo",
]
ACK = ["OK", "ok", "Ok.", "okay", "OKAY!", "ack", "ACK", " ok ", "got it", "on it", "vale", "entendido",
       # Caregivers saying they are on it, in their own words.
       "ok, calling 911", "Calling 911", "called 911", "On my way", "on my way!", "I'm on my way", "omw",
       "coming now", "ok coming", "I've got it", "got this", "we're on our way", "calling an ambulance",
       "Ya voy", "voy para allá", "llamando al 911", "ok thanks"]
STOP = ["STOP", "stop", "Stop.", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT"]
START = ["START", "start", "UNSTOP"]
HELP = ["HELP", "help?", "INFO", "ayuda"]
# A dose not taken: never read as taken (the patient gets a kind reply, nothing is recorded).
NOT_TAKEN = ["no", "NO", "not taken", "not yet", "I have not taken it", "didn't take it", "no la tome",
             "todavia no", "he refused it", "she spat it out", "haven't given it to him yet",
             "no se la ha tomado", "no le di la pastilla", "no quiere tomarse la pastilla"]
# A caregiver's word for the patient's dose, in the third person: read as taken (the service
# decides who may record a dose).
TAKEN_BY_CAREGIVER = ["he's had it", "Gave it to him at 8", "YES SHE TOOK IT!!!!", "le di su pastilla",
                      "mi mamá ya se tomó la pastilla"]
# A caregiver asking in their own words: a status request, never a dose taken.
STATUS_QUESTIONS = ["how is she doing?", "did mom take her pill?", "has he taken his meds today",
                    "¿cómo está mi papá?"]
# Questions, habits and small talk in dose words: none records a dose, extra or not (a dose recorded
# that nobody took silences the missed-dose escalation, and an extra one raises a false toxicity alert).
NEVER_A_DOSE = ["had a good night", "had a great night thanks", "had my lunch", "took it?",
                "did she take it?", "¿ya se la tomó?", "Should I take another one?",
                "can I take an extra one for the pain",
                "I take it twice a day", "had cramps twice today", "took a walk twice", "had another spasm",
                "took a second look"]
# Replies that must change nothing: questions, chatter, contradictions and empty messages.
UNKNOWN = ["", "   ", "taken?no", "what is this", "stop it please", "yes no", "later", "tomorrow", "🙂"]


@pytest.mark.parametrize("text", TAKEN)
def test_dose_taken_replies_read_as_taken(text: str) -> None:
    assert parse_reply(text) == Reply("taken")


@pytest.mark.parametrize("text", ACK)
def test_acknowledgements_without_a_code_read_as_ack(text: str) -> None:
    assert parse_reply(text) == Reply("ack")


@pytest.mark.parametrize(
    ("text", "code"),
    [("OK JQF2", "JQF2"), ("ok jqf2", "JQF2"), ("ACK K7M3", "K7M3"), ("okay, k7m3.", "K7M3"),
     ("JQF2 ok", "JQF2"), ("on my way K7M3", "K7M3"), ("calling 911 jqf2", "JQF2")],
)
def test_acknowledgement_names_the_alert_code(text: str, code: str) -> None:
    assert parse_reply(text) == Reply("ack", code)


def test_code_with_characters_alert_codes_never_use_is_not_a_code() -> None:
    # Codes skip 0/O/1/I/L, so "OK LOL1" is not an acknowledgement of some alert "LOL1".
    assert parse_reply("OK LOL1").intent == "unknown"


@pytest.mark.parametrize("text", STOP)
def test_carrier_opt_out_keywords_read_as_stop(text: str) -> None:
    assert parse_reply(text) == Reply("stop")


@pytest.mark.parametrize("text", START)
def test_carrier_opt_in_keywords_read_as_start(text: str) -> None:
    assert parse_reply(text) == Reply("start")


@pytest.mark.parametrize("text", HELP)
def test_help_keywords_read_as_help(text: str) -> None:
    assert parse_reply(text) == Reply("help")


@pytest.mark.parametrize("text", NOT_TAKEN)
def test_doses_not_taken_never_read_as_taken(text: str) -> None:
    assert parse_reply(text) == Reply("not_taken")


@pytest.mark.parametrize("text", UNKNOWN)
def test_replies_not_fully_understood_are_unknown(text: str) -> None:
    assert parse_reply(text) == Reply("unknown")


@pytest.mark.parametrize("text", NEVER_A_DOSE)
def test_questions_habits_and_small_talk_never_record_a_dose(text: str) -> None:
    assert parse_reply(text).intent not in ("taken", "extra_dose")


@pytest.mark.parametrize("text", ["no fits", "no seizures today", "not drowsy", "no se ha convulsionado",
                                  "breathing ok now", "lips are pink again, he's ok", "ya respira normal"])
def test_a_denied_red_flag_or_plain_reassurance_reads_as_all_well(text: str) -> None:
    assert parse_reply(text) == Reply("all_well")


@pytest.mark.parametrize("text", ["not feeling ok", "no está bien", "not all good"])
def test_reassurance_that_is_itself_denied_is_not_all_well(text: str) -> None:
    assert parse_reply(text).intent != "all_well"


@pytest.mark.parametrize("text", ["took it, no twitching today", "I took it, feeling fine",
                                  "ya se la tomó y no ha tenido convulsiones"])
def test_a_dose_named_beside_reassurance_is_taken(text: str) -> None:
    assert parse_reply(text) == Reply("taken")


@pytest.mark.parametrize("text", ["yes, no seizures", "taken? no, no seizures", "yes feeling fine"])
def test_a_bare_yes_beside_reassurance_is_not_a_dose(text: str) -> None:
    # "yes" may answer something else; without the dose named, nothing is recorded.
    assert parse_reply(text).intent != "taken"


@pytest.mark.parametrize("text", TAKEN_BY_CAREGIVER)
def test_a_caregiver_reporting_the_dose_in_the_third_person_reads_as_taken(text: str) -> None:
    assert parse_reply(text) == Reply("taken")


@pytest.mark.parametrize("text", STATUS_QUESTIONS)
def test_a_caregiver_asking_after_the_patient_reads_as_status(text: str) -> None:
    assert parse_reply(text) == Reply("status")

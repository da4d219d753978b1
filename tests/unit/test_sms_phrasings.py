"""Every row of the phrasing table (``sms_phrasings.py``) read as its category says.

Rows in ``KNOWN_MISSES`` are strict xfails: the test fails the day the parser gets one right, so
the table and the accuracy figure printed by ``python -m tests.unit.sms_phrasings`` stay honest.
"""

from __future__ import annotations

import pytest

from alerts.domain.replies import parse_reply
from alerts.domain.symptom_text import has_red_flag_words
from tests.unit.sms_phrasings import KNOWN_MISSES, NOT_RED_FLAGS, PHRASINGS, accuracy, rows


def _param(expected: str, text: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"known miss: read as {KNOWN_MISSES[text]}")] \
        if text in KNOWN_MISSES else []
    return pytest.param(expected, text, marks=marks, id=f"{expected}:{text[:40]}")


@pytest.mark.parametrize(("expected", "text"), [_param(e, t) for e, t in rows()])
def test_each_phrasing_reads_as_its_category(expected: str, text: str) -> None:
    assert parse_reply(text).intent == expected


@pytest.mark.parametrize("text", PHRASINGS["taken"] + PHRASINGS["not_taken"] + PHRASINGS["supply"]
                         + PHRASINGS["all_well"] + PHRASINGS["unknown"] + NOT_RED_FLAGS)
def test_no_phrasing_outside_the_emergency_rows_names_a_red_flag(text: str) -> None:
    assert not has_red_flag_words(text)
    assert parse_reply(text).intent != "emergency"


@pytest.mark.parametrize("text", PHRASINGS["emergency"])
def test_a_red_flag_wins_over_every_other_intent_in_the_same_message(text: str) -> None:
    reply = parse_reply(text)
    assert reply.intent == "emergency"
    assert reply.symptoms


@pytest.mark.parametrize("text", PHRASINGS["taken_with_symptoms"])
def test_a_dose_taken_with_symptoms_carries_both(text: str) -> None:
    reply = parse_reply(text)
    assert (reply.intent, bool(reply.symptoms)) == ("taken", True)


@pytest.mark.parametrize(("text", "problem"), [
    ("ran out", "ran_out"), ("se me acabaron las pastillas", "ran_out"), ("I'm all out", "ran_out"),
    ("pharmacy didn't have it", "no_refill"), ("can't get a refill", "no_refill"),
    ("la farmacia no la tenía", "no_refill"),
])
def test_supply_problems_say_which_problem(text: str, problem: str) -> None:
    assert parse_reply(text).supply_problem == problem


@pytest.mark.parametrize(("text", "doses"), [
    ("took it twice by mistake", 2), ("took an extra one", 2), ("tomé dos veces", 2), ("took it three times", 3),
])
def test_extra_doses_say_how_many_were_taken_in_all(text: str, doses: int) -> None:
    assert parse_reply(text).doses == doses


@pytest.mark.parametrize(("text", "number"), [("3", 3), ("10", 10), ("5/10", 5), ("0", 0), ("8 de 10", 8)])
def test_a_bare_number_is_read_as_a_0_to_10_answer(text: str, number: int) -> None:
    assert parse_reply(text).number == number


@pytest.mark.parametrize("text", ["11", "42", "100", "3.5"])
def test_numbers_outside_0_to_10_are_not_an_answer(text: str) -> None:
    assert parse_reply(text).intent != "number"


def test_mixed_case_and_accents_read_the_same() -> None:
    assert {parse_reply(t).intent for t in ("FORGOT", "Forgot", "forgot")} == {"not_taken"}
    assert parse_reply("SE ME OLVIDÓ") == parse_reply("se me olvido")


def test_a_very_long_message_is_read_whole_and_a_red_flag_at_its_end_still_wins() -> None:
    assert parse_reply("took it, thanks " * 500).intent == "taken"
    assert parse_reply("took it, thanks " * 500 + "but now she had a seizure").intent == "emergency"


def test_accuracy_on_the_table_counts_every_row_and_only_the_known_misses_are_wrong() -> None:
    results = accuracy()
    assert sum(total for _, total in results.values()) == len(rows())
    assert sum(total - right for right, total in results.values()) == len(KNOWN_MISSES)

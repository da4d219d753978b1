"""Which of a patient's medicines a text names, and how messages name them (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alerts.domain.medication_names import dose_label, listing, named_medications

MEDS = {1: "baclofen", 2: "Metformin", 3: "Vitamin D", 4: "Lisinopril"}


@pytest.mark.parametrize("text, expected", [
    ("took the baclofen", [1]),
    ("BACLOFEN taken", [1]),
    ("tomé la metformina", [2]),
    ("ya tome el baclofeno", [1]),
    ("took my bacolfen", [1]),          # two letters swapped
    ("took the baclofin", [1]),         # one wrong
    ("metformn done", [2]),             # one missing
    ("took the vitamin", [3]),
    ("vitamina d lista", [3]),
    ("took the baclofen and the metformin", [1, 2]),
    ("took lisinopril", [4]),
])
def test_a_text_names_the_medicines_it_mentions_in_the_patients_own_spelling(text: str, expected: list[int]) -> None:
    assert named_medications(text, MEDS) == expected


@pytest.mark.parametrize("text", ["took it", "TAKEN", "took my pills", "done", "took the meds", "tome la pastilla",
                                  "bacl", "formin", "took my dose tonight"])
def test_a_text_naming_no_medicine_names_none(text: str) -> None:
    assert named_medications(text, MEDS) == []


def test_short_names_must_be_spelt_exactly() -> None:
    meds = {1: "Keppra"[:4]}  # "Kepp": four letters, no slip allowed
    assert named_medications("took the kepp", meds) == [1]
    assert named_medications("took the keep", meds) == []


def test_a_word_between_two_similar_names_names_the_nearer_only() -> None:
    meds = {1: "metformin", 2: "metformen"}
    assert named_medications("took the metformin", meds) == [1]


def test_messages_list_medicines_and_label_doses_in_the_recipients_language() -> None:
    assert listing(["baclofen"], "en") == "baclofen"
    assert listing(["baclofen", "metformin"], "en") == "baclofen and metformin"
    assert listing(["a", "b", "c"], "es") == "a, b y c"
    assert dose_label("metformin", Decimal("500.00"), "08:00", "en") == "metformin 500 mg 08:00"
    assert dose_label(None, Decimal("2.50"), "20:00", "es") == "baclofeno 2.5 mg 20:00"

"""The SMS reader's safety net (``alerts/domain/trouble_net.py``, issue 10): a classifier trained in
the repository on the labelled phrasings, consulted only where the phrase tables read no trouble.

Figures (leave-one-batch-out, the proxy for a new writer; blind batches G1/G2) are in
``docs/sms-reader.md``.
"""

from __future__ import annotations

import pytest

from alerts.domain import reading as reader
from alerts.domain import trouble_net
from alerts.domain.reading import read_sms
from scripts.train_trouble_net import WEIGHTS, load_rows, to_json, train


def test_the_committed_weights_are_what_training_on_the_labelled_phrasings_produces() -> None:
    # No number in trouble_net.json is hand-edited: retraining on the fixtures and the unit
    # phrasings gives the file byte for byte (training runs in a fixed, seeded order).
    assert WEIGHTS.read_text(encoding="utf-8") == to_json(train(load_rows()))


def test_features_are_the_same_on_every_run_and_mark_words_under_a_negation() -> None:
    assert trouble_net.features("No shaking, he's fine", "caregiver") == \
        trouble_net.features("No shaking, he's fine", "caregiver")
    assert trouble_net._marked_words("no shaking, he can't breathe") == ["no", "~shaking", "he", "can", "t", "~breathe"]


def test_a_description_the_tables_place_nowhere_is_urgent_and_forwarded_by_the_net() -> None:
    # Stiff, jumping and not talking, in words no table lists (written for this test, in no batch).
    reading = read_sms("mi abuelo esta tieso y brincando en el piso y no me habla", sender="caregiver")
    assert (reading.urgency, reading.forward, reading.by_net) == ("urgent", True, True)
    assert "symptom_report" in reading.intents


def test_trouble_beside_a_dose_the_tables_read_is_urgent_and_the_dose_still_recorded() -> None:
    reading = read_sms("took it at 9, he keeps zoning out and cant answer me", sender="caregiver")
    assert (reading.urgency, reading.dose, reading.forward, reading.by_net) == ("urgent", "taken", True, True)


def test_the_net_never_touches_what_the_tables_read() -> None:
    # A rule-read emergency is never downgraded, and a denial, a question or an acknowledgement
    # the tables placed is not second-guessed.
    assert read_sms("he's not breathing", sender="caregiver").urgency == "emergency"
    assert read_sms("he's not breathing", sender="caregiver").by_net is False
    for text in ("no seizures, no shaking, nothing", "what do I do if he has a seizure?", "ok on my way"):
        reading = read_sms(text, sender="caregiver")
        assert (reading.urgency, reading.by_net) == ("none", False), text


def test_plain_dose_and_small_texts_stay_calm() -> None:
    for text in ("took it", "ya me la tome", "thanks!", "ok"):
        assert read_sms(text, sender="patient").urgency == "none", text


def test_the_net_needs_question_margin_more_to_read_a_statement_beside_a_question(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): dropping QUESTION_MARGIN went
    # unnoticed. The net's score is pinned between its threshold and threshold + QUESTION_MARGIN, so
    # the test holds whatever the committed weights are; the words are placed nowhere by the tables.
    score = trouble_net.load().threshold + reader.QUESTION_MARGIN / 2
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: score)
    assert read_sms("he keeps staring at the wall", sender="caregiver").by_net is True
    asked = read_sms("he keeps staring at the wall. is that a side effect?", sender="caregiver")
    assert (asked.urgency, asked.by_net) == ("none", False)


def test_a_text_that_only_asks_is_never_read_by_the_net(monkeypatch: pytest.MonkeyPatch) -> None:
    # The committed gate reads a question only beside a statement. Found by the reader's code mutants:
    # reading "any clause asked" for "any clause stated" went unnoticed.
    assert reader.NET_GATE == "reassured"
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: 0.99)
    assert read_sms("why does he keep staring at the wall?", sender="caregiver").by_net is False
    stated = read_sms("he keeps staring at the wall. is that a side effect?", sender="caregiver")
    assert (stated.urgency, stated.by_net) == ("urgent", True)


def test_the_net_reads_what_the_tables_took_for_reassurance_but_not_an_acknowledgement(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Round thirteen: R, U and V's missed emergencies read as reassurance by a word that was not ("he is okay only",
    # "bien rapidito"). The net's word makes them urgent. A caregiver acting on it is already on it: not second-guessed.
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: 0.99)
    for text, sender in (("he is okay only", "caregiver"), ("todo bien", "patient")):
        reading = read_sms(text, sender=sender)
        assert (reading.urgency, reading.by_net, reading.forward) == ("urgent", True, True), text
        assert "all_well" not in reading.intents
    acked = read_sms("ya voy para alla", sender="caregiver")
    assert (acked.urgency, acked.by_net, "ack" in acked.intents) == ("none", False, True)


def test_the_net_never_reads_a_named_denial(monkeypatch: pytest.MonkeyPatch) -> None:
    # Measured: reading "no blue lips" or "fiebre no, temblores tampoco" too caught no emergency more and alarmed
    # more denials; a symptom denied by name is the tables' to read.
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: 0.99)
    for text in ("no seizures, no shaking, nothing", "fiebre no, temblores tampoco, respira bien"):
        reading = read_sms(text, sender="caregiver")
        assert (reading.urgency, reading.by_net) == ("none", False), text

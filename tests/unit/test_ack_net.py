"""The SMS reader's acknowledgement net (``alerts/domain/ack_net.py``, issue 10, round fourteen): a classifier trained
on every caregiver's labelled reply, consulted only where the phrase tables read no acknowledgement.

Figures (the sixteen new writers' batches, each left out of its own training) are in ``docs/sms-reader.md``.
"""

from __future__ import annotations

import pytest

from alerts.domain import ack_net
from alerts.domain.reading import read_sms
from scripts.train_ack_net import BATCHES, THRESHOLD, WEIGHTS, load_rows, to_json, train


def test_the_committed_weights_are_what_training_on_the_caregivers_replies_produces() -> None:
    # No number in ack_net.json is hand-edited: retraining on the fixtures gives the file byte for byte.
    assert WEIGHTS.read_text(encoding="utf-8") == to_json(train(load_rows(BATCHES, units=False)))
    assert ack_net.load().threshold == THRESHOLD


@pytest.mark.parametrize("text", [
    # Written for this test, in no batch: a caregiver going to the patient, in words no acknowledgement table lists.
    "I'm two doors down, walking over to knock now",
    "pulling into her driveway now",
    "I'm walking to her room now",
])
def test_a_caregiver_taking_it_on_in_unlisted_words_is_an_acknowledgement_by_the_net(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert ("ack" in reading.intents, reading.ack_by_net, reading.urgency) == (True, True, "none")


def test_the_net_never_reads_an_acknowledgement_from_a_patient(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ack_net.Net, "acknowledges", lambda self, text: True)
    reading = read_sms("I'm two doors down, walking over to knock now", sender="patient")
    assert ("ack" in reading.intents, reading.ack_by_net) == (False, False)


@pytest.mark.parametrize("text", [
    "is someone going over to check on her?",      # a question
    "did she take it?",                            # a status request
    "I called him but no answer",                  # a call that went unanswered: nobody has reached him
    "please stop texting me",                      # a request to stop
    "2",                                           # a number: the numbered options decide
    "nobody has gone over there yet",              # a negation: taking nothing on, however the words weigh
    "todavía no llega nadie a verla",
])
def test_the_net_never_reads_an_acknowledgement_where_one_must_not_stop_an_escalation(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the weights say: an acknowledgement stops an escalation, so the tables' rules keep it out of these.
    monkeypatch.setattr(ack_net.Net, "acknowledges", lambda self, text: True)
    reading = read_sms(text, sender="caregiver")
    assert ("ack" in reading.intents, reading.ack_by_net) == (False, False), text


def test_the_net_does_not_put_back_an_acknowledgement_the_tables_set_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    # "ok, he took 3 instead of 1": an extra dose beside the "ok" is no taking on of an alert (the tables' rule).
    monkeypatch.setattr(ack_net.Net, "acknowledges", lambda self, text: True)
    reading = read_sms("ok, he took 3 pills instead of 1", sender="caregiver")
    assert ("ack" in reading.intents, reading.ack_by_net) == (False, False)


def test_what_the_tables_read_as_an_acknowledgement_is_theirs() -> None:
    reading = read_sms("ok on my way", sender="caregiver")
    assert ("ack" in reading.intents, reading.ack_by_net) == (True, False)


def test_a_dose_reported_or_a_plain_word_is_no_acknowledgement() -> None:
    # Measured at 0.6 (not adopted): "ahorita", "Giving now." read as taking an alert on.
    for text in ("ahorita", "Giving now.", "gave it at 8"):
        assert "ack" not in read_sms(text, sender="caregiver").intents, text

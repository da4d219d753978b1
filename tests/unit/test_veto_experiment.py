"""Round seventeen's experiment (``scripts/veto_experiment.py``): the trouble net as a veto on the tables' alarm, measured
and not adopted (docs/sms-reader.md, "Round seventeen: the net as a veto"). The reader does not use it; these pin what
the measured gate does, so a later round that revives it starts from what was measured. The net's score is pinned: the
point is the gate, not the weights. The sentences are written for these tests, in no batch.
"""

from __future__ import annotations

import pytest

from alerts.domain import reading, trouble_net
from scripts.veto_experiment import vetoing


@pytest.fixture
def calm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: 0.0)


@pytest.mark.usefixtures("calm")
def test_round_seventeen_veto_lowers_a_denial_or_a_question_the_net_finds_calm() -> None:
    read = vetoing(reading.read_sms, 0.02, protects="signs")
    assert reading.read_sms("ok. fine. no... cramps in legs", sender="patient").urgency == "urgent"
    denied = read("ok. fine. no... cramps in legs", sender="patient")
    assert (denied.urgency, denied.forward, "symptom_report" in denied.intents) == ("none", True, False)
    # An emergency read in a question goes one step only: urgent, its words forwarded, its sign doubtful.
    assert reading.read_sms("does shaking all over and not answering mean a seizure?", sender="patient").urgency == "emergency"
    asked = read("does shaking all over and not answering mean a seizure?", sender="patient")
    assert (asked.urgency, asked.forward, asked.signs, asked.doubtful) == ("urgent", True, (), ("drowsiness",))


@pytest.mark.parametrize("protects", ["signs", "symptoms"])
@pytest.mark.parametrize("text, urgency", [
    ("he is seizing right now, what do I do?", "emergency"),
    ("she stopped breathing for a bit and now she will not wake up, is that the baclofen?", "emergency"),
    ("took 3 by mistake, is that bad?", "urgent"),
])
@pytest.mark.usefixtures("calm")
def test_round_seventeen_veto_never_lowers_a_sign_said_plainly_or_an_extra_dose(protects: str, text: str, urgency: str) -> None:
    # Whatever the score (pinned at 0, the veto at 1): a sign said, not asked or denied, and an extra dose stand.
    assert vetoing(reading.read_sms, 1.0, protects=protects)(text, sender="caregiver").urgency == urgency


@pytest.mark.usefixtures("calm")
def test_round_seventeen_veto_symptoms_protection_keeps_a_symptom_said_beside_a_denial() -> None:
    # Why the protections differ: a fever said after "no seizures" is trouble the tables read in a clause of its own.
    # Leave-one-batch-out, the net scored such texts below 0.03 (G2-127, F2-128), and the signs protection silenced them.
    text = "no seizures but her fever is 101 and she is shivering"
    assert vetoing(reading.read_sms, 0.02, protects="signs")(text, sender="caregiver").urgency == "none"
    assert vetoing(reading.read_sms, 1.0, protects="symptoms")(text, sender="caregiver").urgency == "urgent"


def test_round_seventeen_veto_at_or_above_its_threshold_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: 0.02)
    assert vetoing(reading.read_sms, 0.02, protects="signs")("ok. fine. no... cramps in legs", sender="patient").urgency == "urgent"

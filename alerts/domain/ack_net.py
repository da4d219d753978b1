"""A learned reader of a caregiver taking an alert on, beside the phrase tables.

Issue 10: caregivers acknowledge in words nobody listed ("I'm next door, going to knock right now",
"ME ARRIVE NOW ... 911 CALL FINISH"); the tables read what they were written for, and a missed
acknowledgement leaves the escalation running and the caregiver asked for numbered options. This is
a softmax regression over the safety net's hashed features (``trouble_net.features``) trained on every
caregiver's labelled reply, including the 2,160 replies sixteen new writers wrote in round fourteen.
Measured there with each new batch left out of its own training, before any table was tuned on them,
it read eight acknowledgements the tables missed and invented none (docs/sms-reader.md).

It only adds an acknowledgement where the tables read none, at ``threshold`` or above, and never in a
question, a status request, a number, a request to stop, or a call that went unanswered: an
acknowledgement stops an escalation, so the rules that keep one out stay the tables'
(``alerts.domain.reading.read_sms``). It never removes anything and never touches urgency or the dose.

Round fourteen measured the same recipe on the dose too and did not adopt it: it read "the medics took
him to St Mary's" and "the doctor took her off it last month" as doses taken, words the tables had
learned to leave alone, and a dose invented hides a missed one (``scripts/dose_net.py`` measures it).

Trained by ``scripts/train_ack_net.py`` and committed as ``ack_net.json``; ``tests/unit/test_ack_net.py``
retrains and compares byte for byte, so no number in the file is hand-edited. Inference is plain Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from alerts.domain.trouble_net import BUCKETS, committed, features

__all__ = ["ACKS", "Head", "Net", "from_json", "load"]

ACKS = ("none", "ack")


def softmax(z: list[float]) -> list[float]:
    top = max(z)
    e = [math.exp(x - top) for x in z]
    total = sum(e)
    return [x / total for x in e]


@dataclass(frozen=True)
class Head:
    """One softmax over ``classes``: a bias per class and, per feature bucket, a weight per class
    (``weights[bucket * len(classes) + class]``)."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: tuple[float, ...]

    def probabilities(self, text: str, sender: str) -> dict[str, float]:
        n = len(self.classes)
        z = list(self.bias)
        for i, v in features(text, sender).items():
            for k in range(n):
                z[k] += self.weights[i * n + k] * v
        return dict(zip(self.classes, softmax(z), strict=True))

    def best(self, text: str, sender: str) -> tuple[str, float]:
        p = self.probabilities(text, sender)
        label = max(self.classes, key=p.__getitem__)
        return label, p[label]


@dataclass(frozen=True)
class Net:
    """The acknowledgement head, and the probability at or above which a caregiver's text is taken to acknowledge."""

    ack: Head
    threshold: float

    def acknowledges(self, text: str) -> bool:
        label, p = self.ack.best(text, "caregiver")
        return label == "ack" and p >= self.threshold


def from_json(data: dict[str, object]) -> Net:
    head, threshold = data.get("ack"), data.get("threshold")
    if not isinstance(threshold, (int, float)):
        raise ValueError("ack_net.json: the threshold must be a number")
    if not isinstance(head, dict):
        raise ValueError("ack_net.json: the head must be an object")
    bias, weights = head.get("bias"), head.get("weights")
    if not isinstance(bias, list) or len(bias) != len(ACKS):
        raise ValueError(f"ack_net.json: expected {len(ACKS)} biases")
    if not isinstance(weights, list) or len(weights) != BUCKETS * len(ACKS):
        raise ValueError(f"ack_net.json: expected {BUCKETS * len(ACKS)} weights")
    return Net(Head(ACKS, tuple(float(b) for b in bias), tuple(float(w) for w in weights)), float(threshold))


@lru_cache(maxsize=1)
def load() -> Net:
    """The committed model (``alerts/domain/ack_net.json``), read once."""
    return from_json(committed("ack_net.json"))

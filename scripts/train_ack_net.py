"""Train the SMS reader's acknowledgement net (``alerts/domain/ack_net.py``) on the labelled batches.

    python -m scripts.train_ack_net            # write alerts/domain/ack_net.json
    python -m scripts.train_ack_net --check    # exit 1 if the committed file differs

A softmax regression over the safety net's hashed features, by SGD over a seeded shuffle in plain
Python, so the same rows give the same weights bit for bit on any machine
(``tests/unit/test_ack_net.py`` retrains and compares), on every caregiver's row of the batches the
safety net learns from and of round fourteen's eight (``BATCHES``). The unit tests' phrasings are not
used: they carry no acknowledgement labels.
"""

from __future__ import annotations

import json
import sys

from alerts.domain.ack_net import ACKS, Head, Net, softmax
from alerts.domain.trouble_net import BUCKETS, features
from scripts import train_trouble_net
from scripts.train_trouble_net import ROOT, load_rows, sgd_steps, write_or_check

WEIGHTS = ROOT / "alerts" / "domain" / "ack_net.json"
# The safety net's first batches and round fourteen's (tuning13-20). (The safety net learns from those eight and more
# since round fifteen; this net keeps the set it was measured on in round fourteen.)
BATCHES = train_trouble_net.FIRST_BATCHES + tuple(f"tuning{n}.jsonl" for n in range(13, 21))
SEED = 7
EPOCHS = 10
LEARNING_RATE = 0.5
L2 = 1e-5
DIGITS = 5
# Round fourteen (docs/sms-reader.md): on the sixteen new writers' replies, each batch left out of its own training,
# 0.8 added eight acknowledgements the tables missed and none the writers did not mean; 0.6 added fourteen, but read
# "ahorita", "Giving now." and "Ya la tomó, la estoy viendo tomársela" (a dose watched) as taking an alert on.
THRESHOLD = 0.8


def train_head(examples: list[tuple[dict[int, float], int]], classes: tuple[str, ...]) -> Head:
    """Softmax regression with L2 by SGD over a seeded shuffle; weights rounded to ``DIGITS`` decimals."""
    n = len(classes)
    weights: dict[int, list[float]] = {}
    bias = [0.0] * n
    for rate, k in sgd_steps(len(examples), SEED, EPOCHS, LEARNING_RATE):
        x, y = examples[k]
        z = list(bias)
        for i, v in x.items():
            row = weights.get(i)
            if row is not None:
                for c in range(n):
                    z[c] += row[c] * v
        p = softmax(z)
        for c in range(n):
            gradient = p[c] - (1.0 if c == y else 0.0)
            bias[c] -= rate * gradient
            for i, v in x.items():
                row = weights.setdefault(i, [0.0] * n)
                row[c] -= rate * (gradient * v + L2 * row[c])
    dense = [0.0] * (BUCKETS * n)
    for i, row in weights.items():
        for c in range(n):
            dense[i * n + c] = round(row[c], DIGITS)
    return Head(classes, tuple(round(b, DIGITS) for b in bias), tuple(dense))


def train(rows: list[dict], threshold: float = THRESHOLD) -> Net:
    ack = [(features(r["text"], r["sender"]), 1 if "ack" in r["expect"]["intents"] else 0)
           for r in rows if r["sender"] == "caregiver"]
    return Net(train_head(ack, ACKS), threshold)


def to_json(net: Net) -> str:
    # 0.0 written as 0: the buckets no caregiver's text reached.
    data = {"about": "alerts/domain/ack_net.py; written by scripts/train_ack_net.py, never by hand",
            "trained_on": list(BATCHES), "threshold": net.threshold,
            "ack": {"bias": list(net.ack.bias), "weights": [0 if w == 0 else w for w in net.ack.weights]}}
    return json.dumps(data, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> int:
    return write_or_check(WEIGHTS, to_json(train(load_rows(BATCHES, units=False))), check="--check" in argv)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

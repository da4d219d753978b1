"""A safety net beside the phrase tables: how likely a text is to describe a body in trouble.

Issue 10: the phrase tables read 97-98% of the batches they were tuned on but only 85% of a batch
they had not seen, missing emergencies described in words nobody had written before. Tables fit
the phrasings they were written for; a small classifier trained on every labelled phrasing
(character n-grams carry misspellings, sound-alikes and Spanish endings the tables never listed)
generalises further. It is a net, not the reader: the tables stay the precise first reader, and
``alerts.domain.reading.read_sms`` asks this only when the tables read no trouble at all. A text
the net finds likely to describe trouble is then at least urgent and its words go to the
caregivers; the net never downgrades anything the tables read.

The model is a logistic regression over hashed features (word unigrams and bigrams, character
3-5-grams inside words, the sender), trained by ``scripts/train_trouble_net.py`` on the labelled
batches in ``tests/fixtures/sms/`` and committed as ``trouble_net.json``. Inference here is plain
Python (no numpy or scikit-learn in the service); ``tests/unit/test_trouble_net.py`` retrains and
checks the committed weights are what training produces, so no number in the file is hand-edited.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from alerts.domain.text import normalise

__all__ = ["Model", "committed", "features", "load", "trouble_probability"]

# 2**15 buckets: measured against 2**14 and 2**16 by leave-one-batch-out (docs/sms-reader.md).
BUCKETS = 1 << 15
_CHAR_SIZES = (3, 4, 5)


# Negation cues (English, Spanish, as texted: "don t" is what ``normalise`` makes of "don't"). The
# words after one, to the end of its clause or ``_SCOPE`` words, are features of their own: "no
# shaking" and "shaking" must not weigh the same (NegEx's window, learned rather than listed).
_CUES = frozenset({"no", "not", "nope", "never", "without", "denies", "deny", "denied", "none", "nor", "ni",
                   "sin", "ningun", "ninguna", "ninguno", "nada", "cero", "zero", "nunca", "t", "dont", "doesnt",
                   "isnt", "wasnt", "didnt", "cant", "wont", "cannot", "tampoco"})
_SCOPE = 4
_CLAUSE = re.compile(r"[.,;:!?\n]+|\b(?:but|pero|though|aunque)\b", re.IGNORECASE)


def _marked_words(text: str) -> list[str]:
    """The words of ``text``, those inside a negation's scope prefixed with ``~``."""
    out: list[str] = []
    for clause in _CLAUSE.split(text):
        scope = 0
        for word in normalise(clause).split():
            if word in _CUES:
                out.append(word)
                scope = _SCOPE
            elif scope:
                out.append(f"~{word}")
                scope -= 1
            else:
                out.append(word)
    return out


def features(text: str, sender: str) -> dict[int, float]:
    """The text as hashed, L2-normalised binary features: words, word pairs, character 3-5-grams
    of each word with its edges (" conv", "sion "), each marked when inside a negation's scope, and
    who sent it. A stable hash (CRC-32), so the same text gives the same features on every machine
    and Python."""
    words = _marked_words(text)
    names: set[str] = {f"s:{sender}"}
    for i, word in enumerate(words):
        names.add(f"w:{word}")
        if i + 1 < len(words):
            names.add(f"b:{word} {words[i + 1]}")
        negated = word.startswith("~")
        padded = f" {word.lstrip('~')} "
        for size in _CHAR_SIZES:
            for start in range(len(padded) - size + 1):
                names.add(f"{'n' if negated else 'c'}:{padded[start:start + size]}")
    buckets: dict[int, float] = {}
    for name in names:
        index = zlib.crc32(name.encode("utf-8")) % BUCKETS
        buckets[index] = buckets.get(index, 0.0) + 1.0
    norm = math.sqrt(sum(v * v for v in buckets.values()))
    return {i: v / norm for i, v in buckets.items()}


@dataclass(frozen=True)
class Model:
    """Learned weights, and the probability at or above which a text is taken to describe trouble."""

    bias: float
    weights: tuple[float, ...]
    threshold: float

    def probability(self, text: str, sender: str) -> float:
        z = self.bias + sum(self.weights[i] * v for i, v in features(text, sender).items())
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def from_json(data: dict[str, object]) -> Model:
    weights = data["weights"]
    bias = data["bias"]
    threshold = data["threshold"]
    if not isinstance(weights, list) or len(weights) != BUCKETS:
        raise ValueError(f"trouble_net.json: expected {BUCKETS} weights")
    if not isinstance(bias, (int, float)) or not isinstance(threshold, (int, float)):
        raise ValueError("trouble_net.json: bias and threshold must be numbers")
    return Model(float(bias), tuple(float(w) for w in weights), float(threshold))


def committed(name: str) -> dict[str, object]:
    """A committed model file of ``alerts/domain`` (``trouble_net.json``, ``ack_net.json``), as its JSON object."""
    data = json.loads(resources.files("alerts.domain").joinpath(name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected an object")
    return data


@lru_cache(maxsize=1)
def load() -> Model:
    """The committed model (``alerts/domain/trouble_net.json``), read once."""
    return from_json(committed("trouble_net.json"))


def trouble_probability(text: str, sender: str) -> float:
    """How likely ``text`` from ``sender`` describes a body in trouble (0-1), by the committed model."""
    return load().probability(text, sender)

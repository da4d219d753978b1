"""Leave-one-batch-out: the proxy for a writer the reader has never seen.

    python -m scripts.measure_trouble_net [--thresholds 0.3,0.5] [--extra FILE.jsonl ...]

For each labelled batch: train the safety net on the other batches, then score the left-out one
with the batch scorer's own figures (``tests/unit/sms_batches.py``), once with the rules alone and
once with the rules and the net. The phrase tables themselves were tuned on every batch, so the
rules-alone figures here are fitted ones; what this measures honestly is what the net adds on text
it never saw. ``--extra`` scores other files (a new blind batch) with the net trained on all.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from alerts.domain import trouble_net
from scripts.train_trouble_net import BATCHES, FIXTURES, THRESHOLD, load_rows, train
from tests.unit.sms_batches import load, score

_NEVER = trouble_net.Model(0.0, (0.0,) * trouble_net.BUCKETS, 2.0)


def _with(model: trouble_net.Model) -> None:
    trouble_net.load = lambda: model  # type: ignore[assignment]


def figures(c: Counter[str]) -> str:
    escalated = c["emergency_as_emergency"] + c["emergency_as_urgent_forwarded"]
    return (f"escalated {escalated}/{c['emergencies']} (missed {c['emergency_missed']}), "
            f"denials/questions alarmed {c['denial_question_alarmed_or_dosed']}/{c['denials_questions']}, "
            f"agree {c['agree']}/{c['rows']} = {100 * c['agree'] / max(c['rows'], 1):.1f}%")


def _counts(rows: list[dict]) -> Counter[str]:
    return score(rows)["counts"]  # type: ignore[return-value]


def main(argv: list[str]) -> int:
    thresholds = [THRESHOLD]
    if "--thresholds" in argv:
        thresholds = [float(t) for t in argv[argv.index("--thresholds") + 1].split(",")]
    extra = [Path(a) for a in argv if a.endswith(".jsonl")]
    totals: dict[str, Counter[str]] = {"rules": Counter()}
    for name in BATCHES:
        rows = load(FIXTURES / name)
        _with(_NEVER)
        alone = _counts(rows)
        totals["rules"] += alone
        print(f"{name} left out")
        print(f"  rules alone:      {figures(alone)}")
        trained = train(load_rows(tuple(b for b in BATCHES if b != name)))
        for t in thresholds:
            _with(trouble_net.Model(trained.bias, trained.weights, t))
            c = _counts(rows)
            totals.setdefault(f"net {t}", Counter())
            totals[f"net {t}"] += c
            print(f"  rules + net {t:.2f}: {figures(c)}")
    print("every batch, each left out once")
    for key, c in totals.items():
        print(f"  {key:>10}: {figures(c)}")
    if extra:
        trained = train(load_rows())
        for path in extra:
            rows = load(path)
            _with(_NEVER)
            print(f"{path.name} (net trained on every batch)")
            print(f"  rules alone:      {figures(_counts(rows))}")
            for t in thresholds:
                _with(trouble_net.Model(trained.bias, trained.weights, t))
                print(f"  rules + net {t:.2f}: {figures(_counts(rows))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Leave-one-batch-out: the proxy for a writer the reader has never seen.

    python -m scripts.measure_trouble_net [--thresholds 0.3,0.5] [--dose-net] [--gate GATE[:MARGIN]] [FILE.jsonl ...]

For each labelled batch: train the safety net on the other batches, then score the left-out one
with the batch scorer's own figures (``tests/unit/sms_batches.py``: emergencies escalated and
missed, denials and questions alarmed, doses recorded the text did not report, agreement), once
with the rules alone and once with the rules and the net at each threshold; then the same summed
over the batches. ``--dose-net`` adds the dose and acknowledgement net of ``scripts/dose_net.py``
(an experiment the reader does not use), trained on the same other batches. The phrase tables
themselves were tuned on every batch, so the rules-alone figures here are fitted ones; what this
measures honestly is what each net adds on text it never saw. Files named on the command line (a
new blind batch) are scored with the nets trained on every committed batch.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from alerts.domain import trouble_net
from scripts import train_trouble_net
from scripts.train_trouble_net import BATCHES, FIXTURES, THRESHOLD, load_rows, train
from tests.unit.sms_batches import load, score

_NEVER = trouble_net.Model(0.0, (0.0,) * trouble_net.BUCKETS, 2.0)
_features = trouble_net.features


@lru_cache(maxsize=None)
def _cached(text: str, sender: str) -> dict[int, float]:
    return _features(text, sender)


def _fast() -> None:
    """Features computed once per text across the folds (training and scoring read each many times)."""
    from scripts import dose_net
    trouble_net.features = _cached  # type: ignore[assignment]
    train_trouble_net.features = _cached  # type: ignore[attr-defined]
    dose_net.features = _cached  # type: ignore[attr-defined]


def _with(model: trouble_net.Model) -> None:
    trouble_net.load = lambda: model  # type: ignore[assignment]


def figures(c: Counter[str]) -> str:
    escalated = c["emergency_as_emergency"] + c["emergency_as_urgent_forwarded"]
    return (f"escalated {escalated}/{c['emergencies']} (missed {c['emergency_missed']}), "
            f"denials/questions alarmed {c['denial_question_alarmed_or_dosed']}/{c['denials_questions']}, "
            f"doses invented {c['dose_not_reported_recorded']}, "
            f"agree {c['agree']}/{c['rows']} = {100 * c['agree'] / max(c['rows'], 1):.1f}%")


def _runs(rows: list[dict], trained: trouble_net.Model, thresholds: list[float], others: tuple[str, ...] | None,
          dose: bool) -> list[tuple[str, Counter[str]]]:
    """(label, counts) for the rules alone, with the safety net at each threshold, and (``dose``)
    with the dose/ack net as well, trained on the batches ``others`` (None: every batch)."""
    _with(_NEVER)
    runs = [("rules alone", score(rows)["counts"])]
    for t in thresholds:
        _with(trouble_net.Model(trained.bias, trained.weights, t))
        runs.append((f"rules + net {t:.2f}", score(rows)["counts"]))
    if dose:
        from scripts import dose_net
        net = dose_net.train(load_rows(others or BATCHES, units=False))
        runs.append((f"+ dose/ack net {net.fill}/{net.override}/{net.ack_at}", score(rows, dose_net.reader(net))["counts"]))
    return runs  # type: ignore[return-value]


def main(argv: list[str]) -> int:
    _fast()
    if "--gate" in argv:
        # Round ten: measure where the net reads (``reading.NET_GATES``), and the margin above the threshold it
        # needs on a text the tables read as a question: ``--gate question:0.2``.
        from alerts.domain import reading
        gate, _, margin = argv[argv.index("--gate") + 1].partition(":")
        if gate not in reading.NET_GATES:
            raise SystemExit(f"--gate is one of {', '.join(reading.NET_GATES)}")
        reading.NET_GATE, reading.QUESTION_MARGIN = gate, float(margin or 0.0)
    thresholds = [THRESHOLD]
    if "--thresholds" in argv:
        thresholds = [float(t) for t in argv[argv.index("--thresholds") + 1].split(",")]
    dose = "--dose-net" in argv
    extra = [Path(a) for a in argv if a.endswith(".jsonl")]
    totals: dict[str, Counter[str]] = {}
    for name in BATCHES:
        others = tuple(b for b in BATCHES if b != name)
        print(f"{name} left out", flush=True)
        for label, c in _runs(load(FIXTURES / name), train(load_rows(others)), thresholds, others, dose):
            totals[label] = totals.get(label, Counter()) + c
            print(f"  {label:>24}: {figures(c)}", flush=True)
    print("every batch, each left out once")
    for label, c in totals.items():
        print(f"  {label:>24}: {figures(c)}")
    if extra:
        trained = train(load_rows())
        for path in extra:
            print(f"{path.name} (nets trained on every committed batch)")
            for label, c in _runs(load(path), trained, thresholds, None, dose):
                print(f"  {label:>24}: {figures(c)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

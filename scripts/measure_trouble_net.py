"""Leave-one-batch-out: the proxy for a writer the reader has never seen.

    python -m scripts.measure_trouble_net [--thresholds 0.3,0.5] [--dose-net] [--gate GATE[:MARGIN]] [FILE.jsonl ...]
    python -m scripts.measure_trouble_net --veto 0.05,0.1,0.2 [--protects signs] [--cues negation] [--train-on round15] [--folds N-M]

For each labelled batch: train the safety net on the other batches, then score the left-out one
with the batch scorer's own figures (``tests/unit/sms_batches.py``: emergencies escalated and
missed, denials and questions alarmed, doses recorded the text did not report, agreement), once
with the rules alone and once with the rules and the net at each threshold; then the same summed
over the batches. ``--dose-net`` adds the dose and acknowledgement net of ``scripts/dose_net.py``
(an experiment the reader does not use), trained on the same other batches. The phrase tables
themselves were tuned on every batch, so the rules-alone figures here are fitted ones; what this
measures honestly is what each net adds on text it never saw. Files named on the command line (a
new blind batch) are scored with the nets trained on every committed batch.

Round seventeen: ``--veto`` sweeps the threshold of ``scripts/veto_experiment.py`` (the net lowering the tables' alarm
on a text that denies or asks; an experiment the reader does not use) over every material batch (``MATERIAL``), the
raising net at its committed threshold. Per threshold it prints what the veto changed on the rows it reached:
emergencies lowered (any) and lost (read none or not forwarded), urgent or emergency rows read none, denials and
questions lowered, rows right -> wrong and wrong -> right, and the batch scorer's totals. ``--train-on round15`` trains
each fold on the 39 batches the committed net learns from (less the one left out) instead of all 51, to see what the 12
more would buy; every one of the 51 is left out and scored either way. ``--protects`` and ``--cues``: the experiment's.
The judges BA-BL (heldout32-43) are never read.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from alerts.domain import trouble_net
from scripts import train_trouble_net
from scripts.train_trouble_net import BATCHES, FIXTURES, JUDGES, MATERIAL, THRESHOLD, load_rows, train
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


def _veto_counts(rows: list[dict], vetoes: list[float], protects: str, cues: str) -> list[tuple[str, Counter[str]]]:
    """Round seventeen: the rows scored with no veto, then at each veto threshold (``scripts/veto_experiment.py``). Only
    the rows whose reading reached the veto's gate (a denial or question the tables read beside their alarm) can change:
    those are found in one pass and re-read at each threshold; the totals are the no-veto totals with those rows' counts
    swapped."""
    from alerts.domain import reading
    from scripts.veto_experiment import vetoing
    from tests.unit.sms_batches import _read_now, judge
    plain = reading.read_sms
    reached: set[tuple[str, str]] = set()

    def scored(threshold: float, some: list[dict]) -> tuple[Counter[str], list]:
        reading.read_sms = vetoing(plain, threshold, protects=protects, cues=cues, reached=reached)  # type: ignore[assignment]
        try:
            return score(some)["counts"], [_read_now(r["text"], r["sender"], r.get("context")) for r in some]
        finally:
            reading.read_sms = plain  # type: ignore[assignment]
    base = score(rows)["counts"]
    scored(0.0, rows)
    gated = [r for r in rows if (r["text"], r["sender"]) in reached]
    gated_base, before = scored(0.0, gated)
    out: list[tuple[str, Counter[str]]] = [("no veto", base + Counter({"veto_gate": len(gated)}))]
    for t in vetoes:
        counts, after = scored(t, gated)
        c = base.copy()
        c.subtract(gated_base)
        c.update(counts)
        c["veto_gate"] = len(gated)
        for row, b, a in zip(gated, before, after):
            e = row["expect"]
            kind = re.split(r"[:/]", row["category"])[0].strip()
            if b.urgency == a.urgency:
                continue
            c["veto_lowered"] += 1
            if e["urgency"] == "emergency":
                c["veto_emergency_lowered"] += 1
                c["veto_emergency_lost"] += a.urgency == "none" or not a.forwarded
            if e["urgency"] != "none" and a.urgency == "none":
                c["veto_trouble_to_none"] += 1
            if kind in ("denial", "question"):
                c["veto_denial_question_lowered"] += 1
            ok_b, ok_a = judge(row, b)[0], judge(row, a)[0]
            c["veto_right_to_wrong"] += ok_b and not ok_a
            c["veto_wrong_to_right"] += ok_a and not ok_b
            print(f"    veto {t:.2f} {row['id']}: {b.urgency} -> {a.urgency} (labelled {e['urgency']}, {kind}, "
                  f"{'right -> wrong' if ok_b and not ok_a else 'wrong -> right' if ok_a and not ok_b else 'unchanged'}) "
                  f"{row['text'][:90]!r}", flush=True)
        out.append((f"veto {t:.2f}", c))
    return out


def veto_figures(c: Counter[str]) -> str:
    return (figures(c) + f"; gate {c['veto_gate']}, lowered {c['veto_lowered']} (emergencies {c['veto_emergency_lowered']}, "
            f"lost {c['veto_emergency_lost']}; trouble to none {c['veto_trouble_to_none']}; denials/questions "
            f"{c['veto_denial_question_lowered']}), right->wrong {c['veto_right_to_wrong']}, "
            f"wrong->right {c['veto_wrong_to_right']}")


def veto_main(argv: list[str]) -> int:
    """Leave-one-batch-out over every material batch (``MATERIAL``), the veto swept (``--veto 0.05,0.1``)."""
    vetoes = [float(t) for t in argv[argv.index("--veto") + 1].split(",")]
    protects = argv[argv.index("--protects") + 1] if "--protects" in argv else "symptoms"
    cues = argv[argv.index("--cues") + 1] if "--cues" in argv else "tables"
    training = BATCHES if "--train-on" in argv and argv[argv.index("--train-on") + 1] == "round15" else MATERIAL
    folds = list(MATERIAL)
    if "--folds" in argv:
        first, _, last = argv[argv.index("--folds") + 1].partition("-")
        folds = folds[int(first):int(last)]
    assert not set(folds) & set(JUDGES) and not set(training) & set(JUDGES)
    print(f"veto: protects {protects}, cues {cues}; net raising at {THRESHOLD}", flush=True)
    totals: dict[str, Counter[str]] = {}
    for name in folds:
        others = tuple(b for b in training if b != name)
        print(f"{name} left out (net trained on {len(others)} batches)", flush=True)
        trained = train(load_rows(others))
        _with(trouble_net.Model(trained.bias, trained.weights, THRESHOLD))
        for label, c in _veto_counts(load(FIXTURES / name), vetoes, protects, cues):
            totals[label] = totals.get(label, Counter()) + c
            print(f"  {label:>10}: {veto_figures(c)}", flush=True)
    print(f"every batch of {len(folds)}, each left out once")
    for label, c in totals.items():
        print(f"  {label:>10}: {veto_figures(c)}")
    return 0


def main(argv: list[str]) -> int:
    _fast()
    if "--veto" in argv:
        return veto_main(argv)
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

"""The symptom catalogue: every symptom a check-in may report, taken from the clinical brief.

Source: ``../shared/seed/000_8fc7b851bcf3b98d.txt`` ("the brief"). Each entry says which list or
table row of the brief it comes from, so a clinician can trace every word back.

Severity is reported 0-10 per symptom (0 = absent, 10 = worst imaginable). The catalogue only
names symptoms; what a symptom *means* (red flag, withdrawal sign, toxicity sign) is decided by the
clinical rules, which read the ``signs_of`` and ``red_flag`` fields below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Syndrome = Literal["withdrawal", "toxicity"]

SEVERITY_MIN = 0
SEVERITY_MAX = 10


@dataclass(frozen=True)
class Symptom:
    key: str
    label: str
    # Which of the brief's two syndromes lists this symptom.
    signs_of: frozenset[Syndrome]
    # The brief's emergency sentence: "If you experience a seizure, profound drowsiness,
    # difficulty breathing, or severe confusion, call 911". ``red_flag_at`` is the severity from
    # which the symptom counts as that emergency sign (a seizure at any severity; drowsiness only
    # when "profound"; confusion only when "severe").
    red_flag_at: int | None
    source: str


def _s(key: str, label: str, signs: tuple[Syndrome, ...], red_flag_at: int | None, source: str) -> Symptom:
    return Symptom(key, label, frozenset(signs), red_flag_at, source)


W: tuple[Syndrome, ...] = ("withdrawal",)
T: tuple[Syndrome, ...] = ("toxicity",)
WT: tuple[Syndrome, ...] = ("withdrawal", "toxicity")

SYMPTOMS: dict[str, Symptom] = {
    s.key: s
    for s in (
        _s("twitching", "Muscle twitches", WT, None,
           "Intro: muscle twitches can indicate withdrawal or toxicity; table row 'Muscle Twitches'."),
        _s("spasms", "Muscle spasms or stiffness (spasticity)", W, None,
           "Withdrawal: 'Worsening muscle spasms: the baseline spasticity returns'."),
        _s("tremor", "Tremor, shaking or trembling", W, None,
           "Withdrawal: 'Tremors and twitches: involuntary shaking, trembling'."),
        _s("myoclonus", "Sudden muscle jerks (myoclonus)", T, None,
           "Toxicity: 'Myoclonus and seizures'; table row 'Muscle Twitches' (toxicity column)."),
        _s("seizure", "Seizure or fit", WT, 1,
           "Withdrawal: 'Seizures'; toxicity: 'Myoclonus and seizures'; emergency sentence."),
        _s("drowsiness", "Drowsiness, sleepiness or sedation", T, 8,
           "Toxicity: 'Excessive drowsiness and sedation'; emergency sentence: 'profound drowsiness'."),
        _s("unresponsive", "Hard to wake or unresponsive", T, 1,
           "Toxicity: 'coma', 'impaired consciousness'; emergency sentence: 'profound drowsiness'."),
        _s("breathing_difficulty", "Slow, shallow or difficult breathing", T, 1,
           "Toxicity: 'Respiratory depression, including slow or shallow breathing'; "
           "emergency sentence: 'difficulty breathing'."),
        _s("confusion", "Confusion", WT, 7,
           "Withdrawal: 'Confusion, hallucinations'; toxicity: 'Confusion'; "
           "emergency sentence: 'severe confusion'."),
        _s("hallucinations", "Hallucinations", W, None,
           "Withdrawal: 'Psychiatric disturbances: Confusion, hallucinations, and paranoia'."),
        _s("paranoia", "Paranoia", W, None,
           "Withdrawal: 'Psychiatric disturbances'; table row 'Accompanying Symptoms'."),
        _s("agitation", "Agitation or anxiety", W, None,
           "Table row 'Mental Status' (withdrawal): 'agitation, anxiety'."),
        _s("fever", "Fever", W, None,
           "Table row 'Accompanying Symptoms' (withdrawal): 'fever'."),
        _s("fast_heart_rate", "Fast heart rate or pounding heart", W, None,
           "Table row 'Accompanying Symptoms' (withdrawal): 'Increased heart rate'."),
        _s("low_blood_pressure", "Dizzy or faint on standing (low blood pressure)", T, None,
           "Toxicity: 'hypotension'; table row 'Accompanying Symptoms': 'low blood pressure'."),
        _s("feeling_cold", "Feeling unusually cold (low body temperature)", T, None,
           "Table row 'Accompanying Symptoms' (toxicity): 'hypothermia'."),
    )
}


def is_known(key: str) -> bool:
    return key in SYMPTOMS

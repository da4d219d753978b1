"""Who is told, and how urgently: one table from what is known about a patient to a response.

Every way a sign reaches dosewatch - a check-in through the API, a text message read into a
check-in, a device's sustained vital sign or detected seizure - is read here, by :func:`respond`,
so the same signs in the same patient always tell the same people. Before this table a check-in
could raise nothing while its assessment said "possible toxicity": a patient with renal impairment
reporting heavy drowsiness short of "profound" was stored and nobody was told.

The inputs (a :class:`Situation`):

* ``level`` - the red-flag level of the signs (``redflags.classify_symptoms`` for a check-in,
  ``redflags.classify_findings`` for a device): the brief's four emergency signs, other serious
  signs, signs of no urgency by themselves, or none;
* ``verdict`` - the withdrawal-vs-toxicity assessment of everything known (``assessment.assess``);
* ``risk_factor`` - the verdict's column is backed by something about the patient or their doses,
  not only by the sign: a risk factor of the table's Risk Factors row (intrathecal pump; renal
  impairment, high dose) or an Onset-row event (missed doses, running out; an extra dose);
* ``marked`` - the sign itself is marked: one that only the verdict's column lists, reported at
  moderate severity or more (``ClinicalSettings.new_symptom_min``).

Each row of :data:`TABLE` names the brief's sentence it rests on. The first row that matches wins.
Pure: values in, a decision out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from alerts.domain.clinical.assessment import ONSET, RISK, Assessment, Verdict
from alerts.domain.clinical.history import DEFAULT_SETTINGS, ClinicalSettings
from alerts.domain.clinical.redflags import Level
from alerts.domain.symptoms import SYMPTOMS

Kind = Literal["emergency", "urgent", "withdrawal_risk", "toxicity_risk"]
Channel = Literal["sms", "voice"]


@dataclass(frozen=True)
class Response:
    """What to do. ``kind`` None: the signs are recorded and nobody is alerted.

    ``caregivers``: every caregiver is told at once; ``channels``: how; ``patient_call_911``: the
    patient is told to call 911 now.
    """

    kind: Kind | None
    caregivers: bool
    channels: tuple[Channel, ...]
    patient_call_911: bool


EMERGENCY = Response("emergency", caregivers=True, channels=("sms", "voice"), patient_call_911=True)
URGENT = Response("urgent", caregivers=True, channels=("sms",), patient_call_911=False)
WITHDRAWAL_RISK = Response("withdrawal_risk", caregivers=True, channels=("sms",), patient_call_911=False)
TOXICITY_RISK = Response("toxicity_risk", caregivers=True, channels=("sms",), patient_call_911=False)
RECORDED = Response(None, caregivers=False, channels=(), patient_call_911=False)


@dataclass(frozen=True)
class Situation:
    level: Level
    verdict: Verdict
    risk_factor: bool = False
    marked: bool = False


@dataclass(frozen=True)
class Row:
    """A row of the table. ``None`` in a condition column matches anything."""

    level: Level
    verdict: Verdict | None
    risk_factor: bool | None
    marked: bool | None
    response: Response
    source: str

    def matches(self, s: Situation) -> bool:
        return (self.level == s.level and self.verdict in (None, s.verdict)
                and self.risk_factor in (None, s.risk_factor) and self.marked in (None, s.marked))


TABLE: tuple[Row, ...] = (
    Row("emergency", None, None, None, EMERGENCY,
        "Seek emergency care for severe symptoms: If you experience a seizure, profound drowsiness, "
        "difficulty breathing, or severe confusion, call 911 or seek emergency medical help immediately."),
    Row("urgent", None, None, None, URGENT,
        "Psychiatric disturbances: Confusion, hallucinations, and paranoia are also serious withdrawal "
        "effects / Accompanying Symptoms | Increased heart rate, fever, and paranoia. | Respiratory "
        "depression, low blood pressure, and hypothermia. / Worsening muscle spasms: The baseline "
        "spasticity returns but is often significantly more severe"),
    Row("routine", "possible_toxicity", True, None, TOXICITY_RISK,
        "Patients with impaired renal function are at an increased risk of baclofen toxicity / Risk "
        "Factors | ... | Renal impairment, high dose administration, and drug interactions."),
    Row("routine", "possible_toxicity", None, True, TOXICITY_RISK,
        "Excessive drowsiness and sedation: Patients may experience extreme sleepiness, lethargy / "
        "Myoclonus and seizures: High doses can induce myoclonic ... seizures"),
    Row("routine", "possible_withdrawal", True, None, WITHDRAWAL_RISK,
        "Risk Factors | Long-term use, especially with intrathecal pumps. / Onset | Occurs after abrupt "
        "cessation or rapid dose reduction."),
    Row("routine", "possible_withdrawal", None, True, WITHDRAWAL_RISK,
        "Tremors and twitches: Involuntary shaking, trembling, and generalized muscle twitches are common "
        "as the nervous system overcompensates for the sudden absence of the inhibitory effect."),
    # Mild or shared signs with nothing behind them: recorded. New or worsening twitches are prompted
    # on their own (patterns, "consult soon"): "especially if they are new or worsening, it is
    # essential to seek medical advice promptly".
    Row("routine", None, None, None, RECORDED,
        "If you experience muscle twitches while on baclofen, especially if they are new or worsening, "
        "it is essential to seek medical advice promptly."),
    Row("none", None, None, None, RECORDED, "(nothing reported)"),
)

# Spasticity is what baclofen treats: spasms are the baseline, and count as a withdrawal sign only
# when "Worsening muscle spasms ... significantly more severe" (the urgent row), never as marked.
BASELINE_SIGNS: frozenset[str] = frozenset({"spasms"})

_COLUMN: dict[Verdict, str] = {"possible_withdrawal": "withdrawal", "possible_toxicity": "toxicity"}


def respond(situation: Situation) -> Response:
    """The first row of :data:`TABLE` that matches."""
    return row_for(situation).response


def row_for(situation: Situation) -> Row:
    for row in TABLE:
        if row.matches(situation):
            return row
    raise ValueError(f"no row for {situation!r}")  # the table ends with catch-alls: a bug if reached


def backed_by_risk(assessment: Assessment) -> bool:
    """The verdict's column has a Risk Factors or Onset reason, not only signs."""
    reasons = {"possible_withdrawal": assessment.withdrawal_reasons,
               "possible_toxicity": assessment.toxicity_reasons}.get(assessment.verdict, ())
    return any(r.startswith((f"{RISK}:", f"{ONSET}:")) for r in reasons)


def marked_signs(symptoms: Mapping[str, int], verdict: Verdict,
                 settings: ClinicalSettings = DEFAULT_SETTINGS) -> list[str]:
    """This report's signs that only the verdict's column lists, at moderate severity or more."""
    column = _COLUMN.get(verdict)
    if column is None:
        return []
    return [key for key, severity in symptoms.items()
            if key in SYMPTOMS and key not in BASELINE_SIGNS and SYMPTOMS[key].signs_of == {column}
            and severity >= settings.new_symptom_min]


def may_be_a_risk(symptoms: Mapping[str, int], *, renal_impairment: bool, intrathecal_pump: bool,
                  settings: ClinicalSettings = DEFAULT_SETTINGS) -> bool:
    """Whether routine signs could reach a risk row at all, before paying for the assessment: a sign
    that would be marked in its column, or a risk factor on the patient's record.

    Most check-ins are everyday mild signs and raise nothing; this keeps them one query. What it
    leaves out - mild signs behind Onset events (missed doses, a dose too soon) or a high prescribed
    dose - raise their own withdrawal or toxicity alerts through the dose rules and the tick.
    """
    if renal_impairment or intrathecal_pump:
        return True
    return any(marked_signs(symptoms, verdict, settings) for verdict in _COLUMN)


def situation(level: Level, assessment: Assessment, symptoms: Mapping[str, int] | None = None,
              settings: ClinicalSettings = DEFAULT_SETTINGS) -> Situation:
    """The table's inputs for a report (``symptoms``: its own signs, key -> severity)."""
    return Situation(level, assessment.verdict, backed_by_risk(assessment),
                     bool(marked_signs(symptoms or {}, assessment.verdict, settings)))

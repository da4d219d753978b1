"""The withdrawal/toxicity assessment of an alert, in words for the patient page.

Pure: an alert's kind and its stored ``details`` in, sentences out. The verdict and its reasons were
decided when the alert opened (``alerts.services.clinical`` stores the assessment record on the
alert), so the page shows what the rules read then, not a recomputation with today's data.
The verdict's words are the ones the caregivers' texts used (``wording.assessment_text``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alerts.domain.clinical.assessment import SUMMARIES
from alerts.domain.clinical.wording import assessment_text


@dataclass(frozen=True)
class AssessmentView:
    """``headline`` is the assessment in a few words; ``why`` the reasons by column of the brief's
    comparison table (column words, reasons), empty when there is nothing more to say."""

    headline: str
    verdict: str | None = None  # possible_withdrawal | possible_toxicity | unclear | None
    why: list[tuple[str, list[str]]] = field(default_factory=list)


COLUMNS = (("withdrawal", "Points to withdrawal"), ("toxicity", "Points to toxicity"),
           ("shared", "In both columns (these never decide)"))


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def assessment_view(kind: str, details: Mapping[str, Any] | None) -> AssessmentView:
    """What the page says about an alert's withdrawal/toxicity assessment.

    * an alert that carried the assessment (emergency, urgent, a risk read from signs, consult
      soon): its verdict in the words the texts used, with the reasons by table column;
    * a withdrawal or toxicity risk read from the dose pattern alone: that risk is the
      assessment, with the pattern that raised it;
    * a single missed dose: said plainly to be no assessment on its own (doses missed in a row
      are what the withdrawal rule reads);
    * anything else: that no assessment was recorded, rather than silence.
    """
    details = details or {}
    verdict = details.get("verdict")
    reasons = _strings(details.get("reasons"))
    if verdict in SUMMARIES:
        stored = details.get("assessment")
        record: Mapping[str, Any] = stored if isinstance(stored, Mapping) else {}
        why = [(words, _strings(record.get(column))) for column, words in COLUMNS]
        why = [(words, items) for words, items in why if items]
        if reasons:
            why.insert(0, ("Why this alert", reasons))
        return AssessmentView(f"Assessment: {assessment_text(verdict, 'en')}", verdict, why)
    if kind in ("withdrawal_risk", "toxicity_risk"):
        side = kind.removesuffix("_risk")
        return AssessmentView(f"Assessment: possible {side}, from the dose pattern",
                              f"possible_{side}", [("Why this alert", reasons)] if reasons else [])
    if kind == "missed_dose":
        return AssessmentView("Assessment: none for a single missed dose. Doses missed in a row, or none "
                              "for a day, are read as a withdrawal risk and raise their own alert.")
    return AssessmentView("Assessment: none recorded for this alert.", None,
                          [("Why this alert", reasons)] if reasons else [])

"""HL7 FHIR R4 MedicationAdministration and MedicationStatement (alone or in a Bundle) read as doses taken.

A smart pill bottle or an EHR says a dose of baclofen was taken. Each resource is validated with
the R4B models of ``fhir.resources`` (FHIR 4.3, the R4 line), as the Observation route does, and
becomes a :class:`ParsedDose` that the route records through ``alerts.services.doses.record_dose``,
the one place dose logic lives (idempotency, matching to the scheduled dose, toxicity rules).

What cannot be placed is skipped and reported with the reason (``skipped``), not refused: another
resource type; an administration that did not happen (``not-done``, ``entered-in-error`` ...); a
medication that is not baclofen; a time that is only a day (a statement "takes it daily since
2014" says nothing about which dose). Anything wrong with what we do read refuses the request.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationstatement import MedicationStatement
from pydantic import Field, ValidationError

from alerts.domain.vitals import bounded
from schemas.common import OutputModel
from schemas.fhir import _at, _resources, _system
from schemas.wearables import ReadingErrors, SkippedResource

RXNORM = "www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "unitsofmeasure.org"
# RxNorm 1292 is baclofen (ingredient); products are recognised by their names, which RxNorm spells
# with the ingredient ("baclofen 10 MG Oral Tablet"), as do NDC displays and free text.
BACLOFEN_RXNORM = frozenset({"1292"})
TAKEN_ADMINISTRATION = frozenset({"completed"})
# MedicationStatement: "active" (is taking), "completed" (took), "intended"... only the first two,
# with a precise instant, say a dose was taken then.
TAKEN_STATEMENT = frozenset({"active", "completed"})
# The required value sets of ``status`` (the models check it is a code, not that it is one of these).
STATUSES = {
    "MedicationAdministration": frozenset({"in-progress", "not-done", "on-hold", "completed", "entered-in-error",
                                           "stopped", "unknown"}),
    "MedicationStatement": frozenset({"active", "completed", "entered-in-error", "intended", "stopped", "on-hold",
                                      "unknown", "not-taken"}),
}
_MG = {"mg": Decimal(1), "g": Decimal(1000), "ug": Decimal("0.001")}


@dataclass(frozen=True)
class ParsedDose:
    """One dose taken, ready for ``record_dose``."""

    loc: str
    taken_at: datetime
    dose_mg: Decimal | None
    idempotency_key: str
    request_hash: str


class _Refused(ValueError):
    def __init__(self, field: str, message: str, type_: str) -> None:
        super().__init__(message)
        self.field = field
        self.type = type_


class _Skip(ValueError):
    """Not a dose we can place: reported under ``skipped`` with this reason."""


def _mentions_baclofen(codeable: Any) -> bool:
    if codeable is None:
        return False
    for c in codeable.coding or []:
        if _system(c.system) == RXNORM and c.code in BACLOFEN_RXNORM:
            return True
        if "baclofen" in (c.display or "").lower():
            return True
    return "baclofen" in (codeable.text or "").lower()


def _is_baclofen(resource: Any) -> bool:
    if _mentions_baclofen(resource.medicationCodeableConcept):
        return True
    ref = resource.medicationReference
    if ref is None:
        return False
    if "baclofen" in (ref.display or "").lower():
        return True
    # A reference to a Medication contained in the resource ("#med1"): read its code.
    if ref.reference and ref.reference.startswith("#"):
        for contained in resource.contained or []:
            if getattr(contained, "id", None) == ref.reference[1:] and contained.get_resource_type() == "Medication":
                return _mentions_baclofen(contained.code) or any(
                    _mentions_baclofen(getattr(i, "itemCodeableConcept", None)) for i in contained.ingredient or [])
    return False


def _instant(resource: Any, kind: str) -> tuple[str, datetime]:
    period = resource.effectivePeriod
    # An administration over a period (an infusion) began at its start; a statement's period is a
    # span of days of "taking it", which places no one dose.
    fields = [("effectiveDateTime", resource.effectiveDateTime)]
    if kind == "MedicationAdministration":
        fields.append(("effectivePeriod.start", period and period.start))
    elif period is not None:
        raise _Skip("effectivePeriod: a statement over a period does not say when one dose was taken; send "
                    "effectiveDateTime with the time of the dose")
    for field, value in fields:
        if value is None:
            continue
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise _Refused(field, f"{field} {value.isoformat()} has no UTC offset", "invalid_time")
            try:
                return field, value.astimezone(UTC)
            except OverflowError:
                raise _Refused(field, f"{field}: outside the dates a clock can report", "implausible_time") from None
        raise _Skip(f"{field} {value} has no time of day: not recorded, because a dose is matched to the "
                    "scheduled dose by the instant it was taken (date, time and UTC offset)")
    raise _Refused("effectiveDateTime", "a dose needs the time it was taken: effectiveDateTime (with time and "
                                        "UTC offset)", "missing_time")


def _dose_mg(resource: Any, kind: str) -> tuple[str, Decimal | None]:
    if kind == "MedicationAdministration":
        field, quantity = "dosage.dose", resource.dosage.dose if resource.dosage else None
    else:
        dosage = (resource.dosage or [None])[0]
        rate = (dosage.doseAndRate or [None])[0] if dosage else None
        field, quantity = "dosage.0.doseAndRate.0.doseQuantity", rate.doseQuantity if rate else None
    if quantity is None or quantity.value is None:
        return field, None
    unit = quantity.code or quantity.unit
    if _system(quantity.system) in (None, UCUM) and unit in _MG:
        return field, Decimal(str(quantity.value)) * _MG[unit]
    # A count of tablets ("1 TAB") is a dose whose strength we do not know: recorded without mg.
    return field, None


def _canonical_hash(raw: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def parse_medication_events(document: Any, now: datetime, max_future_skew: timedelta, max_age: timedelta
                            ) -> tuple[list[ParsedDose], list[dict[str, str]]]:
    """Doses taken from a MedicationAdministration, a MedicationStatement or a Bundle of them, and the
    resources skipped (``loc``, ``reason``). Raises :class:`ReadingErrors` listing every problem."""
    kinds = ("MedicationAdministration", "MedicationStatement")
    if not isinstance(document, dict) or document.get("resourceType") not in (*kinds, "Bundle"):
        raise ReadingErrors([{"loc": "resourceType", "type": "unsupported_resource",
                              "msg": "send a FHIR R4 MedicationAdministration or MedicationStatement, or a Bundle "
                                     "of them"}])
    errors: list[dict[str, str]] = []
    skipped: list[dict[str, str]] = []
    out: list[ParsedDose] = []
    for prefix, raw in _resources(document, errors, skipped):
        kind = raw.get("resourceType") if isinstance(raw, dict) else None
        if kind not in kinds:
            skipped.append({"loc": _at(prefix), "reason": f"a {kind} is not a MedicationAdministration or "
                                                          "MedicationStatement" if kind else "not a FHIR resource"})
            continue
        model = MedicationAdministration if kind == "MedicationAdministration" else MedicationStatement
        try:
            resource = model.model_validate(raw)
        except ValidationError as exc:
            for e in exc.errors(include_input=False, include_url=False, include_context=False):
                errors.append({"loc": _at(prefix, *(str(p) for p in e["loc"])), "msg": e["msg"][:300],
                               "type": f"fhir.{e['type']}"})
            continue
        try:
            dose = _dose(resource, kind, raw, prefix, now, max_future_skew, max_age)
        except _Skip as exc:
            skipped.append({"loc": _at(prefix), "reason": str(exc)})
            continue
        except _Refused as exc:
            errors.append({"loc": _at(prefix, exc.field), "msg": str(exc), "type": exc.type})
            continue
        out.append(dose)
    if errors:
        raise ReadingErrors(errors)
    return out, skipped


def _dose(resource: Any, kind: str, raw: dict[str, Any], prefix: str, now: datetime, skew: timedelta,
          max_age: timedelta) -> ParsedDose:
    taken = TAKEN_ADMINISTRATION if kind == "MedicationAdministration" else TAKEN_STATEMENT
    if resource.status not in STATUSES[kind]:
        raise _Refused("status", f"status {resource.status!r} is not a {kind} status "
                                 f"({', '.join(sorted(STATUSES[kind]))})", "invalid_code")
    if resource.status not in taken:
        raise _Skip(f"status {resource.status}: not a dose taken (a dose taken is status "
                    f"{' or '.join(sorted(taken))})")
    if not _is_baclofen(resource):
        raise _Skip("the medication is not baclofen (dosewatch records baclofen doses: RxNorm 1292, or a "
                    "medication whose code display or text names baclofen)")
    field, taken_at = _instant(resource, kind)
    if taken_at > now + skew:
        raise _Refused(field, f"{field} is in the future (server time {now.isoformat()}); check the device clock",
                       "implausible_time")
    if taken_at < now - max_age:
        raise _Refused(field, f"{field} is older than {max_age.days} days; reports that old are not accepted "
                              "because no alert about them can still help", "implausible_time")
    _, dose_mg = _dose_mg(resource, kind)
    if dose_mg is not None and not Decimal(0) < dose_mg < Decimal(1000):
        raise _Refused(_dose_mg(resource, kind)[0], f"a dose of {dose_mg} mg is not a baclofen dose",
                       "implausible_value")
    # The sender's id scoped by its instant, as for Observations: ids are unique only on the server
    # that made them. Without an id the resource itself is the key: the same one re-sent is one dose.
    # The request hash covers what we record (an EHR re-sending a resource with a new meta.lastUpdated
    # is the same dose, not a conflicting replay); a resource with no id is keyed by all of it.
    digest = _canonical_hash({"taken_at": taken_at.isoformat(), "dose_mg": str(dose_mg) if dose_mg else None})
    name = f"{kind}/{resource.id}" if resource.id else f"{kind}#{_canonical_hash(raw)[:32]}"
    return ParsedDose(loc=_at(prefix), taken_at=taken_at, dose_mg=dose_mg,
                      idempotency_key=bounded(f"fhir:{name}@{taken_at.isoformat()}", 128), request_hash=digest)


class RecordedDose(OutputModel):
    loc: str = Field(description="Where in the document, e.g. entry.0.resource (\"(body)\" for a lone resource).")
    dose_event_id: int
    taken_at: datetime
    matched_dose_id: int | None = Field(description="The scheduled dose it satisfied, or null (an extra dose).")
    replayed: bool = Field(description="true if this resource was recorded before (nothing new was stored).")


class MedicationEventsOut(OutputModel):
    received: int = Field(description="Resources in the request.")
    recorded: list[RecordedDose]
    skipped: list[SkippedResource] = Field(description="Resources not read as a dose taken, each with the reason.")

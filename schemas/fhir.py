"""HL7 FHIR R4 vital-sign Observations (alone or in a Bundle) read into readings.

Each Observation is validated with the R4B models of ``fhir.resources`` (FHIR 4.3, the R4 line;
the package's default R5 models reject some R4 documents), then read by its LOINC code (the
vital-signs profile's codes) and its UCUM unit. Observations that are not vital signs we read,
or whose status says there is no value (cancelled, entered-in-error), are skipped and counted,
not errors: a Bundle from an EHR carries more than we need.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from schemas.wearables import ParsedReading, ReadingErrors, reading

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"

# LOINC code -> reading kind (FHIR vital-signs profile: heartrate, resprate, bodytemp, oxygensat).
CODES: dict[str, str] = {
    "8867-4": "heart_rate",
    "9279-1": "respiratory_rate",
    "8310-5": "body_temperature",
    "39106-0": "skin_temperature",  # Temperature of skin: a wearable's, never read as fever
    "2708-6": "spo2",
    "59408-5": "spo2",  # SpO2 by pulse oximetry
    "8480-6": "bp_systolic",
    "8462-4": "bp_diastolic",
}
BP_PANEL = "85354-9"
NO_VALUE_STATUSES = frozenset({"cancelled", "entered-in-error", "registered"})


def _loinc(codeable: Any) -> list[str]:
    return [c.code for c in (codeable.coding or []) if c.system == LOINC and c.code] if codeable else []


def _instant(obs: Observation) -> datetime | None:
    value = obs.effectiveDateTime or (obs.effectivePeriod and (obs.effectivePeriod.end or obs.effectivePeriod.start))
    value = value or obs.effectiveInstant or obs.issued
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        # FHIR allows a partial dateTime ("1999-07-02"); it is placed at the start of that day, UTC.
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise ValueError(f"cannot read the time {value!r}")


def _quantities(obs: Observation) -> Iterator[tuple[str, str, Any]]:
    """(loc suffix, kind, Quantity) for each value this Observation carries that we read."""
    codes = _loinc(obs.code)
    kind = next((CODES[c] for c in codes if c in CODES), None)
    if kind is not None and obs.valueQuantity is not None:
        yield "valueQuantity", kind, obs.valueQuantity
    if BP_PANEL in codes or kind is None:
        for i, component in enumerate(obs.component or []):
            ckind = next((CODES[c] for c in _loinc(component.code) if c in CODES), None)
            if ckind is not None and component.valueQuantity is not None:
                yield f"component.{i}.valueQuantity", ckind, component.valueQuantity


def _resources(document: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(document, dict) and document.get("resourceType") == "Bundle":
        for i, entry in enumerate(document.get("entry") or []):
            yield f"entry.{i}.resource", (entry or {}).get("resource")
    else:
        yield "", document


def parse_observations(document: Any, now: datetime, max_future_skew: timedelta) -> tuple[list[ParsedReading], int]:
    """Readings from an Observation or a Bundle of them, and how many resources were skipped.
    Raises :class:`ReadingErrors` listing every problem, so nothing of a bad request is kept."""
    if not isinstance(document, dict) or document.get("resourceType") not in ("Observation", "Bundle"):
        raise ReadingErrors([{"loc": "resourceType", "type": "unsupported_resource",
                              "msg": "send a FHIR R4 Observation, or a Bundle of Observations"}])
    errors: list[dict[str, str]] = []
    out: list[ParsedReading] = []
    skipped = 0
    for prefix, resource in _resources(document):
        at = prefix or "(body)"
        if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
            skipped += 1
            continue
        try:
            obs = Observation.model_validate(resource)
        except ValidationError as exc:
            for e in exc.errors(include_input=False, include_url=False, include_context=False):
                loc = ".".join(str(p) for p in (prefix, *e["loc"]) if p != "")
                errors.append({"loc": loc or "(body)", "msg": e["msg"][:300], "type": f"fhir.{e['type']}"})
            continue
        values = list(_quantities(obs))
        if obs.status in NO_VALUE_STATUSES or not values:
            skipped += 1
            continue
        try:
            measured_at = _instant(obs)
        except ValueError as exc:
            errors.append({"loc": f"{at}.effectiveDateTime", "msg": str(exc), "type": "invalid_time"})
            continue
        if measured_at is None:
            errors.append({"loc": at, "type": "missing_time",
                           "msg": "an Observation needs effectiveDateTime, effectivePeriod or issued"})
            continue
        device = obs.device.reference if obs.device is not None else None
        for suffix, kind, quantity in values:
            loc = ".".join(p for p in (prefix, suffix) if p)
            if quantity.system not in (None, UCUM) or quantity.value is None:
                errors.append({"loc": loc, "type": "invalid_unit",
                               "msg": "the value must be a UCUM quantity (system http://unitsofmeasure.org)"})
                continue
            try:
                out.append(reading(kind, float(quantity.value), quantity.code or quantity.unit, measured_at, device,
                                   f"fhir:{obs.id}" if obs.id else None, now, max_future_skew))
            except ValueError as exc:
                errors.append({"loc": loc, "msg": str(exc), "type": "implausible_value"})
    if errors:
        raise ReadingErrors(errors)
    return out, skipped

"""HL7 FHIR R4 vital-sign Observations (alone or in a Bundle) read into readings.

Each Observation is validated with the R4B models of ``fhir.resources`` (FHIR 4.3, the R4 line;
the package's default R5 models reject some R4 documents), then read by its LOINC code (the
vital-signs profile's codes, and the more specific ones the profiles allow beside them) and its
UCUM unit. A Bundle from an EHR carries more than we read: resources that are not Observations,
Observations that are not vital signs we read, whose status or ``dataAbsentReason`` says there is
no value, or whose time is only a day, are skipped, not errors, and each is reported back with
the reason (``skipped``), so an integrator can see what was not read. Anything wrong with what we
do read refuses the request.

Nothing is read beyond what an Observation says. One over a period longer than
``MAX_POINT_PERIOD`` (a day's average, minimum or maximum, as exporters write summaries) is skipped
and reported: it is not a point reading, and the rules, which read readings by the minute, would
take a daily minimum for a reading taken now. An oxygen saturation with an inhaled-oxygen
component above room air (the pulse-oximetry profile's 3151-8 flow rate or 3150-0 concentration)
is stored as ``spo2_on_oxygen``, never judged by the room-air threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from alerts.domain.vitals import ParsedReading
from schemas.wearables import (
    MAX_BATCH,
    ImplausibleTime,
    ReadingErrors,
    check_blood_pressure,
    check_interval,
    foreign_name,
    reading,
)

LOINC = "loinc.org"
UCUM = "unitsofmeasure.org"
SNOMED = "snomed.info/sct"


def _system(uri: str | None) -> str | None:
    """A code system URI in the form we compare: exporters write the canonical ``http://loinc.org``
    also as ``https://loinc.org`` or ``http://loinc.org/``; it is the same code system."""
    if uri is None:
        return None
    bare = uri.strip().rstrip("/")
    for scheme in ("https://", "http://"):
        if bare.lower().startswith(scheme):
            return bare[len(scheme):].lower()
    return bare


# LOINC code -> reading kind. First the FHIR vital-signs profiles' own codes (heartrate, resprate,
# bodytemp, oxygensat, bp). The profiles allow "additional codes that translate or map to this code
# ... a more granular LOINC code" beside them, and some devices send only the granular one: those
# below are from the eCQM vital-sign value sets (VSAC, eCQM update 2025-05-08: Heart Rate, Respiratory
# Rate, Body Temperature, Oxygen Saturation by Pulse Oximetry).
CODES: dict[str, str] = {
    "8867-4": "heart_rate",
    "68999-2": "heart_rate",  # --supine
    "69000-8": "heart_rate",  # --sitting
    "69001-6": "heart_rate",  # --standing
    "9279-1": "respiratory_rate",
    "76174-2": "respiratory_rate",  # by pulse oximetry plethysmograph: a wearable's
    "76528-9": "respiratory_rate",  # breath rate, spontaneous
    # (33438-3, breath rate mechanical on a ventilator, is the machine's rate, not the patient's breathing.)
    "8310-5": "body_temperature",
    "8328-7": "body_temperature",  # axillary
    "8329-5": "body_temperature",  # core
    "8330-3": "body_temperature",  # intravascular
    "8331-1": "body_temperature",  # oral
    "8332-9": "body_temperature",  # rectal
    "8333-7": "body_temperature",  # tympanic membrane
    "8334-5": "body_temperature",  # urinary bladder
    "60836-4": "body_temperature",  # esophageal
    "60838-0": "body_temperature",  # nasopharyngeal
    "75539-7": "body_temperature",  # temporal artery
    "76010-8": "body_temperature",  # nasal
    "76011-6": "body_temperature",  # ear
    "91371-5": "body_temperature",  # brain
    "104063-3": "body_temperature",  # groin
    # Temperatures of the body's surface: stored as skin temperature, never read as fever or
    # hypothermia (standards README: "Wrist skin temperature is not core temperature").
    "39106-0": "skin_temperature",  # temperature of skin
    "60830-7": "skin_temperature",  # finger
    "60833-1": "skin_temperature",  # toe
    "61008-9": "skin_temperature",  # body surface
    "98657-0": "skin_temperature",  # hand surface
    "98663-8": "skin_temperature",  # foot surface
    "2708-6": "spo2",
    "59408-5": "spo2",  # SpO2 by pulse oximetry, and its variants:
    "59410-1": "spo2",  # --on room air
    "59414-3": "spo2",  # --pre bronchodilation
    "59415-0": "spo2",  # --pre physiotherapy
    "59416-8": "spo2",  # --pre treatment
    "59417-6": "spo2",  # --resting
    "89276-0": "spo2",  # --W exercise
    "89277-8": "spo2",  # --during anesthesia
    "8480-6": "bp_systolic",
    "8462-4": "bp_diastolic",
}
BP_PANEL = "85354-9"
READ = ("it reads heart rate, respiratory rate, body and skin temperature, SpO2 and blood pressure by their "
        "LOINC codes: 8867-4, 9279-1, 8310-5, 39106-0, 59408-5, 85354-9 and the more specific ones")
NO_VALUE_STATUSES = frozenset({"cancelled", "entered-in-error", "registered"})
# A temperature taken on the skin is skin temperature whatever its code: the bodytemp profile makes
# every temperature carry 8310-5, and a watch's wrist sensor may say where it sits only in bodySite.
# SNOMED CT: wrist region structure, wrist joint structure, finger structure, toe structure, skin
# structure (finger and toe as in the FHIR vital-signs body temperature location value set).
SKIN_SITES = frozenset({"8205005", "74670003", "7569003", "29707007", "39937001"})
SKIN_WORDS = re.compile(r"\b(wrist|finger|toe|skin)\b", re.IGNORECASE)


# A measurement takes seconds to minutes (a blood pressure cuff, a 1-minute pulse average); a value
# over a longer period is a summary of many readings.
MAX_POINT_PERIOD = timedelta(minutes=15)
# Pulse-oximetry profile components that say oxygen was given: flow rate (L/min) and concentration (%).
INHALED_O2_FLOW = "3151-8"
INHALED_O2_CONCENTRATION = "3150-0"
ROOM_AIR_PERCENT = 21.0


def _on_oxygen(obs: Observation) -> bool:
    for component in obs.component or []:
        value = component.valueQuantity.value if component.valueQuantity is not None else None
        codes = _loinc(component.code)
        if value is None:
            continue
        if INHALED_O2_FLOW in codes and float(value) > 0:
            return True
        if INHALED_O2_CONCENTRATION in codes and float(value) > ROOM_AIR_PERCENT:
            return True
    return False


def _summary_period(obs: Observation) -> str | None:
    """Why the Observation is a summary over a period, or None."""
    period = obs.effectivePeriod
    start, end = (period.start, period.end) if period is not None else (None, None)
    if isinstance(start, datetime) and isinstance(end, datetime) and start.tzinfo and end.tzinfo:
        span = end - start
        if span > MAX_POINT_PERIOD:
            return (f"a value over {span} (effectivePeriod {start.isoformat()} to {end.isoformat()}), a summary "
                    "such as a daily average or minimum, not a point reading: not stored, because the vital-sign "
                    "rules read individual readings")
    return None


class _DayOnly(ValueError):
    """An Observation whose time is a day (or a month, a year), with no time of day."""


class _Refused(ValueError):
    """One problem with an Observation we would read: its ``field`` (relative to the resource)."""

    def __init__(self, field: str, message: str, type_: str) -> None:
        super().__init__(message)
        self.field = field
        self.type = type_


def _loinc(codeable: Any) -> list[str]:
    return [c.code for c in (codeable.coding or []) if _system(c.system) == LOINC and c.code] if codeable else []


def _kind(codeable: Any, field: str) -> str | None:
    """The one kind the LOINC codes of ``codeable`` name, or None when they name none we read."""
    kinds = {CODES[c] for c in _loinc(codeable) if c in CODES}
    if kinds == {"body_temperature", "skin_temperature"}:
        # 8310-5 (the profile's) beside a skin code (the granular one): the skin code says what it is.
        return "skin_temperature"
    if len(kinds) > 1:
        raise _Refused(field, f"the LOINC codes name different measures ({', '.join(sorted(kinds))}); "
                              "an Observation is one measure", "ambiguous_code")
    return kinds.pop() if kinds else None


def _on_skin(site: Any) -> bool:
    if site is None:
        return False
    codes = {c.code for c in (site.coding or []) if _system(c.system) == SNOMED}
    words = " ".join([site.text or "", *[c.display or "" for c in (site.coding or [])]])
    return bool(codes & SKIN_SITES) or SKIN_WORDS.search(words) is not None


def _quantities(obs: Observation) -> Iterator[tuple[str, str, Any]]:
    """(field, kind, Quantity) for each value this Observation carries that we read."""
    codes = _loinc(obs.code)
    kind = _kind(obs.code, "code")
    if kind == "body_temperature" and _on_skin(obs.bodySite):
        kind = "skin_temperature"
    if kind == "spo2" and _on_oxygen(obs):
        kind = "spo2_on_oxygen"
    if kind is not None and obs.valueQuantity is not None:
        yield "valueQuantity", kind, obs.valueQuantity
    if BP_PANEL in codes or kind is None:
        for i, component in enumerate(obs.component or []):
            ckind = _kind(component.code, f"component.{i}.code")
            if ckind is not None and component.valueQuantity is not None:
                yield f"component.{i}.valueQuantity", ckind, component.valueQuantity


def _why_skipped(obs: Observation) -> str:
    if obs.status in NO_VALUE_STATUSES:
        return f"status {obs.status}: the Observation holds no value"
    if _kind(obs.code, "code") is None and not _loinc_components(obs):
        shown = ", ".join(f"{c.system or '(no system)'}|{c.code}" for c in (obs.code.coding or [])) or "no coding"
        return f"code {shown} is not a vital sign dosewatch reads ({READ})"
    if obs.dataAbsentReason is not None:
        reason = ", ".join(c.code for c in (obs.dataAbsentReason.coding or []) if c.code) or obs.dataAbsentReason.text
        return f"no value: dataAbsentReason {reason}"
    return "no valueQuantity (a vital sign is read from valueQuantity, or from its components')"


def _loinc_components(obs: Observation) -> bool:
    return any(c for comp in (obs.component or []) for c in _loinc(comp.code) if c in CODES)


def _instant(obs: Observation) -> tuple[str, datetime]:
    """The field that says when the Observation was measured, and that instant in UTC."""
    period = obs.effectivePeriod
    if period is not None and isinstance(period.start, datetime) and isinstance(period.end, datetime) \
            and period.start.tzinfo and period.end.tzinfo:
        try:  # R4 Period, per-1: "If present, start SHALL have a lower value than end"
            check_interval(period.start, period.end)
        except ImplausibleTime as exc:
            raise _Refused("effectivePeriod", str(exc), "implausible_time") from None
    for field, value in (("effectiveDateTime", obs.effectiveDateTime), ("effectiveInstant", obs.effectiveInstant),
                         ("effectivePeriod.end", period and period.end),
                         ("effectivePeriod.start", period and period.start)):
        if value is None:
            continue
        if isinstance(value, datetime):
            if value.tzinfo is None:  # FHIR requires the offset with a time; the models enforce it
                raise _Refused(field, f"{field} {value.isoformat()} has no UTC offset", "invalid_time")
            try:
                return field, value.astimezone(UTC)
            except OverflowError:  # year 1 at +14:00: no such UTC instant
                raise _Refused(field, f"{field} {value.isoformat()}: outside the dates a clock can report; check "
                                      "the device clock", "implausible_time") from None
        # FHIR allows a dateTime of only a day, a month or a year (the vital-signs profile: "precise
        # to the day"): an EHR's record of a visit, say. Placed at midnight it would be a time
        # nobody measured, which the rules (they read readings by the minute) could join into a
        # sustained episode. It is history dosewatch cannot place, so it is skipped and reported,
        # like a resource we do not read; the rest of the document is stored.
        raise _DayOnly(f"{field} {_shown(value)} has no time of day: not stored, because the vital-sign rules "
                       "need the instant it was measured (date, time and UTC offset)")
    # ``issued`` is when the result was released, not when it was measured: a backlog synced now
    # would sit in the rules' recent window and could complete a sustained episode that never was.
    raise _Refused("effectiveDateTime", "an Observation needs the time it was measured: effectiveDateTime, "
                                        "effectiveInstant or effectivePeriod (issued is when it was released, not "
                                        "when it was measured)", "missing_time")


def _shown(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _device(obs: Observation) -> str | None:
    ref = obs.device
    if ref is None:
        return None
    name = ref.reference or (ref.identifier.value if ref.identifier is not None else None) or ref.display
    return foreign_name("device", name)


def _resources(document: dict[str, Any], errors: list[dict[str, str]],
               skipped: list[dict[str, str]]) -> Iterator[tuple[str, Any]]:
    """(loc prefix, resource) of a lone Observation ("") or of each Bundle entry ("entry.<i>.resource").

    Whatever the Bundle's type (collection, transaction, batch, searchset ...): its entries'
    ``request``, ``search`` and ``fullUrl`` say what to do with a resource on a FHIR server, not what
    was measured, so only ``resource`` is read."""
    if document.get("resourceType") != "Bundle":
        yield "", document
        return
    entries = document.get("entry") or []
    if not isinstance(entries, list):
        errors.append({"loc": "entry", "type": "invalid_bundle", "msg": "a Bundle's entry must be an array"})
        return
    if len(entries) > MAX_BATCH:
        # Checked before any entry is validated: a request is bounded as the project's batches are.
        errors.append({"loc": "entry", "type": "too_long",
                       "msg": f"a Bundle may carry at most {MAX_BATCH} entries, not {len(entries)}; send several"})
        return
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            errors.append({"loc": f"entry.{i}", "type": "invalid_bundle", "msg": "a Bundle entry must be an object"})
        elif entry.get("resource") is None:
            skipped.append({"loc": f"entry.{i}", "reason": "no resource"})
        else:
            yield f"entry.{i}.resource", entry["resource"]


def _at(*parts: str) -> str:
    return ".".join(p for p in parts if p) or "(body)"


def parse_observations(document: Any, now: datetime, max_future_skew: timedelta
                       ) -> tuple[list[ParsedReading], list[dict[str, str]]]:
    """Readings from an Observation or a Bundle of them, and the resources skipped (``loc`` and
    ``reason``). Raises :class:`ReadingErrors` listing every problem, so nothing of a bad request
    is kept."""
    if not isinstance(document, dict) or document.get("resourceType") not in ("Observation", "Bundle"):
        raise ReadingErrors([{"loc": "resourceType", "type": "unsupported_resource",
                              "msg": "send a FHIR R4 Observation, or a Bundle of Observations"}])
    errors: list[dict[str, str]] = []
    out: list[ParsedReading] = []
    skipped: list[dict[str, str]] = []
    for prefix, resource in _resources(document, errors, skipped):
        if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
            kind = resource.get("resourceType") if isinstance(resource, dict) else None
            skipped.append({"loc": _at(prefix), "reason": f"a {kind} is not an Observation" if kind
                            else "not a FHIR resource"})
            continue
        try:
            obs = Observation.model_validate(resource)
        except ValidationError as exc:
            for e in exc.errors(include_input=False, include_url=False, include_context=False):
                errors.append({"loc": _at(prefix, *(str(p) for p in e["loc"])), "msg": e["msg"][:300],
                               "type": f"fhir.{e['type']}"})
            continue
        try:
            out += _readings(obs, prefix, skipped, now, max_future_skew)
        except _Refused as exc:
            errors.append({"loc": _at(prefix, exc.field), "msg": str(exc), "type": exc.type})
        except ReadingErrors as exc:
            errors += exc.errors
    if errors:
        raise ReadingErrors(errors)
    return out, skipped


def _readings(obs: Observation, prefix: str, skipped: list[dict[str, str]], now: datetime,
              max_future_skew: timedelta) -> list[ParsedReading]:
    """The readings of one valid Observation (none, and a ``skipped`` entry, if it holds none we read)."""
    values = list(_quantities(obs)) if obs.status not in NO_VALUE_STATUSES else []
    if not values:
        skipped.append({"loc": _at(prefix), "reason": _why_skipped(obs)})
        return []
    summary = _summary_period(obs)
    if summary is not None:
        skipped.append({"loc": _at(prefix), "reason": summary})
        return []
    try:
        field, measured_at = _instant(obs)
    except _DayOnly as exc:
        skipped.append({"loc": _at(prefix), "reason": str(exc)})
        return []
    try:
        device = _device(obs)
    except ValueError as exc:
        raise _Refused("device", str(exc), "invalid_device") from None
    # The sender's id scoped by its instant: an Observation id is only unique on the server that
    # made it, and two sources of one patient (an EHR, a phone's gateway) both number from 1. The
    # same Observation re-sent has the same id and instant, and is stored once.
    sender = f"fhir:{obs.id}/{measured_at.isoformat()}" if obs.id else None
    out: list[ParsedReading] = []
    errors: list[dict[str, str]] = []
    for suffix, kind, quantity in values:
        loc = _at(prefix, suffix)
        if _system(quantity.system) not in (None, UCUM) or quantity.value is None:
            errors.append({"loc": loc, "type": "invalid_unit",
                           "msg": "the value must be a UCUM quantity (system http://unitsofmeasure.org)"})
            continue
        try:
            out.append(reading(kind, float(quantity.value), quantity.code or quantity.unit, measured_at, device,
                               sender, now, max_future_skew))
        except ImplausibleTime as exc:
            errors.append({"loc": _at(prefix, field), "msg": str(exc), "type": "implausible_time"})
        except ValueError as exc:
            errors.append({"loc": loc, "msg": str(exc), "type": "implausible_value"})
    if not errors:
        try:
            check_blood_pressure(out)  # one Observation is one measurement: a panel's two pressures
        except ValueError as exc:
            errors.append({"loc": _at(prefix, "component"), "msg": str(exc), "type": "implausible_value"})
    if errors:
        raise ReadingErrors(errors)
    return out

"""Open mHealth data points: validated against the real schemas, read into readings.

A device sends one data point (``{"header": ..., "body": ...}``) or a JSON array of them. The
header says which schema the body follows (``schema_id``: namespace ``omh``, name, version); the
body is validated against that schema with ``jsonschema`` (schemas vendored under
``schemas/openmhealth/``, see its README), then read into canonical readings.

Which instant a reading is at: the body's ``effective_time_frame`` (its ``date_time``, else the
end of its ``time_interval``, however the interval is written). An interval given only as a day and
a part of it ("2026-06-15", "morning") is refused: it has no instant; so is one that ends before it
starts (an end before the start, a negative duration), and a blood pressure whose diastolic is not
below its systolic (two fields swapped): the schemas allow both, and either read as written is a
reading nobody measured.

Nothing is read beyond what a data point says. Skipped, and reported back with the reason
(``skipped``), the rest of the document stored:

* a body with no ``effective_time_frame`` (the schemas make it optional in early versions): the
  header's ``creation_date_time`` is when the data point was made - a backlog synced now would sit
  in the rules' recent window - not when anything was measured;
* a ``descriptive_statistic`` (a day's average, minimum, maximum...): a summary, not a point
  reading; the rules read individual readings, and a daily minimum of 88% SpO2 is not three low
  readings in five minutes.

An oxygen saturation taken on supplemental oxygen (``supplemental_oxygen_flow_rate`` above 0 L/min,
or an ``oxygen_therapy_mode_of_administration``) is stored as ``spo2_on_oxygen``: the fact is kept,
and the room-air threshold never judges it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for
from referencing import Registry, Resource

from alerts.domain.vitals import ParsedReading
from schemas.wearables import (
    MAX_BATCH,
    ImplausibleTime,
    ImpreciseTime,
    ReadingErrors,
    check_blood_pressure,
    check_interval,
    foreign_name,
    reading,
)

SCHEMA_DIR = Path(__file__).with_name("openmhealth")
BASE_URI = "https://w3id.org/openmhealth/schemas/omh/"
IEEE_PREFIX = "https://w3id.org/ieee/ieee-1752-schema/"

# name -> (versions accepted, [(body property, reading kind)])
SUPPORTED: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "heart-rate": (("1.0", "1.1", "2.0"), (("heart_rate", "heart_rate"),)),
    "respiratory-rate": (("1.0", "2.0"), (("respiratory_rate", "respiratory_rate"),)),
    "body-temperature": (("1.0", "2.0", "3.0", "4.0"), (("body_temperature", "body_temperature"),)),
    "oxygen-saturation": (("1.0", "2.0"), (("oxygen_saturation", "spo2"),)),
    "blood-pressure": (("1.0", "2.0", "3.0", "3.1", "4.0"),
                       (("systolic_blood_pressure", "bp_systolic"), ("diastolic_blood_pressure", "bp_diastolic"))),
}
# Where a body-temperature data point says it was measured on the skin: stored as skin temperature,
# which the rules never read as fever or hypothermia (standards README: "Wrist skin temperature is
# not core temperature"). Forehead too: the schema says "Forehead indicates the use of a disposable
# strip", a strip on the skin (a temporal artery scanner, which estimates core, is its own site).
SKIN_SITES = frozenset({"wrist", "finger", "toe", "forehead"})
# Open mHealth unit symbols that differ from the UCUM codes ``alerts.domain.vitals`` knows.
UNITS = {"mmHg": "mm[Hg]", "C": "Cel", "F": "[degF]"}


def _retrieve(uri: str) -> Resource[Any]:
    # Every reference resolves to a vendored file: never the network (see schemas/openmhealth/README.md).
    name = uri.rsplit("/", 1)[-1]
    path = SCHEMA_DIR / name
    if not path.is_file():
        raise LookupError(f"schema {uri} is not vendored")
    return Resource.from_contents(json.loads(path.read_text()))


@cache
def _registry() -> Registry[Any]:
    # Every vendored file, loaded once, under each name it is referred by: the bare file name (the
    # draft-04 schemas have no "$id", so their relative references stay relative), Open mHealth's
    # URI and the IEEE 1752.1 one the newest schemas use. A registry that only retrieves re-reads and
    # re-parses the files for every data point (what it retrieves is not kept): 0.9 ms a point, so
    # an array of 20,000 took 18 s, near the server's request timeout.
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        resource = Resource.from_contents(json.loads(path.read_text()))
        resources += [(name + path.name, resource) for name in ("", BASE_URI, IEEE_PREFIX)]
    return Registry(retrieve=_retrieve).with_resources(resources).crawl()  # type: ignore[call-arg]


@cache
def validator(filename: str) -> Any:
    """A validator for one vendored schema file, its ``$ref``s resolved locally, formats checked."""
    schema = json.loads((SCHEMA_DIR / filename).read_text())
    schema.setdefault("$id", BASE_URI + filename)
    cls = validator_for(schema, default=Draft7Validator)
    return cls(schema, registry=_registry(), format_checker=FormatChecker())


def _errors(v: Any, document: Any, prefix: str) -> list[dict[str, str]]:
    out = []
    for e in sorted(v.iter_errors(document), key=lambda e: list(e.absolute_path)):
        assert isinstance(e, ValidationError)
        where = ".".join(str(p) for p in (prefix, *e.absolute_path) if p != "")
        out.append({"loc": where or "(body)", "msg": _short(e.message), "type": f"openmhealth.{e.validator}"})
    return out


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:299] + "…"


def _instant(value: str) -> datetime:
    # RFC 3339 (the schemas' date-time format, which the validator checks case-blind) allows a
    # lower-case "t" and "z"; Python's parser does not.
    try:
        parsed = datetime.fromisoformat(value.upper())
    except ValueError:  # what the format checker passes and Python still cannot place
        raise ImplausibleTime(f"{value} is not a time Python can read; send RFC 3339") from None
    if parsed.tzinfo is None:
        # Open mHealth: "If a timezone is not included, the timezone is assumed to be UTC."
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# duration-unit-value's units; a month and a year as UCUM defines them (mo, a: the mean Julian ones).
DURATION_UNITS = {"ps": 1e-12, "ns": 1e-9, "us": 1e-6, "ms": 1e-3, "sec": 1, "min": 60, "h": 3600, "d": 86400,
                  "wk": 7 * 86400, "Mo": 30.4375 * 86400, "yr": 365.25 * 86400}


def _measured_at(body: dict[str, Any], header: dict[str, Any]) -> datetime:
    """When the reading was measured (ValueError if the document does not say it precisely)."""
    frame = body["effective_time_frame"]  # a body without one is skipped before (_why_skipped)
    if "date_time" in frame:
        return _instant(frame["date_time"])
    interval = frame["time_interval"]
    # The schema asks a duration for a number, not a positive one.
    duration = interval.get("duration")
    if duration is not None and duration["value"] < 0:
        raise ImplausibleTime(f"a duration of {duration['value']:g} {duration['unit']}: the interval ends before "
                              "it starts")
    # A summary of an interval (an average, a maximum) is read at the interval's end, whichever two
    # of start, end and duration describe it: the same interval written two ways is one instant.
    if "end_date_time" in interval:
        end = _instant(interval["end_date_time"])
        if "start_date_time" in interval:
            check_interval(_instant(interval["start_date_time"]), end)
        return end
    if "start_date_time" in interval:
        start = _instant(interval["start_date_time"])
        try:
            return start + timedelta(seconds=duration["value"] * DURATION_UNITS[duration["unit"]])
        except OverflowError:
            raise ImplausibleTime(f"{start.isoformat()} plus {duration['value']:g} {duration['unit']} is outside "
                                  "the dates a clock can report") from None
    # Only a day and a part of it ("morning"): the rules read readings by the minute, and placing it
    # at some hour would invent a time nobody measured.
    raise ImpreciseTime(f"{interval['date']} {interval['part_of_day']} gives no time of day; a vital sign "
                        "needs the instant it was measured (date_time, or a time_interval with times)")


def _points(document: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(document, list):
        for i, point in enumerate(document):
            yield str(i), point
    else:
        yield "", document


def _why_skipped(body: dict[str, Any]) -> str | None:
    """Why a valid data point is not read as readings, or None when it is."""
    if "effective_time_frame" not in body:
        return ("no effective_time_frame: not stored, because the header's creation_date_time is when the data "
                "point was made, not when it was measured")
    if "descriptive_statistic" in body:
        return (f"a {body['descriptive_statistic']} over its time frame (descriptive_statistic), not a point "
                "reading: not stored, because the vital-sign rules read individual readings")
    return None


def _on_oxygen(body: dict[str, Any]) -> bool:
    flow = body.get("supplemental_oxygen_flow_rate") or {}
    # The schema: "0 L/min means room air".
    return bool(flow.get("value")) or "oxygen_therapy_mode_of_administration" in body


def parse_data_points(document: Any, now: datetime, max_future_skew: Any
                      ) -> tuple[list[ParsedReading], list[dict[str, str]]]:
    """Readings from one data point or an array of them, and the data points skipped (``loc`` and
    ``reason``). Raises :class:`ReadingErrors` listing every problem (schema, unsupported measure,
    unit, implausible value) so nothing of a bad request is kept."""
    if isinstance(document, list) and not document:
        raise ReadingErrors([{"loc": "(body)", "msg": "an empty array has no data points", "type": "too_short"}])
    if isinstance(document, list) and len(document) > MAX_BATCH:
        # Checked before any point is validated: a request is bounded as the project's batches are.
        raise ReadingErrors([{"loc": "(body)", "type": "too_long",
                              "msg": f"send at most {MAX_BATCH} data points a request, not {len(document)}"}])
    errors: list[dict[str, str]] = []
    out: list[ParsedReading] = []
    skipped: list[dict[str, str]] = []
    for prefix, point in _points(document):
        point_errors = _errors(validator("data-point-1.0.json"), point, prefix)
        if point_errors:
            errors += point_errors
            continue
        header, body = point["header"], point["body"]
        schema_id = header["schema_id"]
        name, version = schema_id["name"], schema_id["version"]
        spec = SUPPORTED.get(name)
        here = ".".join(p for p in (prefix, "header.schema_id") if p)
        if schema_id["namespace"] != "omh" or spec is None or version not in spec[0]:
            supported = "; ".join(f"{n} {', '.join(v)}" for n, (v, _) in SUPPORTED.items())
            errors.append({"loc": here, "type": "unsupported_schema",
                           "msg": f"{schema_id['namespace']}:{name}:{version} is not a supported measure "
                                  f"(supported, namespace omh: {supported})"})
            continue
        body_prefix = ".".join(p for p in (prefix, "body") if p)
        body_errors = _errors(validator(f"{name}-{version}.json"), body, body_prefix)
        if body_errors:
            errors += body_errors
            continue
        flow = (body.get("supplemental_oxygen_flow_rate") or {}).get("value")
        if flow is not None and flow < 0:
            # The schema asks a number, not a positive one; some exporters write -1 for "not
            # recorded". Read as on oxygen, the room-air threshold never judged the SpO2.
            errors.append({"loc": f"{body_prefix}.supplemental_oxygen_flow_rate", "type": "implausible_value",
                           "msg": f"a flow of {flow:g} L/min is not a flow; send 0 for room air, or leave the "
                                  "field out"})
            continue
        reason = _why_skipped(body)
        if reason is not None:
            skipped.append({"loc": prefix or "(body)", "reason": reason})
            continue
        when = ".".join(p for p in (body_prefix, "effective_time_frame") if p)
        try:
            measured_at = _measured_at(body, header)
            device = foreign_name("acquisition_provenance.source_name",
                                  (header.get("acquisition_provenance") or {}).get("source_name"))
            sender = foreign_name("header.id", header["id"])
        except ImplausibleTime as exc:
            errors.append({"loc": when, "msg": str(exc),
                           "type": "imprecise_time" if isinstance(exc, ImpreciseTime) else "implausible_time"})
            continue
        except ValueError as exc:
            errors.append({"loc": ".".join(p for p in (prefix, "header") if p), "msg": str(exc),
                           "type": "invalid_identifier"})
            continue
        measured: list[ParsedReading] = []
        for prop, kind in spec[1]:
            quantity = body[prop]
            if kind == "body_temperature" and body.get("measurement_location") in SKIN_SITES:
                kind = "skin_temperature"
            if kind == "spo2" and _on_oxygen(body):
                kind = "spo2_on_oxygen"
            try:
                measured.append(reading(kind, quantity["value"], UNITS.get(quantity["unit"], quantity["unit"]),
                                        measured_at, device, f"omh:{sender}", now, max_future_skew))
            except ImplausibleTime as exc:
                errors.append({"loc": when, "msg": str(exc), "type": "implausible_time"})
                break
            except ValueError as exc:
                errors.append({"loc": f"{body_prefix}.{prop}", "msg": str(exc), "type": "implausible_value"})
        try:
            check_blood_pressure(measured)  # a blood-pressure data point is one measurement
        except ValueError as exc:
            errors.append({"loc": body_prefix, "msg": str(exc), "type": "implausible_value"})
        out += measured
    if errors:
        raise ReadingErrors(errors)
    return out, skipped

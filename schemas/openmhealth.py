"""Open mHealth data points: validated against the real schemas, read into readings.

A device sends one data point (``{"header": ..., "body": ...}``) or a JSON array of them. The
header says which schema the body follows (``schema_id``: namespace ``omh``, name, version); the
body is validated against that schema with ``jsonschema`` (schemas vendored under
``schemas/openmhealth/``, see its README), then read into canonical readings.

Which instant a reading is at: the body's ``effective_time_frame`` (its ``date_time``, else the
end of its ``time_interval``, else the start), else the header's ``creation_date_time`` (the
schemas make the time frame optional in early versions).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for
from referencing import Registry, Resource

from schemas.wearables import ParsedReading, ReadingErrors, reading

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
# not core temperature").
SKIN_SITES = frozenset({"wrist", "finger", "toe"})
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
    return Registry(retrieve=_retrieve)  # type: ignore[call-arg]


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
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        # Open mHealth: "If a timezone is not included, the timezone is assumed to be UTC."
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _measured_at(body: dict[str, Any], header: dict[str, Any]) -> datetime:
    frame = body.get("effective_time_frame") or {}
    if "date_time" in frame:
        return _instant(frame["date_time"])
    interval = frame.get("time_interval") or {}
    for key in ("end_date_time", "start_date_time"):
        if key in interval:
            return _instant(interval[key])
    return _instant(header["creation_date_time"])


def _points(document: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(document, list):
        for i, point in enumerate(document):
            yield str(i), point
    else:
        yield "", document


def parse_data_points(document: Any, now: datetime, max_future_skew: Any) -> list[ParsedReading]:
    """Readings from one data point or an array of them. Raises :class:`ReadingErrors` listing every
    problem (schema, unsupported measure, unit, implausible value) so nothing of a bad request is kept."""
    if isinstance(document, list) and not document:
        raise ReadingErrors([{"loc": "(body)", "msg": "an empty array has no data points", "type": "too_short"}])
    errors: list[dict[str, str]] = []
    out: list[ParsedReading] = []
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
        measured_at = _measured_at(body, header)
        device = (header.get("acquisition_provenance") or {}).get("source_name")
        for prop, kind in spec[1]:
            quantity = body[prop]
            if kind == "body_temperature" and body.get("measurement_location") in SKIN_SITES:
                kind = "skin_temperature"
            try:
                out.append(reading(kind, quantity["value"], UNITS.get(quantity["unit"], quantity["unit"]),
                                   measured_at, device, f"omh:{header['id']}", now, max_future_skew))
            except ValueError as exc:
                errors.append({"loc": f"{body_prefix}.{prop}", "msg": str(exc), "type": "implausible_value"})
    if errors:
        raise ReadingErrors(errors)
    return out

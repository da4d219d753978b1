"""Wearables on the wire: the project's own JSON for readings and device events, and the shared
shape every accepted format (project JSON, Open mHealth, FHIR R4) is read into.

Every reading is normalised here, at the border, to its canonical unit (``alerts.domain.vitals``):
a value in an unknown unit or beyond what a body can show (a heart rate of 900, SpO2 of 140) makes
the whole request a 422, so nothing of a bad batch is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal, NotRequired

from pydantic import AwareDatetime, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from typing_extensions import TypedDict

from alerts.domain.vitals import (
    KEY_LENGTH,
    ImplausibleReading,
    ParsedReading,
    blood_pressure_problem,
    bounded,
    normalise,
)
from schemas.common import NO_NUL, Day, DoseMg, InputModel, OutputModel, RowId
from schemas.ingest import EventId, MedicationRef, check_instant

# A request carries at most this many readings: thousands per request, bounded so one request
# cannot hold the database for long. The body size limit is READINGS_MAX_CONTENT_LENGTH.
MAX_BATCH = 20_000

ReadingKind = Literal["heart_rate", "respiratory_rate", "body_temperature", "skin_temperature", "spo2",
                      "spo2_on_oxygen", "bp_systolic", "bp_diastolic", "motion_index"]
# Column widths (``device.external_id``; the dedupe keys' ``KEY_LENGTH`` is in alerts.domain.vitals).
NAME_LENGTH = 128
# No device clock goes back past the Unix epoch: an instant before it is a corrupt clock, not history
# (and one near year 1 would overflow the rules' window arithmetic).
EARLIEST_READING = datetime(1970, 1, 1, tzinfo=UTC)

DeviceName = Annotated[str, Field(min_length=1, max_length=NAME_LENGTH, pattern=NO_NUL,
                                  description="The device's own id (serial, name).")]
ReadingId = Annotated[str, Field(min_length=1, max_length=128, pattern=NO_NUL,
                                 description="The sender's id for this sample; a re-sent sample is stored once.")]


def foreign_name(label: str, value: str | None) -> str | None:
    """A device name or sender id from a standard format (no length limit of its own), made
    storable: refused if it holds a NUL (PostgreSQL cannot store one), shortened if too long."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError(f"{label} contains a NUL character, which cannot be stored")
    return bounded(value, NAME_LENGTH)


class ReadingErrors(ValueError):
    """A request whose readings do not all pass: every problem, as ``{"loc", "msg", "type"}``."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:3]))
        self.errors = errors


class ImplausibleTime(ValueError):
    """A reading's instant that cannot be right: in the future, or before any device clock."""


class ImpreciseTime(ImplausibleTime):
    """A reading's time given only as a day (or a part of one): it has no instant to store."""


def _utc_instant(measured_at: datetime, now: datetime | None, skew: timedelta) -> datetime:
    """``measured_at`` in UTC, or :class:`ImplausibleTime`.

    Old readings are kept (a wearable syncs its backlog; the rules read only recent windows), but a
    reading from the future is a device clock that is wrong, and would sit in every window."""
    try:
        utc = measured_at.astimezone(UTC)
    except OverflowError:  # year 1 at +14:00, year 9999 at -14:00: there is no such UTC instant
        raise ImplausibleTime(f"measured {measured_at.isoformat()}: outside the dates a clock can report; "
                              "check the device clock") from None
    if utc < EARLIEST_READING:
        raise ImplausibleTime(f"measured {utc.isoformat()}: before {EARLIEST_READING.year}, earlier than any "
                              "device clock can report; check the device clock")
    if now is not None and utc > now + skew:
        raise ImplausibleTime(f"measured {utc.isoformat()}: in the future (server time {now.isoformat()}); "
                              "check the device clock")
    return utc


def check_interval(start: datetime, end: datetime) -> None:
    """:class:`ImplausibleTime` if a measuring interval ends before it starts (both aware).

    Read "at its end", such an interval put the reading before the instant the device says the
    measuring began: a time nobody measured at, which the rules could join to an episode."""
    if end < start:
        raise ImplausibleTime(f"the interval ends before it starts ({start.isoformat()} to {end.isoformat()}); "
                              "check the device clock")


def check_blood_pressure(readings: Iterable[ParsedReading]) -> None:
    """``ImplausibleReading`` if the readings of one measurement hold a diastolic pressure not below
    its systolic (``alerts.domain.vitals.blood_pressure_problem``)."""
    systolic = [r.value for r in readings if r.kind == "bp_systolic"]
    diastolic = [r.value for r in readings if r.kind == "bp_diastolic"]
    for s in systolic:
        for d in diastolic:
            problem = blood_pressure_problem(s, d)
            if problem is not None:
                raise ImplausibleReading(problem)


def reading(kind: str, value: float, unit: str | None, measured_at: datetime, device: str | None,
            sender_id: str | None, now: datetime | None, skew: timedelta) -> ParsedReading:
    """One reading checked and normalised (ValueError says what is wrong: :class:`ImplausibleTime`
    for its instant, ``ImplausibleReading`` for its value or unit).

    Its dedupe key is the sender's id when there is one, else device, kind and instant: the same
    sample re-sent is the same key. The kind is part of it because one blood pressure data point
    is two readings."""
    canonical = normalise(kind, value, unit)
    utc = _utc_instant(measured_at, now, skew)
    key = f"{sender_id}/{kind}" if sender_id else f"{device or '-'}/{kind}/{utc.isoformat()}"
    return ParsedReading(kind, canonical, utc, device, key if len(key) <= KEY_LENGTH else bounded(key, KEY_LENGTH))


class ReadingIn(TypedDict):
    """One vital-sign sample. ``unit``: a UCUM code (/min, Cel, [degF], %, mm[Hg], kPa, 1) or a common
    symbol (bpm, C, F, mmHg); absent or null means the kind's canonical unit. The value is stored
    converted to the canonical unit."""

    # A TypedDict, not a model: a batch of thousands is validated in one pass of pydantic-core
    # without building a Python object per reading (see bench/wearables.py).
    __pydantic_config__ = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)  # type: ignore[misc]

    kind: ReadingKind
    value: float
    unit: NotRequired[Annotated[str, Field(max_length=16)] | None]
    measured_at: Annotated[AwareDatetime, Field(examples=["2026-06-15T03:12:00Z"])]
    device_id: NotRequired[DeviceName | None]
    reading_id: NotRequired[ReadingId | None]


class ReadingBatchIn(InputModel):
    """Readings from one patient's devices, one or thousands at a time."""

    readings: list[ReadingIn] = Field(min_length=1, max_length=MAX_BATCH)

    def parsed(self, now: datetime | None, skew: timedelta) -> list[ParsedReading]:
        """Every reading checked and normalised; :class:`ReadingErrors` lists each one that is not."""
        out: list[ParsedReading] = []
        errors: list[dict[str, str]] = []
        for i, r in enumerate(self.readings):
            try:
                out.append(reading(r["kind"], r["value"], r.get("unit"), r["measured_at"], r.get("device_id"),
                                   r.get("reading_id"), now, skew))
            except ImplausibleTime as exc:
                errors.append({"loc": f"readings.{i}.measured_at", "msg": str(exc), "type": "implausible_time"})
            except ValueError as exc:
                errors.append({"loc": f"readings.{i}", "msg": str(exc), "type": "implausible_value"})
        if not errors:  # then ``out`` is in the batch's order, and its indices are the batch's
            errors = _swapped_pressures(out)
        if errors:
            raise ReadingErrors(errors)
        return out


def _swapped_pressures(readings: list[ParsedReading]) -> list[dict[str, str]]:
    """Each diastolic reading whose systolic (same device, same instant: one cuff measurement) is
    not above it, as an error at the diastolic's place in the batch."""
    systolic: dict[tuple[str | None, datetime], list[ParsedReading]] = {}
    for r in readings:
        if r.kind == "bp_systolic":
            systolic.setdefault((r.device, r.measured_at), []).append(r)
    if not systolic:
        return []
    errors = []
    for i, r in enumerate(readings):
        if r.kind == "bp_diastolic" and (r.device, r.measured_at) in systolic:
            try:
                check_blood_pressure([*systolic[(r.device, r.measured_at)], r])
            except ImplausibleReading as exc:
                errors.append({"loc": f"readings.{i}", "msg": str(exc), "type": "implausible_value"})
    return errors


class SkippedResource(OutputModel):
    loc: str = Field(description="Where in the document, e.g. entry.3.resource.")
    reason: str = Field(description="Why nothing was read from it.")


class ReadingBatchOut(OutputModel):
    received: int = Field(description="Readings in the request.")
    stored: int = Field(description="Readings stored now.")
    duplicates: int = Field(description="Readings already stored (same sender id, or device, kind and instant).")
    findings: list[str] = Field(description="Conditions that became sustained with these readings "
                                            "(slow_breathing, low_oxygen, fever, ...).")
    alert_id: int | None = Field(description="The alert these readings raised (an emergency, or urgent for a "
                                             "sustained fever, fast heart rate...), if any.")
    skipped: list[SkippedResource] = Field(
        default_factory=list,
        description="FHIR: resources of the document that hold no reading dosewatch reads (not an Observation, "
                    "not a vital sign, status cancelled or entered-in-error, no value, a time of only a day), "
                    "each with the reason. Nothing else of an accepted request is left out.")


DeviceEventKind = Literal["seizure", "fall", "pill_bottle_opened", "pump_low_reservoir", "pump_fault",
                          "catheter_fault", "pump_refill_scheduled"]


class DeviceEventIn(InputModel):
    """Something a device detected: a seizure (with the detector's confidence), a fall, the smart
    pill bottle opened (a dose taken), an intrathecal pump alarm, or the pump's next refill date."""

    kind: DeviceEventKind
    occurred_at: AwareDatetime = Field(examples=["2026-06-15T03:12:00Z"])
    device_id: DeviceName | None = None
    event_id: EventId | None = None
    confidence: float | None = Field(None, ge=0, le=1, description="Seizure detectors: 0-1.")
    refill_date: Day | None = Field(None, description="pump_refill_scheduled: the refill day, local to the patient.")
    dose_mg: DoseMg | None = Field(None, description="pill_bottle_opened: the dose, if the bottle knows it.")
    medication: MedicationRef | None = Field(
        None, description="pill_bottle_opened: the medicine the bottle holds, if it knows. Omitted: the medicine "
                          "the bottle was registered for (PUT .../devices), else matched as any unnamed dose.",
        examples=[{"rxnorm_code": "1292"}])

    @field_validator("occurred_at")
    @classmethod
    def _occurred_at_plausible(cls, value: datetime, info: ValidationInfo) -> datetime:
        # In UTC from here on: the same instant written with another offset (a phone that changed
        # zone, re-sending) is the same event, and hashes as the same request, not a conflicting one.
        return check_instant(value, info).astimezone(UTC)

    @model_validator(mode="after")
    def _refill_date_only_for_refills(self) -> DeviceEventIn:
        if (self.kind == "pump_refill_scheduled") != (self.refill_date is not None):
            raise ValueError("refill_date is required for pump_refill_scheduled and only for it")
        if self.kind == "pump_refill_scheduled" and self.device_id is None:
            # The reminders are planned on the pump (a device row); without one the event would be
            # stored and no reminder would ever go out.
            raise ValueError("device_id is required for pump_refill_scheduled: the refill reminders belong to "
                             "the pump")
        if self.medication is not None and self.kind != "pill_bottle_opened":
            raise ValueError("medication is only for pill_bottle_opened (a dose taken)")
        return self


class DeviceEventOut(OutputModel):
    id: int
    patient_id: int
    kind: str
    occurred_at: datetime
    confidence: float | None
    status: str = Field(description="recorded | pending (cancel window open) | cancelled | raised")
    raise_at: datetime | None = Field(description="A pending seizure alert goes out at this instant unless cancelled.")
    alert_id: int | None
    event_id: str = Field(description="The key the event is stored under (the sender's event_id, or one derived).")
    received_at: datetime


DeviceKind = Literal["wearable", "pill_bottle", "pump"]


class DeviceIn(InputModel):
    """Register a device (or change one) for a patient: how often it must report, a pump's refill day."""

    external_id: DeviceName
    kind: DeviceKind = "wearable"
    expected_interval_minutes: int | None = Field(
        None, ge=1, le=7 * 24 * 60,
        description="Caregivers are told 'wearable offline' when it is silent longer than this. Null: not watched.")
    refill_date: Day | None = Field(None, description="Pumps: the next refill day (local to the patient).")
    medication_id: RowId | None = Field(
        None, description="Smart pill bottles: the patient's medication the bottle holds; each opening is then a "
                          "dose of it. Null: a dose of whichever medicine was due, as any unnamed dose.")


class DeviceOut(OutputModel):
    id: int
    patient_id: int
    external_id: str
    kind: str
    expected_interval_minutes: int | None
    last_seen_at: datetime | None
    refill_date: date | None
    refill_reminder_at: datetime | None = Field(description="When the next refill reminder goes out.")
    medication_id: int | None = Field(None, description="The medication a pill bottle holds.")


class DeviceList(OutputModel):
    devices: list[DeviceOut]

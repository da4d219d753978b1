"""Reading a patient's (or many patients') records out as FHIR resources, a stream at a time.

Every resource kind is read by one query streamed with ``yield_per`` (a server-side cursor on
PostgreSQL), so the memory a bulk export holds is one batch of rows, however many patients it
covers. ``$everything`` (one patient, a Bundle) and ``$export`` (NDJSON files) read through the
same functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session

from alerts.fhir import resources as fr
from alerts.models import (
    Alert,
    CheckIn,
    Device,
    Dose,
    DoseEvent,
    DoseSchedule,
    Medication,
    Notification,
    Patient,
    Reading,
)

TYPES = fr.TYPES
BATCH = 2000
# Alert kinds that may carry the withdrawal-vs-toxicity assessment (``fr.is_risk`` decides per row).
_ASSESSED_KINDS = ("withdrawal_risk", "toxicity_risk", "consult_soon", "emergency", "urgent")

# Any SELECT: SQLAlchemy types a statement by its columns, and these helpers keep them.
S = TypeVar("S", bound=Select[*tuple[Any, ...]])

Scope = Sequence[int] | Select[Any] | None
"""Which patients: a list of ids, a SELECT of ids (a token's patients), or None for every patient."""


@dataclass(frozen=True)
class Window:
    """``since``: only what dosewatch recorded or changed at or after it (FHIR ``_since``); ``start``
    and ``end``: only what happened (taken, measured, sent, opened) in [start, end]. Patients, their
    devices and dose schedules are always included: they have no history of their own to cut."""

    since: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None


def _in(column: Any, scope: Scope) -> ColumnElement[bool]:
    if scope is None:
        return true()
    return column.in_(scope)


def _between(stmt: S, column: Any, window: Window) -> S:
    if window.start is not None:
        stmt = stmt.where(column >= window.start)
    if window.end is not None:
        stmt = stmt.where(column <= window.end)
    return stmt


def _since(stmt: S, column: Any, window: Window) -> S:
    return stmt if window.since is None else stmt.where(column >= window.since)


def _rows(session: Session, stmt: Any) -> Iterator[Any]:
    yield from session.execute(stmt.execution_options(yield_per=BATCH))


def _identified(resource: dict[str, Any]) -> dict[str, Any]:
    """Every resource carries dosewatch's identifier for it (system per resource type), so a FHIR
    server that assigns its own ids can still match a re-sent resource (conditional update)."""
    ours = {"system": f"{fr.BASE}/sid/{resource['resourceType']}", "value": resource["id"]}
    resource["identifier"] = [ours, *resource.get("identifier", [])]
    return resource


def stream(session: Session, type_: str, scope: Scope, window: Window = Window()) -> Iterator[dict[str, Any]]:
    """Each resource of ``type_`` (one of :data:`TYPES`) for the patients in ``scope``."""
    for resource in _READERS[type_](session, scope, window):
        yield _identified(resource)


def _patients(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    stmt = select(Patient.id, Patient.name, Patient.phone, Patient.language).where(_in(Patient.id, scope))
    for r in _rows(session, stmt.order_by(Patient.id)):
        yield fr.patient(r.id, r.name, r.phone, r.language)


def _devices(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    stmt = (select(Device.id, Device.patient_id, Device.external_id, Device.kind)
            .where(_in(Device.patient_id, scope)).order_by(Device.id))
    for r in _rows(session, stmt):
        yield fr.device(r.id, r.patient_id, r.external_id, r.kind)


def _medication_requests(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    stmt = (select(DoseSchedule.id, DoseSchedule.patient_id, Patient.timezone, DoseSchedule.times,
                   DoseSchedule.dose_mg, DoseSchedule.active, DoseSchedule.starts_on, DoseSchedule.created_at,
                   Medication.name, Medication.rxnorm_code)
            .join(Patient, Patient.id == DoseSchedule.patient_id)
            .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
            .where(_in(DoseSchedule.patient_id, scope)).order_by(DoseSchedule.id))
    for r in _rows(session, stmt):
        yield fr.medication_request(r.id, r.patient_id, r.timezone, r.times, r.dose_mg, r.active, r.starts_on,
                                    r.created_at, fr.medication(r.name, r.rxnorm_code))


def _medication_administrations(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    # Each dose is labelled with its own medicine: the one it was recorded as, else its schedule's.
    taken = (select(DoseEvent.id, DoseEvent.patient_id, DoseEvent.taken_at, DoseEvent.source, DoseEvent.dose_mg,
                    DoseEvent.medication_basis, Dose.schedule_id, Dose.dose_mg.label("scheduled_mg"),
                    Medication.name, Medication.rxnorm_code)
             .outerjoin(Dose, Dose.id == DoseEvent.dose_id)
             .outerjoin(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
             .outerjoin(Medication, Medication.id == func.coalesce(DoseEvent.medication_id, DoseSchedule.medication_id))
             .where(_in(DoseEvent.patient_id, scope)).order_by(DoseEvent.id))
    taken = _since(_between(taken, DoseEvent.taken_at, window), DoseEvent.received_at, window)
    for r in _rows(session, taken):
        drug = fr.medication(r.name, r.rxnorm_code, unknown=r.medication_basis == "unknown")
        yield fr.dose_taken(r.id, r.patient_id, r.taken_at, r.source,
                            r.dose_mg if r.dose_mg is not None else r.scheduled_mg, r.schedule_id, drug)
    missed = (select(Dose.id, Dose.patient_id, Dose.schedule_id, Dose.due_at, Dose.dose_mg, Dose.check_at,
                     Medication.name, Medication.rxnorm_code)
              .join(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
              .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
              .where(_in(Dose.patient_id, scope), Dose.status == "missed").order_by(Dose.id))
    missed = _since(_between(missed, Dose.due_at, window), Dose.missed_at, window)
    for r in _rows(session, missed):
        yield fr.dose_missed(r.id, r.patient_id, r.schedule_id, r.due_at, r.dose_mg, r.check_at,
                             fr.medication(r.name, r.rxnorm_code))


def _readings(scope: Scope, window: Window) -> Select[*tuple[Any, ...]]:
    stmt = (select(Reading.id, Reading.patient_id, Reading.kind, Reading.value, Reading.measured_at, Reading.device_id)
            .where(_in(Reading.patient_id, scope), Reading.kind.in_(list(fr.VITALS))).order_by(Reading.id))
    return _since(_between(stmt, Reading.measured_at, window), Reading.received_at, window)


def _checkins(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    stmt = (select(CheckIn.id, CheckIn.patient_id, CheckIn.recorded_at, CheckIn.symptoms, CheckIn.supply_problem,
                   CheckIn.note)
            .where(_in(CheckIn.patient_id, scope)).order_by(CheckIn.id))
    stmt = _since(_between(stmt, CheckIn.recorded_at, window), CheckIn.received_at, window)
    for r in _rows(session, stmt):
        yield fr.checkin(r.id, r.patient_id, r.recorded_at, r.symptoms or {}, r.supply_problem, r.note)


def _observations(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    vital = fr.vital
    for r in _rows(session, _readings(scope, window)):
        resource = vital(r.id, r.patient_id, r.kind, r.value, r.measured_at, r.device_id)
        if resource is not None:
            yield resource
    yield from _checkins(session, scope, window)


def _flags(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    # Open alerts are the chart's present state: start/end do not cut them, _since does.
    stmt = (select(Alert.id, Alert.patient_id, Alert.kind, Alert.opened_at)
            .where(_in(Alert.patient_id, scope), Alert.status == "open").order_by(Alert.id))
    for r in _rows(session, _since(stmt, Alert.opened_at, window)):
        yield fr.flag(r.id, r.patient_id, r.kind, r.opened_at)


def _detected_issues(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    stmt = (select(Alert.id, Alert.patient_id, Alert.kind, Alert.status, Alert.opened_at, Alert.details)
            .where(_in(Alert.patient_id, scope), Alert.kind.in_(_ASSESSED_KINDS)).order_by(Alert.id))
    stmt = _since(_between(stmt, Alert.opened_at, window), Alert.opened_at, window)
    for r in _rows(session, stmt):
        details = r.details or {}
        if fr.is_risk(r.kind, details):
            yield fr.detected_issue(r.id, r.patient_id, r.kind, r.status, r.opened_at, details)


def _communications(session: Session, scope: Scope, window: Window) -> Iterator[dict[str, Any]]:
    # Messages that left (or that the provider refused): not the queued ones, nor those cancelled
    # before sending (an alert acknowledged first).
    stmt = (select(Notification.id, Notification.patient_id, Notification.kind, Notification.channel,
                   Notification.recipient_kind, Notification.status, Notification.error_code, Notification.body,
                   Notification.created_at, Notification.sent_at)
            .where(_in(Notification.patient_id, scope),
                   or_(Notification.sent_at.is_not(None), Notification.status == "failed"))
            .order_by(Notification.id))
    stmt = _between(stmt, Notification.created_at, window)
    if window.since is not None:
        stmt = stmt.where(or_(Notification.updated_at >= window.since, Notification.created_at >= window.since))
    for r in _rows(session, stmt):
        yield fr.communication(r.id, r.patient_id, r.kind, r.channel, r.recipient_kind, r.status, r.error_code,
                               r.body, r.created_at, r.sent_at)


def ndjson(session: Session, type_: str, scope: Scope, window: Window = Window()) -> Iterator[str]:
    """:func:`stream` as lines of JSON (no newline), for the bulk export's files. Vital signs, most
    of an export, take ``fr.vital_line`` (the same resource, written from pre-encoded parts)."""
    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    if type_ == "Observation":
        line = fr.vital_line
        for r in _rows(session, _readings(scope, window)):
            text = line(r.id, r.patient_id, r.kind, r.value, r.measured_at, r.device_id)
            if text is not None:
                yield text
        for resource in _checkins(session, scope, window):
            yield encode(_identified(resource))
        return
    for resource in stream(session, type_, scope, window):
        yield encode(resource)


_READERS = {
    "Patient": _patients, "Device": _devices, "MedicationRequest": _medication_requests,
    "MedicationAdministration": _medication_administrations, "Observation": _observations, "Flag": _flags,
    "DetectedIssue": _detected_issues, "Communication": _communications,
}


# -- one patient's record as a Bundle -------------------------------------------------------------


def everything(session: Session, patient_id: int, base: str, window: Window = Window(),
               types: Sequence[str] = TYPES, transaction: bool = False) -> dict[str, Any]:
    """``Patient/{id}/$everything``: a searchset Bundle whose fullUrls are ``{base}/{Type}/{id}``,
    so every relative reference inside (``Patient/7``) resolves to an entry of the Bundle.

    ``transaction``: the same resources as a transaction Bundle for another FHIR server. Each entry
    is a conditional update on dosewatch's identifier (created the first time, updated when sent
    again) and its fullUrl a ``urn:uuid`` (derived from the resource's URL here, so stable across
    exports) that the references use, so the server links them to the ids it assigns.
    """
    resources = [r for t in types for r in stream(session, t, [patient_id], window)]
    if not transaction:
        entries = [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
                   for r in resources]
        return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}
    keys = [f"{r['resourceType']}/{r['id']}" for r in resources]
    urns = {key: f"urn:uuid:{uuid5(NAMESPACE_URL, f'{base}/{key}')}" for key in keys}
    entries = []
    for r in resources:
        key = f"{r['resourceType']}/{r['id']}"
        ours = r["identifier"][0]
        body = _rewrite(r, urns)
        body.pop("id")
        entries.append({"fullUrl": urns[key], "resource": body,
                        "request": {"method": "PUT",
                                    "url": f"{r['resourceType']}?identifier={ours['system']}|{ours['value']}"}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _rewrite(value: Any, urns: dict[str, str]) -> Any:
    """``value`` with each ``reference`` to a resource of the Bundle replaced by that entry's urn."""
    if isinstance(value, dict):
        return {k: (urns.get(v, v) if k == "reference" and isinstance(v, str) else _rewrite(v, urns))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, urns) for v in value]
    return value

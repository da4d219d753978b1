"""Symptom check-ins: store how the patient feels, once per idempotency key.

:func:`record_checkin` is the one entry point for a check-in, whichever way it arrives (API now,
SMS later): red-flag evaluation belongs inside it, so no path can store a check-in unevaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, is_known
from alerts.models import CheckIn, Patient
from alerts.services.clinical import ClinicalPolicy, evaluate_checkin
from alerts.services.doses import IdempotencyConflict
from alerts.services.sql import insert_ignore

SUPPLY_PROBLEMS = ("ran_out", "no_refill")

__all__ = ["CheckInRecorded", "IdempotencyConflict", "record_checkin"]


@dataclass
class CheckInRecorded:
    checkin: CheckIn
    replayed: bool
    notification_ids: tuple[int, ...] = ()


def record_checkin(session: Session, patient: Patient, *, recorded_at: datetime, symptoms: Mapping[str, int],
                   note: str | None, source: str, now: datetime, idempotency_key: str | None = None,
                   request_hash: str | None = None, supply_problem: str | None = None,
                   policy: ClinicalPolicy | None = None) -> CheckInRecorded:
    """Store a check-in and act on it (flushed; the caller commits). Returns outbox ids the caller
    must kick: a red flag's emergency messages are among them, written in this same transaction.

    A replay (same idempotency key and body hash) returns the original check-in and stores nothing;
    the same key with a different body raises :class:`IdempotencyConflict`. Two concurrent first
    requests with one key: the unique (patient, idempotency_key) lets one insert win; the other
    waits for it to commit, inserts nothing, and replays it.
    """
    # The wire schema checks these too; repeated here because this function is the contract for
    # every caller, and the clinical rules downstream trust the keys and the 0-10 range.
    for key, severity in symptoms.items():
        if not is_known(key):
            raise ValueError(f"unknown symptom {key!r}")
        if not SEVERITY_MIN <= severity <= SEVERITY_MAX:
            raise ValueError(f"severity of {key} must be {SEVERITY_MIN}-{SEVERITY_MAX}")
    if supply_problem is not None and supply_problem not in SUPPLY_PROBLEMS:
        raise ValueError(f"supply_problem must be one of {', '.join(SUPPLY_PROBLEMS)}")

    row = {"patient_id": patient.id, "recorded_at": recorded_at, "symptoms": dict(symptoms), "note": note,
           "supply_problem": supply_problem, "source": source, "idempotency_key": idempotency_key,
           "request_hash": request_hash, "received_at": now}
    # Insert first, look up only on a conflict: a new check-in (nearly all of them) costs one
    # statement, and a replay or a concurrent twin finds the row that won.
    inserted = insert_ignore(session, CheckIn.__table__, [row], returning=CheckIn.id)
    if not inserted:
        original = session.scalar(select(CheckIn).where(CheckIn.patient_id == patient.id,
                                                        CheckIn.idempotency_key == idempotency_key))
        if original is None:  # cannot happen: only the idempotency key is unique
            raise RuntimeError(f"check-in for patient {patient.id} was neither stored nor found")
        if request_hash and original.request_hash and original.request_hash != request_hash:
            raise IdempotencyConflict(str(idempotency_key))
        return CheckInRecorded(original, replayed=True)
    checkin = CheckIn(id=inserted[0], **row)  # what was stored; the rules read it, not the session
    ids = evaluate_checkin(session, patient, checkin, now, policy or ClinicalPolicy())
    return CheckInRecorded(checkin, replayed=False, notification_ids=tuple(ids))

"""Symptom check-ins: store how the patient feels, once per idempotency key.

:func:`record_checkin` is the one entry point for a check-in, whichever way it arrives (API now,
SMS later): red-flag evaluation belongs inside it, so no path can store a check-in unevaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, false, select, true, union_all, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, is_known
from alerts.models import CheckIn, Patient
from alerts.domain.clinical.history import CheckInRecord
from alerts.services.clinical import ClinicalPolicy, checkin_lookback, evaluate_checkin
from alerts.services.doses import IdempotencyConflict
from alerts.services.sql import insert_ignore

SUPPLY_PROBLEMS = ("ran_out", "no_refill")

__all__ = ["CheckInRecorded", "IdempotencyConflict", "record_checkin"]


@dataclass
class CheckInRecorded:
    checkin: CheckIn
    replayed: bool
    notification_ids: tuple[int, ...] = ()
    # The alert this check-in raised, or joined, or found already open for its signs.
    alert_id: int | None = None


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
    policy = policy or ClinicalPolicy()
    recent = None
    if session.get_bind().dialect.name == "postgresql":
        new_id, recent = _insert_reading_recent(session, row, now - checkin_lookback(patient, policy), now)
        inserted = [new_id] if new_id is not None else []
    else:
        inserted = insert_ignore(session, CheckIn.__table__, [row], returning=CheckIn.id)
    if not inserted:
        original = session.scalar(select(CheckIn).where(CheckIn.patient_id == patient.id,
                                                        CheckIn.idempotency_key == idempotency_key))
        if original is None:  # cannot happen: only the idempotency key is unique
            raise RuntimeError(f"check-in for patient {patient.id} was neither stored nor found")
        if request_hash and original.request_hash and original.request_hash != request_hash:
            raise IdempotencyConflict(str(idempotency_key))
        return CheckInRecorded(original, replayed=True, alert_id=original.alert_id)
    checkin = CheckIn(id=inserted[0], **row)  # what was stored; the rules read it, not the session
    alert_id, ids = evaluate_checkin(session, patient, checkin, now, policy, recent)
    if alert_id is not None:
        checkin.alert_id = alert_id
        session.execute(update(CheckIn).where(CheckIn.id == checkin.id).values(alert_id=alert_id)
                        .execution_options(synchronize_session=False))
    return CheckInRecorded(checkin, replayed=False, notification_ids=tuple(ids), alert_id=alert_id)


# PostgreSQL: the insert and the read of what the rules judge the new check-in against, in one
# statement, one round trip. The outer SELECTs see the table as it was before the INSERT in the same
# statement, so the new row comes from the CTE and never twice.
#
# The read is bounded, whatever the patient's history: a check-in's rules (``evaluate_checkin``)
# read only the check-in just before the new one (``_triage``: "new or worsening"), the latest two
# (``_worsening_twitches``, within its own window) and which supply problems were reported
# (``_supply``, within its own window). So: the latest two, the latest at or before the new one's
# time, and the latest report of each supply problem (through the partial index
# ``ix_checkin_patient_supply``), all within the look-back. No other check-in in the window could
# change what those rules answer.
_COLUMNS = ("patient_id", "recorded_at", "symptoms", "note", "supply_problem", "source", "idempotency_key",
            "request_hash", "received_at")
_NEW = (postgresql.insert(CheckIn.__table__).values({c: bindparam(c) for c in _COLUMNS})
        .on_conflict_do_nothing()
        .returning(CheckIn.id, CheckIn.recorded_at, CheckIn.symptoms, CheckIn.supply_problem)
        .cte("new_checkin"))
_MINE = (CheckIn.patient_id == bindparam("patient_id"), CheckIn.recorded_at >= bindparam("since"),
         CheckIn.recorded_at <= bindparam("now"))
_EXISTING = (CheckIn.id, CheckIn.recorded_at, CheckIn.symptoms, CheckIn.supply_problem, false())
RECENT_LIMIT = 2  # the latest two: what "worsening" compares
_INSERT_READING_RECENT = union_all(
    select(_NEW.c.id, _NEW.c.recorded_at, _NEW.c.symptoms, _NEW.c.supply_problem, true().label("is_new")),
    select(*_EXISTING).where(*_MINE).order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc()).limit(RECENT_LIMIT),
    select(*_EXISTING).where(*_MINE, CheckIn.recorded_at <= bindparam("recorded_at"))
    .order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc()).limit(1),
    *(select(*_EXISTING).where(*_MINE, CheckIn.supply_problem.is_not(None), CheckIn.supply_problem == kind)
      .order_by(CheckIn.recorded_at.desc()).limit(1) for kind in SUPPLY_PROBLEMS),
)


def _insert_reading_recent(session: Session, row: Mapping[str, object], since: datetime, now: datetime,
                           ) -> tuple[int | None, list[tuple[int, CheckInRecord, str | None]]]:
    """Insert ``row`` (unless its idempotency key is taken); return its id (None if not inserted)
    and, of the patient's check-ins recorded in [since, now], oldest first and the new one included,
    those the check-in rules read (see above)."""
    # Core on the session's connection: no ORM entities here, so nothing for the ORM layer to do
    # (after a flush, so the statement sees whatever the caller added first, as session.execute would).
    session.flush()
    rows = session.connection().execute(_INSERT_READING_RECENT, {**row, "since": since, "now": now}).all()
    new_id = next((r.id for r in rows if r.is_new), None)
    recent = list({r.id: (r.id, CheckInRecord(r.recorded_at, r.symptoms or {}), r.supply_problem) for r in rows
                   if since <= r.recorded_at <= now}.values())
    recent.sort(key=lambda item: (item[1].recorded_at, item[0]))
    return new_id, recent

"""Symptom check-ins: store how the patient feels, once per idempotency key.

:func:`record_checkin` is the one entry point for a check-in, whichever way it arrives (API now,
SMS later): red-flag evaluation belongs inside it, so no path can store a check-in unevaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ARRAY, Integer, Subquery, bindparam, false, func, select, true, union_all, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, is_known
from alerts.models import CheckIn, Patient
from alerts.domain.clinical.history import CheckInRecord
from alerts.services.clinical import (
    ClinicalPolicy,
    checkin_lookback,
    evaluate_checkin,
    first_look,
    settings_for,
    split_recent,
)
from alerts.services.doses import IdempotencyConflict
from alerts.services.sql import insert_ignore

SUPPLY_PROBLEMS = ("ran_out", "no_refill")

__all__ = ["RULES_READ", "CheckInRecorded", "IdempotencyConflict", "record_checkin", "store_if_quiet"]


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
    _check(symptoms, supply_problem)

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


def _check(symptoms: Mapping[str, int], supply_problem: str | None) -> None:
    # The wire schema checks these too; repeated here because these functions are the contract for
    # every caller, and the clinical rules downstream trust the keys and the 0-10 range.
    for key, severity in symptoms.items():
        if not is_known(key):
            raise ValueError(f"unknown symptom {key!r}")
        if not SEVERITY_MIN <= severity <= SEVERITY_MAX:
            raise ValueError(f"severity of {key} must be {SEVERITY_MIN}-{SEVERITY_MAX}")
    if supply_problem is not None and supply_problem not in SUPPLY_PROBLEMS:
        raise ValueError(f"supply_problem must be one of {', '.join(SUPPLY_PROBLEMS)}")


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
    return new_id, _in_window(((r.id, r.recorded_at, r.symptoms, r.supply_problem) for r in rows), since, now)


def _in_window(rows: Iterable[tuple[int, datetime, Mapping[str, int] | None, str | None]], since: datetime,
               now: datetime) -> list[tuple[int, CheckInRecord, str | None]]:
    """(id, record, supply problem) of the rows recorded in [since, now], once each, oldest first."""
    recent = list({cid: (cid, CheckInRecord(at, dict(symptoms or {})), supply) for cid, at, symptoms, supply in rows
                   if since <= at <= now}.values())
    recent.sort(key=lambda item: (item[1].recorded_at, item[0]))
    return recent


# -- PostgreSQL: a check-in that raises nothing, stored in one statement, outside a transaction ----
#
# Nearly every check-in is an everyday one that raises nothing, and it waited on four round trips:
# BEGIN, the token lookup, the insert with its read, COMMIT. Such a check-in is now read, judged and
# stored in two statements on an autocommit connection. (That cuts its latency, not its CPU: BEGIN
# and COMMIT cost little of either side's, and the condition in 3 reads again; bench/README.md.)
#
# 1. ``RULES_READ`` rides in the token's own lookup (``alerts.api.auth``): the patient's latest two
#    check-ins and the latest report of each supply problem, recorded up to ``now``. Unlike the
#    insert's read it has no lower bound (the look-back depends on the patient's settings, read in
#    the same statement); the limits keep it to at most four rows, and those outside the look-back
#    are dropped here. The latest two also answer "the latest at or before the new one" whenever the
#    new one is not older than the latest; a back-dated check-in takes the transaction instead.
# 2. The pure rules (``clinical.first_look``) judge the new check-in against them, in Python.
# 3. If it raises nothing, ``_INSERT_IF_UNCHANGED`` stores it, on one condition checked in the same
#    statement: the read, run again, still finds exactly the rows the rules were given. A check-in
#    committed for the patient in between (which today's single insert-and-read statement would
#    have seen) fails it, and so does the idempotency key's conflict; either way nothing is stored
#    and the caller runs ``record_checkin`` in a transaction, which re-reads, judges, and answers a
#    replay. So a check-in stored here was judged on the very rows the transaction would have read
#    at that instant, and it raised nothing: there is no alert that a crash could separate from it.
# Anything that does raise something goes through ``record_checkin``: check-in, alert and outbox
# rows in one transaction, as before.
def _rules_read() -> Subquery:
    mine = (CheckIn.patient_id == bindparam("patient_id"), CheckIn.recorded_at <= bindparam("now"))
    columns = (CheckIn.id, CheckIn.recorded_at, CheckIn.symptoms, CheckIn.supply_problem)
    newest_first = (CheckIn.recorded_at.desc(), CheckIn.id.desc())
    return union_all(
        select(*columns).where(*mine).order_by(*newest_first).limit(RECENT_LIMIT),
        # By time alone, as the insert's read: the partial index then hands over one row, where a
        # tie-break on id would sort every report the patient ever made. (Two reports of one kind at
        # one instant could come back in either order: the check below then fails, and the
        # transaction judges the check-in instead.)
        *(select(*columns).where(*mine, CheckIn.supply_problem.is_not(None), CheckIn.supply_problem == kind)
          .order_by(CheckIn.recorded_at.desc()).limit(1) for kind in SUPPLY_PROBLEMS),
    ).subquery()


_READ = _rules_read()
_UNSTORED = 2**63 - 1  # the new check-in's id while it is judged: after every stored one, as its own will be
# One JSON value, so it fits in the token lookup's single row: [[id, recorded_at, symptoms, supply], ...].
RULES_READ: ScalarSelect[object] = select(func.json_agg(func.json_build_array(
    _READ.c.id, _READ.c.recorded_at, _READ.c.symptoms, _READ.c.supply_problem))).scalar_subquery()
_AGAIN = _rules_read()
_UNCHANGED = (select(func.array_agg(postgresql.aggregate_order_by(_AGAIN.c.id, _AGAIN.c.id))).scalar_subquery()
              .is_not_distinct_from(bindparam("seen", type_=ARRAY(Integer))))
_INSERT_IF_UNCHANGED = (
    postgresql.insert(CheckIn.__table__)
    # Typed parameters: the driver casts each (``%(recorded_at)s::TIMESTAMP WITH TIME ZONE``), which
    # a SELECT list needs where a VALUES list would take the columns' types.
    .from_select(_COLUMNS, select(*(bindparam(c, type_=CheckIn.__table__.c[c].type) for c in _COLUMNS))
                 .where(_UNCHANGED))
    .on_conflict_do_nothing()
    .returning(CheckIn.id)
)


def store_if_quiet(session: Session, patient: Patient, read: list[list[object]] | None, *, recorded_at: datetime,
                   symptoms: Mapping[str, int], note: str | None, source: str, now: datetime,
                   idempotency_key: str | None, request_hash: str | None, supply_problem: str | None,
                   policy: ClinicalPolicy) -> CheckInRecorded | None:
    """Store a new check-in in one autocommit statement if it raises nothing (see above); None when
    it must go through :func:`record_checkin` instead (it raises something, it is back-dated, it is
    a replay or a concurrent twin, or the patient's check-ins changed since ``read``).

    ``session`` is on an autocommit connection (``alerts.db.use_autocommit``); ``read`` is what
    ``RULES_READ`` returned in it with this ``now``. The symptoms are validated by the schema and
    checked again by :func:`record_checkin` on every other path; here too, as its contract says."""
    _check(symptoms, supply_problem)
    rows = [(int(cid), datetime.fromisoformat(str(at)), sym, supply) for cid, at, sym, supply in (read or [])]
    if any(at > recorded_at for _, at, _, _ in rows):
        return None  # back-dated: triage reads the check-in just before it, which this read may not hold
    row = {"patient_id": patient.id, "recorded_at": recorded_at, "symptoms": dict(symptoms), "note": note,
           "supply_problem": supply_problem, "source": source, "idempotency_key": idempotency_key,
           "request_hash": request_hash, "received_at": now}
    # Judged as record_checkin judges it once stored: among the rows read, under an id after theirs.
    checkin = CheckIn(id=_UNSTORED, **row)
    recent = _in_window([*rows, (_UNSTORED, recorded_at, symptoms, supply_problem)],
                        now - checkin_lookback(patient, policy), now)
    mine, reports = split_recent(recent)
    _, risks, level = first_look(patient, checkin, mine, reports, now, settings_for(patient, policy))
    if level != "none" or risks:
        return None
    seen = sorted(cid for cid, _, _, _ in rows) or None
    # Core on the session's connection, as the insert above: no ORM entities, nothing for the ORM to do.
    new_id = session.connection().execute(_INSERT_IF_UNCHANGED, {**row, "now": now, "seen": seen}).scalar()
    if new_id is None:
        return None
    checkin.id = new_id
    return CheckInRecorded(checkin, replayed=False)

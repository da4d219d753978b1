"""Symptom check-ins: store how the patient feels, once per idempotency key.

:func:`record_checkin` is the one entry point for a check-in, whichever way it arrives (API now,
SMS later): red-flag evaluation belongs inside it, so no path can store a check-in unevaluated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from psycopg.rows import namedtuple_row
from pydantic_core import from_json
from sqlalchemy import Connection, Dialect, Text, bindparam, cast, false, select, true, union_all, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, is_known
from alerts.models import CheckIn, Patient
from alerts.domain.clinical.history import CheckInRecord
from alerts.services.clinical import (
    ClinicalPolicy,
    PatientFacts,
    checkin_lookback,
    default_checkin_lookback,
    evaluate_checkin,
)
from alerts.services.doses import IdempotencyConflict
from alerts.services.sql import driver_errors, insert_ignore
from alerts.services.tokens import granted_patient

SUPPLY_PROBLEMS = ("ran_out", "no_refill")

__all__ = ["CheckInRecorded", "IdempotencyConflict", "StoredCheckIn", "record_checkin", "record_checkin_for_token"]


@dataclass
class StoredCheckIn:
    """A check-in just stored, as the rules and the caller's answer read it: its columns, without an
    ORM object (building one cost more than the rules that read it; it is never read back)."""

    id: int
    patient_id: int
    recorded_at: datetime
    symptoms: dict[str, int]
    note: str | None
    supply_problem: str | None
    source: str
    idempotency_key: str | None
    request_hash: str | None
    received_at: datetime
    alert_id: int | None = None


@dataclass
class CheckInRecorded:
    checkin: CheckIn | StoredCheckIn  # a replay's original row, or the check-in just stored
    replayed: bool
    notification_ids: tuple[int, ...] = ()
    # The alert this check-in raised, or joined, or found already open for its signs.
    alert_id: int | None = None


def record_checkin(session: Session, patient: Patient, *, recorded_at: datetime, symptoms: Mapping[str, int],
                   note: str | None, source: str, now: datetime, idempotency_key: str | None = None,
                   request_hash: str | None = None, supply_problem: str | None = None,
                   policy: ClinicalPolicy) -> CheckInRecorded:
    """Store a check-in and act on it (flushed; the caller commits). Returns outbox ids the caller
    must kick: a red flag's emergency messages are among them, written in this same transaction.

    A replay (same idempotency key and body hash) returns the original check-in and stores nothing;
    the same key with a different body raises :class:`IdempotencyConflict`. Two concurrent first
    requests with one key: the unique (patient, idempotency_key) lets one insert win; the other
    waits for it to commit, inserts nothing, and replays it.
    """
    row = _row(patient.id, recorded_at=recorded_at, symptoms=symptoms, note=note, source=source, now=now,
               idempotency_key=idempotency_key, request_hash=request_hash, supply_problem=supply_problem)
    # Insert first, look up only on a conflict: a new check-in (nearly all of them) costs one
    # statement, and a replay or a concurrent twin finds the row that won.
    recent = None
    if session.get_bind().dialect.name == "postgresql":
        since = now - checkin_lookback(patient, policy)
        rows = _insert_reading_recent(session, row, since, now)
        new_id, recent = _new_and_recent(rows, since, now)
    else:
        inserted = insert_ignore(session, CheckIn.__table__, [row], returning=CheckIn.id)
        new_id = inserted[0] if inserted else None
    return _judge(session, patient, row, new_id, recent, now, policy)


def record_checkin_for_token(connection: Connection, token_hash: str, roles: Collection[str], patient_id: int, *,
                             recorded_at: datetime, symptoms: Mapping[str, int], note: str | None, source: str,
                             now: datetime, idempotency_key: str | None = None, request_hash: str | None = None,
                             supply_problem: str | None = None, policy: ClinicalPolicy) -> CheckInRecorded | None:
    """PostgreSQL: :func:`record_checkin` for whoever holds the token with hash ``token_hash``, the
    token checked in the statement that stores the check-in (``tokens.granted_patient``): the live
    token must have one of ``roles`` and may act for ``patient_id``. One statement checks the token,
    inserts, and reads what the rules compare and the patient columns they read, instead of a token
    query (the token and patient as ORM objects) before it.

    None when the token may not (unknown, revoked, another role, another patient's, no such
    patient): nothing was stored, and the caller answers as it would any refused token. Otherwise
    as :func:`record_checkin`: a replay, a conflicting key, an alert raised with its messages, all
    in ``connection``'s transaction, which the caller commits. (A connection, not a session: an
    ORM session joins its transaction only when there is a replay to find or something to raise.)"""
    row = _row(patient_id, recorded_at=recorded_at, symptoms=symptoms, note=note, source=source, now=now,
               idempotency_key=idempotency_key, request_hash=request_hash, supply_problem=supply_problem)
    # The statement reads check-ins over the default look-back: the patient's own (a clinician's
    # overrides) is known only from the row the statement returns.
    default_since = now - default_checkin_lookback(policy)
    rows = _execute_for_token(connection, {**row, "since": default_since, "now": now, "token_hash": token_hash,
                                           "roles": sorted(roles)})
    if not rows:
        return None
    first = rows[0]
    patient = PatientFacts(patient_id, _json(first.clinical_settings), bool(first.renal_impairment),
                           bool(first.intrathecal_pump))
    # Without a clinician's overrides the patient's look-back is the default one, already known.
    since = now - checkin_lookback(patient, policy) if patient.clinical_settings else default_since
    new_id, recent = _new_and_recent([r for r in rows if r.id is not None], since, now, loads=_json)
    if since < default_since:
        # A longer look-back than the default: the read above may have missed the one before, so
        # the rules read the patient's check-ins themselves (evaluate_checkin, recent=None). A
        # shorter one needs nothing more: its rows are the newest of those read (see below).
        recent = None
    # Joins the connection's transaction (begun by the statement above) only if it is used: a
    # replay to look up, or something to raise. Unused (nearly every check-in), it holds nothing
    # and is simply dropped: closing it cost more than everything else it did.
    session = Session(bind=connection)
    try:
        recorded = _judge(session, patient, row, new_id, recent, now, policy)
        if session.in_transaction():
            session.flush()
        return recorded
    finally:
        if session.in_transaction():
            session.close()


def _row(patient_id: int, *, recorded_at: datetime, symptoms: Mapping[str, int], note: str | None, source: str,
         now: datetime, idempotency_key: str | None, request_hash: str | None,
         supply_problem: str | None) -> dict[str, Any]:
    # The wire schema checks these too; repeated here because this function is the contract for
    # every caller, and the clinical rules downstream trust the keys and the 0-10 range.
    for key, severity in symptoms.items():
        if not is_known(key):
            raise ValueError(f"unknown symptom {key!r}")
        if not SEVERITY_MIN <= severity <= SEVERITY_MAX:
            raise ValueError(f"severity of {key} must be {SEVERITY_MIN}-{SEVERITY_MAX}")
    if supply_problem is not None and supply_problem not in SUPPLY_PROBLEMS:
        raise ValueError(f"supply_problem must be one of {', '.join(SUPPLY_PROBLEMS)}")
    return {"patient_id": patient_id, "recorded_at": recorded_at, "symptoms": dict(symptoms), "note": note,
            "supply_problem": supply_problem, "source": source, "idempotency_key": idempotency_key,
            "request_hash": request_hash, "received_at": now}


def _judge(session: Session, patient: Patient | PatientFacts, row: dict[str, Any], new_id: int | None,
           recent: list[tuple[int, CheckInRecord, str | None]] | None, now: datetime,
           policy: ClinicalPolicy) -> CheckInRecorded:
    """A replay's original, or the stored check-in with what the rules made of it."""
    if new_id is None:
        key = row["idempotency_key"]
        original = session.scalar(select(CheckIn).where(CheckIn.patient_id == patient.id,
                                                        CheckIn.idempotency_key == key))
        if original is None:  # cannot happen: only the idempotency key is unique
            raise RuntimeError(f"check-in for patient {patient.id} was neither stored nor found")
        if row["request_hash"] and original.request_hash and original.request_hash != row["request_hash"]:
            raise IdempotencyConflict(str(key))
        return CheckInRecorded(original, replayed=True, alert_id=original.alert_id)
    checkin = StoredCheckIn(id=new_id, **row)  # what was stored; the rules read it, not the session
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
#
# Each of those is "the newest rows, newest first" within [since, now]. The rows of a later
# ``since`` are a prefix of them, so reading with an earlier ``since`` and dropping what is older
# than the later one gives exactly what the later one would have read (``_new_and_recent``).
_COLUMNS = ("patient_id", "recorded_at", "symptoms", "note", "supply_problem", "source", "idempotency_key",
            "request_hash", "received_at")
_RETURNED = (CheckIn.id, CheckIn.recorded_at, CheckIn.symptoms, CheckIn.supply_problem)
_MINE = (CheckIn.patient_id == bindparam("patient_id"), CheckIn.recorded_at >= bindparam("since"),
         CheckIn.recorded_at <= bindparam("now"))
_EXISTING = (*_RETURNED, false().label("is_new"))
RECENT_LIMIT = 2  # the latest two: what "worsening" compares
_READS = (
    select(*_EXISTING).where(*_MINE).order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc()).limit(RECENT_LIMIT),
    select(*_EXISTING).where(*_MINE, CheckIn.recorded_at <= bindparam("recorded_at"))
    .order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc()).limit(1),
    *(select(*_EXISTING).where(*_MINE, CheckIn.supply_problem.is_not(None), CheckIn.supply_problem == kind)
      .order_by(CheckIn.recorded_at.desc()).limit(1) for kind in SUPPLY_PROBLEMS),
)
_NEW = (postgresql.insert(CheckIn.__table__).values({c: bindparam(c) for c in _COLUMNS})
        .on_conflict_do_nothing()
        .returning(*_RETURNED)
        .cte("new_checkin"))
_INSERT_READING_RECENT = union_all(
    select(_NEW.c.id, _NEW.c.recorded_at, _NEW.c.symptoms, _NEW.c.supply_problem, true().label("is_new")),
    *_READS,
)

# The same, for a token (``record_checkin_for_token``): the INSERT takes its patient from the
# token's grant, so it inserts nothing unless the token may; the reads run once per grant row (none
# or one), beside the patient columns the first look reads.
_GRANTED = granted_patient(Patient.id, Patient.clinical_settings, Patient.renal_impairment,
                           Patient.intrathecal_pump).cte("granted")
_NEW_GRANTED = (postgresql.insert(CheckIn.__table__)
                .from_select(_COLUMNS, select(_GRANTED.c.id, *(bindparam(c, type_=CheckIn.__table__.c[c].type)
                                                               for c in _COLUMNS[1:])))
                .on_conflict_do_nothing()
                .returning(*_RETURNED)
                .cte("new_granted_checkin"))
_RECENT_GRANTED = union_all(
    select(_NEW_GRANTED.c.id, _NEW_GRANTED.c.recorded_at, _NEW_GRANTED.c.symptoms, _NEW_GRANTED.c.supply_problem,
           true().label("is_new")),
    *_READS,
).lateral("recent")
# The two JSON columns come back as their text (``_json``): psycopg's JSON loader parses bytes
# with ``json.loads`` (5 us a value, four values a check-in); the text is parsed here by
# pydantic-core's parser (0.4 us), into the same values, and the patient's settings once, not once a row.
_INSERT_FOR_TOKEN = (
    select(cast(_GRANTED.c.clinical_settings, Text).label("clinical_settings"), _GRANTED.c.renal_impairment,
           _GRANTED.c.intrathecal_pump, _RECENT_GRANTED.c.id, _RECENT_GRANTED.c.recorded_at,
           cast(_RECENT_GRANTED.c.symptoms, Text).label("symptoms"), _RECENT_GRANTED.c.supply_problem,
           _RECENT_GRANTED.c.is_new)
    .select_from(_GRANTED.outerjoin(_RECENT_GRANTED, true()))
)


def _json(text: str | None) -> Any:
    """A JSON column read as text (``_INSERT_FOR_TOKEN``), as psycopg's JSON loader would give it."""
    return None if text is None else from_json(text)


@lru_cache(maxsize=8)
def _for_token_sql(dialect: Dialect, roles: tuple[str, ...]) -> str:
    """``_INSERT_FOR_TOKEN`` as the driver's SQL text for a token with one of ``roles``, compiled
    once per dialect and roles.

    Its constants (the limits, the supply problems, the admin role) and the route's roles are
    written into the text as SQL literals rather than sent as parameters: they are the same on
    every execution, and the driver converted each one again on every check-in (the roles, a list,
    element by element into an array). All of them come from this code, never from a request."""
    compiled = _INSERT_FOR_TOKEN.compile(dialect=dialect)
    sql = compiled.string
    for bind, name in compiled.bind_names.items():
        if name == "roles":
            value: Any = list(roles)
        elif bind.required:
            continue  # a value of the request's
        else:
            value = bind.value
        literal = bind.type.literal_processor(dialect)(value)
        if "%" in literal:  # pragma: no cover - the driver would read it as a placeholder
            raise ValueError(f"constant {name} = {value!r} cannot be inlined")
        sql = sql.replace(f"%({name})s", literal)
    return sql


def for_token_statement(dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The token's insert-and-read as the driver runs it: SQL text and parameters (also for
    ``bench/ingest.py --explain``). ``params["roles"]``: the roles the token may have."""
    values = {**params, "symptoms": json.dumps(params["symptoms"])}
    return _for_token_sql(dialect, tuple(sorted(values.pop("roles")))), values


def _execute_for_token(connection: Connection, params: dict[str, Any]) -> list[Any]:
    """Run ``_INSERT_FOR_TOKEN`` with ``params`` in ``connection``'s transaction: its rows.

    On the driver's cursor, compiled once (``_for_token_sql``): the statement runs once per
    check-in, and SQLAlchemy's per-execution work around it (the cache key, a bind processor per
    parameter, the result's metadata and a processor per value) cost more of the app's CPU than
    psycopg's own (callgrind: 0.5 M of a check-in's 3.6 M instructions; ``exec_driver_sql`` saved
    only a third of it, building result metadata anew each time). What SQLAlchemy did is done
    here: the types (JSON serialised, the SQL casts it; instants bound aware, in UTC, as ``_row``
    has them, and read back in UTC as ``UTCDateTime`` would: ``_new_and_recent``), the transaction
    (begun on ``connection``, so its ``commit()`` and ``rollback()`` act), and a driver error
    raised as SQLAlchemy raises it (``IntegrityError``, ``OperationalError``... with the
    parameters hidden as the engine hides them; a dead connection invalidated), so callers and
    the error handlers see what they always saw. Not done: cursor events (no listener in the
    application; ``bench/ingest.py --explain`` traces this statement itself)."""
    sql, params = for_token_statement(connection.dialect, params)
    if not connection.in_transaction():
        connection.begin()
    # The cursor is opened inside too: on a connection already known to be broken, psycopg refuses
    # to open one (an OperationalError), and that is an outage as much as a failed statement.
    raw = connection.connection.driver_connection
    with driver_errors(connection, sql, params), raw.cursor(row_factory=namedtuple_row) as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _insert_reading_recent(session: Session, row: Mapping[str, object], since: datetime, now: datetime) -> list[Any]:
    """Insert ``row`` (unless its idempotency key is taken) and read the patient's recent check-ins
    (see above): the statement's rows."""
    # Core on the session's connection: no ORM entities here, so nothing for the ORM layer to do
    # (after a flush, so the statement sees whatever the caller added first, as session.execute would).
    session.flush()
    return session.connection().execute(_INSERT_READING_RECENT, {**row, "since": since, "now": now}).all()


def _new_and_recent(rows: Sequence[Any], since: datetime, now: datetime, loads: Callable[[Any], Any] | None = None,
                    ) -> tuple[int | None, list[tuple[int, CheckInRecord, str | None]]]:
    """The new check-in's id (None if not inserted) and, of the rows read, the patient's check-ins
    recorded in [since, now], oldest first and the new one included. ``loads``: what turns a row's
    ``symptoms`` into the mapping (the token's statement reads them as JSON text)."""
    new_id = next((r.id for r in rows if r.is_new), None)
    # In UTC, as ``UTCDateTime`` reads them (the token's statement reads them raw, in the session's zone).
    # Each id once (the reads overlap), its symptoms parsed once.
    kept = {r.id: r for r in rows if since <= r.recorded_at <= now}
    recent = [(r.id, CheckInRecord(r.recorded_at.astimezone(UTC), (loads(r.symptoms) if loads else r.symptoms) or {}),
               r.supply_problem) for r in kept.values()]
    recent.sort(key=lambda item: (item[1].recorded_at, item[0]))
    return new_id, recent

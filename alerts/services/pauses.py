"""Pausing a patient's missed-dose alerts over a period (a hospital stay, a respite week).

A pause stops missed-dose reminders and their escalation, and the dose-pattern warnings that
only mean "no dose was seen" (missed in a row, no dose for a window; ``clinical.run_clinical_checks``):
in hospital others give the doses. The dose is still recorded as missed (the history stays true),
and every other clinical alert, above all the emergencies a device or a check-in raises, goes out
as usual. Pauses are rows, not a flag: they start and end by themselves
and their history is kept.

A pause usually begins while a missed-dose alert is open: the dose was missed, the escalation began,
and the family phoned to say the patient is in hospital. That alert is closed when the pause begins
(``close_reason`` "paused"), so no later step and no text it still had queued (one held for a
caregiver's quiet hours) goes out about a dose others were giving; nor does it resume, days later,
when the pause ends.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Alert, AlertPause
from alerts.services.alerts import resolve_by_person

# The alerts a pause stops: missed-dose reminders and their escalation (``Alert.kind``).
PAUSED_KINDS = frozenset({"missed_dose"})


def paused_patient_ids(session: Session, patient_ids: Collection[int], now: datetime) -> set[int]:
    if not patient_ids:
        return set()
    return set(session.scalars(select(AlertPause.patient_id).where(
        AlertPause.patient_id.in_(list(patient_ids)), AlertPause.starts_at <= now, AlertPause.ends_at > now)))


def active_pause(session: Session, patient_id: int, now: datetime) -> AlertPause | None:
    return session.scalar(select(AlertPause).where(
        AlertPause.patient_id == patient_id, AlertPause.starts_at <= now, AlertPause.ends_at > now)
        .order_by(AlertPause.ends_at.desc()).limit(1))


def pause(session: Session, patient_id: int, *, starts_at: datetime, ends_at: datetime, reason: str,
          created_by: int | None, now: datetime) -> AlertPause:
    if ends_at <= starts_at:
        raise ValueError("a pause must end after it starts")
    row = AlertPause(patient_id=patient_id, starts_at=starts_at, ends_at=ends_at, reason=reason,
                     created_by=created_by, created_at=now)
    session.add(row)
    session.flush()
    # Begun now: stop what is open at once (a pause booked ahead is stopped by the tick when it begins).
    stop_paused(session, list(session.scalars(
        select(Alert).where(Alert.patient_id == patient_id, Alert.kind.in_(PAUSED_KINDS), Alert.status == "open")
        .order_by(Alert.id).with_for_update())), now)
    return row


def stop_paused(session: Session, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
    """Close each of these open alerts (locked by the caller) that a pause begun by ``now`` stops;
    return the others. Closed, an alert's queued texts are not sent (the sender's last-moment check)."""
    paused = paused_patient_ids(session, {a.patient_id for a in alerts if a.kind in PAUSED_KINDS}, now)
    if not paused:
        return list(alerts)
    rest = []
    for alert in alerts:
        if alert.kind in PAUSED_KINDS and alert.patient_id in paused:
            resolve_by_person(alert, "paused", now)
        else:
            rest.append(alert)
    return rest


def end_pause(row: AlertPause, now: datetime) -> None:
    """End a pause now (the patient is home early)."""
    if row.ends_at > now:
        row.ends_at = max(now, row.starts_at)

"""Pausing a patient's missed-dose alerts over a period (a hospital stay, a respite week).

A pause stops missed-dose reminders and their escalation, and the dose-pattern warnings that
only mean "no dose was seen" (missed in a row, no dose for a window; ``clinical.run_clinical_checks``):
in hospital others give the doses. The dose is still recorded as missed (the history stays true),
and every other clinical alert, above all the emergencies a device or a check-in raises, goes out
as usual. Pauses are rows, not a flag: they start and end by themselves
and their history is kept.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import AlertPause


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
    return row


def end_pause(row: AlertPause, now: datetime) -> None:
    """End a pause now (the patient is home early)."""
    if row.ends_at > now:
        row.ends_at = max(now, row.starts_at)

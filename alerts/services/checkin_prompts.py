"""The daily check-in prompt: "How are your twitches today, 0-10?" at a local time the patient chose.

The brief asks patients to "seek medical advice promptly" about twitches that are "new or
worsening"; a daily 0-10 answer is what lets the worsening-twitches rule see a trend without an
app. The prompt time is wall-clock in the patient's zone (``Patient.checkin_prompt_time``); the
next UTC instant is kept on the patient (``checkin_prompt_at``) and found by the tick through a
partial index, so the sweep's cost follows the prompts due, not the patients. DST follows the dose
schedule's rules (``alerts.domain.schedule.next_occurrence``): a time skipped by spring-forward
comes once just after the jump, a time repeated by fall-back comes once.

Exactly once per local day: the outbox row's dedupe key is the patient and the local date, and the
next prompt is planned strictly after now, so a tick that runs late (or twice) sends one prompt,
never a backlog.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.messages import render
from alerts.domain.schedule import next_occurrence
from alerts.models import Notification, Patient
from alerts.services.alerts import patient_recipient
from alerts.services.outbox import Message, queue_batches
from alerts.services.sql import skip_locked

KIND = "checkin_prompt"
# A bare number is read as the answer to a prompt sent within this long (the evening's prompt
# answered the next morning still counts; a stray "3" days later does not).
ANSWER_WINDOW = timedelta(hours=18)


def plan(patient: Patient, now: datetime) -> None:
    """Set the patient's next prompt instant from their prompt time and zone (None: no prompt)."""
    if patient.checkin_prompt_time and patient.phone:
        patient.checkin_prompt_at = next_occurrence([patient.checkin_prompt_time], patient.timezone, now).due_at
    else:
        patient.checkin_prompt_at = None


def send_due(session: Session, now: datetime, batch_size: int) -> tuple[int, list[int]]:
    """Claim one batch of patients whose prompt is due, queue each prompt, plan the next one.
    Returns (patients claimed, outbox ids)."""
    patients = list(session.scalars(
        select(Patient).where(Patient.checkin_prompt_at.is_not(None), Patient.checkin_prompt_at <= now)
        .order_by(Patient.checkin_prompt_at, Patient.id).limit(batch_size)
        .with_for_update(**skip_locked(session))
    ))
    batches = []
    for patient in patients:
        recipient = patient_recipient(patient)
        due = patient.checkin_prompt_at
        if recipient is not None and due is not None and patient.checkin_prompt_time:
            local_date = _latest_local_date(patient.checkin_prompt_time, patient.timezone, due, now)
            message = Message(dedupe_key=f"{KIND}:{patient.id}:{local_date.isoformat()}", recipient=recipient,
                              body=render(KIND, patient.language), kind=KIND)
            batches.append((patient.id, None, [message]))
        plan(patient, now)
    return len(patients), queue_batches(session, batches, now) if batches else []


def _latest_local_date(prompt_time: str, tz: str, due: datetime, now: datetime) -> date:
    """The local day of the latest prompt time at or before ``now`` (``due`` is the earliest): a tick
    that runs days late asks about today, once."""
    occurrence = next_occurrence([prompt_time], tz, due - timedelta(seconds=1))
    while (following := next_occurrence([prompt_time], tz, occurrence.due_at)).due_at <= now:
        occurrence = following
    return occurrence.local_date


def prompted_recently(session: Session, patient: Patient, now: datetime) -> bool:
    """True if the patient was sent (or is about to be sent) a prompt within ``ANSWER_WINDOW``."""
    return session.scalar(select(Notification.id).where(
        Notification.patient_id == patient.id, Notification.kind == KIND,
        Notification.created_at > now - ANSWER_WINDOW, Notification.created_at <= now,
        Notification.status.not_in(("cancelled", "failed"))).limit(1)) is not None

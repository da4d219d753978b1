"""A test text to a patient's or caregiver's phone, sent by staff from the manage page to check
the number before an alert depends on it.

Like every message it is one outbox row with a unique dedupe key: the key holds the nonce of the
page the button was on, so a double-click sends one text and each new page load may send another.
A number that replied STOP is not texted (the carriers' rule the sender also enforces); the caller
is told so, instead of a row that would only be cancelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.escalation import Recipient
from alerts.domain.messages import render
from alerts.models import OptOut, Patient
from alerts.services.outbox import Message, queue_messages

KIND = "test_message"
NONCE = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Contact:
    kind: str  # patient | caregiver
    id: int
    name: str
    phone: str
    language: str
    opted_out: bool


@dataclass(frozen=True)
class Outcome:
    status: str  # queued | duplicate | opted_out
    notification_id: int | None = None


def contacts(session: Session, patient: Patient) -> list[Contact]:
    """The patient's phone (if any) and each caregiver's, in call order, with their STOP state."""
    people = ([("patient", patient.id, patient.name, patient.phone, patient.language)] if patient.phone else []) + [
        ("caregiver", c.id, c.name, c.phone, c.language) for c in patient.caregivers]
    stopped = set(session.scalars(select(OptOut.phone).where(OptOut.phone.in_([p[3] for p in people]),
                                                             OptOut.active.is_(True))))
    return [Contact(kind, id_, name, phone, lang, phone in stopped) for kind, id_, name, phone, lang in people]


def send_test(session: Session, patient: Patient, contact: Contact, nonce: str, now: datetime) -> Outcome:
    if contact.opted_out:
        return Outcome("opted_out")
    if contact.kind == "patient":
        body = render("test_message_patient", contact.language)
    else:
        body = render("test_message_caregiver", contact.language, patient_name=patient.name)
    recipient = Recipient(contact.kind, contact.id, contact.phone, contact.name, contact.language)
    # Urgent like a sign-in code: someone is waiting for it, so the per-recipient limit must not
    # hold it back for an hour.
    ids = queue_messages(session, patient.id, None, [Message(
        dedupe_key=f"test:{contact.kind}:{contact.id}:{nonce}", recipient=recipient, body=body, kind=KIND,
        urgent=True)], now)
    return Outcome("queued", ids[0]) if ids else Outcome("duplicate")

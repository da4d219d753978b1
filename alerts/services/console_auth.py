"""Console accounts: staff passwords (argon2), caregivers' texted one-time codes, set-up invites,
and who may see which patient.

Framework-free like every service: the web layer (``alerts.web``) and the CLI both call these.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from alerts.domain.escalation import Recipient
from alerts.models import Caregiver, Invite, Patient, SignInCode, User, clinician_patient
from alerts.services.invites import (  # noqa: F401 (re-exported: the console's account functions in one place)
    INVITE_TTL,
    create_invite,
    first_admin_link,
    has_users,
    open_invite,
)
from alerts.services.outbox import Message, queue_messages

_hasher = PasswordHasher()

CODE_TTL = timedelta(minutes=10)
CODE_MAX_FAILURES = 5
MIN_PASSWORD_LENGTH = 12


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# -- passwords -------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True if ``password`` is the user's. Without a user, still spends the hashing time, so a
    wrong email and a wrong password take as long (no account discovery by timing)."""
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        if stored is None:
            _hasher.hash(password)
            return False
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def accept_invite(session: Session, invite: Invite, *, name: str, email: str, password: str, now: datetime) -> User:
    invite.used_at = now
    user = User(role=invite.role, name=name, email=email.strip().lower(), password_hash=hash_password(password),
                created_at=now)
    session.add(user)
    session.flush()
    return user


def staff_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower(),
                                             User.role.in_(("admin", "clinician"))))


# -- texted codes (caregivers) ---------------------------------------------------------------------


@dataclass(frozen=True)
class CodeSent:
    notification_ids: tuple[int, ...]


def caregiver_rows(session: Session, phone: str) -> list[Caregiver]:
    return list(session.scalars(select(Caregiver).where(Caregiver.phone == phone).order_by(Caregiver.id)))


def send_sign_in_code(session: Session, phone: str, now: datetime) -> CodeSent:
    """Text a 6-digit code to ``phone`` if it is a caregiver's phone on file; otherwise send nothing.

    The caller answers the same either way, so the form does not reveal which numbers are on file.
    The message goes through the outbox like every other (exactly once, opt-outs respected).
    """
    rows = caregiver_rows(session, phone)
    if not rows:
        return CodeSent(())
    code = f"{secrets.randbelow(10**6):06d}"
    row = SignInCode(phone=phone, code_hash=_sha256(f"{phone}:{code}"), created_at=now, expires_at=now + CODE_TTL)
    session.add(row)
    session.flush()
    first = rows[0]
    body = f"Your dosewatch sign-in code is {code}. It expires in {int(CODE_TTL.total_seconds() // 60)} minutes."
    recipient = Recipient("caregiver", first.id, phone, first.name, first.language)
    ids = queue_messages(session, first.patient_id, None, [Message(
        dedupe_key=f"signin:{row.id}", recipient=recipient, body=body, kind="sign_in_code", urgent=True)], now)
    return CodeSent(tuple(ids))


def redeem_sign_in_code(session: Session, phone: str, code: str, now: datetime) -> User | None:
    """The caregiver's user if ``code`` is the newest unexpired, unused code for ``phone``; it is spent."""
    row = session.scalar(select(SignInCode).where(SignInCode.phone == phone, SignInCode.used_at.is_(None),
                                                  SignInCode.expires_at > now)
                         .order_by(SignInCode.created_at.desc(), SignInCode.id.desc()).limit(1).with_for_update())
    if row is None:
        return None
    if not hmac.compare_digest(row.code_hash, _sha256(f"{phone}:{code.strip()}")):
        row.failures += 1
        if row.failures >= CODE_MAX_FAILURES:
            row.used_at = now  # spent: guessing a million codes five at a time is not an option
        return None
    row.used_at = now
    rows = caregiver_rows(session, phone)
    if not rows:
        return None
    user = session.scalar(select(User).where(User.phone == phone))
    if user is None:
        user = User(role="caregiver", name=rows[0].name, phone=phone, created_at=now)
        session.add(user)
    user.last_sign_in_at = now
    session.flush()
    return user if user.active else None


# -- access ----------------------------------------------------------------------------------------


def visible_patients(user: User) -> Select[tuple[int]] | None:
    """The ids of the patients ``user`` may see, as a subquery; None means every patient (admins).

    Admins run the service and see every patient. A clinician sees the patients assigned to them
    (``clinician_patient``: the clinician who adds a patient is assigned, and an admin assigns and
    unassigns on the manage page). Caregivers see only the patients whose caregiver list holds
    their phone. Every page and action asks this.
    """
    if user.role == "admin":
        return None
    return mine(user)


def mine(user: User) -> Select[tuple[int]]:
    """The patients that are the user's own: a caregiver's by phone; a member of staff's by
    assignment (for a clinician that is all they see; for an admin, the "Only mine" filter)."""
    if user.role == "caregiver":
        return select(Caregiver.patient_id).where(Caregiver.phone == user.phone)
    return select(clinician_patient.c.patient_id).where(clinician_patient.c.user_id == user.id)


def can_see(session: Session, user: User, patient_id: int) -> bool:
    ids = visible_patients(user)
    stmt = select(Patient.id).where(Patient.id == patient_id)
    if ids is not None:
        stmt = stmt.where(Patient.id.in_(ids))
    return session.scalar(stmt) is not None


def may_text_as(session: Session, user: User, phone: str) -> bool:
    """Whether ``user`` may send a made-up text from ``phone`` in the SMS sandbox.

    An inbound text acts on every patient the phone belongs to (as the patient's own or a caregiver's
    number), so the phone must belong to at least one patient the user sees and to none they do not.
    A number that belongs to no one gets the same answer as one of another clinician's patients,
    so the sandbox tells no one which numbers are in use; admins, who see everyone, may use any.
    """
    ids = visible_patients(user)
    if ids is None:
        return True
    reached = set(session.scalars(select(Patient.id).where(Patient.phone == phone)))
    reached |= set(session.scalars(select(Caregiver.patient_id).where(Caregiver.phone == phone)))
    seen = set(session.scalars(select(Patient.id).where(Patient.id.in_(reached), Patient.id.in_(ids))))
    return bool(reached) and seen == reached


def caregiver_for(session: Session, user: User, patient_id: int) -> Caregiver | None:
    """The user's own Caregiver row for this patient (acknowledging as a caregiver), if any."""
    if not user.phone:
        return None
    return session.scalar(select(Caregiver).where(Caregiver.patient_id == patient_id, Caregiver.phone == user.phone))


def assign(session: Session, user: User, patient_id: int) -> bool:
    """Assign a clinician to a patient; False if they already were."""
    if session.scalar(select(clinician_patient.c.user_id).where(clinician_patient.c.user_id == user.id,
                                                                clinician_patient.c.patient_id == patient_id)):
        return False
    session.execute(clinician_patient.insert().values(user_id=user.id, patient_id=patient_id))
    return True


def unassign(session: Session, user_id: int, patient_id: int) -> bool:
    done = session.execute(clinician_patient.delete().where(clinician_patient.c.user_id == user_id,
                                                            clinician_patient.c.patient_id == patient_id))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def care_team(session: Session, patient_id: int) -> list[User]:
    """The clinicians assigned to a patient, by name."""
    return list(session.scalars(select(User).join(clinician_patient, clinician_patient.c.user_id == User.id)
                                .where(clinician_patient.c.patient_id == patient_id, User.role == "clinician")
                                .order_by(User.name, User.id)))


def clinicians(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role == "clinician", User.active.is_(True))
                                .order_by(User.name, User.id)))

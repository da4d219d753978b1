"""API bearer tokens: issued once, stored as a hash, scoped to patients."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, String, any_, bindparam, exists, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from alerts.models import ApiToken, Caregiver, Patient, token_patient

TOKEN_PREFIX = "dw_"
# "device": a wearable, pill bottle or pump, scoped to exactly one patient and to the device routes.
# "clinician": reads its patients' records out as FHIR ($everything, bulk $export), and nothing else.
ROLES = ("client", "admin", "device", "clinician")


def hash_token(secret: str) -> str:
    """SHA-256 hex of the secret: the only form a token is stored in.

    A fast hash is right here (unlike passwords): the secret is 32 random bytes, so there is nothing
    to guess or brute-force, and a fast hash lets every request authenticate with one indexed lookup.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(session: Session, name: str, role: str, patients: Sequence[Patient], *,
                 caregiver: Caregiver | None = None) -> tuple[ApiToken, str]:
    """Add a token (flushed, not committed) and return it with its secret, which is never stored.

    ``caregiver``: the token is that caregiver's own (a client token for their one patient); only
    such a token acknowledges alerts, and only as that caregiver.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if caregiver is not None and (role != "client" or [p.id for p in patients] != [caregiver.patient_id]):
        raise ValueError("a caregiver's token is a client token for exactly that caregiver's patient")
    if role == "device" and len(patients) != 1:
        # A device on someone's wrist speaks for that person only: a token that could post another
        # patient's breathing rate could raise (or hide) their emergency.
        raise ValueError("a device token is issued for exactly one patient")
    # The prefix makes a leaked token recognisable to secret scanners and to people.
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, role=role, token_hash=hash_token(secret),
                     caregiver_id=caregiver.id if caregiver is not None else None)
    token.patients = list(patients)
    session.add(token)
    session.flush()
    return token, secret


def issue_token(session: Session, name: str, role: str, patients: Sequence[Patient], *,
                caregiver: Caregiver | None = None) -> str:
    """Create a token and return its secret (``dw_...``); shown to the caller once. Caller commits."""
    return create_token(session, name, role, patients, caregiver=caregiver)[1]


def authenticate(session: Session, secret: str) -> ApiToken | None:
    """The live token with this secret, or None (unknown or revoked).

    No constant-time compare is needed: the lookup is by hash, so timing reveals nothing about the
    secret, only about a hash the attacker cannot invert.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret),
                                                 ApiToken.revoked_at.is_(None)))


# Built once: constructing the statement cost as much as running it.
_ACCESS = (
    select(ApiToken, Patient, exists().where(token_patient.c.token_id == ApiToken.id,
                                             token_patient.c.patient_id == bindparam("patient_id")))
    .select_from(ApiToken)
    .outerjoin(Patient, Patient.id == bindparam("patient_id"))
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)


@dataclass(frozen=True)
class PatientAccess:
    """A live token, the patient a request names (None if there is no such patient), and whether
    the token may act for them."""

    token: ApiToken
    patient: Patient | None
    allowed: bool


def authenticate_for_patient(session: Session, secret: str, patient_id: int) -> PatientAccess | None:
    """:func:`authenticate` and :func:`may_access` for one patient, in one round trip: every ingest
    request asks all three questions, and most of its cost is round trips."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.execute(_ACCESS, {"token_hash": hash_token(secret), "patient_id": patient_id}).first()
    if row is None:
        return None
    token, patient, in_scope = row
    return PatientAccess(token, patient, token.role == "admin" or bool(in_scope))


def granted_patient(*columns: ColumnElement[object]) -> Select[tuple[object, ...]]:
    """PostgreSQL: ``columns`` of the patient ``:patient_id`` when the live token whose hash is
    ``:token_hash`` has one of the roles ``:roles`` (a list) and may act for that patient; no row
    otherwise (unknown or revoked token, another role, another patient's token, no such patient).

    :func:`authenticate_for_patient` and :func:`may_access` as one SELECT, to put inside the
    statement that does a request's work: the token is then checked by the same statement that
    writes, so nothing is written for a token revoked (or a scope removed) a moment before, however
    the revocation was made (``revoked_at`` set, the token or its caregiver deleted), and no other
    process has to be told."""
    in_scope = exists().where(token_patient.c.token_id == ApiToken.id,
                              token_patient.c.patient_id == bindparam("patient_id"))
    return (
        select(*columns)
        .select_from(ApiToken)
        .join(Patient, Patient.id == bindparam("patient_id"))
        .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None),
               ApiToken.role == any_(bindparam("roles", type_=postgresql.ARRAY(String))),
               or_(ApiToken.role == "admin", in_scope))  # may_access: admin tokens act for every patient
    )


def may_access(session: Session, token: ApiToken, patient_id: int) -> bool:
    """Admin tokens may access every patient; client, device and clinician tokens only the patients
    they were issued for."""
    if token.role == "admin":
        return True
    return bool(session.scalar(select(exists().where(token_patient.c.token_id == token.id,
                                                     token_patient.c.patient_id == patient_id))))

"""People who use the care console: staff (admin, clinician) and caregivers.

Staff sign in with an email and a password (argon2 hash). Caregivers have no password: they sign in
with a one-time code texted to the phone already on file, and see the patients whose caregiver
list holds that phone (``Caregiver.phone``): the escalation list is the access list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime

ROLES = ("admin", "clinician", "caregiver")

# A clinician's assigned patients ("mine"). Admins see every patient; caregivers their own.
clinician_patient = Table(
    "clinician_patient",
    Base.metadata,
    Column("user_id", ForeignKey("console_user.id", ondelete="CASCADE"), primary_key=True),
    Column("patient_id", ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "console_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # admin | clinician | caregiver
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    # Staff sign in by email; caregivers by phone (E.164), the one on their Caregiver rows.
    email: Mapped[str | None] = mapped_column(String(254), unique=True, default=None)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Optional TOTP for staff (RFC 6238): the base32 secret, set when enrolment starts; sign-in
    # asks for a code only once it is confirmed (``totp_enabled_at``). The last accepted time step
    # makes each code work once, even within its 30-second window.
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, default=None)

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_staff(self) -> bool:
        return self.role in ("admin", "clinician")

    @property
    def totp_on(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)


class SignInCode(Base):
    """A one-time sign-in code texted to a caregiver. Only its hash is kept; it expires and is used once."""

    __tablename__ = "sign_in_code"
    __table_args__ = (Index("ix_sign_in_code_phone_created", "phone", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Wrong guesses against this code; it is spent after a few.
    failures: Mapped[int] = mapped_column(Integer, default=0)


class Invite(Base):
    """A one-time link to set up a staff account (the first admin's, printed by ``dosewatch up``)."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("console_user.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RecoveryCode(Base):
    """A one-time code that stands in for a TOTP code when the phone with the app is lost. Only
    its hash is kept; each works once, and turning TOTP off (or enrolling again) removes them."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

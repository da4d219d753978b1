from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime
from alerts.models.patient import Patient

token_patient = Table(
    "api_token_patient",
    Base.metadata,
    Column("token_id", ForeignKey("api_token.id", ondelete="CASCADE"), primary_key=True),
    Column("patient_id", ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True),
)


class ApiToken(Base):
    """A bearer token. Only its SHA-256 is stored: a leaked database leaks no usable token."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "admin" manages patients and tokens; "client" (app, device) posts for its patients only.
    role: Mapped[str] = mapped_column(String(16), default="client")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Set when the token is a caregiver's own (their app): only such a token acknowledges an alert,
    # and only as that caregiver. A patient's token never speaks for a caregiver.
    caregiver_id: Mapped[int | None] = mapped_column(ForeignKey("caregiver.id", ondelete="CASCADE"), default=None)

    patients: Mapped[list[Patient]] = relationship(secondary=token_patient)

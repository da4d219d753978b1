from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.models.base import Base, UTCDateTime


class InboundMessage(Base):
    """An SMS received from Twilio, kept by MessageSid: Twilio retries webhooks, we act once."""

    __tablename__ = "inbound_message"

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_number: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What we understood and did, and the reply we sent: a retried webhook gets the same reply.
    outcome: Mapped[str | None] = mapped_column(String(64), default=None)
    reply: Mapped[str | None] = mapped_column(Text, default=None)

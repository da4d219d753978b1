from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from alerts.clock import utcnow
from alerts.domain.delivery import ROUTINE
from alerts.models.base import Base, UTCDateTime

# Statuses only move forward along this order (Twilio callbacks arrive late, twice, out of order).
STATUS_RANK = {
    "queued": 0, "sending": 1, "unknown": 2, "accepted": 3, "sent": 4, "recorded": 4,
    "ringing": 4, "in-progress": 5, "delivered": 6, "completed": 6,
    "undelivered": 6, "failed": 6, "busy": 6, "no-answer": 6, "canceled": 6, "cancelled": 6,
    "expired": 6,
}
FINAL_STATUSES = frozenset({"delivered", "completed", "undelivered", "failed", "busy", "no-answer",
                            "canceled", "cancelled", "recorded", "sent", "unknown", "expired"})


class Notification(Base):
    """The outbox: one message to one person on one channel, written with the decision that caused it.

    ``dedupe_key`` is unique, so a decision replayed by two workers or two ticks produces one row,
    and the sender claims each row before sending, so it goes out at most once.
    """

    __tablename__ = "notification"
    __table_args__ = (
        # The sender's claim: due queued rows, most pressing priority first, oldest first within it.
        Index("ix_notification_queued_priority", "priority", "next_attempt_at", "id",
              postgresql_where=text("status = 'queued'"), sqlite_where=text("status = 'queued'")),
        Index("ix_notification_sending_lease", "lease_until",
              postgresql_where=text("status = 'sending'"), sqlite_where=text("status = 'sending'")),
        # The sender's second look at the provider for a send that timed out (``recheck_unknown``).
        Index("ix_notification_recheck", "recheck_at",
              postgresql_where=text("recheck_at IS NOT NULL"), sqlite_where=text("recheck_at IS NOT NULL")),
        Index("ix_notification_alert", "alert_id"),
        # The sender's per-recipient limit: what went to this number lately.
        Index("ix_notification_to_sent", "to_number", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), default=None)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    # reminder | escalation | all_clear | emergency | reply ...
    kind: Mapped[str] = mapped_column(String(32))
    step: Mapped[int | None] = mapped_column(Integer, default=None)
    recipient_kind: Mapped[str] = mapped_column(String(16))  # patient | caregiver
    recipient_id: Mapped[int] = mapped_column(Integer)
    to_number: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(8), default="sms")  # sms | voice
    body: Mapped[str] = mapped_column(Text)
    # Messages that must go out even when their alert has closed since (the all-clear itself).
    send_when_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Never held back by the per-recipient limit (every priority above routine).
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # ``alerts.domain.delivery``: 0 emergency, 1 urgent, 2 routine; claimed lowest first.
    priority: Mapped[int] = mapped_column(SmallInteger, default=ROUTINE, server_default=str(ROUTINE))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    provider_sid: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Held for the recipient's quiet hours until then: the message's age (``expired``) counts from
    # here, or a reminder held overnight would be thrown away the moment it may go.
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Set just before a request for this row is handed to the provider, cleared when the provider
    # answers that it took nothing. A row found ``sending`` after its lease with this unset never
    # left and is simply queued again; with it set, the provider is asked first (by the sender).
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A send that timed out and was not found at the provider straight away is ``unknown``: the
    # escalation moves on at once. At this instant (a lease later, when whatever request left has
    # long been answered or dropped) the sender asks the provider again, and records what it says.
    recheck_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    error_code: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

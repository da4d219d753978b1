"""The notifier interface (after healthchecks' transports): ``send(message) -> SendResult``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    notification_id: int
    to: str
    channel: Literal["sms", "voice"]
    body: str
    status_callback: str | None = None
    # For voice: where Twilio fetches the call's TwiML (speak the message, gather a keypress).
    voice_url: str | None = None


@dataclass(frozen=True)
class SendResult:
    provider_sid: str | None
    # Status as the provider reports it right after accepting ("queued", "accepted", ...),
    # or "recorded" for the console notifier.
    status: str


class TransportError(Exception):
    """Sending failed. ``permanent`` says whether trying again could help.

    ``code`` is the provider's error code (Twilio 21211 invalid number, 21610 unsubscribed, ...).
    ``ambiguous`` means the request may have reached the provider (a timeout): re-sending blindly
    could deliver the message twice.
    """

    def __init__(self, message: str, *, permanent: bool, code: int | None = None,
                 status: int | None = None, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code
        self.status = status
        self.ambiguous = ambiguous


class Notifier(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> SendResult: ...

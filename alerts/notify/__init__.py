"""Notifiers: how a message leaves the building. One small interface; SMS/voice via Twilio, or a console recorder."""

from alerts.notify.base import Notifier, OutgoingMessage, SendResult, TransportError
from alerts.notify.factory import make_notifier

__all__ = ["Notifier", "OutgoingMessage", "SendResult", "TransportError", "make_notifier"]

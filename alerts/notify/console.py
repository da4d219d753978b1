"""The embedded default: no Twilio account, so every message is recorded and printed instead."""

from __future__ import annotations

import sys
from typing import TextIO

from alerts.notify.base import OutgoingMessage, SendResult


class ConsoleNotifier:
    name = "console"

    def __init__(self, echo: bool = True, stream: TextIO | None = None) -> None:
        self.echo = echo
        self.stream = stream
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> SendResult:
        self.sent.append(message)
        line = f"[{message.channel} -> {message.to}] {message.body}"
        # Printed for the person at the terminal (the embedded default's "messages printed here");
        # never logged: logs hold no phone number or message body (the sender logs the event).
        if self.echo:
            print(line, file=self.stream or sys.stdout, flush=True)
        return SendResult(provider_sid=f"LOCAL{message.notification_id:08d}", status="recorded")

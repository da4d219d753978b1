from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.notify.base import Notifier
from alerts.notify.console import ConsoleNotifier


def make_notifier(config: Mapping[str, Any]) -> Notifier:
    if config["NOTIFIER"] == "twilio":
        from alerts.notify.twilio import TwilioNotifier

        return TwilioNotifier.from_config(config)
    return ConsoleNotifier(echo=config["CONSOLE_NOTIFIER_ECHO"])

"""Handing work to the worker after a commit, and the per-process notifier."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask

from alerts.models import Notification
from alerts.notify import Notifier, make_notifier

log = logging.getLogger("dosewatch.dispatch")


def kick_outbox(app: Flask) -> None:
    """Ask a worker to drain the outbox now. Call only after the commit that wrote the rows.

    Losing this message (broker down, Redis flushed) delays delivery until the next tick; it never
    loses the message itself, which is a row in the database. So publishing must not block or fail
    the request that made the decision.
    """
    from workers.tasks import deliver_outbox

    try:
        deliver_outbox.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure is the same to us
        log.warning("could not reach the broker (%s); the next tick will deliver", exc)


def notifier_for(app: Flask) -> Notifier:
    notifier = app.extensions.get("dosewatch.notifier")
    if notifier is None:
        notifier = make_notifier(app.config)
        app.extensions["dosewatch.notifier"] = notifier
    return notifier


def callback_urls(app: Flask) -> tuple[Callable[[Notification], str | None], Callable[[Notification], str | None]]:
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")

    def status(n: Notification) -> str:
        # The row's id rides along: a callback then finds its row even when the send timed out
        # before Twilio's answer (with the SID) reached us.
        return f"{base}/twilio/status?n={n.id}"

    def voice(n: Notification) -> str | None:
        return f"{base}/twilio/voice/{n.id}" if n.channel == "voice" else None

    return status, voice

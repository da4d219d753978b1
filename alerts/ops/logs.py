"""Structured logs (structlog): JSON lines in production, one readable line each in a terminal.

Every record, ours or a library's (Celery, gunicorn, SQLAlchemy), goes through the same processors,
so the privacy rules hold for all of them:

- phone numbers are masked wherever they appear (``+12025550101`` becomes ``+*******0101``);
- fields that carry what people wrote or were sent (``body``, ``text``, ``symptoms``, ...) are
  replaced by ``[redacted]``: message bodies and symptom text are never logged, however they got
  into a record.

Correlation ids ride in context variables (``structlog.contextvars``): ``request_id`` for an HTTP
request, ``task_id`` and ``task`` for a Celery task; events add ``alert_id``, ``outbox_id``,
``message_sid`` where they have them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

# E.164 as stored (``+`` and 7 to 15 digits), also inside "whatsapp:+1...", SQL error text and URLs
# (``%2B`` is the "+" of a query string). Dates, durations and ids have no leading "+": left alone.
_PHONE = re.compile(r"(\+|%2B)\d{3,11}(\d{4})\b", re.IGNORECASE)

# Keys whose values are what people wrote or were sent. Never logged, whatever the value.
REDACTED_KEYS = frozenset({"body", "Body", "text", "message_body", "reply", "reply_text", "symptoms",
                           "symptom_text", "note", "notes", "to_number", "from_number"})
REDACTED = "[redacted]"


def mask_phone_numbers(text: str) -> str:
    """Every phone number in ``text`` with all but its last four digits hidden."""
    if "+" not in text and "%" not in text:  # what _PHONE needs to match: most values (ids, routes) lack both
        return text
    return _PHONE.sub(lambda m: "+" + "*" * (len(m.group(0)) - len(m.group(1)) - 4) + m.group(2), text)


def mask_phone(number: str | None) -> str | None:
    """One phone number, masked (for a log field)."""
    if number is None:
        return None
    masked = mask_phone_numbers(number)
    return masked if masked != number or len(number) <= 4 else "*" * (len(number) - 4) + number[-4:]


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_phone_numbers(value)
    if isinstance(value, Mapping):
        return {k: REDACTED if k in REDACTED_KEYS else _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v) for v in value)
    return value


def scrub_event(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: redact message fields, mask phone numbers in every value (and the event)."""
    for key in list(event_dict):
        if key in REDACTED_KEYS:
            event_dict[key] = REDACTED
        elif key != "exc_info":
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def _scrub_rendered_exception(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    # format_exc_info turned exc_info into text: mask it like any other value.
    if isinstance(event_dict.get("exception"), str):
        event_dict["exception"] = mask_phone_numbers(event_dict["exception"])
    return event_dict


def _render_readable(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> str:
    """``12:00:01 INFO  dosewatch.tasks: event key=value ...``: one line, for ``dosewatch up``."""
    event_dict = dict(event_dict)
    stamp = str(event_dict.pop("timestamp", ""))[11:19]
    level = str(event_dict.pop("level", "")).upper()
    name = event_dict.pop("logger", "")
    event = event_dict.pop("event", "")
    exception = event_dict.pop("exception", None)
    extra = " ".join(f"{k}={v}" for k, v in event_dict.items() if not k.startswith("_"))
    line = f"{stamp} {level:<7} {name}: {event}" + (f" {extra}" if extra else "")
    return f"{line}\n{exception}" if exception else line


# A record's ``extra`` may name, under this key, fields of its own that were made safe where they
# were built (``alerts.ops.web``'s request line: the method masked, the URL rule, a status, a
# duration, an id of id characters): the formatter then renders the event from them directly
# (:class:`_Formatter`), the same line the processors would have made, without running them.
SAFE_FIELDS = "_dosewatch_safe_fields"

# Attributes another formatter (pytest's, gunicorn's) may already have set on a record, and Celery's
# ``data`` (the task's arguments again, already in its message): not fields of the event.
_FORMATTER_LEFTOVERS = ("message", "asctime", "color_message", "taskName", "data", SAFE_FIELDS)


def _drop_leftovers(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in _FORMATTER_LEFTOVERS:
        event_dict.pop(key, None)
    return event_dict


# The second a timestamp was last made in, and its text up to the seconds: every record in that
# second reuses it.
_SECOND: tuple[int, str] = (-1, "")


def utc_timestamp() -> str:
    """Now in UTC as structlog's ``TimeStamper(fmt="iso", utc=True)`` writes it (``datetime.now(UTC)
    .isoformat()`` with ``Z``: ``2026-06-15T12:05:00.250000Z``, no fraction at a whole second), for
    about a quarter of its cost: the date and time of day are formatted once a second, not per
    record (its ``isoformat`` was most of the request line's timestamp). The clock and its rounding
    are ``datetime.now``'s: the system clock, truncated to the microsecond."""
    global _SECOND
    seconds, micro = divmod(time.time_ns() // 1000, 1_000_000)
    second, text = _SECOND
    if seconds != second:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        _SECOND = (seconds, text)  # one assignment: a thread reads the old pair or the new, never half
    return f"{text}.{micro:06d}Z" if micro else f"{text}Z"


def _add_timestamp(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    event_dict["timestamp"] = utc_timestamp()
    return event_dict


def _foreign_chain() -> list[Any]:
    return [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        _add_timestamp,
        structlog.stdlib.ExtraAdder(),
        _drop_leftovers,
        scrub_event,
    ]


# Our own events become ordinary ``logging`` records (the event as the message, the fields as
# ``extra``), so one handler formats ours and every library's alike, and a process that never called
# :func:`configure` (a test, ``dosewatch demo``) behaves as plain ``logging`` does: nothing printed
# below WARNING. The context variables (request id, task id) are merged here, for our events only.
structlog.configure(
    processors=[structlog.contextvars.merge_contextvars, scrub_event, structlog.stdlib.render_to_log_kwargs],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


class _Formatter(structlog.stdlib.ProcessorFormatter):
    """structlog's formatter, with one shortcut: a record that names its fields as safe
    (``SAFE_FIELDS``) and carries no exception or stack is rendered from those fields, as
    ``_foreign_chain`` and the processors would have rendered it (event, level, logger, timestamp,
    then the fields in order; nothing in them to scrub). The request line is written on every
    request, and the processors were most of its cost."""

    def __init__(self, renderer: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._renderer = renderer

    def format(self, record: logging.LogRecord) -> str:
        fields = record.__dict__
        names = fields.get(SAFE_FIELDS)
        if names is None or record.exc_info or record.stack_info:
            return super().format(record)
        level = record.levelname.lower()
        event = {"event": record.getMessage(), "level": level, "logger": record.name, "timestamp": utc_timestamp()}
        for name in names:
            event[name] = fields[name]
        return str(self._renderer(None, level, event))


# ``JSONRenderer()``'s output for the safe fields (strings and numbers: its fallback for other types is
# never asked), from one encoder made once: ``json.dumps`` with ``default=`` builds a ``JSONEncoder`` on
# every call, a quarter of what rendering the request line cost. The same options, the same text.
_SAFE_JSON = json.JSONEncoder()


def _render_safe_json(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> str:
    return _SAFE_JSON.encode(event_dict)


def formatter(fmt: str) -> logging.Formatter:
    """The formatter for ``LOG_FORMAT``: ``json`` (one object a line) or ``console`` (readable)."""
    renderer = structlog.processors.JSONRenderer() if fmt == "json" else _render_readable
    return _Formatter(
        _render_safe_json if fmt == "json" else _render_readable,
        foreign_pre_chain=_foreign_chain(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, _scrub_rendered_exception, renderer],
    )


def handler(fmt: str = "console", stream: Any = None) -> logging.Handler:
    """A stream handler with :func:`formatter`, marked as ours (gunicorn's ``logconfig_dict`` uses it)."""
    made = logging.StreamHandler(stream or sys.stderr)
    made.setFormatter(formatter(fmt))
    made._dosewatch = True  # type: ignore[attr-defined]
    return made


def configure(config: Mapping[str, Any], *, stream: Any = None, level: str | int | None = None) -> logging.Handler:
    """Send every log record of this process through the scrubbing formatter to ``stream``.

    Call once per process, at its entry point (``alerts.wsgi``, the Celery worker and beat, the
    CLI); calling again replaces the handler this installed, not anyone else's. Returns it.
    """
    ours = handler(config.get("LOG_FORMAT", "console"), stream)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_dosewatch", False)]:
        root.removeHandler(old)
    root.addHandler(ours)
    # The Twilio SDK logs every request (URLs with numbers in them) at INFO: only its warnings.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    root.setLevel(level if isinstance(level, int) else str(level or config.get("LOG_LEVEL", "info")).upper())
    return ours


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)

"""Configuration: defaults in code, then the environment, then the caller's mapping (tests).

Every setting is documented in the README's configuration table. Bad values stop start-up with a
message that names the variable, instead of failing later at 3 a.m.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alerts.domain.schedule import check_zone_name, parse_times


class ConfigError(ValueError):
    pass


def _env_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"expected a boolean, got {value!r}")


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("DOSEWATCH_DATA_DIR", "var")).resolve()


# name -> (default, parser). Defaults are the embedded ones: SQLite, a filesystem broker and a
# notifier that records and prints, so a fresh clone runs with nothing else installed.
_SETTINGS: dict[str, tuple[Any, Any]] = {
    "DATABASE_URL": (None, str),
    # PostgreSQL: seconds to wait for a connection, and the longest one statement may run (0: no
    # limit). Well under gunicorn's 30 s timeout so an unreachable database answers 503 quickly.
    "DATABASE_CONNECT_TIMEOUT_SECONDS": (5.0, float),
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": (15.0, float),
    "CELERY_BROKER_URL": (None, str),
    "REDIS_URL": (None, str),
    "SECRET_KEY": ("dev-only-not-secret", str),
    "DOSEWATCH_DATA_DIR": ("var", str),
    "TICK_SECONDS": (30.0, float),
    "TICK_BATCH_SIZE": (1000, int),
    "OUTBOX_BATCH_SIZE": (500, int),
    "SEND_MAX_ATTEMPTS": (8, int),
    "SEND_LEASE_SECONDS": (120, int),
    # Routine drains (deliver_outbox tasks) running at once, across all workers. Each worker's
    # --concurrency must exceed it, so a slot is always free for the urgent queue (docs/delivery.md).
    "OUTBOX_ROUTINE_DRAINS": (1, int),
    # Per-recipient limit on non-urgent messages (emergencies and urgent alerts never wait).
    "SMS_LIMIT_COUNT": (5, int),
    "SMS_LIMIT_WINDOW_MINUTES": (60, int),
    "DEFAULT_TIMEZONE": ("UTC", str),
    "DEFAULT_GRACE_MINUTES": (30, int),
    "DEFAULT_ESCALATION_MINUTES": (15, int),
    "DOSE_EARLY_WINDOW_MINUTES": (120, int),
    "LATE_DOSE_WINDOW_HOURS": (12, int),
    "MAX_FUTURE_SKEW_SECONDS": (300, int),
    # Clinical escalation (alerts/services/clinical.py). An emergency repeats to every caregiver,
    # SMS and call, until one acknowledges; an urgent alert repeats a few times.
    "EMERGENCY_REPEAT_MINUTES": (5, int),
    "URGENT_REPEAT_MINUTES": (15, int),
    "URGENT_MAX_REPEATS": (2, int),
    # Defaults of the dose-pattern rules; a clinician can override them per patient.
    "NO_DOSE_WINDOW_HOURS": (24.0, float),
    "CONSECUTIVE_MISSED_DOSES": (2, int),
    "MAX_CONTENT_LENGTH": (64 * 1024, int),
    # Wearables: a batch of readings may be much larger than any other request (thousands of
    # readings); only the readings routes accept bodies up to this size.
    "READINGS_MAX_CONTENT_LENGTH": (8 * 1024 * 1024, int),
    # Pump refill reminders go out at this local wall-clock time, 7 days, 2 days and 0 days before.
    "PUMP_REFILL_REMINDER_TIME": ("09:00", str),
    "TWILIO_ACCOUNT_SID": (None, str),
    "TWILIO_AUTH_TOKEN": (None, str),
    "TWILIO_FROM_NUMBER": (None, str),
    "TWILIO_API_BASE_URL": (None, str),
    # Seconds the Twilio SDK's HTTP client waits to connect and for each read. A send that times out
    # after the request left is looked up at Twilio, never repeated (alerts/notify/twilio.py).
    "TWILIO_HTTP_TIMEOUT": (10.0, float),
    "PUBLIC_BASE_URL": ("http://127.0.0.1:8000", str),
    "NOTIFIER": ("auto", str),
    # Care console: a signed-in session ends after this many minutes (sign in again).
    "CONSOLE_SESSION_MINUTES": (12 * 60, int),
    "CONSOLE_NOTIFIER_ECHO": (True, _env_bool),
    # Operations (alerts/ops): logs, the dead man's switch, error reporting, data retention.
    # Celery time limits of every task, in seconds (soft raises inside the task, hard kills it).
    "TASK_SOFT_TIME_LIMIT": (80, int),
    "TASK_TIME_LIMIT": (110, int),
    "LOG_FORMAT": ("console", str),
    "LOG_LEVEL": ("info", str),
    "HEARTBEAT_URL": (None, str),
    "SENTRY_DSN": (None, str),
    "SENTRY_ENVIRONMENT": ("production", str),
    "READINGS_RETENTION_DAYS": (0, int),
    "MESSAGES_RETENTION_DAYS": (0, int),
}


def load_config(overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the configuration dict and validate it. Raises :class:`ConfigError` with the variable's name."""
    env = os.environ if env is None else env
    config: dict[str, Any] = {}
    for name, (default, parse) in _SETTINGS.items():
        raw = env.get(name)
        if raw is None or raw == "":
            config[name] = default
            continue
        try:
            config[name] = parse(raw)
        except (ValueError, ConfigError) as exc:
            raise ConfigError(f"{name}: {exc}") from None
    if overrides:
        config.update(overrides)
    _derive(config)
    _validate(config)
    return config


def _derive(config: dict[str, Any]) -> None:
    base = Path(config["DOSEWATCH_DATA_DIR"]).resolve()
    config["DOSEWATCH_DATA_DIR"] = str(base)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{base / 'dosewatch.sqlite3'}"
    if not config["CELERY_BROKER_URL"]:
        # With Redis configured it is the broker; otherwise kombu's filesystem transport, which needs
        # no server, so the embedded default still runs a real worker and beat.
        config["CELERY_BROKER_URL"] = config["REDIS_URL"] or "filesystem://"
    if config["NOTIFIER"] == "auto":
        has_twilio = bool(config["TWILIO_ACCOUNT_SID"] and config["TWILIO_AUTH_TOKEN"])
        config["NOTIFIER"] = "twilio" if has_twilio else "console"


def _validate(config: dict[str, Any]) -> None:
    try:
        check_zone_name(config["DEFAULT_TIMEZONE"])
    except ValueError:
        raise ConfigError(f"DEFAULT_TIMEZONE: unknown IANA time zone {config['DEFAULT_TIMEZONE']!r}") from None
    if config["URGENT_MAX_REPEATS"] < 0:
        raise ConfigError("URGENT_MAX_REPEATS must be 0 or more")
    for name in ("DATABASE_CONNECT_TIMEOUT_SECONDS", "DATABASE_STATEMENT_TIMEOUT_SECONDS"):
        if config[name] < 0:
            raise ConfigError(f"{name} must be 0 (no limit) or more")
    if config["TICK_SECONDS"] <= 0:
        raise ConfigError("TICK_SECONDS must be positive")
    if config["NOTIFIER"] not in {"twilio", "console"}:
        raise ConfigError(f"NOTIFIER must be auto, twilio or console, not {config['NOTIFIER']!r}")
    if config["NOTIFIER"] == "twilio":
        missing = [k for k in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER") if not config[k]]
        if missing:
            raise ConfigError(f"NOTIFIER=twilio needs {', '.join(missing)}")
    if config["LOG_FORMAT"] not in {"console", "json"}:
        raise ConfigError(f"LOG_FORMAT must be console or json, not {config['LOG_FORMAT']!r}")
    if str(config["LOG_LEVEL"]).upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"LOG_LEVEL must be debug, info, warning, error or critical, not {config['LOG_LEVEL']!r}")
    if config["HEARTBEAT_URL"] and not str(config["HEARTBEAT_URL"]).startswith(("http://", "https://")):
        raise ConfigError("HEARTBEAT_URL must be an http:// or https:// URL")
    if not 0 < config["TASK_SOFT_TIME_LIMIT"] < config["TASK_TIME_LIMIT"] < config["SEND_LEASE_SECONDS"]:
        raise ConfigError("TASK_SOFT_TIME_LIMIT < TASK_TIME_LIMIT < SEND_LEASE_SECONDS is required: a sender "
                          "must be dead before the rows it holds are presumed lost")
    for name in ("READINGS_RETENTION_DAYS", "MESSAGES_RETENTION_DAYS"):
        if config[name] < 0:
            raise ConfigError(f"{name} must be 0 (keep for ever) or a number of days")
    try:
        parse_times([config["PUMP_REFILL_REMINDER_TIME"]])
    except ValueError:
        raise ConfigError(f"PUMP_REFILL_REMINDER_TIME must be HH:MM, not {config['PUMP_REFILL_REMINDER_TIME']!r}") from None
    for name in ("TICK_BATCH_SIZE", "OUTBOX_BATCH_SIZE", "OUTBOX_ROUTINE_DRAINS", "SEND_MAX_ATTEMPTS", "MAX_CONTENT_LENGTH",
                 "READINGS_MAX_CONTENT_LENGTH",
                 "SMS_LIMIT_COUNT", "SMS_LIMIT_WINDOW_MINUTES",
                 "EMERGENCY_REPEAT_MINUTES", "URGENT_REPEAT_MINUTES", "NO_DOSE_WINDOW_HOURS",
                 "CONSECUTIVE_MISSED_DOSES", "TWILIO_HTTP_TIMEOUT",
                 "CONSOLE_SESSION_MINUTES"):
        if config[name] <= 0:
            raise ConfigError(f"{name} must be positive")

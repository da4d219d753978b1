"""Configuration: one typed :class:`Settings`, read from the environment and validated once at start.

Defaults in code, then the environment, then the caller's mapping (tests). Every setting is
documented in the README's configuration table. A bad value stops start-up with one line that
names the variable (:class:`ConfigError`), instead of failing later at 3 a.m.; what is built from
the settings (the app, the worker, the services' policies) is built from values already checked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from alerts.domain.schedule import check_zone_name, parse_times


class ConfigError(ValueError):
    """A setting that cannot be used; the message is one line and starts with the variable's name."""


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("DOSEWATCH_DATA_DIR", "var")).resolve()


class Settings(BaseSettings):
    """Every setting, named as its environment variable. Defaults are the embedded ones: SQLite, a
    filesystem broker and a notifier that records and prints, so a fresh clone runs with nothing
    else installed. After validation the derived ones are filled in (``DATABASE_URL``,
    ``CELERY_BROKER_URL``, ``NOTIFIER``: never ``None`` or ``auto`` once built)."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", env_ignore_empty=True)

    DATABASE_URL: str | None = None
    # PostgreSQL: seconds to wait for a connection, and the longest one statement may run (0: no
    # limit). Well under gunicorn's 30 s timeout so an unreachable database answers 503 quickly.
    DATABASE_CONNECT_TIMEOUT_SECONDS: float = Field(5.0, ge=0)
    DATABASE_STATEMENT_TIMEOUT_SECONDS: float = Field(15.0, ge=0)
    CELERY_BROKER_URL: str | None = None
    REDIS_URL: str | None = None
    SECRET_KEY: str = "dev-only-not-secret"
    DOSEWATCH_DATA_DIR: str = "var"
    TICK_SECONDS: float = Field(30.0, gt=0)
    TICK_BATCH_SIZE: int = Field(1000, gt=0)
    OUTBOX_BATCH_SIZE: int = Field(500, gt=0)
    SEND_MAX_ATTEMPTS: int = Field(8, gt=0)
    SEND_LEASE_SECONDS: int = 120
    # Routine drains (deliver_outbox tasks) running at once, across all workers. Each worker's
    # --concurrency must exceed it, so a slot is always free for the urgent queue (docs/delivery.md).
    OUTBOX_ROUTINE_DRAINS: int = Field(1, gt=0)
    # Per-recipient limit on non-urgent messages (emergencies and urgent alerts never wait).
    SMS_LIMIT_COUNT: int = Field(5, gt=0)
    SMS_LIMIT_WINDOW_MINUTES: int = Field(60, gt=0)
    DEFAULT_TIMEZONE: str = "UTC"
    DEFAULT_GRACE_MINUTES: int = 30
    DEFAULT_ESCALATION_MINUTES: int = 15
    DOSE_EARLY_WINDOW_MINUTES: int = 120
    LATE_DOSE_WINDOW_HOURS: int = 12
    MAX_FUTURE_SKEW_SECONDS: int = 300
    # Clinical escalation (alerts/services/clinical.py). An emergency repeats to every caregiver,
    # SMS and call, until one acknowledges; an urgent alert repeats a few times.
    EMERGENCY_REPEAT_MINUTES: int = Field(5, gt=0)
    URGENT_REPEAT_MINUTES: int = Field(15, gt=0)
    URGENT_MAX_REPEATS: int = Field(2, ge=0)
    # Defaults of the dose-pattern rules; a clinician can override them per patient.
    NO_DOSE_WINDOW_HOURS: float = Field(24.0, gt=0)
    CONSECUTIVE_MISSED_DOSES: int = Field(2, gt=0)
    MAX_CONTENT_LENGTH: int = Field(64 * 1024, gt=0)
    # Wearables: a batch of readings may be much larger than any other request (thousands of
    # readings); only the readings routes accept bodies up to this size.
    READINGS_MAX_CONTENT_LENGTH: int = Field(8 * 1024 * 1024, gt=0)
    # Pump refill reminders go out at this local wall-clock time, 7 days, 2 days and 0 days before.
    PUMP_REFILL_REMINDER_TIME: str = "09:00"
    # A medication's supply is low (one reminder to the patient and the first caregiver) when what
    # is on hand lasts fewer days than this at its schedules' daily use: a week leaves time for a
    # prescription refill and a pharmacy order.
    SUPPLY_LOW_DAYS: int = Field(7, ge=1, le=90)
    TWILIO_ACCOUNT_SID: str | None = None
    TWILIO_AUTH_TOKEN: str | None = None
    TWILIO_FROM_NUMBER: str | None = None
    TWILIO_API_BASE_URL: str | None = None
    # Seconds the Twilio SDK's HTTP client waits to connect and for each read. A send that times out
    # after the request left is looked up at Twilio, never repeated (alerts/notify/twilio.py).
    TWILIO_HTTP_TIMEOUT: float = Field(10.0, gt=0)
    PUBLIC_BASE_URL: str = "http://127.0.0.1:8000"
    NOTIFIER: Literal["auto", "twilio", "console"] = "auto"
    # Care console: a signed-in session ends after this many minutes (sign in again).
    CONSOLE_SESSION_MINUTES: int = Field(12 * 60, gt=0)
    CONSOLE_NOTIFIER_ECHO: bool = True
    # Operations (alerts/ops): logs, the dead man's switch, error reporting, data retention.
    # Celery time limits of every task, in seconds (soft raises inside the task, hard kills it).
    TASK_SOFT_TIME_LIMIT: int = 80
    TASK_TIME_LIMIT: int = 110
    LOG_FORMAT: Literal["console", "json"] = "console"
    LOG_LEVEL: str = "info"
    HEARTBEAT_URL: str | None = None
    SENTRY_DSN: str | None = None
    SENTRY_ENVIRONMENT: str = "production"
    READINGS_RETENTION_DAYS: int = Field(0, ge=0)
    MESSAGES_RETENTION_DAYS: int = Field(0, ge=0)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The caller's values, then the environment: no .env file or secrets folder is read, so what
        # the process was started with is the whole configuration (as the README says).
        given = _GIVEN_ENVIRONMENT.get()
        return (init_settings, env_settings if given is None else _GivenEnvironment(settings_cls, given))

    @field_validator("DEFAULT_TIMEZONE")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            check_zone_name(value)
        except ValueError:
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("LOG_LEVEL")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"must be debug, info, warning, error or critical, not {value!r}")
        return value

    @field_validator("HEARTBEAT_URL")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("PUMP_REFILL_REMINDER_TIME")
    @classmethod
    def _wall_clock(cls, value: str) -> str:
        try:
            parse_times([value])
        except ValueError:
            raise ValueError(f"must be HH:MM, not {value!r}") from None
        return value

    @model_validator(mode="after")
    def _derive_and_check_together(self) -> Settings:
        base = Path(self.DOSEWATCH_DATA_DIR).resolve()
        self.DOSEWATCH_DATA_DIR = str(base)
        if not self.DATABASE_URL:
            self.DATABASE_URL = f"sqlite:///{base / 'dosewatch.sqlite3'}"
        if not self.CELERY_BROKER_URL:
            # With Redis configured it is the broker; otherwise kombu's filesystem transport, which
            # needs no server, so the embedded default still runs a real worker and beat.
            self.CELERY_BROKER_URL = self.REDIS_URL or "filesystem://"
        if self.NOTIFIER == "auto":
            self.NOTIFIER = "twilio" if self.TWILIO_ACCOUNT_SID and self.TWILIO_AUTH_TOKEN else "console"
        if self.NOTIFIER == "twilio":
            missing = [k for k in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER") if not getattr(self, k)]
            if missing:
                raise ValueError(f"NOTIFIER=twilio needs {', '.join(missing)}")
        if not 0 < self.TASK_SOFT_TIME_LIMIT < self.TASK_TIME_LIMIT < self.SEND_LEASE_SECONDS:
            raise ValueError("TASK_SOFT_TIME_LIMIT < TASK_TIME_LIMIT < SEND_LEASE_SECONDS is required: a sender "
                             "must be dead before the rows it holds are presumed lost")
        return self


def load_settings(overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Build and validate the settings: the environment (``os.environ``, or ``env`` for tests), then
    ``overrides``. Raises :class:`ConfigError`, one line naming the variable; keys of ``overrides``
    that are not settings are ignored here (the app factory keeps them as Flask configuration)."""
    chosen = {k: v for k, v in (overrides or {}).items() if k in Settings.model_fields}
    token = _GIVEN_ENVIRONMENT.set(env)
    try:
        return Settings(**chosen)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from None
    finally:
        _GIVEN_ENVIRONMENT.reset(token)


# An environment given to load_settings instead of os.environ (tests), for the one call that reads it.
_GIVEN_ENVIRONMENT: ContextVar[Mapping[str, str] | None] = ContextVar("dosewatch_given_environment", default=None)


class _GivenEnvironment(PydanticBaseSettingsSource):
    """The environment source over a given mapping: variables named as the fields, empty ones unset."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self.env = env

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.env.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {name: value for name in self.settings_cls.model_fields
                if (value := self.env.get(name)) is not None and value != ""}


def _one_line(exc: ValidationError) -> str:
    """The first problem, as ``NAME: what is wrong (got 'value')``; a check of several settings
    together names them in its own message."""
    error = exc.errors(include_url=False)[0]
    message = str(error["msg"]).removeprefix("Value error, ")
    if not error["loc"]:
        return message
    name = str(error["loc"][0])
    if error["type"] == "value_error":
        return f"{name}: {message}"
    return f"{name}: {message[:1].lower()}{message[1:]} (got {error['input']!r})"

"""What services are given in tests that do not set them: the documented defaults, built as the app
builds them (``alerts.config.load_settings``, the environment left out). Services take these as
required arguments; a test that means other values passes its own."""

from __future__ import annotations

from typing import Any

from alerts.config import load_settings
from alerts.domain.schedule import parse_times
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import DoseWindows

DEFAULTS = load_settings(env={})
CONFIG = DEFAULTS.model_dump()
POLICY = ClinicalPolicy.from_config(CONFIG)
WINDOWS = DoseWindows.from_config(CONFIG)
# run_tick's and deliver_due's configured arguments (as workers/tasks.py passes them).
TICK: dict[str, Any] = {"batch_size": DEFAULTS.TICK_BATCH_SIZE, "policy": POLICY,
                         "low_supply_days": DEFAULTS.SUPPLY_LOW_DAYS}
SEND: dict[str, Any] = {"batch_size": DEFAULTS.OUTBOX_BATCH_SIZE, "lease_seconds": DEFAULTS.SEND_LEASE_SECONDS,
                        "max_attempts": DEFAULTS.SEND_MAX_ATTEMPTS}
# record_device_event's configured pump refill reminder time (as alerts/api/wearables.py passes it).
REFILL_TIME = parse_times([DEFAULTS.PUMP_REFILL_REMINDER_TIME])[0]

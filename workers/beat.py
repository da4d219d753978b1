"""The beat schedule: one short tick. The database decides what is due; beat only says "look now"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def beat_schedule(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    seconds = float(config["TICK_SECONDS"])
    return {
        "tick": {
            "task": "workers.tasks.tick",
            "schedule": seconds,
            # A tick that waited longer than its period is stale: the next one does the same work.
            "options": {"expires": seconds},
        },
        # READINGS_RETENTION_DAYS / MESSAGES_RETENTION_DAYS (a no-op while both are 0).
        "apply-retention": {
            "task": "workers.maintenance.apply_retention",
            "schedule": 24 * 3600.0,
            "options": {"expires": 3600},
        },
    }

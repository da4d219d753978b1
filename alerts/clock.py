"""The one place the service asks what time it is. Domain code never calls this: it is handed ``now``."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    # datetime.now(UTC) (not time.time) so freezegun can freeze it in tests.
    return datetime.now(UTC)


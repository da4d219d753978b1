"""Reading back what was written: paged lists of a patient's doses, check-ins, readings, device
events and alerts, and their medications and schedules.

Every list is newest first, ordered by (time, id), so two rows at the same instant keep one order.
A page ends with ``next_cursor``: pass it back as ``?cursor=`` for the next (older) page. A cursor
is the position of the last row shown, not an offset, so rows written between two requests never
make a page repeat or skip a row already in the listing.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from schemas.admin import MedicationOut, ScheduleOut
from schemas.common import InputModel, OutputModel
from schemas.ingest import AlertOut, AlertStatus, CheckInOut, DoseEventOut
from schemas.wearables import DeviceEventOut

MAX_LIMIT = 500


@dataclass(frozen=True)
class Position:
    """Where a page ended: the listing it belongs to and its last row's (time, id)."""

    listing: str
    at: datetime
    id: int


def encode_cursor(position: Position) -> str:
    raw = json.dumps([position.listing, position.at.astimezone(UTC).isoformat(), position.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> Position:
    """The position a cursor names; ValueError if it is not one this server made."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        listing, at, ident = json.loads(raw)
        position = Position(str(listing), datetime.fromisoformat(at), int(ident))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise ValueError("not a cursor from this listing; use next_cursor from the previous page") from None
    if position.at.tzinfo is None:
        raise ValueError("not a cursor from this listing; use next_cursor from the previous page")
    return position


def _check_cursor(value: str) -> str:
    decode_cursor(value)
    return value


Cursor = Annotated[str, Field(min_length=1, max_length=200, description="next_cursor of the previous page."),
                   AfterValidator(_check_cursor)]


class PageQuery(InputModel):
    """Query string of the paged lists."""

    # Query strings are text: lax here so "?limit=20" is an integer.
    model_config = InputModel.model_config | {"strict": False}

    since: AwareDatetime | None = Field(None, description="Only rows at or after this instant (ISO 8601 with offset).")
    until: AwareDatetime | None = Field(None, description="Only rows before this instant.")
    cursor: Cursor | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)

    @model_validator(mode="after")
    def _window(self) -> PageQuery:
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise ValueError("until must be after since")
        return self


class AlertPageQuery(PageQuery):
    """Query string of ``GET /v1/patients/{id}/alerts`` (by ``opened_at``)."""

    status: AlertStatus | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class ReadingOut(OutputModel):
    id: int
    patient_id: int
    device_id: int | None
    kind: str
    value: float
    measured_at: datetime
    received_at: datetime


class Page(OutputModel):
    """What every paged list carries besides its rows: where the next page starts."""

    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


class DoseEventPage(Page):
    doses: list[DoseEventOut]


class CheckInPage(Page):
    checkins: list[CheckInOut]


class ReadingPage(Page):
    readings: list[ReadingOut]


class DeviceEventPage(Page):
    device_events: list[DeviceEventOut]


class AlertPage(Page):
    alerts: list[AlertOut]


class PatientMedications(OutputModel):
    medications: list[MedicationOut]


class PatientSchedules(OutputModel):
    schedules: list[ScheduleOut]

"""Field types shared by the wire models: phone numbers, time zones, dose amounts, strict inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from alerts.domain.schedule import check_zone_name


class InputModel(BaseModel):
    """Base of every request body.

    ``extra="forbid"``: a misspelt field (``takenAt``) is reported instead of silently dropped.
    ``strict``: JSON types must be what the schema says; ``"10"`` is not an integer and ``true`` is
    not a date (lax mode would read ``1718000000`` as a timestamp, a classic unit mix-up).
    """

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


# PostgreSQL's text types cannot hold the NUL character (SQLite can): an identifier with one would
# pass validation and then fail the INSERT with a 500. Refused at the border instead.
NO_NUL = r"^[^\x00]*$"


# Every row id is a PostgreSQL ``integer`` (int4): an id past this cannot exist, and sending one to
# PostgreSQL fails the query itself (a 500), so a path, body or webhook id is checked against this
# range before any lookup. The OpenAPI document states the same bounds (``schemas.openapi``).
ID_MIN, ID_MAX = 1, 2**31 - 1

RowId = Annotated[int, Field(ge=ID_MIN, le=ID_MAX)]


# A calendar day a person can mean for a schedule's start or a pump's refill. Year 1 or 9999 is a
# typo or a fuzzer, and reminders computed days before or after it would overflow Python's dates.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)

Day = Annotated[date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]


def is_row_id(value: object) -> bool:
    """Whether ``value`` is an int that could be a row's id (path and webhook parameters)."""
    return isinstance(value, int) and not isinstance(value, bool) and ID_MIN <= value <= ID_MAX


class OutputModel(BaseModel):
    """Base of every response body (built from ORM rows)."""

    model_config = ConfigDict(from_attributes=True)


class Health(OutputModel):
    """``GET /healthz`` and ``GET /ping``."""

    status: Literal["ok"]


def normalise_e164(value: str) -> str:
    """A phone number in E.164 (``+14155550100``), checked by ``phonenumbers``. Raises ValueError.

    Only international input is accepted: without a ``+`` and country code the region is a guess,
    and a caregiver alert sent to the wrong country reaches nobody.
    """
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError("phone must be in international E.164 form, e.g. +14155550100") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"{value!r} is not a valid phone number")
    if parsed.extension:
        # E.164 has no extensions: formatting would silently drop it and text the switchboard.
        raise ValueError("phone must not have an extension: an SMS cannot reach one")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_timezone(value: str) -> str:
    """An IANA zone name (``America/New_York``); dose times are wall-clock there. Raises ValueError."""
    return check_zone_name(value)


Phone = Annotated[
    str,
    Field(min_length=2, max_length=32, examples=["+14155550100"],
          description="E.164 phone number (normalised to E.164 when stored)."),
    AfterValidator(normalise_e164),
]
TimeZoneName = Annotated[
    str,
    Field(min_length=1, max_length=64, examples=["America/New_York"], description="IANA time zone name."),
    AfterValidator(check_timezone),
]
Language = Literal["en", "es"]

# The largest single oral baclofen dose in common use is 20-40 mg (daily totals rarely pass 120 mg).
# A number above this is almost certainly a unit slip (micrograms typed as milligrams, intrathecal
# pump doses are in micrograms), so it is refused rather than stored as fact.
MAX_DOSE_MG = Decimal(200)

DoseMg = Annotated[
    Decimal,
    Field(gt=0, le=MAX_DOSE_MG, max_digits=8, decimal_places=2, description="Dose in milligrams.",
          examples=[10]),
]
# Responses give doses as JSON numbers (pydantic would otherwise write Decimal as a string).
DoseMgOut = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]

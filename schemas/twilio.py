"""Twilio's webhook parameters, as dosewatch reads them (Twilio posts forms, not JSON).

Only Twilio can call these routes (every request is signed), but "signed" is not "well formed":
a form value PostgreSQL cannot store or compare (an id past ``integer``, a NUL, a SID longer than
its column) must be refused or handled here, before it reaches a query.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from schemas.common import NO_NUL, RowId

# Twilio SIDs are 34 characters ("SM" + 32 hex); the columns hold 64.
Sid = Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]
# An SMS is at most 1,600 characters once Twilio joins its segments; far more is not an SMS.
MAX_SMS_BODY = 10_000


def _replace_nul(text: str) -> str:
    # Not refused: a patient's "taken" or "seizure" must not be lost to one stray byte (GSM-7 codes
    # "@" as 0x00, and some carriers pass it on as NUL). PostgreSQL text cannot hold U+0000, so it
    # becomes U+FFFD, the standard "unreadable character", and the rest of the message is read.
    return text.replace("\x00", "\ufffd")


class TwilioForm(BaseModel):
    # Form values are text; Twilio sends many parameters dosewatch does not use (ToCountry, NumMedia ...).
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class InboundSmsForm(TwilioForm):
    """``POST /twilio/sms``: an SMS to our number."""

    MessageSid: Sid | None = None
    SmsSid: Sid | None = None
    From: Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]
    Body: Annotated[str, Field(max_length=MAX_SMS_BODY), AfterValidator(_replace_nul)] = ""

    @property
    def sid(self) -> str | None:
        return self.MessageSid or self.SmsSid


class StatusCallbackForm(TwilioForm):
    """``POST /twilio/status``: a message's or call's status moved on."""

    MessageSid: Sid | None = None
    SmsSid: Sid | None = None
    CallSid: Sid | None = None
    MessageStatus: Annotated[str, Field(max_length=32, pattern=NO_NUL)] | None = None
    SmsStatus: Annotated[str, Field(max_length=32, pattern=NO_NUL)] | None = None
    CallStatus: Annotated[str, Field(max_length=32, pattern=NO_NUL)] | None = None
    ErrorCode: str = ""

    @property
    def sid(self) -> str | None:
        return self.MessageSid or self.SmsSid or self.CallSid

    @property
    def status(self) -> str | None:
        return self.MessageStatus or self.SmsStatus or self.CallStatus

    @property
    def error_code(self) -> int | None:
        """Twilio's error code (five digits): anything that is not one is no code at all."""
        code = self.ErrorCode
        return int(code) if code.isascii() and code.isdigit() and len(code) <= 9 else None


class StatusCallbackQuery(TwilioForm):
    """The query string of our StatusCallback URL: ``?n=<notification id>``."""

    model_config = TwilioForm.model_config | {"strict": False}

    n: RowId | None = None


class GatherForm(TwilioForm):
    """``POST /twilio/voice/{id}/gather``: the key(s) pressed during our call."""

    Digits: Annotated[str, Field(max_length=32)] = ""

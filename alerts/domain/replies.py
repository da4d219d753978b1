"""What an SMS reply means. Pure: text in, a :class:`Reply` out; no idea who sent it.

The parser is a table of (intent, pattern) tried in order over a normalised text (lower case, no
accents, punctuation as spaces, single spaces). Patterns match the *whole* message, so "not taken"
or "no" never reads as "taken": a reply we do not fully understand is ``unknown`` and changes
nothing (the service answers it with the help text). To understand more replies, add rows.

Carrier keywords follow Twilio's default Advanced Opt-Out lists: Twilio itself answers them and
matches only a message that is exactly the keyword, so we do the same. Twilio's default opt-in
list also contains YES; for a subscribed number Twilio passes YES through, and here it means
"taken" (the reminder asks "have you taken it?").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Intent = Literal["taken", "ack", "stop", "start", "help", "unknown"]

# An alert code as ``alerts.services.alerts.new_code`` makes them: 4 characters, no 0/O/1/I/L.
# Kept to that exact shape so "ok thanks" is not read as "acknowledge alert THANKS".
_CODE = r"(?P<code>[a-hjkmnp-z2-9]{4})"

# Order matters only where patterns could overlap; the first full match wins.
PATTERNS: tuple[tuple[Intent, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern))
    for intent, pattern in (
        # Carrier keywords first: they must never be read as anything else.
        ("stop", r"stop|stopall|unsubscribe|cancel|end|quit|revoke|optout"),
        ("start", r"start|unstop"),
        ("help", r"help|info|ayuda"),
        # A caregiver taking charge of an alert, optionally naming it by code ("OK JQF2").
        ("ack", rf"(?:ok|okay|okey|ack|on it|got it|vale|entendido)(?: {_CODE})?"),
        ("ack", rf"{_CODE} (?:ok|okay|ack)"),
        # A caregiver saying they are dealing with it, in their own words ("ok, calling 911",
        # "I'm on my way", "voy para alla"). Only ever read as an acknowledgement from a caregiver.
        ("ack", rf"(?:(?:ok|okay|yes|yep|got it|si|vale) )?(?:i m |im |i am |i ve |ive |i have |"
                rf"we re |were |we are )?(?:on my way|on our way|omw|coming|coming now|going now|"
                rf"heading (?:over|there)|calling 911|called 911|calling 9 1 1|calling an ambulance|"
                rf"calling her|calling him|got it|got this|on it|handling it|voy|voy para alla|ya voy|"
                rf"llamando al 911|llame al 911)(?: now)?(?: {_CODE})?"),
        # A patient reporting the dose taken. English, then Spanish (accents already stripped).
        ("taken", r"(?:yes |y )?(?:i )?(?:taken|took it|took|took my dose|took my meds|done|did it)"),
        ("taken", r"yes|y|yep|yeah|yup"),
        ("taken", r"(?:si )?(?:ya )?(?:la |lo |me la )?(?:tomada|tomado|tome)(?: ya)?"),
        ("taken", r"si|ya|listo|lista|hecho"),
    )
)


@dataclass(frozen=True)
class Reply:
    """What a reply asks for. ``code`` is the alert code named after OK/ACK, upper case, if any."""

    intent: Intent
    code: str | None = None


def normalise(text: str) -> str:
    """Lower case, accents removed, anything not a letter or digit turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def parse_reply(text: str) -> Reply:
    """The intent of an SMS reply; ``unknown`` unless the whole message matches a known form."""
    cleaned = normalise(text)
    for intent, pattern in PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            code = match.groupdict().get("code")
            return Reply(intent, code.upper() if code else None)
    return Reply("unknown")

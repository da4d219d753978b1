"""Optional TOTP (RFC 6238) for staff accounts, with one-time recovery codes.

Framework-free like every service: the console's account page and sign-in call these. A code is
accepted for the current 30-second step or one either side (phones' clocks drift), and only for a
step later than the last one accepted, so a code seen over someone's shoulder cannot be replayed
inside its window. Recovery codes are kept as hashes and work once each.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from alerts.models import RecoveryCode, User

ISSUER = "dosewatch"
# Steps either side of now that still count (30 s each): the usual allowance for a phone's clock.
DRIFT_STEPS = 1
RECOVERY_CODES = 8
# Lower-case letters and digits a person will not misread for each other (no 0/o, 1/l/i).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _recovery_hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.id}:{normalise_recovery(code)}".encode()).hexdigest()


def normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def looks_like_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def start_enrolment(user: User) -> str:
    """A new secret for ``user``, not in force until :func:`confirm` sees a code made from it."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = None
    user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    assert user.totp_secret
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email or user.name, issuer_name=ISSUER)


def check_code(session: Session, user: User, code: str, now: datetime) -> bool:
    """True if ``code`` is the user's TOTP code for a step around ``now`` later than the last one
    accepted; that step is then spent. The account row is locked first, so two sign-ins racing
    with the same code cannot both pass."""
    code = code.strip().replace(" ", "")
    if not user.totp_secret or not looks_like_totp(code):
        return False
    session.refresh(user, with_for_update=True)
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def confirm(session: Session, user: User, code: str, now: datetime) -> list[str] | None:
    """Turn TOTP on if ``code`` matches the pending secret; returns the new recovery codes (shown
    once) or None."""
    if user.totp_on or not check_code(session, user, code, now):
        return None
    user.totp_enabled_at = now
    return new_recovery_codes(session, user, now)


def regenerate_recovery_codes(session: Session, user: User, code: str, now: datetime) -> list[str] | None:
    """A fresh set of recovery codes in place of the old ones (which stop working at once), if
    ``code`` is the user's current TOTP code; None if it is not. Only the app's code will do: a
    session left open is not enough, and a recovery code must not mint more of itself."""
    if not user.totp_on or not check_code(session, user, code, now):
        return None
    return new_recovery_codes(session, user, now)


def new_recovery_codes(session: Session, user: User, now: datetime) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them in clear, once (only hashes are kept)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, c), created_at=now) for c in codes)
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    """Spend one of the user's recovery codes; False if it is not one or was used already. One
    conditional UPDATE, so the same code cannot be spent twice by two requests at once."""
    if not user.totp_on or len(normalise_recovery(code)) != 10:
        return False
    spent = session.execute(update(RecoveryCode)
                            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
                                   RecoveryCode.code_hash == _recovery_hash(user, code))
                            .values(used_at=now).execution_options(synchronize_session=False))
    return bool(spent.rowcount)  # type: ignore[attr-defined]


def second_factor(session: Session, user: User, code: str, now: datetime) -> str | None:
    """Which second factor ``code`` is ("totp" or "recovery_code"), if it is a valid one; None if not."""
    if check_code(session, user, code, now):
        return "totp"
    if use_recovery_code(session, user, code, now):
        return "recovery_code"
    return None


def recovery_codes_left(session: Session, user: User) -> int:
    return int(session.scalar(select(func.count()).select_from(RecoveryCode)
                              .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0)


def turn_off(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))

"""Invites: one-time links to set up a staff account, and the first admin's link ``dosewatch up`` prints.

Kept apart from ``console_auth`` (passwords, texted codes) so the supervisor, which makes the
first-run link before it starts anything, imports no more than the models and this: it stays a
small process that stops fast on Ctrl-C.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from alerts.models import Invite, User

INVITE_TTL = timedelta(days=7)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def create_invite(session: Session, role: str, now: datetime, *, email: str | None = None,
                  created_by: User | None = None) -> str:
    """A one-time set-up token for a new staff account; only its hash is stored. Returns the token."""
    if role not in ("admin", "clinician"):
        raise ValueError("invites are for staff (admin or clinician); caregivers sign in by texted code")
    token = secrets.token_urlsafe(24)
    session.add(Invite(token_hash=_sha256(token), role=role, email=email, created_by=created_by.id if created_by else None,
                       created_at=now, expires_at=now + INVITE_TTL))
    session.flush()
    return token


def open_invite(session: Session, token: str, now: datetime) -> Invite | None:
    invite = session.scalar(select(Invite).where(Invite.token_hash == _sha256(token)))
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    return invite


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(User.id.is_not(None)))))


def first_admin_link(session: Session, base_url: str, now: datetime) -> str | None:
    """On a database with no console user yet, a fresh one-time link to set up the first admin."""
    if has_users(session):
        return None
    # Only the newest first-run link works: an old terminal's scrollback is not a way in.
    for old in session.scalars(select(Invite).where(Invite.role == "admin", Invite.created_by.is_(None),
                                                    Invite.used_at.is_(None))):
        old.expires_at = min(old.expires_at, now)
    token = create_invite(session, "admin", now)
    return f"{base_url.rstrip('/')}/setup/{token}"

"""Acknowledging alerts as the signed-in user: one alert at a time (anyone who may see it) or
several at once (staff, from the Alerts page).

Both go through :func:`acknowledge_as_me`, which ends in ``alerts.services.alerts.acknowledge_as``
like an SMS "OK": the escalation stops and everyone already told is told who has it.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.models import Alert, AlertNote, User
from alerts.services import alerts as alert_service
from alerts.services.console_auth import can_see, caregiver_for
from alerts.web.common import console_blueprint, kick, me, record, require_staff

bp = console_blueprint("console_alert_actions", __name__)

# A page of open alerts is rarely longer; more in one post is a mistake or a script.
MAX_BULK = 200


def note_text() -> str:
    return request.form.get("note", "").replace("\x00", "").strip()[:2000]


def acknowledge_as_me(session: Session, alert: Alert, user: User, note: str, now: datetime,
                      **details: object) -> list[int]:
    """Acknowledge one open alert as ``user``: as the caregiver they are (exactly like their SMS
    "OK") or in a staff member's own name; the note and the audit event go with it. Returns the
    outbox ids queued (the others told)."""
    caregiver = caregiver_for(session, user, alert.patient_id)
    if caregiver is not None:
        ids = alert_service.acknowledge(session, alert, caregiver, via="web", now=now)
    else:
        ids = alert_service.acknowledge_as(session, alert, name=user.name, caregiver_id=None, via="console", now=now)
    session.add(AlertNote(alert_id=alert.id, user_id=user.id, author=user.name, kind="acknowledged", text=note, at=now))
    record(session, "acknowledge", alert.patient_id, target=f"alert {alert.id}", actor=user, **details)
    return ids


@bp.post("/alerts/acknowledge")
def bulk_acknowledge() -> Response:
    """Staff acknowledge the alerts they ticked, each exactly as if acknowledged alone. One alert
    they may not see (or that does not exist) makes the whole post a 404 and changes nothing."""
    require_staff()
    picked = request.form.getlist("alert_id")
    if len(picked) > MAX_BULK or not all(v.isdigit() and len(v) < 12 for v in picked):
        abort(422)
    ids = sorted({int(v) for v in picked})
    if not ids:
        flash("Tick at least one alert to acknowledge.", "error")
        return redirect(url_for("console.alerts"))  # type: ignore[return-value]
    session = db_session()
    user = me()
    # Locked in id order, so two people acknowledging overlapping sets never deadlock.
    alerts = list(session.scalars(select(Alert).where(Alert.id.in_(ids)).order_by(Alert.id).with_for_update()))
    if len(alerts) != len(ids) or not all(can_see(session, user, pid) for pid in {a.patient_id for a in alerts}):
        abort(404)
    now = utcnow()
    note = note_text()
    queued: list[int] = []
    done = 0
    for alert in alerts:
        if alert.status != "open":
            continue
        queued += acknowledge_as_me(session, alert, user, note, now, bulk=len(ids))
        done += 1
    session.commit()
    if queued:
        kick()
    skipped = len(alerts) - done
    words = f"Acknowledged {done} alert{'s' if done != 1 else ''}."
    if done:
        words += " The others who were told have been let know you are on it."
    if skipped:
        words += f" {skipped} had already been acknowledged or closed by someone else."
    flash(words, "success" if done else "info")
    return redirect(url_for("console.alerts"))  # type: ignore[return-value]

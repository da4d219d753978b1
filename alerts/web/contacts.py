"""Contact methods on the manage page: "send a test message" to the patient's or a caregiver's phone."""

from __future__ import annotations

import uuid

from flask import Response, abort, current_app, flash, redirect, request, url_for

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.models import Patient
from alerts.services import test_messages
from alerts.web.common import console_blueprint, kick, patient_or_404, record, require_staff

bp = console_blueprint("console_contacts", __name__)


@bp.app_template_global()
def contact_methods(patient: Patient) -> list[test_messages.Contact]:
    """For the manage page's "Contact methods" section (staff only, like the page)."""
    return test_messages.contacts(db_session(), patient)


@bp.app_template_global()
def page_nonce() -> str:
    """A fresh value per page load: the test buttons send it, so a double-click sends one text."""
    return uuid.uuid4().hex


@bp.post("/patients/<int:patient_id>/contacts/<kind>/<int:contact_id>/test")
def send_test_message(patient_id: int, kind: str, contact_id: int) -> Response:
    require_staff()
    p = patient_or_404(patient_id)
    nonce = request.form.get("nonce", "")
    if not test_messages.NONCE.fullmatch(nonce):
        abort(422)
    session = db_session()
    contact = next((c for c in test_messages.contacts(session, p) if (c.kind, c.id) == (kind, contact_id)), None)
    if contact is None:
        abort(404)
    outcome = test_messages.send_test(session, p, contact, nonce, utcnow())
    record(session, "test_message", p.id, target=f"{kind} {contact_id}", outcome=outcome.status)
    session.commit()
    whose = f"{contact.name}'s phone (ending {contact.phone[-4:]})"
    if outcome.status == "queued":
        kick()
        where = (" With no Twilio account configured, the console notifier prints it in the terminal running "
                 "dosewatch." if current_app.config["NOTIFIER"] == "console" else "")
        flash(f"Test message sent to {whose}.{where}", "success")
    elif outcome.status == "duplicate":
        flash(f"Test message to {whose} already sent from this page (the button was pressed twice).", "info")
    else:
        flash(f"Not sent: {whose} replied STOP, so dosewatch may not text it until it replies START.", "error")
    return redirect(url_for("console.manage", patient_id=p.id) + "#contacts")  # type: ignore[return-value]

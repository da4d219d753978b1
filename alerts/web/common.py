"""What every console route shares: the current user from the database, the patient guard, audit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.models import Patient, User
from alerts.services import audit
from alerts.services.console_auth import can_see
from alerts.web.extensions import login_manager, protect_console_form


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db_session().get(User, int(user_id))
    return user if user is not None and user.active else None


def form_text(name: str, limit: int, *, args: bool = False) -> str:
    """A form (or query) field as text a column can hold: no NUL (PostgreSQL refuses it, which
    would be a 500), trimmed, at most ``limit`` characters."""
    source = request.args if args else request.form
    return source.get(name, "").replace("\x00", "").strip()[:limit]


def me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def address() -> str | None:
    return request.remote_addr


def record(session: Session, action: str, patient_id: int | None = None, *, target: str = "",
           actor: User | None = None, **details: Any) -> None:
    """An audit event for the request's user (or ``actor``), with the client's address."""
    audit.record(session, actor if actor is not None else me(), action, patient_id, target=target,
                 address=address(), now=utcnow(), **details)


def patient_or_404(patient_id: int) -> Patient:
    """The patient if the signed-in user may see them; 404 otherwise, the same answer as for a
    patient that does not exist, so a caregiver cannot even learn which ids are in use."""
    session = db_session()
    if not can_see(session, me(), patient_id):
        abort(404)
    patient = session.get(Patient, patient_id)
    assert patient is not None
    return patient


def require_staff() -> None:
    if not me().is_staff:
        abort(404)


def require_admin() -> None:
    if me().role != "admin":
        abort(404)


def kick() -> None:
    from workers.dispatch import kick_outbox

    kick_outbox(current_app._get_current_object())  # type: ignore[attr-defined]


def require_signed_in() -> Response | None:
    """Every console page needs a signed-in user (static files aside): a ``before_request`` hook."""
    if request.endpoint and request.endpoint.endswith(".static"):
        return None
    if not current_user.is_authenticated:
        if request.headers.get("HX-Request"):
            # A poll after the session expired: send the whole page to sign-in, not the sign-in
            # form into the table body.
            return Response(status=204, headers={"HX-Redirect": url_for("console_auth.sign_in")})
        return login_manager.unauthorized()  # type: ignore[no-any-return]
    return None


def not_found(_exc: Exception) -> tuple[str, int]:
    return render_template("not_found.html"), 404


def console_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of console pages: its forms checked for a CSRF token first, then signed-in users
    only, and the console's own 404 page."""
    bp = Blueprint(name, import_name, template_folder="templates")
    bp.before_request(protect_console_form)
    bp.before_request(require_signed_in)
    bp.register_error_handler(404, not_found)
    return bp

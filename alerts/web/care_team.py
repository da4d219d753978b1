"""Which clinicians a patient is assigned to: shown on the manage page, changed by admins.

A clinician sees only their assigned patients (``alerts.services.console_auth.visible_patients``),
so this list is the clinicians' access list, as the caregiver list is the caregivers'.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for

from alerts.api.deps import db_session
from alerts.models import Patient, User
from alerts.services import console_auth
from alerts.web.common import console_blueprint, me, patient_or_404, record, require_admin

bp = console_blueprint("console_care_team", __name__)


@bp.app_template_global()
def care_team(patient: Patient) -> tuple[list[User], list[User]]:
    """For the manage page: (assigned clinicians, the others an admin could assign)."""
    session = db_session()
    assigned = console_auth.care_team(session, patient.id)
    if me().role != "admin":
        return assigned, []
    ids = {u.id for u in assigned}
    return assigned, [u for u in console_auth.clinicians(session) if u.id not in ids]


def _back(p: Patient) -> Response:
    return redirect(url_for("console.manage", patient_id=p.id) + "#care-team")  # type: ignore[return-value]


@bp.post("/patients/<int:patient_id>/clinicians")
def assign(patient_id: int) -> Response:
    require_admin()
    p = patient_or_404(patient_id)
    session = db_session()
    raw = request.form.get("user_id", "")
    clinician = session.get(User, int(raw)) if raw.isdigit() and len(raw) < 12 else None
    if clinician is None or clinician.role != "clinician" or not clinician.active:
        abort(422)
    if console_auth.assign(session, clinician, p.id):
        record(session, "assign", p.id, target=f"clinician {clinician.id}")
        session.commit()
    flash(f"{clinician.name} now sees {p.name}.", "success")
    return _back(p)


@bp.post("/patients/<int:patient_id>/clinicians/<int:user_id>/remove")
def unassign(patient_id: int, user_id: int) -> Response:
    require_admin()
    p = patient_or_404(patient_id)
    session = db_session()
    if not console_auth.unassign(session, user_id, p.id):
        abort(404)
    record(session, "unassign", p.id, target=f"clinician {user_id}")
    session.commit()
    flash(f"That clinician no longer sees {p.name}.", "success")
    return _back(p)

"""Who exported what: every FHIR export goes through :func:`record_export`.

Each export is a row of the append-only audit log (``alerts/services/audit.py``, the same log the
care console writes and admins read and download), with the token or console user that asked, the
patient or group, the job and the resource counts: ids and counts only, never names, phone numbers or
message bodies. The same facts also go to the ``dosewatch.audit`` logger, for log-based retention.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import request
from sqlalchemy.orm import Session

from alerts.services import audit

log = logging.getLogger("dosewatch.audit")


def record_export(session: Session, *, token_id: int | None, role: str, action: str, patient_id: int | None = None,
                  group: str | None = None, job_id: str | None = None, counts: Mapping[str, int] | None = None,
                  user: audit.Actor | None = None) -> None:
    """Record one export and commit it: ``action`` is ``fhir.everything``, ``fhir.export.kickoff``,
    ``fhir.export.download`` or ``fhir.export.delete``. ``token_id`` for an API token, ``user`` for
    a console session."""
    target = f"group {group}" if group else (f"job {job_id}" if job_id else "")
    event = audit.record(session, user, action, patient_id, target=target, address=request.remote_addr, role=role,
                         token_id=token_id, job_id=job_id, counts=dict(counts or {}))
    if user is None and token_id is not None:
        event.actor = f"API token {token_id}"
    session.commit()
    log.info("audit action=%s token=%s role=%s patient=%s group=%s job=%s counts=%s", action, token_id, role,
             patient_id, group, job_id, dict(counts or {}))

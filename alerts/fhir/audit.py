"""Who exported what: every FHIR export goes through :func:`record_export`.

``alerts/services/audit.py`` (the audit log) is not on this branch yet. Until it is, export audit
events are written here, as one structured log line each on the ``dosewatch.audit`` logger (ids and
counts only: no names, phone numbers or message bodies). When the audit log lands, re-point this one
function at it; every caller already passes what an audit row needs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger("dosewatch.audit")


def record_export(*, token_id: int, role: str, action: str, patient_id: int | None = None,
                  group: str | None = None, job_id: str | None = None,
                  counts: Mapping[str, int] | None = None) -> None:
    """Record one export: ``action`` is ``fhir.everything``, ``fhir.export.kickoff``,
    ``fhir.export.download`` or ``fhir.export.delete``."""
    log.info("audit action=%s token=%s role=%s patient=%s group=%s job=%s counts=%s", action, token_id, role,
             patient_id, group, job_id, dict(counts or {}))

"""Bearer-token authentication and patient scoping for API routes.

Every route that touches a patient goes through :func:`require_token` and then
:func:`patient_for_token` (or :func:`may_act_for`), so a client token can only ever read or
write the patients it was issued for. One exception, for speed: on PostgreSQL a check-in's token
is checked by the statement that stores it (``services.checkins.record_checkin_for_token``), with
the same rules (:func:`accepted_roles`, ``tokens.granted_patient``); whatever it does not accept
goes through :func:`require_token` as usual, so the answers are the same.

The token is checked before anything a request names is looked up, and a patient (or alert, or
device event) the token may not act for is answered exactly like one that does not exist: 404.
A 403 there would tell any token holder which patient ids exist. (403 remains for a token whose
*role* is not enough, which says nothing about anyone's data.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Request, g, request

from alerts.api.deps import db_session
from alerts.api.problems import Problem
from alerts.models import ApiToken, Patient
from alerts.services.tokens import ROLES, PatientAccess, authenticate, authenticate_for_patient, may_access
from schemas.common import is_row_id

F = TypeVar("F", bound=Callable[..., Any])


def _unauthorized(detail: str, error: str | None = None) -> Problem:
    # RFC 6750: a 401 names the scheme, and says "invalid_token" when a token was sent but is bad.
    challenge = 'Bearer realm="dosewatch"' + (f', error="{error}"' if error else "")
    return Problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": challenge})


def bearer_secret(current: Request | None = None) -> str | None:
    """The secret of a well-formed ``Authorization: Bearer <secret>`` header, or None (of ``current``,
    the request already resolved from Flask's proxy, if given)."""
    scheme, _, secret = (current or request).headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == "bearer" and secret else None


def role_refusal(token_role: str, role: str | None = None, *, devices: bool = False,
                 clinicians: bool = False) -> str | None:
    """Why a live token of ``token_role`` may not use a route that :func:`require_token` guards with
    these arguments (the 403's detail), or None if it may."""
    if role is not None and token_role != role and token_role != "admin":
        return f"This endpoint needs an {role} token."
    if token_role == "device" and not devices:
        return "A device token may only post readings and device events."
    if token_role == "clinician" and not clinicians:
        return "A clinician token may only read its patients' records (FHIR)."
    return None


def accepted_roles(role: str | None = None, *, devices: bool = False, clinicians: bool = False) -> frozenset[str]:
    """The token roles :func:`require_token` with these arguments lets through (same rule)."""
    return frozenset(r for r in ROLES if role_refusal(r, role, devices=devices, clinicians=clinicians) is None)


def require_token(role: str | None = None, *, devices: bool = False, clinicians: bool = False) -> Callable[[F], F]:
    """Route decorator: a valid ``Authorization: Bearer dw_...`` token, of ``role`` if given.

    401 when the header is missing, malformed, unknown or revoked; 403 when the token's role is not
    enough (a client token on an admin route, a device token on a route not marked ``devices``:
    a wearable posts readings and events, it does not acknowledge alerts; a clinician token on a
    route not marked ``clinicians``: it reads its patients' records out as FHIR, nothing else). The token is then
    :func:`current_token`.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, secret = header.partition(" ")
            if not header:
                raise _unauthorized("Send an API token: Authorization: Bearer <token>.")
            if scheme.lower() != "bearer" or not secret.strip():
                raise _unauthorized("The Authorization header must be 'Bearer <token>'.", "invalid_request")
            patient_id = kwargs.get("patient_id")
            if is_row_id(patient_id):
                # A patient's route: the token, the patient and the scope in one query.
                access = authenticate_for_patient(db_session(), secret.strip(), patient_id)
                token = access.token if access else None
                g.patient_access = (patient_id, access)
            else:
                token = authenticate(db_session(), secret.strip())
            if token is None:
                raise _unauthorized("The API token is unknown or revoked.", "invalid_token")
            refused = role_refusal(token.role, role, devices=devices, clinicians=clinicians)
            if refused is not None:
                raise Problem(403, "Forbidden", refused)
            g.api_token = token
            out_of_range = [name for name, value in kwargs.items()
                            if name.endswith("_id") and isinstance(value, int) and not is_row_id(value)]
            if out_of_range:
                # No row can have this id (and PostgreSQL would refuse to compare with it): it does
                # not exist, said only now that the caller has shown a token.
                raise not_found(f"There is no {out_of_range[0].removesuffix('_id').replace('_', ' ')} "
                                f"{kwargs[out_of_range[0]]}.")
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


def current_token() -> ApiToken:
    return cast(ApiToken, g.api_token)


def not_found(detail: str) -> Problem:
    return Problem(404, "Not Found", detail)


def may_act_for(patient_id: int) -> bool:
    """Whether the current token may act for this patient (admin tokens may act for all)."""
    return may_access(db_session(), current_token(), patient_id)


def patient_for_token(patient_id: int) -> Patient:
    """The patient, if the current token may act for them; else 404, whether the patient does not
    exist or is someone else's (the same answer, so a token cannot probe which ids exist)."""
    looked_up: tuple[int, PatientAccess | None] | None = g.get("patient_access")
    if looked_up is not None and looked_up[0] == patient_id and looked_up[1] is not None:
        patient, allowed = looked_up[1].patient, looked_up[1].allowed
    else:
        patient = db_session().get(Patient, patient_id) if is_row_id(patient_id) else None
        allowed = patient is not None and may_act_for(patient_id)
    if patient is None or not allowed:
        raise not_found(f"There is no patient {patient_id} for this token.")
    return patient

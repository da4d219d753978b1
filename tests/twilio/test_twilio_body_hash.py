"""JSON-bodied Twilio webhooks: Twilio signs the URL, and the URL's ``bodySHA256`` is the SHA-256 of
the body (Twilio's webhook security documentation; the SDK's RequestValidator computes both). The
hash must be compared: a signed URL replayed with another body is forged."""

from __future__ import annotations

import hashlib
import json

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from tests.twilio.conftest import AUTH_TOKEN, PUBLIC_BASE_URL

BODY = json.dumps({"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered"})


def signed(body: str) -> tuple[str, dict[str, str]]:
    """The path with ``bodySHA256`` for ``body``, and the headers Twilio would send with it."""
    path = f"/twilio/status?bodySHA256={hashlib.sha256(body.encode()).hexdigest()}"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, {})
    return path, {"X-Twilio-Signature": signature, "Content-Type": "application/json"}


def test_a_json_body_matching_its_signed_hash_passes_the_signature_check(client: FlaskClient,
                                                                         session: Session) -> None:
    session.commit()
    path, headers = signed(BODY)

    response = client.post(path, data=BODY, headers=headers)

    assert response.status_code != 403, response.get_data(as_text=True)


def test_a_forged_json_body_under_a_signed_url_is_refused(client: FlaskClient, session: Session) -> None:
    session.commit()
    path, headers = signed(BODY)
    forged = BODY.replace("delivered", "failed")

    response = client.post(path, data=forged, headers=headers)

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_a_json_body_with_a_forged_hash_in_the_url_is_refused(client: FlaskClient, session: Session) -> None:
    # The hash is part of the signed URL: changing it breaks the signature itself.
    session.commit()
    path, headers = signed(BODY)
    forged = BODY.replace("delivered", "failed")
    response = client.post(path.split("=")[0] + "=" + hashlib.sha256(forged.encode()).hexdigest(), data=forged,
                           headers=headers)

    assert response.status_code == 403

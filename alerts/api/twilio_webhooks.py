"""Twilio webhooks: inbound SMS, delivery status callbacks, and the voice call's "press 1".

Every route here is called by Twilio and only by Twilio, so every request must carry a valid
``X-Twilio-Signature``, checked against ``PUBLIC_BASE_URL`` + the request path, not ``request.url``:
behind a reverse proxy Flask sees ``http://localhost/...`` while Twilio signed the public
``https://`` URL. A missing or forged signature gets 403 before anything is read or stored.

Routes are thin: parse the form, call ``alerts.services.inbound`` / ``delivery_status``, commit,
then nudge the outbox worker if rows were written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Gather, VoiceResponse

from alerts.api.deps import db_session
from alerts.api.problems import Problem
from alerts.api.validation import error_list
from alerts.clock import utcnow
from alerts.domain.messages import render
from alerts.ops.loop import inbound_handled
from alerts.services.delivery_status import record_status
from alerts.services.clinical import ClinicalPolicy
from alerts.api.ingest import dose_windows
from alerts.services.inbound import InboundResult, handle_keypress, handle_sms, voice_script
from schemas.common import is_row_id
from schemas.twilio import GatherForm, InboundSmsForm, StatusCallbackForm, StatusCallbackQuery
from workers.dispatch import kick_outbox

F = TypeVar("F", bound=BaseModel)

bp = Blueprint("twilio_webhooks", __name__)

TWIML_MIME = "text/xml"
# Twilio <Say> language per recipient language (the basic voices cover both).
SAY_LANGUAGE = {"en": "en-US", "es": "es-MX"}


def public_url() -> str:
    """The URL Twilio requested, as Twilio saw it: the configured public base, this path and query."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    query = request.query_string.decode("utf-8")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


@bp.before_request
def require_twilio_signature() -> None:
    """403 unless the request is signed with our auth token for the public URL."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if not token:
        raise Problem(403, "Forbidden",
                      "Inbound Twilio webhooks are not configured: TWILIO_AUTH_TOKEN is not set.")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        raise Problem(403, "Forbidden", "Missing X-Twilio-Signature.")
    # POST parameters are part of what Twilio signs; a GET is signed on its URL (query included).
    params: Any = request.form if request.method == "POST" else {}
    if request.method == "POST" and "bodySHA256" in request.args:
        # A JSON-bodied webhook: Twilio signs the URL, whose bodySHA256 is the SHA-256 of the body.
        # The SDK's validator compares that hash only when handed the raw body as a string; given
        # the (empty) form it checked the URL alone, so any body passed with a replayed URL.
        params = request.get_data(as_text=True)
    if not RequestValidator(token).validate(public_url(), params, signature):
        raise Problem(403, "Forbidden", "X-Twilio-Signature does not match this request.")


@bp.post("/twilio/sms")
def inbound_sms() -> Response:
    """An SMS to our number: act on it once per MessageSid and answer with TwiML (maybe empty)."""
    form = _parse(InboundSmsForm, request.form)
    message_sid = form.sid
    if not message_sid:
        raise Problem(400, "Bad Request", "MessageSid and From are required.")
    session = db_session()
    now = utcnow()
    policy = ClinicalPolicy.from_config(current_app.config)
    windows = dose_windows()
    try:
        result = handle_sms(session, message_sid=message_sid, from_number=form.From,
                            body=form.Body, now=now, policy=policy, windows=windows)
        session.commit()
    except IntegrityError:
        # The same MessageSid is being handled by a concurrent retry that committed first:
        # answer with what it stored.
        session.rollback()
        result = handle_sms(session, message_sid=message_sid, from_number=form.From,
                            body=form.Body, now=now, policy=policy, windows=windows)
        session.commit()
    inbound_handled(message_sid, form.From, result.outcome, result.replayed)
    _kick_if_queued(result)
    twiml = MessagingResponse()
    if result.reply_text:
        twiml.message(result.reply_text)
    return Response(str(twiml), mimetype=TWIML_MIME)


@bp.post("/twilio/status")
def status_callback() -> Response:
    """A message or call status callback: move the notification's status forward; a message or call
    that did not reach its person moves the escalation on at once. 204.

    Our StatusCallback URL carries ``?n=<notification id>`` (``workers.dispatch.callback_urls``);
    it is part of what Twilio signs, so it cannot be forged either."""
    form = _parse(StatusCallbackForm, request.form)
    query = _parse(StatusCallbackQuery, request.args)
    sid, status = form.sid, form.status
    if not sid or not status:
        raise Problem(400, "Bad Request", "A MessageSid or CallSid and its status are required.")
    session = db_session()
    ids = record_status(session, provider_sid=sid, status=status, error_code=form.error_code, now=utcnow(),
                        notification_id=query.n)
    session.commit()
    _kick_if_queued(InboundResult("", tuple(ids), "status"))
    return Response(status=204)


@bp.route("/twilio/voice/<int:notification_id>", methods=["GET", "POST"])
def voice(notification_id: int) -> Response:
    """TwiML for a call: speak the notification, then wait for "press 1 to acknowledge"."""
    _known_id(notification_id)
    return _twiml(_prompt(notification_id))


@bp.post("/twilio/voice/<int:notification_id>/gather")
def voice_gather(notification_id: int) -> Response:
    """The key pressed: 1 acknowledges the alert for the caregiver called; anything else repeats."""
    _known_id(notification_id)
    session = db_session()
    digits = _parse(GatherForm, request.form).Digits
    result = handle_keypress(session, notification_id=notification_id, digits=digits, now=utcnow())
    if result is None:
        raise Problem(404, "Not Found", f"No notification {notification_id}.")
    if result.outcome == "repeat":
        return _twiml(_prompt(notification_id))
    session.commit()
    _kick_if_queued(result)
    script = voice_script(session, notification_id)
    response = VoiceResponse()
    response.say(result.reply_text, language=_say_language(script.language if script else None))
    return _twiml(response)


def _parse(model: type[F], values: Mapping[str, str]) -> F:
    """Twilio's form (or our callback URL's query) as ``model``; 400 listing the bad parameters."""
    try:
        return model.model_validate(values.to_dict() if isinstance(values, MultiDict) else dict(values))
    except ValidationError as exc:
        errors = error_list(exc)
        raise Problem(400, "Bad Request", "; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:3]),
                      errors=errors) from None


def _known_id(notification_id: int) -> None:
    # Past PostgreSQL's integer no notification can exist (and the lookup itself would fail).
    if not is_row_id(notification_id):
        raise Problem(404, "Not Found", f"No notification {notification_id}.")


def _prompt(notification_id: int) -> VoiceResponse:
    script = voice_script(db_session(), notification_id)
    if script is None:
        raise Problem(404, "Not Found", f"No notification {notification_id}.")
    language = _say_language(script.language)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # The message is spoken inside <Gather>, so a caregiver can press 1 without waiting for the end.
    gather = Gather(num_digits=1, action=f"{base}/twilio/voice/{notification_id}/gather", method="POST")
    gather.say(script.body, language=language)
    gather.pause(length=1)
    gather.say(render("voice_press_one", script.language), language=language)
    response = VoiceResponse()
    response.append(gather)
    return response


def _say_language(language: str | None) -> str:
    return SAY_LANGUAGE.get(language or "en", SAY_LANGUAGE["en"])


def _twiml(response: MessagingResponse | VoiceResponse) -> Response:
    return Response(str(response), mimetype=TWIML_MIME)


def _kick_if_queued(result: InboundResult) -> None:
    if result.notification_ids:
        kick_outbox(current_app._get_current_object())  # type: ignore[attr-defined]

"""The signed-in member of staff's own account: turning two-step sign-in (TOTP) on and off.

Enrolment has two steps so a mistyped secret never locks anyone out: a new secret is shown (as
text and as a QR code drawn here as inline SVG), and only a code made from it turns TOTP on. The
recovery codes are shown once, on the page that confirms it; a new set (the old ones then stop
working) needs a current code from the app, and is shown once too.
"""

from __future__ import annotations

import segno
from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.services import totp
from alerts.web.auth import PER_ACCOUNT
from alerts.web.common import console_blueprint, form_text, me, record, require_staff
from alerts.web.extensions import limiter

bp = console_blueprint("console_account", __name__)


def _user_key() -> str:
    return f"account:{current_user.get_id()}"


def qr_svg(text: str) -> Markup:
    """``text`` as a QR code in inline SVG: black on white whatever the page's colours (scanners
    want dark modules on a light ground), no script, no image request."""
    svg = segno.make(text, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff", svgclass="qr")
    return Markup(svg)  # segno's own markup, from a URI it escapes itself


def _account() -> Response:
    return redirect(url_for("console_account.account"))  # type: ignore[return-value]


@bp.get("/account")
def account() -> str:
    require_staff()
    user = me()
    left = totp.recovery_codes_left(db_session(), user) if user.totp_on else 0
    return render_template("account.html", user=user, recovery_left=left)


@bp.post("/account/totp")
def start_totp() -> Response:
    """A new secret to enrol, replacing any enrolment not yet confirmed."""
    require_staff()
    user = me()
    if user.totp_on:
        flash("Two-step sign-in is already on.", "info")
        return _account()
    session = db_session()
    totp.start_enrolment(user)
    session.commit()
    return redirect(url_for("console_account.totp_setup"))  # type: ignore[return-value]


@bp.get("/account/totp")
def totp_setup() -> Response | str:
    require_staff()
    user = me()
    if user.totp_on or not user.totp_secret:
        return _account()
    uri = totp.provisioning_uri(user)
    secret = user.totp_secret
    return render_template("totp_setup.html", qr=qr_svg(uri),
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)))


def _recovery_codes_page(codes: list[str], *, regenerated: bool) -> Response:
    """The codes in clear, this once: no cache may keep the page."""
    response = Response(render_template("totp_recovery.html", codes=codes, regenerated=regenerated))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/totp/confirm")
@limiter.limit(PER_ACCOUNT, key_func=_user_key)
def confirm_totp() -> Response:
    require_staff()
    user = me()
    if user.totp_on or not user.totp_secret:
        return _account()
    session = db_session()
    now = utcnow()
    codes = totp.confirm(session, user, form_text("code", 32), now)
    if codes is None:
        session.rollback()
        flash("That code does not match. Check the key was entered exactly, then try the newest code.", "error")
        return redirect(url_for("console_account.totp_setup"))  # type: ignore[return-value]
    record(session, "totp_on", target=f"account {user.id}")
    session.commit()
    return _recovery_codes_page(codes, regenerated=False)


@bp.post("/account/totp/recovery-codes")
@limiter.limit(PER_ACCOUNT, key_func=_user_key)
def regenerate_recovery_codes() -> Response:
    """New recovery codes (say, after using some, or fearing the printout was seen): needs a current
    code from the app, as turning TOTP off does."""
    require_staff()
    user = me()
    if not user.totp_on:
        return _account()
    session = db_session()
    codes = totp.regenerate_recovery_codes(session, user, form_text("code", 32), utcnow())
    if codes is None:
        session.rollback()
        flash("No new recovery codes: that is not the current code from your app. Your old codes still work.",
              "error")
        return _account()
    record(session, "totp_recovery_codes", target=f"account {user.id}")
    session.commit()
    return _recovery_codes_page(codes, regenerated=True)


@bp.post("/account/totp/off")
@limiter.limit(PER_ACCOUNT, key_func=_user_key)
def turn_off_totp() -> Response:
    """Needs a current code (or a recovery code): a session left open is not enough to remove it."""
    require_staff()
    user = me()
    if not user.totp_on:
        return _account()
    session = db_session()
    now = utcnow()
    factor = totp.second_factor(session, user, form_text("code", 32), now)
    if factor is None:
        session.commit()  # a recovery code is not spent by a wrong one; nothing else changed
        flash("Two-step sign-in is still on: that code is wrong or was already used.", "error")
        return _account()
    totp.turn_off(session, user)
    record(session, "totp_off", target=f"account {user.id}", with_code=factor)
    session.commit()
    flash("Two-step sign-in is off. Your password alone signs you in.", "success")
    return _account()

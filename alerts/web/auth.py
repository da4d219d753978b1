"""Signing in and out, first-admin set-up and staff invites."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.services import audit, totp
from alerts.services import console_auth as accounts
from alerts.services.inbound import normalise_phone
from alerts.web.extensions import limiter, protect_console_form
from alerts.web.common import address, form_text, kick, me, record, require_admin

bp = Blueprint("console_auth", __name__, template_folder="templates")
bp.before_request(protect_console_form)  # the sign-in forms carry a CSRF token like every console form

# healthchecks' figures: 20 sign-in attempts per address per hour, 10 per account.
PER_ADDRESS = "20/hour"
PER_ACCOUNT = "10/hour"
# After the password, the code must come within this time, and a few wrong codes send the person
# back to the password (the per-account limit above bounds the guesses across attempts).
TOTP_PENDING_SECONDS = 300
TOTP_TRIES = 5


def _account_key() -> str:
    return (request.form.get("email") or request.form.get("phone") or "").strip().lower() or "-"


def _pending_key() -> str:
    return f"totp:{session.get('totp_user', '-')}"


def _start_session(user: accounts.User) -> None:
    session.clear()
    login_user(user)
    session.permanent = True  # expires after CONSOLE_SESSION_MINUTES


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=_account_key)
def sign_in() -> Response | str:
    """Staff: email and password."""
    db = db_session()
    if request.method == "POST":
        email = form_text("email", 254)
        user = accounts.staff_by_email(db, email) if email else None
        now = utcnow()
        if user is not None and user.active and accounts.check_password(user, request.form.get("password", "")):
            if user.totp_on:
                # The password was right; the code comes next. A wrong password never gets here,
                # so its answer is the same whether or not the account has TOTP.
                session.clear()
                session["totp_user"] = user.id
                session["totp_since"] = now.timestamp()
                session["totp_tries"] = 0
                return redirect(url_for("console_auth.sign_in_totp", next=request.args.get("next")))  # type: ignore[return-value]
            user.last_sign_in_at = now
            audit.record(db, user, "sign_in", address=address(), now=now)
            db.commit()
            _start_session(user)
            return redirect(_next_url())  # type: ignore[return-value]
        audit.record(db, None, "sign_in_failed", address=address(), now=now, role="anonymous")
        db.commit()
        flash("That email and password do not match an account.", "error")
        return render_template("signin.html", email=email), 401  # type: ignore[return-value]
    return render_template("signin.html", email="")


def _pending_user() -> accounts.User | None:
    """The staff member who gave the right password in this browser a moment ago, if any."""
    user_id = session.get("totp_user")
    since = session.get("totp_since", 0)
    if not isinstance(user_id, int) or utcnow().timestamp() - since > TOTP_PENDING_SECONDS:
        return None
    user = db_session().get(accounts.User, user_id)
    return user if user is not None and user.active and user.totp_on else None


@bp.route("/signin/totp", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=_pending_key)
def sign_in_totp() -> Response | str:
    """Staff with TOTP on: the code from their app (or a recovery code) after the password."""
    user = _pending_user()
    if user is None:
        session.clear()
        flash("Sign in again: the time for the code ran out.", "info")
        return redirect(url_for("console_auth.sign_in"))  # type: ignore[return-value]
    if request.method == "POST":
        db = db_session()
        now = utcnow()
        factor = totp.second_factor(db, user, form_text("code", 32), now)
        if factor is None:
            audit.record(db, user, "sign_in_failed", address=address(), now=now, step="totp")
            db.commit()
            session["totp_tries"] = session.get("totp_tries", 0) + 1
            if session["totp_tries"] >= TOTP_TRIES:
                session.clear()
                flash("Too many wrong codes. Sign in again.", "error")
                return redirect(url_for("console_auth.sign_in"))  # type: ignore[return-value]
            flash("That code is wrong or was already used. Try the newest code in your app.", "error")
            return render_template("signin_totp.html"), 401  # type: ignore[return-value]
        user.last_sign_in_at = now
        audit.record(db, user, "sign_in", address=address(), now=now, second_factor=factor)
        db.commit()
        _start_session(user)
        if factor == "recovery_code":
            left = totp.recovery_codes_left(db, user)
            flash(f"Signed in with a recovery code; {left} left. If your phone is lost, turn two-step "
                  "sign-in off and on again from your account page.", "info")
        return redirect(_next_url())  # type: ignore[return-value]
    return render_template("signin_totp.html")


@bp.route("/signin/code", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=_account_key)
def sign_in_code() -> Response | str:
    """Caregivers: a code texted to the phone on file. Step 1 sends it, step 2 checks it."""
    db = db_session()
    if request.method == "POST":
        phone = normalise_phone(form_text("phone", 32))[:20]
        code = form_text("code", 12)
        now = utcnow()
        if not code:
            sent = accounts.send_sign_in_code(db, phone, now)
            db.commit()
            if sent.notification_ids:
                kick()
            # The same answer whether or not the number is on file.
            return render_template("signin_code.html", phone=phone, step="code")
        user = accounts.redeem_sign_in_code(db, phone, code, now)
        if user is None:
            audit.record(db, None, "sign_in_failed", address=address(), now=now, role="anonymous")
            db.commit()
            flash("That code is wrong or has expired. Ask for a new one.", "error")
            return render_template("signin_code.html", phone=phone, step="code"), 401  # type: ignore[return-value]
        audit.record(db, user, "sign_in", address=address(), now=now)
        db.commit()
        _start_session(user)
        return redirect(_next_url())  # type: ignore[return-value]
    return render_template("signin_code.html", phone="", step="phone")


def _next_url() -> str:
    target = request.args.get("next", "")
    # Only a path on this site: never an open redirect.
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("console.patients")


@bp.post("/signout")
def sign_out() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("console_auth.sign_in"))  # type: ignore[return-value]


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
def setup(token: str) -> Response | str:
    """Accept an invite: the first admin's (printed by ``dosewatch up``) or a staff invite."""
    db = db_session()
    now = utcnow()
    invite = accounts.open_invite(db, token, now)
    if invite is None:
        abort(404)
    errors: list[str] = []
    values = {"name": "", "email": invite.email or ""}
    if request.method == "POST":
        values = {"name": form_text("name", 500), "email": form_text("email", 500)}
        password = request.form.get("password", "")
        if not values["name"] or len(values["name"]) > 120 or "\x00" in values["name"]:
            errors.append("Enter your name (up to 120 characters).")
        if "@" not in values["email"] or len(values["email"]) > 254 or "\x00" in values["email"]:
            errors.append("Enter an email address.")
        elif accounts.staff_by_email(db, values["email"]) is not None:
            errors.append("An account with that email already exists.")
        if len(password) < accounts.MIN_PASSWORD_LENGTH:
            errors.append(f"Choose a password of at least {accounts.MIN_PASSWORD_LENGTH} characters.")
        elif password != request.form.get("password2", ""):
            errors.append("The two passwords differ.")
        if not errors:
            user = accounts.accept_invite(db, invite, name=values["name"], email=values["email"], password=password,
                                          now=now)
            audit.record(db, user, "create", target=f"account {user.id} ({user.role})", address=address(), now=now)
            db.commit()
            _start_session(user)
            return redirect(url_for("console.patients"))  # type: ignore[return-value]
    return render_template("setup.html", invite=invite, errors=errors, values=values), (422 if errors else 200)  # type: ignore[return-value]


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite() -> str:
    """Admins invite staff; the page shows the one-time link to pass on."""
    require_admin()
    link = None
    if request.method == "POST":
        role = request.form.get("role", "")
        email = form_text("email", 254) or None
        if role not in ("admin", "clinician"):
            abort(422)
        db = db_session()
        token = accounts.create_invite(db, role, utcnow(), email=email, created_by=me())
        record(db, "invite", target=f"{role} invite")
        db.commit()
        link = url_for("console_auth.setup", token=token, _external=True)
    return render_template("invite.html", link=link)

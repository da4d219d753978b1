"""The care console: server-rendered pages for caregivers and clinicians under ``/``.

Wired by the app factory with :func:`init_console`. Sign-in is Flask-Login sessions (staff: email
and argon2 password; caregivers: a texted one-time code); every form carries a CSRF token
(Flask-WTF), which the JSON API and Twilio's webhooks are exempt from (bearer tokens and Twilio
signatures protect those); sign-in is rate-limited (Flask-Limiter).
"""

from __future__ import annotations

from datetime import timedelta

from cachetools import LRUCache
from flask import Flask

from alerts.web import account, alert_actions, auth, care_team, contacts, manage, pages
from alerts.web.extensions import MACHINE_BLUEPRINTS, CookieSessionInterface, csrf, limiter, login_manager


def init_console(app: Flask) -> None:

    secure = app.config["PUBLIC_BASE_URL"].startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies whenever the service is reached over HTTPS (its public URL says so).
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=app.config["CONSOLE_SESSION_MINUTES"]),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which itself expires
        # Checked by each console blueprint's first hook (``extensions.protect_console_form``), not by
        # Flask-WTF's app-wide one, which would run on every machine request only to find it exempt.
        WTF_CSRF_CHECK_DEFAULT=False,
        # Redis when configured, so gunicorn's workers share one count; a caller's mapping may override.
        RATELIMIT_STORAGE_URI=(app.config.get("RATELIMIT_STORAGE_URI") or app.config["REDIS_URL"]
                               or "memory://"),
        RATELIMIT_HEADERS_ENABLED=True,
    )
    csrf.init_app(app)
    # Every blueprint registered before the console's answers machines, not browsers (the JSON API,
    # FHIR, metrics, Twilio's webhooks): bearer tokens and Twilio signatures protect those, and no
    # session cookie is read there, so they need no CSRF token. The console's own are not exempt:
    # each checks its forms itself (``protect_console_form``); these stay marked exempt so that a
    # check called from anywhere still passes them by.
    for bp in list(app.blueprints.values()):
        csrf.exempt(bp)
    # Nor do they carry rate limits: the limiter's per-request check skips them (``ConsoleLimiter``).
    app.extensions[MACHINE_BLUEPRINTS] = frozenset(app.blueprints)
    app.session_interface = CookieSessionInterface()
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "console_auth.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.session_protection = "strong"
    # The patients list's month of adherence, per viewer and minute (``read.patients_overview``).
    app.extensions[pages.ADHERENCE_CACHE] = LRUCache(maxsize=1024)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(alert_actions.bp)
    app.register_blueprint(contacts.bp)
    app.register_blueprint(care_team.bp)
    app.register_blueprint(manage.bp)

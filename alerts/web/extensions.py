"""The console's Flask extensions, created unbound and initialised by :func:`alerts.web.init_console`
(a module of their own so the console's blueprints can import them without importing the package
that registers those blueprints)."""

from __future__ import annotations

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

# ``app.extensions`` key: the blueprints that answer machines (the JSON API, FHIR, metrics, Twilio's
# webhooks), set by ``init_console``.
MACHINE_BLUEPRINTS = "dosewatch.machine_blueprints"


class ConsoleLimiter(Limiter):
    """Flask-Limiter, whose per-request check skips the machine routes.

    Limits here are the console's: ``@limiter.limit`` on its sign-in and account views. There are
    no default, application-wide or blueprint limits, so the check Flask-Limiter runs before every
    request found nothing to count on an API request, and cost 6-8% of a check-in's CPU to find it.
    A view that carries its own ``@limiter.limit`` is still checked wherever it is: its decorator
    runs the check itself (``in_middleware=False``), which this leaves alone."""

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and request.blueprint in current_app.extensions.get(MACHINE_BLUEPRINTS, ()):
            return
        super()._check_request_limit(callable_name, in_middleware)


csrf = CSRFProtect()
limiter = ConsoleLimiter(key_func=get_remote_address, default_limits=[])
login_manager = LoginManager()


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without its per-request work where it changes nothing.

    Flask opens and saves the session on every request; opening builds an ``itsdangerous``
    serializer (key derivation set-up, ~50 us) before it looks for the cookie. API clients and
    Twilio send no cookies, so for them that work was thrown away: they get the same empty session
    it would return, and saving it does what the default does for an empty, unchanged session."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and "HTTP_COOKIE" not in request.environ:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # An empty session nobody changed: the default reads seven cookie settings, then sets no
        # cookie and deletes none; all it does is this.
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

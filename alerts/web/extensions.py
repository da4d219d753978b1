"""The console's Flask extensions, created unbound and initialised by :func:`alerts.web.init_console`
(a module of their own so the console's blueprints can import them without importing the package
that registers those blueprints)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any, TypeVar

from flask import Flask, Request, Response
from flask.globals import current_app, request_ctx
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

# ``app.extensions`` key: the blueprints that answer machines (the JSON API, FHIR, metrics, Twilio's
# webhooks), set by ``init_console``.
MACHINE_BLUEPRINTS = "dosewatch.machine_blueprints"
T = TypeVar("T")


def on_machine_route() -> bool:
    """Whether the current request is for one of the blueprints that answer machines (one proxy
    read: the request context, from which the request and the app are read directly)."""
    ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    return ctx.request.blueprint in ctx.app.extensions.get(MACHINE_BLUEPRINTS, ())


class ConsoleLimiter(Limiter):
    """Flask-Limiter, whose per-request check skips the machine routes.

    Limits here are the console's: ``@limiter.limit`` on its sign-in and account views. There are
    no default, application-wide or blueprint limits, so the check Flask-Limiter runs before every
    request found nothing to count on an API request, and cost 6-8% of a check-in's CPU to find it.
    A view that carries its own ``@limiter.limit`` is still checked wherever it is: its decorator
    runs the check itself (``in_middleware=False``), which this leaves alone."""

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and on_machine_route():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def init_app(self, app: Flask) -> None:
        """Flask-Limiter's, with its after-request hook (rate-limit headers, conditional deductions)
        and its teardown (reset) run only in a request that evaluated a limit. Both act on the
        limits the request evaluated, kept in its per-request context, which evaluating a limit
        creates: without one (a machine route: the check above skipped, no decorator) they found
        nothing, after building an empty context to find it in."""
        super().init_app(app)
        for hooks in (app.after_request_funcs[None], app.teardown_request_funcs[None]):
            hooks[:] = [_if_a_limit_was_evaluated(hook) if _is_mine(hook, self) else hook for hook in hooks]


def _is_mine(hook: Callable[..., Any], limiter: Limiter) -> bool:
    """One of the hooks ``limiter.init_app`` registered (a partial of it, or a method bound to it)."""
    return (isinstance(hook, partial) and hook.args[:1] == (limiter,)) or getattr(hook, "__self__", None) is limiter


def _if_a_limit_was_evaluated(hook: Callable[[T], T]) -> Callable[[T], T]:
    @wraps(hook)
    def run(value: T) -> T:
        # Flask-Limiter keeps a request's evaluated limits on its request context, created on first use.
        if not hasattr(request_ctx._get_current_object(), _LIMITER_CONTEXT):  # type: ignore[attr-defined]
            return value
        return hook(value)

    return run


# Where Flask-Limiter keeps a request's limits (``Limiter.context``); tests/web/test_console_extensions.py
# fails if a release moves it (the console's rate-limit headers would be gone).
_LIMITER_CONTEXT = "_limiter_request_context"


class ConsoleLoginManager(LoginManager):
    """Flask-LoginManager, whose after-request hook (the remember-me cookie) skips the machine routes.

    That hook runs after every request and reads the cookie session three times through Flask's
    proxies (about 2% of a check-in's instructions, callgrind) to learn whether a console sign-in or
    sign-out asked for the remember-me cookie to be set or cleared. Only the console's views sign
    anyone in or out (``login_user``, ``logout_user``), and a machine route reads no cookie session,
    so there it had nothing to find; it is skipped the way ``ConsoleLimiter`` skips its check."""

    def _update_remember_cookie(self, response: Response) -> Response:
        if on_machine_route():
            return response
        return super()._update_remember_cookie(response)  # type: ignore[no-any-return]


csrf = CSRFProtect()
limiter = ConsoleLimiter(key_func=get_remote_address, default_limits=[])
login_manager = ConsoleLoginManager()


def protect_console_form() -> None:
    """Flask-WTF's CSRF check, as a ``before_request`` hook of each console blueprint (its first).

    ``init_console`` sets ``WTF_CSRF_CHECK_DEFAULT`` off, so Flask-WTF's own app-wide hook returns at
    once, and the check runs here, for the console's requests only: the machine blueprints (bearer
    tokens, Twilio's signatures) were exempt anyway, and the app-wide hook read the request three
    times through Flask's proxies on each of their requests to find that out (Flask-WTF documents
    this pairing: ``protect(apply_exemptions=True)`` from a custom hook, ``@csrf.exempt`` still
    honoured). ``WTF_CSRF_ENABLED`` off (tests may) turns it off as it turned off the default hook.
    The static GETs of a blueprint are not checked (GET is not among ``WTF_CSRF_METHODS``)."""
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect(apply_exemptions=True)


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
                if "Vary" in response.headers:
                    response.vary.add("Cookie")
                else:  # what adding to an empty Vary gives, without parsing one into a set first
                    response.headers["Vary"] = "Cookie"
            return
        super().save_session(app, session, response)

"""The console's extensions on the routes that answer machines: the rate limiter's per-request check,
Flask-Login's remember-me hook, CSRF's check and the cookie session skip them
(``alerts.web.extensions``); the console keeps all of them.
"""

from __future__ import annotations

from flask import Blueprint

from alerts.web.extensions import MACHINE_BLUEPRINTS, limiter, protect_console_form


def test_a_limit_declared_on_a_machine_route_is_still_counted(app) -> None:  # type: ignore[no-untyped-def]
    # No machine route has a limit today; one that gets one must not be skipped with the rest.
    bp = Blueprint("metered", __name__)

    @bp.get("/metered")
    @limiter.limit("2 per minute")
    def metered() -> str:
        return "ok"

    app.register_blueprint(bp)
    app.extensions[MACHINE_BLUEPRINTS] = app.extensions[MACHINE_BLUEPRINTS] | {"metered"}
    client = app.test_client()

    assert [client.get("/metered").status_code for _ in range(3)] == [200, 200, 429]


def test_an_api_answer_sets_no_cookie_and_says_what_it_varies_on(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/ping")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # Nothing on a machine route reads the cookie session (Flask-Login's remember-me hook, which did,
    # runs on the console's routes only), so the answer no longer says it varies on the cookie.
    assert "Vary" not in response.headers
    assert not any(h.startswith("X-RateLimit") for h in response.headers.keys())


def test_a_console_sign_in_still_carries_its_rate_limit_headers(console) -> None:  # type: ignore[no-untyped-def]
    # Flask-Limiter's after-request hook runs only where a limit was evaluated (ConsoleLimiter.init_app).
    c = console()
    response = c.client.post("/signin", data={"csrf_token": c.csrf(), "email": "nobody@example.org",
                                              "password": "wrong"})

    assert response.status_code == 401
    assert response.headers["X-RateLimit-Limit"] and "X-RateLimit-Remaining" in response.headers


def test_every_console_blueprint_checks_csrf_before_anything_else(app) -> None:  # type: ignore[no-untyped-def]
    # Flask-WTF's app-wide check is off (WTF_CSRF_CHECK_DEFAULT): a console blueprint without the
    # check as its first hook would take forms without a token.
    console = set(app.blueprints) - app.extensions[MACHINE_BLUEPRINTS]

    assert console >= {"console_auth", "console"}
    for name in console:
        assert app.before_request_funcs[name][0] is protect_console_form, name


def test_the_sign_in_form_without_its_csrf_token_is_refused(console) -> None:  # type: ignore[no-untyped-def]
    # The sign-in blueprint is built apart from the other console pages (no sign-in needed there).
    response = console().client.post("/signin", data={"email": "nobody@example.org", "password": "wrong"})

    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_flask_logins_remember_me_hook_runs_on_the_console_and_not_on_machine_routes(app, console, make_staff) -> None:  # type: ignore[no-untyped-def]
    # With REMEMBER_COOKIE_REFRESH_EACH_REQUEST on, Flask-Login's after-request hook sets the
    # remember-me cookie on every answer to a signed-in user: it still does on a console page, and a
    # machine route (the same browser's session cookie sent along) is left alone.
    make_staff("admin", "ada@example.org")
    c = console().sign_in_staff("ada@example.org")
    app.config["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"] = True

    api = c.client.get("/ping")
    page = c.client.get("/")

    assert not any(h.startswith("remember_token=") for h in api.headers.getlist("Set-Cookie"))
    assert any(h.startswith("remember_token=") for h in page.headers.getlist("Set-Cookie"))

"""The console's extensions on the routes that answer machines: the rate limiter's per-request check
and the cookie session skip them (``alerts.web.extensions``), and nothing a client sees changes.
"""

from __future__ import annotations

from flask import Blueprint

from alerts.web.extensions import MACHINE_BLUEPRINTS, limiter


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
    assert response.headers["Vary"] == "Cookie"  # as before: Flask-Login reads the session on every request
    assert not any(h.startswith("X-RateLimit") for h in response.headers.keys())


def test_a_console_sign_in_still_carries_its_rate_limit_headers(console) -> None:  # type: ignore[no-untyped-def]
    # Flask-Limiter's after-request hook runs only where a limit was evaluated (ConsoleLimiter.init_app).
    c = console()
    response = c.client.post("/signin", data={"csrf_token": c.csrf(), "email": "nobody@example.org",
                                              "password": "wrong"})

    assert response.status_code == 401
    assert response.headers["X-RateLimit-Limit"] and "X-RateLimit-Remaining" in response.headers

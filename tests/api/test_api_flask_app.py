"""The application class: ``DosewatchFlask.ensure_sync`` remembers which functions are plain
``def`` functions, and otherwise answers as Flask's does (the request hooks and views run as before)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from flask import Flask

from alerts.app import DosewatchFlask


def test_the_app_is_a_dosewatch_flask(app: Flask) -> None:
    assert isinstance(app, DosewatchFlask)


def test_a_plain_function_comes_back_as_it_is_and_is_remembered(app: Flask) -> None:
    def view() -> str:
        return "ok"

    assert app.ensure_sync(view) is view
    assert view in app._sync_funcs  # type: ignore[attr-defined]
    assert app.ensure_sync(view) is view
    hook = partial(view)
    assert app.ensure_sync(hook) is hook


def test_an_async_function_is_wrapped_as_flask_wraps_it_and_never_remembered(app: Flask) -> None:
    async def view() -> str:
        return "ok"

    for _ in range(2):
        try:
            wrapped: Any = app.ensure_sync(view)
        except RuntimeError as exc:  # Flask's own answer when asgiref is not installed
            assert "async" in str(exc).lower()
        else:
            assert wrapped is not view and wrapped() == "ok"
        assert view not in app._sync_funcs  # type: ignore[attr-defined]


def test_what_it_remembers_is_bounded(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DosewatchFlask, "_SYNC_KEPT", len(app._sync_funcs) + 2)  # type: ignore[attr-defined]
    made = [(lambda: None) for _ in range(5)]
    for func in made:
        assert app.ensure_sync(func) is func  # still answered, kept or not
    assert sum(func in app._sync_funcs for func in made) == 2  # type: ignore[attr-defined]


def test_requests_run_their_hooks_through_it(client: Any, app: Flask) -> None:
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert response.headers.get("X-Request-ID")  # the after-request hook ran
    assert app._sync_funcs  # type: ignore[attr-defined]


def test_an_unhashable_callable_is_answered_as_flask_answers_it(app: Flask) -> None:
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self) -> str:
            return "ok"

    func = Unhashable()
    assert app.ensure_sync(func) is func
    assert app.ensure_sync(func) is func

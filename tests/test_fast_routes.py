"""The test suite's cached URL builders (``tests/support/fast_routes.py``) build every URL exactly
as Werkzeug's own do, so the speed-up cannot change what a test sees."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from tests.conftest import _make_app
from tests.support import fast_routes


def _sample_values(rule: Rule) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        values[name] = 7 if type(converter).__name__ in ("IntegerConverter", "NumberConverter") else "x y/z"
    return values


def _all_urls(tmp_path, name: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    app = _make_app(tmp_path / name, f"sqlite:///{tmp_path / (name + '.sqlite3')}")
    adapter = app.url_map.bind("dosewatch.example.org")
    urls = []
    for rule in app.url_map.iter_rules():
        values = _sample_values(rule)
        urls.append((rule.endpoint, adapter.build(rule.endpoint, values), adapter.build(rule.endpoint, {**values, "q": "a b"})))
    return sorted(urls)


def test_every_route_builds_the_same_url_with_and_without_the_cache(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    fast_routes.uninstall()
    try:
        plain = _all_urls(tmp_path, "a")
    finally:
        fast_routes.install()
    cached = _all_urls(tmp_path, "b")
    assert len(plain) > 50
    assert cached == plain


def test_rules_that_differ_only_in_a_default_get_their_own_builder() -> None:
    fast_routes.install()
    m = Map([Rule("/p/<int:page>", endpoint="one", defaults=None),
             Rule("/q/", endpoint="two", defaults={"page": 1}),
             Rule("/q/", endpoint="three", defaults={"page": 2})])
    adapter = m.bind("example.org")
    assert adapter.build("one", {"page": 3}) == "/p/3"
    assert adapter.build("two", {"page": 1}) == "/q/"
    assert adapter.build("three", {"page": 2}) == "/q/"

"""Build each URL rule's builder once per test run instead of once per app.

Almost every test makes its own app (its own database, its own settings), and ``create_app``
spends about nine tenths of its time in Werkzeug compiling a URL-builder function for each of the
app's ~90 rules (``Rule._compile_builder``: an AST built, walked and compiled, twice per rule). The
function it returns is a pure function of what the key below holds, so the same rule registered
by the next app gets the same function back. This only changes how long a test's app takes to
build; ``tests/test_fast_routes.py`` shows URLs build the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

_original = Rule._compile_builder
_cache: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple[Any, ...]:
    assert rule.map is not None
    # A converter's settings (its regex, bounds), not the map it points back to.
    converters = tuple(sorted((name, type(conv).__qualname__, repr({k: v for k, v in vars(conv).items() if k != "map"}))
                              for name, conv in rule._converters.items()))
    defaults = tuple(sorted((name, repr(value)) for name, value in (rule.defaults or {}).items()))
    return (rule.rule, rule.host, rule.subdomain, rule.merge_slashes, rule.map.host_matching,
            tuple(rule._trace), defaults, converters, append_unknown)


def _compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    key = _key(self, append_unknown)
    built = _cache.get(key)
    if built is None:
        built = _cache[key] = _original(self, append_unknown)
    return built


def install() -> None:
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]


def uninstall() -> None:
    Rule._compile_builder = _original  # type: ignore[method-assign]

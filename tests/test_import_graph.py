"""The import graph of alerts/, workers/ and schemas/ has no cycle outside the models package.

``alerts/app.py`` is the composition root: it imports downward only. A module that needs a
deferred import to dodge a cycle has a cycle (grimp counts imports inside functions too). The
models import each other for SQLAlchemy relationships (under ``TYPE_CHECKING``); that is the one
place a cycle is expected. Run it alone: ``python -m pytest -q tests/test_import_graph.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("alerts", "workers", "schemas")
ALLOWED_PREFIX = "alerts.models."


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of these packages it imports (anywhere in the file)."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def cycles(graph: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_cycles_are_found_when_there_are_some() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": set()}

    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_no_import_cycle_outside_the_models_package() -> None:
    outside = [sorted(c) for c in cycles(import_graph()) if not all(m.startswith(ALLOWED_PREFIX) for m in c)]

    assert outside == []


def test_the_outbox_queueing_half_imports_nothing_that_decides_or_sends() -> None:
    # What queues a message (alerts, replies, the unreachable path) imports the queueing half; the
    # sending half imports what reacts to a failed send. Queueing reaching either closes the circle
    # alerts -> outbox -> unreachable -> alerts that the two halves broke.
    graph = import_graph()

    assert {m for m in graph["alerts.services.outbox"] if m.startswith("alerts.services.")} == {"alerts.services.sql"}
    assert "alerts.services.sender" not in graph["alerts.services.unreachable"]
    assert "alerts.services.sender" not in graph["alerts.services.alerts"]


def test_the_composition_root_is_imported_by_nothing_it_builds() -> None:
    graph = import_graph()
    importers = sorted(m for m, deps in graph.items() if "alerts.app" in deps)

    # The package exposes create_app; nothing else reaches back for the app module.
    assert importers == ["alerts"]
    assert not any("alerts.app" in graph[m] for m in graph if m.startswith(("alerts.api", "workers")))


def test_services_take_domain_values_never_wire_schemas() -> None:
    # Routes, pages and commands check their input with schemas/ and hand the services plain values
    # (alerts.domain.enrolment, alerts.domain.vitals.ParsedReading, plain arguments).
    graph = import_graph()
    wire = {m: sorted(d for d in deps if d.split(".")[0] == "schemas")
            for m, deps in graph.items() if m.startswith("alerts.services")}

    assert {m: deps for m, deps in wire.items() if deps} == {}


def test_the_domain_imports_no_framework_database_provider_or_wire_format() -> None:
    # The rules are pure functions of plain values and a `now` (STYLE.md): no Flask, Celery, Twilio,
    # database session or wire schema reaches alerts.domain, directly or through the app's modules.
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)
    forbidden = {"flask", "celery", "sqlalchemy", "twilio", "kombu", "schemas", "alerts.models", "alerts.services",
                 "alerts.api", "alerts.web", "alerts.db", "workers"}
    domain = {m for m in graph.modules if m == "alerts.domain" or m.startswith("alerts.domain.")}

    reached = {m: sorted(d for d in graph.find_modules_directly_imported_by(m)
                         if any(d == f or d.startswith(f + ".") for f in forbidden))
               for m in domain}
    assert {m: deps for m, deps in reached.items() if deps} == {}
    # Everything the domain imports from this project is the domain itself (and nothing else).
    inside = {d for m in domain for d in graph.find_modules_directly_imported_by(m) if d.split(".")[0] in PACKAGES}
    assert {d for d in inside if not d.startswith("alerts.domain")} == set()

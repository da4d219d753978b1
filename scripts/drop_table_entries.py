"""Drop one table entry at a time from the clinical rules and the dose-advice guard, and count how
many of those deletions the fast unit tests notice. A companion to mutmut (docs/mutation-testing.md):
mutmut changes operators and constants; this deletes *words* - one alternative of a guard regex,
one entry of a rule table - which is how a rule quietly stops covering a case.

    .venv/bin/python scripts/drop_table_entries.py [--jobs 2] [--only safety]

Each deletion is a mutant. The module's source is edited in memory and executed into the already
imported module (a forked child per mutant, so nothing leaks between them), then
``pytest tests/unit/clinical`` runs in that child. A mutant that does not compile or cannot be
imported (an unbalanced regex) is invalid and not counted. Prints every surviving deletion and
the score; exits 1 below ``--target`` (default 90%).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["-x", "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts="]

# module -> names of its tables (dict / tuple / list / set literals, module level). For the guard,
# the regex alternatives inside these names' string literals are dropped one at a time as well.
TABLES: dict[str, tuple[str, ...]] = {
    "alerts.domain.clinical.safety": ("_DRUG", "_DET", "_DROGA", "_DET_ES", "FORBIDDEN_ADVICE", "_NEGATION",
                                      "_FILLER", "_CLAUSE_END"),
    "alerts.domain.clinical.redflags": ("_EMERGENCY", "_URGENT_IF_PRESENT", "_DEVICE_URGENT", "_DEVICE_EMERGENCY"),
    "alerts.domain.clinical.assessment": ("TABLE", "SUMMARIES"),
    "alerts.domain.clinical.wording": ("SHORT_REASONS", "ASSESSMENT_TEXT", "TEMPLATE_PLACEHOLDERS"),
    "alerts.domain.clinical.response": ("TABLE", "BASELINE_SIGNS", "_COLUMN"),
    "alerts.domain.clinical.patterns": ("TWITCH_SIGNS",),
}
REGEX_MODULES = ("alerts.domain.clinical.safety",)


@dataclass(frozen=True)
class Mutant:
    module: str
    start: int  # offsets into the module's source
    end: int
    replacement: str
    what: str


def _offsets(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    return starts


def _span(node: ast.AST, lines: list[int]) -> tuple[int, int]:
    return (lines[node.lineno - 1] + node.col_offset,  # type: ignore[attr-defined]
            lines[node.end_lineno - 1] + node.end_col_offset)  # type: ignore[attr-defined]


def _with_comma(source: str, end: int) -> int:
    """Extend an element's span over its trailing comma, so the rest stays valid."""
    rest = source[end:]
    stripped = rest.lstrip(" ")
    return end + (len(rest) - len(stripped)) + 1 if stripped.startswith(",") else end


def _entries(module: str, source: str, tree: ast.Module) -> Iterator[Mutant]:
    """Each element of each named table (recursing into nested dicts: a language's phrases)."""
    lines = _offsets(source)
    wanted = set(TABLES[module])

    def walk(node: ast.AST, path: str) -> Iterator[Mutant]:
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    continue
                label = f"{path}[{ast.unparse(key)}]"
                start, _ = _span(key, lines)
                _, end = _span(value, lines)
                yield Mutant(module, start, _with_comma(source, end), "", f"drop {label}")
                if isinstance(value, ast.Dict):
                    yield from walk(value, label)
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 1:
            for i, elt in enumerate(node.elts):
                start, end = _span(elt, lines)
                yield Mutant(module, start, _with_comma(source, end), "", f"drop {path}[{i}] {ast.unparse(elt)[:60]}")
        elif isinstance(node, ast.Call):
            for arg in node.args:  # frozenset({...}), tuple(... for ... in (...))
                yield from walk(arg, path)
        elif isinstance(node, ast.GeneratorExp):
            for gen in node.generators:
                yield from walk(gen.iter, path)

    for stmt in tree.body:
        targets = [stmt.target] if isinstance(stmt, ast.AnnAssign) else getattr(stmt, "targets", [])
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        value = getattr(stmt, "value", None)
        if value is not None and set(names) & wanted:
            yield from walk(value, names[0])


_ALTERNATIVE = re.compile(r"[^|()\[\]{}\"'\s]+")


def _alternatives(module: str, source: str, tree: ast.Module) -> Iterator[Mutant]:
    """Each ``|`` alternative inside the named tables' string literals: ``a|b|c`` -> ``b|c``, ..."""
    lines = _offsets(source)
    wanted = set(TABLES[module])
    for stmt in tree.body:
        targets = [stmt.target] if isinstance(stmt, ast.AnnAssign) else getattr(stmt, "targets", [])
        if not {t.id for t in targets if isinstance(t, ast.Name)} & wanted:
            continue
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Constant | ast.JoinedStr):
                continue
            start, end = _span(node, lines)
            text = source[start:end]
            # Positions of "|" in the literal's source, each with the alternative before it; the
            # last alternative of a group goes with the "|" before it.
            for bar in (m.start() for m in re.finditer(r"\|", text)):
                left = bar
                while left > 0 and text[left - 1] not in "|(:\"'{}":
                    left -= 1
                if left < bar and not text[left:bar].startswith("?"):
                    yield Mutant(module, start + left, start + bar + 1, "", f"drop alternative {text[left:bar]!r}")
                right = bar + 1
                while right < len(text) and text[right] not in "|)\"'{}":
                    right += 1
                if right > bar + 1 and (right == len(text) or text[right] != "|"):
                    yield Mutant(module, start + bar, start + right, "", f"drop alternative {text[bar + 1:right]!r}")


def mutants(only: str | None) -> list[Mutant]:
    out: dict[tuple[str, int, int], Mutant] = {}
    for module in TABLES:
        if only and only not in module:
            continue
        path = ROOT / (module.replace(".", "/") + ".py")
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        found = list(_entries(module, source, tree))
        if module in REGEX_MODULES:
            found += list(_alternatives(module, source, tree))
        for m in found:
            out.setdefault((m.module, m.start, m.end), m)
    return list(out.values())


def _run(m: Mutant, tests: list[str]) -> str:
    """In a forked child: apply the mutant, run the tests. 'killed', 'survived' or 'invalid'."""
    import pytest

    path = ROOT / (m.module.replace(".", "/") + ".py")
    source = path.read_text(encoding="utf-8")
    mutated = source[:m.start] + m.replacement + source[m.end:]
    module = sys.modules[m.module]
    try:
        exec(compile(mutated, str(path), "exec"), module.__dict__)
    except Exception:
        return "invalid"
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    code = pytest.main([*tests, *TESTS])
    return "survived" if code == 0 else "killed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", help="only modules whose name contains this")
    parser.add_argument("--target", type=float, default=90.0)
    parser.add_argument("--tests", nargs="+", default=["tests/unit/clinical"],
                        help="the tests that must notice (default: tests/unit/clinical)")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    for module in TABLES:
        importlib.import_module(module)
    import alerts.app  # noqa: F401 - the heavy imports, once, before forking
    import pytest  # noqa: F401

    todo = mutants(args.only)
    results: dict[Mutant, str] = {}
    running: dict[int, Mutant] = {}
    started = time.monotonic()
    queue = list(todo)
    while queue or running:
        while queue and len(running) < args.jobs:
            m = queue.pop(0)
            pid = os.fork()
            if pid == 0:
                outcome = _run(m, args.tests)
                os._exit({"killed": 0, "survived": 1, "invalid": 2}[outcome])
            running[pid] = m
        pid, status = os.wait()
        m = running.pop(pid)
        results[m] = {0: "killed", 1: "survived"}.get(os.waitstatus_to_exitcode(status), "invalid")
        print(f"[{len(results)}/{len(todo)}] {results[m]:8} {m.module.rsplit('.', 1)[-1]}: {m.what}", flush=True)
    elapsed = time.monotonic() - started

    valid = [m for m, r in results.items() if r != "invalid"]
    killed = [m for m in valid if results[m] == "killed"]
    for m in valid:
        if results[m] == "survived":
            print(f"SURVIVED {m.module}: {m.what}")
    score = 100.0 * len(killed) / len(valid) if valid else 100.0
    by_module: dict[str, list[int]] = {}
    for m in valid:
        counts = by_module.setdefault(m.module, [0, 0])
        counts[0] += results[m] == "killed"
        counts[1] += 1
    for module, (k, n) in sorted(by_module.items()):
        print(f"{module}: {k}/{n} killed")
    invalid = len(results) - len(valid)
    print(f"table-entry deletions: {len(killed)}/{len(valid)} killed = {score:.1f}% "
          f"({invalid} invalid, {elapsed:.0f} s, {args.jobs} jobs; target >= {args.target:g}%)")
    return 0 if score >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())

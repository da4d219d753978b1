"""Table-drop mutation run over the SMS reader's phrase tables: remove one alternative at a time, run
the reader's unit tests, count the removals no test notices (survivors).

    python -m tests.unit.reading_mutations [--list] [--only TABLE[,TABLE...]] [--rules-alone] [--every N] [--since REV]

Tables: every phrase table of ``alerts.domain.reading`` (the four signs, doses taken / not taken /
extra, supply problems, acknowledgements, status requests, stop requests, reassurance, the
sound-alikes read as meant) and the
symptom reader's ``alerts.domain.symptom_text`` rows (each top-level alternative of a row). The
guard (``clinical/safety.py``) and the clinical rules have their own run (not this one).

Each mutant runs in this process: the table is changed, ``compile_tables()`` rebuilds the patterns,
the unit tests (collected once by pytest) run until the first failure, which kills the mutant, and
the table is put back. Prints the kill rate and, with ``--list``, each survivor.

``--rules-alone`` turns the trained safety net (``trouble_net``) off: the net can read a text a
dropped phrase no longer reads and so hide the drop, and the tables must be right on their own.
The tests that pass only with the net (batch rows the net catches) are left out and counted.
``--every N`` runs every N-th mutant (a systematic sample, the same on every run) to fit a budget.
``--since REV`` runs only the phrases a round added: the (table, phrase) pairs the tables did not have at
git revision REV (a phrase rewritten counts as new).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from alerts.domain import reading, symptom_text, trouble_net

TESTS = ["tests/unit/test_reading.py", "tests/unit/test_symptom_text.py", "tests/unit/test_sms_phrasings.py",
         "tests/unit/test_replies.py"]


@dataclass(frozen=True)
class Mutant:
    table: str
    phrase: str
    apply: Callable[[], None]
    undo: Callable[[], None]


def _split_top(pattern: str) -> list[str]:
    """A regex's top-level alternatives ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _tuple_mutants(name: str, owner: object, attr: str) -> Iterator[Mutant]:
    table: tuple[str, ...] = getattr(owner, attr)
    for i, phrase in enumerate(table):
        def apply(i: int = i) -> None:
            setattr(owner, attr, table[:i] + table[i + 1:])
            reading.compile_tables()

        def undo() -> None:
            setattr(owner, attr, table)
            reading.compile_tables()
        yield Mutant(name, phrase, apply, undo)


def _dict_mutants(name: str, table: dict, index: int | None) -> Iterator[Mutant]:
    """Entries of a dict of tuples (``SUPPLY_PHRASES``) or of pairs of tuples (``SIGN_PHRASES``)."""
    for key, value in list(table.items()):
        phrases = value if index is None else value[index]
        for i, phrase in enumerate(phrases):
            def apply(key: object = key, value: object = value, i: int = i, phrases: tuple = phrases) -> None:
                cut = phrases[:i] + phrases[i + 1:]
                table[key] = cut if index is None else tuple(cut if j == index else v for j, v in enumerate(value))  # type: ignore[arg-type]
                reading.compile_tables()

            def undo(key: object = key, value: object = value) -> None:
                table[key] = value
                reading.compile_tables()
            yield Mutant(f"{name}[{key}]" + ("" if index is None else ["", ":undeniable"][index]), phrase, apply, undo)


def _symptom_mutants() -> Iterator[Mutant]:
    for row_index, (key, severity, *patterns) in enumerate(list(symptom_text._EMERGENCY) + list(symptom_text._OTHER)):
        emergency = row_index < len(symptom_text._EMERGENCY)
        for p_index, pattern in enumerate(patterns):
            parts = _split_top(pattern)
            if parts == ["$^"]:
                continue
            for i, phrase in enumerate(parts):
                def apply(row_index: int = row_index, p_index: int = p_index, parts: list = parts, i: int = i,
                          emergency: bool = emergency) -> None:
                    cut = "|".join(parts[:i] + parts[i + 1:]) or "$^"
                    rows = list(symptom_text._EMERGENCY if emergency else symptom_text._OTHER)
                    r = row_index if emergency else row_index - len(symptom_text._EMERGENCY)
                    row = list(rows[r])
                    row[2 + p_index] = cut
                    rows[r] = tuple(row)
                    if emergency:
                        symptom_text._EMERGENCY = tuple(rows)
                    else:
                        symptom_text._OTHER = tuple(rows)
                    symptom_text.compile_tables()

                def undo() -> None:
                    symptom_text._EMERGENCY = _ORIGINAL_EMERGENCY
                    symptom_text._OTHER = _ORIGINAL_OTHER
                    symptom_text.compile_tables()
                yield Mutant(f"symptom_text[{key}]", phrase, apply, undo)


_ORIGINAL_EMERGENCY = symptom_text._EMERGENCY
_ORIGINAL_OTHER = symptom_text._OTHER


def mutants() -> list[Mutant]:
    found: list[Mutant] = []
    found += _dict_mutants("SIGN_PHRASES", reading.SIGN_PHRASES, 0)
    found += _dict_mutants("SIGN_PHRASES", reading.SIGN_PHRASES, 1)
    for attr in ("TAKEN_PHRASES", "NOT_TAKEN_PHRASES", "WEAK_NOT_TAKEN_PHRASES", "EXTRA_PHRASES", "ACK_PHRASES",
                 "STATUS_PHRASES", "STOP_PHRASES", "WELL_PHRASES", "HOMOPHONES"):
        found += _tuple_mutants(attr, reading, attr)
    found += _dict_mutants("SUPPLY_PHRASES", reading.SUPPLY_PHRASES, None)
    found += _symptom_mutants()
    return found


class _Collector:
    """A pytest plugin that keeps the collected test items."""

    def __init__(self) -> None:
        self.items: list[pytest.Item] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = list(session.items)


def collect() -> list[pytest.Item]:
    """The unit tests as items, collected once: running ``runtest()`` on each is the test with its
    parameters (these tests use no fixtures). Known misses (xfail) are left out: they fail by design."""
    collector = _Collector()
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *TESTS], plugins=[collector])
    return [item for item in collector.items if not item.get_closest_marker("xfail")
            and set(item._fixtureinfo.argnames) <= set(_params(item))]


def _params(item: pytest.Item) -> dict[str, object]:
    callspec = getattr(item, "callspec", None)
    return dict(callspec.params) if callspec is not None else {}


def _run(item: pytest.Item) -> None:
    item.obj(**_params(item))  # type: ignore[attr-defined]


def killed(mutant: Mutant, items: list[pytest.Item]) -> bool:
    """True if some test fails with the mutant in place."""
    mutant.apply()
    try:
        for item in items:
            try:
                _run(item)
            except Exception:
                return True
        return False
    finally:
        mutant.undo()


def _fails(item: pytest.Item) -> bool:
    try:
        _run(item)
    except Exception:
        return True
    return False


def _identities(found: list[Mutant]) -> set[str]:
    return {f"{m.table}\0{m.phrase!r}" for m in found}


def added_since(chosen: list[Mutant], rev: str) -> list[Mutant]:
    """The mutants whose (table, phrase) the tables did not have at git revision ``rev``: that
    revision's ``alerts`` package is unpacked aside and enumerated by this module in a child process."""
    with tempfile.TemporaryDirectory(prefix="reading_mutations_") as old:
        archive = subprocess.run(["git", "archive", rev, "alerts"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        listed = subprocess.run(
            [sys.executable, "-c", "import importlib.util, json, sys; "
             "spec = importlib.util.spec_from_file_location('rm', sys.argv[1]); m = sys.modules['rm'] = importlib.util.module_from_spec(spec); "
             "spec.loader.exec_module(m); print(json.dumps(sorted(m._identities(m.mutants()))))", __file__],
            check=True, capture_output=True, text=True, cwd=old, env={**os.environ, "PYTHONPATH": old}).stdout
    before = set(json.loads(listed))
    return [m for m in chosen if f"{m.table}\0{m.phrase!r}" not in before]


def main(argv: list[str]) -> None:
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    prefixes = tuple(only.split(",")) if only else ()  # "--only SIGN_PHRASES,symptom_text": several tables
    chosen = [m for m in mutants() if only is None or m.table.startswith(prefixes)]
    if "--since" in argv:
        chosen = added_since(chosen, argv[argv.index("--since") + 1])
    if "--every" in argv:
        chosen = chosen[::int(argv[argv.index("--every") + 1])]
    items = collect()
    baseline = [i.nodeid for i in items if _fails(i)]
    if baseline:
        raise SystemExit(f"the unit tests fail before any mutation: {baseline[:5]}")
    if "--rules-alone" in argv:
        never = trouble_net.Model(0.0, (0.0,) * trouble_net.BUCKETS, 2.0)
        trouble_net.load = lambda: never  # type: ignore[assignment]
        net_only = {i.nodeid for i in items if _fails(i)}
        items = [i for i in items if i.nodeid not in net_only]
        print(f"safety net off: {len(net_only)} tests pass only with it and are left out")
    survivors = [m for m in chosen if not killed(m, items)]
    print(f"unit tests run on each mutant: {len(items)}")
    n = len(chosen)
    print(f"table-drop mutants: {n}, killed {n - len(survivors)}, survived {len(survivors)}, "
          f"kill rate {100 * (n - len(survivors)) / max(n, 1):.1f}%")
    if "--list" in argv:
        for m in survivors:
            print(f"  SURVIVED {m.table}: {m.phrase}")


if __name__ == "__main__":
    main(sys.argv[1:])

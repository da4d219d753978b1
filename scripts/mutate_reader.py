"""mutmut over the SMS reader's code (``alerts/domain/reading.py``, ``symptom_text.py``,
``trouble_net.py``), killed by the reader's fast unit tests - a systematic sample, since a full run
takes hours on two shared cores. The clinical run ([tool.mutmut] in pyproject.toml) is untouched:
this one runs mutmut in a copy of the repository whose pyproject.toml names the reader instead.

    .venv/bin/python scripts/mutate_reader.py [--every 7] [--fresh]    # generate, run every K-th, report
    .venv/bin/python scripts/mutate_reader.py --report                 # the last run's figures again
    .venv/bin/python scripts/mutate_reader.py --names NAME [NAME ...]  # (re-)run these mutants only
    cd build/mutate-reader && ../../.venv/bin/mutmut show NAME        # one mutant's diff

Steps: copy ``alerts``, ``schemas``, ``workers``, ``scripts``, ``tests`` and pyproject.toml (its
[tool.mutmut] replaced) into ``build/mutate-reader``; have mutmut generate every mutant and record
which tests reach which function; take every K-th mutant name in the files' generation order
(source order: reading, symptom_text, trouble_net), starting with the first; run those with
``mutmut run --max-children 1 NAME...`` (one core), except the mutants of functions that run once
per process (ONCE_PER_PROCESS), each run in a fresh ``pytest`` process instead; print generated /
sampled / killed / survived / timeout / no tests, the kill rate with a 95% Wilson interval, and
every survivor. A sampled mutant whose function no selected test reaches is counted "no tests"
and not passed to mutmut (mutmut 3.8.1 stops on such a name). Results stay in
``build/mutate-reader/mutants`` (``*.meta``) for ``mutmut show`` and ``mutmut results``;
``fresh.json`` holds the fresh-process fates, ``summary.json`` the sample and every fate.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKDIR = ROOT / "build" / "mutate-reader"
FILES = ["alerts/domain/reading.py", "alerts/domain/symptom_text.py", "alerts/domain/trouble_net.py"]
TESTS = [
    "tests/unit/test_reading.py",
    "tests/unit/test_sms_phrasings.py",
    "tests/unit/test_symptom_text.py",
    "tests/unit/test_replies.py",
    "tests/unit/test_sms_batches.py",
    "tests/unit/test_trouble_net.py",
]
COPIED = ["alerts", "schemas", "workers", "scripts", "tests"]
# Functions that run once per process (at import, or behind ``lru_cache``): mutmut forks each mutant's
# test run from a process that has already run them, so their mutants would never be active there.
# Their sampled mutants run in a fresh ``pytest`` process instead, with MUTANT_UNDER_TEST set before
# the import (a mutant that breaks the import is killed).
ONCE_PER_PROCESS = {
    "alerts.domain.reading.x_compile_tables",
    "alerts.domain.reading.x__any_of",
    "alerts.domain.symptom_text.x_compile_tables",
    "alerts.domain.trouble_net.x_from_json",
}
MUTMUT_SECTION = f"""[tool.mutmut]
source_paths = ["alerts"]
only_mutate = {json.dumps(FILES)}
also_copy = ["schemas", "workers", "scripts"]
pytest_add_cli_args_test_selection = {json.dumps(TESTS)}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-n", "0"]
"""


def _pyproject() -> str:
    """The repository's pyproject.toml with its [tool.mutmut] table replaced by the reader's."""
    lines = (ROOT / "pyproject.toml").read_text().splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if line.startswith("["):
            skipping = line.strip() == "[tool.mutmut]"
            if skipping:
                out.append(MUTMUT_SECTION)
                continue
        if not skipping:
            out.append(line)
    text = "".join(out)
    assert MUTMUT_SECTION in text, "pyproject.toml has no [tool.mutmut] table to replace"
    return text


def prepare(fresh: bool) -> None:
    """Copy what the tests need into the work directory (again: the tests may have changed)."""
    if fresh and WORKDIR.exists():
        shutil.rmtree(WORKDIR)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPIED:
        shutil.copytree(ROOT / name, WORKDIR / name, dirs_exist_ok=True, ignore=ignore)
    pyproject = WORKDIR / "pyproject.toml"
    text = _pyproject()
    if not pyproject.exists() or pyproject.read_text() != text:  # an unchanged file keeps mutmut's cache
        pyproject.write_text(text)


def generate() -> None:
    """Run in WORKDIR: mutmut's own first steps of ``mutmut run`` - copy, generate, collect stats."""
    from mutmut.__main__ import collect_or_load_stats, create_mutants, store_lines_covered_by_tests
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths
    from mutmut.workers.isolation import get_mutant_runner

    Path("mutants").mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    store_lines_covered_by_tests()
    create_mutants(1)
    collect_or_load_stats(get_mutant_runner(1), mutants_caught_by_type_checker={},
                          apply_config_invalidation=True)


def _meta(path: str) -> dict:
    return json.loads((WORKDIR / "mutants" / f"{path}.meta").read_text())


def all_names() -> list[str]:
    """Every mutant's name, file by file in FILES' order, each file in mutmut's generation order."""
    return [name for path in FILES for name in _meta(path)["exit_code_by_key"]]


def reached() -> set[str]:
    """The functions (mutmut's mangled names) that at least one selected test calls."""
    stats = json.loads((WORKDIR / "mutants" / "mutmut-stats.json").read_text())
    return {name for name, tests in stats["tests_by_mangled_function_name"].items() if tests}


def _function(name: str) -> str:
    return name.rsplit("__mutmut_", 1)[0]


def run_mutmut(names: list[str]) -> None:
    mutmut = str(Path(sys.executable).parent / "mutmut")
    subprocess.run([mutmut, "run", "--max-children", "1", *names], cwd=WORKDIR, check=True)


def run_fresh(names: list[str]) -> None:
    """Each once-per-process mutant in its own pytest process; the fates go to fresh.json."""
    path = WORKDIR / "fresh.json"
    fates = json.loads(path.read_text()) if path.exists() else {}
    args = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-n", "0", "--rootdir=.",
            *TESTS]
    for name in names:
        started = time.monotonic()
        try:
            env = {**os.environ, "MUTANT_UNDER_TEST": name}
            code = subprocess.run(args, check=False, cwd=WORKDIR / "mutants", env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=300).returncode
            fates[name] = {0: "survived", 1: "killed", 2: "killed", 3: "killed"}.get(code, f"exit {code}")
        except subprocess.TimeoutExpired:
            fates[name] = "timeout"
        print(f"  fresh process: {name}: {fates[name]} ({time.monotonic() - started:.0f} s)", flush=True)
        path.write_text(json.dumps(fates, indent=1))


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half, centre + half)


def report(sample: list[str], generated: int, every: int) -> dict:
    from mutmut.stats import status_by_exit_code

    codes = {name: code for path in FILES for name, code in _meta(path)["exit_code_by_key"].items()}
    fresh_path = WORKDIR / "fresh.json"
    fresh = json.loads(fresh_path.read_text()) if fresh_path.exists() else {}
    live = reached()
    fates: dict[str, str] = {}
    for name in sample:
        if _function(name) in ONCE_PER_PROCESS:
            fates[name] = fresh.get(name, "not checked")
        elif _function(name) not in live:
            fates[name] = "no tests"
        else:
            fates[name] = status_by_exit_code[codes.get(name)]
    counts: dict[str, int] = {}
    for fate in fates.values():
        counts[fate] = counts.get(fate, 0) + 1
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    tested = len(sample) - counts.get("no tests", 0) - counts.get("not checked", 0)
    low, high = wilson(killed, tested)
    print(f"generated {generated} mutants over {', '.join(FILES)}")
    print(f"sampled every {every}th: {len(sample)}")
    for fate in sorted(counts):
        print(f"  {fate}: {counts[fate]}")
    print(f"kill rate (timeouts count as killed, no-tests left out): {killed}/{tested} = "
          f"{100 * killed / max(tested, 1):.1f}% (95% Wilson {100 * low:.1f}-{100 * high:.1f}%)")
    survivors = [name for name, fate in fates.items() if fate not in ("killed", "timeout")]
    if survivors:
        print("not killed:")
        for name in survivors:
            print(f"  {fates[name]}: {name}")
    return {"generated": generated, "every": every, "fates": fates, "counts": counts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=int, default=7,
                        help="run every K-th mutant (default 7: about 30 min on one core)")
    parser.add_argument("--fresh", action="store_true", help="start from an empty work directory")
    parser.add_argument("--report", action="store_true", help="only print the last run's figures")
    parser.add_argument("--list", action="store_true", help="generate, print the sample's names, run nothing")
    parser.add_argument("--names", nargs="+", help="run these mutants only (after a new test, say)")
    parser.add_argument("_generate", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._generate == "_generate":  # the child step, run inside WORKDIR
        generate()
        return 0

    summary_path = WORKDIR / "summary.json"
    if args.report:
        last = json.loads(summary_path.read_text())
        report(list(last["fates"]), last["generated"], last["every"])
        return 0

    prepare(args.fresh)
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "_generate"], cwd=WORKDIR, check=True)
    names = all_names()
    if args.names:
        forked = [name for name in args.names if _function(name) not in ONCE_PER_PROCESS]
        if forked:
            run_mutmut(forked)
        run_fresh([name for name in args.names if _function(name) in ONCE_PER_PROCESS])
        last = json.loads(summary_path.read_text()) if summary_path.exists() else None
        if last:
            summary_path.write_text(json.dumps(report(list(last["fates"]), last["generated"], last["every"]),
                                               indent=1))
        return 0

    sample = names[:: args.every]
    live = reached()
    once = [name for name in sample if _function(name) in ONCE_PER_PROCESS]
    runnable = [name for name in sample if _function(name) in live and name not in once]
    if args.list:
        print(f"{len(names)} mutants; every {args.every}th: {len(sample)}, {len(runnable)} forked by mutmut, "
              f"{len(once)} in a fresh process, {len(sample) - len(runnable) - len(once)} reached by no test")
        print("\n".join(sample))
        return 0
    (WORKDIR / "fresh.json").unlink(missing_ok=True)
    if runnable:
        run_mutmut(runnable)
    run_fresh(once)
    summary = report(sample, len(names), args.every)
    summary_path.write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

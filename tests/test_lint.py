"""The linters the test command runs (issue 14): ruff's pyflakes and syntax rules over the whole tree,
and mypy in strict mode over the framework-free domain (``alerts/domain``), the code the rules live in.

Both run as the test command's own subprocesses, so CI and a newcomer's `pytest` run them alike.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_finds_no_unused_import_undefined_name_or_syntax_error() -> None:
    result = _run("ruff", "check", "--no-cache", "--select", "F,E9", "alerts", "workers", "schemas", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_domain_is_mypy_strict_clean() -> None:
    # follow-imports=silent: the domain is judged strictly; what it imports is type-checked only for
    # how the domain uses it.
    result = _run("mypy", "--strict", "--follow-imports=silent", "--no-incremental", "alerts/domain")
    assert result.returncode == 0, result.stdout + result.stderr

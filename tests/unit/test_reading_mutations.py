"""The table-drop run's ``--since``: it picks exactly the phrases a round added."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.unit.reading_mutations import Mutant, added_since, mutants

ROOT = Path(__file__).resolve().parents[2]


def _has_git_history() -> bool:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _has_git_history(), reason="needs the git checkout")


def test_at_the_checked_out_revision_no_phrase_is_new() -> None:
    # HEAD's tables are this tree's unless the tree has uncommitted table edits; compare with the index then.
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "alerts/domain/reading.py", "alerts/domain/symptom_text.py"], cwd=ROOT).returncode
    if dirty:
        pytest.skip("the reader's tables have uncommitted changes")
    assert added_since(mutants(), "HEAD") == []


def test_a_phrase_the_revision_did_not_have_is_new_and_one_it_had_is_not() -> None:
    known = mutants()[0]
    invented = Mutant(known.table, "a phrase no table ever held", known.apply, known.undo)
    assert added_since([known, invented], "HEAD") == [invented]

"""The two blind batches of issue 10 (``tests/fixtures/sms``), written from the brief alone by people
who never saw the reader. Figures printed by ``python -m tests.unit.sms_batches <batch>``:

======================================  ===========================  ============================
                                        before (3f56724)             after (this reader)
======================================  ===========================  ============================
tuning (294; tuned on)                  emergencies 35/56 escalated  56/56 (all as emergency)
                                        denials/questions alarmed    0/66
                                        or dosed 5/66
                                        agreement 131/294 = 44.6%    287/294 = 97.6%
held-out (326; run once, never tuned)   emergencies 35/64 escalated  56/64 (55 emergency, 1 urgent
                                                                     with the text forwarded), 8 missed
                                        denials/questions alarmed    10/78
                                        or dosed 8/78
                                        doses not reported 2         5
                                        agreement 145/326 = 44.5%    269/326 = 82.5%
======================================  ===========================  ============================

The held-out floor is pinned as measured; issue 10's targets (every emergency escalated, at worst
urgent with the text forwarded; no denial or question alarming or recording a dose; >= 90%) are
met on the tuning batch and not on the held-out one: those are strict xfails, so the day a change
meets them the test says so (and the floor must then be raised).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.unit.sms_batches import FIXTURES, load, score


def _counts(batch: str) -> Counter[str]:
    return score(load(FIXTURES / batch))["counts"]  # type: ignore[return-value]


def test_the_held_out_batch_reads_at_least_as_well_as_when_it_was_first_run() -> None:
    c = _counts("heldout.jsonl")
    assert c["rows"] == 326
    assert c["emergency_as_emergency"] + c["emergency_as_urgent_forwarded"] >= 56
    assert c["denial_question_alarmed_or_dosed"] <= 10
    assert c["dose_not_reported_recorded"] <= 5
    assert c["agree"] >= 269


def test_the_tuning_batch_meets_the_issues_targets() -> None:
    c = _counts("tuning.jsonl")
    assert (c["emergencies"], c["emergency_missed"]) == (56, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["agree"] >= 0.9 * c["rows"]


@pytest.mark.xfail(strict=True, reason="held-out: 8 of 64 emergencies missed (measured once, not tuned on)")
def test_every_held_out_emergency_is_escalated_at_worst_urgent_with_the_text_forwarded() -> None:
    assert _counts("heldout.jsonl")["emergency_missed"] == 0


@pytest.mark.xfail(strict=True, reason="held-out: 10 of 78 denials and questions alarmed or recorded a dose")
def test_no_held_out_denial_or_question_alarms_or_records_a_dose() -> None:
    assert _counts("heldout.jsonl")["denial_question_alarmed_or_dosed"] == 0


@pytest.mark.xfail(strict=True, reason="held-out: 82.5% agreement")
def test_held_out_agreement_is_at_least_90_percent() -> None:
    c = _counts("heldout.jsonl")
    assert c["agree"] >= 0.9 * c["rows"]

"""Escalation as data: who is told, in what order, and who hears the all-clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.domain.escalation import (
    Recipient, StepSpec, default_steps, everyone_told, parse_steps, recipients, resolve, step_due_at,
)

T0 = datetime(2026, 6, 15, 12, 30, tzinfo=UTC)
PATIENT = Recipient("patient", 1, "+15005550001", "Ana")
ANN = Recipient("caregiver", 10, "+14155550010", "Ann")
BOB = Recipient("caregiver", 11, "+14155550011", "Bob")


def test_default_policy_is_patient_then_each_caregiver_in_order_then_everyone() -> None:
    steps = default_steps(15, [2, 1])
    assert steps == [
        StepSpec("patient", 0), StepSpec("caregiver", 15, 1), StepSpec("caregiver", 15, 2), StepSpec("everyone", 15),
    ]


def test_resolved_policy_names_people_and_keeps_order() -> None:
    policy = resolve(default_steps(10, [1, 2]), PATIENT, [(2, BOB), (1, ANN)])
    assert [[r.name for r in recipients(step)] for step in policy] == [["Ana"], ["Ann"], ["Bob"], ["Ana", "Ann", "Bob"]]


def test_steps_run_after_their_wait_from_the_previous_step() -> None:
    policy = resolve(default_steps(10, [1]), PATIENT, [(1, ANN)])
    assert step_due_at(policy, 0, T0) == T0
    assert step_due_at(policy, 1, T0) == T0 + timedelta(minutes=10)
    assert step_due_at(policy, 3, T0) is None  # no fourth step: the escalation is over


def test_patient_without_phone_keeps_the_timing_of_later_steps() -> None:
    policy = resolve(default_steps(15, [1]), None, [(1, ANN)])
    assert recipients(policy[0]) == []
    assert policy[1]["after_minutes"] == 15


def test_all_clear_goes_to_each_person_already_told_once() -> None:
    policy = resolve(default_steps(15, [1, 2]), PATIENT, [(1, ANN), (2, BOB)])
    assert [r.name for r in everyone_told(policy, 2)] == ["Ana", "Ann"]  # Bob not yet told
    assert [r.name for r in everyone_told(policy, 4)] == ["Ana", "Ann", "Bob"]  # once each


def test_custom_policy_as_data() -> None:
    steps = parse_steps([
        {"target": "caregiver", "position": 2, "after_minutes": 0},
        {"target": "all_caregivers", "after_minutes": 5},
    ])
    policy = resolve(steps, PATIENT, [(1, ANN), (2, BOB)])
    assert [[r.name for r in recipients(s)] for s in policy] == [["Bob"], ["Ann", "Bob"]]


@pytest.mark.parametrize("raw, message", [
    ([], "at least one step"),
    ([{"target": "nobody"}], "target must be"),
    ([{"target": "caregiver"}], "needs a position"),
    ([{"target": "patient", "position": 1}], "only caregiver steps"),
    ([{"target": "patient", "after_minutes": -5}], "after_minutes"),
    ([{"target": "patient", "after_minutes": "soon"}], "after_minutes"),
])
def test_invalid_policies_are_rejected_with_the_reason(raw: list, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        parse_steps(raw)

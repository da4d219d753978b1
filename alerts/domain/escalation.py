"""Escalation policy as data (Grafana OnCall style): a list of steps, each "who" and "after how long".

The default, from the issue: at due+grace a reminder to the patient; if the dose is still missing
after N minutes, caregiver 1; N minutes later caregiver 2; and so on; finally everyone at once.
When an alert opens, the steps are resolved to concrete people and phones and copied onto it, so a
later edit to the patient's caregivers or policy never changes a running escalation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

Target = Literal["patient", "caregiver", "all_caregivers", "everyone"]
TARGETS: tuple[str, ...] = ("patient", "caregiver", "all_caregivers", "everyone")
Channel = Literal["sms", "voice"]
CHANNELS: tuple[str, ...] = ("sms", "voice")


@dataclass(frozen=True)
class StepSpec:
    target: Target
    after_minutes: int = 0  # wait after the previous step (after the alert opens, for the first)
    position: int | None = None  # the caregiver's place in the escalation list, for target="caregiver"
    # How caregivers are reached at this step. The patient is always texted: a voice call asking a
    # patient who may be drowsy or seizing to "press 1" helps no one.
    channels: tuple[Channel, ...] = ("sms",)
    # The last step may repeat every N minutes until the alert closes (emergencies: "repeats every
    # few minutes until a caregiver acknowledges"); ``max_repeats`` None means no limit.
    repeat_every_minutes: int | None = None
    max_repeats: int | None = None


@dataclass(frozen=True)
class Recipient:
    kind: Literal["patient", "caregiver"]
    id: int
    phone: str
    name: str
    language: str = "en"


def default_steps(interval_minutes: int, caregiver_positions: Sequence[int]) -> list[StepSpec]:
    steps = [StepSpec("patient", 0)]
    steps += [StepSpec("caregiver", interval_minutes, p) for p in sorted(caregiver_positions)]
    steps.append(StepSpec("everyone", interval_minutes))
    return steps


# The most caregivers one patient's escalation list holds (``schemas.admin.CaregiverIn.position``).
MAX_POSITION = 50


def parse_steps(raw: Sequence[Mapping[str, Any]]) -> list[StepSpec]:
    """Validate a policy given as data (admin input). Raises ValueError naming the bad step."""
    if not raw:
        raise ValueError("an escalation policy needs at least one step")
    steps = []
    for i, item in enumerate(raw):
        target = item.get("target")
        if target not in TARGETS:
            raise ValueError(f"step {i}: target must be one of {', '.join(TARGETS)}")
        after = item.get("after_minutes", 0)
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= 24 * 60:
            raise ValueError(f"step {i}: after_minutes must be a whole number from 0 to 1440")
        position = item.get("position")
        if target == "caregiver":
            if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= MAX_POSITION:
                raise ValueError(f"step {i}: a caregiver step needs a position from 1 to {MAX_POSITION}")
        elif position is not None:
            raise ValueError(f"step {i}: only caregiver steps take a position")
        steps.append(StepSpec(target, after, position))
    return steps


def resolve(steps: Sequence[StepSpec], patient: Recipient | None,
            caregivers: Sequence[tuple[int, Recipient]]) -> list[dict[str, Any]]:
    """Steps with their recipients filled in, as JSON-ready dicts for ``Alert.policy``.

    ``caregivers`` are (position, recipient) pairs. A step nobody can receive (a patient with no
    phone, a position with no caregiver) keeps its wait but has no recipients, so the timing of the
    steps after it is what the clinician set up.
    """
    by_position = dict(caregivers)
    everyone_cg = [r for _, r in sorted(caregivers, key=lambda pr: pr[0])]
    resolved = []
    for step in steps:
        if step.target == "patient":
            people = [patient] if patient else []
        elif step.target == "caregiver":
            person = by_position.get(step.position or 0)
            people = [person] if person else []
        elif step.target == "all_caregivers":
            people = list(everyone_cg)
        else:
            people = ([patient] if patient else []) + everyone_cg
        entry: dict[str, Any] = {
            "target": step.target,
            "position": step.position,
            "after_minutes": step.after_minutes,
            "recipients": [asdict(p) for p in people],
        }
        if step.channels != ("sms",):
            entry["channels"] = list(step.channels)
        if step.repeat_every_minutes is not None:
            entry["repeat_every_minutes"] = step.repeat_every_minutes
            entry["max_repeats"] = step.max_repeats
        resolved.append(entry)
    return resolved


def step_at(policy: Sequence[Mapping[str, Any]], index: int) -> Mapping[str, Any] | None:
    """Step ``index`` of a policy, counting the repeats of a repeating last step. None: no more."""
    if index < len(policy):
        return policy[index]
    if not policy:
        return None
    last = policy[-1]
    every = last.get("repeat_every_minutes")
    if not every:
        return None
    repeat = index - len(policy) + 1  # 1 for the first repeat
    limit = last.get("max_repeats")
    if limit is not None and repeat > int(limit):
        return None
    return {**last, "after_minutes": int(every)}


def step_due_at(policy: Sequence[Mapping[str, Any]], index: int, previous_step_at: datetime) -> datetime | None:
    """When step ``index`` runs, given when the step before it ran (or the alert opened). None: no more."""
    step = step_at(policy, index)
    if step is None:
        return None
    return previous_step_at + timedelta(minutes=int(step["after_minutes"]))


def recipients(step: Mapping[str, Any]) -> list[Recipient]:
    return [Recipient(**r) for r in step["recipients"]]


def channels_for(step: Mapping[str, Any], recipient: Recipient) -> list[str]:
    """The channels a step uses for one recipient: caregivers as the step says, the patient by SMS."""
    if recipient.kind == "patient":
        return ["sms"]
    return list(step.get("channels") or ["sms"])


def everyone_told(policy: Sequence[Mapping[str, Any]], steps_run: int) -> list[Recipient]:
    """Everyone a step up to ``steps_run`` reached, once each: who gets the all-clear."""
    seen: dict[tuple[str, int], Recipient] = {}
    # Repeats of the last step reach the same people as the last step itself.
    for step in policy[:steps_run]:
        for r in recipients(step):
            seen.setdefault((r.kind, r.id), r)
    return list(seen.values())

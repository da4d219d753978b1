"""``dosewatch demo`` tells the missed-dose story through the real tick, outbox and notifier.

The demo is the first thing a newcomer (or a clinician reviewing the escalation) runs, so its
timeline is asserted exactly: who hears what, and when, in the patient's local time.
"""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from alerts.cli import main
from alerts.demo import DemoResult, format_timeline, run_demo


def _timeline(result: DemoResult) -> list[tuple[str, str, str, str]]:
    return [(f"{result.local(m.at):%H:%M}", m.recipient, m.role, m.kind) for m in result.messages]


def test_missed_dose_escalates_then_late_dose_sends_all_clear_and_on_time_dose_is_silent(tmp_path: Path) -> None:
    result = run_demo(tmp_path)

    assert _timeline(result) == [
        ("08:30", "Ana", "patient", "reminder"),
        ("08:45", "Ben", "caregiver 1", "escalation"),
        ("09:00", "Carla", "caregiver 2", "escalation"),
        ("09:15", "Ana", "patient", "reminder"),
        ("09:15", "Ben", "caregiver 1", "escalation"),
        ("09:15", "Carla", "caregiver 2", "escalation"),
        ("09:20", "Ben", "caregiver 1", "all_clear"),
        ("09:20", "Carla", "caregiver 2", "all_clear"),
    ]


def test_messages_carry_the_dose_time_the_delay_and_the_late_dose_time(tmp_path: Path) -> None:
    result = run_demo(tmp_path)
    by_time = {(f"{result.local(m.at):%H:%M}", m.recipient): m for m in result.messages}

    assert "08:00" in by_time[("08:30", "Ana")].body
    assert "TAKEN" in by_time[("08:30", "Ana")].body
    assert "45 min overdue" in by_time[("08:45", "Ben")].body
    assert "60 min overdue" in by_time[("09:00", "Carla")].body
    assert "all clear" in by_time[("09:20", "Ben")].body
    assert "09:20" in by_time[("09:20", "Ben")].body
    # Each message went to that person's own phone.
    assert {m.recipient: m.to for m in result.messages} == {
        "Ana": "+12025550101", "Ben": "+12025550102", "Carla": "+12025550103"}


def test_demo_command_prints_the_timeline_in_local_time_in_well_under_30_seconds() -> None:
    started = time.monotonic()

    outcome = CliRunner().invoke(main, ["demo"])

    assert outcome.exit_code == 0, outcome.output
    assert time.monotonic() - started < 30
    lines = outcome.output.splitlines()
    assert any(line.startswith("08:30  -> Ana (patient)") for line in lines)
    assert any(line.startswith("09:20  * Ana records her 08:00 dose in the app, late") for line in lines)
    assert any(line.startswith("09:20  -> Carla (caregiver 2)") and "all clear" in line for line in lines)
    assert "8 messages." in outcome.output


def test_timeline_puts_what_happened_before_the_messages_it_caused(tmp_path: Path) -> None:
    lines = format_timeline(run_demo(tmp_path)).splitlines()

    dose_taken = next(i for i, line in enumerate(lines) if "* Ana records her 08:00 dose" in line)
    first_all_clear = next(i for i, line in enumerate(lines) if "all clear" in line)
    assert dose_taken < first_all_clear

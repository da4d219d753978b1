"""``dosewatch admin ...``: the same validation and services as the admin API, from a shell."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from alerts.cli_admin import admin
from alerts.db import Database
from alerts.models import (
    ApiToken,
    AuditEvent,
    Base,
    Caregiver,
    Dose,
    DoseSchedule,
    Medication,
    Notification,
    Patient,
)
from alerts.services.tokens import authenticate


@pytest.fixture
def cli_db(tmp_path) -> Database:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def run(cli_db: Database, tmp_path):  # type: ignore[no-untyped-def]
    env = {"DATABASE_URL": cli_db.url, "DOSEWATCH_DATA_DIR": str(tmp_path), "CELERY_BROKER_URL": "memory://",
           "NOTIFIER": "console", "REDIS_URL": ""}

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(admin, list(args), env=env, catch_exceptions=False)

    return invoke


def test_a_patient_is_set_up_end_to_end_from_the_shell(run, cli_db: Database) -> None:
    created = run("create-patient", "--name", "Rosa", "--timezone", "America/New_York", "--phone", "+1 415 555 0100",
                  "--renal-impairment")
    assert created.exit_code == 0, created.output
    assert created.output.startswith("patient 1:")

    assert run("add-caregiver", "--patient-id", "1", "--name", "Ann", "--phone", "+14155550101").exit_code == 0
    schedule = run("add-schedule", "--patient-id", "1", "--time", "20:00", "--time", "08:00", "--dose-mg", "10")
    assert schedule.exit_code == 0, schedule.output
    assert "08:00, 20:00" in schedule.output
    token = run("create-token", "--name", "Rosa's phone", "--patient-id", "1")
    assert token.exit_code == 0
    secret = token.output.strip()

    listing = run("list-patients")
    assert "Rosa\tAmerica/New_York\t1 caregiver(s)\t1 schedule(s)" in listing.output
    with cli_db.sessionmaker() as s:
        patient = s.scalars(select(Patient)).one()
        assert (patient.phone, patient.renal_impairment) == ("+14155550100", True)
        assert s.scalars(select(Caregiver.position)).all() == [1]
        assert s.scalars(select(Dose.status)).all() == ["pending"]
        found = authenticate(s, secret)
        assert found is not None and [p.id for p in found.patients] == [1]


@pytest.mark.parametrize("args", [
    ("create-patient", "--name", "Rosa", "--timezone", "Nowhere/Special"),
    ("create-patient", "--name", "Rosa", "--timezone", "localtime"),
    ("create-patient", "--name", "Rosa", "--timezone", "+05:00"),
    ("create-patient", "--name", "Rosa", "--timezone", "UTC", "--phone", "555-0100"),
    ("create-patient", "--name", "Rosa", "--timezone", "UTC", "--escalation-minutes", "0"),
], ids=["bad_timezone", "server_localtime", "utc_offset", "bad_phone", "bad_escalation"])
def test_invalid_input_exits_non_zero_naming_the_field_and_stores_nothing(run, cli_db: Database, args) -> None:
    result = run(*args)

    assert result.exit_code == 2
    assert "invalid input" in result.output
    with cli_db.sessionmaker() as s:
        assert s.scalars(select(Patient)).all() == []


def test_bad_schedule_and_position_conflict_are_refused(run, cli_db: Database) -> None:
    run("create-patient", "--name", "Rosa", "--timezone", "UTC")
    run("add-caregiver", "--patient-id", "1", "--name", "Ann", "--phone", "+14155550101", "--position", "1")

    bad_time = run("add-schedule", "--patient-id", "1", "--time", "8pm", "--dose-mg", "10")
    conflict = run("add-caregiver", "--patient-id", "1", "--name", "Bob", "--phone", "+14155550102", "--position", "1")
    no_patient = run("create-token", "--name", "x", "--patient-id", "42")

    assert bad_time.exit_code == 2 and "HH:MM" in bad_time.output
    assert conflict.exit_code == 1 and "position 1" in conflict.output
    assert no_patient.exit_code == 1 and "42" in no_patient.output
    with cli_db.sessionmaker() as s:
        assert s.scalars(select(Caregiver.name)).all() == ["Ann"]
        assert s.scalars(select(ApiToken)).all() == []


@pytest.mark.parametrize("phone", ["555-0100", "+1 555 0100", "+1 415 555 0199 ext. 5"],
                         ids=["national", "invalid_for_its_country", "extension"])
def test_caregiver_with_a_phone_that_is_not_e164_is_refused_and_nothing_stored(
        run, cli_db: Database, phone: str) -> None:
    run("create-patient", "--name", "Rosa", "--timezone", "UTC")

    result = run("add-caregiver", "--patient-id", "1", "--name", "Ann", "--phone", phone)

    assert result.exit_code == 2
    assert "phone" in result.output
    with cli_db.sessionmaker() as s:
        assert s.scalars(select(Caregiver)).all() == []


def test_a_caregivers_quiet_hours_are_set_from_the_shell_both_or_neither(run, cli_db: Database) -> None:
    run("create-patient", "--name", "Rosa", "--timezone", "UTC")

    half = run("add-caregiver", "--patient-id", "1", "--name", "Bo", "--phone", "+14155550102", "--quiet-start", "22:00")
    added = run("add-caregiver", "--patient-id", "1", "--name", "Ann", "--phone", "+14155550101",
                "--quiet-start", "22:00", "--quiet-end", "07:00")

    assert half.exit_code == 2 and "quiet hours need both" in half.output
    assert added.exit_code == 0 and "quiet 22:00-07:00" in added.output
    with cli_db.sessionmaker() as s:
        assert s.execute(select(Caregiver.name, Caregiver.quiet_start, Caregiver.quiet_end)).all() == [
            ("Ann", "22:00", "07:00")]


def test_a_caregivers_own_zone_is_set_from_the_shell_and_a_bad_one_refused(run, cli_db: Database) -> None:
    run("create-patient", "--name", "Rosa", "--timezone", "Asia/Tokyo")

    bad = run("add-caregiver", "--patient-id", "1", "--name", "Bo", "--phone", "+14155550102",
              "--timezone", "New York")
    added = run("add-caregiver", "--patient-id", "1", "--name", "Ann", "--phone", "+14155550101",
                "--timezone", "America/New_York", "--quiet-start", "22:00", "--quiet-end", "07:00")

    assert bad.exit_code == 2 and "unknown IANA time zone" in bad.output
    assert added.exit_code == 0 and "quiet 22:00-07:00 America/New_York" in added.output
    with cli_db.sessionmaker() as s:
        assert s.execute(select(Caregiver.name, Caregiver.timezone)).all() == [("Ann", "America/New_York")]


# -- a medicine's supply from the shell: the admin API's supply routes, the same service --------------


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def _set_up_metformin(run) -> None:  # type: ignore[no-untyped-def]
    """Rosa (New York, a phone) with Ann, baclofen 1 and metformin 2: two tablets at 08:00 and 20:00."""
    run("create-patient", "--name", "Rosa", "--timezone", "America/New_York", "--phone", "+14155550100")
    run("add-caregiver", "--patient-id", "1", "--name", "Ann", "--phone", "+14155550101")
    run("add-schedule", "--patient-id", "1", "--time", "08:00", "--dose-mg", "10")
    run("add-medication", "--patient-id", "1", "--name", "metformin")


def test_supply_is_counted_shown_and_given_units_a_dose_from_the_shell(run, cli_db: Database, frozen) -> None:
    _set_up_metformin(run)
    schedule = run("add-schedule", "--patient-id", "1", "--time", "08:00", "--time", "20:00", "--dose-mg", "50",
                   "--medication-id", "2", "--units-per-dose", "2")
    assert schedule.exit_code == 0, schedule.output
    assert "(50 mg, 2 a dose)" in schedule.output
    assert run("show-supply", "--medication-id", "2").output == (
        "medication 2 metformin: supply not counted; 1 a dose; no refill day\n")

    counted = run("record-supply", "--medication-id", "2", "--on-hand", "60", "--refill-date", "2026-06-29")

    assert counted.exit_code == 0, counted.output
    assert counted.output == ("medication 2 metformin: 60 on hand, about 15 days at 4 a day (runs out 2026-06-30); "
                              "1 a dose; next refill 2026-06-29\n")
    assert run("show-supply", "--medication-id", "2").output == counted.output
    cleared = run("record-supply", "--medication-id", "2", "--no-refill-date", "--stop-counting")
    assert cleared.output == "medication 2 metformin: supply not counted; 1 a dose; no refill day\n"
    with cli_db.sessionmaker() as s:
        changes = s.scalars(select(AuditEvent).where(AuditEvent.target == "medication 2 supply")
                            .order_by(AuditEvent.id)).all()
        assert [(e.role, e.details["on_hand"], e.details["refill_date"]) for e in changes] == [
            ("cli", ["", "60"], ["", "2026-06-29"]), ("cli", ["60", ""], ["2026-06-29", ""])]
        assert s.scalars(select(Notification)).all() == []  # 15 days: not low


def test_a_low_count_from_the_shell_queues_the_reminder_once(run, cli_db: Database, frozen) -> None:
    _set_up_metformin(run)
    run("add-schedule", "--patient-id", "1", "--time", "08:00", "--time", "20:00", "--dose-mg", "50",
        "--medication-id", "2")

    low = run("record-supply", "--medication-id", "2", "--on-hand", "5")
    again = run("record-supply", "--medication-id", "2", "--on-hand", "4")  # a recount: the same low episode

    assert low.output == ("medication 2 metformin: 5 on hand, about 2 days at 2 a day (runs out 2026-06-17); "
                          "1 a dose; no refill day; low: fewer days left than the threshold\n"
                          "queued 2 message(s); the worker sends them at its next tick\n")
    assert again.exit_code == 0 and "queued" not in again.output
    short = run("record-supply", "--medication-id", "2", "--refill-date", "2026-06-20")  # after the run-out day
    assert short.output.endswith("; next refill 2026-06-20; low: runs out before the refill day\n")
    with cli_db.sessionmaker() as s:
        assert s.execute(select(Notification.kind, Notification.recipient_kind)
                         .order_by(Notification.id)).all() == [("supply_low", "patient"), ("supply_low", "caregiver")]


@pytest.mark.parametrize(("args", "error"), [
    (("--on-hand", "-1"), "Error: invalid input: on_hand: Input should be greater than or equal to 0"),
    (("--on-hand", "lots"), "Error: invalid input: on_hand: Input should be a valid decimal"),
    ((), "Error: invalid input: input: give at least one of on_hand, units_per_dose, refill_date"),
    (("--units-per-dose", "0"), "Error: invalid input: units_per_dose: Input should be greater than 0"),
    (("--on-hand", "3", "--stop-counting"), "Error: invalid input: give --on-hand or --stop-counting, not both"),
    (("--refill-date", "2026-13-01"),
     ("Error: invalid input: refill_date: Input should be a valid date or datetime, month value is outside expected "
     "range of 1-12")),
    (("--on-hand",), "Error: Option '--on-hand' requires an argument."),
], ids=["negative", "not_a_number", "nothing", "zero_units", "contradiction", "bad_date", "no_value"])
def test_a_bad_supply_edit_from_the_shell_exits_2_with_one_line_and_changes_nothing(
        run, cli_db: Database, args: tuple[str, ...], error: str) -> None:
    _set_up_metformin(run)

    result = run("record-supply", "--medication-id", "2", *args)

    assert (result.exit_code, _one_line_error(result)) == (2, error)
    with cli_db.sessionmaker() as s:
        assert s.scalars(select(Medication.supply_on_hand).where(Medication.id == 2)).one() is None


def test_supply_of_a_medication_that_does_not_exist_and_bad_units_a_dose_are_one_line_errors(
        run, cli_db: Database) -> None:
    _set_up_metformin(run)

    missing = run("show-supply", "--medication-id", "9")
    missing_edit = run("record-supply", "--medication-id", "9", "--on-hand", "3")
    bad_units = run("add-schedule", "--patient-id", "1", "--time", "08:00", "--dose-mg", "5", "--medication-id", "2",
                    "--units-per-dose", "0")

    assert (missing.exit_code, _one_line_error(missing)) == (1, "Error: there is no medication 9")
    assert (missing_edit.exit_code, _one_line_error(missing_edit)) == (1, "Error: there is no medication 9")
    assert (bad_units.exit_code, _one_line_error(bad_units)) == (
        2, "Error: invalid input: units_per_dose: Input should be greater than 0")
    with cli_db.sessionmaker() as s:
        assert s.scalars(select(DoseSchedule).where(DoseSchedule.medication_id == 2)).all() == []

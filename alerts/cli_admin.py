"""``dosewatch admin ...``: set up patients, caregivers, schedules, supply and tokens from a shell.

The same validation (``schemas.admin``) and the same service functions (``alerts.services.admin``,
``alerts.services.supply``) as the admin API, so the CLI cannot create what the API would refuse.
Bad input exits 2 with one line naming the field. Registered on the ``dosewatch`` command by
``alerts.cli``; configuration comes from the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import click
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.domain.supply import REASON_WORDS, SupplyOutlook
from alerts.models import DoseSchedule, Medication, Patient
from alerts.services import admin as service
from schemas.admin import CaregiverIn, MedicationIn, PatientIn, ScheduleIn, SupplyIn, TokenIn

M = TypeVar("M", bound=BaseModel)


@contextmanager
def _session() -> Iterator[tuple[Session, dict[str, Any]]]:
    """A session on the configured database, committed if the command succeeds."""
    from alerts import create_app
    from alerts.config import ConfigError
    from alerts.db import get_db

    try:
        app = create_app()
    except ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from None  # one line, no usage text
    db = get_db(app)
    try:
        with db.session() as session:
            yield session, dict(app.config)
    finally:
        db.dispose()


class BadInput(click.ClickException):
    """``Error: invalid input: field: what is wrong`` on one line (several fields: "; " between
    them), exit status 2 like click's own usage errors."""

    exit_code = 2


def _validate(model: type[M], values: dict[str, Any], *, keep_none: frozenset[str] = frozenset()) -> M:
    """Options -> wire model. Lax (not strict) here: click has already turned text into ints and dates.
    Options left out are not sent, except those in ``keep_none`` (an explicit null: "clear it")."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None or k in keep_none},
                                    strict=False)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg'].removeprefix('Value error, ')}"
                    for e in exc.errors(include_input=False, include_url=False)]
        raise BadInput("invalid input: " + "; ".join(problems)) from None


def _patient(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise click.UsageError(f"there is no patient {patient_id}")
    return patient


def _admin_errors(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except service.AdminError as exc:
        raise click.ClickException(str(exc)) from None


class _OneLineCommand(click.Command):
    """An admin command whose bad options (a missing option, a malformed number or date) are one
    line, as bad values are (:class:`BadInput`), not click's usage text and hint around it."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise BadInput(exc.format_message()) from None


class _AdminGroup(click.Group):
    command_class = _OneLineCommand


@click.group(cls=_AdminGroup)
def admin() -> None:
    """Manage patients, caregivers, dose schedules, medications and their supply, and API tokens."""


@admin.command("create-patient")
@click.option("--name", required=True)
@click.option("--timezone", required=True, help="IANA zone, e.g. America/New_York.")
@click.option("--phone", help="E.164, e.g. +14155550100 (omit if the patient has no phone).")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("--renal-impairment/--no-renal-impairment", default=False, show_default=True)
@click.option("--intrathecal-pump/--no-intrathecal-pump", default=False, show_default=True)
@click.option("--escalation-minutes", type=int, help="Minutes between escalation steps (1-240).")
def create_patient(**options: Any) -> None:
    """Create a patient; prints its id."""
    data = _validate(PatientIn, options)
    with _session() as (session, config):
        patient = service.create_patient(session, data.to_domain(), utcnow(),
                                         default_escalation_minutes=config["DEFAULT_ESCALATION_MINUTES"])
    click.echo(f"patient {patient.id}: {patient.name} ({patient.timezone})")


@admin.command("add-caregiver")
@click.option("--patient-id", type=int, required=True)
@click.option("--name", required=True)
@click.option("--phone", required=True, help="E.164, e.g. +14155550100.")
@click.option("--position", type=int, help="Place in the escalation list (default: last).")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("--timezone", help="The caregiver's own IANA zone for their quiet hours (default: the patient's).")
@click.option("--quiet-start", help="Quiet hours from HH:MM local (with --quiet-end): routine texts wait.")
@click.option("--quiet-end", help="Quiet hours until HH:MM local; emergencies never wait.")
def add_caregiver(patient_id: int, **options: Any) -> None:
    """Add a caregiver to a patient's escalation list."""
    data = _validate(CaregiverIn, options)
    with _session() as (session, _config):
        patient = _patient(session, patient_id)
        caregiver = _admin_errors(lambda: service.add_caregiver(session, patient, data.to_domain()))
    quiet = f"; quiet {caregiver.quiet_start}-{caregiver.quiet_end}" if caregiver.quiet_start else ""
    quiet += f" {caregiver.timezone}" if quiet and caregiver.timezone else ""
    click.echo(f"caregiver {caregiver.id}: {caregiver.name} {caregiver.phone} at position {caregiver.position}{quiet}")


@admin.command("add-schedule")
@click.option("--patient-id", type=int, required=True)
@click.option("--time", "times", multiple=True, required=True, help="HH:MM local; repeat for each dose.")
@click.option("--dose-mg", type=str, required=True, help="Dose in milligrams, e.g. 10.")
@click.option("--grace-minutes", type=int, help="Minutes before a dose counts as missed (0-720).")
@click.option("--starts-on", type=click.DateTime(formats=["%Y-%m-%d"]), help="First local day (YYYY-MM-DD).")
@click.option("--medication-id", type=int, help="The patient's medication (default: their baclofen).")
@click.option("--units-per-dose", help="Tablets (units) one dose of this schedule takes off the medication's "
                                       "supply, e.g. 2 (default: the medication's).")
def add_schedule(patient_id: int, times: tuple[str, ...], dose_mg: str, grace_minutes: int | None,
                 starts_on: Any, medication_id: int | None, units_per_dose: str | None) -> None:
    """Add a daily dose schedule; prints the next dose time."""
    start: date | None = starts_on.date() if starts_on else None
    data = _validate(ScheduleIn, {"times": list(times), "dose_mg": dose_mg, "grace_minutes": grace_minutes,
                                  "starts_on": start, "medication_id": medication_id,
                                  "units_per_dose": units_per_dose})
    with _session() as (session, config):
        patient = _patient(session, patient_id)
        schedule = _admin_errors(lambda: service.add_schedule(
            session, patient, data.to_domain(), utcnow(), default_grace_minutes=config["DEFAULT_GRACE_MINUTES"]))
        next_at = service.next_dose_at(session, [schedule.id]).get(schedule.id)
    units = f", {_plain(schedule.units_per_dose)} a dose" if schedule.units_per_dose is not None else ""
    click.echo(f"schedule {schedule.id}: {', '.join(schedule.times)} ({schedule.dose_mg} mg{units}); "
               f"next dose {next_at.isoformat() if next_at else 'none'}")


@admin.command("add-medication")
@click.option("--patient-id", type=int, required=True)
@click.option("--name", required=True, help="e.g. baclofen, levetiracetam.")
@click.option("--strength", help="As on the label, e.g. '10 mg tablet'.")
@click.option("--route", type=click.Choice(["oral", "intrathecal"]), default="oral", show_default=True)
@click.option("--rxnorm-code", help="RxNorm concept id (RXCUI), digits.")
def add_medication(patient_id: int, **options: Any) -> None:
    """Add a medication to a patient; prints its id (attach schedules with --medication-id)."""
    data = _validate(MedicationIn, options)
    with _session() as (session, _config):
        medication = service.add_medication(session, _patient(session, patient_id), data.to_domain())
    click.echo(f"medication {medication.id}: {medication.name} ({medication.route})")


@admin.command("list-medications")
@click.option("--patient-id", type=int, required=True)
def list_medications(patient_id: int) -> None:
    """One line per medication: id, name, strength, route, active, and its active schedules' times."""
    with _session() as (session, _config):
        _patient(session, patient_id)
        schedules = service.active_schedules(session, patient_id)
        for m in service.list_medications(session, patient_id):
            times = sorted(t for s in schedules if s.medication_id == m.id for t in s.times)
            click.echo(f"{m.id}\t{m.name}\t{m.strength or '-'}\t{m.route}\t"
                       f"{'active' if m.active else 'inactive'}\t{', '.join(times) or 'no schedule'}")


@admin.command("attach-schedule")
@click.option("--schedule-id", type=int, required=True)
@click.option("--medication-id", type=int, required=True)
def attach_schedule(schedule_id: int, medication_id: int) -> None:
    """Put a schedule under another of the patient's medications, from its next dose on."""
    with _session() as (session, _config):
        schedule = session.get(DoseSchedule, schedule_id)
        if schedule is None:
            raise click.UsageError(f"there is no schedule {schedule_id}")
        moved = _admin_errors(lambda: service.move_schedule(session, schedule, medication_id, utcnow()))
        next_at = service.next_dose_at(session, [moved.id]).get(moved.id)
    click.echo(f"schedule {moved.id}: {', '.join(moved.times)} now medication {medication_id}; "
               f"next dose {next_at.isoformat() if next_at else 'none'}")


# -- a medicine's supply: the admin API's PATCH/GET /v1/admin/medications/{id}[/supply] ------------


def _plain(value: Any) -> str:
    return f"{value.normalize():f}"


def _medication(session: Session, medication_id: int) -> tuple[Medication, Patient]:
    medication = session.get(Medication, medication_id)
    if medication is None:
        raise click.ClickException(f"there is no medication {medication_id}")
    patient = session.get(Patient, medication.patient_id)
    assert patient is not None
    return medication, patient


def _supply_line(medication: Medication, view: SupplyOutlook | None) -> str:
    """One medicine's supply as ``show-supply`` and ``record-supply`` print it (what the console's
    medication page and the API's ``supply`` say)."""
    head = f"medication {medication.id} {medication.name}: "
    if view is None:
        count = "supply not counted"
    else:
        count = f"{_plain(view.on_hand)} on hand"
        if view.days_left is not None:
            count += f", about {view.days_left} days at {_plain(view.per_day)} a day (runs out {view.runs_out_on})"
    refill = f"next refill {medication.refill_date}" if medication.refill_date else "no refill day"
    low = f"; low: {REASON_WORDS[view.reason]}" if view is not None and view.reason is not None else ""
    return f"{head}{count}; {_plain(medication.units_per_dose)} a dose; {refill}{low}"


def _supply_view(session: Session, medication: Medication, patient: Patient,
                 config: dict[str, Any]) -> SupplyOutlook | None:
    from alerts.services.supply import supply_outlook

    return supply_outlook(session, medication, patient.timezone, utcnow(), config["SUPPLY_LOW_DAYS"])


@admin.command("show-supply")
@click.option("--medication-id", type=int, required=True)
def show_supply(medication_id: int) -> None:
    """A medicine's supply: the count on hand, how long it lasts at its schedules' rate, units a
    dose, the next refill day, and whether it is low."""
    with _session() as (session, config):
        medication, patient = _medication(session, medication_id)
        click.echo(_supply_line(medication, _supply_view(session, medication, patient, config)))


@admin.command("record-supply")
@click.option("--medication-id", type=int, required=True)
@click.option("--on-hand", help="The count on hand now (a refill or a recount), in tablets or units, e.g. 60.")
@click.option("--stop-counting", is_flag=True, help="Forget the count: this medicine's supply is not tracked.")
@click.option("--units-per-dose", help="Units one dose takes off the count (default 1), e.g. 1.5.")
@click.option("--refill-date", help="The next refill day, local to the patient (YYYY-MM-DD).")
@click.option("--no-refill-date", is_flag=True, help="Forget the next refill day.")
def record_supply(medication_id: int, on_hand: str | None, stop_counting: bool, units_per_dose: str | None,
                  refill_date: str | None, no_refill_date: bool) -> None:
    """Record a refill or a recount (the count on hand now), units a dose, or the next refill day.

    Each dose recorded afterwards takes its units off the count. A count that is already low
    queues the low-supply reminder to the patient and the first caregiver (once per low episode);
    the worker sends it at its next tick.
    """
    from alerts.services import audit
    from alerts.services.clinical import ClinicalPolicy
    from alerts.services.supply import update_supply

    if on_hand is not None and stop_counting:
        raise BadInput("invalid input: give --on-hand or --stop-counting, not both")
    if refill_date is not None and no_refill_date:
        raise BadInput("invalid input: give --refill-date or --no-refill-date, not both")
    data = _validate(SupplyIn, {"on_hand": on_hand, "units_per_dose": units_per_dose,
                                "refill_date": refill_date},
                     keep_none=frozenset({"on_hand"} if stop_counting else set())
                     | frozenset({"refill_date"} if no_refill_date else set()))
    with _session() as (session, config):
        medication, patient = _medication(session, medication_id)
        before = _supply_fields(medication)
        ids = update_supply(session, patient, medication, data.changes(), utcnow(),
                            low_days=config["SUPPLY_LOW_DAYS"], policy=ClinicalPolicy.from_config(config))
        changed: dict[str, Any] = {k: [before[k], v] for k, v in _supply_fields(medication).items()}
        audit.record(session, None, "update", patient.id, target=f"medication {medication.id} supply", role="cli",
                     **changed)
        line = _supply_line(medication, _supply_view(session, medication, patient, config))
    click.echo(line)
    if ids:
        click.echo(f"queued {len(ids)} message(s); the worker sends them at its next tick")


def _supply_fields(medication: Medication) -> dict[str, str]:
    """What a supply edit changes, as the audit log keeps it (the console's fields)."""
    return {"on_hand": "" if medication.supply_on_hand is None else _plain(medication.supply_on_hand),
            "units_per_dose": _plain(medication.units_per_dose),
            "refill_date": medication.refill_date.isoformat() if medication.refill_date else ""}


@admin.command("create-token")
@click.option("--name", required=True, help="Who uses it, e.g. 'Rosa's phone'.")
@click.option("--role", type=click.Choice(["client", "admin", "device", "clinician"]), default="client", show_default=True)
@click.option("--patient-id", "patient_ids", type=int, multiple=True, help="Repeat for each patient.")
@click.option("--caregiver-id", type=int, default=None,
              help="Issue it to this caregiver: only a caregiver's token acknowledges alerts, as them.")
def create_token(name: str, role: str, patient_ids: tuple[int, ...], caregiver_id: int | None) -> None:
    """Issue an API token and print its secret (shown this once; only its hash is stored)."""
    data = _validate(TokenIn, {"name": name, "role": role, "patient_ids": list(patient_ids),
                               "caregiver_id": caregiver_id})
    with _session() as (session, _config):
        _token, secret = _admin_errors(lambda: service.create_token(session, data.to_domain()))
    click.echo(secret)


@admin.command("list-patients")
def list_patients() -> None:
    """One line per patient: id, name, time zone, caregivers, active schedules."""
    with _session() as (session, _config):
        for p in service.list_patients(session):
            schedules = [s for s in p.schedules if s.active]
            click.echo(f"{p.id}\t{p.name}\t{p.timezone}\t{len(p.caregivers)} caregiver(s)\t"
                       f"{len(schedules)} schedule(s)")


@admin.command("invite")
@click.option("--role", type=click.Choice(["clinician", "admin"]), default="clinician", show_default=True)
@click.option("--email", help="Who the invite is for (filled in on the set-up page).")
def invite(role: str, email: str | None) -> None:
    """Print a one-time link (valid 7 days) to set up a staff account in the care console.

    Caregivers need no invite: they sign in with a code texted to the phone on their caregiver entry.
    """
    from alerts.services import audit
    from alerts.services.console_auth import create_invite

    with _session() as (session, config):
        token = create_invite(session, role, utcnow(), email=email)
        audit.record(session, None, "invite", target=f"{role} invite", role="cli")
    click.echo(f"{config['PUBLIC_BASE_URL'].rstrip('/')}/setup/{token}")


@admin.command("turn-off-totp")
@click.option("--email", required=True, help="The staff account whose two-step sign-in to turn off.")
def turn_off_totp(email: str) -> None:
    """Turn off two-step sign-in for a member of staff who lost both their phone and their recovery
    codes; they sign in with their password and may set it up again from their account page."""
    from alerts.services import audit, totp
    from alerts.services.console_auth import staff_by_email

    with _session() as (session, _config):
        user = staff_by_email(session, email)
        if user is None:
            raise click.UsageError(f"there is no staff account {email}")
        if not user.totp_on and not user.totp_secret:
            click.echo(f"two-step sign-in was not on for {user.email}")
            return
        totp.turn_off(session, user)
        audit.record(session, None, "totp_off", target=f"account {user.id}", role="cli")
        shown = user.email
    click.echo(f"two-step sign-in turned off for {shown}")

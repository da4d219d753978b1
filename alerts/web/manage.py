"""The console's editing pages for staff: a schedule's times, a medicine's name, strength, route
and RxNorm code, its stop, its supply (a refill or a recount, units a dose, the next refill day), the escalation (steps and caregiver order), a
caregiver's language, quiet hours and time zone, the patient's clinical settings and language.

Thin like every route: staff only (a caregiver gets the same 404 as for a patient they cannot
see), the form checked by the same models and services as the admin API, the change and its
audit event in one transaction. A form that does not validate is shown again with its errors and
stores nothing.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from pydantic import ValidationError

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.domain.clinical.history import ClinicalSettings
from alerts.domain.escalation import TARGETS, default_steps
from alerts.domain.quiet_hours import check_quiet_hours
from alerts.domain.schedule import check_zone_name
from alerts.models import Caregiver, DoseSchedule, Medication, Patient
from alerts.services import admin as admin_service
from alerts.services import supply as supply_service
from alerts.services.clinical import ClinicalPolicy
from alerts.web import pages
from alerts.web.common import console_blueprint, kick, patient_or_404, record, require_staff
from schemas.admin import MedicationPatch, MedicationStopIn, PatientPatch, ScheduleIn, SupplyIn

bp = console_blueprint("console_manage", __name__)

LANGUAGES = (("en", "English"), ("es", "Español"))
TARGET_WORDS = {"patient": "the patient", "caregiver": "a caregiver, by place",
                "all_caregivers": "all caregivers", "everyone": "everyone (patient and caregivers)"}
# Empty rows offered below a custom escalation's steps, to add steps without script.
SPARE_STEP_ROWS = 2


def _whole(text: str) -> int | None:
    """A short whole number typed in a form, else None (``str.isdigit`` also takes "²", which
    ``int`` refuses, and ``int`` refuses numbers of thousands of digits: neither may be a 500)."""
    return int(text) if len(text) <= 6 and text.isascii() and text.isdigit() else None


def _staff_patient(patient_id: int) -> Patient:
    require_staff()
    return patient_or_404(patient_id)


def _done(p: Patient, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("console.manage", patient_id=p.id))  # type: ignore[return-value]


def _errors(exc: ValidationError) -> list[str]:
    return pages._errors(exc)


# -- schedules -------------------------------------------------------------------------------------


def _history(schedule: DoseSchedule) -> list[DoseSchedule]:
    """The versions this schedule replaced, newest first (``DoseSchedule.replaces_id``)."""
    session = db_session()
    out = []
    previous = schedule.replaces_id
    while previous is not None and len(out) < 100:
        row = session.get(DoseSchedule, previous)
        if row is None:
            break
        out.append(row)
        previous = row.replaces_id
    return out


@bp.route("/patients/<int:patient_id>/schedules/<int:schedule_id>/edit", methods=["GET", "POST"])
def edit_schedule(patient_id: int, schedule_id: int) -> Response | tuple[str, int] | str:
    """Change a schedule's times, dose or grace from its next dose on (``admin.edit_schedule``)."""
    p = _staff_patient(patient_id)
    session = db_session()
    schedule = session.get(DoseSchedule, schedule_id)
    if schedule is None or schedule.patient_id != p.id or not schedule.active:
        abort(404)
    errors: list[str] = []
    form: dict[str, str] = {"times": ", ".join(schedule.times), "dose_mg": str(schedule.dose_mg),
                            "grace_minutes": str(schedule.grace_minutes),
                            "units_per_dose": _plain(schedule.units_per_dose)}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in form}
        times = [t.strip() for t in form["times"].replace(";", ",").split(",") if t.strip()]
        try:
            data = ScheduleIn.model_validate({"times": times, "dose_mg": form["dose_mg"],
                                              "grace_minutes": form["grace_minutes"] or None,
                                              "units_per_dose": form["units_per_dose"] or None}, strict=False)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            try:
                new = admin_service.edit_schedule(session, schedule, utcnow(), times=data.times, dose_mg=data.dose_mg,
                                                  grace_minutes=data.grace_minutes, units_per_dose=data.units_per_dose)
            except admin_service.AdminError as exc:
                session.rollback()
                errors = [str(exc)]
            else:
                record(session, "update", p.id, target=f"schedule {schedule.id} -> {new.id}",
                       times=[schedule.times, new.times], dose_mg=[str(schedule.dose_mg), str(new.dose_mg)],
                       grace_minutes=[schedule.grace_minutes, new.grace_minutes],
                       units_per_dose=[_plain(schedule.units_per_dose), _plain(new.units_per_dose)],
                       effective_from=new.effective_from.isoformat() if new.effective_from else None)
                session.commit()
                return _done(p, f"Schedule changed: {', '.join(new.times)} from the dose due "
                                f"{pages._local(new.effective_from, p.timezone)}. Doses already due keep their times.")
    return render_template("manage_schedule.html", p=p, schedule=schedule, form=form, errors=errors,
                           history=_history(schedule)), (422 if errors else 200)


# -- a medicine's supply -----------------------------------------------------------------------------


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _staff_medication(patient_id: int, medication_id: int) -> tuple[Patient, Medication]:
    """The patient and one of their medicines; 404 for a medicine of anyone else's."""
    p = _staff_patient(patient_id)
    medication = db_session().get(Medication, medication_id)
    if medication is None or medication.patient_id != p.id:
        abort(404)
    return p, medication


MEDICATION_ROUTES = (("oral", "By mouth"), ("intrathecal", "Intrathecal pump"))


def _details_form(medication: Medication) -> dict[str, str]:
    return {"name": medication.name, "strength": medication.strength or "", "route": medication.route,
            "rxnorm_code": medication.rxnorm_code or ""}


def _medication_page(p: Patient, medication: Medication, *, form: dict[str, str] | None = None,
                     errors: list[str] | None = None, details: dict[str, str] | None = None,
                     details_errors: list[str] | None = None, stop_errors: list[str] | None = None
                     ) -> tuple[str, int]:
    """One medicine's page: what it is (name, strength, route, RxNorm code), its supply, its stop."""
    config = current_app.config
    view = supply_service.supply_outlook(db_session(), medication, p.timezone, utcnow(), config["SUPPLY_LOW_DAYS"])
    failed = bool(errors or details_errors or stop_errors)
    return render_template(
        "manage_medication.html", p=p, medication=medication, view=view, low_days=config["SUPPLY_LOW_DAYS"],
        form=form or {"on_hand": _plain(medication.supply_on_hand), "units_per_dose": _plain(medication.units_per_dose),
                      "refill_date": medication.refill_date.isoformat() if medication.refill_date else ""},
        errors=errors or [], details=details or _details_form(medication), details_errors=details_errors or [],
        stop_errors=stop_errors or [], routes=MEDICATION_ROUTES,
        needs_prescriber=admin_service.stops_baclofen(medication),
    ), (422 if failed else 200)


@bp.post("/patients/<int:patient_id>/medications/<int:medication_id>/edit")
def edit_medication(patient_id: int, medication_id: int) -> Response | tuple[str, int]:
    """Correct a medicine's name, strength, route or RxNorm code (``admin.update_medication``, as the
    admin API's ``PATCH /v1/admin/medications/{id}``). An empty strength or code clears it."""
    p, medication = _staff_medication(patient_id, medication_id)
    details = {k: request.form.get(k, "").strip() for k in _details_form(medication)}
    try:
        patch = MedicationPatch.model_validate({"name": details["name"], "route": details["route"],
                                                "strength": details["strength"] or None,
                                                "rxnorm_code": details["rxnorm_code"] or None}, strict=False)
    except ValidationError as exc:
        return _medication_page(p, medication, details=details, details_errors=_errors(exc))
    session = db_session()
    before = _details_form(medication)
    admin_service.update_medication(session, medication, patch.changes())
    record(session, "update", p.id, target=f"medication {medication.id}", before=before,
           after=_details_form(medication))
    session.commit()
    return _done(p, f"{medication.name}: details saved.")


@bp.post("/patients/<int:patient_id>/medications/<int:medication_id>/stop")
def stop_medication(patient_id: int, medication_id: int) -> Response | tuple[str, int]:
    """Record the prescriber's stop of a medicine: its schedules end from the next dose
    (``admin.stop_medication``). Baclofen needs the box saying the prescriber ordered it ticked.
    Nothing is sent to the patient or caregivers."""
    p, medication = _staff_medication(patient_id, medication_id)
    data = MedicationStopIn(confirm_prescriber_ordered=request.form.get("confirm_prescriber_ordered") == "1")
    session = db_session()
    now = utcnow()
    try:
        ended = admin_service.stop_medication(session, medication, now,
                                              prescriber_ordered=data.confirm_prescriber_ordered)
    except admin_service.Invalid as exc:
        session.rollback()
        return _medication_page(p, medication, stop_errors=[exc.message])
    except admin_service.AdminError as exc:
        session.rollback()
        return _medication_page(p, medication, stop_errors=[str(exc)])
    record(session, "update", p.id, target=f"medication {medication.id} stopped", schedules=[s.id for s in ended],
           prescriber_ordered=data.confirm_prescriber_ordered, effective=now.isoformat())
    session.commit()
    return _done(p, f"{medication.name} stopped from the next dose; doses already recorded are kept.")


@bp.route("/patients/<int:patient_id>/medications/<int:medication_id>/supply", methods=["GET", "POST"])
def edit_supply(patient_id: int, medication_id: int) -> Response | tuple[str, int]:
    """A refill or recount of one medicine, its units a dose and next refill day
    (``supply.update_supply``, as the admin API's ``PATCH /v1/admin/medications/{id}/supply``).
    An empty count stops counting; an empty refill day clears it. The page also holds the forms
    that correct what the medicine is and record its stop."""
    p, medication = _staff_medication(patient_id, medication_id)
    session = db_session()
    config = current_app.config
    errors: list[str] = []
    form = {"on_hand": _plain(medication.supply_on_hand), "units_per_dose": _plain(medication.units_per_dose),
            "refill_date": medication.refill_date.isoformat() if medication.refill_date else ""}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in form}
        posted: dict[str, Any] = {"on_hand": form["on_hand"] or None, "refill_date": form["refill_date"] or None}
        if form["units_per_dose"]:
            posted["units_per_dose"] = form["units_per_dose"]
        try:
            data = SupplyIn.model_validate(posted, strict=False)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            before = (_plain(medication.supply_on_hand), _plain(medication.units_per_dose), form["refill_date"])
            ids = supply_service.update_supply(session, p, medication, data.changes(), utcnow(),
                                               low_days=config["SUPPLY_LOW_DAYS"],
                                               policy=ClinicalPolicy.from_config(config))
            record(session, "update", p.id, target=f"medication {medication.id} supply",
                   on_hand=[before[0], _plain(medication.supply_on_hand)],
                   units_per_dose=[before[1], _plain(medication.units_per_dose)],
                   refill_date=[before[2], medication.refill_date.isoformat() if medication.refill_date else ""])
            session.commit()
            if ids:
                kick()
            return _done(p, f"{medication.name}: supply saved.")
    return _medication_page(p, medication, form=form, errors=errors)


# -- escalation --------------------------------------------------------------------------------------


def _step_rows(p: Patient) -> list[dict[str, Any]]:
    """The escalation's steps as form rows (the default's steps when it has none of its own)."""
    if p.escalation_policy:
        steps = [dict(s) for s in p.escalation_policy]
    else:
        steps = [{"target": s.target, "position": s.position, "after_minutes": s.after_minutes}
                 for s in default_steps(p.escalation_minutes, [c.position for c in p.caregivers])]
    return steps + [{"target": "", "position": None, "after_minutes": ""}] * SPARE_STEP_ROWS


def _escalation_page(p: Patient, *, errors: list[str] | None = None, order_errors: list[str] | None = None,
                     steps: list[dict[str, Any]] | None = None, form: dict[str, str] | None = None) -> tuple[str, int]:
    failed = bool(errors or order_errors)
    return render_template(
        "manage_escalation.html", p=p, caregivers=p.caregivers, steps=steps or _step_rows(p), targets=TARGETS,
        target_words=TARGET_WORDS, errors=errors or [], order_errors=order_errors or [],
        form=form or {"escalation_minutes": str(p.escalation_minutes),
                      "custom": "1" if p.escalation_policy else ""},
    ), (422 if failed else 200)


@bp.get("/patients/<int:patient_id>/escalation")
def escalation(patient_id: int) -> tuple[str, int]:
    return _escalation_page(_staff_patient(patient_id))


def _posted_steps() -> list[dict[str, Any]]:
    """The step rows as posted: a row with no target is an unused spare."""
    rows = []
    targets = request.form.getlist("target")
    positions = request.form.getlist("position")
    afters = request.form.getlist("after_minutes")
    for i, target in enumerate(targets):
        position = positions[i].strip() if i < len(positions) else ""
        after = afters[i].strip() if i < len(afters) else ""
        rows.append({"target": target, "position": position, "after_minutes": after})
    return rows


def _as_policy(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posted rows as the policy's JSON (numbers as numbers, so ``parse_steps`` names what is wrong)."""
    def number(text: str) -> Any:
        whole = _whole(text)
        return whole if whole is not None else (text or None)

    policy = []
    for row in rows:
        if not row["target"]:
            continue
        step: dict[str, Any] = {"target": row["target"], "after_minutes": number(row["after_minutes"]) or 0}
        if row["target"] == "caregiver":
            step["position"] = number(row["position"])
        policy.append(step)
    return policy


@bp.post("/patients/<int:patient_id>/escalation")
def save_escalation(patient_id: int) -> Response | tuple[str, int]:
    """The minutes between steps and, optionally, the steps themselves (``PatientPatch``, as the API)."""
    p = _staff_patient(patient_id)
    form = {"escalation_minutes": request.form.get("escalation_minutes", "").strip(),
            "custom": request.form.get("custom", "")}
    rows = _posted_steps()
    policy = _as_policy(rows) if form["custom"] == "1" else None
    try:
        patch = PatientPatch.model_validate({"escalation_minutes": form["escalation_minutes"] or None,
                                             "escalation_policy": policy}, strict=False)
    except ValidationError as exc:
        spare = [{"target": "", "position": None, "after_minutes": ""}] * SPARE_STEP_ROWS
        return _escalation_page(p, errors=_errors(exc), steps=[r for r in rows if r["target"]] + spare, form=form)
    session = db_session()
    before = {"escalation_minutes": p.escalation_minutes, "escalation_policy": p.escalation_policy}
    admin_service.update_patient(session, p, patch.changes(), utcnow())
    record(session, "update", p.id, target="escalation", before=before,
           after={"escalation_minutes": p.escalation_minutes, "escalation_policy": p.escalation_policy})
    session.commit()
    return _done(p, "Escalation saved. Alerts already open keep the steps they started with.")


@bp.post("/patients/<int:patient_id>/caregivers/order")
def order_caregivers(patient_id: int) -> Response | tuple[str, int]:
    """Reorder the caregivers: each gets a number; they are called lowest first."""
    p = _staff_patient(patient_id)
    wanted: list[tuple[int, int]] = []
    problems: list[str] = []
    for c in p.caregivers:
        place = _whole(request.form.get(f"order-{c.id}", "").strip())
        if place is None or not 1 <= place <= 50:
            problems.append(f"{c.name}: give a whole number from 1 to 50")
        else:
            wanted.append((place, c.id))
    numbers = [n for n, _ in wanted]
    if len(set(numbers)) != len(numbers):
        problems.append("two caregivers cannot have the same place; give each a different number")
    if problems:
        return _escalation_page(p, order_errors=problems)
    session = db_session()
    before = [c.id for c in p.caregivers]
    ordered = admin_service.reorder_caregivers(session, p, [cid for _, cid in sorted(wanted)])
    record(session, "update", p.id, target="caregiver order", before=before, after=[c.id for c in ordered])
    session.commit()
    session.refresh(p)
    return _done(p, "Caregivers reordered: " + ", ".join(f"{c.position}. {c.name}" for c in ordered) + ".")


# -- a caregiver's language, quiet hours and time zone ------------------------------------------------


@bp.route("/patients/<int:patient_id>/caregivers/<int:caregiver_id>/edit", methods=["GET", "POST"])
def edit_caregiver(patient_id: int, caregiver_id: int) -> Response | tuple[str, int]:
    p = _staff_patient(patient_id)
    session = db_session()
    caregiver = session.get(Caregiver, caregiver_id)
    if caregiver is None or caregiver.patient_id != p.id:
        abort(404)
    errors: list[str] = []
    form = {"language": caregiver.language, "timezone": caregiver.timezone or "",
            "quiet_start": caregiver.quiet_start or "", "quiet_end": caregiver.quiet_end or ""}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in form}
        quiet: tuple[str, str] | None = None
        if form["language"] not in dict(LANGUAGES):
            errors.append("language: choose English or Español")
        try:
            # Empty: the patient's zone (the same check as the admin API's ``TimeZoneName``).
            zone = check_zone_name(form["timezone"]) if form["timezone"] else None
        except ValueError as exc:
            errors.append(f"time zone: {exc}")
        try:
            quiet = check_quiet_hours(form["quiet_start"], form["quiet_end"])
        except ValueError as exc:
            errors.append(f"quiet hours: {exc}")
        if not errors:
            before = [caregiver.language, caregiver.quiet_start, caregiver.quiet_end, caregiver.timezone]
            admin_service.update_caregiver(session, caregiver, language=form["language"], quiet_hours=quiet,
                                           timezone=zone)
            record(session, "update", p.id, target=f"caregiver {caregiver.id}", before=before,
                   after=[caregiver.language, caregiver.quiet_start, caregiver.quiet_end, caregiver.timezone])
            session.commit()
            return _done(p, f"{caregiver.name}'s settings saved.")
    return render_template("manage_caregiver.html", p=p, c=caregiver, form=form, errors=errors,
                           languages=LANGUAGES), (422 if errors else 200)


# -- clinical settings and language ---------------------------------------------------------------------


def _setting_fields() -> list[tuple[str, str, bool]]:
    """(name, words, whole number?) of every clinical threshold a clinician may set per patient."""
    return [(f.name, f.name.replace("_", " ").capitalize(), f.type in (int, "int"))
            for f in dataclasses.fields(ClinicalSettings)]


@bp.route("/patients/<int:patient_id>/settings", methods=["GET", "POST"])
def settings(patient_id: int) -> Response | tuple[str, int]:
    """Risk factors the rules read (renal impairment, an intrathecal pump), the thresholds this
    patient's rules use instead of the server's, and the patient's language."""
    p = _staff_patient(patient_id)
    defaults = ClinicalPolicy.from_config(current_app.config).defaults
    fields = _setting_fields()
    overrides = p.clinical_settings or {}
    errors: list[str] = []
    form: dict[str, str] = {"language": p.language, "renal_impairment": "1" if p.renal_impairment else "",
                            "intrathecal_pump": "1" if p.intrathecal_pump else ""}
    form |= {name: str(overrides[name]) if name in overrides else "" for name, _, _ in fields}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in form}
        values: dict[str, Any] = {}
        for name, words, whole in fields:
            raw = form[name]
            if not raw:
                continue
            try:
                value = int(raw) if whole else float(raw)
            except ValueError:
                value = None
            if value is None or not math.isfinite(value):
                errors.append(f"{words}: give a {'whole ' if whole else ''}number, or leave it empty for the default")
            else:
                values[name] = value
        if not errors:
            try:
                patch = PatientPatch.model_validate({
                    "language": form["language"], "renal_impairment": form["renal_impairment"] == "1",
                    "intrathecal_pump": form["intrathecal_pump"] == "1", "clinical_settings": values or None,
                }, strict=False)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                session = db_session()
                before = [p.language, p.renal_impairment, p.intrathecal_pump, p.clinical_settings]
                admin_service.update_patient(session, p, patch.changes(), utcnow())
                record(session, "update", p.id, target="clinical settings and language", before=before,
                       after=[p.language, p.renal_impairment, p.intrathecal_pump, p.clinical_settings])
                session.commit()
                return _done(p, "Clinical settings and language saved.")
    return render_template("manage_settings.html", p=p, form=form, errors=errors, fields=fields,
                           defaults={name: getattr(defaults, name) for name, _, _ in fields},
                           languages=LANGUAGES), (422 if errors else 200)


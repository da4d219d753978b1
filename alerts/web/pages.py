"""The console's pages. Thin like every route: check who may see the patient, call a service or a
read model (``alerts.web.read``), record the audit event, render."""

from __future__ import annotations

import json

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.domain.supply import REASON_WORDS, SupplyOutlook
from alerts.models import Alert, AlertNote, Caregiver, Medication, Notification, Patient
from alerts.services import admin as admin_service
from alerts.services import alerts as alert_service
from alerts.fhir.audit import record_export
from alerts.fhir.export import everything
from alerts.services import audit, pauses, supply
from alerts.services.clinical import ClinicalPolicy, settings_for
from alerts.services.console_auth import assign, may_text_as
from alerts.services.doses import DoseWindows
from alerts.services.inbound import handle_sms, normalise_phone
from alerts.web import read
from alerts.web.alert_actions import acknowledge_as_me
from alerts.web.assessment import assessment_view
from alerts.web.chart_data import patient_charts
from alerts.web.charts import GEOMETRY, PERIODS, period_of
from alerts.web.common import (form_text, kick, me, not_found, patient_or_404, record, require_admin,
                               require_signed_in, require_staff)
from alerts.web.extensions import protect_console_form
from schemas.admin import CaregiverIn, PatientIn, ScheduleIn

bp = Blueprint("console", __name__, template_folder="templates", static_folder="static",
               static_url_path="/console/static")
bp.before_request(protect_console_form)  # first: a form without its CSRF token is refused before anything else

CLOSE_REASONS = ("handled", "false_alarm", "dose_given", "duplicate", "other")


@bp.app_template_filter("units")
def _units(value: Decimal) -> str:
    """A count of pills or units as a person writes it: 60, 28.5 (never 6E+1 or 60.00)."""
    return f"{value.normalize():f}"


@bp.app_template_filter("low_reason")
def _low_reason(reason: str) -> str:
    """Why a counted supply is low, as staff read it beside "low" (``alerts.domain.supply``)."""
    return REASON_WORDS[reason]


@bp.app_template_filter("local")
def _local(value: datetime | None, tz: str = "UTC", fmt: str = "%a %d %b %H:%M") -> str:
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


@bp.app_template_global()
def alert_icon(kind: str) -> str:
    return read.alert_icon(kind)


@bp.app_template_global()
def alert_label(kind: str) -> str:
    return read.alert_label(kind)


bp.register_error_handler(404, not_found)
bp.before_request(require_signed_in)


# -- patients at a glance ----------------------------------------------------------------------------


@bp.get("/")
def home() -> Response:
    return redirect(url_for("console.patients"))  # type: ignore[return-value]


ADHERENCE_CACHE = "dosewatch.adherence_cache"
DOSE_WORDS = {"taken": "✓ taken", "missed": "✗ missed", "pending": "… due", "cancelled": "cancelled"}


@dataclass(frozen=True)
class RowView:
    """One patient row with every text already formatted: the list polls every few seconds for up
    to thousands of rows, and a Jinja filter or call per cell costs more than the queries."""

    id: int
    name: str
    paused: str | None
    alerts: list[tuple[str, str, str]]  # (kind, icon, words)
    today: list[tuple[str, str]]  # (status, "08:00 ✓ taken")
    next_dose: str
    last_dose: str
    adherence: str
    last_checkin: str
    finding: str


def _pct(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def row_view(r: read.PatientRow) -> RowView:
    tz = ZoneInfo(r.timezone)

    def when(value: datetime | None) -> str:
        return "—" if value is None else value.astimezone(tz).strftime("%a %d %b %H:%M")

    return RowView(
        r.id, r.name, when(r.paused_until) if r.paused_until else None,
        [(a.kind, read.alert_icon(a.kind), read.alert_label(a.kind)) for a in r.alerts],
        [(status, f"{t} {DOSE_WORDS.get(status, status)}") for t, status in r.today],
        when(r.next_dose), when(r.last_dose), f"{_pct(r.adherence_7)} / {_pct(r.adherence_30)}",
        when(r.last_checkin), r.finding or "—",
    )


def _overview() -> dict[str, Any]:
    mine_only = request.args.get("mine") == "1"
    query = form_text("q", 100, args=True) if me().is_staff else ""
    now = utcnow()
    rows = read.patients_overview(db_session(), me(), now, mine_only=mine_only, search=query,
                                  cache=current_app.extensions[ADHERENCE_CACHE])
    return {"rows": [row_view(r) for r in rows], "mine_only": mine_only, "query": query, "now": now}


@bp.get("/patients")
def patients() -> str:
    return render_template("patients.html", **_overview())


@bp.get("/patients/rows")
def patient_rows() -> str:
    """The table body alone, for the page's polling (htmx swaps it in place)."""
    return render_template("_patient_rows.html", **_overview())


def _supplies(session: Session, p: Patient, now: datetime, *, counted_only: bool = False
              ) -> list[tuple[Medication, SupplyOutlook | None]]:
    """Each active medicine with what its count means today (None: not counted)."""
    low_days = current_app.config["SUPPLY_LOW_DAYS"]
    rows = [(m, supply.supply_outlook(session, m, p.timezone, now, low_days))
            for m in admin_service.list_medications(session, p.id) if m.active]
    return [(m, view) for m, view in rows if view is not None or not counted_only]


@bp.get("/patients/<int:patient_id>")
def patient(patient_id: int) -> str:
    p = patient_or_404(patient_id)
    session = db_session()
    now = utcnow()
    settings = settings_for(p, ClinicalPolicy.from_config(current_app.config))
    period = period_of(request.args.get("days"))
    # The calendar needs a month to show a pattern: a week's period still shows 30 days of it.
    days = read.adherence_calendar(session, p, now, max(period, 30))
    items = read.timeline(session, p, now)
    acked = read.caregiver_names(session, [i.alert.acknowledged_by for i in items
                                           if i.alert is not None and i.alert.acknowledged_by])
    upcoming = read.next_doses(session, p)
    supplies = _supplies(session, p, now, counted_only=True)
    today = read.local_today(p.timezone, now)
    today_doses = list(session.scalars(select(read.Dose).where(read.Dose.patient_id == p.id,
                                                              read.Dose.local_date == today)
                                       .order_by(read.Dose.local_time)))
    record(session, "view", p.id, target="patient page")
    session.commit()
    return render_template(
        "patient.html", p=p, now=now, weeks=read.calendar_weeks(days), days=days, items=items, acked=acked,
        upcoming=upcoming, supplies=supplies, today_doses=today_doses, charts=patient_charts(session, p, now, period, settings),
        periods=PERIODS, geometry=GEOMETRY, assessments={i.alert.id: assessment_view(i.alert.kind, i.alert.details)
                                      for i in items if i.alert is not None},
        pause=pauses.active_pause(session, p.id, now), caregivers=p.caregivers, close_reasons=CLOSE_REASONS,
    )


# -- alerts ----------------------------------------------------------------------------------------


@bp.get("/alerts")
def alerts() -> str:
    session = db_session()
    mine_only = request.args.get("mine") == "1"
    rows = read.open_alerts(session, me(), mine_only=mine_only)
    messages = read.attach_messages(session, [a for a, _ in rows])
    return render_template("alerts.html", rows=rows, messages=messages, mine_only=mine_only,
                           close_reasons=CLOSE_REASONS)


def _alert_or_404(alert_id: int, session: Session) -> Alert:
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        abort(404)
    patient_or_404(alert.patient_id)
    return alert


def _note_text() -> str:
    return request.form.get("note", "").replace("\x00", "").strip()[:2000]


def _back(alert: Alert) -> Response:
    target = request.form.get("back", "")
    if target == "patient":
        return redirect(url_for("console.patient", patient_id=alert.patient_id))  # type: ignore[return-value]
    return redirect(url_for("console.alerts"))  # type: ignore[return-value]


@bp.post("/alerts/<int:alert_id>/acknowledge")
def acknowledge(alert_id: int) -> Response:
    """Acknowledge as me: the same function as a caregiver's SMS "OK", so the others are told."""
    session = db_session()
    alert = _alert_or_404(alert_id, session)
    user = me()
    now = utcnow()
    if alert.status != "open":
        flash(f"This alert was already {alert.status}.", "info")
        return _back(alert)
    ids = acknowledge_as_me(session, alert, user, _note_text(), now)
    session.commit()
    if ids:
        kick()
    flash("Acknowledged. The others who were told have been let know you are on it.", "success")
    return _back(alert)


@bp.post("/alerts/<int:alert_id>/note")
def note(alert_id: int) -> Response:
    session = db_session()
    alert = _alert_or_404(alert_id, session)
    text = _note_text()
    if not text:
        flash("Write a note first.", "error")
        return _back(alert)
    session.add(AlertNote(alert_id=alert.id, user_id=me().id, author=me().name, kind="note", text=text, at=utcnow()))
    record(session, "note", alert.patient_id, target=f"alert {alert.id}")
    session.commit()
    flash("Note added.", "success")
    return _back(alert)


@bp.post("/alerts/<int:alert_id>/resolve")
def resolve(alert_id: int) -> Response:
    session = db_session()
    alert = _alert_or_404(alert_id, session)
    reason = request.form.get("reason", "")
    if reason not in CLOSE_REASONS:
        abort(422)
    now = utcnow()
    if alert_service.resolve_by_person(alert, f"closed_{reason}", now):
        session.add(AlertNote(alert_id=alert.id, user_id=me().id, author=me().name, kind="resolved",
                              text=f"{reason.replace('_', ' ')}: {_note_text()}".rstrip(": "), at=now))
        record(session, "resolve", alert.patient_id, target=f"alert {alert.id}", reason=reason)
        session.commit()
        flash("Resolved.", "success")
    else:
        flash(f"This alert was already {alert.status}.", "info")
    return _back(alert)


# -- manage ------------------------------------------------------------------------------------------


def _errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors(include_input=False, include_url=False)]


@bp.route("/manage/patients/new", methods=["GET", "POST"])
def new_patient() -> Response | tuple[str, int] | str:
    require_staff()
    errors: list[str] = []
    form = request.form
    if request.method == "POST":
        try:
            data = PatientIn.model_validate({
                "name": form.get("name", ""), "timezone": form.get("timezone", ""),
                "phone": form.get("phone") or None, "language": form.get("language", "en"),
            }, strict=False)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            session = db_session()
            p = admin_service.create_patient(session, data.to_domain(), utcnow(),
                                             default_escalation_minutes=current_app.config["DEFAULT_ESCALATION_MINUTES"])
            if me().role == "clinician":
                assign(session, me(), p.id)
            record(session, "create", p.id, target="patient")
            session.commit()
            return redirect(url_for("console.manage", patient_id=p.id))  # type: ignore[return-value]
    return render_template("patient_new.html", errors=errors, form=form), (422 if errors else 200)


@bp.get("/patients/<int:patient_id>/manage")
def manage(patient_id: int) -> str:
    require_staff()
    p = patient_or_404(patient_id)
    session = db_session()
    now = utcnow()
    schedules = admin_service.active_schedules(session, p.id)
    medicines = _supplies(session, p, now)
    record(session, "view", p.id, target="manage page")
    session.commit()
    return render_template("manage.html", p=p, schedules=schedules, caregivers=p.caregivers, now=now,
                           medicines=medicines,
                           pause=pauses.active_pause(session, p.id, now),
                           sandbox=current_app.config["NOTIFIER"] == "console")


@bp.get("/patients/<int:patient_id>/record.fhir.json")
def fhir_record(patient_id: int) -> Response:
    """The patient's whole record as a FHIR R4 Bundle, downloaded by staff (the same export as the
    API's ``Patient/{id}/$everything``; audited as one)."""
    require_staff()
    p = patient_or_404(patient_id)
    session = db_session()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/fhir"
    bundle = everything(session, p.id, base)
    counts: dict[str, int] = {}
    for entry in bundle["entry"]:
        counts[entry["resource"]["resourceType"]] = counts.get(entry["resource"]["resourceType"], 0) + 1
    user = me()
    record_export(session, token_id=None, role=user.role, action="fhir.everything", patient_id=p.id, counts=counts,
                  user=user)
    return Response(json.dumps(bundle), mimetype="application/fhir+json",
                    headers={"Content-Disposition": f'attachment; filename="patient-{p.id}.fhir.json"'})


def _manage_redirect(p: Patient) -> Response:
    return redirect(url_for("console.manage", patient_id=p.id))  # type: ignore[return-value]


@bp.post("/patients/<int:patient_id>/schedules")
def add_schedule(patient_id: int) -> Response:
    require_staff()
    p = patient_or_404(patient_id)
    times = [t.strip() for t in request.form.get("times", "").replace(";", ",").split(",") if t.strip()]
    try:
        data = ScheduleIn.model_validate({"times": times, "dose_mg": request.form.get("dose_mg", ""),
                                          "grace_minutes": request.form.get("grace_minutes") or None,
                                          "units_per_dose": request.form.get("units_per_dose", "").strip() or None},
                                         strict=False)
    except ValidationError as exc:
        flash("Schedule not saved: " + "; ".join(_errors(exc)), "error")
        return _manage_redirect(p)
    session = db_session()
    schedule = admin_service.add_schedule(session, p, data.to_domain(), utcnow(),
                                          default_grace_minutes=current_app.config["DEFAULT_GRACE_MINUTES"])
    record(session, "create", p.id, target=f"schedule {schedule.id}", times=schedule.times)
    session.commit()
    flash(f"Schedule added: {', '.join(schedule.times)}.", "success")
    return _manage_redirect(p)


@bp.post("/patients/<int:patient_id>/schedules/<int:schedule_id>/stop")
def stop_schedule(patient_id: int, schedule_id: int) -> Response:
    require_staff()
    p = patient_or_404(patient_id)
    session = db_session()
    schedule = next((s for s in admin_service.active_schedules(session, p.id) if s.id == schedule_id), None)
    if schedule is None:
        abort(404)
    admin_service.remove_schedule(session, schedule)
    record(session, "update", p.id, target=f"schedule {schedule.id} stopped")
    session.commit()
    flash("Schedule stopped; its history is kept.", "success")
    return _manage_redirect(p)


@bp.post("/patients/<int:patient_id>/caregivers")
def add_caregiver(patient_id: int) -> Response:
    require_staff()
    p = patient_or_404(patient_id)
    try:
        data = CaregiverIn.model_validate({"name": request.form.get("name", ""), "phone": request.form.get("phone", ""),
                                           "position": request.form.get("position") or None,
                                           "language": request.form.get("language", "en"),
                                           "timezone": request.form.get("timezone", "").strip() or None}, strict=False)
    except ValidationError as exc:
        flash("Caregiver not added: " + "; ".join(_errors(exc)), "error")
        return _manage_redirect(p)
    session = db_session()
    try:
        caregiver = admin_service.add_caregiver(session, p, data.to_domain())
    except admin_service.AdminError as exc:
        session.rollback()
        flash(f"Caregiver not added: {exc}", "error")
        return _manage_redirect(p)
    session.flush()
    record(session, "create", p.id, target=f"caregiver {caregiver.id}")
    session.commit()
    flash(f"{caregiver.name} added at position {caregiver.position}. They sign in with a code texted to their phone.",
          "success")
    return _manage_redirect(p)


@bp.post("/patients/<int:patient_id>/caregivers/<int:caregiver_id>/remove")
def remove_caregiver(patient_id: int, caregiver_id: int) -> Response:
    require_staff()
    p = patient_or_404(patient_id)
    session = db_session()
    caregiver = session.get(Caregiver, caregiver_id)
    if caregiver is None or caregiver.patient_id != p.id:
        abort(404)
    admin_service.remove_caregiver(session, caregiver, utcnow())
    record(session, "update", p.id, target=f"caregiver {caregiver_id} removed")
    session.commit()
    return _manage_redirect(p)


@bp.post("/patients/<int:patient_id>/pause")
def pause(patient_id: int) -> Response:
    """Pause missed-dose alerts for a number of days from now (emergencies are never paused)."""
    require_staff()
    p = patient_or_404(patient_id)
    try:
        days = float(request.form.get("days", ""))
    except ValueError:
        days = 0
    reason = form_text("reason", 200)
    if not 0 < days <= 90 or not reason:
        flash("Give a reason and a number of days from 1 to 90.", "error")
        return _manage_redirect(p)
    session = db_session()
    now = utcnow()
    row = pauses.pause(session, p.id, starts_at=now, ends_at=now + timedelta(days=days), reason=reason,
                       created_by=me().id, now=now)
    record(session, "pause", p.id, target=f"pause {row.id}", days=days)
    session.commit()
    flash(f"Missed-dose alerts paused until {_local(row.ends_at, p.timezone)}.", "success")
    return _manage_redirect(p)


@bp.post("/patients/<int:patient_id>/pause/end")
def end_pause(patient_id: int) -> Response:
    require_staff()
    p = patient_or_404(patient_id)
    session = db_session()
    now = utcnow()
    row = pauses.active_pause(session, p.id, now)
    if row is not None:
        pauses.end_pause(row, now)
        record(session, "update", p.id, target=f"pause {row.id} ended")
        session.commit()
    return _manage_redirect(p)


# -- reports ---------------------------------------------------------------------------------------


def _period() -> tuple[int, datetime, datetime]:
    try:
        days = max(1, min(365, int(request.args.get("days", "30"))))
    except ValueError:
        days = 30
    end = utcnow()
    return days, end - timedelta(days=days), end


@bp.get("/reports")
def reports() -> str:
    days, start, end = _period()
    rows = read.report(db_session(), me(), start, end)
    by_medicine = read.medication_report(db_session(), me(), start, end)
    return render_template("reports.html", rows=rows, by_medicine=by_medicine, days=days, start=start, end=end)


@bp.get("/reports.csv")
def reports_csv() -> Response:
    import csv
    import io

    days, start, end = _period()
    session = db_session()
    rows = read.report(session, me(), start, end)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["patient_id", "patient", "period_start", "period_end", "doses_due", "doses_taken",
                "dose_adherence_pct", "on_time_pct", "missed", "extra", "days_fully_adherent", "days_with_doses",
                "alerts", "median_minutes_to_acknowledge"])
    for r in rows:
        w.writerow([r.patient_id, r.name, start.isoformat(), end.isoformat(), r.scheduled, r.taken,
                    "" if r.adherence is None else r.adherence, "" if r.on_time_pct is None else r.on_time_pct,
                    r.missed, r.extra, r.days_fully_adherent, r.days, r.alerts,
                    "" if r.median_minutes_to_ack is None else f"{r.median_minutes_to_ack:.1f}"])
        record(session, "export", r.patient_id, target="adherence report csv")
    session.commit()
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="dosewatch-report-{days}d.csv"'})


@bp.get("/reports/medicines.csv")
def reports_medicines_csv() -> Response:
    """The report by medicine: one row per patient and medicine."""
    import csv
    import io

    days, start, end = _period()
    session = db_session()
    rows = read.medication_report(session, me(), start, end)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["patient_id", "patient", "medication", "period_start", "period_end", "doses_due", "doses_taken",
                "dose_adherence_pct", "on_time_pct", "missed", "extra"])
    for r in rows:
        w.writerow([r.patient_id, r.patient, r.medication, start.isoformat(), end.isoformat(), r.scheduled, r.taken,
                    "" if r.adherence is None else r.adherence, "" if r.on_time_pct is None else r.on_time_pct,
                    r.missed, r.extra])
    for patient_id in sorted({r.patient_id for r in rows}):
        record(session, "export", patient_id, target="adherence by medicine csv")
    session.commit()
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="dosewatch-medicines-{days}d.csv"'})


# -- audit (admins) ------------------------------------------------------------------------------------


@bp.get("/audit")
def audit_log() -> str:
    require_admin()
    return render_template("audit.html", events=audit.recent(db_session(), limit=300))


@bp.get("/audit.csv")
def audit_csv() -> Response:
    require_admin()
    session = db_session()
    body = audit.to_csv(audit.recent(session, limit=100_000))
    record(session, "export", target="audit log csv")
    session.commit()
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="dosewatch-audit.csv"'})


# -- SMS sandbox ---------------------------------------------------------------------------------------


@bp.route("/sandbox", methods=["GET", "POST"])
def sandbox() -> tuple[str, int] | str:
    """Type a text as a patient or caregiver and see what dosewatch does and answers.

    Only while no Twilio account is configured (the console notifier): with a real account, a
    made-up inbound text would act on real people's alerts. A clinician texts only as the phones
    of the patients they see and of those patients' caregivers (``console_auth.may_text_as``).
    """
    require_staff()
    if current_app.config["NOTIFIER"] != "console":
        abort(404)
    session = db_session()
    result = None
    queued: list[Notification] = []
    phone = normalise_phone(form_text("phone", 32))[:20]
    if request.method == "POST":
        body = form_text("body", 1600)
        if not phone or not body.strip():
            flash("Give a phone number and a message.", "error")
            return render_template("sandbox.html", result=None, queued=[], phone=phone), 422
        if not may_text_as(session, me(), phone):
            abort(404)  # another clinician's patient's phone: the console's answer for a patient not there
        result = handle_sms(session, message_sid=f"SANDBOX{uuid.uuid4().hex}", from_number=phone, body=body,
                            now=utcnow(), policy=ClinicalPolicy.from_config(current_app.config),
                            windows=DoseWindows.from_config(current_app.config))
        record(session, "sandbox_sms", target=f"outcome {result.outcome}")
        session.commit()
        if result.notification_ids:
            queued = list(session.scalars(select(Notification).where(Notification.id.in_(result.notification_ids))))
            kick()
    return render_template("sandbox.html", result=result, queued=queued, phone=phone)

"""Who may see and do what in the care console, asked of every page and action.

The server checks on every route that a caregiver acts only for the patients whose caregiver list
holds their phone: another family's patient is a 404, the same answer as for no patient at all, and
nothing is changed. Staff-only pages are 404 to caregivers too. Someone not signed in is sent to
the sign-in page. A table below lists every console route; a test fails if a new route is added
without being listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.models import (Alert, AlertNote, AuditEvent, AlertPause, Caregiver, DoseSchedule, Medication,
                           Notification, Patient, clinician_patient)


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    path: str  # {p} Rosa, {a} her alert, {s} her schedule, {c} her caregiver Bob, {u} her clinician Kim, {m} her metformin
    data: tuple[tuple[str, str], ...] = ()
    patient: bool = True  # acts on Rosa's data
    staff_only: bool = False


ROUTES = [
    Route("console.patient", "GET", "/patients/{p}"),
    Route("console.manage", "GET", "/patients/{p}/manage", staff_only=True),
    Route("console.fhir_record", "GET", "/patients/{p}/record.fhir.json", staff_only=True),
    Route("console.acknowledge", "POST", "/alerts/{a}/acknowledge"),
    Route("console.note", "POST", "/alerts/{a}/note", (("note", "called her"),)),
    Route("console.resolve", "POST", "/alerts/{a}/resolve", (("reason", "handled"),)),
    Route("console.add_schedule", "POST", "/patients/{p}/schedules", (("times", "09:00"), ("dose_mg", "5")), staff_only=True),
    Route("console.stop_schedule", "POST", "/patients/{p}/schedules/{s}/stop", staff_only=True),
    Route("console.add_caregiver", "POST", "/patients/{p}/caregivers", (("name", "Eve"), ("phone", "+14155550177")),
          staff_only=True),
    Route("console.remove_caregiver", "POST", "/patients/{p}/caregivers/{c}/remove", staff_only=True),
    Route("console.pause", "POST", "/patients/{p}/pause", (("days", "3"), ("reason", "hospital")), staff_only=True),
    Route("console.end_pause", "POST", "/patients/{p}/pause/end", staff_only=True),
    Route("console_care_team.assign", "POST", "/patients/{p}/clinicians", (("user_id", "{u}"),), staff_only=True),
    Route("console_care_team.unassign", "POST", "/patients/{p}/clinicians/{u}/remove", staff_only=True),
    Route("console_contacts.send_test_message", "POST", "/patients/{p}/contacts/caregiver/{c}/test",
          (("nonce", "0" * 32),), staff_only=True),
    Route("console_alert_actions.bulk_acknowledge", "POST", "/alerts/acknowledge", (("alert_id", "{a}"),),
          staff_only=True),
    Route("console.home", "GET", "/", patient=False),
    Route("console.patients", "GET", "/patients", patient=False),
    Route("console.patient_rows", "GET", "/patients/rows", patient=False),
    Route("console.alerts", "GET", "/alerts", patient=False),
    Route("console.reports", "GET", "/reports", patient=False),
    Route("console.reports_csv", "GET", "/reports.csv", patient=False),
    Route("console.reports_medicines_csv", "GET", "/reports/medicines.csv", patient=False),
    Route("console.new_patient", "GET", "/manage/patients/new", patient=False, staff_only=True),
    Route("console.sandbox", "GET", "/sandbox", patient=False, staff_only=True),
    # Ann's "OK" would acknowledge Rosa's alert and tell Bob.
    Route("console.sandbox", "POST", "/sandbox", (("phone", "+14155550111"), ("body", "OK")), staff_only=True),
    Route("console.audit_log", "GET", "/audit", patient=False, staff_only=True),
    Route("console.audit_csv", "GET", "/audit.csv", patient=False, staff_only=True),
    Route("console_auth.invite", "GET", "/invite", patient=False, staff_only=True),
    Route("console_account.account", "GET", "/account", patient=False, staff_only=True),
    Route("console_account.start_totp", "POST", "/account/totp", patient=False, staff_only=True),
    Route("console_account.totp_setup", "GET", "/account/totp", patient=False, staff_only=True),
    Route("console_account.confirm_totp", "POST", "/account/totp/confirm", (("code", "123456"),), patient=False,
          staff_only=True),
    Route("console_account.turn_off_totp", "POST", "/account/totp/off", (("code", "123456"),), patient=False,
          staff_only=True),
    Route("console_account.regenerate_recovery_codes", "POST", "/account/totp/recovery-codes", (("code", "123456"),),
          patient=False, staff_only=True),
    Route("console_manage.edit_schedule", "GET", "/patients/{p}/schedules/{s}/edit", staff_only=True),
    Route("console_manage.edit_schedule", "POST", "/patients/{p}/schedules/{s}/edit",
          (("times", "09:00"), ("dose_mg", "5")), staff_only=True),
    Route("console_manage.edit_supply", "GET", "/patients/{p}/medications/{m}/supply", staff_only=True),
    Route("console_manage.edit_supply", "POST", "/patients/{p}/medications/{m}/supply",
          (("on_hand", "3"), ("units_per_dose", "1")), staff_only=True),
    Route("console_manage.edit_medication", "POST", "/patients/{p}/medications/{m}/edit",
          (("name", "Metformin XR"), ("route", "oral")), staff_only=True),
    Route("console_manage.stop_medication", "POST", "/patients/{p}/medications/{m}/stop", staff_only=True),
    Route("console_manage.escalation", "GET", "/patients/{p}/escalation", staff_only=True),
    Route("console_manage.save_escalation", "POST", "/patients/{p}/escalation", (("escalation_minutes", "5"),),
          staff_only=True),
    Route("console_manage.order_caregivers", "POST", "/patients/{p}/caregivers/order", staff_only=True),
    Route("console_manage.edit_caregiver", "GET", "/patients/{p}/caregivers/{c}/edit", staff_only=True),
    Route("console_manage.edit_caregiver", "POST", "/patients/{p}/caregivers/{c}/edit",
          (("language", "es"), ("quiet_start", "22:00"), ("quiet_end", "07:00")), staff_only=True),
    Route("console_manage.settings", "GET", "/patients/{p}/settings", staff_only=True),
    Route("console_manage.settings", "POST", "/patients/{p}/settings", (("language", "es"),), staff_only=True),
]


@pytest.fixture(autouse=True)
def _rosas_metformin(family, session) -> None:  # type: ignore[no-untyped-def]
    """Rosa's second medicine, whose supply page is ``{m}`` (the shared family has none of its own)."""
    metformin = Medication(patient_id=family.rosa.id, name="metformin", route="oral")
    session.add(metformin)
    session.commit()
    family.metformin_id = metformin.id


def _path(route: Route, family) -> str:  # type: ignore[no-untyped-def]
    return route.path.format(p=family.rosa.id, a=family.alert.id, s=family.schedule.id, c=family.bob.id,
                             u=family.kim.id, m=family.metformin_id)


def _data(route: Route, family) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: _path(Route("", "", v), family) for k, v in route.data}


def _rosa_state(session, family):  # type: ignore[no-untyped-def]
    with Session(session.get_bind()) as fresh:
        return _state(fresh, family)


def _state(session, family):  # type: ignore[no-untyped-def]
    return (
        session.get(Alert, family.alert.id).status,
        session.scalar(select(func.count()).select_from(AlertNote)),
        session.scalar(select(func.count()).select_from(AlertPause)),
        session.scalar(select(func.count()).select_from(Caregiver).where(Caregiver.patient_id == family.rosa.id)),
        session.scalar(select(func.count()).select_from(DoseSchedule).where(DoseSchedule.patient_id == family.rosa.id,
                                                                          DoseSchedule.active.is_(True))),
        session.scalar(select(func.count()).select_from(clinician_patient)),
        session.scalar(select(func.count()).select_from(Notification)),
        session.get(Patient, family.rosa.id).name,
        _manageable(session, family),
    )


def _manageable(session, family):  # type: ignore[no-untyped-def]
    """What the manage pages change: escalation, settings and language, caregivers' order and
    quiet hours, schedule versions."""
    rosa = session.get(Patient, family.rosa.id)
    return (
        rosa.escalation_minutes, rosa.escalation_policy, rosa.language, rosa.clinical_settings,
        rosa.renal_impairment, rosa.intrathecal_pump,
        tuple(session.execute(select(Caregiver.id, Caregiver.position, Caregiver.language, Caregiver.quiet_start)
                              .where(Caregiver.patient_id == family.rosa.id).order_by(Caregiver.id))),
        session.scalar(select(func.count()).select_from(DoseSchedule).where(DoseSchedule.patient_id == family.rosa.id)),
        tuple(session.execute(select(Medication.id, Medication.supply_on_hand, Medication.units_per_dose,
                                     Medication.name, Medication.active)
                              .where(Medication.patient_id == family.rosa.id).order_by(Medication.id))),
    )


def test_every_console_route_is_in_the_permission_table(app) -> None:  # type: ignore[no-untyped-def]
    # Every console blueprint's routes (console, console_account, ...) but sign-in's public pages.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("console") and not rule.endpoint.startswith("console_auth.")
                 and not rule.endpoint.endswith(".static")}
    endpoints |= {"console_auth.invite"}
    listed = {r.endpoint for r in ROUTES} | {"console.sandbox"}
    assert endpoints <= listed, f"routes without a permission test: {sorted(endpoints - listed)}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.patient], ids=lambda r: f"{r.method} {r.path}")
def test_another_familys_caregiver_gets_404_and_changes_nothing(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    oscar = console().sign_in_caregiver(session, family.oscar.phone)
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = oscar.get(path) if route.method == "GET" else oscar.post(path, _data(route, family))
    assert r.status_code == 404
    assert "Rosa" not in r.get_data(as_text=True)
    assert _rosa_state(session, family) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.patient and r.staff_only], ids=lambda r: f"{r.method} {r.path}")
def test_a_caregiver_cannot_manage_even_their_own_patient(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = ann.get(path) if route.method == "GET" else ann.post(path, _data(route, family))
    assert r.status_code == 404
    assert _rosa_state(session, family) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.patient and r.staff_only],
                         ids=lambda r: f"{r.method} {r.path}")
def test_staff_pages_are_404_to_caregivers(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    r = ann.get(route.path) if route.method == "GET" else ann.post(route.path, _data(route, family))
    assert r.status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_someone_not_signed_in_is_sent_to_sign_in_and_changes_nothing(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    stranger = console()
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = stranger.get(path) if route.method == "GET" else stranger.post(path, _data(route, family))
    assert r.status_code == 302
    assert "/signin" in r.headers["Location"]
    assert _rosa_state(session, family) == before


@pytest.mark.parametrize("path", ["/patients", "/patients/rows", "/alerts", "/reports", "/reports.csv"])
def test_lists_show_a_caregiver_only_their_own_patients(path, family, session, console) -> None:  # type: ignore[no-untyped-def]
    oscar = console().sign_in_caregiver(session, family.oscar.phone)
    ann = console().sign_in_caregiver(session, family.ann.phone)
    theirs = oscar.get(path).get_data(as_text=True)
    assert "Omar Khan" in theirs or path == "/alerts"
    assert "Rosa Diaz" not in theirs
    assert "Rosa Diaz" in ann.get(path).get_data(as_text=True)
    assert "Omar Khan" not in ann.get(path).get_data(as_text=True)


def test_rosas_caregiver_opens_her_page(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    page = ann.get(f"/patients/{family.rosa.id}")
    assert page.status_code == 200
    assert "Rosa Diaz" in page.get_data(as_text=True)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET"], ids=lambda r: r.path)
def test_an_admin_opens_every_page(route, family, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "admin@example.org")
    admin = console().sign_in_staff("admin@example.org")
    r = admin.get(_path(route, family))
    assert r.status_code in (200, 302)


def test_a_clinician_cannot_read_the_audit_log(family, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    assert lee.get("/audit").status_code == 404
    assert lee.get("/audit.csv").status_code == 404
    assert lee.get(f"/patients/{family.rosa.id}").status_code == 200


# -- clinicians see the patients assigned to them -------------------------------------------------------


@pytest.mark.parametrize("route", [r for r in ROUTES if r.patient], ids=lambda r: f"{r.method} {r.path}")
def test_a_clinician_not_assigned_to_the_patient_gets_404_and_changes_nothing(route, family, session, make_staff,
                                                                               console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", patients=(family.omar,))
    lee = console().sign_in_staff("lee@example.org")
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = lee.get(path) if route.method == "GET" else lee.post(path, _data(route, family))
    assert r.status_code == 404
    assert "Rosa" not in r.get_data(as_text=True)
    assert _rosa_state(session, family) == before


@pytest.mark.parametrize("path", ["/patients", "/patients/rows", "/alerts", "/reports", "/reports.csv"])
def test_lists_show_a_clinician_only_their_patients_and_an_admin_everyone(path, family, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", patients=(family.omar,))
    make_staff("admin", "ada@example.org")
    lee = console().sign_in_staff("lee@example.org").get(path).get_data(as_text=True)
    kim = console().sign_in_staff(family.kim.email).get(path).get_data(as_text=True)
    ada = console().sign_in_staff("ada@example.org").get(path).get_data(as_text=True)
    assert "Rosa Diaz" not in lee and "Rosa Diaz" in kim and "Rosa Diaz" in ada
    if path != "/alerts":  # only Rosa has an open alert
        assert "Omar Khan" in lee and "Omar Khan" not in kim and "Omar Khan" in ada


def test_an_admin_assigns_and_unassigns_a_clinician_on_the_manage_page(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    lee_user = make_staff("clinician", "lee@example.org", name="Nurse Lee")
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    lee = console().sign_in_staff("lee@example.org")
    page = ada.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    assert "Unassign Dr Kim" in page and f'<option value="{lee_user.id}">Nurse Lee</option>' in page
    assert lee.get(f"/patients/{family.rosa.id}").status_code == 404
    assert ada.post(f"/patients/{family.rosa.id}/clinicians", {"user_id": str(lee_user.id)}).status_code == 302
    assert lee.get(f"/patients/{family.rosa.id}").status_code == 200
    assert ada.post(f"/patients/{family.rosa.id}/clinicians/{lee_user.id}/remove").status_code == 302
    assert lee.get(f"/patients/{family.rosa.id}").status_code == 404
    with Session(session.get_bind()) as s:
        assert [(e.action, e.target) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(("assign", "unassign"))).order_by(AuditEvent.id))] == [
            ("assign", f"clinician {lee_user.id}"), ("unassign", f"clinician {lee_user.id}")]
    # Only clinicians can be assigned; an admin sees every patient anyway.
    assert ada.post(f"/patients/{family.rosa.id}/clinicians", {"user_id": "999999"}).status_code == 422


def test_a_clinician_sees_the_care_team_but_cannot_change_it(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    kim = console().sign_in_staff(family.kim.email)
    page = kim.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    assert "Dr Kim" in page and "Unassign" not in page and "assign-clinician" not in page
    assert kim.post(f"/patients/{family.rosa.id}/clinicians/{family.kim.id}/remove").status_code == 404


def test_the_clinician_who_adds_a_patient_is_assigned_to_them(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org")
    lee = console().sign_in_staff("lee@example.org")
    r = lee.post("/manage/patients/new", {"name": "Nina New", "timezone": "Europe/Paris", "language": "en"})
    new_id = int(r.headers["Location"].split("/")[2])
    assert lee.get(f"/patients/{new_id}").status_code == 200
    assert "Nina New" not in console().sign_in_staff(family.kim.email).get("/patients").get_data(as_text=True)

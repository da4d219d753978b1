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

from alerts.models import Alert, AlertNote, AlertPause, Caregiver, DoseSchedule, Patient, clinician_patient


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    path: str  # {p} Rosa, {a} her alert, {s} her schedule, {c} her caregiver Bob
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
    Route("console.assign_me", "POST", "/patients/{p}/assign", staff_only=True),
    Route("console.home", "GET", "/", patient=False),
    Route("console.patients", "GET", "/patients", patient=False),
    Route("console.patient_rows", "GET", "/patients/rows", patient=False),
    Route("console.alerts", "GET", "/alerts", patient=False),
    Route("console.reports", "GET", "/reports", patient=False),
    Route("console.reports_csv", "GET", "/reports.csv", patient=False),
    Route("console.reports_medicines_csv", "GET", "/reports/medicines.csv", patient=False),
    Route("console.new_patient", "GET", "/manage/patients/new", patient=False, staff_only=True),
    Route("console.sandbox", "GET", "/sandbox", patient=False, staff_only=True),
    Route("console.audit_log", "GET", "/audit", patient=False, staff_only=True),
    Route("console.audit_csv", "GET", "/audit.csv", patient=False, staff_only=True),
    Route("console_auth.invite", "GET", "/invite", patient=False, staff_only=True),
]


def _path(route: Route, family) -> str:  # type: ignore[no-untyped-def]
    return route.path.format(p=family.rosa.id, a=family.alert.id, s=family.schedule.id, c=family.bob.id)


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
        session.get(Patient, family.rosa.id).name,
    )


def test_every_console_route_is_in_the_permission_table(app) -> None:  # type: ignore[no-untyped-def]
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("console.") and rule.endpoint != "console.static"}
    endpoints |= {"console_auth.invite"}
    listed = {r.endpoint for r in ROUTES} | {"console.sandbox"}
    assert endpoints <= listed, f"routes without a permission test: {sorted(endpoints - listed)}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.patient], ids=lambda r: f"{r.method} {r.path}")
def test_another_familys_caregiver_gets_404_and_changes_nothing(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    oscar = console().sign_in_caregiver(session, family.oscar.phone)
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = oscar.get(path) if route.method == "GET" else oscar.post(path, dict(route.data))
    assert r.status_code == 404
    assert "Rosa" not in r.get_data(as_text=True)
    assert _rosa_state(session, family) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.patient and r.staff_only], ids=lambda r: f"{r.method} {r.path}")
def test_a_caregiver_cannot_manage_even_their_own_patient(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = ann.get(path) if route.method == "GET" else ann.post(path, dict(route.data))
    assert r.status_code == 404
    assert _rosa_state(session, family) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.patient and r.staff_only], ids=lambda r: r.path)
def test_staff_pages_are_404_to_caregivers(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    assert ann.get(route.path).status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_someone_not_signed_in_is_sent_to_sign_in_and_changes_nothing(route, family, session, console) -> None:  # type: ignore[no-untyped-def]
    stranger = console()
    before = _rosa_state(session, family)
    path = _path(route, family)
    r = stranger.get(path) if route.method == "GET" else stranger.post(path, dict(route.data))
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
    make_staff("clinician", "lee@example.org")
    lee = console().sign_in_staff("lee@example.org")
    assert lee.get("/audit").status_code == 404
    assert lee.get("/audit.csv").status_code == 404
    assert lee.get(f"/patients/{family.rosa.id}").status_code == 200

"""What people rely on in the care console: signing in, acknowledging as by SMS, pausing, the audit
log, CSRF, sign-in limits and the first-run set-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import (
    Alert,
    AlertNote,
    AlertPause,
    AuditEvent,
    Dose,
    Invite,
    Notification,
    SignInCode,
    User,
)
from alerts.services import audit
from alerts.services.console_auth import first_admin_link
from alerts.services.tick import run_tick
from tests.web.conftest import PASSWORD, latest_code
from tests.support.settings import TICK


def _fresh(session: Session) -> Session:
    return Session(session.get_bind())


# -- caregivers sign in with a texted code ------------------------------------------------------------


def test_caregiver_code_is_texted_through_the_outbox_to_the_phone_on_file(family, session, console) -> None:  # type: ignore[no-untyped-def]
    c = console()
    r = c.post("/signin/code", {"phone": family.ann.phone})
    assert r.status_code == 200
    with _fresh(session) as s:
        row = s.scalars(select(Notification).where(Notification.kind == "sign_in_code")).one()
        stored = s.scalars(select(SignInCode)).one()
    assert row.to_number == family.ann.phone and row.status == "queued" and row.urgent
    code = latest_code(session, family.ann.phone)
    assert code not in stored.code_hash  # only a hash is kept
    r = c.post("/signin/code", {"phone": family.ann.phone, "code": code})
    assert r.status_code == 302
    assert c.get(f"/patients/{family.rosa.id}").status_code == 200


def test_a_code_works_once(family, session, console) -> None:  # type: ignore[no-untyped-def]
    first = console()
    first.post("/signin/code", {"phone": family.ann.phone})
    code = latest_code(session, family.ann.phone)
    assert first.post("/signin/code", {"phone": family.ann.phone, "code": code}).status_code == 302
    second = console()
    assert second.post("/signin/code", {"phone": family.ann.phone, "code": code}).status_code == 401
    assert second.get("/patients").status_code == 302


def test_an_expired_code_is_refused(family, session, console) -> None:  # type: ignore[no-untyped-def]
    c = console()
    c.post("/signin/code", {"phone": family.ann.phone})
    code = latest_code(session, family.ann.phone)
    with freeze_time(utcnow() + timedelta(minutes=11)):
        assert c.post("/signin/code", {"phone": family.ann.phone, "code": code}).status_code == 401


def test_five_wrong_codes_spend_the_code(family, session, console) -> None:  # type: ignore[no-untyped-def]
    c = console()
    c.post("/signin/code", {"phone": family.ann.phone})
    code = latest_code(session, family.ann.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert c.post("/signin/code", {"phone": family.ann.phone, "code": wrong}).status_code == 401
    assert c.post("/signin/code", {"phone": family.ann.phone, "code": code}).status_code == 401


def test_an_unknown_phone_gets_the_same_answer_and_no_text(family, session, console) -> None:  # type: ignore[no-untyped-def]
    r = console().post("/signin/code", {"phone": "+14155550000"})
    assert r.status_code == 200 and "If +14155550000 is on file" in r.get_data(as_text=True)
    with _fresh(session) as s:
        assert s.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "sign_in_code")) == 0


# -- staff ----------------------------------------------------------------------------------------


def test_staff_sign_in_is_rate_limited_per_account(family, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org")
    c = console()
    codes = [c.post("/signin", {"email": "lee@example.org", "password": "wrong"}).status_code for _ in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    # Even the right password waits now.
    assert c.post("/signin", {"email": "lee@example.org", "password": PASSWORD}).status_code == 429


def test_session_cookie_is_httponly_lax_and_secure_behind_https(tmp_path, make_staff) -> None:  # type: ignore[no-untyped-def]
    from alerts import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                      "CELERY_BROKER_URL": "memory://", "PUBLIC_BASE_URL": "https://care.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_a_session_expires(family, session, console) -> None:  # type: ignore[no-untyped-def]
    c = console().sign_in_caregiver(session, family.ann.phone)
    assert c.get("/patients").status_code == 200
    with freeze_time(utcnow() + timedelta(hours=13)):
        assert c.get("/patients").status_code == 302


# -- CSRF -------------------------------------------------------------------------------------------


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    r = ann.post(f"/alerts/{family.alert.id}/acknowledge", csrf=False)
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)
    with _fresh(session) as s:
        assert s.get(Alert, family.alert.id).status == "open"


def test_the_json_api_needs_no_csrf_token(family, client, make_token) -> None:  # type: ignore[no-untyped-def]
    token = make_token(family.rosa)
    r = client.post(f"/v1/patients/{family.rosa.id}/checkins", headers={"Authorization": f"Bearer {token}"},
                    json={"recorded_at": utcnow().isoformat(), "symptoms": {"twitching": 2}})
    assert r.status_code == 201


# -- acting on alerts ---------------------------------------------------------------------------------


def test_acknowledging_on_the_web_tells_the_others_who_were_told(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    r = ann.post(f"/alerts/{family.alert.id}/acknowledge", {"note": "on my way", "back": "patient"})
    assert r.status_code == 302
    with _fresh(session) as s:
        alert = s.get(Alert, family.alert.id)
        assert alert.status == "acknowledged" and alert.acknowledged_by == family.ann.id
        told = s.scalars(select(Notification).where(Notification.alert_id == alert.id,
                                                    Notification.kind == "all_clear")).all()
        assert {n.to_number for n in told} == {family.bob.phone, family.rosa.phone}
        assert all("Ann is handling" in n.body for n in told)
        note = s.scalars(select(AlertNote)).one()
        assert (note.kind, note.author, note.text) == ("acknowledged", "Ann", "on my way")
    page = ann.get(f"/patients/{family.rosa.id}").get_data(as_text=True)
    assert "Acknowledged by Ann" in page


def test_a_clinician_acknowledges_in_their_own_name(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", name="Nurse Lee", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    assert lee.post(f"/alerts/{family.alert.id}/acknowledge").status_code == 302
    with _fresh(session) as s:
        told = s.scalars(select(Notification).where(Notification.kind == "all_clear")).all()
        assert {n.to_number for n in told} == {family.ann.phone, family.bob.phone, family.rosa.phone}
        assert all("Nurse Lee is handling" in n.body for n in told)


def test_resolving_needs_a_known_reason_and_sends_nothing(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    assert ann.post(f"/alerts/{family.alert.id}/resolve", {"reason": "because"}).status_code == 422
    assert ann.post(f"/alerts/{family.alert.id}/resolve", {"reason": "false_alarm"}).status_code == 302
    with _fresh(session) as s:
        alert = s.get(Alert, family.alert.id)
        assert (alert.status, alert.close_reason) == ("resolved", "closed_false_alarm")
        assert s.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "all_clear")) == 0


# -- pauses -----------------------------------------------------------------------------------------


def test_a_pause_stops_missed_dose_reminders_but_the_dose_is_still_missed(session, db, make_patient, make_caregiver,
                                                                          make_schedule, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    paused = make_patient(name="Paused Pat")
    make_caregiver(paused)
    make_schedule(paused, now=now)
    other = make_patient(name="Other Olga")
    make_schedule(other, now=now)
    make_staff("clinician", "lee@example.org", patients=(paused,))
    lee = console().sign_in_staff("lee@example.org")
    assert lee.post(f"/patients/{paused.id}/pause", {"days": "3", "reason": "hospital stay"}).status_code == 302
    later = now + timedelta(days=1)
    run_tick(db.sessionmaker, later, **TICK)
    with _fresh(session) as s:
        statuses = dict(s.execute(select(Dose.patient_id, func.count()).where(Dose.status == "missed")
                                  .group_by(Dose.patient_id)).all())
        alerted = set(s.scalars(select(Alert.patient_id)))
        reminded = set(s.scalars(select(Notification.patient_id)))
    assert statuses.get(paused.id) and statuses.get(other.id)
    assert paused.id not in alerted and paused.id not in reminded
    assert other.id in alerted and other.id in reminded
    assert "Alerts paused until" in lee.get("/patients").get_data(as_text=True)


def test_a_pause_never_holds_an_emergency(family, session, db, make_token, client) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    session.add(AlertPause(patient_id=family.rosa.id, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2),
                           reason="hospital"))
    session.commit()
    token = make_token(family.rosa)
    r = client.post(f"/v1/patients/{family.rosa.id}/checkins", headers={"Authorization": f"Bearer {token}"},
                    json={"recorded_at": now.isoformat(), "symptoms": {"seizure": 5}})
    assert r.status_code == 201
    with _fresh(session) as s:
        emergency = s.scalars(select(Alert).where(Alert.kind == "emergency")).one()
        assert s.scalar(select(func.count()).select_from(Notification).where(Notification.alert_id == emergency.id)) > 0


# -- audit ------------------------------------------------------------------------------------------


def test_viewing_and_acting_are_audited_with_role_and_address(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    ann.get(f"/patients/{family.rosa.id}")
    ann.post(f"/alerts/{family.alert.id}/note", {"note": "called her"})
    with _fresh(session) as s:
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.role, e.patient_id) for e in events] == [
        ("sign_in", "caregiver", None), ("view", "caregiver", family.rosa.id), ("note", "caregiver", family.rosa.id)]
    assert all(e.address == "127.0.0.1" for e in events)
    assert "0111" in events[1].actor and family.ann.phone not in events[1].actor


def test_staff_download_a_patients_record_as_a_fhir_bundle_and_the_export_is_audited(
        family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    from fhir.resources.R4B.bundle import Bundle

    make_staff("clinician", "lee@example.org", name="Nurse Lee", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    response = lee.get(f"/patients/{family.rosa.id}/record.fhir.json")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert "attachment" in response.headers["Content-Disposition"]
    bundle = Bundle.model_validate_json(response.get_data())  # a valid FHIR R4 Bundle
    assert {e.resource.__resource_type__ for e in bundle.entry} >= {"Patient", "MedicationRequest"}
    with _fresh(session) as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.everything")).all()
    assert (event.patient_id, event.role) == (family.rosa.id, "clinician")
    assert event.actor.startswith("Nurse Lee") and event.details["counts"]["Patient"] == 1


def test_the_audit_log_is_append_only(session) -> None:  # type: ignore[no-untyped-def]
    event = audit.record(session, None, "view", 1, target="patient page")
    session.commit()
    event.action = "nothing to see"
    with pytest.raises(ValueError, match="append-only"):
        session.commit()
    session.rollback()
    session.delete(session.get(AuditEvent, event.id))
    with pytest.raises(ValueError, match="append-only"):
        session.commit()


def test_admins_export_the_audit_log_as_csv(family, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    ada.get(f"/patients/{family.rosa.id}")
    r = ada.get("/audit.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id,at,user_id,actor,role,action,patient_id")
    assert any(f",admin,view,{family.rosa.id},patient page," in line for line in lines)


# -- first run and invites ---------------------------------------------------------------------------------


def test_the_first_admin_link_is_offered_only_on_a_fresh_database_and_works_once(session, console) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    stale = first_admin_link(session, "http://127.0.0.1:8000", now)
    link = first_admin_link(session, "http://127.0.0.1:8000", now)
    session.commit()
    assert stale and link and link.startswith("http://127.0.0.1:8000/setup/")
    c = console()
    assert c.get(stale.split("8000", 1)[1]).status_code == 404  # only the newest link works
    path = link.split("8000", 1)[1]
    form = {"name": "Ada", "email": "ada@example.org", "password": PASSWORD, "password2": PASSWORD}
    assert c.post(path, {**form, "password2": "different"}).status_code == 422
    assert c.post(path, form).status_code == 302
    assert c.get("/audit").status_code == 200  # signed in as the admin
    assert console().get(path).status_code == 404
    with _fresh(session) as s:
        assert first_admin_link(s, "http://x", utcnow()) is None
        user = s.scalars(select(User)).one()
        assert user.role == "admin" and user.password_hash and user.password_hash.startswith("$argon2")


def test_an_admin_invites_a_clinician(make_staff, session, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    page = ada.post("/invite", {"role": "clinician", "email": "lee@example.org"}).get_data(as_text=True)
    link = page.split('id="invite-link">', 1)[1].split("<", 1)[0]
    path = "/setup/" + link.rsplit("/", 1)[1]
    lee = console()
    form = {"name": "Lee", "email": "lee@example.org", "password": PASSWORD, "password2": PASSWORD}
    assert lee.post(path, form).status_code == 302
    assert lee.get("/audit").status_code == 404  # a clinician, not an admin
    with _fresh(session) as s:
        assert s.scalars(select(User.role).where(User.email == "lee@example.org")).one() == "clinician"
        assert s.scalars(select(Invite)).one().used_at is not None


def test_the_patient_page_shows_each_days_worst_symptom(family, session, console) -> None:  # type: ignore[no-untyped-def]
    from alerts.models import CheckIn

    now = utcnow()
    for minutes, severity in ((1, 3), (2, 7)):
        session.add(CheckIn(patient_id=family.rosa.id, recorded_at=now - timedelta(minutes=minutes),
                            symptoms={"twitching": severity}, source="app"))
    session.commit()
    ann = console().sign_in_caregiver(session, family.ann.phone)
    page = ann.get(f"/patients/{family.rosa.id}").get_data(as_text=True)
    table = page.split("Highest severity reported each day", 1)[1].split("</table>", 1)[0]
    cells = table.count('<td data-label="Muscle twitches">')
    assert cells == 1 and '<td data-label="Muscle twitches">7</td>' in table  # one day, its worst


def test_a_poll_after_the_session_expired_sends_the_page_to_sign_in(family, session, console) -> None:  # type: ignore[no-untyped-def]
    r = console().client.get("/patients/rows", headers={"HX-Request": "true"})
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/signin"


def test_a_pause_also_holds_the_missed_in_a_row_warning(session, db, make_patient, make_schedule) -> None:  # type: ignore[no-untyped-def]
    from alerts.services import pauses

    now = utcnow()
    paused, other = make_patient(name="Paused Pat"), make_patient(name="Other Olga")
    for p in (paused, other):
        make_schedule(p, now=now)
    pauses.pause(session, paused.id, starts_at=now, ends_at=now + timedelta(days=5), reason="hospital stay",
                 created_by=None, now=now)
    session.commit()
    for hours in range(6, 60, 6):  # two and a half days of ticks: doses go missed, one after another
        run_tick(db.sessionmaker, now + timedelta(hours=hours), **TICK)
    with _fresh(session) as s:
        kinds = {(a.patient_id, a.kind) for a in s.scalars(select(Alert))}
    assert (other.id, "withdrawal_risk") in kinds
    assert not {k for k in kinds if k[0] == paused.id}

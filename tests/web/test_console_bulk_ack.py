"""Staff acknowledge several open alerts in one post from the Alerts page, each exactly as if
acknowledged alone (the others told through the outbox, a note, an audit event); caregivers get
neither the control nor the action; an alert the user may not see voids the whole post."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import Alert, AlertNote, AuditEvent, Notification, Patient
from alerts.services import alerts as alert_service


def _fresh(session: Session) -> Session:
    return Session(session.get_bind())


def _second_alert(session: Session, family) -> Alert:  # type: ignore[no-untyped-def]
    """Rosa's 14:00 dose missed as well, told to her, Ann and Bob."""
    now = utcnow()
    rosa = session.get(Patient, family.rosa.id)
    alert = alert_service.open_alert(session, rosa, rosa.caregivers, kind="missed_dose",
                                     condition_key="missed_dose:14:00", now=now - timedelta(minutes=20),
                                     details={"patient_name": rosa.name, "dose_time": "14:00",
                                              "due_at": (now - timedelta(minutes=50)).isoformat()})
    for _ in range(3):
        alert_service.run_step(session, alert, now)
    session.commit()
    return alert


def _all_clears(s: Session, alert_id: int) -> list[tuple[str, str]]:
    return sorted((n.to_number, n.body) for n in s.scalars(select(Notification).where(
        Notification.alert_id == alert_id, Notification.kind == "all_clear")))


def test_staff_acknowledge_ticked_alerts_each_as_a_single_acknowledgement(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    second = _second_alert(session, family)
    make_staff("admin", "ada@example.org", name="Ada")
    ada = console().sign_in_staff("ada@example.org")
    page = ada.get("/alerts").get_data(as_text=True)
    assert 'id="bulk-ack"' in page and f'value="{second.id}" form="bulk-ack"' in page
    r = ada.client.post("/alerts/acknowledge", data={"csrf_token": ada.csrf(), "note": "clinic is calling",
                                                      "alert_id": [str(family.alert.id), str(second.id)]})
    assert r.status_code == 302
    assert "Acknowledged 2 alerts." in ada.get("/alerts").get_data(as_text=True)
    with _fresh(session) as s:
        for alert_id in (family.alert.id, second.id):
            alert = s.get(Alert, alert_id)
            assert (alert.status, alert.close_reason, alert.acknowledged_by) == ("acknowledged", "ack_console", None)
            told = _all_clears(s, alert_id)
            assert {to for to, _ in told} == {family.rosa.phone, family.ann.phone, family.bob.phone}
            assert all("Ada is handling" in body for _, body in told)
        notes = s.scalars(select(AlertNote).order_by(AlertNote.alert_id)).all()
        assert [(n.alert_id, n.kind, n.author, n.text) for n in notes] == [
            (family.alert.id, "acknowledged", "Ada", "clinic is calling"),
            (second.id, "acknowledged", "Ada", "clinic is calling")]
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "acknowledge")).all()
        assert sorted(e.target for e in events) == sorted([f"alert {family.alert.id}", f"alert {second.id}"])


def test_the_same_messages_as_acknowledging_one_by_one(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    second = _second_alert(session, family)
    make_staff("admin", "ada@example.org", name="Ada")
    ada = console().sign_in_staff("ada@example.org")
    ada.post(f"/alerts/{family.alert.id}/acknowledge")
    ada.client.post("/alerts/acknowledge", data={"csrf_token": ada.csrf(), "alert_id": [str(second.id)]})
    with _fresh(session) as s:
        assert _all_clears(s, family.alert.id) == _all_clears(s, second.id)
        assert s.get(Alert, second.id).close_reason == s.get(Alert, family.alert.id).close_reason


def test_an_alert_someone_else_acknowledged_meanwhile_is_left_as_it_is(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    second = _second_alert(session, family)
    console().sign_in_caregiver(session, family.ann.phone).post(f"/alerts/{second.id}/acknowledge")
    make_staff("clinician", "lee@example.org", name="Nurse Lee", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    with _fresh(session) as s:
        before = _all_clears(s, second.id)
    lee.client.post("/alerts/acknowledge", data={"csrf_token": lee.csrf(),
                                                  "alert_id": [str(family.alert.id), str(second.id)]})
    assert "1 had already been acknowledged" in lee.get("/alerts").get_data(as_text=True)
    with _fresh(session) as s:
        assert s.get(Alert, family.alert.id).status == "acknowledged"
        assert s.get(Alert, second.id).acknowledged_by == family.ann.id
        assert _all_clears(s, second.id) == before


def test_caregivers_get_no_bulk_control_and_their_bulk_post_is_refused(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    page = ann.get("/alerts").get_data(as_text=True)
    assert "bulk-ack" not in page and "Acknowledge alert" in page
    r = ann.client.post("/alerts/acknowledge", data={"csrf_token": ann.csrf(), "alert_id": [str(family.alert.id)]})
    assert r.status_code == 404
    with _fresh(session) as s:
        assert s.get(Alert, family.alert.id).status == "open"
        assert s.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "all_clear")) == 0


def test_an_alert_that_does_not_exist_voids_the_post(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    r = ada.client.post("/alerts/acknowledge", data={"csrf_token": ada.csrf(),
                                                      "alert_id": [str(family.alert.id), "999999"]})
    assert r.status_code == 404
    with _fresh(session) as s:
        assert s.get(Alert, family.alert.id).status == "open"
        assert s.scalar(select(func.count()).select_from(AlertNote)) == 0


def test_garbage_ids_are_a_422_and_none_ticked_changes_nothing(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    assert ada.client.post("/alerts/acknowledge", data={"csrf_token": ada.csrf(),
                                                        "alert_id": ["1; drop"]}).status_code == 422
    assert ada.post("/alerts/acknowledge").status_code == 302
    assert "Tick at least one alert" in ada.get("/alerts").get_data(as_text=True)
    with _fresh(session) as s:
        assert s.get(Alert, family.alert.id).status == "open"


def test_a_bulk_post_without_a_csrf_token_is_refused(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    assert ada.client.post("/alerts/acknowledge", data={"alert_id": [str(family.alert.id)]}).status_code == 400
    with _fresh(session) as s:
        assert s.get(Alert, family.alert.id).status == "open"


def test_a_clinician_cannot_acknowledge_a_patient_not_assigned_to_them(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    omar = session.get(Patient, family.omar.id)
    theirs = alert_service.open_alert(session, omar, omar.caregivers, kind="missed_dose", condition_key="missed_dose",
                                      now=utcnow(), details={"patient_name": omar.name, "dose_time": "08:00",
                                                             "due_at": utcnow().isoformat()})
    session.commit()
    make_staff("clinician", "lee@example.org", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    assert f'value="{theirs.id}"' not in lee.get("/alerts").get_data(as_text=True)
    r = lee.client.post("/alerts/acknowledge", data={"csrf_token": lee.csrf(),
                                                      "alert_id": [str(family.alert.id), str(theirs.id)]})
    assert r.status_code == 404
    with _fresh(session) as s:
        assert [s.get(Alert, i).status for i in (family.alert.id, theirs.id)] == ["open", "open"]
        assert s.scalar(select(func.count()).select_from(AlertNote)) == 0

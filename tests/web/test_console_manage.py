"""The console's editing pages (``alerts.web.manage``) as staff use them: each change goes through
the same service as the admin API and is audited; a form that does not validate comes back with its
errors (422) and stores nothing; a post without the CSRF token is refused.

Rosa (New York) has a schedule at 08:00, 14:00 and 20:00 and caregivers Ann (1) and Bob (2).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.models import AuditEvent, Caregiver, Dose, DoseSchedule, Medication, Notification, Patient


@contextmanager
def _fresh(session: Session):  # type: ignore[no-untyped-def]
    with Session(session.get_bind()) as s:
        yield s


@pytest.fixture
def lee(family, make_staff, console):  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", name="Nurse Lee", patients=(family.rosa,))
    return console().sign_in_staff("lee@example.org")


def _snapshot(session: Session, family) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    with _fresh(session) as s:
        rosa = s.get(Patient, family.rosa.id)
        return (
            tuple(s.execute(select(DoseSchedule.id, DoseSchedule.active, DoseSchedule.times)
                            .where(DoseSchedule.patient_id == rosa.id).order_by(DoseSchedule.id))),
            tuple(s.execute(select(Dose.id, Dose.status).order_by(Dose.id))),
            tuple(s.execute(select(Caregiver.id, Caregiver.position, Caregiver.language, Caregiver.quiet_start,
                                   Caregiver.quiet_end, Caregiver.timezone).order_by(Caregiver.id))),
            rosa.escalation_minutes, rosa.escalation_policy, rosa.language, rosa.clinical_settings,
            rosa.renal_impairment, rosa.intrathecal_pump,
            tuple(s.scalars(select(AuditEvent.action).where(AuditEvent.action == "update"))),
        )


def _audited(session: Session, target: str) -> AuditEvent:
    with _fresh(session) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "update", AuditEvent.target.like(f"{target}%"))
                           ).all()
        assert len(events) == 1, [e.target for e in events]
        s.expunge_all()
        return events[0]


# -- a medicine's supply -----------------------------------------------------------------------------


def test_a_clinician_recounts_a_medicine_the_manage_page_shows_its_supply_and_the_change_is_audited(
        family, session, lee) -> None:  # type: ignore[no-untyped-def]
    with _fresh(session) as s:
        metformin = Medication(patient_id=family.rosa.id, name="metformin", route="oral")
        s.add(metformin)
        s.commit()
        mid = metformin.id
    path = f"/patients/{family.rosa.id}/medications/{mid}/supply"

    bad = lee.post(path, {"on_hand": "-3", "units_per_dose": "1"})
    saved = lee.post(path, {"on_hand": "60", "units_per_dose": "2", "refill_date": "2026-07-01"})

    assert bad.status_code == 422 and "Nothing was saved" in bad.get_data(as_text=True)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/manage")
    page = lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    assert "60 on hand" in page and "Next refill: 2026-07-01" in page and "Refill or recount metformin" in page
    patient_page = " ".join(lee.get(f"/patients/{family.rosa.id}").get_data(as_text=True).split())
    assert "Supply: metformin: <span>60 on hand.</span>" in patient_page
    event = _audited(session, f"medication {mid} supply")
    assert (event.details["on_hand"], event.details["units_per_dose"]) == (["", "60"], ["1", "2"])
    lee.post(path, {"on_hand": "0", "units_per_dose": "2", "refill_date": "2026-07-01"})
    assert "0 on hand — low: none left." in lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)


# -- what a medicine is, and its stop -------------------------------------------------------------------


def test_a_clinician_corrects_a_medicine_and_the_change_is_audited(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    with _fresh(session) as s:
        metformin = Medication(patient_id=family.rosa.id, name="metformin", route="oral")
        s.add(metformin)
        s.commit()
        mid = metformin.id
    base = f"/patients/{family.rosa.id}/medications/{mid}"

    page = lee.get(f"{base}/supply").get_data(as_text=True)
    bad = lee.post(f"{base}/edit", {"name": "Metformin", "route": "oral", "rxnorm_code": "RX1"})
    with _fresh(session) as s:
        unchanged = s.get(Medication, mid).name
    saved = lee.post(f"{base}/edit", {"name": " Metformin  XR ", "strength": "500 mg tablet", "route": "oral",
                                      "rxnorm_code": ""})

    assert "Save metformin's details" in page and "Stop metformin" in page
    assert "prescriber ordered" not in page  # the confirmation is baclofen's
    assert bad.status_code == 422 and "Nothing was saved" in bad.get_data(as_text=True) and unchanged == "metformin"
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/manage")
    with _fresh(session) as s:
        m = s.get(Medication, mid)
        assert (m.name, m.strength, m.rxnorm_code, m.active) == ("Metformin XR", "500 mg tablet", None, True)
    event = _audited(session, f"medication {mid}")
    assert (event.details["before"]["name"], event.details["after"]["name"]) == ("metformin", "Metformin XR")


def test_baclofen_is_stopped_only_with_the_prescribers_order_ticked_and_no_one_is_told(
        family, session, lee) -> None:  # type: ignore[no-untyped-def]
    with _fresh(session) as s:
        baclofen = Medication(patient_id=family.rosa.id, name="Baclofen", route="oral")
        s.add(baclofen)
        s.flush()
        s.get(DoseSchedule, family.schedule.id).medication_id = baclofen.id
        s.commit()
        bid = baclofen.id
        sent = s.scalar(select(func.count()).select_from(Notification))
    path = f"/patients/{family.rosa.id}/medications/{bid}/stop"

    page = lee.get(f"/patients/{family.rosa.id}/medications/{bid}/supply").get_data(as_text=True)
    refused = lee.post(path, {})
    with _fresh(session) as s:
        still = (s.get(Medication, bid).active, s.get(DoseSchedule, family.schedule.id).active)
    stopped = lee.post(path, {"confirm_prescriber_ordered": "1"})

    assert "The prescriber ordered this stop" in page and "never be stopped abruptly" in page
    assert refused.status_code == 422 and "prescriber ordered this stop" in refused.get_data(as_text=True)
    assert still == (True, True)
    assert stopped.status_code == 302
    with _fresh(session) as s:
        assert (s.get(Medication, bid).active, s.get(DoseSchedule, family.schedule.id).active) == (False, False)
        assert s.scalar(select(func.count()).select_from(Notification)) == sent
    event = _audited(session, f"medication {bid} stopped")
    assert event.details["prescriber_ordered"] is True and event.details["schedules"] == [family.schedule.id]
    assert "Baclofen" not in lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True).split(
        "Medicines and supply")[1].split("Caregivers")[0]


def test_the_schedule_forms_set_units_a_dose(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    added = lee.post(f"/patients/{family.rosa.id}/schedules", {"times": "22:00", "dose_mg": "5", "units_per_dose": "2"})
    with _fresh(session) as s:
        new = s.scalars(select(DoseSchedule).where(DoseSchedule.times == ["22:00"])).one()
    edited = lee.post(f"/patients/{family.rosa.id}/schedules/{new.id}/edit",
                      {"times": "22:00", "dose_mg": "5", "grace_minutes": "30", "units_per_dose": "1.5"})

    assert added.status_code == edited.status_code == 302
    with _fresh(session) as s:
        assert s.scalars(select(DoseSchedule.units_per_dose).where(DoseSchedule.active.is_(True),
                                                                  DoseSchedule.times == ["22:00"])).one() == Decimal("1.5")


# -- schedules ---------------------------------------------------------------------------------------


def test_a_clinician_changes_a_schedule_from_its_next_dose_and_the_change_is_audited(
        family, session, lee, console) -> None:  # type: ignore[no-untyped-def]
    path = f"/patients/{family.rosa.id}/schedules/{family.schedule.id}/edit"
    assert "08:00, 14:00, 20:00" in lee.get(path).get_data(as_text=True)
    with freeze_time(datetime(2026, 6, 15, 12, 30, tzinfo=UTC)):  # 08:30 EDT: 08:00 is due already
        # Signed in at the frozen instant: a session from the real now would look expired.
        r = console().sign_in_staff("lee@example.org").post(path, {"times": "09:00, 15:00, 21:00", "dose_mg": "10", "grace_minutes": "30"})
    assert r.status_code == 302, r.get_data(as_text=True)
    assert r.headers["Location"].endswith("/manage"), r.headers["Location"]
    with _fresh(session) as s:
        old = s.get(DoseSchedule, family.schedule.id)
        (new,) = s.scalars(select(DoseSchedule).where(DoseSchedule.replaces_id == old.id)).all()
        assert (old.active, new.active, new.times) == (False, True, ["09:00", "15:00", "21:00"])
        assert new.effective_from == datetime(2026, 6, 15, 19, 0, tzinfo=UTC)  # 15:00 EDT today
    event = _audited(session, f"schedule {family.schedule.id}")
    assert (event.patient_id, event.role, event.actor.startswith("Nurse Lee")) == (family.rosa.id, "clinician", True)
    assert event.details["times"] == [["08:00", "14:00", "20:00"], ["09:00", "15:00", "21:00"]]
    page = lee.get(f"/patients/{family.rosa.id}/schedules/{new.id}/edit").get_data(as_text=True)
    assert "08:00, 14:00, 20:00" in page  # the earlier version is listed


@pytest.mark.parametrize(("form", "error"), [
    ({"times": "25:00", "dose_mg": "10"}, "not HH:MM"),
    ({"times": "", "dose_mg": "10"}, "times"),
    ({"times": "09:00", "dose_mg": "-5"}, "dose_mg"),
    ({"times": "09:00", "dose_mg": "10", "grace_minutes": "soon"}, "grace_minutes"),
])
def test_a_bad_schedule_is_shown_with_its_errors_and_nothing_is_stored(
        family, session, lee, form, error) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(session, family)
    r = lee.post(f"/patients/{family.rosa.id}/schedules/{family.schedule.id}/edit", form)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "Nothing was saved" in page and error in page
    assert _snapshot(session, family) == before


def test_a_stopped_or_earlier_version_cannot_be_edited(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    path = f"/patients/{family.rosa.id}/schedules/{family.schedule.id}/edit"
    assert lee.post(path, {"times": "09:00", "dose_mg": "10"}).status_code == 302
    before = _snapshot(session, family)
    assert lee.post(path, {"times": "10:00", "dose_mg": "10"}).status_code == 404
    assert _snapshot(session, family) == before


# -- escalation --------------------------------------------------------------------------------------


def test_custom_escalation_steps_are_saved_as_data_and_audited(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    r = lee.client.post(f"/patients/{family.rosa.id}/escalation", data={
        "csrf_token": lee.csrf(), "escalation_minutes": "20", "custom": "1",
        "target": ["caregiver", "patient", "everyone", ""], "position": ["2", "", "", ""],
        "after_minutes": ["0", "5", "30", ""]})
    assert r.status_code == 302
    with _fresh(session) as s:
        rosa = s.get(Patient, family.rosa.id)
        assert rosa.escalation_minutes == 20
        assert rosa.escalation_policy == [{"target": "caregiver", "after_minutes": 0, "position": 2},
                                          {"target": "patient", "after_minutes": 5},
                                          {"target": "everyone", "after_minutes": 30}]
    assert _audited(session, "escalation").details["after"]["escalation_minutes"] == 20
    # Back to the default steps.
    lee.post(f"/patients/{family.rosa.id}/escalation", {"escalation_minutes": "20", "custom": ""})
    with _fresh(session) as s:
        assert s.get(Patient, family.rosa.id).escalation_policy is None


@pytest.mark.parametrize(("data", "error"), [
    ({"custom": "1", "target": ["caregiver"], "position": [""], "after_minutes": ["0"]}, "needs a position"),
    ({"custom": "1", "target": ["patient"], "position": [""], "after_minutes": ["later"]}, "after_minutes"),
    ({"custom": "1", "target": [""], "position": [""], "after_minutes": [""]}, "at least one step"),
    ({"escalation_minutes": "0"}, "escalation_minutes"),
])
def test_bad_escalation_steps_are_shown_with_their_errors_and_nothing_is_stored(
        family, session, lee, data, error) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(session, family)
    r = lee.client.post(f"/patients/{family.rosa.id}/escalation",
                        data={"csrf_token": lee.csrf(), "escalation_minutes": "10", **data})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "Nothing was saved" in page and error in page
    assert _snapshot(session, family) == before


def test_caregivers_are_reordered_and_new_alerts_call_them_in_the_new_order(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    r = lee.post(f"/patients/{family.rosa.id}/caregivers/order",
                 {f"order-{family.ann.id}": "2", f"order-{family.bob.id}": "1"})
    assert r.status_code == 302
    with _fresh(session) as s:
        rosa = s.get(Patient, family.rosa.id)
        assert [(c.name, c.position) for c in rosa.caregivers] == [("Bob", 1), ("Ann", 2)]
    assert _audited(session, "caregiver order").details == {"before": [family.ann.id, family.bob.id],
                                                            "after": [family.bob.id, family.ann.id]}


@pytest.mark.parametrize("orders", [("1", "1"), ("1", "x"), ("", "2")])
def test_a_bad_order_is_shown_with_its_errors_and_nothing_is_stored(family, session, lee, orders) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(session, family)
    r = lee.post(f"/patients/{family.rosa.id}/caregivers/order",
                 {f"order-{family.ann.id}": orders[0], f"order-{family.bob.id}": orders[1]})
    assert r.status_code == 422
    assert "Nothing was saved" in r.get_data(as_text=True)
    assert _snapshot(session, family) == before


# -- a caregiver's language and quiet hours ------------------------------------------------------------


def test_a_caregivers_language_and_quiet_hours_are_saved(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    r = lee.post(f"/patients/{family.rosa.id}/caregivers/{family.bob.id}/edit",
                 {"language": "es", "quiet_start": "22:00", "quiet_end": "07:00"})
    assert r.status_code == 302
    with _fresh(session) as s:
        bob = s.get(Caregiver, family.bob.id)
        assert (bob.language, bob.quiet_start, bob.quiet_end) == ("es", "22:00", "07:00")
    assert _audited(session, f"caregiver {family.bob.id}").details["after"] == ["es", "22:00", "07:00", None]
    lee.post(f"/patients/{family.rosa.id}/caregivers/{family.bob.id}/edit",
             {"language": "es", "quiet_start": "", "quiet_end": ""})
    with _fresh(session) as s:
        assert s.get(Caregiver, family.bob.id).quiet_start is None


@pytest.mark.parametrize(("form", "error"), [
    ({"language": "fr", "quiet_start": "", "quiet_end": ""}, "English or Español"),
    ({"language": "en", "quiet_start": "22:00", "quiet_end": ""}, "both a start and an end"),
    ({"language": "en", "quiet_start": "22:00", "quiet_end": "7pm"}, "not HH:MM"),
])
def test_bad_caregiver_settings_are_shown_with_their_errors_and_nothing_is_stored(
        family, session, lee, form, error) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(session, family)
    r = lee.post(f"/patients/{family.rosa.id}/caregivers/{family.bob.id}/edit", form)
    assert r.status_code == 422
    assert error in r.get_data(as_text=True)
    assert _snapshot(session, family) == before


def test_a_caregivers_own_zone_is_shown_saved_and_cleared(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    url = f"/patients/{family.rosa.id}/caregivers/{family.bob.id}/edit"
    r = lee.post(url, {"language": "en", "timezone": "Europe/Madrid", "quiet_start": "22:00", "quiet_end": "07:00"})
    assert r.status_code == 302
    with _fresh(session) as s:
        bob = s.get(Caregiver, family.bob.id)
        assert (bob.timezone, bob.quiet_start) == ("Europe/Madrid", "22:00")
    assert _audited(session, f"caregiver {family.bob.id}").details["after"] == ["en", "22:00", "07:00", "Europe/Madrid"]
    page = lee.get(url).get_data(as_text=True)
    assert 'name="timezone"' in page and 'value="Europe/Madrid"' in page
    lee.post(url, {"language": "en", "timezone": "", "quiet_start": "22:00", "quiet_end": "07:00"})
    with _fresh(session) as s:
        assert s.get(Caregiver, family.bob.id).timezone is None  # empty: the patient's zone


def test_a_caregiver_zone_that_is_not_iana_is_shown_as_an_error_and_nothing_is_stored(
        family, session, lee) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(session, family)
    r = lee.post(f"/patients/{family.rosa.id}/caregivers/{family.bob.id}/edit",
                 {"language": "en", "timezone": "Madrid", "quiet_start": "", "quiet_end": ""})
    assert r.status_code == 422
    assert "unknown IANA time zone" in r.get_data(as_text=True)
    assert _snapshot(session, family) == before


def test_a_caregiver_added_from_the_console_gets_their_own_zone_and_a_bad_one_adds_no_one(
        family, session, lee) -> None:  # type: ignore[no-untyped-def]
    bad = lee.post(f"/patients/{family.rosa.id}/caregivers",
                   {"name": "Eve", "phone": "+14155550177", "language": "en", "timezone": "Pacific"})
    good = lee.post(f"/patients/{family.rosa.id}/caregivers",
                    {"name": "Eve", "phone": "+14155550177", "language": "en", "timezone": "America/Denver"})
    assert (bad.status_code, good.status_code) == (302, 302)
    with _fresh(session) as s:
        assert s.execute(select(Caregiver.name, Caregiver.timezone)
                         .where(Caregiver.patient_id == family.rosa.id, Caregiver.name == "Eve")).all() == [
            ("Eve", "America/Denver")]
    page = lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    assert 'name="timezone"' in page and "Eve (America/Denver)" in page


def test_another_patients_caregiver_is_404_here(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    assert lee.get(f"/patients/{family.rosa.id}/caregivers/{family.oscar.id}/edit").status_code == 404


# -- clinical settings and language ---------------------------------------------------------------------


def test_clinical_settings_and_language_are_saved_through_the_patient_service(family, session, lee) -> None:  # type: ignore[no-untyped-def]
    page = lee.get(f"/patients/{family.rosa.id}/settings").get_data(as_text=True)
    assert "No dose window hours" in page
    r = lee.post(f"/patients/{family.rosa.id}/settings", {
        "language": "es", "renal_impairment": "1", "no_dose_window_hours": "12", "consecutive_missed_threshold": "3"})
    assert r.status_code == 302
    with _fresh(session) as s:
        rosa = s.get(Patient, family.rosa.id)
        assert (rosa.language, rosa.renal_impairment, rosa.intrathecal_pump) == ("es", True, False)
        assert rosa.clinical_settings == {"no_dose_window_hours": 12.0, "consecutive_missed_threshold": 3}
    assert _audited(session, "clinical settings").details["after"][0] == "es"


@pytest.mark.parametrize(("form", "error"), [
    ({"language": "de"}, "language"),
    ({"language": "en", "consecutive_missed_threshold": "2.5"}, "whole number"),
    ({"language": "en", "no_dose_window_hours": "soon"}, "number"),
    ({"language": "en", "no_dose_window_hours": "-4"}, "no_dose_window_hours"),
])
def test_bad_clinical_settings_are_shown_with_their_errors_and_nothing_is_stored(
        family, session, lee, form, error) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(session, family)
    r = lee.post(f"/patients/{family.rosa.id}/settings", form)
    assert r.status_code == 422
    assert "Nothing was saved" in r.get_data(as_text=True) and error in r.get_data(as_text=True)
    assert _snapshot(session, family) == before


# -- CSRF ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "data"), [
    ("/patients/{p}/schedules/{s}/edit", {"times": "09:00", "dose_mg": "10"}),
    ("/patients/{p}/escalation", {"escalation_minutes": "5"}),
    ("/patients/{p}/caregivers/order", {"order-{a}": "2", "order-{b}": "1"}),
    ("/patients/{p}/caregivers/{b}/edit", {"language": "es"}),
    ("/patients/{p}/settings", {"language": "es"}),
])
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(family, session, lee, path, data) -> None:  # type: ignore[no-untyped-def]
    ids = {"p": family.rosa.id, "s": family.schedule.id, "a": family.ann.id, "b": family.bob.id}
    before = _snapshot(session, family)
    r = lee.post(path.format(**ids), {k.format(**ids): v for k, v in data.items()}, csrf=False)
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)
    assert _snapshot(session, family) == before

"""What stops an escalation: a dose taken late, or a caregiver's acknowledgement. Both tell only
the people already told (never the ones the escalation had not reached yet)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session

from alerts.services.alerts import acknowledge
from alerts.services.doses import record_dose
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, Outgoing, Ward, doses, notifications, only_alert, outbox, pending_dose
from tests.support.settings import POLICY, WINDOWS

Tick = Callable[..., TickReport]


def test_late_dose_stops_the_escalation_and_all_clear_goes_only_to_caregivers_already_told(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)  # patient and Ann told; Bob not yet
    taken_at = ward.t0 + 12 * MINUTE
    recorded = record_dose(session, ward.patient, taken_at=taken_at, source="app", now=taken_at, windows=WINDOWS, policy=POLICY)
    session.commit()

    assert recorded.dose is not None and recorded.dose.due_at == ward.due
    assert outbox(session)[2:] == [Outgoing("all_clear", None, "Ann", "queued")]
    all_clear = notifications(session)[2]
    assert all_clear.to_number == ward.ann.phone and all_clear.send_when_closed
    assert "14:42" in all_clear.body  # taken_at in the patient's zone (18:42 UTC = 14:42 EDT)
    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.close_reason, alert.next_step_at) == ("resolved", "dose_taken", None)

    tick(ward.t0 + 20 * MINUTE)
    tick(ward.t0 + 30 * MINUTE)
    assert [o.recipient for o in outbox(session)] == ["patient", "Ann", "Ann"]  # Bob is never bothered


def test_back_dated_dose_that_satisfies_no_missed_dose_does_not_stop_the_escalation(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)  # patient and Ann told about the 14:00 dose
    # A device syncs a dose taken two days ago (within the 7 days the API accepts); it matches no dose.
    recorded = record_dose(session, ward.patient, taken_at=ward.due - timedelta(days=2), source="device",
                           now=ward.t0 + 12 * MINUTE, windows=WINDOWS, policy=POLICY)
    session.commit()

    assert recorded.dose is None
    by_time = {d.local_time: d.status for d in doses(session, ward.patient)}
    assert by_time == {"14:00": "missed", "20:00": "pending"}
    assert only_alert(session, ward.patient).status == "open"
    assert [o.kind for o in outbox(session)] == ["reminder", "escalation"]  # no all-clear to Ann


def test_late_dose_marks_the_missed_dose_taken_and_keeps_one_pending_dose(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    taken_at = ward.t0 + 5 * MINUTE
    record_dose(session, ward.patient, taken_at=taken_at, source="sms", now=taken_at, windows=WINDOWS, policy=POLICY)
    session.commit()
    by_time = {d.local_time: (d.status, d.taken_at) for d in doses(session, ward.patient)}
    assert by_time == {"14:00": ("taken", taken_at), "20:00": ("pending", None)}
    assert pending_dose(session, ward.patient).local_time == "20:00"


def test_late_dose_after_only_the_patient_was_reminded_sends_no_all_clear(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    record_dose(session, ward.patient, taken_at=ward.t0 + MINUTE, source="app", now=ward.t0 + MINUTE, windows=WINDOWS, policy=POLICY)
    session.commit()
    assert outbox(session) == [Outgoing("reminder", 0, "patient", "queued")]


def test_acknowledgement_stops_the_escalation_and_tells_the_others_already_told(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    tick(ward.t0 + 20 * MINUTE)  # patient, Ann, Bob told
    alert = only_alert(session, ward.patient)
    acknowledge(session, alert, ward.ann, via="sms", now=ward.t0 + 25 * MINUTE)
    session.commit()

    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.acknowledged_by, alert.close_reason) == ("acknowledged", ward.ann.id, "ack_sms")
    assert outbox(session)[3:] == [Outgoing("all_clear", None, "patient", "queued"),
                                   Outgoing("all_clear", None, "Bob", "queued")]
    assert all("Ann is handling" in n.body for n in notifications(session)[3:])

    tick(ward.t0 + 30 * MINUTE)  # the "everyone" step would have been due: it never runs
    assert len(outbox(session)) == 5


def test_dose_taken_after_an_acknowledgement_tells_every_caregiver_told_all_clear(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    tick(ward.t0 + 20 * MINUTE)  # patient, Ann, Bob told
    acknowledge(session, only_alert(session, ward.patient), ward.ann, via="sms", now=ward.t0 + 21 * MINUTE)
    session.commit()
    taken_at = ward.t0 + 40 * MINUTE
    record_dose(session, ward.patient, taken_at=taken_at, source="app", now=taken_at, windows=WINDOWS, policy=POLICY)
    session.commit()

    # Ann, who said "on my way", hears it too; the patient, who took it, is not told.
    assert outbox(session)[5:] == [Outgoing("all_clear", None, "Ann", "queued"),
                                   Outgoing("all_clear", None, "Bob", "queued")]
    assert all("15:10" in n.body and "all clear" in n.body for n in notifications(session)[5:])
    assert only_alert(session, ward.patient).status == "acknowledged"  # who handled it stays history


def test_acknowledgement_before_caregiver_2_was_reached_leaves_caregiver_2_alone(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    acknowledge(session, only_alert(session, ward.patient), ward.ann, via="sms", now=ward.t0 + 11 * MINUTE)
    session.commit()
    tick(ward.t0 + 60 * MINUTE)
    assert [o.recipient for o in outbox(session)] == ["patient", "Ann", "patient"]


def test_second_acknowledgement_changes_nothing(session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    tick(ward.t0 + 20 * MINUTE)
    acknowledge(session, only_alert(session, ward.patient), ward.ann, via="sms", now=ward.t0 + 21 * MINUTE)
    session.commit()
    before = outbox(session)
    ids = acknowledge(session, only_alert(session, ward.patient), ward.bob, via="sms", now=ward.t0 + 22 * MINUTE)
    session.commit()
    assert ids == []
    assert outbox(session) == before
    assert only_alert(session, ward.patient).acknowledged_by == ward.ann.id


def test_next_missed_dose_after_a_closed_alert_opens_a_new_escalation(
        session: Session, ward: Ward, tick: Tick) -> None:
    tick(ward.t0)
    record_dose(session, ward.patient, taken_at=ward.t0 + MINUTE, source="app", now=ward.t0 + MINUTE, windows=WINDOWS, policy=POLICY)
    session.commit()
    evening = pending_dose(session, ward.patient)
    report = tick(evening.check_at)
    assert (report.missed_doses, report.alerts_opened) == (1, 1)
    assert [o.kind for o in outbox(session)] == ["reminder", "reminder"]

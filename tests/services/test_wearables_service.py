"""Wearables end to end, on SQLite and PostgreSQL: what caregivers are told when a device sees
slow breathing, a seizure, a pump alarm, silence, or a refill day coming.

Readings and events go in through the HTTP API with a device token, as a watch would send them;
the assertions are on the outbox (who is told what, on which channel) and the alerts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Alert, DeviceEvent, Dose, DoseEvent, Patient, Reading, VitalFinding
from alerts.services.admin import update_patient
from alerts.services.tick import TickReport, run_tick
from tests.conftest import NOW
from tests.services.support import MINUTE, SECOND, Ward, add_second_medicine, bodies, notifications, read, sent
from tests.support.settings import POLICY, TICK

NIGHT = NOW + timedelta(hours=19)  # 03:00 the next night in New York


@pytest.fixture
def api(any_app: Flask, ward: Ward, make_token, session: Session) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """POST as Rosa's watch (a device token) at a frozen instant; returns the response."""
    client: FlaskClient = any_app.test_client()
    watch = {"Authorization": f"Bearer {make_token(ward.patient, role='device', name='Rosa watch')}"}
    admin = {"Authorization": f"Bearer {make_token(role='admin', name='clinic')}"}
    session.commit()

    def post(path: str, body: Any, at: datetime, *, as_admin: bool = False, method: str = "post") -> Any:
        with freeze_time(at):
            return client.open(f"/v1{path}", method=method, json=body, headers=admin if as_admin else watch)

    yield post


@pytest.fixture
def tick(sessions) -> Callable[[datetime], TickReport]:  # type: ignore[no-untyped-def]
    return lambda now: run_tick(sessions, now, **TICK)


def breathing(*points: tuple[timedelta, float], start: datetime = NIGHT) -> dict[str, Any]:
    return {"readings": [{"kind": "respiratory_rate", "value": v, "unit": "/min", "device_id": "watch-1",
                          "measured_at": (start + offset).isoformat()} for offset, v in points]}


def set_clinical(session: Session, patient: Patient, **settings: Any) -> None:
    row = session.get(Patient, patient.id)
    assert row is not None
    row.clinical_settings = settings
    session.commit()


def emergency_outbox(session: Session) -> list[tuple[str, str, str, int | None]]:
    return sorted(sent(session, kind="emergency"))


EVERYONE_AT_ONCE = sorted([
    ("emergency", "patient", "sms", 0),
    ("emergency", "Ann", "sms", 0), ("emergency", "Ann", "voice", 0),
    ("emergency", "Bob", "sms", 0), ("emergency", "Bob", "voice", 0),
])


# -- slow breathing --------------------------------------------------------------------------------


def test_a_slow_breathing_series_from_the_watch_texts_and_calls_everyone_at_once(
        session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    series = breathing((-4 * MINUTE, 7), (-2 * MINUTE, 6), (timedelta(0), 7))

    response = api(f"/patients/{ward.patient.id}/readings", series, NIGHT + 30 * SECOND)

    assert response.status_code == 201
    assert response.json["findings"] == ["slow_breathing"]
    assert response.json["alert_id"] is not None
    assert emergency_outbox(session) == EVERYONE_AT_ONCE
    assert "Call 911 now" in bodies(session, recipient_kind="patient")[0]
    for text in bodies(session, recipient_kind="caregiver", channel="sms"):
        assert "slow breathing (6/min on the wearable)" in text and "Call 911" in text
    alert = read(session, select(Alert))[0]
    assert (alert.kind, alert.details["verdict"]) == ("emergency", "possible_toxicity")
    assert "respiratory rate 6/min" in alert.details["reasons"][0]


def test_one_slow_reading_between_normal_ones_wakes_no_one(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    series = breathing((-4 * MINUTE, 14), (-2 * MINUTE, 5), (timedelta(0), 15), (MINUTE, 14))

    response = api(f"/patients/{ward.patient.id}/readings", series, NIGHT + 2 * MINUTE)

    assert (response.json["findings"], response.json["alert_id"]) == ([], None)
    assert notifications(session) == []


def test_slow_breathing_sent_one_reading_at_a_time_is_sustained_on_the_third(
        session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    answers = [api(f"/patients/{ward.patient.id}/readings", breathing((m * MINUTE, 7)), NIGHT + m * MINUTE)
               for m in (0, 2, 4)]

    assert [a.json["alert_id"] is not None for a in answers] == [False, False, True]
    assert emergency_outbox(session) == EVERYONE_AT_ONCE


def test_three_slow_readings_over_six_minutes_are_not_sustained(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    api(f"/patients/{ward.patient.id}/readings", breathing((0 * MINUTE, 7), (3 * MINUTE, 7), (6 * MINUTE, 7)),
        NIGHT + 6 * MINUTE)

    assert notifications(session) == []


def test_the_same_batch_sent_twice_raises_one_emergency(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    series = breathing((0 * MINUTE, 7), (MINUTE, 6), (2 * MINUTE, 7))
    api(f"/patients/{ward.patient.id}/readings", series, NIGHT + 2 * MINUTE)

    again = api(f"/patients/{ward.patient.id}/readings", series, NIGHT + 3 * MINUTE)

    assert (again.json["stored"], again.json["duplicates"]) == (0, 3)
    assert len(read(session, select(Alert))) == 1
    assert emergency_outbox(session) == EVERYONE_AT_ONCE


def test_a_clinician_can_widen_the_window_for_one_patient(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    set_clinical(session, ward.patient, sustained_window_minutes=10)

    api(f"/patients/{ward.patient.id}/readings", breathing((0 * MINUTE, 7), (4 * MINUTE, 7), (8 * MINUTE, 7)),
        NIGHT + 8 * MINUTE)

    assert emergency_outbox(session) == EVERYONE_AT_ONCE


def test_a_fever_the_watch_saw_tips_a_seizure_check_ins_assessment_to_withdrawal(
        session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    fever = {"readings": [{"kind": "body_temperature", "value": v, "unit": "[degF]",
                           "measured_at": (NIGHT + m * MINUTE).isoformat()} for m, v in ((0, 102.6), (1, 102.8), (2, 103))]}
    response = api(f"/patients/{ward.patient.id}/readings", fever, NIGHT + 2 * MINUTE)
    assert response.json["findings"] == ["fever"]
    # Fever is a withdrawal sign (table, Accompanying Symptoms): urgent to the caregivers, not 911.
    assert {(n.kind, n.channel) for n in notifications(session)} == {("urgent", "sms")}
    assert response.json["alert_id"] == read(session, select(Alert.id).where(Alert.kind == "urgent"))[0]

    # A seizure is in both columns of the brief's table: the fever decides the verdict.
    from alerts.services.checkins import record_checkin

    record_checkin(session, read(session, select(Patient).where(Patient.id == ward.patient.id))[0],
                   recorded_at=NIGHT + 5 * MINUTE, symptoms={"seizure": 1}, note=None, source="app",
                   now=NIGHT + 5 * MINUTE, policy=POLICY)
    session.commit()

    alert = read(session, select(Alert).where(Alert.kind == "emergency"))[0]
    assert alert.details["verdict"] == "possible_withdrawal"
    assert any("fever" in r for r in alert.details["assessment"]["withdrawal"])
    assert [f.key for f in read(session, select(VitalFinding))] == ["fever"]


# -- device events ---------------------------------------------------------------------------------


def seizure(at: datetime = NIGHT, **extra: Any) -> dict[str, Any]:
    return {"kind": "seizure", "occurred_at": at.isoformat(), "device_id": "watch-1", "confidence": 0.93, **extra}


def test_a_seizure_detected_by_the_watch_is_an_emergency_at_once(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    response = api(f"/patients/{ward.patient.id}/device-events", seizure(), NIGHT + SECOND)

    assert response.status_code == 201
    assert response.json["status"] == "raised" and response.json["alert_id"] is not None
    assert emergency_outbox(session) == EVERYONE_AT_ONCE
    for text in bodies(session, recipient_kind="caregiver", channel="sms"):
        assert "a seizure detected by the wearable" in text


def test_a_seizure_cancelled_within_its_window_sends_nothing(session: Session, ward: Ward, api, tick) -> None:  # type: ignore[no-untyped-def]
    set_clinical(session, ward.patient, seizure_cancel_seconds=30)
    event = api(f"/patients/{ward.patient.id}/device-events", seizure(), NIGHT).json
    assert (event["status"], event["raise_at"]) == ("pending", (NIGHT + 30 * SECOND).isoformat().replace("+00:00", "Z"))
    assert notifications(session) == []

    cancel = api(f"/patients/{ward.patient.id}/device-events/{event['id']}/cancel", None, NIGHT + 20 * SECOND)
    tick(NIGHT + 31 * SECOND)

    assert cancel.status_code == 200 and cancel.json["status"] == "cancelled"
    assert sent(session, kind="emergency") == []


def test_an_uncancelled_seizure_is_raised_by_the_tick_when_its_window_passes(
        session: Session, ward: Ward, api, tick) -> None:  # type: ignore[no-untyped-def]
    set_clinical(session, ward.patient, seizure_cancel_seconds=30)
    event = api(f"/patients/{ward.patient.id}/device-events", seizure(), NIGHT).json

    before = tick(NIGHT + 29 * SECOND)
    assert (before.seizures_raised, sent(session, kind="emergency")) == (0, [])
    at_window = tick(NIGHT + 30 * SECOND)
    late_cancel = api(f"/patients/{ward.patient.id}/device-events/{event['id']}/cancel", None, NIGHT + 31 * SECOND)

    assert at_window.seizures_raised == 1
    assert emergency_outbox(session) == EVERYONE_AT_ONCE
    assert late_cancel.status_code == 409
    assert read(session, select(DeviceEvent.status)) == ["raised"]


def test_a_seizure_synced_hours_later_is_recorded_not_a_911_call(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    response = api(f"/patients/{ward.patient.id}/device-events", seizure(NIGHT), NIGHT + 3 * timedelta(hours=1))

    assert response.json["status"] == "recorded"
    assert notifications(session) == []


def test_a_pump_alarm_is_a_withdrawal_risk_emergency(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    row = session.get(Patient, ward.patient.id)
    assert row is not None
    row.intrathecal_pump = True
    session.commit()
    alarm = {"kind": "pump_low_reservoir", "occurred_at": NIGHT.isoformat(), "device_id": "pump-1"}

    response = api(f"/patients/{ward.patient.id}/device-events", alarm, NIGHT + SECOND)

    assert response.status_code == 201 and response.json["status"] == "raised"
    assert emergency_outbox(session) == EVERYONE_AT_ONCE
    alert = read(session, select(Alert))[0]
    assert alert.details["codes"] == ["pump_low_reservoir"]
    assert alert.details["verdict"] == "possible_withdrawal"
    for text in bodies(session, recipient_kind="caregiver", channel="sms"):
        assert "baclofen pump reservoir low (possible withdrawal)" in text


def test_the_smart_pill_bottle_opened_is_the_dose_taken(session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    opened = {"kind": "pill_bottle_opened", "occurred_at": (ward.due + 2 * MINUTE).isoformat(),
              "device_id": "bottle-1", "event_id": "open-0001"}

    first = api(f"/patients/{ward.patient.id}/device-events", opened, ward.due + 3 * MINUTE)
    again = api(f"/patients/{ward.patient.id}/device-events", opened, ward.due + 4 * MINUTE)

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    [event] = read(session, select(DoseEvent))
    assert (event.source, event.taken_at) == ("device", ward.due + 2 * MINUTE)
    assert read(session, select(Dose.status).where(Dose.due_at == ward.due)) == ["taken"]


def test_a_pill_bottle_registered_for_a_medicine_records_that_medicine_unless_the_event_names_another(
        session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    # Rosa's 14:00 baclofen and 14:00 metformin are due together: only the bottle knows which was opened.
    baclofen, metformin = add_second_medicine(session, ward.patient, ward.schedule, ["14:00"], now=NOW)
    register = {"external_id": "bottle-m", "kind": "pill_bottle", "medication_id": metformin.id}
    registered = api(f"/admin/patients/{ward.patient.id}/devices", register, NOW, as_admin=True, method="put")
    at = ward.due + 2 * MINUTE

    from_bottle = api(f"/patients/{ward.patient.id}/device-events",
                      {"kind": "pill_bottle_opened", "occurred_at": at.isoformat(), "device_id": "bottle-m"}, at)
    named = api(f"/patients/{ward.patient.id}/device-events",
                {"kind": "pill_bottle_opened", "occurred_at": (at + MINUTE).isoformat(), "device_id": "bottle-m",
                 "medication": {"name": "Baclofen"}}, at + MINUTE)

    assert (registered.status_code, registered.json["medication_id"]) == (200, metformin.id)
    assert from_bottle.status_code == named.status_code == 201
    events = read(session, select(DoseEvent).order_by(DoseEvent.id))
    assert [(e.medication_id, e.medication_basis) for e in events] == [(metformin.id, "given"), (baclofen.id, "given")]
    due_now = read(session, select(Dose).where(Dose.due_at == ward.due).order_by(Dose.schedule_id))
    assert [d.status for d in due_now] == ["taken", "taken"]


# -- a device gone silent --------------------------------------------------------------------------


def test_a_silent_wearable_is_announced_once_and_re_armed_when_it_reports(
        session: Session, ward: Ward, api, tick) -> None:  # type: ignore[no-untyped-def]
    register = {"external_id": "watch-1", "kind": "wearable", "expected_interval_minutes": 15}
    assert api(f"/admin/patients/{ward.patient.id}/devices", register, NIGHT, as_admin=True,
               method="put").status_code == 200
    api(f"/patients/{ward.patient.id}/readings", breathing((timedelta(0), 14)), NIGHT)

    assert tick(NIGHT + 14 * MINUTE).devices_offline == 0
    assert tick(NIGHT + 15 * MINUTE).devices_offline == 1
    tick(NIGHT + 60 * MINUTE)
    assert sent(session, kind="device_offline") == [("device_offline", "Ann", "sms", None),
                                                   ("device_offline", "Bob", "sms", None)]
    assert "wearable (watch-1) has not reported since 03:00 (2026-06-16)" in bodies(session, kind="device_offline")[0]

    api(f"/patients/{ward.patient.id}/readings", breathing((70 * MINUTE, 14)), NIGHT + 70 * MINUTE)
    tick(NIGHT + 84 * MINUTE)
    assert len(sent(session, kind="device_offline")) == 2
    tick(NIGHT + 85 * MINUTE)
    assert len(sent(session, kind="device_offline")) == 4


# -- pump refill reminders -------------------------------------------------------------------------


def test_pump_refill_reminders_go_out_seven_days_two_days_and_on_the_day_at_nine_local_once_each(
        session: Session, ward: Ward, api, tick) -> None:  # type: ignore[no-untyped-def]
    # NOW is Monday 15 June 2026, 08:00 in New York (EDT, UTC-4): the refill is the next Monday.
    refill = {"kind": "pump_refill_scheduled", "occurred_at": NOW.isoformat(), "device_id": "pump-1",
              "refill_date": "2026-06-22"}
    assert api(f"/patients/{ward.patient.id}/device-events", refill, NOW).status_code == 201

    def reminders() -> list[tuple[str, str]]:
        return [(who, body) for (_, who, _, _), body in zip(sent(session, kind="pump_refill"),
                                                            bodies(session, kind="pump_refill"), strict=True)]

    nine_local = [datetime(2026, 6, d, 13, 0, tzinfo=UTC) for d in (15, 20, 22)]
    counts = []
    for at in nine_local:
        tick(at - MINUTE)
        counts.append(len(reminders()))
        tick(at)
        tick(at + timedelta(hours=3))
        counts.append(len(reminders()))
    tick(datetime(2026, 6, 23, 13, 0, tzinfo=UTC))

    assert counts == [0, 3, 3, 6, 6, 9]
    assert len(reminders()) == 9
    texts = [body for who, body in reminders() if who == "Ann"]
    assert "due in 7 days, on 2026-06-22" in texts[0]
    assert "due in 2 days, on 2026-06-22" in texts[1]
    assert "due today (2026-06-22)" in texts[2]
    assert {who for who, _ in reminders()} == {"patient", "Ann", "Bob"}


def test_a_refill_date_set_late_skips_the_reminders_already_past(session: Session, ward: Ward, api, tick) -> None:  # type: ignore[no-untyped-def]
    refill = {"kind": "pump_refill_scheduled", "occurred_at": NOW.isoformat(), "device_id": "pump-1",
              "refill_date": date(2026, 6, 16).isoformat()}  # tomorrow: only "today" is still to come

    api(f"/patients/{ward.patient.id}/device-events", refill, NOW)
    for day in (15, 16, 17):
        tick(datetime(2026, 6, day, 14, 0, tzinfo=UTC))

    assert [b.split(" is ")[1][:9] for b in bodies(session, kind="pump_refill", recipient_kind="patient")] == ["due today"]


def test_a_zone_change_moves_the_pump_refill_reminders_to_nine_in_the_new_zone(
        session: Session, ward: Ward, api, tick) -> None:  # type: ignore[no-untyped-def]
    refill = {"kind": "pump_refill_scheduled", "occurred_at": NOW.isoformat(), "device_id": "pump-1",
              "refill_date": "2026-06-22"}
    api(f"/patients/{ward.patient.id}/device-events", refill, NOW)  # first reminder: today 09:00 New York
    update_patient(session, ward.patient, {"timezone": "America/Los_Angeles"}, NOW)
    session.commit()

    counts = []
    for day in (15, 20, 22):
        tick(datetime(2026, 6, day, 13, 0, tzinfo=UTC))  # 09:00 in New York, 06:00 in Los Angeles
        counts.append(len(sent(session, kind="pump_refill")))
        tick(datetime(2026, 6, day, 16, 0, tzinfo=UTC))  # 09:00 in Los Angeles
        counts.append(len(sent(session, kind="pump_refill")))

    assert counts == [0, 3, 3, 6, 6, 9]  # patient, Ann and Bob, each time at 09:00 in Los Angeles


def test_a_batch_overlapping_one_already_stored_stores_only_the_new_readings(
        session: Session, ward: Ward, api) -> None:  # type: ignore[no-untyped-def]
    first = breathing(*[(m * MINUTE, 14) for m in range(3)])
    both = breathing(*[(m * MINUTE, 14) for m in range(5)])

    api(f"/patients/{ward.patient.id}/readings", first, NIGHT + 3 * MINUTE)
    response = api(f"/patients/{ward.patient.id}/readings", both, NIGHT + 5 * MINUTE)

    assert (response.json["stored"], response.json["duplicates"]) == (2, 3)
    assert len(read(session, select(Reading))) == 5

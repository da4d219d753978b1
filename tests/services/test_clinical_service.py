"""Clinical rules carried out: what a check-in, a dose or the tick makes dosewatch send.

Rosa (the ``ward``: New York, 08:00/14:00/20:00, caregivers Ann then Bob) is the patient
throughout. ``NOW`` is 08:00 in New York, when her first dose is due. Every test asserts on the
outbox: who is told what, on which channel, at which escalation step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.clinical.history import validate_overrides
from alerts.models import Alert, Caregiver, Notification, Patient
from alerts.services import alerts as alert_service
from alerts.services.checkins import record_checkin
from alerts.services.doses import record_dose
from alerts.services.tick import TickReport
from tests.conftest import NOW
from tests.services.support import MINUTE, Ward, bodies, notifications, read, sent
from tests.support.settings import POLICY, TICK, WINDOWS

HOUR = timedelta(hours=1)


@pytest.fixture
def check_in(session: Session) -> Callable[..., list[int]]:
    """Record a check-in for a patient at ``at`` (default NOW) as the API does; returns outbox ids."""

    def post(patient: Patient, at: datetime = NOW, supply_problem: str | None = None, **symptoms: int) -> list[int]:
        result = record_checkin(session, patient, recorded_at=at, symptoms=symptoms, note=None, source="app",
                                now=at, supply_problem=supply_problem, policy=POLICY)
        session.commit()
        return list(result.notification_ids)

    return post


@pytest.fixture
def take_dose(session: Session) -> Callable[..., list[int]]:
    def take(patient: Patient, at: datetime, dose_mg: str | None = None) -> list[int]:
        result = record_dose(session, patient, taken_at=at, source="app", now=at,
                             dose_mg=Decimal(dose_mg) if dose_mg else None, policy=POLICY, windows=WINDOWS)
        session.commit()
        return list(result.notification_ids)

    return take


@pytest.fixture
def clinical_tick(tick: Callable[..., TickReport], sessions) -> Callable[[datetime], TickReport]:  # type: ignore[no-untyped-def]
    from alerts.services.tick import run_tick

    return lambda now: run_tick(sessions, now, **TICK)


def open_alerts(session: Session, patient: Patient) -> dict[str, Alert]:
    """Open alerts by key, and by each piece of evidence joined to them ("withdrawal_risk:supply")."""
    alerts = read(session, select(Alert).where(Alert.patient_id == patient.id, Alert.status == "open"))
    return {key: a for a in alerts for key in [a.condition_key, *(a.details or {}).get("evidence", [])]}


# -- red flags: emergency ---------------------------------------------------------------------------


def test_seizure_checkin_texts_and_calls_every_caregiver_and_tells_the_patient_to_call_911_at_once(
        session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    ids = check_in(ward.patient, seizure=1)

    assert ids, "the emergency's messages are queued in the check-in's own transaction"
    assert sorted(sent(session, kind="emergency")) == sorted([
        ("emergency", "patient", "sms", 0),
        ("emergency", "Ann", "sms", 0), ("emergency", "Ann", "voice", 0),
        ("emergency", "Bob", "sms", 0), ("emergency", "Bob", "voice", 0),
    ])
    assert all(n.urgent for n in notifications(session))
    patient_text, = bodies(session, recipient_kind="patient")
    assert "Call 911 now" in patient_text
    for text in bodies(session, recipient_kind="caregiver", channel="sms"):
        assert "a seizure" in text and "Call 911" in text and "reply OK" in text
    for script in bodies(session, channel="voice"):
        assert "911" in script and "Press 1" in script


@pytest.mark.parametrize("symptoms", [
    {"seizure": 1}, {"drowsiness": 9}, {"unresponsive": 1}, {"breathing_difficulty": 1}, {"confusion": 8},
], ids=lambda s: next(iter(s)))
def test_each_emergency_sign_of_the_brief_opens_an_emergency(
        session: Session, ward: Ward, check_in, symptoms: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, **symptoms)

    assert set(open_alerts(session, ward.patient)) == {"emergency"}


def test_emergency_repeats_to_caregivers_every_few_minutes_until_one_acknowledges(
        session: Session, ward: Ward, check_in, clinical_tick) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, breathing_difficulty=6)

    clinical_tick(NOW + 4 * MINUTE)
    assert len(sent(session, kind="emergency")) == 5, "nothing repeats before the interval"
    clinical_tick(NOW + 5 * MINUTE)
    clinical_tick(NOW + 10 * MINUTE)
    repeats = [r for r in sent(session, kind="emergency") if r[3] != 0]
    assert sorted(repeats) == sorted([(k, who, ch, step) for step in (1, 2) for who in ("Ann", "Bob")
                                      for k, ch in (("emergency", "sms"), ("emergency", "voice"))]), \
        "repeats go to the caregivers only, by SMS and call; the patient was told once"

    alert = open_alerts(session, ward.patient)["emergency"]
    alert_service.acknowledge(session, session.get(Alert, alert.id), session.get(Caregiver, ward.ann.id),
                              via="sms", now=NOW + 11 * MINUTE)
    session.commit()
    before = len(sent(session, kind="emergency"))
    clinical_tick(NOW + 60 * MINUTE)
    assert len(sent(session, kind="emergency")) == before, "no repeat after an acknowledgement"
    assert sent(session, kind="all_clear") == [("all_clear", "patient", "sms", None),
                                               ("all_clear", "Bob", "sms", None)]


def test_a_second_red_flag_while_the_emergency_is_open_does_not_open_another(
        session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, seizure=1)
    assert check_in(ward.patient, NOW + MINUTE, seizure=1, confusion=9) == []

    assert len(read(session, select(Alert))) == 1


def test_emergency_carries_the_withdrawal_or_toxicity_assessment(
        session: Session, ward: Ward, check_in, make_patient, make_caregiver) -> None:  # type: ignore[no-untyped-def]
    # Renal impairment: "at an increased risk of baclofen toxicity" (brief); sedation is toxicity's
    # mental status row.
    kidney = make_patient(name="Iris", renal_impairment=True)
    make_caregiver(kidney, name="Jo")
    check_in(kidney, drowsiness=9)

    alert = open_alerts(session, kidney)["emergency"]
    assert alert.details["verdict"] == "possible_toxicity"
    assert any("renal impairment" in r for r in alert.details["assessment"]["toxicity"])
    text, = bodies(session, recipient_kind="caregiver", channel="sms")
    assert "possible toxicity" in text


# -- serious, not 911: urgent -------------------------------------------------------------------------


@pytest.mark.parametrize("symptoms", [
    {"hallucinations": 3}, {"paranoia": 2}, {"agitation": 6}, {"fever": 4}, {"fast_heart_rate": 5},
    {"spasms": 8},
], ids=lambda s: next(iter(s)))
def test_serious_signs_alert_every_caregiver_urgently_by_sms(
        session: Session, ward: Ward, check_in, symptoms: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, **symptoms)

    assert sorted(sent(session)) == [("urgent", "Ann", "sms", 0), ("urgent", "Bob", "sms", 0)]
    for text in bodies(session):
        assert text.startswith("dosewatch URGENT") and "possible withdrawal" in text


def test_urgent_alert_repeats_a_bounded_number_of_times(
        session: Session, ward: Ward, check_in, clinical_tick) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, hallucinations=5)
    for minutes in (15, 30, 45, 60, 75):
        clinical_tick(NOW + minutes * MINUTE)

    steps = sorted({step for *_, step in sent(session, kind="urgent")})
    assert steps == [0, 1, 2], "the first alert and two repeats (URGENT_MAX_REPEATS=2), then it waits for an ack"


def test_mild_symptoms_are_recorded_without_an_alert(session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    assert check_in(ward.patient, tremor=2, drowsiness=3, spasms=4) == []
    assert read(session, select(Alert)) == []


# -- dose-pattern risks ---------------------------------------------------------------------------------


def test_running_out_warns_caregivers_of_withdrawal_never_to_stop_abruptly(
        session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, supply_problem="ran_out")

    assert sorted(sent(session)) == [("withdrawal_risk", "Ann", "sms", 0), ("withdrawal_risk", "Bob", "sms", 0)]
    for text in bodies(session):
        assert "ran out of baclofen" in text
        assert "Never stop baclofen abruptly" in text and "do not take extra to catch up" in text
        assert "contact the prescriber today" in text


def test_an_acknowledged_condition_re_arms_and_alerts_again_on_new_evidence(
        session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, supply_problem="no_refill")
    assert check_in(ward.patient, NOW + MINUTE, supply_problem="no_refill") == [], "open: no re-alert"
    alert = open_alerts(session, ward.patient)["withdrawal_risk:supply"]
    alert_service.acknowledge(session, session.get(Alert, alert.id), session.get(Caregiver, ward.ann.id),
                              via="sms", now=NOW + 2 * MINUTE)
    session.commit()

    assert check_in(ward.patient, NOW + HOUR, supply_problem="no_refill")
    assert "withdrawal_risk:supply" in open_alerts(session, ward.patient)


def test_one_missed_dose_is_a_reminder_but_two_in_a_row_is_a_withdrawal_risk(
        session: Session, ward: Ward, clinical_tick) -> None:  # type: ignore[no-untyped-def]
    clinical_tick(ward.t0)  # the 08:00 dose is missed
    assert "withdrawal_risk:missed_doses" not in open_alerts(session, ward.patient)

    clinical_tick(ward.t0 + 6 * HOUR - MINUTE)  # one minute before the 14:00 dose's grace ends
    assert "withdrawal_risk:missed_doses" not in open_alerts(session, ward.patient)

    clinical_tick(ward.t0 + 6 * HOUR)  # the 14:00 dose is missed too: two in a row
    alert = open_alerts(session, ward.patient)["withdrawal_risk:missed_doses"]
    assert alert.details["facts"] == {"count": "2"}
    texts = bodies(session, kind="withdrawal_risk")
    assert len(texts) == 2 and all("2 doses missed in a row" in t for t in texts)


def test_a_dose_taken_closes_the_missed_doses_risk_with_an_all_clear(
        session: Session, ward: Ward, clinical_tick, take_dose) -> None:  # type: ignore[no-untyped-def]
    clinical_tick(ward.t0)
    clinical_tick(ward.t0 + 6 * HOUR)
    take_dose(ward.patient, ward.t0 + 6 * HOUR + 5 * MINUTE)

    assert "withdrawal_risk:missed_doses" not in open_alerts(session, ward.patient)
    risk_alert, = [a for a in read(session, select(Alert))
                   if a.details.get("evidence") == ["withdrawal_risk:missed_doses"]]
    assert risk_alert.close_reason == "dose_taken"
    told = [r[1] for r in sent(session, kind="all_clear", alert_id=risk_alert.id)]
    assert sorted(told) == ["Ann", "Bob"]


def test_running_out_while_missed_doses_are_open_joins_the_one_withdrawal_alert(
        session: Session, ward: Ward, clinical_tick, check_in, take_dose) -> None:  # type: ignore[no-untyped-def]
    clinical_tick(ward.t0)
    clinical_tick(ward.t0 + 6 * HOUR)  # two missed in a row: a withdrawal risk
    assert check_in(ward.patient, ward.t0 + 6 * HOUR + MINUTE, supply_problem="ran_out") == [], \
        "the same situation: no second alert, no second round of texts"

    (alert,) = [a for a in read(session, select(Alert)) if a.kind == "withdrawal_risk"]
    assert alert.details["evidence"] == ["withdrawal_risk:missed_doses", "withdrawal_risk:supply"]
    assert alert.details["codes"] == ["missed_doses", "ran_out"]
    assert len(bodies(session, kind="withdrawal_risk")) == 2

    # A dose taken ends the missed doses, not running out: the alert stays open.
    take_dose(ward.patient, ward.t0 + 6 * HOUR + 5 * MINUTE)
    assert open_alerts(session, ward.patient)["withdrawal_risk"].id == alert.id


def test_the_reminder_of_a_joined_withdrawal_alert_carries_every_reason(
        session: Session, ward: Ward, clinical_tick, check_in) -> None:  # type: ignore[no-untyped-def]
    clinical_tick(ward.t0)
    opened = ward.t0 + 6 * HOUR - 10 * MINUTE
    check_in(ward.patient, opened, supply_problem="no_refill")
    clinical_tick(ward.t0 + 6 * HOUR)  # two missed in a row join the open supply alert
    clinical_tick(opened + POLICY.risk_reminder_minutes * MINUTE)  # its reminder

    reminders = [t for t in bodies(session, kind="withdrawal_risk") if "missed in a row" in t]
    assert len(reminders) == 2 and all("cannot get a refill" in t for t in reminders)


@pytest.fixture
def once_daily(session: Session, make_patient, make_caregiver, make_schedule) -> Patient:  # type: ignore[no-untyped-def]
    """Lena takes one 20 mg dose at 08:00 New York time, which she took today (at NOW)."""
    patient = make_patient(name="Lena")
    make_caregiver(patient, name="Max")
    make_schedule(patient, ["08:00"], dose_mg=Decimal("20"), now=NOW - MINUTE)
    return patient


def test_no_dose_for_the_whole_window_is_a_withdrawal_risk_exactly_at_the_window(
        session: Session, once_daily: Patient, take_dose, clinical_tick) -> None:  # type: ignore[no-untyped-def]
    take_dose(once_daily, NOW)

    clinical_tick(NOW + 24 * HOUR - MINUTE)
    assert "withdrawal_risk:no_dose" not in open_alerts(session, once_daily)
    clinical_tick(NOW + 24 * HOUR)
    assert "withdrawal_risk:no_dose" in open_alerts(session, once_daily)
    text, = bodies(session, kind="withdrawal_risk")
    assert "no dose recorded for 24 h" in text


def test_a_clinician_can_shorten_the_no_dose_window_for_one_patient(
        session: Session, once_daily: Patient, take_dose, clinical_tick) -> None:  # type: ignore[no-untyped-def]
    once_daily.clinical_settings = validate_overrides({"no_dose_window_hours": 12})
    session.commit()
    take_dose(once_daily, NOW)

    clinical_tick(NOW + 12 * HOUR)
    assert "withdrawal_risk:no_dose" in open_alerts(session, once_daily)


def test_unknown_or_out_of_range_clinical_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown clinical setting"):
        validate_overrides({"no_dose_window": 12})
    with pytest.raises(ValueError, match="no_dose_window_hours must be positive"):
        validate_overrides({"no_dose_window_hours": 0})


def test_a_dose_taken_again_well_inside_the_interval_is_a_toxicity_risk(
        session: Session, ward: Ward, take_dose) -> None:  # type: ignore[no-untyped-def]
    take_dose(ward.patient, NOW)
    assert take_dose(ward.patient, NOW + 2 * HOUR - MINUTE)  # interval 6 h; half of it is 3 h

    assert "toxicity_risk:too_soon" in open_alerts(session, ward.patient)
    for text in bodies(session, kind="toxicity_risk"):
        assert "may have taken more baclofen than prescribed" in text and "1 h 59 min" in text


def test_a_dose_exactly_half_an_interval_later_is_not_too_soon(
        session: Session, ward: Ward, take_dose) -> None:  # type: ignore[no-untyped-def]
    take_dose(ward.patient, NOW)
    take_dose(ward.patient, NOW + 3 * HOUR)

    assert "toxicity_risk:too_soon" not in open_alerts(session, ward.patient)


def test_more_than_the_prescribed_daily_total_is_a_toxicity_risk(
        session: Session, ward: Ward, take_dose) -> None:  # type: ignore[no-untyped-def]
    # Prescribed 3 x 10 mg; 20 + 15 mg in one New York day is over it, with no dose too soon.
    take_dose(ward.patient, NOW, "20")
    take_dose(ward.patient, NOW + 4 * HOUR, "15")

    alert = open_alerts(session, ward.patient)["toxicity_risk:over_daily_total"]
    assert alert.details["facts"] == {"taken_mg": "35", "daily_mg": "30"}


def test_new_or_worsening_twitches_prompt_a_doctors_visit_not_an_emergency(
        session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, NOW - 20 * HOUR, twitching=2)
    check_in(ward.patient, NOW, twitching=5)

    assert set(open_alerts(session, ward.patient)) == {"consult_soon:worsening_twitches"}
    assert sorted(sent(session)) == [("consult_soon", "Ann", "sms", 0), ("consult_soon", "Bob", "sms", 0),
                                     ("consult_soon", "patient", "sms", 0)]
    patient_text, = bodies(session, recipient_kind="patient")
    assert "worse twitches" in patient_text and "contact your doctor" in patient_text
    assert not any(n.urgent for n in notifications(session))


def test_worsening_twitches_while_a_withdrawal_alert_is_open_join_it_one_alert_one_text_each(
        session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, NOW - 20 * HOUR, twitching=2)
    check_in(ward.patient, NOW - MINUTE, supply_problem="ran_out")
    check_in(ward.patient, NOW, twitching=6)

    (alert,) = read(session, select(Alert).where(Alert.status == "open"))
    assert (alert.kind, alert.details["evidence"]) == (
        "withdrawal_risk", ["withdrawal_risk:supply", "consult_soon:worsening_twitches"])
    assert any(r.startswith("twitching ") for r in alert.details["reasons"])
    assert sorted(sent(session)) == [("withdrawal_risk", "Ann", "sms", 0), ("withdrawal_risk", "Bob", "sms", 0)]
    assert check_in(ward.patient, NOW + MINUTE, twitching=8) == [], "joined: the prompt does not open later either"


def test_steady_twitches_prompt_nothing(session: Session, ward: Ward, check_in) -> None:  # type: ignore[no-untyped-def]
    check_in(ward.patient, NOW - 20 * HOUR, twitching=4)
    check_in(ward.patient, NOW, twitching=5)

    assert open_alerts(session, ward.patient) == {}


def test_no_clinical_message_advises_changing_a_dose(
        session: Session, ward: Ward, check_in, take_dose, clinical_tick) -> None:  # type: ignore[no-untyped-def]
    from alerts.domain.clinical.safety import advice_violations

    check_in(ward.patient, NOW - 20 * HOUR, twitching=1)
    # The prompt first: worsening twitches after a withdrawal alert opened would join it.
    check_in(ward.patient, NOW - MINUTE, twitching=6)
    check_in(ward.patient, NOW, hallucinations=2, supply_problem="ran_out")
    take_dose(ward.patient, NOW)
    take_dose(ward.patient, NOW + HOUR, "25")
    check_in(ward.patient, NOW + HOUR, seizure=1)
    clinical_tick(NOW + 10 * MINUTE + HOUR)

    texts = [n.body for n in read(session, select(Notification))]
    assert {n.kind for n in read(session, select(Notification))} >= {
        "consult_soon", "urgent", "withdrawal_risk", "toxicity_risk", "emergency"}
    assert [(t, advice_violations(t)) for t in texts if advice_violations(t)] == []

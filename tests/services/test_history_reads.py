"""What a dose or a check-in reads of the patient's history, now that those reads are bounded.

A check-in reads only the check-ins its rules compare (the one just before it, the latest two, the
latest report of each supply problem), and a dose reads only doses (``services.checkins``,
``services.clinical.evaluate_dose``), so their cost does not grow with how often the patient checks
in. These tests pin that the rules still see everything they need: earlier rows are written
straight into the tables (as history, unevaluated), then one dose or check-in goes through the
service, on SQLite and on PostgreSQL.

Rosa is the ``ward`` (New York, 08:00/14:00/20:00, 10 mg; caregivers Ann and Bob); ``NOW`` is 08:00
in New York.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.models import Alert, CheckIn, DoseEvent, Patient
from alerts.services.checkins import record_checkin
from alerts.services.doses import record_dose
from tests.conftest import NOW
from tests.services.support import Ward, read
from tests.support.settings import POLICY, WINDOWS

HOUR = timedelta(hours=1)


def history_checkins(session: Session, patient: Patient, *rows: tuple[datetime, dict[str, int], str | None]) -> None:
    """Earlier check-ins as stored rows (recorded at, symptoms, supply problem), never evaluated."""
    session.add_all(CheckIn(patient_id=patient.id, recorded_at=at, symptoms=symptoms, supply_problem=supply,
                            source="app", received_at=at) for at, symptoms, supply in rows)
    session.commit()


def hourly(start: datetime, count: int, **symptoms: int) -> list[tuple[datetime, dict[str, int], None]]:
    return [(start + i * HOUR, dict(symptoms), None) for i in range(count)]


def check_in(session: Session, patient: Patient, at: datetime = NOW, supply_problem: str | None = None,
             **symptoms: int) -> None:
    record_checkin(session, patient, recorded_at=at, symptoms=symptoms, note=None, source="app", now=NOW,
                   supply_problem=supply_problem, policy=POLICY)
    session.commit()


def take_dose(session: Session, patient: Patient, at: datetime) -> None:
    record_dose(session, patient, taken_at=at, source="app", now=at, policy=POLICY, windows=WINDOWS)
    session.commit()


def open_keys(session: Session, patient: Patient) -> set[str]:
    alerts = read(session, select(Alert).where(Alert.patient_id == patient.id, Alert.status == "open"))
    return {key for a in alerts for key in [a.condition_key, *(a.details or {}).get("evidence", [])]}


# -- a check-in ------------------------------------------------------------------------------------


def test_twitches_worse_than_the_check_in_just_before_prompt_a_doctor_however_many_came_earlier(
        session: Session, ward: Ward) -> None:
    # Forty hours of severe twitching, then a mild hour: the new check-in is worse than the one just
    # before it, which is what "worsening" compares.
    history_checkins(session, ward.patient, *hourly(NOW - 42 * HOUR, 40, twitching=6),
                     (NOW - HOUR, {"twitching": 2}, None))
    check_in(session, ward.patient, twitching=5)

    assert "consult_soon:worsening_twitches" in open_keys(session, ward.patient)


def test_twitches_as_bad_as_just_before_prompt_nothing_however_mild_they_were_earlier(
        session: Session, ward: Ward) -> None:
    history_checkins(session, ward.patient, *hourly(NOW - 42 * HOUR, 40, twitching=1),
                     (NOW - HOUR, {"twitching": 4}, None))
    check_in(session, ward.patient, twitching=5)

    assert open_keys(session, ward.patient) == set()


def test_a_back_dated_check_in_is_triaged_against_the_one_before_it_in_time_not_the_latest(
        session: Session, ward: Ward) -> None:
    # Spasms 2 until 02:00 (New York), then 6 every hour from 04:00. A check-in sent now about 03:00
    # with spasms 5 is worse than 02:00's: urgent, though milder than every later one.
    history_checkins(session, ward.patient, *hourly(NOW - 30 * HOUR, 25, spasms=2),
                     *hourly(NOW - 4 * HOUR, 4, spasms=6))
    check_in(session, ward.patient, NOW - 5 * HOUR, spasms=5)

    assert "urgent" in open_keys(session, ward.patient)


def test_a_supply_report_71_hours_ago_behind_many_check_ins_still_warns_of_withdrawal(
        session: Session, ward: Ward) -> None:
    history_checkins(session, ward.patient, (NOW - 71 * HOUR, {}, "ran_out"),
                     *hourly(NOW - 70 * HOUR, 69, tremor=1))
    check_in(session, ward.patient, tremor=1)

    assert "withdrawal_risk:supply" in open_keys(session, ward.patient)


def test_a_supply_report_older_than_three_days_is_not_read(session: Session, ward: Ward) -> None:
    history_checkins(session, ward.patient, (NOW - 73 * HOUR, {}, "ran_out"), *hourly(NOW - 70 * HOUR, 69, tremor=1))
    check_in(session, ward.patient, tremor=1)

    assert open_keys(session, ward.patient) == set()


# -- a dose ----------------------------------------------------------------------------------------


def test_a_dose_too_soon_23_hours_ago_after_one_25_hours_ago_is_a_toxicity_risk_at_the_next_dose(
        session: Session, ward: Ward) -> None:
    # The too-soon rule reports a day of doses (from 23 h ago) and compares each with the one
    # before it (from 25 h ago, outside that day): the read must reach both.
    session.add_all(DoseEvent(patient_id=ward.patient.id, taken_at=at, source="app", received_at=at)
                    for at in (NOW - 25 * HOUR, NOW - 23 * HOUR))
    session.commit()
    history_checkins(session, ward.patient, *hourly(NOW - 22 * HOUR, 20, tremor=1))
    take_dose(session, ward.patient, NOW)

    assert "toxicity_risk:too_soon" in open_keys(session, ward.patient)


def test_a_dose_is_read_against_doses_not_check_ins(session: Session, ward: Ward) -> None:
    # A supply report would be a withdrawal risk on a check-in; a dose does not read check-ins.
    history_checkins(session, ward.patient, (NOW - 2 * HOUR, {"twitching": 1}, "ran_out"),
                     (NOW - HOUR, {"twitching": 8}, None))
    take_dose(session, ward.patient, NOW)
    take_dose(session, ward.patient, NOW + 2 * HOUR)

    assert open_keys(session, ward.patient) == {"toxicity_risk", "toxicity_risk:too_soon"}
    (alert,) = read(session, select(Alert).where(Alert.patient_id == ward.patient.id))
    assert alert.details["facts"] == {"gap": "2 h"}


def test_the_rules_a_dose_is_read_against_read_doses_alone() -> None:
    # evaluate_dose loads doses only (no check-ins, no device findings): a rule added to what a dose
    # reads that needs more must load it too.
    from alerts.services.clinical import RULES_READ_ON

    assert set(RULES_READ_ON["dose"]) == {"toxicity_risk:too_soon", "toxicity_risk:over_daily_total"}

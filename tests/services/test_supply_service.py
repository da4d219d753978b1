"""Each medication's own supply: counted down by its own doses, a low-supply reminder to the patient
and the first caregiver once per low episode, and baclofen at zero read as running out of it.

Rosa (the ward) takes baclofen at 08:00, 14:00 and 20:00 (3 a day) and metformin at 08:00 and
20:00, two tablets a dose (4 a day). The low-supply threshold is the default, 7 days. NOW is 08:00
in New York. Every test asserts on what leaves: the counts the API shows and the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import Alert, CheckIn, Medication, Patient
from alerts.services import supply
from alerts.services.doses import record_dose
from alerts.services.admin import update_patient
from alerts.services.inbound import handle_sms
from alerts.services.tick import TickReport
from tests.conftest import NOW
from tests.services.support import MINUTE, Ward, add_second_medicine, bodies, read, sent
from tests.support.settings import DEFAULTS, POLICY, WINDOWS

LOW_DAYS = DEFAULTS.SUPPLY_LOW_DAYS


@pytest.fixture
def meds(session: Session, ward: Ward) -> tuple[Medication, Medication]:
    baclofen, metformin = add_second_medicine(session, ward.patient, ward.schedule, ["08:00", "20:00"],
                                              now=NOW - MINUTE, units_per_dose=Decimal(2))
    return baclofen, metformin


def _count(session: Session, patient: Patient, medication: Medication, on_hand: int | None,
           now: datetime = NOW - 5 * MINUTE, **changes: object) -> list[int]:
    ids = supply.update_supply(session, session.merge(patient), session.merge(medication),
                               {"on_hand": None if on_hand is None else Decimal(on_hand), **changes}, now,
                               low_days=LOW_DAYS, policy=POLICY)
    session.commit()
    return ids


def _take(session: Session, patient: Patient, medication: Medication, at: datetime = NOW) -> None:
    record_dose(session, session.merge(patient), taken_at=at, source="app", now=at, policy=POLICY, windows=WINDOWS,
                medication_id=medication.id)
    session.commit()


def _on_hand(session: Session, medication: Medication) -> Decimal | None:
    return read(session, select(Medication.supply_on_hand).where(Medication.id == medication.id))[0]


def test_each_dose_takes_its_own_medicines_units_off_its_own_count(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    baclofen, metformin = meds
    _count(session, ward.patient, baclofen, 60)
    _count(session, ward.patient, metformin, 40)

    _take(session, ward.patient, baclofen)
    _take(session, ward.patient, metformin)

    assert (_on_hand(session, baclofen), _on_hand(session, metformin)) == (59, 38)
    assert sent(session) == []  # 59/3 and 38/4 days: neither is low


def test_a_dose_taken_before_the_count_leaves_the_count_alone(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    baclofen, _ = meds
    _count(session, ward.patient, baclofen, 60, now=NOW)

    _take(session, ward.patient, baclofen, at=NOW - 10 * MINUTE)  # a device syncing a dose from before

    assert _on_hand(session, baclofen) == 60


def test_low_supply_reminds_the_patient_and_the_first_caregiver_once_per_low_episode(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    _, metformin = meds
    _count(session, ward.patient, metformin, 29)  # 7 days at 4 a day: not yet low
    assert sent(session) == []

    _take(session, ward.patient, metformin)  # 27: 6 days
    _take(session, ward.patient, metformin, at=NOW + 12 * 60 * MINUTE)  # 25: still the same episode

    assert sent(session) == [("supply_low", "patient", "sms", None), ("supply_low", "Ann", "sms", None)]
    to_rosa, to_ann = bodies(session)
    assert to_rosa == ("dosewatch: Rosa, your metformin supply is low: 27 left, enough for about 6 days. "
                       "Please arrange a refill with your pharmacy or prescriber.")
    assert to_ann == ("dosewatch: Rosa's metformin supply is low: 27 left, enough for about 6 days. "
                      "Please help arrange a refill with the pharmacy or prescriber.")

    status = handle_sms(session, message_sid="SM" + "1" * 32, from_number=ward.ann.phone, body="STATUS",
                        now=NOW + MINUTE, policy=POLICY, windows=WINDOWS)
    assert "low supply: metformin (25 left)" in status.reply_text
    session.commit()

    _count(session, ward.patient, metformin, 120, now=NOW + 13 * 60 * MINUTE)  # a refill ends the episode
    _count(session, ward.patient, metformin, 8, now=NOW + 14 * 60 * MINUTE)  # a recount: low again

    assert len(sent(session)) == 4


def test_baclofen_counted_down_to_zero_is_a_ran_out_report_the_withdrawal_rule_reads(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    baclofen, _ = meds
    _count(session, ward.patient, baclofen, 1)  # low at once: the reminder names baclofen's own sentence
    assert bodies(session)[0] == (
        "dosewatch: Rosa, your baclofen supply is low: 1 left, less than a day's doses. Please arrange a refill "
        "with your pharmacy or prescriber now: baclofen should never be stopped suddenly.")

    _take(session, ward.patient, baclofen)  # the last tablet

    reports = read(session, select(CheckIn).where(CheckIn.patient_id == ward.patient.id))
    assert [(c.supply_problem, c.source) for c in reports] == [("ran_out", "supply_count")]
    alert = read(session, select(Alert).where(Alert.patient_id == ward.patient.id))
    assert [(a.kind, a.details["evidence"], a.details["codes"]) for a in alert] == [
        ("withdrawal_risk", ["withdrawal_risk:supply"], ["ran_out"])]
    assert bodies(session)[-1].startswith("dosewatch: Rosa is at risk of baclofen withdrawal: ran out of baclofen.")


def test_another_medicine_counted_down_to_zero_is_a_reminder_and_never_a_clinical_claim(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    _, metformin = meds
    _count(session, ward.patient, metformin, 2)

    _take(session, ward.patient, metformin)

    assert _on_hand(session, metformin) == 0
    assert read(session, select(CheckIn)) == [] and read(session, select(Alert)) == []
    assert [kind for kind, *_ in sent(session)] == ["supply_low", "supply_low"]
    assert not any("withdrawal" in b.lower() or "baclofen" in b.lower() for b in bodies(session))


def test_a_refill_day_gone_by_without_a_new_count_asks_once_from_the_patients_next_day(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    _, metformin = meds
    hour = 60 * MINUTE
    # Counted yesterday, the refill due today (a count on the refill day itself would be the refill's).
    _count(session, ward.patient, metformin, 40, now=NOW - 24 * hour, refill_date=date(2026, 6, 15))

    _take(session, ward.patient, metformin, at=NOW + 15 * hour)  # 23:00 in New York, already the 16th in UTC
    assert sent(session) == []
    _take(session, ward.patient, metformin, at=NOW + 24 * hour)  # 08:00 on the 16th: the day passed, no new count
    _take(session, ward.patient, metformin, at=NOW + 36 * hour)  # the same episode

    assert sent(session) == [("supply_low", "patient", "sms", None), ("supply_low", "Ann", "sms", None)]
    assert bodies(session)[0] == (
        "dosewatch: Rosa, your metformin refill was due Mon 15 Jun and no new count was recorded (last count: 36 left, "
        "enough for about 9 days). If you have it, please tell your care team the new count; if not, please contact "
        "your pharmacy or prescriber.")
    _count(session, ward.patient, metformin, 120, now=NOW + 37 * hour)  # the new count ends the episode, quietly
    assert len(sent(session)) == 2


def test_a_refill_day_gone_by_with_nothing_recorded_is_asked_by_the_tick_the_next_morning_once(
        session: Session, ward: Ward, meds: tuple[Medication, Medication], tick: Callable[..., TickReport]) -> None:
    _, metformin = meds
    # Counted Sun 1 Mar with the refill due Sat 7 Mar; New York's clocks go forward early Sun 8 Mar,
    # and Rosa records nothing after the count.
    _count(session, ward.patient, metformin, 100, now=datetime(2026, 3, 1, 15, tzinfo=UTC),
           refill_date=date(2026, 3, 7))
    planned = datetime(2026, 3, 8, 13, tzinfo=UTC)  # 09:00 EDT (09:00 EST would be 14:00 UTC)
    assert _check_at(session, metformin) == planned

    def tick_at(moment: datetime) -> TickReport:
        with freeze_time(moment):  # the worker's clock
            return tick(utcnow())

    assert tick_at(planned - MINUTE).supply_checks == 0 and sent(session) == []
    assert tick_at(planned).supply_checks == 1
    assert sent(session) == [("supply_low", "patient", "sms", None), ("supply_low", "Ann", "sms", None)]
    assert bodies(session)[0].startswith(
        "dosewatch: Rosa, your metformin refill was due Sat 7 Mar and no new count was recorded (last count: 100 "
        "left, enough for about 25 days).")
    assert _check_at(session, metformin) is None  # nothing more planned: the next count plans again
    # The same episode checked again, by the tick or by a dose (the same decision, the same dedupe key).
    assert tick_at(planned + 60 * MINUTE).supply_checks == 0
    _take(session, ward.patient, metformin, at=planned + 61 * MINUTE)
    assert len(sent(session)) == 2 and _on_hand(session, metformin) == 98

    status = handle_sms(session, message_sid="SM" + "2" * 32, from_number=ward.ann.phone, body="STATUS",
                        now=planned + 2 * 60 * MINUTE, policy=POLICY, windows=WINDOWS)
    assert "refill overdue: metformin (due Sat 7 Mar, no new count since)" in status.reply_text
    assert "low supply" not in status.reply_text


def _check_at(session: Session, medication: Medication) -> datetime | None:
    return read(session, select(Medication.supply_check_at).where(Medication.id == medication.id))[0]


def test_a_new_zone_moves_the_planned_check_to_its_morning_or_to_now_if_that_morning_has_begun(
        session: Session, ward: Ward, meds: tuple[Medication, Medication]) -> None:
    _, metformin = meds
    _count(session, ward.patient, metformin, 100, now=datetime(2026, 3, 1, 15, tzinfo=UTC),
           refill_date=date(2026, 3, 7))
    at_noon = datetime(2026, 3, 8, 12, tzinfo=UTC)  # 08:00 in New York, before its 09:00 check

    update_patient(session, session.merge(ward.patient), {"timezone": "America/Los_Angeles"}, at_noon)
    session.commit()
    assert _check_at(session, metformin) == datetime(2026, 3, 8, 16, tzinfo=UTC)  # 09:00 PDT
    update_patient(session, session.merge(ward.patient), {"timezone": "Europe/London"}, at_noon)
    session.commit()
    assert _check_at(session, metformin) == at_noon  # 12:00 there: the next tick checks it, not never

"""After an outage, no stale flood: old messages expire instead of going out as if current, a
message about a dose names its day when it was not today, and doses missed meanwhile are told in
one summary per person. SQLite and PostgreSQL, through a recording notifier."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from alerts.domain.escalation import Recipient
from alerts.services.outbox import Message, queue_messages
from alerts.services.sender import deliver_due
from alerts.services.tick import TickReport
from tests.services.support import MINUTE, RecordingNotifier, Ward, notifications
from tests.support.settings import SEND

Tick = Callable[..., TickReport]
DAY = timedelta(days=1)


def test_a_reminder_queued_two_days_ago_is_recorded_expired_not_sent(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    tick(ward.t0)  # Rosa's reminder is queued; then the senders are down for two days
    report = deliver_due(sessions, notifier, lambda: ward.t0 + 2 * DAY, **SEND)

    [reminder] = notifications(session)
    assert (report.expired, report.sent, notifier.sent) == (1, 0, [])
    assert (reminder.status, reminder.sent_at) == ("expired", None)
    assert "older than 2:00:00" in (reminder.last_error or "")


def test_each_kind_waits_at_most_its_own_maximum_age(
        session: Session, sessions: sessionmaker[Session], ward: Ward, notifier: RecordingNotifier) -> None:
    ann = Recipient("caregiver", ward.ann.id, ward.ann.phone, "Ann")
    queue_messages(session, ward.patient.id, None, [
        Message("e", ann, "call 911", "emergency"), Message("w", ann, "call the prescriber", "withdrawal_risk"),
        Message("r", ann, "reminder", "reminder")], ward.t0)
    session.commit()
    deliver_due(sessions, notifier, lambda: ward.t0 + 90 * MINUTE, **SEND)

    # An emergency repeats every few minutes: a 90-minute-old one is stale; a withdrawal risk
    # ("call the prescriber today") and a reminder an hour and a half late still go.
    assert {n.dedupe_key: n.status for n in notifications(session)} == {"e": "expired", "w": "sent", "r": "sent"}


def test_doses_missed_during_an_outage_reach_the_patient_as_one_summary_naming_the_days(
        session: Session, sessions: sessionmaker[Session], ward: Ward, tick: Tick, notifier: RecordingNotifier) -> None:
    # Nothing ran for a day: at 14:30 the next day four doses (14:00, 20:00, 08:00, 14:00) are missed.
    report = tick(ward.t0 + DAY)
    deliver_due(sessions, notifier, lambda: ward.t0 + DAY, **SEND)

    assert report.missed_doses == 4
    # (Ann and Bob are also told of the withdrawal risk four missed doses are: test_clinical_service.py.)
    assert [m.body for m in notifier.sent if m.to == ward.patient.phone] == [(
        "dosewatch: Rosa, 4 of your baclofen doses have not been recorded, from 14:00 yesterday to 14:00. "
        "If you took the last one, reply TAKEN. Questions about your doses? Ask your doctor or pharmacist.")]

    tick(ward.t0 + DAY + 10 * MINUTE)  # Ann's step: one summary for her too
    deliver_due(sessions, notifier, lambda: ward.t0 + DAY + 10 * MINUTE, **SEND)
    [to_ann] = [m.body for m in notifier.sent if m.to == ward.ann.phone and "not been recorded" in m.body]
    assert to_ann.startswith("dosewatch: 4 of Rosa's baclofen doses have not been recorded, from 14:00 yesterday "
                             "to 14:00. Please check on them.")


def test_a_summary_in_spanish_names_the_days_in_spanish(
        session: Session, sessions: sessionmaker[Session], make_patient, make_schedule,  # type: ignore[no-untyped-def]
        tick: Tick, notifier: RecordingNotifier) -> None:
    from tests.conftest import NOW

    patient = make_patient(name="Lucia", language="es")
    make_schedule(patient, ["08:00", "20:00"], now=NOW)
    tick(NOW + 3 * DAY)
    deliver_due(sessions, notifier, lambda: NOW + 3 * DAY, **SEND)

    # Three days from Monday 08:00 (New York): five doses, the 08:00 of today still within its grace.
    assert [m.body for m in notifier.sent if m.to == patient.phone] == [(
        "dosewatch: Lucia, 5 de sus dosis de baclofeno no estan registradas, de las 20:00 del lun 15 jun a las "
        "20:00 de ayer. Si tomo la ultima, responda TOMADA. Dudas sobre sus dosis? Consulte a su medico o farmaceutico.")]


def test_a_single_dose_missed_yesterday_is_named_as_yesterdays(
        session: Session, sessions: sessionmaker[Session], make_patient, make_schedule,  # type: ignore[no-untyped-def]
        tick: Tick, notifier: RecordingNotifier) -> None:
    from tests.conftest import NOW  # 08:00 in New York

    patient = make_patient(name="Sam")
    make_schedule(patient, ["23:00"], now=NOW)
    tick(NOW + 16 * 60 * MINUTE)  # 00:00 the next day: the 23:00 dose's grace ran out at 23:30
    deliver_due(sessions, notifier, lambda: NOW + 16 * 60 * MINUTE, **SEND)

    assert [m.body for m in notifier.sent if m.to == patient.phone] == [(
        "dosewatch: Sam, your 23:00 yesterday baclofen dose has not been recorded yet. If you have taken it, "
        "reply TAKEN. Questions about your dose? Ask your doctor or pharmacist.")]

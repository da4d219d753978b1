"""The missed-dose reminder and escalation name each medicine of a mix, once, in the reader's
language, and call doses "baclofen doses" only when every one of them is baclofen (pure: an alert's
details in, the text out; ``alerts.services.alerts.missed_dose_message``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.domain.escalation import Recipient
from alerts.models import Alert
from alerts.services.alerts import missed_dose_message

NOW = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)  # 10:00 in New York
ROSA = Recipient("patient", 1, "+15005550001", "Rosa", "en")
ANN = Recipient("caregiver", 2, "+14155550001", "Ann", "en")
ANA = Recipient("caregiver", 3, "+14155550002", "Ana", "es")


def _alert(*missed: list[Any]) -> Alert:
    return Alert(kind="missed_dose", code="K7QP", details={
        "patient_name": "Rosa", "timezone": "America/New_York", "due_at": "2026-06-15T12:00:00+00:00",
        "dose_time": missed[0][1], "missed": [list(m) for m in missed], "medication": missed[0][2]})


def test_baclofen_and_metformin_missed_at_different_times_are_doses_naming_both_never_baclofen_doses() -> None:
    alert = _alert(["2026-06-15", "08:00", "baclofen"], ["2026-06-15", "09:00", "metformin"])

    texts = [missed_dose_message(alert, r, NOW) for r in (ROSA, ANN, ANA)]

    assert texts == [
        "dosewatch: Rosa, 2 of your doses have not been recorded (baclofen and metformin), from 08:00 to 09:00. "
        "If you took them, reply TAKEN. Questions about your doses? Ask your doctor or pharmacist.",
        "dosewatch: 2 of Rosa's doses have not been recorded (baclofen and metformin), from 08:00 to 09:00. "
        "Please check on them. Reply OK K7QP to tell the others you are on it.",
        "dosewatch: 2 dosis de Rosa no estan registradas (baclofeno y metformin), de las 08:00 a las 09:00. "
        "Por favor compruebe como esta. Responda OK K7QP para avisar a los demas."]
    assert not any("baclofen doses" in t for t in texts)


def test_a_schedule_from_before_medications_and_the_lists_baclofen_are_named_once() -> None:
    alert = _alert(["2026-06-15", "08:00", None], ["2026-06-15", "08:00", "baclofen"],
                   ["2026-06-15", "08:00", "metformin"])

    assert missed_dose_message(alert, ROSA, NOW).startswith(
        "dosewatch: Rosa, your 08:00 doses have not been recorded yet: baclofen and metformin.")
    assert "retraso): baclofeno y metformin." in missed_dose_message(alert, ANA, NOW)


def test_several_doses_all_of_baclofen_are_still_baclofen_doses() -> None:
    alert = _alert(["2026-06-15", "08:00", None], ["2026-06-15", "09:00", "Baclofen"])

    assert missed_dose_message(alert, ANN, NOW).startswith(
        "dosewatch: 2 of Rosa's baclofen doses have not been recorded, from 08:00 to 09:00.")

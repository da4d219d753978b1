"""One open alert per patient per situation: two texts about one withdrawal risk, a minute apart,
are one alert with both pieces of evidence, and the caregivers are told once.

Rosa (New York) texts; Ann and Bob are her caregivers. Time is frozen as each message arrives.
"""

from __future__ import annotations

from collections.abc import Callable

from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from alerts.models import Alert, Notification
from tests.conftest import NOW
from tests.services.support import MINUTE, SECOND, Ward, read
from tests.twilio.conftest import parametrize_medicines

# Every scenario with one medicine (baclofen) and with two (baclofen and metformin): baclofen's
# behaviour must not change, and the second medicine must never bring a clinical claim.
pytest_generate_tests = parametrize_medicines

Post = Callable[..., TestResponse]


def test_two_texts_about_one_withdrawal_risk_within_a_minute_open_one_alert(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW + MINUTE):
        sms(ward.patient.phone, "I ran out of baclofen")
    with freeze_time(NOW + MINUTE + 40 * SECOND):
        # Brief, withdrawal: "Tremors and twitches: Involuntary shaking, trembling".
        sms(ward.patient.phone, "my hands are shaking a lot")

    (alert,) = read(session, select(Alert).where(Alert.status == "open", Alert.kind == "withdrawal_risk"))
    assert (alert.kind, alert.condition_key) == ("withdrawal_risk", "withdrawal_risk")
    # The new shaking is also the "new or worsening twitches" prompt: it joins, no second alert.
    assert alert.details["evidence"] == ["withdrawal_risk:supply", "withdrawal_risk:signs",
                                         "consult_soon:worsening_twitches"]
    assert alert.details["codes"][:2] == ["ran_out", "tremor"]
    assert [a.kind for a in read(session, select(Alert))] == ["withdrawal_risk"]
    told = sorted((n.kind, n.to_number) for n in read(session, select(Notification))
                  if n.kind == "withdrawal_risk")
    assert told == sorted([("withdrawal_risk", ward.ann.phone), ("withdrawal_risk", ward.bob.phone)]), \
        "the caregivers are told once; the joined evidence rides on the alert's reminder"


def test_a_second_text_with_the_same_evidence_changes_nothing(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW + MINUTE):
        sms(ward.patient.phone, "I ran out of baclofen")
    with freeze_time(NOW + 2 * MINUTE):
        sms(ward.bob.phone, "she ran out of pills")

    (alert,) = read(session, select(Alert))
    assert alert.details["evidence"] == ["withdrawal_risk:supply"]
    assert len(read(session, select(Notification))) == 2


def test_worsening_twitches_texted_while_a_withdrawal_alert_is_open_join_it(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW - 20 * 60 * MINUTE):
        sms(ward.patient.phone, "legs twitching a bit, 2")
    with freeze_time(NOW + MINUTE):
        sms(ward.patient.phone, "I ran out of baclofen")
    with freeze_time(NOW + 2 * MINUTE):
        sms(ward.patient.phone, "twitching is a 6 now")

    (alert,) = read(session, select(Alert).where(Alert.kind == "withdrawal_risk"))
    assert read(session, select(Alert).where(Alert.kind == "consult_soon")) == []
    assert alert.details["evidence"] == ["withdrawal_risk:supply", "consult_soon:worsening_twitches"]
    kinds = [n.kind for n in read(session, select(Notification)) if n.to_number == ward.ann.phone]
    assert kinds.count("withdrawal_risk") == 1 and "consult_soon" not in kinds, kinds


def test_spasms_texted_as_much_worse_with_no_earlier_check_in_are_urgent_to_the_caregivers(
        session: Session, ward: Ward, sms: Post) -> None:
    # Brief, withdrawal: "Worsening muscle spasms: The baseline spasticity returns but is often
    # significantly more severe". Nothing earlier to compare with: the word "worse" says it.
    with freeze_time(NOW + MINUTE):
        sms(ward.patient.phone, "my spasms are much worse")

    (alert,) = read(session, select(Alert).where(Alert.status == "open"))
    assert (alert.kind, alert.details["codes"]) == ("urgent", ["severe_spasms"])
    told = sorted(n.to_number for n in read(session, select(Notification)) if n.kind == "urgent")
    assert told == sorted([ward.ann.phone, ward.bob.phone])
    assert all(n.urgent for n in read(session, select(Notification)) if n.kind == "urgent")

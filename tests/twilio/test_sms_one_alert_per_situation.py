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
    assert alert.details["evidence"] == ["withdrawal_risk:supply", "withdrawal_risk:signs"]
    assert alert.details["codes"] == ["ran_out", "tremor"]
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

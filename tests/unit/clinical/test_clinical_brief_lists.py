"""One test per bullet of the brief's two symptom lists: how urgent the sign is, and which column of
the comparison table it counts for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.domain.clinical.assessment import assess
from alerts.domain.clinical.history import CheckInRecord, ClinicalSettings, findings_from_checkins
from alerts.domain.clinical.redflags import classify_symptoms

NOW = datetime(2024, 6, 5, 16, 0, tzinfo=UTC)


def verdict_for(make_profile, symptoms: dict[str, int]) -> str:
    """The assessment of a single check-in by a patient whose doses are all on time."""
    checkin = CheckInRecord(NOW - timedelta(minutes=5), symptoms)
    return assess(make_profile(), [], [], findings_from_checkins([checkin]), NOW).verdict


# "Symptoms of baclofen withdrawal"
@pytest.mark.parametrize(
    "symptoms, previous, level, verdict",
    [
        pytest.param(
            {"spasms": 6},
            {"spasms": 3},
            "urgent",
            "possible_withdrawal",
            id="withdrawal bullet 'Worsening muscle spasms' is urgent and counts for withdrawal",
        ),
        pytest.param(
            {"tremor": 5},
            None,
            "routine",
            "possible_withdrawal",
            id="withdrawal bullet 'Tremors and twitches': tremor counts for withdrawal",
        ),
        pytest.param(
            {"twitching": 5},
            None,
            "routine",
            "unclear",
            id="withdrawal bullet 'Tremors and twitches': a twitch alone fits both columns",
        ),
        pytest.param(
            {"seizure": 2},
            None,
            "emergency",
            "unclear",
            id="withdrawal bullet 'Seizures' is an emergency and fits both columns",
        ),
        pytest.param(
            {"hallucinations": 4, "paranoia": 4},
            None,
            "urgent",
            "possible_withdrawal",
            id="withdrawal bullet 'Psychiatric disturbances': hallucinations and paranoia are urgent",
        ),
        pytest.param(
            {"confusion": 4},
            None,
            "urgent",
            "unclear",
            id="withdrawal bullet 'Psychiatric disturbances': confusion is urgent and fits both columns",
        ),
    ],
)
def test_withdrawal_list(
    make_profile, symptoms: dict[str, int], previous: dict[str, int] | None, level: str, verdict: str
) -> None:
    assert classify_symptoms(symptoms, previous).level == level
    assert verdict_for(make_profile, symptoms) == verdict


# "Clinical signs of baclofen toxicity"
@pytest.mark.parametrize(
    "symptoms, level, verdict",
    [
        pytest.param(
            {"myoclonus": 5},
            "routine",
            "possible_toxicity",
            id="toxicity bullet 'Myoclonus and seizures': myoclonus counts for toxicity",
        ),
        pytest.param(
            {"myoclonus": 5, "seizure": 1},
            "emergency",
            "possible_toxicity",
            id="toxicity bullet 'Myoclonus and seizures': with a seizure it is an emergency",
        ),
        pytest.param(
            {"drowsiness": 8},
            "emergency",
            "possible_toxicity",
            id="toxicity bullet 'Excessive drowsiness and sedation' is an emergency when profound",
        ),
        pytest.param(
            {"drowsiness": 5},
            "routine",
            "possible_toxicity",
            id="toxicity bullet 'Excessive drowsiness and sedation' counts for toxicity from 5",
        ),
        pytest.param(
            {"breathing_difficulty": 3},
            "emergency",
            "possible_toxicity",
            id="toxicity bullet 'Breathing problems' is an emergency",
        ),
        pytest.param(
            {"low_blood_pressure": 4},
            "urgent",
            "possible_toxicity",
            id="toxicity bullet 'Other neurological effects': hypotension",
        ),
        pytest.param(
            {"unresponsive": 1},
            "emergency",
            "possible_toxicity",
            id="toxicity bullet 'Other neurological effects': impaired consciousness",
        ),
        pytest.param(
            {"confusion": 8},
            "emergency",
            "unclear",
            id="toxicity bullet 'Other neurological effects': severe confusion is an emergency, fits both",
        ),
    ],
)
def test_toxicity_list(make_profile, symptoms: dict[str, int], level: str, verdict: str) -> None:
    assert classify_symptoms(symptoms).level == level
    assert verdict_for(make_profile, symptoms) == verdict


def test_mild_drowsiness_is_not_a_toxicity_sign(make_profile) -> None:
    # "Excessive drowsiness": below drowsiness_min_severity it is not a finding at all.
    assert ClinicalSettings().drowsiness_min_severity == 5
    assert verdict_for(make_profile, {"drowsiness": 4}) == "unclear"

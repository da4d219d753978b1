"""Dose-pattern risks: withdrawal and toxicity risks from the dose history, and new twitches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts.domain.clinical.history import ClinicalSettings, DoseRecord, DoseTaken, SupplyReport
from alerts.domain.clinical.patterns import RiskDecision, dose_pattern_risks, should_raise
from alerts.domain.clinical.wording import SHORT_REASONS, short_reasons
from alerts.domain.messages import TEMPLATE_DIR

NOW = datetime(2024, 6, 5, 16, 0, tzinfo=UTC)
H = timedelta(hours=1)
MIN = timedelta(minutes=1)
NY = ZoneInfo("America/New_York")


def keys(decisions: list[RiskDecision]) -> list[str]:
    return [d.condition_key for d in decisions]


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall-clock time in ``zone``, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


# -- withdrawal risk: consecutive missed doses ---------------------------------------------------


@pytest.mark.parametrize(
    "statuses, expected",
    [
        pytest.param("TMM", 2, id="two missed doses in a row warn of withdrawal"),
        pytest.param("TMMM", 3, id="three missed in a row are counted as three"),
        pytest.param("MMMT", 0, id="a dose taken since the misses ends the run"),
        pytest.param("TMTM", 0, id="missed doses with a taken one between are not consecutive"),
        pytest.param("TMMP", 2, id="a pending dose neither counts nor breaks the run"),
        pytest.param("TTM", 0, id="one missed dose is the missed-dose alert's job, not a withdrawal risk"),
    ],
)
def test_consecutive_missed_doses(make_profile, schedule, taken_from, statuses: str, expected: int) -> None:
    doses = schedule(statuses, last_due=NOW - H)
    decisions = [
        d
        for d in dose_pattern_risks(make_profile(), doses, taken_from(doses), [], [], NOW)
        if d.condition_key == "withdrawal_risk:missed_doses"
    ]
    if expected:
        assert len(decisions) == 1
        assert decisions[0].kind == "withdrawal_risk"
        assert decisions[0].template == "withdrawal_risk_caregiver"
        assert decisions[0].facts == {"count": str(expected)}
    else:
        assert decisions == []


def test_an_unscheduled_dose_between_misses_breaks_the_run(make_profile, schedule, taken_from) -> None:
    doses = schedule("TMM", last_due=NOW - H)
    taken = taken_from(doses) + [DoseTaken(NOW - 5 * H, 20.0, scheduled=False)]  # between the two misses
    assert "withdrawal_risk:missed_doses" not in keys(
        dose_pattern_risks(make_profile(), doses, taken, [], [], NOW)
    )


def test_the_missed_dose_threshold_is_configurable(make_profile, schedule, taken_from) -> None:
    doses = schedule("TMM", last_due=NOW - H)
    strict = ClinicalSettings(consecutive_missed_threshold=3)
    assert "withdrawal_risk:missed_doses" not in keys(
        dose_pattern_risks(make_profile(), doses, taken_from(doses), [], [], NOW, strict)
    )


# -- withdrawal risk: no dose for the window (>= : reached at exactly the window) ------------------


@pytest.mark.parametrize(
    "since_last, raised",
    [
        pytest.param(24 * H, True, id="exactly 24 h without a dose warns of withdrawal"),
        pytest.param(24 * H - MIN, False, id="one minute before the window there is no warning"),
        pytest.param(40 * H, True, id="well past the window warns"),
    ],
)
def test_no_dose_for_the_window_from_the_last_dose(make_profile, since_last: timedelta, raised: bool) -> None:
    taken = [DoseTaken(NOW - since_last, 20.0, scheduled=False)]
    decisions = dose_pattern_risks(make_profile(), [], taken, [], [], NOW)
    assert ("withdrawal_risk:no_dose" in keys(decisions)) is raised


@pytest.mark.parametrize(
    "since_first_due, raised",
    [
        pytest.param(24 * H, True, id="never taken: exactly 24 h after the first due dose warns"),
        pytest.param(24 * H - MIN, False, id="never taken: one minute before the window there is no warning"),
    ],
)
def test_no_dose_ever_counts_from_the_first_due_dose(
    make_profile, since_first_due: timedelta, raised: bool
) -> None:
    doses = [DoseRecord(NOW - since_first_due, "pending", None, 20.0)]
    decisions = dose_pattern_risks(make_profile(), doses, [], [], [], NOW)
    assert ("withdrawal_risk:no_dose" in keys(decisions)) is raised


def test_the_no_dose_window_is_configurable(make_profile) -> None:
    taken = [DoseTaken(NOW - 13 * H, 20.0, scheduled=False)]
    decisions = dose_pattern_risks(
        make_profile(), [], taken, [], [], NOW, ClinicalSettings(no_dose_window_hours=12)
    )
    assert keys(decisions) == ["withdrawal_risk:no_dose"]
    assert decisions[0].facts == {"gap": "13 h"}


def test_no_dose_is_not_raised_twice_alongside_missed_doses(make_profile, schedule, taken_from) -> None:
    doses = schedule("TMMMM", last_due=NOW - H)  # last taken 33 h ago
    assert keys(dose_pattern_risks(make_profile(), doses, taken_from(doses), [], [], NOW)) == [
        "withdrawal_risk:missed_doses"
    ]


# -- withdrawal risk: running out ----------------------------------------------------------------


@pytest.mark.parametrize(
    "reports, codes",
    [
        pytest.param(
            [SupplyReport(NOW - 2 * H, "ran_out")], ("ran_out",), id="running out warns of withdrawal"
        ),
        pytest.param(
            [SupplyReport(NOW - 2 * H, "no_refill")], ("no_refill",), id="no refill warns of withdrawal"
        ),
        pytest.param(
            [SupplyReport(NOW - 2 * H, "ran_out"), SupplyReport(NOW - H, "no_refill")],
            ("no_refill", "ran_out"),
            id="both reports make one alert",
        ),
        pytest.param(
            [SupplyReport(NOW - 73 * H, "ran_out")], None, id="a report older than the lookback is over"
        ),
    ],
)
def test_supply_reports(make_profile, reports: list[SupplyReport], codes: tuple[str, ...] | None) -> None:
    decisions = [
        d for d in dose_pattern_risks(make_profile(), [], [DoseTaken(NOW - H, 20.0, True)], reports, [], NOW)
    ]
    if codes is None:
        assert decisions == []
    else:
        assert [(d.condition_key, d.codes) for d in decisions] == [("withdrawal_risk:supply", codes)]


# -- toxicity risk: a dose again too soon --------------------------------------------------------


@pytest.mark.parametrize(
    "gap, interval, raised",
    [
        pytest.param(
            3 * H + 59 * MIN, 8.0, True, id="a dose 3 h 59 min after the last on an 8 h schedule is too soon"
        ),
        pytest.param(4 * H, 8.0, False, id="a dose exactly half the interval later is not too soon"),
        pytest.param(MIN * 10, None, False, id="no regular interval, no too-soon rule"),
    ],
)
def test_a_dose_taken_again_too_soon(
    make_profile, gap: timedelta, interval: float | None, raised: bool
) -> None:
    taken = [DoseTaken(NOW - 5 * H, 20.0, True), DoseTaken(NOW - 5 * H + gap, 20.0, False)]
    decisions = dose_pattern_risks(
        make_profile(dose_interval_hours=interval, daily_total_mg=0), [], taken, [], [], NOW
    )
    assert ("toxicity_risk:too_soon" in keys(decisions)) is raised
    if raised:
        assert decisions[0].template == "toxicity_risk_caregiver"
        assert decisions[0].facts == {"gap": "3 h 59 min"}


def test_a_too_soon_dose_from_yesterday_is_no_longer_reported(make_profile) -> None:
    taken = [
        DoseTaken(NOW - 30 * H, 20.0, True),
        DoseTaken(NOW - 29 * H, 20.0, False),
        DoseTaken(NOW - 21 * H, 20.0, True),
        DoseTaken(NOW - 13 * H, 20.0, True),
        DoseTaken(NOW - 5 * H, 20.0, True),
    ]
    assert "toxicity_risk:too_soon" not in keys(dose_pattern_risks(make_profile(), [], taken, [], [], NOW))


# -- toxicity risk: more than the daily total, in the patient's local day --------------------------


@pytest.mark.parametrize(
    "zone_name, doses_at, now, raised",
    [
        pytest.param(
            "America/New_York",
            [(2024, 3, 10, 0, 30), (2024, 3, 10, 12, 0), (2024, 3, 10, 23, 30)],
            (2024, 3, 10, 23, 45),
            True,
            id="spring-forward day of 23 h: three doses on the local day exceed 60 mg",
        ),
        pytest.param(
            "America/New_York",
            [(2024, 3, 9, 23, 30), (2024, 3, 10, 12, 0), (2024, 3, 10, 23, 30)],
            (2024, 3, 10, 23, 45),
            False,
            id="spring-forward day: a dose the evening before belongs to the day before",
        ),
        pytest.param(
            "America/New_York",
            [(2024, 11, 3, 0, 15), (2024, 11, 3, 12, 0), (2024, 11, 3, 23, 50)],
            (2024, 11, 3, 23, 55),
            True,
            id="fall-back day of 25 h: doses at 00:15 and 23:50 are the same local day",
        ),
        pytest.param(
            "Asia/Tokyo",
            [(2024, 6, 1, 1, 0), (2024, 6, 1, 12, 0), (2024, 6, 1, 23, 0)],
            (2024, 6, 1, 23, 30),
            True,
            id="Tokyo: doses on two UTC days are one local day",
        ),
        pytest.param(
            "America/Los_Angeles",
            [(2024, 6, 1, 19, 0), (2024, 6, 2, 13, 0)],
            (2024, 6, 2, 14, 0),
            False,
            id="Los Angeles: doses on one UTC day are two local days",
        ),
    ],
)
def test_more_than_the_daily_total(
    make_profile, zone_name: str, doses_at: list[tuple[int, ...]], now: tuple[int, ...], raised: bool
) -> None:
    zone = ZoneInfo(zone_name)
    mg = 25.0 if len(doses_at) == 3 else 40.0  # 75 mg or 80 mg in all, against 60 mg a day
    taken = [DoseTaken(local(zone, *t), mg, True) for t in doses_at]
    profile = make_profile(timezone=zone_name, dose_interval_hours=None)
    decisions = dose_pattern_risks(profile, [], taken, [], [], local(zone, *now))
    assert ("toxicity_risk:over_daily_total" in keys(decisions)) is raised


def test_exactly_the_daily_total_is_not_more(make_profile) -> None:
    taken = [DoseTaken(local(NY, 2024, 6, 5, h, 0), 20.0, True) for h in (0, 8, 11)]
    decisions = dose_pattern_risks(make_profile(dose_interval_hours=None), [], taken, [], [], NOW)
    assert "toxicity_risk:over_daily_total" not in keys(decisions)


def test_a_dose_without_an_amount_counts_as_a_usual_dose(make_profile) -> None:
    doses = [
        DoseRecord(local(NY, 2024, 6, 5, h, 0), "taken", local(NY, 2024, 6, 5, h, 0), 20.0) for h in (0, 8)
    ]
    taken = [DoseTaken(d.due_at, None, True) for d in doses] + [
        DoseTaken(local(NY, 2024, 6, 5, 11, 0), 25.0, False)
    ]
    decisions = dose_pattern_risks(make_profile(dose_interval_hours=None), doses, taken, [], [], NOW)
    over = [d for d in decisions if d.condition_key == "toxicity_risk:over_daily_total"]
    assert over and over[0].facts == {"taken_mg": "65", "daily_mg": "60"}


# -- consult soon: new or worsening twitches -----------------------------------------------------


@pytest.mark.parametrize(
    "before, after, code",
    [
        pytest.param(
            {"twitching": 2},
            {"twitching": 4},
            "worse_twitching",
            id="twitches two points worse prompt a doctor",
        ),
        pytest.param({"twitching": 2}, {"twitching": 3}, None, id="twitches one point worse do not"),
        pytest.param({}, {"tremor": 4}, "new_tremor", id="a new tremor of 4 prompts a doctor"),
        pytest.param({"tremor": 0}, {"tremor": 3}, None, id="a new tremor of 3 does not"),
        pytest.param(
            {"myoclonus": 1}, {"myoclonus": 3}, "worse_myoclonus", id="worse muscle jerks prompt a doctor"
        ),
        pytest.param({"twitching": 6}, {"twitching": 4}, None, id="improving twitches do not"),
        pytest.param(
            {"spasms": 2}, {"spasms": 6}, None, id="worse spasms are urgent red flags, not this prompt"
        ),
    ],
)
def test_new_or_worsening_twitches(
    make_profile, checkin, before: dict, after: dict, code: str | None
) -> None:
    checkins = [checkin(NOW - 20 * H, **before), checkin(NOW - H, **after)]
    decisions = dose_pattern_risks(make_profile(), [], [DoseTaken(NOW - H, 20.0, True)], [], checkins, NOW)
    if code is None:
        assert decisions == []
    else:
        [decision] = decisions
        assert (decision.kind, decision.condition_key, decision.codes) == (
            "consult_soon",
            "consult_soon:worsening_twitches",
            (code,),
        )
        assert (decision.template, decision.patient_template) == (
            "consult_soon_caregiver",
            "consult_soon_patient",
        )


@pytest.mark.parametrize(
    "first_ago",
    [
        pytest.param(None, id="a single check-in has nothing to compare with"),
        pytest.param(49 * H, id="a check-in older than the lookback is not compared"),
    ],
)
def test_worsening_needs_a_recent_earlier_checkin(make_profile, checkin, first_ago: timedelta | None) -> None:
    checkins = [checkin(NOW - H, twitching=8)]
    if first_ago is not None:
        checkins.insert(0, checkin(NOW - first_ago, twitching=1))
    assert dose_pattern_risks(make_profile(), [], [DoseTaken(NOW - H, 20.0, True)], [], checkins, NOW) == []


# -- re-alerting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "open_keys, expected",
    [
        pytest.param(set(), True, id="nothing open: raise"),
        pytest.param({"withdrawal_risk:missed_doses"}, False, id="its alert is open: do not alert again"),
        pytest.param({"toxicity_risk:too_soon"}, True, id="another condition's alert does not hold it back"),
    ],
)
def test_should_raise(open_keys: set[str], expected: bool) -> None:
    assert should_raise("withdrawal_risk:missed_doses", open_keys) is expected


def test_a_condition_re_arms_once_its_alert_is_resolved(make_profile, schedule, taken_from) -> None:
    doses = schedule("TMM", last_due=NOW - H)
    open_keys: set[str] = set()

    def sweep(now: datetime) -> list[str]:
        raised = [
            d.condition_key
            for d in dose_pattern_risks(make_profile(), doses, taken_from(doses), [], [], now)
            if should_raise(d.condition_key, open_keys)
        ]
        open_keys.update(raised)
        return raised

    assert sweep(NOW) == ["withdrawal_risk:missed_doses"]
    assert sweep(NOW + 5 * MIN) == []  # still open: no second alert
    open_keys.discard("withdrawal_risk:missed_doses")  # a caregiver resolves it
    assert sweep(NOW + 10 * MIN) == ["withdrawal_risk:missed_doses"]


# -- every decision can be worded ------------------------------------------------------------------


def test_every_decision_names_templates_and_words_that_exist(
    make_profile, schedule, taken_from, checkin
) -> None:
    doses = schedule("TMM", last_due=NOW - H)
    taken = taken_from(doses) + [
        DoseTaken(NOW - 30 * MIN, 50.0, False),
        DoseTaken(NOW - 20 * MIN, 50.0, False),
    ]
    checkins = [checkin(NOW - 20 * H), checkin(NOW - H, twitching=5, tremor=5, myoclonus=5)]
    decisions = dose_pattern_risks(
        make_profile(), doses, taken, [SupplyReport(NOW, "ran_out")], checkins, NOW
    )
    assert {d.kind for d in decisions} == {"withdrawal_risk", "toxicity_risk", "consult_soon"}
    for d in decisions:
        for name in filter(None, (d.template, d.patient_template)):
            for lang in SHORT_REASONS:
                assert (TEMPLATE_DIR / lang / f"{name}.txt").is_file()
                assert short_reasons(d.codes, lang, d.facts)

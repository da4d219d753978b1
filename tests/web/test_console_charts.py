"""The patient page's charts, calendar and assessments, rendered by the real route.

Rosa (America/New_York) is seen at a frozen instant; her readings, check-ins and doses are put at
named local days, and the page must show exactly those values: in the chart's summary sentence, in
the table behind each chart, and in the calendar's words.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlalchemy.orm import Session

from alerts.models import Alert, CheckIn, Dose, DoseEvent
from alerts.services import alerts as alert_service
from alerts.services.wearables import store_readings

NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)  # Monday 15 June, 12:00 in New York
NY_ZONE = "America/New_York"


def _reading(session: Session, patient_id: int, kind: str, value: float, at: datetime) -> None:
    """A reading stored as the ingest stores it: the row and its hour in the rollup."""
    store_readings(session, patient_id, [(patient_id, None, kind, value, at, f"{kind}:{at.isoformat()}", at)])


def _table(body: str, caption_start: str) -> str:
    """The HTML of the table whose caption starts with ``caption_start``."""
    match = re.search(r"<table[^>]*>\s*<caption>" + re.escape(caption_start) + r".*?</table>", body, re.S)
    assert match, f"no table captioned {caption_start!r}"
    return match.group(0)


def _row(table: str, day: str) -> list[str]:
    """The cells of the row headed ``day`` ("Sun 14 Jun"), as text."""
    match = re.search(r"<tr><th scope=\"row\">" + re.escape(day) + r"</th>(.*?)</tr>", table, re.S)
    assert match, f"no row for {day}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


@pytest.fixture
def rosa_seen(family, session, make_staff, console):  # type: ignore[no-untyped-def]
    """An admin looking at Rosa, with a slow-breathing night on Sunday 14 June (local)."""
    rosa = family.rosa
    monday_early = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)  # 02:00 EDT on Monday
    # Readings on Sunday 14 June, local: 22:00-22:02 EDT is 02:00-02:02 UTC on the 15th.
    sunday = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
    for minute, value in enumerate((14.0, 7.0, 12.0)):
        _reading(session, rosa.id, "respiratory_rate", value, sunday + timedelta(minutes=minute))
    # Saturday 13 June, afternoon: calm breathing; and a heart rate nowhere near its bands.
    saturday = datetime(2026, 6, 13, 18, 0, tzinfo=UTC)
    for minute, value in enumerate((16.0, 18.0)):
        _reading(session, rosa.id, "respiratory_rate", value, saturday + timedelta(minutes=minute))
    _reading(session, rosa.id, "heart_rate", 72.0, monday_early)
    # Twitches rising over two days, with spasms once; two check-ins on Sunday keep the worse one.
    session.add(CheckIn(patient_id=rosa.id, recorded_at=saturday, symptoms={"twitching": 2}, source="app"))
    session.add(CheckIn(patient_id=rosa.id, recorded_at=sunday - timedelta(hours=8),
                        symptoms={"twitching": 4, "spasms": 0}, source="app"))
    session.add(CheckIn(patient_id=rosa.id, recorded_at=sunday, symptoms={"twitching": 6}, source="app"))
    # Doses on Thursday 21 May (local), 25 days back: one on time, one late, one missed, one extra.
    may21 = date(2026, 5, 21)
    for n, (status, late) in enumerate((("taken", False), ("taken", True), ("missed", False))):
        due = datetime(2026, 5, 21, 12 + 4 * n, 0, tzinfo=UTC)
        session.add(Dose(patient_id=rosa.id, schedule_id=family.schedule.id, due_at=due, check_at=due + timedelta(minutes=30),
                         local_date=may21, local_time=f"{8 + 4 * n:02d}:00", dose_mg=Decimal(10), status=status,
                         taken_at=(due + timedelta(minutes=45 if late else 5)) if status == "taken" else None))
    session.add(DoseEvent(patient_id=rosa.id, taken_at=datetime(2026, 5, 21, 23, 0, tzinfo=UTC), source="sms",
                          dose_id=None))
    session.commit()
    make_staff("admin", "ada@example.org")
    with freeze_time(NOW):
        yield console().sign_in_staff("ada@example.org"), family


def test_the_vitals_chart_draws_the_rules_band_and_its_table_says_which_day_reached_it(rosa_seen) -> None:  # type: ignore[no-untyped-def]
    admin, _family = rosa_seen
    body = admin.get(f"/patients/{_family.rosa.id}").get_data(as_text=True)
    figure = body[body.index('id="vital-respiratory-rate"'):body.index('id="vital-spo2"')]
    # The band comes from the rules (ClinicalSettings' 8 /min), in words inside the chart.
    assert "slow breathing: emergency at 8 /min or less" in figure
    assert '<rect class="band emergency"' in figure and 'role="img"' in figure
    assert "5 readings over 7 days: lowest 7 /min, average 13.4 /min, highest 18 /min." in figure
    assert "Reached an alert band on 1 day." in figure
    table = _table(figure, "Respiratory rate per day")
    assert _row(table, "Sun 14 Jun") == ["7.0", "11.0", "14.0", "3", "⚠ slow breathing: emergency at 8 /min or less"]
    assert _row(table, "Sat 13 Jun") == ["16.0", "17.0", "18.0", "2", "✓ none"]
    assert _row(table, "Fri 12 Jun") == ["—", "—", "—", "0", "no readings"]
    # A vital without readings says so instead of drawing an empty frame.
    assert "No body temperature readings in the last 7 days." in body


def test_a_clinicians_override_moves_the_band_the_chart_draws(rosa_seen, session) -> None:  # type: ignore[no-untyped-def]
    admin, family = rosa_seen
    rosa = session.get(type(family.rosa), family.rosa.id)
    rosa.clinical_settings = {"resp_rate_emergency_max": 10.0}
    session.commit()
    body = admin.get(f"/patients/{rosa.id}").get_data(as_text=True)
    assert "slow breathing: emergency at 10 /min or less" in body
    assert "8 /min or less" not in body


def test_the_symptom_trend_keeps_each_days_worst_and_says_it_in_a_table(rosa_seen) -> None:  # type: ignore[no-untyped-def]
    admin, family = rosa_seen
    body = admin.get(f"/patients/{family.rosa.id}").get_data(as_text=True)
    figure = body[body.index('id="symptoms"'):]
    assert "Muscle twitches: highest 6 of 10" in figure
    table = _table(figure, "Highest severity reported each day")
    assert _row(table, "Sun 14 Jun") == ["6", "0"]  # twitches 4 then 6 -> 6; spasms reported as 0
    assert _row(table, "Sat 13 Jun") == ["2", "—"]
    assert "Mon 08 Jun" not in table  # nothing reported: no row


def test_the_period_selector_widens_the_charts_and_the_calendar(rosa_seen) -> None:  # type: ignore[no-untyped-def]
    admin, family = rosa_seen
    week = admin.get(f"/patients/{family.rosa.id}").get_data(as_text=True)
    assert "Adherence, last 30 days" in week and "Vitals, last 7 days" in week
    assert 'aria-current="page" href="/patients/%d?days=7"' % family.rosa.id in week
    quarter = admin.get(f"/patients/{family.rosa.id}?days=90").get_data(as_text=True)
    assert "Adherence, last 90 days" in quarter and "Vitals, last 90 days" in quarter
    assert "Respiratory rate per day, last 90 days" in quarter
    # An unknown period is the default, never an error.
    assert admin.get(f"/patients/{family.rosa.id}?days=5000").status_code == 200


def test_the_calendar_says_on_time_late_missed_and_extra_in_words(rosa_seen) -> None:  # type: ignore[no-untyped-def]
    admin, family = rosa_seen
    body = admin.get(f"/patients/{family.rosa.id}").get_data(as_text=True)
    calendar = _table(body, "Each day: doses on time, late, missed and extra")
    cell = re.search(r"<td class=\"(\w+)\"><strong>Thu 21 May</strong>(.*?)</td>", calendar, re.S)
    assert cell, calendar[:500]
    parts = [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r'<span class="n">(.*?)</span>(?=<span class="n">|$)',
                                                                   cell.group(2), re.S)]
    assert cell.group(1) == "missed"  # the colour, said in words too:
    assert parts == ["✓ 1 on time", "◷ 1 late", "✗ 1 missed", "+ 1 extra"]


def test_every_alert_on_the_page_states_its_withdrawal_or_toxicity_assessment(rosa_seen, session) -> None:  # type: ignore[no-untyped-def]
    admin, family = rosa_seen
    rosa = session.get(type(family.rosa), family.rosa.id)
    alert_service.open_alert(session, rosa, rosa.caregivers, kind="urgent", condition_key="urgent", now=NOW,
                             details={"patient_name": rosa.name, "codes": ["fever"], "facts": {},
                                      "reasons": ["fever, severity 6"], "verdict": "possible_withdrawal",
                                      "assessment": {"verdict": "possible_withdrawal",
                                                     "withdrawal": ["onset: 2 scheduled doses missed in a row"],
                                                     "toxicity": [], "shared": ["muscle signs: twitching"]}})
    session.commit()
    body = admin.get(f"/patients/{rosa.id}").get_data(as_text=True)
    assert body.count('class="assessment"') == session.query(Alert).filter_by(patient_id=rosa.id).count() == 2
    assert "Assessment: possible withdrawal" in body
    assert "<dt>Points to withdrawal</dt><dd>onset: 2 scheduled doses missed in a row</dd>" in body
    assert "<dt>In both columns (these never decide)</dt><dd>muscle signs: twitching</dd>" in body
    # The fixture's missed-dose alert: said to be no assessment on its own, not left blank.
    assert "Assessment: none for a single missed dose." in body


def _buckets_on(db, patient_id: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from alerts.web.chart_data import reading_buckets

    start = datetime(2026, 6, 9, 4, 0, tzinfo=UTC)
    with db.session() as s:
        for minute, value in ((0, 10.0), (59, 20.0), (60, 30.0), (60 * 25 + 1, 7.0)):
            _reading(s, patient_id, "respiratory_rate", value, start + timedelta(minutes=minute))
        _reading(s, patient_id, "respiratory_rate", 99.0, start - timedelta(seconds=1))  # before the period
    with db.session() as s:
        return reading_buckets(s, patient_id, ["respiratory_rate", "spo2"], start, NOW, 3600)


EXPECTED_BUCKETS = {"respiratory_rate": [(0, 10.0, 20.0, 30.0, 2), (1, 30.0, 30.0, 30.0, 1), (25, 7.0, 7.0, 7.0, 1)]}


def test_readings_are_bucketed_by_the_database_on_sqlite(db, make_patient) -> None:  # type: ignore[no-untyped-def]
    got = _buckets_on(db, make_patient().id)
    assert {k: sorted((b.index, b.low, b.high, b.total, b.count) for b in v) for k, v in got.items()} == EXPECTED_BUCKETS


@pytest.mark.integration
def test_readings_are_bucketed_the_same_on_postgresql(pg_app) -> None:  # type: ignore[no-untyped-def]
    from alerts.app import get_db
    from alerts.models import Patient

    db = get_db(pg_app)
    with db.session() as s:
        rosa = Patient(name="Rosa", timezone=NY_ZONE, phone="+14155550100")
        s.add(rosa)
        s.flush()
        pid = rosa.id
    got = _buckets_on(db, pid)
    assert {k: sorted((b.index, b.low, b.high, b.total, b.count) for b in v) for k, v in got.items()} == EXPECTED_BUCKETS


def test_a_zone_half_an_hour_off_utc_buckets_from_its_own_midnight_not_the_utc_hour(db, make_patient) -> None:  # type: ignore[no-untyped-def]
    """Kolkata's midnight is 18:30 UTC, inside an hour of the rollup: the period's first bucket
    must hold the readings from 18:30 on, not the whole UTC hour (the chart reads the readings)."""
    from alerts.web.chart_data import reading_buckets

    pid = make_patient(timezone="Asia/Kolkata").id
    start = datetime(2026, 6, 14, 18, 30, tzinfo=UTC)  # 15 June, 00:00 in Kolkata
    with db.session() as s:
        _reading(s, pid, "respiratory_rate", 30.0, start - timedelta(minutes=10))  # 14 June, local
        _reading(s, pid, "respiratory_rate", 12.0, start + timedelta(minutes=10))
    with db.session() as s:
        got = reading_buckets(s, pid, ["respiratory_rate"], start, NOW, 6 * 3600)
    assert [(b.index, b.low, b.high, b.count) for b in got["respiratory_rate"]] == [(0, 12.0, 12.0, 1)]

"""The console on a 360 px phone, and the patient page's charts under axe-core, in a real browser.

``dosewatch up`` on a fresh data directory; the first admin sets up from the printed link; a
patient is given what makes tables wide (90 days of doses, a reading a minute for a day, check-ins,
alerts with long messages). Then every main page at 360 px must not scroll sideways (tables reflow
into cards), and the patient page (7 and 90 days) has no serious or critical axe-core violation in
light and dark, on a phone and a desktop.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from alerts.clock import utcnow
from alerts.db import Database
from alerts.models import Alert, CheckIn, Dose, DoseSchedule, Notification, Reading
from alerts.services import rollup
from tests.browser.conftest import AXE, REPO, RunningApp

PASSWORD = "browser test passphrase"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def admin(running: RunningApp, browser: Any) -> Any:
    ctx = browser.new_context(viewport=DESKTOP, base_url=running.base)
    page = ctx.new_page()
    page.goto(running.setup_link())
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/patients")
    yield page
    ctx.close()


@pytest.fixture(scope="module")
def rosa_id(running: RunningApp, admin: Any) -> int:
    out = running.cli("admin", "create-patient", "--name", "Rosa Diaz-Fernández de la Vega", "--timezone",
                      "America/New_York")
    pid = int(re.search(r"patient (\d+)", out).group(1))  # type: ignore[union-attr]
    running.cli("admin", "add-caregiver", "--patient-id", str(pid), "--name", "Ann", "--phone", "+14155550111")
    now = utcnow()
    db = Database(running.database_url)
    with db.session() as s:
        schedule = DoseSchedule(patient_id=pid, times=["08:00", "14:00", "20:00"], dose_mg=Decimal(10),
                                grace_minutes=30)
        s.add(schedule)
        s.flush()
        for day in range(90, 0, -1):
            for n, hour in enumerate((12, 18, 24)):
                due = (now - timedelta(days=day)).replace(hour=hour % 24, minute=0, second=0, microsecond=0)
                status = "missed" if (day + n) % 11 == 0 else "taken"
                s.add(Dose(patient_id=pid, schedule_id=schedule.id, due_at=due, check_at=due + timedelta(minutes=30),
                           local_date=(due - timedelta(hours=4)).date(), local_time=f"{hour - 4:02d}:00",
                           dose_mg=Decimal(10), status=status,
                           taken_at=due + timedelta(minutes=50 if day % 5 == 0 else 5) if status == "taken" else None))
            s.add(CheckIn(patient_id=pid, recorded_at=now - timedelta(days=day, hours=-2), source="app",
                          symptoms={"twitching": day % 7, "spasms": 2, "drowsiness": day % 4}))
        readings = [Reading(patient_id=pid, kind=kind, value=value + (m % 7), measured_at=now - timedelta(minutes=m),
                            dedupe_key=f"{kind}:{m}", received_at=now)
                    for m in range(1440) for kind, value in (("heart_rate", 70), ("spo2", 90), ("respiratory_rate", 6))]
        s.add_all(readings)
        # The charts read the hourly rollup the ingest keeps beside the readings (services.rollup).
        rollup.add_readings(s, pid, ((r.kind, r.value, r.measured_at) for r in readings))
        for i in range(3):
            alert = Alert(patient_id=pid, kind="urgent", condition_key=f"urgent:{i}", status="acknowledged",
                          code=f"U{i}", opened_at=now - timedelta(days=i + 1), closed_at=now - timedelta(days=i),
                          policy=[], next_step=1,
                          details={"patient_name": "Rosa", "codes": ["fever"], "facts": {}, "verdict": "unclear",
                                   "reasons": ["fever, severity 6"],
                                   "assessment": {"verdict": "unclear", "withdrawal": ["accompanying symptoms: fever"],
                                                  "toxicity": ["mental status: drowsiness (table: 'profound sedation')"],
                                                  "shared": []}})
            s.add(alert)
            s.flush()
            s.add(Notification(dedupe_key=f"phone:{i}", alert_id=alert.id, patient_id=pid, kind="escalation", step=0,
                               recipient_kind="caregiver", recipient_id=1, to_number="+14155550111", channel="sms",
                               body="dosewatch: Rosa Diaz-Fernández de la Vega reported fever (severity 6). "
                                    "Assessment: unclear - needs a clinician. Reply OK to take this. " * 2,
                               status="recorded", created_at=now - timedelta(days=i + 1),
                               next_attempt_at=now - timedelta(days=i + 1)))
    db.dispose()
    return pid


MAIN_PAGES = ("/patients", "/patients/{id}", "/patients/{id}?days=30", "/patients/{id}?days=90", "/alerts",
              "/reports", "/audit", "/patients/{id}/manage", "/sandbox")


def test_no_main_page_scrolls_sideways_on_a_360_px_phone(admin: Any, rosa_id: int) -> None:
    admin.set_viewport_size(PHONE)
    wide = {}
    for path in MAIN_PAGES:
        admin.goto(path.format(id=rosa_id))
        # Open every data table behind a chart: a closed <details> would hide a wide one.
        admin.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = admin.evaluate("document.scrollingElement.scrollWidth")
        # Nor inside: a table in a scrolling box would keep the page narrow and still scroll sideways.
        inner = admin.evaluate("""() => [...document.querySelectorAll('main table, main .scroll, main svg')]
            .filter(e => e.getBoundingClientRect().right > 360.5 || e.scrollWidth > e.clientWidth + 1)
            .slice(0, 3).map(e => e.tagName + '.' + (e.className.baseVal ?? e.className))""")
        if width > PHONE["width"] or inner:
            wide[path] = (width, inner)
    admin.set_viewport_size(DESKTOP)
    assert not wide, wide


def test_the_patient_pages_charts_have_their_table_and_name(admin: Any, rosa_id: int) -> None:
    admin.goto(f"/patients/{rosa_id}")
    figure = admin.get_by_role("figure", name="Respiratory rate (/min)")
    assert figure.get_by_role("img").count() == 1
    # A reading a minute at 6-12 /min for a day: the emergency band, said in words.
    assert "slow breathing: emergency at 8 /min or less" in figure.inner_text()
    figure.get_by_text("Respiratory rate: the data, day by day").click()
    table = figure.get_by_role("table")
    assert "Respiratory rate per day" in table.inner_text()


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.mark.parametrize("days", [7, 90])
def test_the_patient_page_has_no_serious_accessibility_violation(admin: Any, rosa_id: int, days: int) -> None:
    admin.goto(f"/patients/{rosa_id}?days={days}")
    admin.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    admin.add_script_tag(path=str(AXE))
    failures = []
    for scheme, viewport in (("light", PHONE), ("dark", PHONE), ("light", DESKTOP), ("dark", DESKTOP)):
        admin.emulate_media(color_scheme=scheme)
        admin.set_viewport_size(viewport)
        failures += [f"{scheme} {viewport['width']}px: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
                     for v in admin.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
    admin.emulate_media(color_scheme="light")
    admin.set_viewport_size(DESKTOP)
    assert not failures, "\n".join(failures)


def test_screenshots_of_the_patient_pages_charts(admin: Any, rosa_id: int, running: RunningApp) -> None:
    """docs/console/patient-charts.png (with DOSEWATCH_UPDATE_SCREENSHOTS=1): a month of data."""
    shots = REPO / "docs" / "console" if os.environ.get("DOSEWATCH_UPDATE_SCREENSHOTS") else running.data_dir
    admin.set_viewport_size(DESKTOP)
    admin.goto(f"/patients/{rosa_id}?days=30")
    start = admin.get_by_role("heading", name="Adherence, last 30 days").bounding_box()
    end = admin.get_by_role("heading", name="Caregivers").bounding_box()
    admin.screenshot(path=str(shots / "patient-charts.png"), full_page=True,
                     clip={"x": 0, "y": start["y"] - 8, "width": DESKTOP["width"], "height": end["y"] - start["y"]})

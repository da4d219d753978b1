"""Managing a patient in a real browser against the real service (``dosewatch up``): the admin sets
up, adds Rosa with a schedule and two caregivers, changes the schedule's times and the caregivers'
order, sets a caregiver's quiet hours and the patient's clinical settings; a form with a mistake
comes back with the mistake named. Then axe-core checks the manage pages (errors shown too): no
serious or critical violation, light and dark, 360 px wide and desktop.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from alerts.db import Database
from alerts.models import Caregiver, DoseSchedule, Patient
from tests.browser.conftest import REPO, RunningApp
from tests.browser.test_console_journeys import DESKTOP, PHONE, _axe, _sign_up

ANN_PHONE, BOB_PHONE = "+14155550111", "+14155550112"


class Manage:
    def __init__(self, running: RunningApp, browser: Any) -> None:
        self.app = running
        self.db = Database(running.database_url)
        self.context = browser.new_context(viewport=DESKTOP, base_url=running.base)
        self.page = self.context.new_page()
        self.rosa_id = 0
        self.shots = REPO / "docs" / "console" if os.environ.get("DOSEWATCH_UPDATE_SCREENSHOTS") else \
            Path(running.data_dir) / "screenshots"
        self.shots.mkdir(parents=True, exist_ok=True)

    def rows(self, stmt: Any) -> list[Any]:
        with self.db.sessionmaker() as s:
            return list(s.execute(stmt))


@pytest.fixture(scope="module")
def manage(running: RunningApp, browser: Any) -> Any:
    m = Manage(running, browser)
    yield m
    m.context.close()
    m.db.dispose()


def test_admin_sets_up_rosa_with_a_schedule_and_two_caregivers(manage: Manage) -> None:
    page = manage.page
    link = manage.app.setup_link()
    assert link
    _sign_up(page, link, "Ada Admin", "ada@example.org")
    page.get_by_role("link", name="Add patient").click()
    page.get_by_label("Name").fill("Rosa Diaz")
    page.get_by_label("Time zone (IANA)").fill("America/New_York")
    page.get_by_role("button", name="Add patient").click()
    page.wait_for_url("**/manage")
    manage.rosa_id = int(re.search(r"/patients/(\d+)/manage", page.url).group(1))  # type: ignore[union-attr]
    page.get_by_label("Dose times, local").fill("08:00, 14:00, 20:00")
    page.get_by_label("Dose (mg)").fill("10")
    page.get_by_role("button", name="Add schedule").click()
    for name, phone in (("Ann", ANN_PHONE), ("Bob", BOB_PHONE)):
        page.locator("#cg-name").fill(name)
        page.locator("#cg-phone").fill(phone)
        page.get_by_role("button", name="Add caregiver").click()
        expect(page.locator("main")).to_contain_text(f"{name} added at position")


def test_a_schedule_is_changed_in_place_and_a_mistake_is_named_first(manage: Manage) -> None:
    page = manage.page
    page.get_by_role("link", name="Change schedule 08:00, 14:00, 20:00").click()
    page.get_by_label("Dose times, local").fill("09:00, 25:00")
    page.get_by_role("button", name="Save the new schedule").click()
    expect(page.get_by_role("alert")).to_contain_text("25:00")
    page.get_by_label("Dose times, local").fill("09:00, 21:00")
    page.get_by_role("button", name="Save the new schedule").click()
    page.wait_for_url("**/manage")
    expect(page.locator("main")).to_contain_text("Schedule changed: 09:00, 21:00 from the dose due")
    versions = manage.rows(select(DoseSchedule.times, DoseSchedule.active, DoseSchedule.replaces_id)
                           .where(DoseSchedule.patient_id == manage.rosa_id).order_by(DoseSchedule.id))
    assert [(times, active) for times, active, _ in versions] == [(["08:00", "14:00", "20:00"], False),
                                                                   (["09:00", "21:00"], True)]
    assert versions[1][2] is not None  # the new version names the one it replaced


def test_the_caregivers_order_is_changed_so_bob_is_called_first(manage: Manage) -> None:
    page = manage.page
    page.get_by_role("link", name="Escalation: steps and caregivers' order").click()
    page.get_by_label("Place of Ann").fill("2")
    page.get_by_label("Place of Bob").fill("2")
    page.get_by_role("button", name="Save the order").click()
    expect(page.get_by_role("alert")).to_contain_text("same place")
    page.get_by_label("Place of Ann").fill("2")
    page.get_by_label("Place of Bob").fill("1")
    page.get_by_role("button", name="Save the order").click()
    page.wait_for_url("**/manage")
    expect(page.locator("main")).to_contain_text("Caregivers reordered: 1. Bob, 2. Ann.")
    expect(page.locator("ol li")).to_have_text([f"Bob ({BOB_PHONE}) Remove Bob", f"Ann ({ANN_PHONE}) Remove Ann"])
    assert manage.rows(select(Caregiver.name).where(Caregiver.patient_id == manage.rosa_id)
                       .order_by(Caregiver.position)) == [("Bob",), ("Ann",)]
    page.goto(f"/patients/{manage.rosa_id}/escalation")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(manage.shots / "escalation-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/patients/{manage.rosa_id}/manage")


def test_quiet_hours_and_clinical_settings_are_saved(manage: Manage) -> None:
    page = manage.page
    page.get_by_role("link", name="Ann", exact=True).click()
    page.get_by_label("From").fill("22:00")
    page.get_by_label("Until").fill("07:00")
    page.get_by_label("Language of Ann's texts").select_option("es")
    page.get_by_role("button", name="Save Ann's settings").click()
    expect(page.locator("main")).to_contain_text("Ann's settings saved.")
    page.get_by_role("link", name="Clinical settings and language").click()
    page.get_by_label("Impaired kidney function").check()
    page.get_by_role("button", name="Save clinical settings").click()
    expect(page.locator("main")).to_contain_text("Clinical settings and language saved.")
    assert manage.rows(select(Caregiver.quiet_start, Caregiver.quiet_end, Caregiver.language)
                       .where(Caregiver.name == "Ann")) == [("22:00", "07:00", "es")]
    assert manage.rows(select(Patient.renal_impairment).where(Patient.id == manage.rosa_id)) == [(True,)]


def test_the_manage_pages_have_no_serious_accessibility_violation(manage: Manage) -> None:
    page = manage.page
    schedule_id = manage.rows(select(DoseSchedule.id).where(DoseSchedule.active.is_(True)))[0][0]
    ann_id = manage.rows(select(Caregiver.id).where(Caregiver.name == "Ann"))[0][0]
    base = f"/patients/{manage.rosa_id}"
    views: list[tuple[str, Any]] = [(f"{base}/manage", None), (f"{base}/schedules/{schedule_id}/edit", None),
                                    (f"{base}/escalation", None), (f"{base}/caregivers/{ann_id}/edit", None),
                                    (f"{base}/settings", None)]

    def schedule_error() -> None:
        page.get_by_label("Dose (mg)").fill("lots")
        page.get_by_role("button", name="Save the new schedule").click()

    def steps_error() -> None:
        page.locator("#custom-yes").check()
        page.locator("#target-1").select_option("caregiver")  # with no caregiver place
        page.get_by_role("button", name="Save the steps").click()

    views += [(f"{base}/schedules/{schedule_id}/edit", schedule_error), (f"{base}/escalation", steps_error)]
    failures = []
    for path, make_error in views:
        page.set_viewport_size(DESKTOP)
        page.emulate_media(color_scheme="light")
        page.goto(path)
        if make_error is not None:
            make_error()
            expect(page.get_by_role("alert")).to_be_visible()
        for scheme, viewport in (("light", PHONE), ("dark", PHONE), ("light", DESKTOP), ("dark", DESKTOP)):
            page.emulate_media(color_scheme=scheme)
            page.set_viewport_size(viewport)
            for v in _axe(page):
                failures.append(f"{path} {scheme} {viewport['width']}px: {v['impact']} {v['id']} ({v['help']}) "
                                f"at {v['nodes']}")
    assert not failures, "\n".join(failures)

"""The care console's journeys in a real browser against the real service (``dosewatch up``).

In order, sharing one running service: the first admin sets up from the link ``up`` printed; a
clinician (invited by the admin) adds a patient, a schedule and two caregivers; a caregiver signs
in with the code texted to her (read from the outbox); a missed dose appears and she acknowledges
it on the web, and the other caregiver is told; a seizure check-in shows as an emergency on her
list within seconds without a reload; a pause stops reminders; another family's patient is a 404;
a POST without a CSRF token is refused. Then axe-core checks every page: no serious or critical
violation, light and dark, 360 px wide and desktop.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from alerts.clock import utcnow
from alerts.db import Database
from alerts.models import Alert, AlertNote, Dose, Notification
from tests.browser.conftest import AXE, REPO, RunningApp, wait_for

PASSWORD = "browser test passphrase"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
ROSA_PHONE, ANN_PHONE, BOB_PHONE = "+14155550100", "+14155550111", "+14155550112"


class Journey:
    """What the journeys share: the service, signed-in browser contexts, ids learnt on the way."""

    def __init__(self, running: RunningApp, browser: Any) -> None:
        self.app = running
        self.browser = browser
        self.db = Database(running.database_url)
        self.contexts: dict[str, Any] = {}
        self.rosa_id = 0
        self.omar_id = 0
        self.shots = REPO / "docs" / "console" if os.environ.get("DOSEWATCH_UPDATE_SCREENSHOTS") else \
            Path(running.data_dir) / "screenshots"
        self.shots.mkdir(parents=True, exist_ok=True)

    def page(self, who: str) -> Any:
        if who not in self.contexts:
            self.contexts[who] = self.browser.new_context(viewport=DESKTOP, base_url=self.app.base)
        ctx = self.contexts[who]
        return ctx.pages[0] if ctx.pages else ctx.new_page()

    def scalar(self, stmt: Any) -> Any:
        with self.db.sessionmaker() as s:
            return s.scalar(stmt)

    def execute(self, stmt: Any) -> None:
        with self.db.session() as s:
            s.execute(stmt)


@pytest.fixture(scope="module")
def journey(running: RunningApp, browser: Any) -> Any:
    j = Journey(running, browser)
    yield j
    for ctx in j.contexts.values():
        ctx.close()
    j.db.dispose()


def _sign_up(page: Any, link: str, name: str, email: str) -> None:
    page.goto(link)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/patients")


def test_first_admin_sets_up_from_the_link_up_printed(journey: Journey) -> None:
    link = journey.app.setup_link()
    assert link and link.startswith(journey.app.base)
    page = journey.page("admin")
    _sign_up(page, link, "Ada Admin", "ada@example.org")
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    # The link was for one use.
    assert journey.page("anon").goto(link).status == 404


def test_clinician_adds_a_patient_a_schedule_and_two_caregivers(journey: Journey) -> None:
    admin = journey.page("admin")
    admin.goto("/invite")
    admin.get_by_label("Role").select_option("clinician")
    admin.get_by_role("button", name="Create invite link").click()
    link = admin.locator("#invite-link").inner_text()
    lee = journey.page("clinician")
    _sign_up(lee, link, "Nurse Lee", "lee@example.org")

    lee.get_by_role("link", name="Add patient").click()
    lee.get_by_label("Name").fill("Rosa Diaz")
    lee.get_by_label("Time zone (IANA)").fill("America/New_York")
    lee.get_by_label("Patient's mobile (optional)").fill(ROSA_PHONE)
    lee.get_by_role("button", name="Add patient").click()
    lee.wait_for_url("**/manage")
    journey.rosa_id = int(re.search(r"/patients/(\d+)/manage", lee.url).group(1))  # type: ignore[union-attr]

    lee.get_by_label("Dose times, local").fill("08:00, 14:00, 20:00")
    lee.get_by_label("Dose (mg)").fill("10")
    lee.get_by_role("button", name="Add schedule").click()
    expect(lee.locator("main")).to_contain_text("Schedule added: 08:00, 14:00, 20:00")
    for name, phone in (("Ann", ANN_PHONE), ("Bob", BOB_PHONE)):
        lee.locator("#cg-name").fill(name)
        lee.locator("#cg-phone").fill(phone)
        lee.get_by_role("button", name="Add caregiver").click()
        expect(lee.locator("main")).to_contain_text(f"{name} added at position")
    expect(lee.locator("ol li")).to_have_text([f"Ann ({ANN_PHONE}) Remove Ann", f"Bob ({BOB_PHONE}) Remove Bob"])
    lee.screenshot(path=str(journey.shots / "manage.png"), full_page=True)
    assert journey.scalar(select(func.count()).select_from(Dose).where(Dose.patient_id == journey.rosa_id,
                                                                       Dose.status == "pending")) == 1


def test_caregiver_signs_in_with_a_code_texted_to_her(journey: Journey) -> None:
    ann = journey.page("ann")
    ann.set_viewport_size(PHONE)
    ann.goto("/signin")
    ann.get_by_role("link", name="Sign in with a code texted to your phone").click()
    ann.get_by_label("Your mobile number").fill(ANN_PHONE)
    ann.get_by_role("button", name="Text me a code").click()
    body = wait_for(lambda: journey.scalar(select(Notification.body).where(
        Notification.to_number == ANN_PHONE, Notification.kind == "sign_in_code")), 10)
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    ann.get_by_label("Code").fill(code)
    ann.get_by_role("button", name="Sign in").click()
    ann.wait_for_url("**/patients")
    expect(ann.get_by_role("link", name="Rosa Diaz")).to_be_visible()
    assert ann.get_by_role("link", name="Add patient").count() == 0  # not staff


def _miss_next_dose(journey: Journey) -> int:
    """Rosa's pending dose, moved so that its grace ran out ten minutes ago; the tick finds it."""
    now = utcnow()
    dose_id = journey.scalar(select(Dose.id).where(Dose.patient_id == journey.rosa_id, Dose.status == "pending"))
    journey.execute(update(Dose).where(Dose.id == dose_id).values(due_at=now - timedelta(minutes=40),
                                                                  check_at=now - timedelta(minutes=10)))
    return int(dose_id)


def test_a_missed_dose_is_acknowledged_on_the_web_and_the_other_caregiver_is_told(journey: Journey) -> None:
    _miss_next_dose(journey)
    alert_id = wait_for(lambda: journey.scalar(select(Alert.id).where(Alert.patient_id == journey.rosa_id,
                                                                      Alert.status == "open")), 15)
    assert alert_id, journey.app.log()

    # Escalation steps are minutes apart; bring each one forward until Rosa, Ann and Bob were all told.
    def everyone_told() -> bool:
        journey.execute(update(Alert).where(Alert.id == alert_id, Alert.next_step < 3)
                        .values(next_step_at=utcnow() - timedelta(seconds=1)))
        return bool(journey.scalar(select(Alert.next_step).where(Alert.id == alert_id)) >= 3)

    assert wait_for(everyone_told, 20, 0.5)
    ann = journey.page("ann")
    ann.goto("/alerts")
    expect(ann.locator("main")).to_contain_text("Missed dose")
    ann.screenshot(path=str(journey.shots / "alerts-phone.png"), full_page=True)
    ann.get_by_role("button", name=re.compile("Acknowledge alert .* as me")).click()
    expect(ann.locator("main")).to_contain_text("Acknowledged.")
    assert journey.scalar(select(Alert.status).where(Alert.id == alert_id)) == "acknowledged"

    def bob_told() -> str | None:
        return journey.scalar(select(Notification.status).where(
            Notification.alert_id == alert_id, Notification.to_number == BOB_PHONE, Notification.kind == "all_clear"))

    assert wait_for(lambda: bob_told() == "recorded", 15), journey.app.log()  # sent (console notifier)
    body = journey.scalar(select(Notification.body).where(Notification.alert_id == alert_id,
                                                          Notification.to_number == BOB_PHONE,
                                                          Notification.kind == "all_clear"))
    assert "Ann is handling" in body
    ann.goto(f"/patients/{journey.rosa_id}")
    expect(ann.locator("main")).to_contain_text("Acknowledged by Ann")


def test_a_seizure_check_in_shows_as_an_emergency_on_the_list_without_reload(journey: Journey) -> None:
    token = journey.app.cli("admin", "create-token", "--name", "Rosa's watch", "--patient-id", str(journey.rosa_id)).strip()
    ann = journey.page("ann")
    ann.set_viewport_size(DESKTOP)
    ann.goto("/patients")
    row = ann.locator(f"#patient-{journey.rosa_id}")
    assert "Emergency" not in row.inner_text()
    ann.evaluate("window.__sameDocument = true")
    started = time.monotonic()
    request = urllib.request.Request(
        f"{journey.app.base}/v1/patients/{journey.rosa_id}/checkins", method="POST",
        data=json.dumps({"recorded_at": utcnow().isoformat(), "symptoms": {"seizure": 6}}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status == 201
    expect(row).to_contain_text("Emergency", timeout=8000)
    waited = time.monotonic() - started
    assert waited < 8
    assert ann.evaluate("window.__sameDocument") is True  # no reload: the page polled
    ann.screenshot(path=str(journey.shots / "patients.png"), full_page=True)
    ann.emulate_media(color_scheme="dark")
    # A column header breaks between words only ("Vitals" once read "Vital s"): no more lines than words.
    assert ann.evaluate("""() => [...document.querySelectorAll('thead th')].filter(th => {
        const r = document.createRange(); r.selectNodeContents(th);
        return r.getClientRects().length > th.textContent.trim().split(/[\\s-]+/).length;
    }).map(th => th.textContent)""") == []
    ann.screenshot(path=str(journey.shots / "patients-dark.png"), full_page=True)
    ann.emulate_media(color_scheme="light")


def test_a_pause_stops_reminders(journey: Journey) -> None:
    lee = journey.page("clinician")
    lee.goto(f"/patients/{journey.rosa_id}/manage")
    lee.get_by_label("For how many days").fill("2")
    lee.get_by_label("Reason").fill("hospital stay")
    lee.get_by_role("button", name="Pause missed-dose alerts").click()
    expect(lee.locator("main")).to_contain_text("Missed-dose alerts paused until")
    alerts_before = journey.scalar(select(func.count()).select_from(Alert).where(Alert.patient_id == journey.rosa_id,
                                                                                 Alert.kind == "missed_dose"))
    dose_id = _miss_next_dose(journey)
    assert wait_for(lambda: journey.scalar(select(Dose.status).where(Dose.id == dose_id)) == "missed", 15)
    time.sleep(2.5)  # a couple more ticks: nothing may follow
    assert journey.scalar(select(func.count()).select_from(Alert).where(Alert.patient_id == journey.rosa_id,
                                                                        Alert.kind == "missed_dose")) == alerts_before
    lee.goto("/patients")
    expect(lee.locator(f"#patient-{journey.rosa_id}")).to_contain_text("Alerts paused until")


def test_a_caregiver_cannot_open_another_familys_patient(journey: Journey) -> None:
    out = journey.app.cli("admin", "create-patient", "--name", "Omar Khan", "--timezone", "Europe/London")
    journey.omar_id = int(re.search(r"patient (\d+)", out).group(1))  # type: ignore[union-attr]
    journey.app.cli("admin", "add-caregiver", "--patient-id", str(journey.omar_id), "--name", "Oscar",
                    "--phone", "+14155550199")
    ann = journey.page("ann")
    response = ann.goto(f"/patients/{journey.omar_id}")
    assert response.status == 404
    assert "Omar" not in ann.content()
    ann.goto("/patients")
    assert "Omar Khan" not in ann.content()


def test_a_post_without_a_csrf_token_is_refused(journey: Journey) -> None:
    alert_id = journey.scalar(select(Alert.id).where(Alert.patient_id == journey.rosa_id).order_by(Alert.id))
    notes = journey.scalar(select(func.count()).select_from(AlertNote))
    ann_ctx = journey.contexts["ann"]
    response = ann_ctx.request.post(f"/alerts/{alert_id}/note", form={"note": "forged"})
    assert response.status == 400
    assert journey.scalar(select(func.count()).select_from(AlertNote)) == notes


# -- accessibility --------------------------------------------------------------------------------------

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


def test_every_page_has_no_serious_accessibility_violation_light_dark_phone_desktop(journey: Journey) -> None:
    admin = journey.page("admin")
    admin.goto("/invite")
    admin.get_by_role("button", name="Create invite link").click()
    setup_path = "/setup/" + admin.locator("#invite-link").inner_text().rsplit("/", 1)[1]
    pages = {
        "anon": ["/signin", "/signin/code", setup_path],
        "ann": ["/patients", f"/patients/{journey.rosa_id}", "/alerts", "/reports", f"/patients/{journey.omar_id}"],
        "clinician": [f"/patients/{journey.rosa_id}/manage", "/manage/patients/new", "/sandbox"],
        "admin": ["/audit", "/invite"],
    }
    failures = []
    checked = 0
    for who, paths in pages.items():
        page = journey.page(who)
        for path in paths:
            page.goto(path)
            for scheme, viewport in (("light", PHONE), ("dark", PHONE), ("light", DESKTOP), ("dark", DESKTOP)):
                page.emulate_media(color_scheme=scheme)
                page.set_viewport_size(viewport)
                checked += 1
                for v in _axe(page):
                    failures.append(f"{path} {scheme} {viewport['width']}px: {v['impact']} {v['id']} ({v['help']}) "
                                    f"at {v['nodes']}")
            if path == f"/patients/{journey.rosa_id}" and who == "ann":
                page.set_viewport_size(PHONE)
                page.emulate_media(color_scheme="light")
                page.screenshot(path=str(journey.shots / "patient-phone.png"), full_page=True)
        page.emulate_media(color_scheme="light")
    print(f"axe-core: {checked} page views checked, {len(failures)} serious or critical violations")
    assert not failures, "\n".join(failures)

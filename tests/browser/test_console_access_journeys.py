"""Browser journeys of staff sign-in with TOTP, bulk acknowledge, test messages and the care team,
against the real service (``dosewatch up``), with axe-core on each new page: light and dark, 360 px
wide and desktop.

In order, sharing one running service: the first admin sets up and turns on two-step sign-in from
the account page (key read off the page, codes made with pyotp as an authenticator app would);
signs out and back in with the password and then the code; acknowledges two patients' alerts in
one go from the Alerts page; sends a test message from the manage page, which the console
notifier delivers.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from alerts.clock import utcnow
from alerts.db import Database
from alerts.models import Alert, Notification, Patient
from alerts.services import alerts as alert_service
from tests.browser.conftest import RunningApp, wait_for
from tests.browser.test_console_journeys import DESKTOP, PHONE, _axe, _sign_up

ANN_PHONE = "+14155550121"


class Visit:
    def __init__(self, running: RunningApp, browser: Any) -> None:
        self.app = running
        self.db = Database(running.database_url)
        self.ctx = browser.new_context(viewport=DESKTOP, base_url=running.base)
        self.page = self.ctx.new_page()
        self.totp: pyotp.TOTP | None = None
        self.patients: list[int] = []
        self.failures: list[str] = []
        self.checked = 0

    def scalar(self, stmt: Any) -> Any:
        with self.db.sessionmaker() as s:
            return s.scalar(stmt)

    def axe(self, label: str) -> None:
        """axe-core on the page as it is now, light and dark, 360 px and desktop."""
        for scheme, viewport in (("light", PHONE), ("dark", PHONE), ("light", DESKTOP), ("dark", DESKTOP)):
            self.page.emulate_media(color_scheme=scheme)
            self.page.set_viewport_size(viewport)
            self.checked += 1
            for v in _axe(self.page):
                self.failures.append(f"{label} {scheme} {viewport['width']}px: {v['impact']} {v['id']} "
                                     f"({v['help']}) at {v['nodes']}")
        self.page.emulate_media(color_scheme="light")
        self.page.set_viewport_size(DESKTOP)


@pytest.fixture(scope="module")
def visit(running: RunningApp, browser: Any) -> Any:
    v = Visit(running, browser)
    yield v
    v.ctx.close()
    v.db.dispose()


def test_the_admin_turns_on_two_step_sign_in_from_the_account_page(visit: Visit) -> None:
    page = visit.page
    _sign_up(page, visit.app.setup_link(), "Ada Admin", "ada@example.org")  # type: ignore[arg-type]
    page.get_by_role("link", name="Account").click()
    expect(page.locator("main")).to_contain_text("Your password alone signs you in")
    visit.axe("/account (off)")
    page.get_by_role("button", name="Set up two-step sign-in").click()
    page.wait_for_url("**/account/totp")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    visit.axe("/account/totp")
    visit.totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("6-digit code from the app").fill(visit.totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("h1")).to_have_text("Two-step sign-in is on")
    assert page.locator("#recovery-codes li").count() == 8
    visit.axe("recovery codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("main")).to_contain_text("Recovery codes left: 8")
    visit.axe("/account (on)")


def test_sign_in_asks_for_the_code_after_the_password(visit: Visit) -> None:
    page = visit.page
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("browser test passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/signin/totp**")
    visit.axe("/signin/totp")
    assert visit.totp is not None
    # The next step's code: the current one was spent by the enrolment (each code works once).
    page.get_by_label(re.compile("6-digit code")).fill(visit.totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/patients")
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()


def _open_alert(visit: Visit, patient_id: int) -> int:
    with visit.db.session() as s:
        p = s.get(Patient, patient_id)
        now = utcnow()
        alert = alert_service.open_alert(s, p, p.caregivers, kind="missed_dose", condition_key="missed_dose",
                                         now=now, details={"patient_name": p.name, "dose_time": "08:00",
                                                           "due_at": now.isoformat()})
        return int(alert.id)


def test_staff_acknowledge_two_alerts_at_once(visit: Visit) -> None:
    for name, phone in (("Rosa Diaz", ANN_PHONE), ("Omar Khan", "+14155550122")):
        out = visit.app.cli("admin", "create-patient", "--name", name, "--timezone", "America/New_York")
        pid = int(re.search(r"patient (\d+)", out).group(1))  # type: ignore[union-attr]
        visit.app.cli("admin", "add-caregiver", "--patient-id", str(pid), "--name", name.split()[0] + "'s son",
                      "--phone", phone)
        visit.patients.append(pid)
    alert_ids = [_open_alert(visit, pid) for pid in visit.patients]
    page = visit.page
    page.goto("/alerts")
    visit.axe("/alerts (staff, bulk)")
    page.get_by_label(re.compile(r"Tick alert .* \(Rosa Diaz\)")).check()
    page.get_by_label(re.compile(r"Tick alert .* \(Omar Khan\)")).check()
    page.get_by_label("Note for each ticked alert (optional)").fill("clinic is calling both")
    page.get_by_role("button", name="Acknowledge ticked alerts as me").click()
    expect(page.locator("main")).to_contain_text("Acknowledged 2 alerts.")
    for alert_id in alert_ids:
        assert visit.scalar(select(Alert.status).where(Alert.id == alert_id)) == "acknowledged"
        assert visit.scalar(select(Alert.close_reason).where(Alert.id == alert_id)) == "ack_console"


def test_a_test_message_from_the_manage_page_reaches_the_console_notifier(visit: Visit) -> None:
    link = visit.app.cli("admin", "invite", "--role", "clinician", "--email", "lee@example.org")
    lee_ctx = visit.page.context.browser.new_context(viewport=DESKTOP, base_url=visit.app.base)
    _sign_up(lee_ctx.new_page(), re.search(r"(http://\S+/setup/\S+)", link).group(1),  # type: ignore[union-attr]
             "Nurse Lee", "lee@example.org")
    lee_ctx.close()
    page = visit.page
    page.goto(f"/patients/{visit.patients[0]}/manage")
    visit.axe("/patients/<id>/manage (admin: contacts, care team)")
    page.get_by_label("Clinician").select_option(label="Nurse Lee")
    page.get_by_role("button", name="Assign to Rosa Diaz").click()
    expect(page.get_by_role("button", name="Unassign Nurse Lee")).to_be_visible()
    page.get_by_role("button", name="Send a test message to Rosa's son").click()
    expect(page.locator("main")).to_contain_text("Test message sent to Rosa's son")
    assert wait_for(lambda: visit.scalar(select(Notification.status).where(
        Notification.kind == "test_message", Notification.to_number == ANN_PHONE)) == "recorded", 15), \
        visit.app.log()


def test_the_new_pages_have_no_serious_accessibility_violation(visit: Visit) -> None:
    print(f"axe-core: {visit.checked} page views checked, {len(visit.failures)} serious or critical violations")
    assert visit.checked >= 28
    assert not visit.failures, "\n".join(visit.failures)

"""'Send a test message' on the manage page: one outbox row per click (a double-click sends one),
a plain text that names dosewatch and asks no reply, never to a number that replied STOP, audited,
and delivered by the console notifier while no Twilio account is configured."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import AuditEvent, Notification, OptOut
from alerts.notify.console import ConsoleNotifier
from alerts.services.sender import deliver_due
from tests.support.settings import SEND

NONCE = re.compile(r'name="nonce" value="([0-9a-f]{32})"')


def _fresh(session: Session) -> Session:
    return Session(session.get_bind())


@dataclass(frozen=True)
class Row:
    to_number: str
    recipient_kind: str
    recipient_id: int
    alert_id: int | None
    body: str
    status: str


def _tests(session: Session) -> list[Row]:
    with _fresh(session) as s:
        return [Row(n.to_number, n.recipient_kind, n.recipient_id, n.alert_id, n.body, n.status)
                for n in s.scalars(select(Notification).where(Notification.kind == "test_message")
                                   .order_by(Notification.id))]


def _send(c, family, kind: str, contact_id: int, nonce: str | None = None):  # type: ignore[no-untyped-def]
    page = c.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    nonce = nonce or NONCE.search(page).group(1)  # type: ignore[union-attr]
    r = c.post(f"/patients/{family.rosa.id}/contacts/{kind}/{contact_id}/test", {"nonce": nonce})
    return r, nonce


def test_a_test_message_is_one_outbox_row_that_the_console_notifier_delivers(family, session, db, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    page = lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    for name in ("Rosa Diaz", "Ann", "Bob"):
        assert f"Send a test message to {name}" in page
    r, _ = _send(lee, family, "caregiver", family.ann.id)
    assert r.status_code == 302 and r.headers["Location"].endswith("/manage#contacts")
    assert "Test message sent to Ann" in lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    [row] = _tests(session)
    assert (row.to_number, row.recipient_kind, row.recipient_id, row.alert_id) == (
        family.ann.phone, "caregiver", family.ann.id, None)
    assert row.body == ("dosewatch test message: this phone is set up to get dosewatch alerts about Rosa Diaz. "
                        "No reply is needed.")
    out = io.StringIO()
    deliver_due(db.sessionmaker, ConsoleNotifier(stream=out), utcnow, **SEND)
    assert _tests(session)[0].status == "recorded"
    assert row.body in out.getvalue()
    with _fresh(session) as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "test_message"))
        assert (event.patient_id, event.target, event.details) == (
            family.rosa.id, f"caregiver {family.ann.id}", {"outcome": "queued"})
        assert family.ann.phone not in event.target + event.actor


def test_a_double_click_sends_once_and_a_new_page_may_send_again(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    _, nonce = _send(lee, family, "patient", family.rosa.id)
    _send(lee, family, "patient", family.rosa.id, nonce)  # the same page's button, pressed again
    assert "already sent from this page" in lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    assert len(_tests(session)) == 1
    _send(lee, family, "patient", family.rosa.id)  # a new page load, a new nonce
    rows = _tests(session)
    assert len(rows) == 2 and {r.to_number for r in rows} == {family.rosa.phone}
    assert rows[0].body == "dosewatch test message: this phone is set up to get your dosewatch dose reminders. " \
                           "No reply is needed."


def test_a_number_that_replied_stop_is_not_texted_and_the_page_says_why(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    session.add(OptOut(phone=family.bob.phone, opted_out_at=utcnow(), active=True))
    session.commit()
    make_staff("clinician", "lee@example.org", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    assert "replied STOP" in lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    _send(lee, family, "caregiver", family.bob.id)
    page = lee.get(f"/patients/{family.rosa.id}/manage").get_data(as_text=True)
    assert "Not sent: Bob&#39;s phone (ending 0112) replied STOP" in page
    assert _tests(session) == []
    with _fresh(session) as s:
        assert s.scalar(select(AuditEvent.details).where(AuditEvent.action == "test_message")) == {
            "outcome": "opted_out"}


def test_another_patients_caregiver_and_a_bad_nonce_are_refused(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("admin", "ada@example.org")
    ada = console().sign_in_staff("ada@example.org")
    r, _ = _send(ada, family, "caregiver", family.oscar.id)  # Oscar cares for Omar, not Rosa
    assert r.status_code == 404
    r = ada.post(f"/patients/{family.rosa.id}/contacts/caregiver/{family.ann.id}/test", {"nonce": "x"})
    assert r.status_code == 422
    assert _tests(session) == []

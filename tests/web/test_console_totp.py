"""Optional TOTP for staff: enrolment from the account page, the code asked after the password,
each code working once, recovery codes working once, and turning it off only with a code."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import AuditEvent, RecoveryCode, User
from tests.web.conftest import CSRF, PASSWORD

EMAIL = "lee@example.org"


def _fresh(session: Session) -> Session:
    return Session(session.get_bind())


def _enrol(c) -> tuple[pyotp.TOTP, list[str]]:  # type: ignore[no-untyped-def]
    """Through the pages: start, read the key shown as text, confirm with the app's code."""
    assert c.post("/account/totp").headers["Location"].endswith("/account/totp")
    page = c.get("/account/totp").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert "<svg" in page  # the QR code, drawn on the server
    app_ = pyotp.TOTP(secret)
    done = c.post("/account/totp/confirm", {"code": app_.now()})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True))
    return app_, codes


def _next_code(app_: pyotp.TOTP, steps: int = 1) -> str:
    """The code of a coming 30-second step (still accepted: phones' clocks drift), so a test need
    not wait for a new step after the one enrolment spent."""
    return app_.at(time.time() + 30 * steps)


def _password(c, email: str = EMAIL):  # type: ignore[no-untyped-def]
    return c.client.post("/signin", data={"csrf_token": c.csrf(), "email": email, "password": PASSWORD})


def _code(c, code: str):  # type: ignore[no-untyped-def]
    token = CSRF.search(c.client.get("/signin/totp").get_data(as_text=True))
    return c.client.post("/signin/totp", data={"csrf_token": token.group(1) if token else c.csrf(), "code": code})


def test_enrolment_shows_the_key_and_turns_on_only_after_a_matching_code(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    c = console().sign_in_staff(EMAIL)
    assert "Set up two-step sign-in" in c.get("/account").get_data(as_text=True)
    c.post("/account/totp")
    assert c.post("/account/totp/confirm", {"code": "000000"}).status_code == 302
    with _fresh(session) as s:
        user = s.scalar(select(User).where(User.email == EMAIL))
        assert user.totp_secret and user.totp_enabled_at is None
    app_, codes = _enrol(c)
    assert len(codes) == 8 and len(set(codes)) == 8
    with _fresh(session) as s:
        user = s.scalar(select(User).where(User.email == EMAIL))
        assert user.totp_enabled_at is not None
        hashes = s.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
        assert len(hashes) == 8 and not set(hashes) & set(codes)  # only hashes are kept
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "totp_on")) == "totp_on"
    assert "Recovery codes left: 8" in c.get("/account").get_data(as_text=True)


def test_sign_in_asks_for_the_code_after_the_password_and_accepts_the_apps_code(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    app_, _ = _enrol(console().sign_in_staff(EMAIL))
    c = console()
    r = _password(c)
    assert r.status_code == 302 and r.headers["Location"].startswith("/signin/totp")
    assert c.get("/patients").status_code == 302  # not signed in by the password alone
    r = _code(c, _next_code(app_))
    assert r.status_code == 302 and r.headers["Location"].endswith("/patients")
    assert c.get("/patients").status_code == 200


def test_a_wrong_code_is_refused(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    app_, _ = _enrol(console().sign_in_staff(EMAIL))
    c = console()
    _password(c)
    wrong = f"{(int(_next_code(app_)) + 1) % 10**6:06d}"
    assert _code(c, wrong).status_code == 401
    assert c.get("/patients").status_code == 302
    with _fresh(session) as s:
        failed = s.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).all()
        assert [e.details for e in failed] == [{"step": "totp"}]


def test_the_same_code_is_refused_a_second_time_within_its_window(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    app_, _ = _enrol(console().sign_in_staff(EMAIL))
    code = _next_code(app_)
    first = console()
    _password(first)
    assert _code(first, code).status_code == 302
    second = console()
    _password(second)
    assert _code(second, code).status_code == 401
    assert second.get("/patients").status_code == 302


def test_a_wrong_password_answers_the_same_whether_or_not_totp_is_on(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    make_staff("clinician", "kim@example.org")
    _enrol(console().sign_in_staff(EMAIL))

    def wrong(email: str) -> tuple[int, str]:
        c = console()
        r = c.client.post("/signin", data={"csrf_token": c.csrf(), "email": email, "password": "not it at all"})
        page = re.sub(r'"X-CSRFToken": "[^"]+"', "", CSRF.sub("", r.get_data(as_text=True)))
        return r.status_code, page.replace(email, "EMAIL")

    assert wrong(EMAIL) == wrong("kim@example.org")
    assert wrong(EMAIL)[0] == 401


def test_a_recovery_code_signs_in_once(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    _, codes = _enrol(console().sign_in_staff(EMAIL))
    c = console()
    _password(c)
    r = _code(c, codes[3].upper())  # as typed from a printout
    assert r.status_code == 302 and c.get("/patients").status_code == 200
    again = console()
    _password(again)
    assert _code(again, codes[3]).status_code == 401
    assert "Recovery codes left: 7" in c.get("/account").get_data(as_text=True)


def test_a_few_wrong_codes_send_back_to_the_password_and_the_code_step_is_rate_limited(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    console().sign_in_staff(EMAIL)  # an account page session, then TOTP on
    app_, _ = _enrol(console().sign_in_staff(EMAIL))
    c = console()
    statuses = []
    for _ in range(2):
        _password(c)
        statuses += [_code(c, "123456").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 302] * 2  # the fifth wrong code ends the attempt
    _password(c)
    assert _code(c, _next_code(app_)).status_code == 429  # ten wrong codes an hour for the account


def test_the_code_must_follow_the_password_within_minutes(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    app_, _ = _enrol(console().sign_in_staff(EMAIL))
    c = console()
    _password(c)
    later = utcnow() + timedelta(minutes=6)
    with freeze_time(later):
        r = _code(c, pyotp.TOTP(app_.secret).at(later))
    assert r.status_code == 302 and r.headers["Location"].endswith("/signin")
    assert c.get("/patients").status_code == 302


def test_turning_it_off_needs_a_current_code(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    c = console().sign_in_staff(EMAIL)
    app_, _ = _enrol(c)
    c.post("/account/totp/off", {"code": "000000"})
    with _fresh(session) as s:
        assert s.scalar(select(User.totp_enabled_at).where(User.email == EMAIL)) is not None
    c.post("/account/totp/off", {"code": _next_code(app_)})
    with _fresh(session) as s:
        user = s.scalar(select(User).where(User.email == EMAIL))
        assert user.totp_enabled_at is None and user.totp_secret is None
        assert s.scalars(select(RecoveryCode)).all() == []
    assert _password(console()).headers["Location"].endswith("/patients")  # the password alone again


def test_new_recovery_codes_need_a_current_app_code_replace_the_old_and_are_shown_once(
        family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", EMAIL)
    c = console().sign_in_staff(EMAIL)
    app_, old = _enrol(c)
    _password(c)
    assert _code(c, old[0]).status_code == 302  # one old code spent: 7 left

    # Neither a wrong code nor a recovery code will do: the old codes keep working.
    for refused in ("000000", old[1]):
        r = c.post("/account/totp/recovery-codes", {"code": refused})
        assert r.status_code == 302 and r.headers["Location"].endswith("/account")
    assert "Recovery codes left: 7" in c.get("/account").get_data(as_text=True)

    made = c.post("/account/totp/recovery-codes", {"code": _next_code(app_)})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    new = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", made.get_data(as_text=True))
    assert len(set(new)) == 8 and not set(new) & set(old)
    account = c.get("/account").get_data(as_text=True)
    assert "Recovery codes left: 8" in account and not any(code in account for code in new)  # shown that once
    for code, status in ((old[2], 401), (new[0], 302)):
        fresh = console()
        _password(fresh)
        assert _code(fresh, code).status_code == status
    with _fresh(session) as s:
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "totp_recovery_codes"))


def test_caregivers_have_no_totp_pages(family, session, console) -> None:  # type: ignore[no-untyped-def]
    ann = console().sign_in_caregiver(session, family.ann.phone)
    assert ann.get("/account").status_code == 404
    assert ann.post("/account/totp").status_code == 404


def test_an_operator_turns_it_off_from_the_shell_for_someone_who_lost_phone_and_codes(app, family, session, make_staff,
                                                                                      console) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from alerts.cli import main
    from tests.web.test_console_cli import _env

    make_staff("clinician", EMAIL)
    _enrol(console().sign_in_staff(EMAIL))
    out = CliRunner().invoke(main, ["admin", "turn-off-totp", "--email", EMAIL], env=_env(app), catch_exceptions=False)
    assert out.exit_code == 0 and f"turned off for {EMAIL}" in out.output
    assert _password(console()).headers["Location"].endswith("/patients")
    with _fresh(session) as s:
        assert s.scalars(select(RecoveryCode)).all() == []
        assert s.scalar(select(AuditEvent.role).where(AuditEvent.action == "totp_off")) == "cli"

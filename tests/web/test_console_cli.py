"""The console's shell side: ``dosewatch admin invite``, ``dosewatch sms`` and the web SMS sandbox."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.cli import main
from alerts.clock import utcnow
from alerts.models import Alert, Caregiver, DoseEvent
from alerts.services.console_auth import open_invite


def _env(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"DATABASE_URL": app.config["DATABASE_URL"], "DOSEWATCH_DATA_DIR": app.config["DOSEWATCH_DATA_DIR"],
            "CELERY_BROKER_URL": "memory://", "NOTIFIER": "console", "CONSOLE_NOTIFIER_ECHO": "0",
            "PUBLIC_BASE_URL": "https://care.example.org", "TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": ""}


def test_admin_invite_prints_a_one_time_set_up_link(app, session) -> None:  # type: ignore[no-untyped-def]
    out = CliRunner().invoke(main, ["admin", "invite", "--role", "clinician", "--email", "lee@example.org"],
                             env=_env(app), catch_exceptions=False)
    assert out.exit_code == 0
    link = out.output.strip()
    assert link.startswith("https://care.example.org/setup/")
    invite = open_invite(session, link.rsplit("/", 1)[1], utcnow())
    assert invite is not None and invite.role == "clinician" and invite.email == "lee@example.org"


def test_dosewatch_sms_acts_as_the_text_would(app, family, session) -> None:  # type: ignore[no-untyped-def]
    out = CliRunner().invoke(main, ["sms", "--from", family.ann.phone, "OK"], env=_env(app), catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "understood: acknowledged" in out.output
    assert "queued all_clear" in out.output
    with Session(session.get_bind()) as s:
        assert s.get(Alert, family.alert.id).status == "acknowledged"


def test_the_sandbox_records_a_patients_taken_text(family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    make_staff("clinician", "lee@example.org", patients=(family.rosa,))
    lee = console().sign_in_staff("lee@example.org")
    page = lee.post("/sandbox", {"phone": family.rosa.phone, "body": "taken"}).get_data(as_text=True)
    assert "What dosewatch did: dose recorded" in page
    with Session(session.get_bind()) as s:
        assert s.scalars(select(DoseEvent.source).where(DoseEvent.patient_id == family.rosa.id)).one() == "sms"


def test_the_sandbox_texts_only_as_phones_of_the_clinicians_own_patients(
        family, session, make_staff, console) -> None:  # type: ignore[no-untyped-def]
    # Oscar cares for Omar (Lee's) and now for Rosa (Kim's) too: his text would reach both.
    make_staff("clinician", "lee@example.org", patients=(family.omar,))
    make_staff("admin", "ada@example.org")
    lee = console().sign_in_staff("lee@example.org")
    assert lee.post("/sandbox", {"phone": family.oscar.phone, "body": "ok"}).status_code == 200
    with Session(session.get_bind()) as s:
        s.add(Caregiver(patient_id=family.rosa.id, name="Oscar", phone=family.oscar.phone, position=3))
        s.commit()

    for phone in (family.oscar.phone, family.ann.phone, family.rosa.phone, "+14155550100"):  # the last: no one's
        r = lee.post("/sandbox", {"phone": phone, "body": "ok"})
        assert r.status_code == 404 and "Rosa" not in r.get_data(as_text=True)
    assert console().sign_in_staff("ada@example.org").post(
        "/sandbox", {"phone": "+14155550100", "body": "help"}).status_code == 200  # admins see everyone
    with Session(session.get_bind()) as s:
        assert s.get(Alert, family.alert.id).status == "open"


def test_the_sandbox_is_closed_once_twilio_is_configured(tmp_path, make_staff) -> None:  # type: ignore[no-untyped-def]
    from alerts import create_app
    from alerts.app import get_db
    from alerts.models import Base
    from tests.web.conftest import Console

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'twilio.sqlite3'}",
                      "CELERY_BROKER_URL": "memory://", "NOTIFIER": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
                      "TWILIO_AUTH_TOKEN": "x" * 32, "TWILIO_FROM_NUMBER": "+15005550006"})
    Base.metadata.create_all(get_db(app).engine)
    with get_db(app).session() as s:
        from alerts.models import User
        from alerts.services.console_auth import hash_password
        from tests.web.conftest import PASSWORD

        s.add(User(role="admin", name="Ada", email="ada@example.org", password_hash=hash_password(PASSWORD)))
    ada = Console(app.test_client()).sign_in_staff("ada@example.org")
    assert ada.get("/sandbox").status_code == 404
    get_db(app).dispose()

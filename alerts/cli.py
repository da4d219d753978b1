"""The ``dosewatch`` command: ``up``, ``demo``, ``tick``, ``db ...`` and ``admin ...``.

Commands are thin, like routes and tasks: they read options, call a module that does the work
(``alerts.supervisor``, ``alerts.demo``, ``alerts.migrate``, ``alerts.services.tick``) and turn its
outcome into an exit code. Configuration comes from the environment (``alerts.config``); a bad value
stops the command with the variable's name.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from alerts.cli_admin import admin
from alerts.config import ConfigError, load_settings

if TYPE_CHECKING:
    from flask import Flask


def _config() -> dict[str, Any]:
    try:
        return load_settings().model_dump()
    except ConfigError as exc:
        raise BadConfiguration(exc) from None


def _app() -> Flask:
    """The app, its settings built once; a bad one stops the command with one line."""
    from alerts import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise BadConfiguration(exc) from None


class BadConfiguration(click.ClickException):
    """``Error: configuration: NAME: what is wrong``, one line on stderr (no usage text: the command
    line was right, the environment was not), exit status 2 as for any bad input to start."""

    exit_code = 2

    def __init__(self, error: ConfigError) -> None:
        super().__init__(f"configuration: {error}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dosewatch")
def main() -> None:
    """dosewatch: caregiver alerting for people who take baclofen."""


# -- up ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--host", envvar="HOST", default="127.0.0.1", show_default=True, help="Address to listen on (env HOST).")
@click.option("--port", envvar="PORT", default=8000, type=click.IntRange(1, 65535), show_default=True,
              help="Port to listen on (env PORT).")
def up(host: str, port: int) -> None:
    """Migrate the database, then run the API, a Celery worker and Celery beat until Ctrl-C.

    With nothing configured: SQLite and a filesystem broker in ./var, and messages printed here.
    """
    from alerts.supervisor import run

    sys.exit(run(_config(), host, port))


# -- demo / tick ------------------------------------------------------------------------------------


@main.command()
def demo() -> None:
    """Simulate one day for one patient (missed dose, escalation, late dose, all-clear) and print it.

    Runs the real tick, outbox and notifier code on a simulated clock, in a throw-away SQLite
    database. Needs no configuration, touches nothing, takes a few seconds.
    """
    from alerts.demo import format_timeline, run_demo

    result = run_demo()
    click.echo(format_timeline(result))


@main.command()
@click.option("--deliver/--no-deliver", default=True, show_default=True,
              help="Also send the messages that are due (what the worker would do next).")
def tick(deliver: bool) -> None:
    """Run one tick now: find missed doses, run due escalation steps (for cron or debugging)."""
    from alerts.db import get_db
    from alerts.ops import heartbeat
    from alerts.ops.loop import outbox_drained, watch_tick
    from alerts.services.clinical import ClinicalPolicy
    from alerts.services.db_clock import database_clock
    from alerts.services.sender import deliver_due
    from alerts.services.tick import run_tick
    from workers.dispatch import notifier_for, sender_options

    app = _app()
    db = get_db(app)
    clock = database_clock(db.sessionmaker)  # the database's clock, as the worker's tick uses
    # The same heartbeats, metrics and HEARTBEAT_URL pings as beat's tick: cron deployments are watched
    # too (cron stands in for beat, so it stamps beat's heartbeat as well).
    heartbeat.stamp(db.sessionmaker, "beat", clock())
    with watch_tick(db.sessionmaker, clock, app.config["HEARTBEAT_URL"]) as watch:
        watch.report = report = run_tick(db.sessionmaker, clock(), batch_size=app.config["TICK_BATCH_SIZE"],
                                         policy=ClinicalPolicy.from_config(app.config),
                                         low_supply_days=app.config["SUPPLY_LOW_DAYS"])
    click.echo(f"tick: missed doses {report.missed_doses}, alerts opened {report.alerts_opened}, "
               f"escalation steps {report.steps_run}, messages queued {len(report.notification_ids)}, "
               f"stale sends {report.stale_sends}")
    if deliver:
        sent = deliver_due(db.sessionmaker, notifier_for(app), clock, **sender_options(app))
        outbox_drained(db.sessionmaker, sent, clock())
        click.echo(f"outbox: sent {sent.sent}, to retry {sent.retried}, failed {sent.failed}, "
                   f"cancelled {sent.cancelled}")
    db.dispose()


@main.command()
@click.option("--check", "component", type=click.Choice(["all", "web", "worker", "beat"]), default="all",
              show_default=True, help="Judge one process (for a container health check) or everything.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (what /readyz answers).")
def doctor(component: str, as_json: bool) -> None:
    """Is alerting working? Database, broker, beat, tick, sender and the outbox; exit 1 if not.

    Reads the heartbeats in the database, so it works from any shell or container that has the
    configuration, whichever process it is asked about.
    """
    import json

    from alerts.db import get_db
    from alerts.clock import utcnow
    from alerts.ops import readiness

    app = _app()
    db = get_db(app)
    try:
        broker = readiness.broker_error(app.config["CELERY_BROKER_URL"], app.extensions["celery"])
        with db.sessionmaker() as session:
            report = readiness.assess(readiness.observe(session, utcnow(), app.config["TICK_SECONDS"], broker))
    finally:
        db.dispose()
    healthy = report.ok_for(component)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for check in report.checks:
            click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<9} {check.detail}")
        for row in report.due:
            click.echo(f"      due       {row['count']} {row['priority']} {row['kind']}, "
                       f"oldest {row['oldest_age_seconds']:.0f} s")
        click.echo(f"{component}: {'healthy' if healthy else 'NOT healthy'}")
    sys.exit(0 if healthy else 1)


# -- db ---------------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database schema migrations (Alembic)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate DATABASE_URL up to REVISION (default: head). Safe to run on every deploy."""
    from alerts.migrate import current, upgrade

    url = _config()["DATABASE_URL"]
    upgrade(url, revision)
    click.echo(f"database at revision {current(url)}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate DATABASE_URL down to REVISION ("-1" for one step, "base" drops every table)."""
    from alerts.migrate import current, downgrade

    url = _config()["DATABASE_URL"]
    downgrade(url, revision)
    click.echo(f"database at revision {current(url) or 'base'}")


@db.command("current")
def db_current() -> None:
    """Print the revision DATABASE_URL is at."""
    from alerts.migrate import current

    click.echo(current(_config()["DATABASE_URL"]) or "base (empty database)")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does, e.g. 'add patient nickname'.")
@click.option("--rev-id", default=None, help="Revision id (default: random).")
def db_revision(message: str, rev_id: str | None) -> None:
    """Write a migration for the difference between alerts.models and the migrations (developers)."""
    from alerts.migrate import autogenerate

    click.echo(f"wrote {autogenerate(message, rev_id=rev_id)}; read it before committing")


# -- sms --------------------------------------------------------------------------------------------


@main.command()
@click.option("--from", "from_number", required=True, help="The phone the text comes from, E.164.")
@click.argument("text")
def sms(from_number: str, text: str) -> None:
    """Act on TEXT as if FROM had texted it (only while no Twilio account is configured).

    The same code as a real inbound SMS: doses are recorded and alerts acknowledged for real.
    Prints what dosewatch understood, its reply and any messages it queued.
    """
    import uuid

    from sqlalchemy import select

    from alerts.cli_admin import _session
    from alerts.clock import utcnow
    from alerts.models import Notification
    from alerts.services.clinical import ClinicalPolicy
    from alerts.services.doses import DoseWindows
    from alerts.services.inbound import handle_sms

    with _session() as (session, config):
        if config["NOTIFIER"] != "console":
            raise click.UsageError("dosewatch sms works only while no Twilio account is configured")
        result = handle_sms(session, message_sid=f"SANDBOX{uuid.uuid4().hex}", from_number=from_number, body=text,
                            now=utcnow(), policy=ClinicalPolicy.from_config(config),
                            windows=DoseWindows.from_config(config))
        queued = list(session.scalars(select(Notification).where(Notification.id.in_(result.notification_ids))))
        click.echo(f"understood: {result.outcome}")
        click.echo(f"reply: {result.reply_text or '(none)'}")
        for n in queued:
            click.echo(f"queued {n.kind} to {n.recipient_kind} {n.recipient_id} ({n.channel}): {n.body}")


# -- admin ------------------------------------------------------------------------------------------

main.add_command(admin)

if __name__ == "__main__":
    main()

"""The tick: a short sweep that finds due work with indexed queries and claims it atomically.

Beat runs it every ``TICK_SECONDS``. Its cost follows the due work: it reads only pending doses
past their grace (``ix_dose_pending_check_at``), patients whose clinical check is due
(``ix_patient_clinical_check_at``), seizure alarms whose cancel window passed
(``ix_device_event_pending_raise_at``), devices silent past their interval
(``ix_device_offline_check_at``), pumps with a refill reminder due (``ix_device_refill_reminder_at``),
medications whose supply check is due, the morning after a refill day (``ix_medication_supply_check_at``),
open alerts with a due step (``ix_alert_open_next_step_at``) and patients whose daily check-in
prompt is due (``ix_patient_checkin_prompt_at``), never the list of patients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts.models import Alert
from alerts.services import alerts as alert_service
from alerts.services import checkin_prompts, clinical, pauses, supply, wearables
from alerts.services import doses as dose_service
from alerts.services.sender import expire_stale_leases
from alerts.services.sql import skip_locked


@dataclass
class TickReport:
    missed_doses: int = 0
    alerts_opened: int = 0
    clinical_checks: int = 0
    steps_run: int = 0
    seizures_raised: int = 0
    devices_offline: int = 0
    refill_reminders: int = 0
    supply_checks: int = 0
    stale_sends: int = 0
    checkin_prompts: int = 0
    notification_ids: list[int] = field(default_factory=list)

    @property
    def outbox_dirty(self) -> bool:
        return bool(self.notification_ids) or bool(self.stale_sends)


def find_missed_doses(session: Session, now: datetime, batch_size: int, report: TickReport) -> int:
    """Claim one batch of overdue doses, open or extend their alerts, schedule their successors."""
    missed = dose_service.claim_missed(session, now, batch_size)
    if missed:
        dose_service.schedule_successors(session, missed)
        opened = dose_service.open_missed_dose_alerts(session, missed, now)
        # Two missed in a row, or a day without a dose, is a withdrawal risk: read those rules
        # for these patients in this same tick's clinical phase.
        clinical.mark_for_check(session, {d["patient_id"] for d in missed}, now)
        report.missed_doses += len(missed)
        report.alerts_opened += len(opened)
    return len(missed)


def run_clinical_checks(session: Session, now: datetime, batch_size: int, report: TickReport,
                        policy: clinical.ClinicalPolicy) -> int:
    """Claim one batch of patients whose dose-pattern rules are due and read them."""
    checked, ids = clinical.run_clinical_checks(session, now, batch_size, policy)
    report.clinical_checks += checked
    report.notification_ids += ids
    return checked


def run_device_phase(session: Session, now: datetime, batch_size: int, report: TickReport, *,
                     work: Callable[[Session, datetime, int], tuple[int, list[int]]], counter: str) -> int:
    """One batch of a wearables phase (``alerts.services.wearables``): seizure alarms whose cancel
    window passed (``ix_device_event_pending_raise_at``), devices silent past their interval
    (``ix_device_offline_check_at``), pump refill reminders due (``ix_device_refill_reminder_at``)."""
    claimed, ids = work(session, now, batch_size)
    setattr(report, counter, getattr(report, counter) + claimed)
    report.notification_ids += ids
    return claimed


def run_supply_checks(session: Session, now: datetime, batch_size: int, report: TickReport, *, low_days: int,
                      policy: clinical.ClinicalPolicy) -> int:
    """Claim one batch of medications whose supply check is due (a refill day gone by with no new
    count) and decide each as a dose or a count would: one reminder per low episode."""
    claimed, ids = supply.run_due_checks(session, now, batch_size, low_days=low_days, policy=policy)
    report.supply_checks += claimed
    report.notification_ids += ids
    return claimed


def run_due_steps(session: Session, now: datetime, batch_size: int, report: TickReport) -> int:
    """Claim one batch of open alerts whose next escalation step is due, and run those steps (a
    missed-dose alert of a patient whose pause has begun is closed instead)."""
    alerts = list(session.scalars(
        select(Alert).where(Alert.status == "open", Alert.next_step_at <= now)
        .order_by(Alert.next_step_at, Alert.id).limit(batch_size).with_for_update(**skip_locked(session))
    ))
    report.notification_ids += alert_service.run_steps(session, pauses.stop_paused(session, alerts, now), now)
    report.steps_run += len(alerts)
    return len(alerts)


def send_checkin_prompts(session: Session, now: datetime, batch_size: int, report: TickReport) -> int:
    """Claim one batch of patients whose daily check-in prompt is due and queue their prompts."""
    claimed, ids = checkin_prompts.send_due(session, now, batch_size)
    report.checkin_prompts += claimed
    report.notification_ids += ids
    return claimed


def run_tick(sessions: sessionmaker[Session], now: datetime, *, batch_size: int,
             policy: clinical.ClinicalPolicy, low_supply_days: int) -> TickReport:
    """One tick (``low_supply_days``: ``SUPPLY_LOW_DAYS``, the low-supply threshold). Each batch commits on its own, so a crash mid-tick loses at most one batch's work,
    and the next tick redoes it (claims are idempotent, outbox rows deduplicated)."""
    report = TickReport()
    # Sends whose worker died go back to the queue (looked up first if their request may have left).
    with sessions.begin() as session:
        report.stale_sends = expire_stale_leases(session, now)
    checks = partial(run_clinical_checks, policy=policy)
    Phase = Callable[[Session, datetime, int, TickReport], int]
    devices: list[Phase] = [
        partial(run_device_phase, work=partial(wearables.raise_due_seizures, policy=policy), counter="seizures_raised"),
        partial(run_device_phase, work=wearables.announce_offline_devices, counter="devices_offline"),
        partial(run_device_phase, work=wearables.send_refill_reminders, counter="refill_reminders"),
    ]
    # Clinical checks and device alarms before due steps: an alert they open sends its first step at
    # once, and the missed doses found first are what those checks read.
    supplies = partial(run_supply_checks, low_days=low_supply_days, policy=policy)
    phases: list[Phase] = [find_missed_doses, checks, *devices, supplies, run_due_steps, send_checkin_prompts]
    for phase in phases:
        while True:
            with sessions.begin() as session:
                claimed = phase(session, now, batch_size, report)
            # Missed doses are claimed until none is left, not one short batch: each claim schedules
            # the dose after it, which after an outage is overdue too. Every dose missed meanwhile is
            # then on its alert before the alert's first step is written: one summary per person,
            # not a text per dose.
            if claimed == 0 or (claimed < batch_size and phase is not find_missed_doses):
                break
    return report

"""Clinical decisions carried out: the brief's rules read against a patient's stored history.

The rules themselves are pure (``alerts.domain.clinical``); this module loads what they read,
calls them, and writes the alerts and outbox rows they call for in the caller's transaction, so a
decision and its messages commit together. Three ways in, one set of rules:

* a check-in arrives (API or SMS): :func:`evaluate_checkin` triages its symptoms at once (red
  flags never wait for the tick) and reads the rules that a check-in is evidence for;
* a dose is recorded: :func:`evaluate_dose` reads the toxicity rules (too soon, over the daily
  total) and closes the withdrawal alerts that a dose taken ends;
* the tick: :func:`run_clinical_checks` reads the withdrawal rules for patients whose
  ``clinical_check_at`` has come (a dose was just found missed, or the no-dose window ran out),
  through a partial index, so its cost follows due patients, not all patients.

Each dose-pattern rule is read only when its own kind of evidence arrives (``RULES_READ_ON``): an
acknowledged "too soon" alert re-arms, but it is raised again by another dose taken too soon, not
by the same dose read again at the next tick.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.domain.clinical.assessment import Assessment, assess
from alerts.domain.clinical.history import (
    DEFAULT_SETTINGS,
    CheckInRecord,
    ClinicalProfile,
    Finding,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    SupplyReport,
    findings_from_checkins,
    validate_overrides,
)
from alerts.domain.clinical.patterns import RiskDecision, checkin_risks, dose_pattern_risks, should_raise
from alerts.domain.clinical.redflags import Triage, classify_symptoms
from alerts.domain.escalation import StepSpec
from alerts.domain.schedule import interval_hours
from alerts.models import Alert, Caregiver, CheckIn, DeviceEvent, Dose, DoseEvent, DoseSchedule, Patient, VitalFinding
from alerts.services import alerts as alert_service
from alerts.services.pauses import paused_patient_ids
from alerts.services.sql import skip_locked

log = logging.getLogger("dosewatch.clinical")

Trigger = Literal["checkin", "dose", "tick"]

# Which dose-pattern rules each kind of evidence can change (see the module docstring).
RULES_READ_ON: dict[Trigger, tuple[str, ...]] = {
    "checkin": ("withdrawal_risk:supply", "consult_soon:worsening_twitches"),
    "dose": ("toxicity_risk:too_soon", "toxicity_risk:over_daily_total"),
    "tick": ("withdrawal_risk:missed_doses", "withdrawal_risk:no_dose"),
}
# Device events the withdrawal-vs-toxicity assessment reads, as the finding each one is. A pump
# alarm means intrathecal delivery may have stopped: the brief's "abrupt cessation".
DEVICE_EVENT_FINDINGS: dict[str, str] = {
    "seizure": "seizure",
    "pump_low_reservoir": "pump_failure",
    "pump_fault": "pump_failure",
    "catheter_fault": "pump_failure",
}
# A dose taken ends these: the doses have not stopped after all. Caregivers already told get the
# all-clear, as for a missed dose taken late.
CLOSED_BY_A_DOSE: tuple[str, ...] = ("withdrawal_risk:missed_doses", "withdrawal_risk:no_dose")


@dataclass(frozen=True)
class ClinicalPolicy:
    """How clinical alerts escalate, and the default thresholds (from the app's configuration)."""

    emergency_repeat_minutes: int = 5
    urgent_repeat_minutes: int = 15
    urgent_max_repeats: int = 2
    # Withdrawal and toxicity risks ask for a call to the prescriber today: one reminder an hour
    # later if no caregiver has acknowledged.
    risk_reminder_minutes: int = 60
    defaults: ClinicalSettings = DEFAULT_SETTINGS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClinicalPolicy:
        return cls(
            emergency_repeat_minutes=int(config["EMERGENCY_REPEAT_MINUTES"]),
            urgent_repeat_minutes=int(config["URGENT_REPEAT_MINUTES"]),
            urgent_max_repeats=int(config["URGENT_MAX_REPEATS"]),
            defaults=dataclasses.replace(
                DEFAULT_SETTINGS,
                no_dose_window_hours=float(config["NO_DOSE_WINDOW_HOURS"]),
                consecutive_missed_threshold=int(config["CONSECUTIVE_MISSED_DOSES"]),
            ),
        )

    def steps(self, kind: str) -> list[StepSpec]:
        """The escalation of a clinical alert, as data (copied onto the alert when it opens)."""
        if kind == "emergency":
            # Issue 3: "all caregivers at once by SMS and a Twilio voice call ...; the patient is
            # told to call 911 now. The emergency repeats every few minutes until a caregiver
            # acknowledges". No quiet hours or rate limit applies: the messages are urgent.
            every = self.emergency_repeat_minutes
            return [StepSpec("everyone", 0, channels=("sms", "voice")),
                    StepSpec("all_caregivers", every, channels=("sms", "voice"), repeat_every_minutes=every)]
        if kind == "urgent":
            every = self.urgent_repeat_minutes
            steps = [StepSpec("all_caregivers", 0)]
            if self.urgent_max_repeats:
                steps.append(StepSpec("all_caregivers", every, repeat_every_minutes=every,
                                      max_repeats=self.urgent_max_repeats - 1))
            return steps
        if kind == "consult_soon":
            # "Consult your doctor immediately" is addressed to the patient; caregivers help.
            return [StepSpec("everyone", 0)]
        return [StepSpec("all_caregivers", 0), StepSpec("all_caregivers", self.risk_reminder_minutes)]


def settings_for(patient: Patient, policy: ClinicalPolicy) -> ClinicalSettings:
    """The thresholds for this patient: the defaults, then the clinician's overrides."""
    overrides = patient.clinical_settings or {}
    return dataclasses.replace(policy.defaults, **overrides) if overrides else policy.defaults


# -- what the rules read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    profile: ClinicalProfile
    doses: list[DoseRecord]
    taken: list[DoseTaken]
    checkins: list[tuple[int, CheckInRecord]]  # (check-in id, record), oldest first
    supply: list[SupplyReport]
    # What devices saw: sustained vital-sign findings, seizures detected, pump alarms.
    devices: list[Finding] = dataclasses.field(default_factory=list)

    @property
    def checkin_records(self) -> list[CheckInRecord]:
        return [c for _, c in self.checkins]


def checkin_lookback(patient: Patient, policy: ClinicalPolicy) -> timedelta:
    """How far back :func:`evaluate_checkin` reads a patient's check-ins."""
    return _lookback(settings_for(patient, policy))


def _lookback(settings: ClinicalSettings) -> timedelta:
    # Long enough for every rule: the no-dose window needs the last dose taken before it began.
    hours = max(settings.history_lookback_hours, settings.symptom_lookback_hours, settings.event_lookback_hours,
                settings.supply_lookback_hours, settings.no_dose_window_hours + 24)
    return timedelta(hours=hours)


def load_histories(session: Session, patients: Sequence[Patient], now: datetime,
                   settings: Mapping[int, ClinicalSettings]) -> dict[int, History]:
    """Each patient's recent history, for a whole batch of patients in four queries."""
    if not patients:
        return {}
    ids = [p.id for p in patients]
    since = now - max(_lookback(settings[p.id]) for p in patients)

    schedules: dict[int, list[DoseSchedule]] = {}
    for s in session.scalars(select(DoseSchedule).where(DoseSchedule.patient_id.in_(ids),
                                                        DoseSchedule.active.is_(True))):
        schedules.setdefault(s.patient_id, []).append(s)
    doses: dict[int, list[DoseRecord]] = {}
    for d in session.execute(
        select(Dose.patient_id, Dose.due_at, Dose.status, Dose.taken_at, Dose.dose_mg)
        .where(Dose.patient_id.in_(ids), Dose.due_at >= since, Dose.due_at <= now,
               Dose.status.in_(("pending", "taken", "missed")))
    ):
        doses.setdefault(d.patient_id, []).append(DoseRecord(d.due_at, d.status, d.taken_at, float(d.dose_mg)))
    taken: dict[int, list[DoseTaken]] = {}
    for e in session.execute(
        select(DoseEvent.patient_id, DoseEvent.taken_at, DoseEvent.dose_mg, DoseEvent.dose_id)
        .where(DoseEvent.patient_id.in_(ids), DoseEvent.taken_at >= since, DoseEvent.taken_at <= now)
    ):
        taken.setdefault(e.patient_id, []).append(
            DoseTaken(e.taken_at, float(e.dose_mg) if e.dose_mg is not None else None, e.dose_id is not None))
    checkins, supply = _recent_checkins(session, ids, now, now - since)

    devices: dict[int, list[Finding]] = {}
    for v in session.execute(
        select(VitalFinding.patient_id, VitalFinding.key, VitalFinding.at)
        .where(VitalFinding.patient_id.in_(ids), VitalFinding.at >= since, VitalFinding.at <= now)
    ):
        devices.setdefault(v.patient_id, []).append(Finding(v.key, "wearable", v.at))
    for ev in session.execute(
        select(DeviceEvent.patient_id, DeviceEvent.kind, DeviceEvent.occurred_at)
        .where(DeviceEvent.patient_id.in_(ids), DeviceEvent.kind.in_(list(DEVICE_EVENT_FINDINGS)),
               DeviceEvent.status != "cancelled", DeviceEvent.occurred_at >= since, DeviceEvent.occurred_at <= now)
    ):
        devices.setdefault(ev.patient_id, []).append(Finding(DEVICE_EVENT_FINDINGS[ev.kind], "device", ev.occurred_at))

    return {
        p.id: History(_profile(p, schedules.get(p.id, [])), doses.get(p.id, []), taken.get(p.id, []),
                      checkins.get(p.id, []), supply.get(p.id, []), devices.get(p.id, []))
        for p in patients
    }


_RECENT_CHECKINS = (  # built once: every check-in runs it
    select(CheckIn.id, CheckIn.patient_id, CheckIn.recorded_at, CheckIn.symptoms, CheckIn.supply_problem)
    .where(CheckIn.patient_id.in_(bindparam("ids", expanding=True)), CheckIn.recorded_at >= bindparam("since"),
           CheckIn.recorded_at <= bindparam("now"))
    .order_by(CheckIn.recorded_at, CheckIn.id)
)


def _recent_checkins(session: Session, patient_ids: Sequence[int], now: datetime, lookback: timedelta,
                     ) -> tuple[dict[int, list[tuple[int, CheckInRecord]]], dict[int, list[SupplyReport]]]:
    """Check-ins (oldest first) and supply reports within ``lookback`` of ``now``, per patient."""
    checkins: dict[int, list[tuple[int, CheckInRecord]]] = {}
    supply: dict[int, list[SupplyReport]] = {}
    for c in session.execute(_RECENT_CHECKINS, {"ids": list(patient_ids), "since": now - lookback, "now": now}):
        checkins.setdefault(c.patient_id, []).append((c.id, CheckInRecord(c.recorded_at, c.symptoms or {})))
        if c.supply_problem:
            supply.setdefault(c.patient_id, []).append(SupplyReport(c.recorded_at, c.supply_problem))
    return checkins, supply


def _profile(patient: Patient, schedules: Sequence[DoseSchedule]) -> ClinicalProfile:
    times = sorted({t for s in schedules for t in s.times})
    return ClinicalProfile(
        renal_impairment=bool(patient.renal_impairment),
        intrathecal_pump=bool(patient.intrathecal_pump),
        daily_total_mg=float(sum(s.dose_mg * len(s.times) for s in schedules)),
        dose_interval_hours=interval_hours(times) if times else None,
        timezone=patient.timezone,
    )


def assessment_for(history: History, settings: ClinicalSettings, now: datetime) -> Assessment:
    findings = findings_from_checkins(history.checkin_records, settings) + history.devices
    return assess(history.profile, history.doses, history.taken, findings, now, settings,
                  supply_reports=history.supply)


# -- the three ways in -----------------------------------------------------------------------------


def evaluate_checkin(session: Session, patient: Patient, checkin: CheckIn, now: datetime,
                     policy: ClinicalPolicy, recent: Sequence[tuple[int, CheckInRecord, str | None]] | None = None,
                     ) -> list[int]:
    """Triage a check-in just stored (flushed), raise what it calls for. Returns outbox ids.

    Everything a check-in can raise (its triage, a supply problem, worsening twitches) reads only
    the patient's recent check-ins: one query decides. The rest of the history is loaded only when
    something is raised, for the withdrawal-vs-toxicity assessment the alert carries; most check-ins
    raise nothing, and this keeps them one query.

    ``recent``: the patient's check-ins within :func:`checkin_lookback` of ``now`` as (id, record,
    supply problem), oldest first, this one included, if the caller read them with the insert.
    """
    settings = settings_for(patient, policy)
    if recent is None:
        checkins, supply = _recent_checkins(session, [patient.id], now, _lookback(settings))
        mine, reports = checkins.get(patient.id, []), supply.get(patient.id, [])
    else:
        mine = [(cid, record) for cid, record, _ in recent]
        reports = [SupplyReport(record.recorded_at, problem) for _, record, problem in recent if problem]
    triage = _triage(checkin, mine, settings)
    risks = checkin_risks(reports, [c for _, c in mine], now, settings)
    if triage.level not in ("emergency", "urgent") and not risks:
        return []
    open_keys = _open_condition_keys(session, patient.id)
    triage_now = triage.level in ("emergency", "urgent") and should_raise(triage.level, open_keys)
    if not triage_now and not any(should_raise(r.condition_key, open_keys) for r in risks):
        return []
    history = load_histories(session, [patient], now, {patient.id: settings})[patient.id]
    ids: list[int] = []
    if triage_now:
        ids += raise_triage(session, patient, triage, assessment_for(history, settings, now), now, policy)
    ids += _raise_risks(session, patient, history, settings, "checkin", open_keys, now, policy)
    return ids


def _triage(checkin: CheckIn, recent: Sequence[tuple[int, CheckInRecord]], settings: ClinicalSettings) -> Triage:
    """Red flags in this check-in, read against the one before it (for "new or worsening")."""
    earlier = [c for cid, c in recent if cid != checkin.id and c.recorded_at <= checkin.recorded_at]
    return classify_symptoms(checkin.symptoms or {}, earlier[-1].symptoms if earlier else None, settings=settings)


def evaluate_dose(session: Session, patient: Patient, taken_at: datetime, now: datetime,
                  policy: ClinicalPolicy) -> list[int]:
    """After a dose is recorded: close what a dose ends, read the toxicity rules, and move the
    patient's no-dose check to the end of the window from this dose. Returns outbox ids."""
    settings = settings_for(patient, policy)
    ids: list[int] = []
    for alert in session.scalars(select(Alert).where(
            Alert.patient_id == patient.id, Alert.status == "open",
            Alert.condition_key.in_(CLOSED_BY_A_DOSE)).with_for_update()):
        ids += alert_service.resolve_on_dose(session, alert, taken_at=taken_at, tz=patient.timezone, now=now)
    history = load_histories(session, [patient], now, {patient.id: settings})[patient.id]
    ids += _raise_risks(session, patient, history, settings, "dose", _open_condition_keys(session, patient.id),
                        now, policy)
    # The sweep recomputes from the latest dose it finds, so a back-dated dose only brings the
    # check forward, never hides a later one.
    patient.clinical_check_at = taken_at + timedelta(hours=settings.no_dose_window_hours)
    return ids


def run_clinical_checks(session: Session, now: datetime, batch_size: int, policy: ClinicalPolicy) -> tuple[int, list[int]]:
    """The tick's clinical phase: claim one batch of patients whose check is due and read the
    withdrawal rules for them. Returns (patients checked, outbox ids)."""
    patients = list(session.scalars(
        select(Patient).where(Patient.clinical_check_at.is_not(None), Patient.clinical_check_at <= now)
        .order_by(Patient.clinical_check_at, Patient.id).limit(batch_size)
        .with_for_update(**skip_locked(session))
    ))
    if not patients:
        return 0, []
    settings = {p.id: settings_for(p, policy) for p in patients}
    histories = load_histories(session, patients, now, settings)
    open_keys = _open_condition_keys_many(session, [p.id for p in patients])
    # While a patient's missed-dose alerts are paused (a hospital stay: others give the doses and
    # dosewatch does not see them), "missed in a row" and "no dose for a day" say nothing either.
    paused = paused_patient_ids(session, [p.id for p in patients], now)
    ids: list[int] = []
    for patient in patients:
        history, s = histories[patient.id], settings[patient.id]
        if patient.id not in paused:
            ids += _raise_risks(session, patient, history, s, "tick", open_keys.get(patient.id, set()), now, policy)
        patient.clinical_check_at = _next_no_dose_check(history, s, now)
    return len(patients), ids


def mark_for_check(session: Session, patient_ids: Collection[int], now: datetime) -> None:
    """Ask the next clinical sweep to read these patients' rules (one UPDATE for the batch)."""
    if patient_ids:
        session.execute(update(Patient).where(Patient.id.in_(list(patient_ids)))
                        .values(clinical_check_at=now).execution_options(synchronize_session=False))


def _next_no_dose_check(history: History, settings: ClinicalSettings, now: datetime) -> datetime | None:
    """When the no-dose window from the last dose taken ends, if that is still to come."""
    instants = [t.taken_at for t in history.taken] + [d.taken_at for d in history.doses if d.taken_at]
    if not instants:
        return None  # nothing taken in the look-back: the next missed dose brings the next check
    end = max(instants) + timedelta(hours=settings.no_dose_window_hours)
    return end if end > now else None


# -- raising alerts --------------------------------------------------------------------------------


def raise_triage(session: Session, patient: Patient, triage: Triage, assessment: Assessment, now: datetime,
                 policy: ClinicalPolicy) -> list[int]:
    """Open an emergency or urgent alert for a triaged check-in and send its first step now."""
    details = {
        "template": triage.caregiver_template, "patient_template": triage.patient_template,
        "voice_template": triage.voice_template, "codes": list(triage.codes), "facts": {},
        "reasons": list(triage.reasons), "verdict": assessment.verdict,
        "assessment": _assessment_record(assessment),
    }
    return _open_and_send(session, patient, kind=triage.level, condition_key=triage.level, details=details,
                          now=now, policy=policy)


def raise_device_emergency(session: Session, patient: Patient, *, codes: Sequence[str], facts: Mapping[str, str],
                           reasons: Sequence[str], now: datetime, policy: ClinicalPolicy) -> tuple[int | None, list[int]]:
    """An emergency from a device (slow breathing or low SpO2 sustained, a seizure detected, a pump
    alarm): the same emergency as a red-flag check-in - SMS and a call to every caregiver, the
    patient told to call 911, repeating until acknowledged - with the withdrawal-vs-toxicity
    assessment of everything known (device findings included). Call after flushing what caused it.

    Returns (the open emergency's id, outbox ids). While an emergency is already open for the
    patient, nothing new opens: its repeats are already calling everyone.
    """
    open_keys = _open_condition_keys(session, patient.id)
    if should_raise("emergency", open_keys):
        settings = settings_for(patient, policy)
        history = load_histories(session, [patient], now, {patient.id: settings})[patient.id]
        assessment = assessment_for(history, settings, now)
        details = {
            "template": "emergency_caregiver", "patient_template": "emergency_patient",
            "voice_template": "emergency_voice", "codes": list(codes), "facts": dict(facts),
            "reasons": list(reasons), "verdict": assessment.verdict,
            "assessment": _assessment_record(assessment),
        }
        ids = _open_and_send(session, patient, kind="emergency", condition_key="emergency", details=details,
                             now=now, policy=policy)
    else:
        ids = []
    alert_id = session.scalar(select(Alert.id).where(Alert.patient_id == patient.id, Alert.status == "open",
                                                     Alert.condition_key == "emergency"))
    return alert_id, ids


def _raise_risks(session: Session, patient: Patient, history: History, settings: ClinicalSettings,
                 trigger: Trigger, open_keys: Collection[str], now: datetime, policy: ClinicalPolicy) -> list[int]:
    wanted = RULES_READ_ON[trigger]
    risks = [r for r in dose_pattern_risks(history.profile, history.doses, history.taken, history.supply,
                                           history.checkin_records, now, settings)
             if r.condition_key in wanted and should_raise(r.condition_key, open_keys)]
    ids: list[int] = []
    for risk in risks:
        ids += _raise_risk(session, patient, risk, history, settings, now, policy)
    return ids


def _raise_risk(session: Session, patient: Patient, risk: RiskDecision, history: History,
                settings: ClinicalSettings, now: datetime, policy: ClinicalPolicy) -> list[int]:
    details: dict[str, Any] = {
        "template": risk.template, "patient_template": risk.patient_template, "voice_template": None,
        "codes": list(risk.codes), "facts": dict(risk.facts), "reasons": list(risk.reasons),
    }
    if risk.kind == "consult_soon":
        # A prompt about symptoms: it carries the withdrawal-vs-toxicity assessment.
        assessment = assessment_for(history, settings, now)
        details.update(verdict=assessment.verdict, assessment=_assessment_record(assessment))
    return _open_and_send(session, patient, kind=risk.kind, condition_key=risk.condition_key, details=details,
                          now=now, policy=policy)


def _open_and_send(session: Session, patient: Patient, *, kind: str, condition_key: str,
                   details: dict[str, Any], now: datetime, policy: ClinicalPolicy) -> list[int]:
    caregivers = list(session.scalars(select(Caregiver).where(Caregiver.patient_id == patient.id)
                                      .order_by(Caregiver.position)))
    details = {"patient_name": patient.name, **details}
    alert = alert_service.new_alert(patient, caregivers, kind=kind, condition_key=condition_key, now=now,
                                    details=details, steps=policy.steps(kind))
    try:
        # A savepoint: if a concurrent request opened the same condition first, the unique partial
        # index (one open alert per patient and condition) refuses this one and theirs stands.
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:
        log.info("patient %s: %s already open (raised concurrently)", patient.id, condition_key)
        return []
    log.info("patient %s: opened %s alert %s (%s)", patient.id, kind, alert.id, condition_key)
    # The first step goes out now, in this transaction: a red flag never waits for the tick.
    return alert_service.run_step(session, alert, now)


def _assessment_record(assessment: Assessment) -> dict[str, Any]:
    return {"verdict": assessment.verdict, "summary": assessment.summary,
            "withdrawal": list(assessment.withdrawal_reasons), "toxicity": list(assessment.toxicity_reasons),
            "shared": list(assessment.shared_reasons)}


def _open_condition_keys(session: Session, patient_id: int) -> set[str]:
    return _open_condition_keys_many(session, [patient_id]).get(patient_id, set())


def _open_condition_keys_many(session: Session, patient_ids: Sequence[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for pid, key in session.execute(select(Alert.patient_id, Alert.condition_key)
                                    .where(Alert.patient_id.in_(patient_ids), Alert.status == "open")):
        out.setdefault(pid, set()).add(key)
    return out

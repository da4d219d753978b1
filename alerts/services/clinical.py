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

Each dose-pattern rule is read only when its own kind of evidence arrives (the pack's
``rules_read_on``): an acknowledged "too soon" alert re-arms, but it is raised again by another dose
taken too soon, not by the same dose read again at the next tick.

Which rules: the patient's packs (``alerts.domain.packs``). A dose is read by its medication's pack
against that medication's doses; a check-in's or a device's signs, which are the patient's, by the
packs of the patient's medications. A patient with no pack at all gets no clinical claim: only the
emergency signs, told as reported (``alerts.domain.packs.reported``).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import String, bindparam, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.domain.clinical.assessment import Assessment
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
)
from alerts.domain.clinical.patterns import RiskDecision, should_raise
from alerts.domain.clinical.redflags import Level, Triage
from alerts.domain.symptoms import SYMPTOMS
from alerts.domain.escalation import StepSpec
from alerts.domain.packs import registry, reported
from alerts.domain.packs.pack import TRIGGERS, RulePack
from alerts.domain.schedule import interval_hours
from alerts.models import (
    Alert,
    Caregiver,
    CheckIn,
    DeviceEvent,
    Dose,
    DoseEvent,
    DoseSchedule,
    Medication,
    Patient,
    VitalFinding,
)
from alerts.services import alerts as alert_service
from alerts.services.pauses import paused_patient_ids
from alerts.services.sql import skip_locked

log = logging.getLogger("dosewatch.clinical")

Trigger = Literal["checkin", "dose", "tick"]
assert set(TRIGGERS) == {"checkin", "dose", "tick"}  # the packs' names for the three ways in

# Which dose-pattern rules each kind of evidence can change, for the legacy (baclofen) pack.
RULES_READ_ON = registry.LEGACY.rules_read_on
# Device events the withdrawal-vs-toxicity assessment reads, as the finding each one is. A pump
# alarm means intrathecal delivery may have stopped: the brief's "abrupt cessation".
DEVICE_EVENT_FINDINGS: dict[str, str] = {
    "seizure": "seizure",
    "pump_low_reservoir": "pump_failure",
    "pump_fault": "pump_failure",
    "catheter_fault": "pump_failure",
}


@functools.lru_cache(maxsize=16)
def _policy(emergency_repeat_minutes: int, urgent_repeat_minutes: int, urgent_max_repeats: int,
            no_dose_window_hours: float, consecutive_missed_threshold: int) -> ClinicalPolicy:
    # Built once per distinct configuration, not per request (it is frozen): validating the
    # thresholds (``ClinicalSettings.__post_init__``) on every check-in cost more than reading them.
    return ClinicalPolicy(
        emergency_repeat_minutes=emergency_repeat_minutes,
        urgent_repeat_minutes=urgent_repeat_minutes,
        urgent_max_repeats=urgent_max_repeats,
        defaults=dataclasses.replace(DEFAULT_SETTINGS, no_dose_window_hours=no_dose_window_hours,
                                     consecutive_missed_threshold=consecutive_missed_threshold),
    )


def _joined_kinds() -> tuple[str, ...]:
    """Situations with one open alert per patient, which later evidence joins (see _open_and_send):
    each pack names its own (baclofen's: a withdrawal risk, a toxicity risk)."""
    return tuple(dict.fromkeys(k for p in registry.all_packs() for k in p.joined_kinds))


@dataclass(frozen=True)
class ClinicalPolicy:
    """How clinical alerts escalate, and the default thresholds: the app's configuration
    (:meth:`from_config`), required, so no path judges by built-in numbers the settings changed."""

    emergency_repeat_minutes: int
    urgent_repeat_minutes: int
    urgent_max_repeats: int
    defaults: ClinicalSettings
    # Withdrawal and toxicity risks ask for a call to the prescriber today: one reminder an hour
    # later if no caregiver has acknowledged.
    risk_reminder_minutes: int = 60

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClinicalPolicy:
        return _policy(int(config["EMERGENCY_REPEAT_MINUTES"]), int(config["URGENT_REPEAT_MINUTES"]),
                       int(config["URGENT_MAX_REPEATS"]), float(config["NO_DOSE_WINDOW_HOURS"]),
                       int(config["CONSECUTIVE_MISSED_DOSES"]))

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


class CheckInRead(Protocol):
    """What the check-in rules read of a check-in: a stored row (``CheckIn``) or its columns."""

    @property
    def id(self) -> int: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def symptoms(self) -> Mapping[str, int]: ...


@dataclass(frozen=True)
class PatientFacts:
    """The columns of a patient that a check-in's first look reads (:func:`evaluate_checkin`), for a
    caller that read them in the statement that stored the check-in. The rest of the row (time
    zone, caregivers, escalation) is loaded only if the check-in raises something."""

    id: int
    clinical_settings: dict[str, Any] | None
    renal_impairment: bool
    intrathecal_pump: bool


def settings_for(patient: Patient | PatientFacts, policy: ClinicalPolicy) -> ClinicalSettings:
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


def checkin_lookback(patient: Patient | PatientFacts, policy: ClinicalPolicy) -> timedelta:
    """How far back :func:`evaluate_checkin` reads a patient's check-ins."""
    return _lookback(settings_for(patient, policy))


def default_checkin_lookback(policy: ClinicalPolicy) -> timedelta:
    """:func:`checkin_lookback` for a patient without a clinician's overrides."""
    return _lookback(policy.defaults)


def _lookback(settings: ClinicalSettings) -> timedelta:
    # Long enough for every rule: the no-dose window needs the last dose taken before it began.
    hours = max(settings.history_lookback_hours, settings.symptom_lookback_hours, settings.event_lookback_hours,
                settings.supply_lookback_hours, settings.no_dose_window_hours + 24)
    return timedelta(hours=hours)


def load_histories(session: Session, patients: Sequence[Patient], now: datetime,
                   settings: Mapping[int, ClinicalSettings], pack: RulePack, *,
                   doses_only: bool = False) -> dict[int, History]:
    """Each patient's recent history as ``pack`` reads it, for a batch of patients in a few queries.

    Only the pack's drug's schedules, doses and doses taken are in it: another medicine's doses are
    not evidence of this drug's withdrawal or toxicity. A dose taken with no schedule (an extra dose
    reported by text) is the legacy pack's, as every dose was before medications were data.

    ``doses_only``: the schedules, doses and doses taken alone (check-ins and device findings left
    empty), for rules that read nothing else: the toxicity rules a dose is read against. A patient
    who checks in often then costs a dose nothing more."""
    if not patients:
        return {}
    ids = [p.id for p in patients]
    since = now - max(_lookback(settings[p.id]) for p in patients)

    schedules: dict[int, list[DoseSchedule]] = {}
    other_drug: set[int | None] = set() if pack is registry.LEGACY else {None}
    for s, drug, code in session.execute(
        select(DoseSchedule, Medication.name, Medication.rxnorm_code)
        .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
        .where(DoseSchedule.patient_id.in_(ids))
    ):
        if registry.pack_for(drug, code) is not pack:
            other_drug.add(s.id)
        elif s.active:
            schedules.setdefault(s.patient_id, []).append(s)
    doses: dict[int, list[DoseRecord]] = {}
    for d in session.execute(
        select(Dose.patient_id, Dose.due_at, Dose.status, Dose.taken_at, Dose.dose_mg, Dose.schedule_id)
        .where(Dose.patient_id.in_(ids), Dose.due_at >= since, Dose.due_at <= now,
               Dose.status.in_(("pending", "taken", "missed")))
    ):
        if d.schedule_id not in other_drug:
            doses.setdefault(d.patient_id, []).append(DoseRecord(d.due_at, d.status, d.taken_at, float(d.dose_mg)))
    # A dose taken is another medicine's by what it was matched to or by the medicine it names
    # (a named dose no schedule was due for, "took my metformin" at noon).
    other_medication = {m for m, name, code in session.execute(
        select(Medication.id, Medication.name, Medication.rxnorm_code).where(Medication.patient_id.in_(ids)))
        if registry.pack_for(name, code) is not pack}
    taken: dict[int, list[DoseTaken]] = {}
    for e in session.execute(
        select(DoseEvent.patient_id, DoseEvent.taken_at, DoseEvent.dose_mg, DoseEvent.dose_id, Dose.schedule_id,
               DoseEvent.medication_id)
        .outerjoin(Dose, Dose.id == DoseEvent.dose_id)
        .where(DoseEvent.patient_id.in_(ids), DoseEvent.taken_at >= since, DoseEvent.taken_at <= now)
    ):
        if e.schedule_id in other_drug or e.medication_id in other_medication:
            continue
        taken.setdefault(e.patient_id, []).append(
            DoseTaken(e.taken_at, float(e.dose_mg) if e.dose_mg is not None else None, e.dose_id is not None))
    if doses_only:
        return {p.id: History(_profile(p, schedules.get(p.id, [])), doses.get(p.id, []), taken.get(p.id, []), [], [])
                for p in patients}
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


def assessment_for(pack: RulePack, history: History, settings: ClinicalSettings, now: datetime) -> Assessment:
    findings = findings_from_checkins(history.checkin_records, settings) + history.devices
    return pack.assess(history.profile, history.doses, history.taken, findings, now, settings, history.supply)


def patient_packs(session: Session, patient_ids: Sequence[int]) -> dict[int, tuple[RulePack, ...]]:
    """The packs that read each patient's own signs: those of their active medications, and the
    legacy pack for a schedule with no medication (``registry.packs_for``). One query."""
    rows = session.execute(union_all(
        select(Medication.patient_id, Medication.name, Medication.rxnorm_code, Medication.active)
        .where(Medication.patient_id.in_(patient_ids)),
        select(DoseSchedule.patient_id, literal(None, String), literal(None, String), DoseSchedule.active)
        .where(DoseSchedule.patient_id.in_(patient_ids), DoseSchedule.medication_id.is_(None)),
    ))
    medications: dict[int, list[tuple[str | None, str | None, bool]]] = {pid: [] for pid in patient_ids}
    for pid, name, code, active in rows:
        medications[pid].append((name, code, bool(active)))
    return {pid: registry.packs_for(meds) for pid, meds in medications.items()}


# -- the three ways in -----------------------------------------------------------------------------


def evaluate_checkin(session: Session, patient: Patient | PatientFacts, checkin: CheckInRead, now: datetime,
                     policy: ClinicalPolicy, recent: Sequence[tuple[int, CheckInRecord, str | None]] | None = None,
                     ) -> tuple[int | None, list[int]]:
    """Triage a check-in just stored (flushed), raise what it calls for. Returns (the alert this
    check-in raised or joined, if any; outbox ids).

    Each pack of the patient's medications reads it (``patient_packs``); for baclofen, who is told
    is decided by one table (``alerts.domain.clinical.response``) from the check-in's red-flag
    level, the withdrawal-vs-toxicity assessment and the patient's risk factors: the same table a
    device's findings go through. Under every pack, and alone without one, an emergency sign is
    told as reported (``alerts.domain.packs.reported``). A check-in no registered pack would act on
    (no sign, or everyday mild signs) costs no query beyond its recent check-ins; one a pack acts on
    reads the patient's packs, then the history that pack needs for its assessment.

    ``recent``: the patient's check-ins within :func:`checkin_lookback` of ``now`` as (id, record,
    supply problem), oldest first, this one included, if the caller read them with the insert.
    ``patient``: the row, or its :class:`PatientFacts` (the row is then loaded if a pack acts).
    """
    settings = settings_for(patient, policy)
    if recent is None:
        checkins, supply = _recent_checkins(session, [patient.id], now, _lookback(settings))
        mine, reports = checkins.get(patient.id, []), supply.get(patient.id, [])
    else:
        mine = [(cid, record) for cid, record, _ in recent]
        reports = [SupplyReport(record.recorded_at, problem) for _, record, problem in recent if problem]
    if not any(v > 0 for v in (checkin.symptoms or {}).values()) and not reports:
        return None, []  # no sign and no supply problem: nothing for any pack to read
    # What each registered pack would make of it, before asking which packs are the patient's: most
    # check-ins are everyday mild signs no pack acts on, and they cost no more queries for it.
    readings = {pack.key: reading for pack in registry.all_packs()
                if (reading := _read_checkin(pack, patient, checkin, mine, reports, settings, now)) is not None}
    floor = reported.triage_symptoms(checkin.symptoms or {})
    if not readings and floor.level != "emergency":
        return None, []
    if not isinstance(patient, Patient):  # something will be raised: the whole row, caregivers and all
        row = session.get(Patient, patient.id)
        if row is None:  # cannot happen: the check-in's foreign key holds the row in this transaction
            raise RuntimeError(f"patient {patient.id} of a check-in just stored was not found")
        patient = row
    alert_id: int | None = None
    ids: list[int] = []
    for pack in patient_packs(session, [patient.id])[patient.id] if readings else ():
        if pack.key in readings:
            raised, sent = _act_on_checkin(session, pack, readings[pack.key], patient, checkin, settings, now,
                                           policy)
            alert_id = alert_id if alert_id is not None else raised
            ids += sent
    # The floor under every pack, and all there is without one: an emergency sign is never left
    # unsaid. The baclofen pack raises these itself, with its verdict; this adds nothing then.
    if floor.level == "emergency" and _open_alert_id(session, patient.id, "emergency") is None:
        ids += raise_reported(session, patient, floor, now, policy)
        alert_id = _open_alert_id(session, patient.id, "emergency")
    return alert_id, ids


@dataclass(frozen=True)
class _CheckinReading:
    """A pack's reading of a check-in before any query: its triage, the level the response table
    can reach, and the dose-pattern risks the check-in is evidence for."""

    triage: Triage
    level: Level
    risks: list[RiskDecision]


def _read_checkin(pack: RulePack, patient: Patient | PatientFacts, checkin: CheckInRead,
                  mine: Sequence[tuple[int, CheckInRecord]],
                  reports: Sequence[SupplyReport], settings: ClinicalSettings, now: datetime) -> _CheckinReading | None:
    """``pack``'s reading of a check-in (pure), or None when the pack would do nothing with it."""
    triage = _triage(pack, checkin, mine, settings)
    risks = pack.checkin_risks(reports, [c for _, c in mine], now, settings)
    level = triage.level
    if level == "routine" and not pack.may_be_a_risk(checkin.symptoms or {}, bool(patient.renal_impairment),
                                                     bool(patient.intrathecal_pump), settings):
        level = "none"  # everyday mild signs: the table can only answer "recorded"
    if level == "none" and not risks:
        return None
    return _CheckinReading(triage, level, risks)


def _act_on_checkin(session: Session, pack: RulePack, reading: _CheckinReading, patient: Patient,
                    checkin: CheckInRead, settings: ClinicalSettings, now: datetime, policy: ClinicalPolicy,
                    ) -> tuple[int | None, list[int]]:
    """Raise what one pack's reading of a check-in calls for (see :func:`evaluate_checkin`)."""
    triage, level, risks = reading.triage, reading.level, reading.risks
    open_keys = _open_condition_keys(session, patient.id)
    if triage.level in ("emergency", "urgent") and not should_raise(triage.level, open_keys) and not any(
            should_raise(r.condition_key, open_keys) for r in risks):
        return _open_alert_id(session, patient.id, triage.level), []
    history = load_histories(session, [patient], now, {patient.id: settings}, pack)[patient.id]
    ids: list[int] = []
    alert_id: int | None = None
    if level != "none":
        assessment = assessment_for(pack, history, settings, now)
        response = pack.respond(triage.level, assessment, checkin.symptoms or {}, settings)
        if response.kind in ("emergency", "urgent"):
            if should_raise(triage.level, open_keys):
                ids += raise_triage(session, patient, pack, triage, assessment, now, policy)
            alert_id = _open_alert_id(session, patient.id, triage.level)
        elif response.kind in pack.joined_kinds:
            ids += _raise_signs(session, patient, pack, response.kind, checkin.symptoms or {}, assessment, settings,
                                now, policy)
            alert_id = _open_alert_id(session, patient.id, response.kind)
    ids += _raise_risks(session, patient, pack, history, settings, "checkin", open_keys, now, policy)
    for risk in risks:
        if alert_id is None:
            alert_id = _open_alert_id(session, patient.id,
                                      risk.kind if risk.kind in pack.joined_kinds else risk.condition_key)
    return alert_id, ids


def _open_alert_id(session: Session, patient_id: int, condition_key: str) -> int | None:
    return session.scalar(select(Alert.id).where(Alert.patient_id == patient_id, Alert.status == "open",
                                                 Alert.condition_key == condition_key))


def _raise_signs(session: Session, patient: Patient, pack: RulePack, kind: str, symptoms: Mapping[str, int],
                 assessment: Assessment, settings: ClinicalSettings, now: datetime, policy: ClinicalPolicy,
                 ) -> list[int]:
    """A withdrawal or toxicity risk read from reported signs with the assessment (the response
    table's risk rows): every caregiver told, in the urgent template, which carries the verdict."""
    column = "withdrawal" if kind == "withdrawal_risk" else "toxicity"
    signs = pack.marked_signs(symptoms, assessment.verdict, settings) or [
        k for k, v in symptoms.items() if v > 0 and column in SYMPTOMS[k].signs_of]
    details: dict[str, Any] = {
        "template": "urgent_caregiver", "patient_template": None, "voice_template": None,
        "codes": signs, "facts": {}, "reasons": [f"{k.replace('_', ' ')}, severity {symptoms[k]}" for k in signs],
        "verdict": assessment.verdict, "assessment": _assessment_record(assessment), "pack": pack.key,
    }
    return _open_and_send(session, patient, kind=kind, condition_key=f"{kind}:signs", details=details, now=now,
                          policy=policy)


def _triage(pack: RulePack, checkin: CheckInRead, recent: Sequence[tuple[int, CheckInRecord]],
            settings: ClinicalSettings) -> Triage:
    """Red flags in this check-in, read against the one before it (for "new or worsening")."""
    earlier = [c for cid, c in recent if cid != checkin.id and c.recorded_at <= checkin.recorded_at]
    return pack.triage_symptoms(checkin.symptoms or {}, earlier[-1].symptoms if earlier else None, settings)


def evaluate_dose(session: Session, patient: Patient, taken_at: datetime, now: datetime,
                  policy: ClinicalPolicy, pack: RulePack) -> list[int]:
    """After a dose of ``pack``'s drug is recorded: close what a dose ends, read the toxicity rules,
    and move the patient's no-dose check to the end of the window from this dose. Returns outbox ids."""
    settings = settings_for(patient, policy)
    ids: list[int] = []
    closed = pack.closed_by_a_dose
    if closed:
        for alert in session.scalars(select(Alert).where(
                Alert.patient_id == patient.id, Alert.status == "open",
                Alert.condition_key.in_((*pack.joined_kinds, *closed))).with_for_update()):
            evidence = (alert.details or {}).get("evidence") or [alert.condition_key]
            if set(evidence) <= set(closed):
                ids += alert_service.resolve_on_dose(session, alert, taken_at=taken_at, tz=patient.timezone, now=now)
    # The rules a dose is read against (rules_read_on["dose"]; baclofen's: too soon, over the daily
    # total) read the doses alone, and raise no consult prompt (the one rule that reads the assessment).
    history = load_histories(session, [patient], now, {patient.id: settings}, pack, doses_only=True)[patient.id]
    ids += _raise_risks(session, patient, pack, history, settings, "dose",
                        _open_condition_keys(session, patient.id), now, policy)
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
    packs = patient_packs(session, [p.id for p in patients])
    open_keys = _open_condition_keys_many(session, [p.id for p in patients])
    # While a patient's missed-dose alerts are paused (a hospital stay: others give the doses and
    # dosewatch does not see them), "missed in a row" and "no dose for a day" say nothing either.
    paused = paused_patient_ids(session, [p.id for p in patients], now)
    ids: list[int] = []
    next_check: dict[int, datetime | None] = {p.id: None for p in patients}
    for pack in registry.all_packs():
        theirs = [p for p in patients if pack in packs[p.id]]
        histories = load_histories(session, theirs, now, settings, pack)
        for patient in theirs:
            history, s = histories[patient.id], settings[patient.id]
            if patient.id not in paused:
                ids += _raise_risks(session, patient, pack, history, s, "tick", open_keys.get(patient.id, set()),
                                    now, policy)
            ends = _next_no_dose_check(history, s, now)
            if ends is not None:
                previous = next_check[patient.id]
                next_check[patient.id] = ends if previous is None else min(previous, ends)
    for patient in patients:
        patient.clinical_check_at = next_check[patient.id]
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


def raise_triage(session: Session, patient: Patient, pack: RulePack, triage: Triage, assessment: Assessment,
                 now: datetime, policy: ClinicalPolicy) -> list[int]:
    """Open an emergency or urgent alert for a triaged check-in and send its first step now."""
    details = {
        "template": triage.caregiver_template, "patient_template": triage.patient_template,
        "voice_template": triage.voice_template, "codes": list(triage.codes), "facts": {},
        "reasons": list(triage.reasons), "verdict": assessment.verdict,
        "assessment": _assessment_record(assessment), "pack": pack.key,
    }
    return _open_and_send(session, patient, kind=triage.level, condition_key=triage.level, details=details,
                          now=now, policy=policy)


def raise_reported(session: Session, patient: Patient, triage: Triage, now: datetime, policy: ClinicalPolicy,
                   facts: Mapping[str, str] | None = None) -> list[int]:
    """Open an emergency or urgent alert about signs of a patient with no pack: the signs as reported
    or measured, no verdict and no drug named (``alerts.domain.packs.reported``)."""
    emergency = triage.level == "emergency"
    details = {
        "template": reported.TEMPLATES[triage.level],
        "patient_template": "emergency_patient" if emergency else None,
        "voice_template": "emergency_voice" if emergency else None,
        "codes": list(triage.codes), "facts": dict(facts or {}), "reasons": list(triage.reasons), "pack": None,
    }
    return _open_and_send(session, patient, kind=triage.level, condition_key=triage.level, details=details,
                          now=now, policy=policy)


def raise_from_text(session: Session, patient: Patient, level: Level, code: str, reason: str, now: datetime,
                    policy: ClinicalPolicy) -> list[int]:
    """Open an alert of ``level`` about what a text says when no symptom key can carry it (a doubtful
    seizure, "I feel unwell", "4 call 911 now"): with the first pack's assessment of everything
    known, or, for a patient with no pack, as reported."""
    triage = Triage(level, (reason,), (code,))
    packs = patient_packs(session, [patient.id])[patient.id]
    if not packs:
        return raise_reported(session, patient, triage, now, policy)
    pack, settings = packs[0], settings_for(patient, policy)
    history = load_histories(session, [patient], now, {patient.id: settings}, pack)[patient.id]
    return raise_triage(session, patient, pack, triage, assessment_for(pack, history, settings, now), now, policy)


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
    packs = patient_packs(session, [patient.id])[patient.id] if should_raise("emergency", open_keys) else None
    if packs is None:
        ids: list[int] = []
    elif not packs:
        # No pack: the measurement or the detected seizure as it is, without a verdict.
        said = tuple(f"{c.replace('_', ' ')}, from a device" for c in codes)
        ids = raise_reported(session, patient, Triage("emergency", said, tuple(codes)), now, policy, facts)
    else:
        pack, settings = packs[0], settings_for(patient, policy)
        history = load_histories(session, [patient], now, {patient.id: settings}, pack)[patient.id]
        assessment = assessment_for(pack, history, settings, now)
        # The same table as a check-in's: an emergency sign is an emergency whatever the verdict.
        kind = pack.respond("emergency", assessment, None, settings).kind or "emergency"
        details = {
            "template": "emergency_caregiver", "patient_template": "emergency_patient",
            "voice_template": "emergency_voice", "codes": list(codes), "facts": dict(facts),
            "reasons": list(reasons), "verdict": assessment.verdict,
            "assessment": _assessment_record(assessment), "pack": pack.key,
        }
        ids = _open_and_send(session, patient, kind=kind, condition_key=kind, details=details,
                             now=now, policy=policy)
    alert_id = session.scalar(select(Alert.id).where(Alert.patient_id == patient.id, Alert.status == "open",
                                                     Alert.condition_key == "emergency"))
    return alert_id, ids


def raise_device_findings(session: Session, patient: Patient, keys: Sequence[str], now: datetime,
                          policy: ClinicalPolicy) -> tuple[int | None, list[int]]:
    """Sustained findings from a device that are not a 911 sentence (fever, fast or very slow heart
    rate, low blood pressure, low temperature): through the same response table as a check-in's
    signs. Returns (the alert raised or already open for them, outbox ids).

    Only a pack reads these as signs (fever is baclofen withdrawal's, low blood pressure its
    toxicity's): for a patient with no pack they are recorded (the device's emergencies still go
    out, through :func:`raise_device_emergency`)."""
    packs = patient_packs(session, [patient.id])[patient.id]
    if not packs:
        return None, []
    pack = packs[0]
    triage = pack.triage_findings(keys)
    if triage.level not in ("emergency", "urgent"):
        return None, []
    open_keys = _open_condition_keys(session, patient.id)
    ids: list[int] = []
    if should_raise(triage.level, open_keys):
        settings = settings_for(patient, policy)
        history = load_histories(session, [patient], now, {patient.id: settings}, pack)[patient.id]
        assessment = assessment_for(pack, history, settings, now)
        if pack.respond(triage.level, assessment, None, settings).kind == triage.level:
            ids = raise_triage(session, patient, pack, triage, assessment, now, policy)
    return _open_alert_id(session, patient.id, triage.level), ids


def _raise_risks(session: Session, patient: Patient, pack: RulePack, history: History, settings: ClinicalSettings,
                 trigger: Trigger, open_keys: Collection[str], now: datetime, policy: ClinicalPolicy) -> list[int]:
    wanted = pack.rules_read_on.get(trigger, ())
    if not wanted:
        return []
    risks = [r for r in pack.dose_pattern_risks(history.profile, history.doses, history.taken, history.supply,
                                                history.checkin_records, now, settings)
             if r.condition_key in wanted and should_raise(r.condition_key, open_keys)]
    ids: list[int] = []
    for risk in risks:
        ids += _raise_risk(session, patient, pack, risk, history, settings, now, policy)
    return ids


def _raise_risk(session: Session, patient: Patient, pack: RulePack, risk: RiskDecision, history: History,
                settings: ClinicalSettings, now: datetime, policy: ClinicalPolicy) -> list[int]:
    details: dict[str, Any] = {
        "template": risk.template, "patient_template": risk.patient_template, "voice_template": None,
        "codes": list(risk.codes), "facts": dict(risk.facts), "reasons": list(risk.reasons), "pack": pack.key,
    }
    if risk.kind == "consult_soon":
        # A prompt about symptoms: it carries the withdrawal-vs-toxicity assessment.
        assessment = assessment_for(pack, history, settings, now)
        details.update(verdict=assessment.verdict, assessment=_assessment_record(assessment))
        joined = _open_risk_alert(session, patient, assessment)
        if joined is not None:
            # Worsening twitches while a withdrawal (or toxicity) alert is open are more evidence of
            # that situation, not a second alert and a second text to the same people a minute later:
            # they join it, and its reminder carries the new reason.
            _join(joined, risk.condition_key, details)
            return []
    return _open_and_send(session, patient, kind=risk.kind, condition_key=risk.condition_key, details=details,
                          now=now, policy=policy)


# The joined risk alert a verdict points to (worsening twitches are signs of both columns).
_RISK_OF_VERDICT: dict[str, str] = {"possible_withdrawal": "withdrawal_risk", "possible_toxicity": "toxicity_risk"}


def _open_risk_alert(session: Session, patient: Patient, assessment: Assessment) -> Alert | None:
    """The open withdrawal or toxicity alert of this situation: the verdict's, or else the one open."""
    wanted = _RISK_OF_VERDICT.get(assessment.verdict)
    kinds = (wanted,) if wanted else _joined_kinds()
    open_risks = list(session.scalars(select(Alert).where(
        Alert.patient_id == patient.id, Alert.status == "open", Alert.condition_key.in_(kinds))
        .order_by(Alert.id).with_for_update()))
    return open_risks[0] if open_risks and (wanted is not None or len(open_risks) == 1) else None


def _open_and_send(session: Session, patient: Patient, *, kind: str, condition_key: str,
                   details: dict[str, Any], now: datetime, policy: ClinicalPolicy) -> list[int]:
    if kind in _joined_kinds():
        # One open alert per patient per situation: "withdrawal_risk:supply" two texts after
        # "withdrawal_risk:missed_doses" is more evidence of the same withdrawal risk, not a second
        # alert to acknowledge. The evidence key is kept on the alert; the alert's key is its kind.
        evidence, condition_key = condition_key, kind
        details = {**details, "evidence": [evidence]}
        joined = session.scalar(select(Alert).where(Alert.patient_id == patient.id, Alert.status == "open",
                                                    Alert.condition_key == kind).with_for_update())
        if joined is not None:
            _join(joined, evidence, details)
            return []
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


def _join(alert: Alert, evidence: str, details: Mapping[str, Any]) -> None:
    """Add later evidence to an open alert of the same situation. Nothing is sent now: the alert's
    next step (its reminder) carries the new reasons, and a caregiver already on it has it all."""
    current = dict(alert.details or {})
    known = list(current.get("evidence") or [alert.condition_key])
    if evidence in known:
        return
    codes = list(current.get("codes") or [])
    current.update(
        evidence=known + [evidence],
        codes=codes + [c for c in details.get("codes", []) if c not in codes],
        reasons=list(current.get("reasons") or []) + list(details.get("reasons", [])),
        facts={**(current.get("facts") or {}), **(details.get("facts") or {})},
    )
    alert.details = current  # a new dict: the JSON column notices the change
    log.info("patient %s: %s joined open alert %s", alert.patient_id, evidence, alert.id)


def _assessment_record(assessment: Assessment) -> dict[str, Any]:
    return {"verdict": assessment.verdict, "summary": assessment.summary,
            "withdrawal": list(assessment.withdrawal_reasons), "toxicity": list(assessment.toxicity_reasons),
            "shared": list(assessment.shared_reasons)}


def _open_condition_keys(session: Session, patient_id: int) -> set[str]:
    return _open_condition_keys_many(session, [patient_id]).get(patient_id, set())


def _open_condition_keys_many(session: Session, patient_ids: Sequence[int]) -> dict[int, set[str]]:
    """Each patient's open alerts' keys, and the evidence joined to them (see :func:`_open_and_send`)."""
    out: dict[int, set[str]] = {}
    joined = _joined_kinds()
    for pid, key, kind, details in session.execute(
            select(Alert.patient_id, Alert.condition_key, Alert.kind, Alert.details)
            .where(Alert.patient_id.in_(patient_ids), Alert.status == "open")):
        keys = out.setdefault(pid, set())
        keys.add(key)
        if kind in joined:
            keys.update((details or {}).get("evidence") or ())
    return out

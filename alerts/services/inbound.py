"""Inbound SMS: who sent it, what it means, what we do, and the reply. Once per Twilio MessageSid.

What a message says is decided by the pure parser (``alerts.domain.replies.parse_reply``); this
module decides what it means from this sender:

- A red flag from a patient or a caregiver is recorded as a check-in and triaged, so an emergency
  opens at once. Safety wins over anything else the same message says.
- A patient's "TAKEN" records a dose now (``alerts.services.doses.record_dose``), which marks the
  dose that is due and closes a missed-dose alert with an all-clear to the caregivers told.
  Symptoms named with it ("took it, legs jumping 7") are recorded as a check-in too.
- "Forgot" / "not yet" records nothing and gets a kind reply (never advice about the dose).
- A supply problem ("ran out", "pharmacy didn't have it") from the patient or a caregiver is a
  check-in with ``supply_problem``: the withdrawal-risk rule reads it and alerts the caregivers.
- An extra dose ("took it twice by mistake") records the doses taken, so the toxicity rules (a dose
  too soon after another, over the daily total) read them and alert the caregivers.
- A caregiver's "OK" (or "OK JQF2") acknowledges their open alert; with several open and no code,
  the reply lists the codes and asks which, rather than guessing. "STATUS" answers with each of
  their patients' open alerts, last dose taken and next dose due (in the patient's zone).
- A bare number 0-10 from a patient who was sent the daily check-in prompt lately is the answer:
  a check-in of twitching at that severity (``alerts.services.checkin_prompts``).
- STOP / START keep the opt-out list the outbox checks; Twilio answers those keywords itself, so
  our reply is empty. HELP, and anything not understood, get the help text and change nothing.

Twilio retries a webhook it did not get a timely 2xx for; the stored :class:`InboundMessage` makes a
retry return the first reply and do nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.domain.messages import render
from alerts.domain.replies import Reply, parse_reply
from alerts.domain.status import PatientState, status_text
from alerts.models import Alert, Caregiver, Dose, DoseEvent, InboundMessage, Notification, OptOut, Patient
from alerts.services import alerts as alert_service
from alerts.services import checkin_prompts
from alerts.services import doses as dose_service
from alerts.services.checkins import record_checkin
from alerts.services.clinical import ClinicalPolicy


@dataclass(frozen=True)
class InboundResult:
    """The reply to send back (empty: none), outbox rows written, and what happened (for logs)."""

    reply_text: str
    notification_ids: tuple[int, ...]
    outcome: str
    replayed: bool = False


def normalise_phone(raw: str) -> str:
    """E.164 for anything phonenumbers can parse; otherwise the trimmed input (short codes, names)."""
    text = (raw or "").strip()
    try:
        return phonenumbers.format_number(phonenumbers.parse(text, None), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return text


def handle_sms(session: Session, *, message_sid: str, from_number: str, body: str,
               now: datetime, policy: ClinicalPolicy | None = None) -> InboundResult:
    """Act on one inbound SMS and return the reply. Caller commits (and kicks the outbox if ids).

    The :class:`InboundMessage` row is inserted and flushed first: two deliveries of the same
    MessageSid racing each other collide on its primary key, and the loser (after a rollback)
    calls again and gets the stored reply.
    """
    stored = session.get(InboundMessage, message_sid)
    if stored is not None:
        return InboundResult(stored.reply or "", (), stored.outcome or "", replayed=True)

    phone = normalise_phone(from_number)
    # from_number is String(20): a non-E.164 sender ("whatsapp:+1...") must not fail the insert.
    record = InboundMessage(message_sid=message_sid, from_number=phone[:20], body=body, received_at=now)
    session.add(record)
    session.flush()

    result = _act(session, parse_reply(body), body, phone, message_sid, now, policy or ClinicalPolicy())
    record.outcome = result.outcome
    record.reply = result.reply_text
    session.flush()
    return result


def _act(session: Session, reply: Reply, body: str, phone: str, message_sid: str, now: datetime,
         policy: ClinicalPolicy) -> InboundResult:
    patients = list(session.scalars(select(Patient).where(Patient.phone == phone).order_by(Patient.id)))
    caregivers = list(session.scalars(
        select(Caregiver).where(Caregiver.phone == phone).order_by(Caregiver.id)))
    language = patients[0].language if patients else caregivers[0].language if caregivers else None

    if reply.intent == "stop":
        _set_opt_out(session, phone, active=True, now=now)
        return InboundResult("", (), "opted_out")
    if reply.intent == "start":
        _set_opt_out(session, phone, active=False, now=now)
        return InboundResult("", (), "opted_in")
    if reply.intent == "help":
        return InboundResult(render("help", language), (), "help")
    if not (patients or caregivers):
        return InboundResult(render("help", language), (), "unknown_sender")
    sms = _Sms(session, patients, caregivers, body, message_sid, now, policy)
    # Safety first: a red flag is acted on whatever else the message says, from patient or caregiver.
    if reply.intent in ("emergency", "symptoms"):
        return _symptoms(sms, reply.symptoms)
    if reply.intent == "supply" and reply.supply_problem:
        return _supply(sms, reply.supply_problem, reply.symptoms)
    if reply.intent == "extra_dose":
        return _extra_dose(sms, reply.doses or 2)
    if patients and reply.intent == "taken":
        result = _dose_taken(session, _patient_meant(session, patients, now), message_sid, now)
        if reply.symptoms:
            # The reply about the dose stands; the check-in's messages (if any) go with it.
            also = _symptoms(sms, reply.symptoms)
            return InboundResult(result.reply_text, result.notification_ids + also.notification_ids,
                                 f"{result.outcome}+{also.outcome}")
        return result
    if patients and reply.intent == "number" and reply.number is not None:
        patient = _patient_meant(session, patients, now)
        if checkin_prompts.prompted_recently(session, patient, now):
            # The answer to "How are your twitches today, 0-10?": a check-in the rules read like any.
            ids = sms.record_checkin(patient, {"twitching": reply.number})
            return InboundResult(render("checkin_answer_recorded", language, severity=reply.number), ids,
                                 "checkin_answer")
    if patients and reply.intent == "not_taken":
        # Nothing is recorded: the missed-dose escalation carries on as it would have.
        return InboundResult(render("dose_not_taken", language), (), "dose_not_taken")
    if reply.intent == "all_well":
        return InboundResult(render("all_well", language), (), "all_well")
    if caregivers and reply.intent == "ack":
        return _acknowledge(session, phone, reply.code, now)
    if caregivers and reply.intent == "status":
        return _status(session, caregivers, now)
    # Not understood, or a reply that does not fit the sender (a caregiver's "TAKEN", a patient's
    # "OK"): recording a dose or closing an alert on a guess is worse than asking again.
    return InboundResult(render("help", language), (), f"not_understood:{reply.intent}")


@dataclass(frozen=True)
class _Sms:
    """One inbound message and who sent it, as the handlers below need it."""

    session: Session
    patients: list[Patient]
    caregivers: list[Caregiver]
    body: str
    message_sid: str
    now: datetime
    policy: ClinicalPolicy

    @property
    def language(self) -> str:
        return self.patients[0].language if self.patients else self.caregivers[0].language

    def about(self) -> list[Patient]:
        """The patients the message is about. From a patient, that patient. A caregiver of several
        patients is taken to mean the one with an open alert; if none or more than one has one, all
        of them: an emergency sent about one patient too many is a phone call, one not sent can be
        a life."""
        if self.patients:
            return [_patient_meant(self.session, self.patients, self.now)]
        cared_for = [p for p in (self.session.get(Patient, c.patient_id) for c in self.caregivers) if p is not None]
        with_alerts = [p for p in cared_for if self.session.scalar(
            select(Alert.id).where(Alert.patient_id == p.id, Alert.status == "open").limit(1))]
        return with_alerts if len(with_alerts) == 1 else cared_for

    def record_checkin(self, patient: Patient, symptoms: dict[str, int],
                       supply_problem: str | None = None) -> tuple[int, ...]:
        recorded = record_checkin(self.session, patient, recorded_at=self.now, symptoms=symptoms,
                                  note=self.body[:1000], source="sms", now=self.now,
                                  idempotency_key=f"sms:{self.message_sid}", supply_problem=supply_problem,
                                  policy=self.policy)
        return recorded.notification_ids


def _symptoms(sms: _Sms, symptoms: dict[str, int]) -> InboundResult:
    """Symptoms in plain words, from the patient or about them: a check-in, triaged as any other."""
    about = sms.about()
    ids: list[int] = []
    for patient in about:
        ids += sms.record_checkin(patient, symptoms)
    emergency = any(_has_open(sms.session, p, "emergency") for p in about)
    names = ", ".join(p.name for p in about)
    template = "symptoms_emergency" if emergency else "symptoms_recorded"
    return InboundResult(render(template, sms.language, patient_name=names), tuple(ids),
                         "emergency" if emergency else "symptoms_recorded")


def _supply(sms: _Sms, problem: str, symptoms: dict[str, int]) -> InboundResult:
    """Ran out, or cannot get a refill: a check-in with ``supply_problem``, so the withdrawal-risk
    rule (``RULES_READ_ON["checkin"]``) alerts the caregivers in this same transaction."""
    about = sms.about()
    ids: list[int] = []
    for patient in about:
        ids += sms.record_checkin(patient, symptoms, supply_problem=problem)
    names = ", ".join(p.name for p in about)
    if any(_has_open(sms.session, p, "emergency") for p in about):
        return InboundResult(render("symptoms_emergency", sms.language, patient_name=names), tuple(ids), "emergency")
    return InboundResult(render("supply_recorded", sms.language, patient_name=names), tuple(ids),
                         f"supply:{problem}")


# Doses reported this close before an "I took an extra one" count towards it: "TAKEN" at 14:00 and
# "oops, took it twice" at 14:10 is two doses in all, not three.
EXTRA_DOSE_LOOKBACK = timedelta(hours=2)


def _extra_dose(sms: _Sms, doses_in_all: int) -> InboundResult:
    """Record the doses the person says were taken, so the toxicity rules read them (a dose taken
    too soon after another, more than the daily total) and alert the caregivers. A caregiver of
    several patients must say which first: doses recorded for the wrong one would hide nothing
    and mislead everyone."""
    about = sms.about()
    if len(about) != 1:
        return InboundResult(render("help", sms.language), (), "not_understood:extra_dose")
    patient = about[0]
    already = sms.session.scalar(select(func.count(DoseEvent.id)).where(
        DoseEvent.patient_id == patient.id, DoseEvent.taken_at > sms.now - EXTRA_DOSE_LOOKBACK,
        DoseEvent.taken_at <= sms.now)) or 0
    ids: list[int] = []
    for n in range(max(1, doses_in_all - already)):
        recorded = dose_service.record_dose(sms.session, patient, taken_at=sms.now, source="sms", now=sms.now,
                                           note=sms.body[:1000], idempotency_key=f"sms:{sms.message_sid}:{n}",
                                           policy=sms.policy)
        ids += recorded.notification_ids
    taken_time = sms.now.astimezone(ZoneInfo(patient.timezone)).strftime("%H:%M")
    text = render("extra_dose_recorded", sms.language, count=max(doses_in_all, already + 1),
                  patient_name=patient.name, taken_time=taken_time)
    return InboundResult(text, tuple(ids), "extra_dose_recorded")


def _has_open(session: Session, patient: Patient, kind: str) -> bool:
    return session.scalar(select(Alert.id).where(
        Alert.patient_id == patient.id, Alert.kind == kind, Alert.status == "open").limit(1)) is not None


def _status(session: Session, caregivers: list[Caregiver], now: datetime) -> InboundResult:
    """Each patient this phone cares for: open alerts, the last dose taken, the next dose due."""
    lines = []
    for caregiver in caregivers:
        patient = session.get(Patient, caregiver.patient_id)
        if patient is None:
            continue
        alerts = [(a.kind, a.code) for a in session.scalars(
            select(Alert).where(Alert.patient_id == patient.id, Alert.status == "open").order_by(Alert.opened_at))]
        last = session.scalar(select(func.max(DoseEvent.taken_at)).where(
            DoseEvent.patient_id == patient.id, DoseEvent.taken_at <= now))
        upcoming = session.scalar(select(func.min(Dose.due_at)).where(
            Dose.patient_id == patient.id, Dose.status == "pending"))
        state = PatientState(patient.name, patient.timezone, alerts, last, upcoming)
        lines.append(status_text(state, caregiver.language, now))
    return InboundResult("\n".join(lines), (), "status")


def _patient_meant(session: Session, patients: list[Patient], now: datetime) -> Patient:
    """The patient replying. Several patients can share a phone (a couple, a care home's line):
    the one with a dose due now is the one meant; otherwise the first."""
    if len(patients) > 1:
        for patient in patients:
            if dose_service.dose_due_now(session, patient, now) is not None:
                return patient
    return patients[0]


def _dose_taken(session: Session, patient: Patient, message_sid: str, now: datetime) -> InboundResult:
    recorded = dose_service.record_dose(session, patient, taken_at=now, source="sms", now=now,
                                       idempotency_key=f"sms:{message_sid}")
    taken_time = now.astimezone(ZoneInfo(patient.timezone)).strftime("%H:%M")
    if recorded.dose is None:
        # No dose was due: still recorded, because an unscheduled dose is information a clinician
        # needs (the brief's toxicity risk with accumulation), but the patient is told plainly.
        text = render("dose_recorded_unscheduled", patient.language, taken_time=taken_time)
        return InboundResult(text, recorded.notification_ids, "dose_recorded_unscheduled")
    text = render("dose_recorded", patient.language, dose_time=recorded.dose.local_time,
                  taken_time=taken_time)
    return InboundResult(text, recorded.notification_ids, "dose_recorded")


def _acknowledge(session: Session, phone: str, code: str | None, now: datetime) -> InboundResult:
    pairs = alert_service.open_alerts_for_caregiver_phone(session, phone)
    language = _caregiver_language(session, phone, pairs)
    if not pairs:
        return InboundResult(render("nothing_to_ack", language), (), "nothing_to_ack")
    if code is not None:
        chosen = [(a, c) for a, c in pairs if a.code == code]
    else:
        chosen = pairs if len(pairs) == 1 else []
    if not chosen:
        # Several open alerts and no (matching) code: ask, listing each code with its patient.
        listing = ", ".join(_label(a) for a, _ in pairs)
        text = render("which_alert", language, count=len(pairs), alerts=listing, example=pairs[0][0].code)
        return InboundResult(text, (), "which_alert")
    alert, caregiver = chosen[0]
    # Lock the row: the tick may be running this alert's next step right now.
    session.refresh(alert, with_for_update=True)
    if alert.status != "open":
        return InboundResult(render("nothing_to_ack", caregiver.language), (), "nothing_to_ack")
    ids = alert_service.acknowledge(session, alert, caregiver, via="sms", now=now)
    return InboundResult(render("ack_thanks", caregiver.language, caregiver_name=caregiver.name), tuple(ids),
                         "acknowledged")


def _label(alert: Alert) -> str:
    name = (alert.details or {}).get("patient_name")
    return f"{alert.code} ({name})" if name else alert.code


def _caregiver_language(session: Session, phone: str, pairs: list[tuple[Alert, Caregiver]]) -> str | None:
    if pairs:
        return pairs[0][1].language
    return session.scalar(
        select(Caregiver.language).where(Caregiver.phone == phone).order_by(Caregiver.id).limit(1))


def _set_opt_out(session: Session, phone: str, *, active: bool, now: datetime) -> None:
    opt_out = session.get(OptOut, phone)
    if opt_out is None:
        if not active:
            return
        session.add(OptOut(phone=phone, opted_out_at=now, active=True))
        return
    opt_out.active = active
    if active:
        opt_out.opted_out_at = now


# -- voice: the "press 1" acknowledgement -----------------------------------------------------------


@dataclass(frozen=True)
class VoiceScript:
    """What a call says: the notification's text, in its recipient's language."""

    body: str
    language: str


def voice_script(session: Session, notification_id: int) -> VoiceScript | None:
    """The script of the call made for ``notification_id``, or None if there is no such message."""
    notification = session.get(Notification, notification_id)
    if notification is None:
        return None
    return VoiceScript(notification.body, _recipient_language(session, notification))


def handle_keypress(session: Session, *, notification_id: int, digits: str,
                    now: datetime) -> InboundResult | None:
    """A key pressed during the call for ``notification_id``. Caller commits.

    "1" acknowledges the notification's alert on behalf of the caregiver called (only the keypress
    counts: a call that was merely answered, perhaps by voicemail, acknowledges nothing). Any other
    key returns outcome ``repeat`` with no text. None if the notification does not exist.
    """
    notification = session.get(Notification, notification_id)
    if notification is None:
        return None
    language = _recipient_language(session, notification)
    if digits.strip() != "1":
        return InboundResult("", (), "repeat")
    caregiver = (session.get(Caregiver, notification.recipient_id)
                 if notification.recipient_kind == "caregiver" else None)
    alert = session.get(Alert, notification.alert_id, with_for_update=True) if notification.alert_id else None
    if caregiver is None or alert is None or alert.status != "open":
        return InboundResult(render("nothing_to_ack", language), (), "nothing_to_ack")
    ids = alert_service.acknowledge(session, alert, caregiver, via="voice", now=now)
    return InboundResult(render("ack_thanks", language, caregiver_name=caregiver.name), tuple(ids),
                         "acknowledged")


def _recipient_language(session: Session, notification: Notification) -> str:
    model = Caregiver if notification.recipient_kind == "caregiver" else Patient
    return session.scalar(select(model.language).where(model.id == notification.recipient_id)) or "en"

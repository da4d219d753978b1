"""Inbound SMS: who sent it, what it means, what we do, and the reply. Once per Twilio MessageSid.

What a message says is read by the pure reader (``alerts.domain.reading.read_sms``: urgency, dose,
intents, and whether it is sure); this module decides what that means from this sender (issue 10):

- Anything that may describe a body in trouble, from the patient or a caregiver, is recorded as a
  check-in and triaged, so an emergency opens at once; if the triage opens nothing (a doubtful
  seizure, twitches) an urgent alert opens, and the words go to the caregivers verbatim. Safety
  wins over anything else the same message says; a dose in it is recorded too.
- A text the reader cannot place is never answered with the help text alone: a patient's goes to
  every caregiver word for word ("Rosa wrote: '...' - dosewatch could not read it") and the patient
  is asked a numbered question (1 took it / 2 not yet / 3 unwell / 4 call 911 now) whose answer
  is understood within ``NUMBERED_ANSWER_WINDOW``; a caregiver gets numbered options and nothing is
  acknowledged, so the escalation keeps running.
- A dose taken, from the patient or a caregiver or aide for them (named when they care for two),
  is recorded with the configured dose windows and thresholds; a report about a scheduled dose
  already recorded (by the app, or an annoyed repeat) confirms it and records nothing. With several
  medicines, "took it" records every dose due now and the reply names them; a text naming one
  ("took the baclofen", ``alerts.domain.medication_names``) records that one.
- "Forgot" / "not yet" records nothing and gets a kind reply (never advice about the dose); a
  patient's question goes to the care team, never answered by a machine.
- A supply problem (ran out, pump alarm, prior authorisation, lost pills ...) is a check-in with
  ``supply_problem``: the withdrawal-risk rule reads it and alerts the caregivers. One about a
  medicine without a clinical pack ("ran out of metformin") goes to the caregivers word for word.
- An extra dose ("took another when the reminder came") records the doses taken, so the toxicity
  rules read them and alert the caregivers.
- A caregiver's acknowledgement, in their own words too ("called the ambulance"), acknowledges
  their open alert and tells the others what they said; with several open and no code, the reply
  lists the codes. STATUS answers with open alerts, alerts being handled, last and next dose.
- A bare number 0-10 from a patient who was sent the daily check-in prompt lately is the answer.
- STOP / START keep the opt-out list the outbox checks; Twilio answers those keywords itself, so
  our reply is empty. A sentence asking to stop is told how (the single word STOP).

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

from alerts.domain.clinical.redflags import Level
from alerts.domain.medication_names import display_name, dose_label, listing, named_medications
from alerts.domain.medications import clinical_pack, is_baclofen
from alerts.domain.messages import render
from alerts.domain.reading import Reading, Sender, answer_stands, numbered_answer, read_sms, said_of
from alerts.domain.status import PatientState, status_text
from alerts.domain.text import normalise
from alerts.models import (
    Alert,
    Caregiver,
    Dose,
    DoseEvent,
    DoseSchedule,
    InboundMessage,
    Medication,
    Notification,
    OptOut,
    Patient,
)
from alerts.services import alerts as alert_service
from alerts.services import checkin_prompts, clinical, supply
from alerts.services import doses as dose_service
from alerts.services.checkins import record_checkin
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import DoseWindows
from alerts.services.outbox import Message, queue_messages


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
               now: datetime, policy: ClinicalPolicy, windows: DoseWindows) -> InboundResult:
    """Act on one inbound SMS and return the reply. Caller commits (and kicks the outbox if ids).

    ``policy`` and ``windows`` are the configured thresholds and dose windows (the route passes
    them from the app's configuration): a dose confirmed by SMS is matched and judged exactly as
    one posted through the API.

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

    result = _act(session, body, phone, message_sid, now, policy, windows)
    record.outcome = result.outcome
    record.reply = result.reply_text
    session.flush()
    return result


# The outcome stored when we asked a numbered question; a bare "1".."4" from the same phone within
# this long is its answer.
ASKED_NUMBERED = "asked_numbered"
NUMBERED_ANSWER_WINDOW = timedelta(hours=1)
# The longest excerpt of a text forwarded to a caregiver (two SMS segments with the wrapper).
FORWARD_MAX_CHARS = 200


def _act(session: Session, body: str, phone: str, message_sid: str, now: datetime,
         policy: ClinicalPolicy, windows: DoseWindows) -> InboundResult:
    patients = list(session.scalars(select(Patient).where(Patient.phone == phone).order_by(Patient.id)))
    caregivers = list(session.scalars(
        select(Caregiver).where(Caregiver.phone == phone).order_by(Caregiver.id)))
    language = patients[0].language if patients else caregivers[0].language if caregivers else None
    sender: Sender = "patient" if patients else "caregiver"
    reading = read_sms(body, sender=sender)
    intent = reading.reply.intent

    if intent == "stop":
        _set_opt_out(session, phone, active=True, now=now)
        return InboundResult("", (), "opted_out")
    if intent == "start":
        _set_opt_out(session, phone, active=False, now=now)
        return InboundResult("", (), "opted_in")
    if intent == "help":
        return InboundResult(render("help", language), (), "help")
    if not (patients or caregivers):
        return InboundResult(render("help", language), (), "unknown_sender")
    sms = _Sms(session, patients, caregivers, body, message_sid, now, policy, windows)

    if patients and intent == "status":
        # STATUS is the caregivers' word; a patient sending it gets the help text.
        return InboundResult(render("help", language), (), "not_understood:status")
    chosen = numbered_answer(body, sender)
    if chosen is not None and answer_stands(chosen, reading) and _asked_recently(session, phone, now):
        return _numbered(sms, chosen)
    # Safety first: anything that may describe a body in trouble, from patient or caregiver, is
    # recorded, triaged and at least urgent, whatever else the message says.
    if reading.urgency != "none" or reading.symptoms or reading.supply_problem:
        return _report(sms, reading)
    if reading.dose == "taken":
        if patients:
            return _dose_taken(sms, _patient_meant(session, patients, now, sms.windows))
        return _caregiver_gave(sms, reading)
    if patients and intent == "number" and reading.number is not None:
        patient = _patient_meant(session, patients, now, sms.windows)
        if checkin_prompts.prompted_recently(session, patient, now):
            # The answer to "How are your twitches today, 0-10?": a check-in the rules read like any.
            ids = sms.record_checkin(patient, {"twitching": reading.number})
            return InboundResult(render("checkin_answer_recorded", language, severity=reading.number), ids,
                                 "checkin_answer")
    if patients and reading.dose == "not_taken":
        # Nothing is recorded: the missed-dose escalation carries on as it would have.
        return InboundResult(render("dose_not_taken", language), (), "dose_not_taken")
    if caregivers and "ack" in reading.intents:
        return _acknowledge(session, phone, reading.code, now, words=_words_of(body, reading))
    if caregivers and "status_request" in reading.intents:
        return _status(session, caregivers, now, windows.low_supply_days)
    if "stop" in reading.intents:
        # Only the single word STOP opts out (the carrier's keyword, answered by Twilio itself): a
        # sentence that asks is told how, rather than silencing emergency texts on a guess.
        return InboundResult(render("stop_how", language), (), "stop_request")
    if patients and "question" in reading.intents:
        # A question a machine must not answer (dose advice is never ours to give): a human reads it.
        ids = _forward(sms, sms.about(), "words_forward")
        return InboundResult(render("question_forwarded", language), tuple(ids), "question_forwarded")
    if "all_well" in reading.intents or (caregivers and reading.confident and "question" not in reading.intents):
        return InboundResult(render("all_well", language), (), "all_well")
    return _unclear(sms, reading)


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
    windows: DoseWindows

    @property
    def language(self) -> str:
        return self.patients[0].language if self.patients else self.caregivers[0].language

    def about(self) -> list[Patient]:
        """The patients the message is about. From a patient, that patient. A caregiver of several
        patients means the ones the text names ("Leo is shaking all over": Leo, even while Rosa has
        an alert open); naming none, the one with an open alert; if none or more than one has one,
        all of them: an emergency sent about one patient too many is a phone call, one not sent can
        be a life."""
        if self.patients:
            return [_patient_meant(self.session, self.patients, self.now, self.windows)]
        cared_for = [p for p in (self.session.get(Patient, c.patient_id) for c in self.caregivers) if p is not None]
        named = _named_in(self.body, cared_for)
        if named and len(cared_for) > 1:
            return named
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


def _report(sms: _Sms, reading: Reading) -> InboundResult:
    """A text that may describe a body in trouble, a supply problem or an extra dose: one check-in
    (symptoms and supply problem) triaged as any other, the dose it reports, and at least an urgent
    alert with the words forwarded when it may describe a body in trouble."""
    about = sms.about()
    given: list[Patient] = []
    dose_said = reading.dose
    if sms.caregivers and len(about) > 1:
        about, given, dose_said = _whose_trouble(sms, about, reading)
    if reading.supply_problem and not reading.symptoms and reading.urgency == "none" and len(about) == 1:
        other = _other_medicine_supply(sms, about[0], reading.supply_problem)
        if other is not None:
            return other
    ids: list[int] = []
    acknowledged = False
    if sms.caregivers and "ack" in reading.intents:
        # "OK calling now, he's still convulsing": the acknowledgement is recorded (the others are
        # told who is on it, in their words) before the check-in, so the sign still happening opens
        # an emergency again if the one acknowledged was it: everyone stays alerted (issue 10).
        ack = _acknowledge(sms.session, _phone_of(sms), reading.code, sms.now, words=_words_of(sms.body, reading))
        ids += ack.notification_ids
        acknowledged = ack.outcome == "acknowledged"
    for patient in about:
        ids += sms.record_checkin(patient, reading.symptoms, supply_problem=reading.supply_problem)
    dose: InboundResult | None = None
    if dose_said == "extra":
        dose = _extra_dose(sms, reading.doses or 2)
    elif dose_said == "taken" and len(about) == 1:
        dose = _dose_taken(sms, about[0])
    if dose is not None:
        ids += dose.notification_ids
    for patient in given:
        ids += _dose_taken(sms, patient, for_caregiver=True).notification_ids
    if reading.urgency != "none":
        for patient in about:
            if not _open_kinds(sms.session, patient) & {"emergency", "urgent", "toxicity_risk", "withdrawal_risk"}:
                # Issue 10: nothing that may describe a body in trouble stays below urgent.
                ids += _raise_from_text(sms, patient, "urgent", "text_concern")
        if reading.forward:
            ids += _forward(sms, about, "words_forward")
    names = ", ".join(p.name for p in about)
    if any(_has_open(sms.session, p, "emergency") for p in about):
        return InboundResult(render("symptoms_emergency", sms.language, patient_name=names), tuple(ids),
                             "acknowledged+emergency" if acknowledged else "emergency")
    if dose is not None and reading.dose == "taken":
        # The reply about the dose stands; the check-in's and the alert's messages go with it.
        outcome = dose.outcome if reading.urgency == "none" and not reading.symptoms else \
            f"{dose.outcome}+symptoms_recorded"
        return InboundResult(dose.reply_text, tuple(ids), outcome)
    if reading.supply_problem and not reading.symptoms and reading.dose != "extra":
        return InboundResult(render("supply_recorded", sms.language, patient_name=names), tuple(ids),
                             f"supply:{reading.supply_problem}")
    if dose is not None and reading.dose == "extra":
        return InboundResult(dose.reply_text, tuple(ids), dose.outcome)
    outcome = "symptoms_recorded" if dose is None else f"{dose.outcome}+symptoms_recorded"
    return InboundResult(render("symptoms_recorded", sms.language, patient_name=names), tuple(ids), outcome)


def _whose_trouble(sms: _Sms, about: list[Patient], reading: Reading) -> tuple[list[Patient], list[Patient], str]:
    """A caregiver of several naming them in one text ("Re Mrs. Okafor: she is not making sense.
    Mr. Brandt took his 2pm fine."): the trouble is raised for those whose sentences report it,
    and a dose is recorded for those whose sentences say it was taken and nothing else. When the
    sentences cannot be told apart (no one's, or everyone's, report trouble) all stay: an alert
    about one patient too many is a phone call, one not sent can be a life. Returns the patients
    in trouble, those given their dose, and the dose the troubled ones' own sentences report."""
    said = said_of(sms.body, [p.name for p in about])
    readings = {p.id: read_sms(said[p.name], sender="caregiver") for p in about if p.name in said}
    troubled = [p for p in about if p.id in readings and (
        readings[p.id].urgency != "none" or readings[p.id].symptoms or readings[p.id].supply_problem)]
    if not troubled or len(troubled) == len(about) or len(readings) != len(about):
        return about, [], reading.dose
    given = [p for p in about if p not in troubled and readings[p.id].dose == "taken"]
    own = {readings[p.id].dose for p in troubled}
    return troubled, given, own.pop() if len(own) == 1 else "none"


def _other_medicine_supply(sms: _Sms, patient: Patient, problem: str) -> InboundResult | None:
    """A supply problem with a medicine that has no clinical pack ("I ran out of metformin"): the
    caregivers get the words and the patient is asked to call the prescriber or pharmacist, but no
    check-in carries it to the clinical rules, whose supply rule is baclofen withdrawal. None when
    the text names no medicine, or names one with a clinical pack (then it is the rules' to read)."""
    medications = {m: n for m, n in dose_service.active_medications(sms.session, patient.id).items()
                   if m is not None and n}
    named = named_medications(sms.body, medications) if medications else []
    if not named or any(clinical_pack(medications[m]) is not None for m in named):
        return None
    ids = _forward(sms, [patient], "words_forward")
    text = render("supply_recorded_medication", sms.language, patient_name=patient.name,
                  medication=listing([medications[m] for m in named], sms.language))
    return InboundResult(text, tuple(ids), f"supply_other_medicine:{problem}")


_TEXT_REASONS = {
    "text_concern": "a text that may describe a body in trouble, its words forwarded (issue 10: at least urgent)",
    "unwell_by_text": "answered 'I feel unwell' to the numbered question",
    "asked_for_911": "answered 'call 911 now' to the numbered question (brief: 'call 911')",
}


def _raise_from_text(sms: _Sms, patient: Patient, level: Level, code: str) -> list[int]:
    """Open an alert of ``level`` about what a text says when no symptom key can carry it (a doubtful
    seizure, "I feel unwell", "4 call 911 now"), with the withdrawal-vs-toxicity assessment of
    everything known. Nothing new opens while one of that level is open: its repeats run already."""
    if level in _open_kinds(sms.session, patient):
        return []
    return clinical.raise_from_text(sms.session, patient, level, code, _TEXT_REASONS[code], sms.now, sms.policy)


def _open_kinds(session: Session, patient: Patient) -> set[str]:
    return set(session.scalars(select(Alert.kind).where(Alert.patient_id == patient.id, Alert.status == "open")))


def _forward(sms: _Sms, about: list[Patient], template: str) -> list[int]:
    """The sender's words, verbatim (cut to ``FORWARD_MAX_CHARS``), to every caregiver of the
    patients the text is about but the sender. Once per message and caregiver (the dedupe key)."""
    words = " ".join(sms.body.split())
    if len(words) > FORWARD_MAX_CHARS:
        words = words[:FORWARD_MAX_CHARS - 3] + "..."
    sender_name = sms.patients[0].name if sms.patients else sms.caregivers[0].name
    ids: list[int] = []
    for patient in about:
        messages = [
            Message(dedupe_key=f"sms:{sms.message_sid}:forward:caregiver:{c.id}",
                    recipient=alert_service.caregiver_recipient(c),
                    body=render(template, c.language, patient_name=patient.name, sender_name=sender_name,
                                words=words),
                    kind="sms_forward", urgent=True)
            for c in sms.session.scalars(select(Caregiver).where(Caregiver.patient_id == patient.id)
                                         .order_by(Caregiver.position))
            if c.phone != _phone_of(sms)
        ]
        ids += queue_messages(sms.session, patient.id, None, messages, sms.now)
    return ids


def _phone_of(sms: _Sms) -> str:
    return sms.patients[0].phone if sms.patients else sms.caregivers[0].phone


def _unclear(sms: _Sms, reading: Reading) -> InboundResult:
    """A text we cannot place. From a patient it goes to the caregivers word for word (unless there
    are no words to read: a bare thumbs-up) and the patient gets a numbered question; from a
    caregiver, the numbered options (nothing is acknowledged, so any escalation keeps running)."""
    about = sms.about()
    names = ", ".join(p.name for p in about)
    if sms.patients:
        ids = _forward(sms, about, "unclear_forward") if reading.forward else []
        return InboundResult(render("unclear_patient", sms.language), tuple(ids), ASKED_NUMBERED)
    return InboundResult(render("unclear_caregiver", sms.language, patient_name=names), (), ASKED_NUMBERED)


def _asked_recently(session: Session, phone: str, now: datetime) -> bool:
    return session.scalar(select(InboundMessage.message_sid).where(
        InboundMessage.from_number == phone[:20], InboundMessage.outcome == ASKED_NUMBERED,
        InboundMessage.received_at >= now - NUMBERED_ANSWER_WINDOW, InboundMessage.received_at <= now).limit(1)
    ) is not None


def _numbered(sms: _Sms, chosen: str) -> InboundResult:
    """The answer to our numbered question (``alerts.domain.reading.numbered_answer``)."""
    if sms.patients:
        patient = _patient_meant(sms.session, sms.patients, sms.now, sms.windows)
        if chosen == "taken":
            return _dose_taken(sms, patient)
        if chosen == "not_yet":
            return InboundResult(render("dose_not_taken", sms.language), (), "dose_not_taken")
        if chosen == "unwell":
            ids = _raise_from_text(sms, patient, "urgent", "unwell_by_text")
            return InboundResult(render("unwell_recorded", sms.language, patient_name=patient.name), tuple(ids),
                                 "unwell")
        ids = _raise_from_text(sms, patient, "emergency", "asked_for_911")
        return InboundResult(render("symptoms_emergency", sms.language, patient_name=patient.name), tuple(ids),
                             "emergency")
    if chosen == "ack":
        return _acknowledge(sms.session, _phone_of(sms), None, sms.now)
    if chosen == "status":
        return _status(sms.session, sms.caregivers, sms.now, sms.windows.low_supply_days)
    return _caregiver_gave(sms, None)


def _named_in(body: str, patients: list[Patient]) -> list[Patient]:
    """The patients whose name the text says, as a whole word ("Gave Leo his 2pm")."""
    words = f" {normalise(body)} "
    return [p for p in patients if f" {normalise(p.name)} " in words]


def _caregiver_gave(sms: _Sms, reading: Reading | None) -> InboundResult:
    """A caregiver or home aide reporting the dose for the patient ("gave it to him at 8"). A caregiver
    of several patients names the one meant; if the text names none or several, we ask."""
    cared_for = [p for p in (sms.session.get(Patient, c.patient_id) for c in sms.caregivers) if p is not None]
    named = _named_in(sms.body, cared_for)
    meant = named if named else cared_for
    if len(meant) != 1:
        names = ", ".join(p.name for p in cared_for)
        return InboundResult(render("unclear_caregiver", sms.language, patient_name=names), (), ASKED_NUMBERED)
    patient = meant[0]
    result = _dose_taken(sms, patient, for_caregiver=True)
    if reading is not None and "ack" in reading.intents:
        # "Got it. Gave it to her at 2:05": the dose ends a missed-dose alert; anything else open
        # is acknowledged as they said.
        ack = _acknowledge(sms.session, _phone_of(sms), reading.code, sms.now, words=_words_of(sms.body, reading))
        if ack.outcome == "acknowledged":
            return InboundResult(result.reply_text, result.notification_ids + ack.notification_ids,
                                 f"{result.outcome}+acknowledged")
    return result


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
    medication_id = _extra_dose_medication(sms, patient)
    counted = select(func.count(DoseEvent.id)).where(
        DoseEvent.patient_id == patient.id, DoseEvent.taken_at > sms.now - EXTRA_DOSE_LOOKBACK,
        DoseEvent.taken_at <= sms.now)
    if medication_id is not None:
        counted = counted.where(DoseEvent.medication_id == medication_id)
    already = sms.session.scalar(counted) or 0
    ids: list[int] = []
    for n in range(max(1, doses_in_all - already)):
        recorded = dose_service.record_dose(sms.session, patient, taken_at=sms.now, source="sms", now=sms.now,
                                           note=sms.body[:1000], idempotency_key=f"sms:{sms.message_sid}:{n}",
                                           windows=sms.windows, policy=sms.policy, medication_id=medication_id)
        ids += recorded.notification_ids
    taken_time = sms.now.astimezone(ZoneInfo(patient.timezone)).strftime("%H:%M")
    text = render("extra_dose_recorded", sms.language, count=max(doses_in_all, already + 1),
                  patient_name=patient.name, taken_time=taken_time)
    return InboundResult(text, tuple(ids), "extra_dose_recorded")


def _extra_dose_medication(sms: _Sms, patient: Patient) -> int | None:
    """The medicine an extra dose was of: the one the text names, else that of the dose due now
    (the one the patient was taking when the reminder came), else the patient's only one. Every
    extra dose is of that one medicine: "took it twice" never spreads over two pill bottles, and
    a second baclofen is never hidden as the evening's metformin."""
    medications = dose_service.active_medications(sms.session, patient.id)
    if len(medications) <= 1:
        return next(iter(medications), None)
    named = named_medications(sms.body, {m: n for m, n in medications.items() if m is not None and n})
    if len(named) == 1:
        return named[0]
    due = dose_service.doses_due(sms.session, patient, sms.now, sms.windows)
    if due:
        return due[0][1]
    # "Oops, took it twice" after the doses were recorded: of the medicines just taken, the one
    # with clinical rules (an extra baclofen is what the toxicity rules exist for).
    recent = [m for (m,) in sms.session.execute(select(DoseEvent.medication_id).where(
        DoseEvent.patient_id == patient.id, DoseEvent.taken_at > sms.now - EXTRA_DOSE_LOOKBACK,
        DoseEvent.taken_at <= sms.now).order_by(DoseEvent.taken_at.desc(), DoseEvent.id.desc()))]
    known = [m for m in recent if m in medications]
    return next((m for m in known if is_baclofen(medications[m])), known[0] if known else None)


def _has_open(session: Session, patient: Patient, kind: str) -> bool:
    return session.scalar(select(Alert.id).where(
        Alert.patient_id == patient.id, Alert.kind == kind, Alert.status == "open").limit(1)) is not None


# An alert acknowledged this recently still shows in STATUS, with who took it: "no open alerts" a
# minute after a seizure reads as "all is well" to the caregiver who was not told.
STATUS_HANDLED_WINDOW = timedelta(hours=12)


def _status(session: Session, caregivers: list[Caregiver], now: datetime, low_days: int) -> InboundResult:
    """Each patient this phone cares for: open alerts, alerts being handled, medicines running low
    (and why: ``low_days`` is the low-supply threshold), the last dose taken, the next dose due."""
    lines = []
    for caregiver in caregivers:
        patient = session.get(Patient, caregiver.patient_id)
        if patient is None:
            continue
        alerts = [(a.kind, a.code) for a in session.scalars(
            select(Alert).where(Alert.patient_id == patient.id, Alert.status == "open").order_by(Alert.opened_at))]
        handled = [(a.kind, a.code, _caregiver_name(session, a.acknowledged_by)) for a in session.scalars(
            select(Alert).where(Alert.patient_id == patient.id, Alert.status == "acknowledged",
                                Alert.closed_at >= now - STATUS_HANDLED_WINDOW).order_by(Alert.opened_at))]
        last = session.scalar(select(func.max(DoseEvent.taken_at)).where(
            DoseEvent.patient_id == patient.id, DoseEvent.taken_at <= now))
        upcoming = session.scalar(select(func.min(Dose.due_at)).where(
            Dose.patient_id == patient.id, Dose.status == "pending"))
        low = [(m.name, view) for m in session.scalars(
            select(Medication).where(
                Medication.patient_id == patient.id, Medication.active.is_(True),
                Medication.supply_low_since.is_not(None), Medication.supply_on_hand.is_not(None))
            .order_by(Medication.id))
            if (view := supply.supply_outlook(session, m, patient.timezone, now, low_days)) is not None]
        state = PatientState(patient.name, patient.timezone, alerts, last, upcoming, handled,
                             _next_by_medicine(session, patient, caregiver.language), low)
        lines.append(status_text(state, caregiver.language, now))
    return InboundResult("\n".join(lines), (), "status")


def _next_by_medicine(session: Session, patient: Patient, language: str | None) -> list[tuple[str, datetime]]:
    """Each medicine's next pending dose, soonest first (baclofen for schedules without one)."""
    rows = session.execute(select(DoseSchedule.medication_id, Medication.name, func.min(Dose.due_at))
                           .join(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
                           .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
                           .where(Dose.patient_id == patient.id, Dose.status == "pending")
                           .group_by(DoseSchedule.medication_id, Medication.name))
    return sorted(((display_name(name, language), at) for _, name, at in rows), key=lambda p: p[1])


def _caregiver_name(session: Session, caregiver_id: int | None) -> str:
    caregiver = session.get(Caregiver, caregiver_id) if caregiver_id else None
    return caregiver.name if caregiver else ""


def _patient_meant(session: Session, patients: list[Patient], now: datetime, windows: DoseWindows) -> Patient:
    """The patient replying. Several patients can share a phone (a couple, a care home's line):
    the one with a dose due now is the one meant; otherwise the first."""
    if len(patients) > 1:
        for patient in patients:
            if dose_service.dose_due_now(session, patient, now, windows) is not None:
                return patient
    return patients[0]


def _dose_taken(sms: _Sms, patient: Patient, *, for_caregiver: bool = False) -> InboundResult:
    """Doses taken now, matched with the configured windows and judged with the configured
    thresholds. With several medicines, a text naming some ("took the baclofen", "tomé la
    metformina") records those; one naming none ("took it") records every dose due now
    (``doses_due_now``: the doses of different medicines due together), and the reply says which.
    A report about scheduled doses already recorded (the app recorded them, or an annoyed "I TOOK
    IT" repeats an earlier text) confirms them and records nothing: a second dose recorded would
    raise a false toxicity alarm."""
    session, now = sms.session, sms.now
    taken_time = now.astimezone(ZoneInfo(patient.timezone)).strftime("%H:%M")
    medications = dose_service.active_medications(session, patient.id)
    named = named_medications(sms.body, {m: n for m, n in medications.items() if m is not None and n}) \
        if len(medications) > 1 else []
    due = dose_service.doses_due(session, patient, now, sms.windows, named or None)
    if not due:
        done = _already_taken(sms, patient, named)
        if done is not None and done.taken_at is not None:
            recorded_at = done.taken_at.astimezone(ZoneInfo(patient.timezone)).strftime("%H:%M")
            text = render("dose_already_recorded", sms.language, dose_time=done.local_time, taken_time=recorded_at)
            return InboundResult(text, (), "dose_confirmed")
    # One event per medicine: the due doses', else the medicines named, else one of no medicine
    # named (an unscheduled dose: ``record_dose`` decides whose).
    targets: list[int | None] = [m for _, m in due] or list(named) or [None]
    results = []
    for n, medication_id in enumerate(targets):
        key = f"sms:{sms.message_sid}" if n == 0 else f"sms:{sms.message_sid}:m{medication_id}"
        results.append(dose_service.record_dose(
            session, patient, taken_at=now, source="sms", now=now, idempotency_key=key, windows=sms.windows,
            policy=sms.policy, medication_id=medication_id if due or named else None))
    ids = tuple(i for r in results for i in r.notification_ids)
    if for_caregiver:
        text = render("all_clear_dose", sms.language, patient_name=patient.name, taken_time=taken_time)
        return InboundResult(text, ids, "dose_recorded_by_caregiver")
    matched = [r.dose for r in results if r.dose is not None]
    if not matched:
        # No dose was due: still recorded, because an unscheduled dose is information a clinician
        # needs (the brief's toxicity risk with accumulation), but the patient is told plainly.
        text = render("dose_recorded_unscheduled", patient.language, taken_time=taken_time)
        return InboundResult(text, ids, "dose_recorded_unscheduled")
    if len(matched) == 1 and is_baclofen(medications.get(results[0].event.medication_id)):
        text = render("dose_recorded", patient.language, dose_time=matched[0].local_time, taken_time=taken_time)
        return InboundResult(text, ids, "dose_recorded")
    # Several doses, or another medicine's: the reply names each ("baclofen 10 mg 08:00 and metformin
    # 500 mg 08:00"), so a patient who meant only one sees at once what was recorded.
    labels = [dose_label(medications.get(r.event.medication_id), r.dose.dose_mg, r.dose.local_time, patient.language)
              for r in results if r.dose is not None]
    text = render("doses_recorded", patient.language, taken_time=taken_time, doses=listing(labels, patient.language))
    return InboundResult(text, ids, "dose_recorded")


def _already_taken(sms: _Sms, patient: Patient, named: list[int]) -> Dose | None:
    """The latest scheduled dose (of the medicines named, if any) already taken within the windows."""
    stmt = select(Dose).where(Dose.patient_id == patient.id, Dose.status == "taken",
                              Dose.due_at >= sms.now - sms.windows.late, Dose.due_at <= sms.now + sms.windows.early)
    if named:
        stmt = stmt.join(DoseSchedule, DoseSchedule.id == Dose.schedule_id).where(
            DoseSchedule.medication_id.in_(named))
    return sms.session.scalar(stmt.order_by(Dose.due_at.desc()).limit(1))


def _words_of(body: str, reading: Reading) -> str | None:
    """A caregiver's own words worth passing on with an acknowledgement ("called the ambulance"),
    or None for a bare OK (with or without a code)."""
    if reading.reply.intent == "ack" and reading.code is None and len(normalise(body).split()) <= 2:
        return None
    if reading.reply.intent == "ack" and reading.code is not None:
        return None
    words = " ".join(body.split())
    return words[:FORWARD_MAX_CHARS] if words else None


def _acknowledge(session: Session, phone: str, code: str | None, now: datetime,
                 words: str | None = None) -> InboundResult:
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
    ids = alert_service.acknowledge(session, alert, caregiver, via="sms", now=now, words=words)
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

"""Alerts: open one with its escalation copied onto it, run its due steps, close it with an all-clear."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain import escalation
from alerts.domain.delivery import dose_moment, priority_for_alert
from alerts.domain.escalation import Recipient, StepSpec
from alerts.domain.medication_names import display_name, listing
from alerts.domain.medications import is_baclofen
from alerts.domain.messages import render
from alerts.domain.packs import registry
from alerts.models import Alert, Caregiver, Patient
from alerts.ops.metrics import observe_acknowledgement
from alerts.services.outbox import Message, queue_batches, queue_messages

# No 0/O, 1/I/L: codes are read off a phone screen and typed back.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))


def patient_recipient(patient: Patient) -> Recipient | None:
    if not patient.phone:
        return None
    return Recipient("patient", patient.id, patient.phone, patient.name, patient.language)


def caregiver_recipient(caregiver: Caregiver) -> Recipient:
    return Recipient("caregiver", caregiver.id, caregiver.phone, caregiver.name, caregiver.language)


# Alerts whose messages are urgent: they go out whatever the rate limits, day or night.
URGENT_KINDS = frozenset({"emergency", "urgent"})


def policy_for(patient: Patient, caregivers: Sequence[Caregiver],
               steps: Sequence[StepSpec] | None = None) -> list[dict[str, Any]]:
    """An escalation resolved to people and copied as data for a new alert: ``steps`` if given
    (clinical alerts bring their own), else the patient's missed-dose policy."""
    if steps is None:
        steps = (escalation.parse_steps(patient.escalation_policy) if patient.escalation_policy
                 else escalation.default_steps(patient.escalation_minutes, [c.position for c in caregivers]))
    return escalation.resolve(steps, patient_recipient(patient), [(c.position, caregiver_recipient(c)) for c in caregivers])


def new_alert(patient: Patient, caregivers: Sequence[Caregiver], *, kind: str, condition_key: str,
              now: datetime, details: dict[str, Any], steps: Sequence[StepSpec] | None = None) -> Alert:
    """A new open alert whose first step is due now, not yet added to a session.

    For callers that open many at once (the tick): ``session.add_all`` and one flush insert them
    in one batched statement instead of one round trip each.
    """
    return Alert(
        patient_id=patient.id, kind=kind, condition_key=condition_key, status="open", code=new_code(),
        opened_at=now, policy=policy_for(patient, caregivers, steps), next_step=0, next_step_at=now,
        details=details,
    )


def open_alert(session: Session, patient: Patient, caregivers: Sequence[Caregiver], *, kind: str,
               condition_key: str, now: datetime, details: dict[str, Any]) -> Alert:
    """A new open alert whose first step is due now. Caller ensures none is open for the condition."""
    alert = new_alert(patient, caregivers, kind=kind, condition_key=condition_key, now=now, details=details)
    session.add(alert)
    session.flush()
    return alert


def open_alerts_by_patient(session: Session, patient_ids: Iterable[int], condition_key: str) -> dict[int, Alert]:
    rows = session.scalars(
        select(Alert).where(Alert.patient_id.in_(list(patient_ids)), Alert.condition_key == condition_key,
                            Alert.status == "open")
    )
    return {a.patient_id: a for a in rows}


# -- escalation steps ------------------------------------------------------------------------------


def run_step(session: Session, alert: Alert, now: datetime) -> list[int]:
    """Queue the messages of the alert's next step and schedule the one after. Returns outbox ids."""
    return run_steps(session, [alert], now)


def run_steps(session: Session, alerts: Sequence[Alert], now: datetime) -> list[int]:
    """:func:`run_step` for many alerts, with all their messages queued in one batched insert."""
    team = care_team(session, {a.patient_id for a in alerts})
    return queue_batches(session, [(a.patient_id, a.id, advance_step(a, now, team)) for a in alerts], now)


def care_team(session: Session, patient_ids: Iterable[int]) -> set[int]:
    """The ids of the caregivers on these patients' lists now. An open alert's copied escalation may
    name someone removed since: they are no longer told anything about the patient."""
    ids = set(patient_ids)
    return set(session.scalars(select(Caregiver.id).where(Caregiver.patient_id.in_(ids)))) if ids else set()


def _on_team(people: Iterable[Recipient], team: Collection[int]) -> list[Recipient]:
    return [r for r in people if r.kind != "caregiver" or r.id in team]


def _told(session: Session, alert: Alert) -> list[Recipient]:
    """Everyone the alert's steps so far reached who is still on the care team: who hears it is over."""
    return _on_team(escalation.everyone_told(alert.policy, alert.next_step), care_team(session, [alert.patient_id]))


def advance_step(alert: Alert, now: datetime, team: Collection[int]) -> list[Message]:
    """The messages of the alert's next step to those of its people still on the care team
    (``team``: caregiver ids); moves the alert on to the step after. Caller queues them."""
    index = alert.next_step
    step = escalation.step_at(alert.policy, index)
    if alert.status != "open" or step is None:
        alert.next_step_at = None
        return []
    priority = priority_for_alert(alert.kind)
    named = escalation.recipients(step)
    people = _on_team(named, team)
    messages = [
        Message(
            dedupe_key=f"alert:{alert.id}:step:{index}:{r.kind}:{r.id}:{channel}",
            recipient=r, body=step_message(alert, r, now, channel), kind=_message_kind(alert, r), step=index,
            channel=channel, priority=priority,
        )
        for r in people
        for channel in escalation.channels_for(step, r)
    ]
    alert.next_step = index + 1
    if named and not people and index + 1 < len(alert.policy):
        # Everyone this step names has left the care team since the alert opened: nobody was told,
        # so the next step runs now rather than after a whole interval (as when every message of a
        # step fails: ``alerts.services.unreachable``). A repeating last step keeps its rhythm.
        alert.next_step_at = now
    else:
        # Measured from when this step actually ran: a late tick never bunches two steps together.
        alert.next_step_at = escalation.step_due_at(alert.policy, index + 1, now)
    return messages


def _message_kind(alert: Alert, recipient: Recipient) -> str:
    if alert.kind == "missed_dose":
        return "reminder" if recipient.kind == "patient" else "escalation"
    return alert.kind


def step_message(alert: Alert, recipient: Recipient, now: datetime, channel: str = "sms") -> str:
    details = alert.details or {}
    if alert.kind == "missed_dose":
        return missed_dose_message(alert, recipient, now)
    if "template" in details:
        return clinical_message(alert, recipient, channel)
    raise ValueError(f"no step message for alert kind {alert.kind!r}")


def missed_dose_message(alert: Alert, recipient: Recipient, now: datetime) -> str:
    """A missed-dose step's text: the dose named with its day when it was not today (a message
    delayed by an outage is never read as about today's dose), and, when several doses were missed
    (an outage, a day away, two medicines at one time), one text about them all rather than a text
    per dose, listing the medicines when they are not all baclofen."""
    details = alert.details or {}
    today = now.astimezone(ZoneInfo(details.get("timezone") or "UTC")).date()
    # Alerts opened before doses were listed name their first dose's time only; before each listed
    # its medicine, the alert's one medicine was theirs.
    missed = [(m[0], m[1], m[2] if len(m) > 2 else details.get("medication"))
              for m in details.get("missed") or [[None, details.get("dose_time", "")]]]

    def named(day: str | None, time: str) -> str:
        return time if day is None else dose_moment(time, date.fromisoformat(day), today, recipient.language)

    lang = recipient.language
    values: dict[str, Any] = {"patient_name": details.get("patient_name", ""), "code": alert.code}
    drugs = list(dict.fromkeys(name for _, _, name in missed))
    to_patient = recipient.kind == "patient"
    if len(missed) > 1 and all(is_baclofen(d) for d in drugs):
        template = "reminder_patient_several" if to_patient else "missed_doses_caregiver"
        return render(template, lang, count=len(missed), first_dose=named(*missed[0][:2]),
                      last_dose=named(*missed[-1][:2]), **values)
    if len(missed) > 1:
        # Each medicine once, as this language names it: a schedule from before medications and the
        # list's "baclofen" are one medicine, never "baclofen, baclofen and metformin".
        values["medicines"] = listing(list(dict.fromkeys(display_name(d, lang) for d in drugs)), lang)
        if len({(day, time) for day, time, _ in missed}) == 1:
            # Two medicines due at one time: one reminder listing them, not a text per medicine.
            values["dose_time"] = named(*missed[0][:2])
            if to_patient:
                return render("reminder_patient_medicines", lang, **values)
            return render("missed_dose_caregiver_medicines", lang, minutes=_overdue(details, now), **values)
        template = "reminder_patient_several_medicines" if to_patient else "missed_doses_caregiver_medicines"
        return render(template, lang, count=len(missed), first_dose=named(*missed[0][:2]),
                      last_dose=named(*missed[-1][:2]), **values)
    values["dose_time"] = named(*missed[0][:2])
    # Baclofen's texts name it in each language's own words; another medicine is named as entered.
    suffix = ""
    if not is_baclofen(missed[0][2]):
        suffix, values["medication"] = "_medication", missed[0][2]
    if to_patient:
        return render("reminder_patient" + suffix, lang, **values)
    return render("missed_dose_caregiver" + suffix, lang, minutes=_overdue(details, now), **values)


def _overdue(details: dict[str, Any], now: datetime) -> int:
    """Minutes since the alert's first missed dose was due."""
    return max(0, int((now - datetime.fromisoformat(details["due_at"])).total_seconds() // 60))


def clinical_message(alert: Alert, recipient: Recipient, channel: str) -> str:
    """A clinical alert's message in the recipient's language, from the template its decision named.

    The alert keeps reason codes and facts, not rendered text, so each person reads it in their own
    language (the pack's words, ``alerts.domain.packs``).
    """
    details = alert.details
    if channel == "voice":
        name = details.get("voice_template")
    elif recipient.kind == "patient":
        name = details.get("patient_template")
    else:
        name = details["template"]
    if not name:
        raise ValueError(f"alert {alert.id} ({alert.kind}) has no {channel} message for a {recipient.kind}")
    lang = recipient.language
    # In the words of the pack that raised it (``alerts.domain.packs.registry.alert_reasons``).
    values = {"patient_name": details.get("patient_name", ""), "code": alert.code,
              "reasons": registry.alert_reasons(details, lang)}
    assessment = registry.alert_assessment(details, lang)
    if assessment is not None:
        values["assessment"] = assessment
    return render(name, lang, **values)


# -- closing ---------------------------------------------------------------------------------------


def resolve_on_dose(session: Session, alert: Alert, *, taken_at: datetime, tz: str, now: datetime) -> list[int]:
    """A dose was taken: close the alert and tell everyone already told (but the patient) all clear."""
    if alert.status != "open":
        return []
    _close(alert, "resolved", "dose_taken", now)
    return _queue_dose_all_clear(session, alert, taken_at=taken_at, tz=tz, now=now, key="all_clear")


def acknowledge(session: Session, alert: Alert, caregiver: Caregiver, *, via: str, now: datetime,
                words: str | None = None) -> list[int]:
    """A caregiver has it: stop the escalation and tell the others already told who is on it, with
    the caregiver's own ``words`` when they said more than OK ("called the ambulance")."""
    return acknowledge_as(session, alert, name=caregiver.name, caregiver_id=caregiver.id, via=via, now=now,
                          words=words)


def acknowledge_as(session: Session, alert: Alert, *, name: str, caregiver_id: int | None, via: str,
                   now: datetime, words: str | None = None) -> list[int]:
    """:func:`acknowledge` by anyone: a caregiver (``caregiver_id``) or a clinician in the console
    (None). The SMS, voice, API and console paths all end here, so the others are told alike."""
    if alert.status != "open":
        return []
    _close(alert, "acknowledged", f"ack_{via}", now)
    alert.acknowledged_by = caregiver_id
    observe_acknowledgement(alert.kind, alert.opened_at, now)  # time to acknowledgement, by kind
    patient_name = (alert.details or {}).get("patient_name", "")
    told = _told(session, alert)
    messages = [
        Message(
            dedupe_key=f"alert:{alert.id}:all_clear:{r.kind}:{r.id}:sms", recipient=r,
            body=(render("all_clear_ack_words", r.language, caregiver_name=name, patient_name=patient_name,
                         words=words) if words else
                  render("all_clear_ack", r.language, caregiver_name=name, patient_name=patient_name)),
            kind="all_clear", send_when_closed=True,
        )
        for r in told
        if not (r.kind == "caregiver" and r.id == caregiver_id)
    ]
    return queue_messages(session, alert.patient_id, alert.id, messages, now)


def all_clear_after_ack(session: Session, alert: Alert, *, taken_at: datetime, tz: str, now: datetime) -> list[int]:
    """The dose of a missed-dose alert a caregiver acknowledged ("OK, on my way") was taken: tell
    everyone who was told of the alert, the caregiver who took it on included, that it is all clear.
    The alert stays acknowledged (who handled it is history); the dedupe key sends this once."""
    # Its own key: "all_clear" was spent on the acknowledgement's "Ann is handling it" texts.
    return _queue_dose_all_clear(session, alert, taken_at=taken_at, tz=tz, now=now, key="all_clear_dose")


def _queue_dose_all_clear(session: Session, alert: Alert, *, taken_at: datetime, tz: str, now: datetime,
                          key: str) -> list[int]:
    """The one dose all-clear: "dose recorded at HH:MM" (the patient's local time) to every
    caregiver the alert reached. The patient is never told: they are the one who took it."""
    local = taken_at.astimezone(ZoneInfo(tz)).strftime("%H:%M")
    name = (alert.details or {}).get("patient_name", "")
    messages = [
        Message(
            dedupe_key=f"alert:{alert.id}:{key}:{r.kind}:{r.id}:sms", recipient=r,
            body=render("all_clear_dose", r.language, patient_name=name, taken_time=local),
            kind="all_clear", send_when_closed=True,
        )
        for r in _told(session, alert)
        if r.kind != "patient"
    ]
    return queue_messages(session, alert.patient_id, alert.id, messages, now)


def resolve_by_person(alert: Alert, reason: str, now: datetime) -> bool:
    """Someone closed the alert in the console with a reason ("false alarm", "already handled").
    Stops the escalation; sends nothing (whoever resolves it is already on it). False if not open."""
    if alert.status != "open":
        return False
    _close(alert, "resolved", reason[:32], now)
    return True


def _close(alert: Alert, status: str, reason: str, now: datetime) -> None:
    alert.status = status
    alert.close_reason = reason
    alert.closed_at = now
    alert.next_step_at = None


def open_alerts_for_caregiver_phone(session: Session, phone: str) -> list[tuple[Alert, Caregiver]]:
    """Open alerts whose patient has a caregiver with this phone, oldest first."""
    rows = session.execute(
        select(Alert, Caregiver)
        .join(Caregiver, Caregiver.patient_id == Alert.patient_id)
        .where(Caregiver.phone == phone, Alert.status == "open")
        .order_by(Alert.opened_at, Alert.id)
    )
    return [(a, c) for a, c in rows]

"""Read models for the console's pages: a few grouped queries per page, never one per patient.

The patients list for 1,000 patients and a patient page over 90 days of data (a reading a minute)
must render in well under 200 ms (``bench/console.py``); every query here is bounded by an index
range (patient, time) or by the small set of open and pending rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session

from alerts.models import (
    Alert,
    AlertNote,
    AlertPause,
    Caregiver,
    CheckIn,
    DeviceEvent,
    Dose,
    DoseEvent,
    DoseSchedule,
    Medication,
    Notification,
    Patient,
    User,
    VitalFinding,
)
from alerts.services.console_auth import mine, visible_patients

# Alert kinds, most serious first; the word always goes with the icon (status never by colour alone).
SEVERITY = {"emergency": 0, "urgent": 1, "withdrawal_risk": 2, "toxicity_risk": 2, "missed_dose": 3}
LABEL = {"emergency": "Emergency", "urgent": "Urgent", "missed_dose": "Missed dose"}
# Plain symbols every system font has (no emoji font on many servers and phones); decorative only.
ICON = {"emergency": "‼", "urgent": "⚠", "missed_dose": "✗"}


def alert_label(kind: str) -> str:
    return LABEL.get(kind, kind.replace("_", " ").capitalize())


def alert_icon(kind: str) -> str:
    return ICON.get(kind, "⚠")


def _scope(column: Any, user: User, mine_only: bool) -> ColumnElement[bool]:
    ids: Select[tuple[int]] | None = mine(user) if mine_only else visible_patients(user)
    return true() if ids is None else column.in_(ids)


def local_today(tz: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# (due in 7 days, taken in 7 days, due in 30 days, taken in 30 days, last taken)
AdherenceStats = tuple[int, int, int, int, datetime | None]


@dataclass
class PatientRow:
    id: int
    name: str
    timezone: str
    next_dose: datetime | None = None
    last_dose: datetime | None = None
    today: list[tuple[str, str]] = field(default_factory=list)  # (local time, status)
    alerts: list[Alert] = field(default_factory=list)
    adherence_7: int | None = None
    adherence_30: int | None = None
    last_checkin: datetime | None = None
    finding: str | None = None
    paused_until: datetime | None = None

    @property
    def worst(self) -> str | None:
        return self.alerts[0].kind if self.alerts else None


def adherence_stats(session: Session, scope: ColumnElement[bool], now: datetime) -> dict[int, AdherenceStats]:
    """Per patient: doses due and taken over 7 and 30 days, and the latest taken, up to ``now``."""
    since7, since30 = now - timedelta(days=7), now - timedelta(days=30)
    due = Dose.status.in_(("taken", "missed"))
    taken = Dose.status == "taken"
    recent = Dose.due_at >= since7
    stmt = select(
        Dose.patient_id,
        func.count().filter(and_(due, recent)),
        func.count().filter(and_(taken, recent)),
        func.count().filter(due),
        func.count().filter(taken),
        func.max(Dose.taken_at),
    ).where(Dose.due_at >= since30, Dose.due_at <= now, scope).group_by(Dose.patient_id)
    return {pid: (d7, t7, d30, t30, last) for pid, d7, t7, d30, t30, last in session.execute(stmt)}


def patients_overview(session: Session, user: User, now: datetime, *, mine_only: bool = False,
                      search: str = "", cache: MutableMapping[Any, Any] | None = None) -> list[PatientRow]:
    """One row per visible patient, in a stable order (by name): rows never jump while it polls.

    The 7- and 30-day adherence is the one figure that reads a month of doses (90,000 rows for
    1,000 patients), and the list polls every few seconds from every open console. With ``cache``
    (the app's, keyed by viewer and minute) it is read once a minute per viewer: a percentage over
    a month does not need to be fresher, and the rest of the row (today's doses, the last dose,
    alerts, pauses) is read live on every poll."""
    # The latest check-in and vitals finding ride on the patient query as one index probe each
    # ((patient, time) indexes, newest first), instead of grouping a month of rows across patients.
    since7 = now - timedelta(days=7)
    last_checkin = (select(CheckIn.recorded_at).where(CheckIn.patient_id == Patient.id)
                    .order_by(CheckIn.recorded_at.desc()).limit(1).scalar_subquery())
    finding = (select(VitalFinding.key).where(VitalFinding.patient_id == Patient.id, VitalFinding.at >= since7)
               .order_by(VitalFinding.at.desc()).limit(1).scalar_subquery())
    stmt = (select(Patient.id, Patient.name, Patient.timezone, last_checkin, finding)
            .where(_scope(Patient.id, user, mine_only)))
    if search.strip():
        stmt = stmt.where(func.lower(Patient.name).contains(search.strip().lower(), autoescape=True))
    rows = {pid: PatientRow(pid, name, tz, last_checkin=checked_in,
                            finding=key.replace("_", " ") if key else None)
            for pid, name, tz, checked_in, key in session.execute(stmt.order_by(Patient.name, Patient.id))}
    if not rows:
        return []
    scope = _scope(Dose.patient_id, user, mine_only)
    for pid, due in session.execute(select(Dose.patient_id, func.min(Dose.due_at))
                                    .where(Dose.status == "pending", scope).group_by(Dose.patient_id)):
        if pid in rows:
            rows[pid].next_dose = due
    key = (user.id, mine_only, now.replace(second=0, microsecond=0))
    stats = cache.get(key) if cache is not None else None
    if stats is None:
        stats = adherence_stats(session, scope, key[2])
        if cache is not None:
            cache[key] = stats
    for pid, (d7, t7, d30, t30, last) in stats.items():
        if pid in rows:
            r = rows[pid]
            r.adherence_7, r.adherence_30, r.last_dose = percent(t7, d7), percent(t30, d30), last
    # Doses of each patient's local today: the local dates "today" can be in the zones shown (one
    # or two), inside a window wide enough for every zone; then each row against its own zone.
    today_in = {tz: local_today(tz, now) for tz in {r.timezone for r in rows.values()}}
    for pid, local_date, local_time, status, taken_at in session.execute(
            select(Dose.patient_id, Dose.local_date, Dose.local_time, Dose.status, Dose.taken_at)
            .where(Dose.due_at >= now - timedelta(hours=38), Dose.due_at <= now + timedelta(hours=38),
                   Dose.local_date.in_(set(today_in.values())), scope)
            .order_by(Dose.patient_id, Dose.local_time)):
        r = rows.get(pid)
        if r is not None and local_date == today_in[r.timezone]:
            r.today.append((local_time, status))
            if taken_at is not None and (r.last_dose is None or taken_at > r.last_dose):
                r.last_dose = taken_at  # live, though the adherence figures may be a minute old
    for alert in session.scalars(select(Alert).where(Alert.status == "open", _scope(Alert.patient_id, user, mine_only))):
        if alert.patient_id in rows:
            rows[alert.patient_id].alerts.append(alert)
    for r in rows.values():
        r.alerts.sort(key=lambda a: (SEVERITY.get(a.kind, 2), a.opened_at))
    for pid, ends in session.execute(select(AlertPause.patient_id, func.max(AlertPause.ends_at))
                                     .where(AlertPause.starts_at <= now, AlertPause.ends_at > now,
                                            _scope(AlertPause.patient_id, user, mine_only))
                                     .group_by(AlertPause.patient_id)):
        if pid in rows:
            rows[pid].paused_until = ends
    return list(rows.values())


# -- one patient ------------------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # dose | checkin | device | alert | finding
    title: str
    detail: str = ""
    alert: Alert | None = None
    messages: list[Notification] = field(default_factory=list)
    notes: list[AlertNote] = field(default_factory=list)


@dataclass
class CalendarDay:
    day: date
    taken: int = 0
    late: int = 0
    missed: int = 0
    extra: int = 0
    pending: int = 0

    @property
    def label(self) -> str:
        parts = []
        if self.taken:
            parts.append(f"{self.taken} on time")
        if self.late:
            parts.append(f"{self.late} late")
        if self.missed:
            parts.append(f"{self.missed} missed")
        if self.extra:
            parts.append(f"{self.extra} extra")
        if self.pending:
            parts.append(f"{self.pending} to come")
        return ", ".join(parts) or "no doses"

    @property
    def state(self) -> str:
        if self.missed:
            return "missed"
        if self.late or self.extra:
            return "late"
        if self.taken:
            return "taken"
        return "none"


def adherence_calendar(session: Session, patient: Patient, now: datetime, days: int = 30) -> list[CalendarDay]:
    tz = ZoneInfo(patient.timezone)
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    cal = {first + timedelta(days=i): CalendarDay(first + timedelta(days=i)) for i in range(days)}
    since = datetime.combine(first, datetime.min.time(), tz)
    for local_date, status, taken_at, check_at in session.execute(
            select(Dose.local_date, Dose.status, Dose.taken_at, Dose.check_at)
            # The due_at bound puts the (patient, due_at) index to work: a dose's instant is on or
            # after its local day's midnight (a day of margin covers any zone); local_date decides.
            .where(Dose.patient_id == patient.id, Dose.due_at >= since - timedelta(days=1),
                   Dose.local_date >= first, Dose.local_date <= today)):
        day = cal.get(local_date)
        if day is None:
            continue
        if status == "taken":
            if taken_at is not None and taken_at > check_at:
                day.late += 1
            else:
                day.taken += 1
        elif status == "missed":
            day.missed += 1
        elif status == "pending":
            day.pending += 1
    for (taken_at,) in session.execute(select(DoseEvent.taken_at).where(
            DoseEvent.patient_id == patient.id, DoseEvent.taken_at >= since, DoseEvent.dose_id.is_(None))):
        day = cal.get(taken_at.astimezone(tz).date())
        if day is not None:
            day.extra += 1
    return list(cal.values())


def calendar_weeks(days: Sequence[CalendarDay]) -> list[list[CalendarDay | None]]:
    """Days laid out Monday to Sunday, blank cells before the first day."""
    weeks: list[list[CalendarDay | None]] = []
    week: list[CalendarDay | None] = [None] * days[0].day.weekday() if days else []
    for d in days:
        week.append(d)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def timeline(session: Session, patient: Patient, now: datetime, days: int = 7, max_alerts: int = 50) -> list[TimelineItem]:
    since = now - timedelta(days=days)
    items: list[TimelineItem] = []
    for d in session.scalars(select(Dose).where(Dose.patient_id == patient.id, Dose.due_at >= since,
                                                Dose.due_at <= now, Dose.status != "pending")):
        if d.status == "taken":
            late = d.taken_at is not None and d.taken_at > d.check_at
            title = f"Dose {d.local_time} taken" + (" late" if late else "")
        elif d.status == "missed":
            title = f"Dose {d.local_time} missed"
        else:
            title = f"Dose {d.local_time} {d.status}"
        items.append(TimelineItem(d.taken_at or d.due_at, "dose", title, f"{d.dose_mg} mg"))
    for e in session.scalars(select(DoseEvent).where(DoseEvent.patient_id == patient.id, DoseEvent.taken_at >= since,
                                                     DoseEvent.dose_id.is_(None))):
        items.append(TimelineItem(e.taken_at, "dose", "Extra dose reported", f"from {e.source}"))
    for c in session.scalars(select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.recorded_at >= since)):
        parts = [f"{k.replace('_', ' ')} {v}/10" for k, v in sorted(c.symptoms.items())]
        if c.supply_problem:
            parts.append(c.supply_problem.replace("_", " "))
        items.append(TimelineItem(c.recorded_at, "checkin", "Check-in", ", ".join(parts) or "no symptoms"))
    for ev in session.scalars(select(DeviceEvent).where(DeviceEvent.patient_id == patient.id,
                                                        DeviceEvent.occurred_at >= since)):
        items.append(TimelineItem(ev.occurred_at, "device", f"Device: {ev.kind.replace('_', ' ')}", ev.status))
    for f in session.scalars(select(VitalFinding).where(VitalFinding.patient_id == patient.id, VitalFinding.at >= since)):
        items.append(TimelineItem(f.at, "finding", f"Vitals: {f.key.replace('_', ' ')}", f"{f.value:g}"))
    alerts = list(session.scalars(select(Alert).where(Alert.patient_id == patient.id,
                                                      or_(Alert.opened_at >= since, Alert.status == "open"))
                                  .order_by(Alert.opened_at.desc()).limit(max_alerts)))
    by_alert = attach_messages(session, alerts)
    for a in alerts:
        msgs, notes = by_alert[a.id]
        items.append(TimelineItem(a.opened_at, "alert", f"{alert_label(a.kind)} alert ({a.status})",
                                  assessment_words(a), alert=a, messages=msgs, notes=notes))
    items.sort(key=lambda i: i.at, reverse=True)
    return items


def attach_messages(session: Session, alerts: Sequence[Alert]) -> dict[int, tuple[list[Notification], list[AlertNote]]]:
    out: dict[int, tuple[list[Notification], list[AlertNote]]] = {a.id: ([], []) for a in alerts}
    ids = list(out)
    if not ids:
        return out
    for n in session.scalars(select(Notification).where(Notification.alert_id.in_(ids)).order_by(Notification.id)):
        out[n.alert_id][0].append(n)  # type: ignore[index]
    for note in session.scalars(select(AlertNote).where(AlertNote.alert_id.in_(ids)).order_by(AlertNote.id)):
        out[note.alert_id][1].append(note)
    return out


def assessment_words(alert: Alert) -> str:
    """The withdrawal/toxicity assessment of a clinical alert in words (its stored verdict)."""
    from alerts.domain.packs.registry import alert_assessment, alert_reasons

    details = alert.details or {}
    parts = []
    if details.get("codes"):
        try:
            parts.append(alert_reasons(details, "en"))
        except (KeyError, ValueError):
            pass
    if details.get("verdict"):
        try:
            parts.append(alert_assessment(details, "en") or "")
        except (KeyError, ValueError):
            pass
    if alert.kind == "missed_dose":
        parts.append(f"dose due {details.get('dose_time', '')}")
    return "; ".join(p for p in parts if p)


def caregiver_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Caregiver.id, Caregiver.name).where(Caregiver.id.in_(list(ids)))).all())


def open_alerts(session: Session, user: User, *, mine_only: bool = False) -> list[tuple[Alert, str]]:
    rows = session.execute(select(Alert, Patient.name).join(Patient, Patient.id == Alert.patient_id)
                           .where(Alert.status == "open", _scope(Alert.patient_id, user, mine_only)))
    out = [(a, name) for a, name in rows]
    out.sort(key=lambda p: (SEVERITY.get(p[0].kind, 2), p[0].opened_at))
    return out


# -- reports ---------------------------------------------------------------------------------------


class _Rates:
    """Dose adherence (taken / due) and on-time % (within grace / due) of a report row."""

    scheduled: int
    taken: int
    on_time: int

    @property
    def adherence(self) -> int | None:
        return percent(self.taken, self.scheduled)

    @property
    def on_time_pct(self) -> int | None:
        return percent(self.on_time, self.scheduled)


@dataclass
class Report(_Rates):
    patient_id: int
    name: str
    scheduled: int
    taken: int
    on_time: int
    missed: int
    extra: int
    days_fully_adherent: int
    days: int
    alerts: int
    median_minutes_to_ack: float | None


def report(session: Session, user: User, start: datetime, end: datetime) -> list[Report]:
    """Dose adherence % (taken / due), on-time % (within grace / due), days fully adherent, missed
    and extra doses, alerts and median time to acknowledge, per visible patient, over [start, end)."""
    patients = dict(session.execute(select(Patient.id, Patient.name).where(_scope(Patient.id, user, False))
                                    .order_by(Patient.name)).all())
    per: dict[int, dict[str, Any]] = defaultdict(lambda: {"scheduled": 0, "taken": 0, "on_time": 0, "missed": 0,
                                                          "days": defaultdict(lambda: [0, 0])})
    for pid, local_date, status, taken_at, check_at in session.execute(
            select(Dose.patient_id, Dose.local_date, Dose.status, Dose.taken_at, Dose.check_at)
            .where(Dose.due_at >= start, Dose.due_at < end, Dose.status.in_(("taken", "missed")),
                   _scope(Dose.patient_id, user, False))):
        p = per[pid]
        p["scheduled"] += 1
        p["days"][local_date][0] += 1
        if status == "taken":
            p["taken"] += 1
            p["days"][local_date][1] += 1
            if taken_at is not None and taken_at <= check_at:
                p["on_time"] += 1
        else:
            p["missed"] += 1
    extra = dict(session.execute(select(DoseEvent.patient_id, func.count()).where(
        DoseEvent.taken_at >= start, DoseEvent.taken_at < end, DoseEvent.dose_id.is_(None),
        _scope(DoseEvent.patient_id, user, False)).group_by(DoseEvent.patient_id)).all())
    acks: dict[int, list[float]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for pid, opened, closed, status in session.execute(select(Alert.patient_id, Alert.opened_at, Alert.closed_at, Alert.status)
                                                       .where(Alert.opened_at >= start, Alert.opened_at < end,
                                                              _scope(Alert.patient_id, user, False))):
        counts[pid] += 1
        if status == "acknowledged" and closed is not None:
            acks[pid].append((closed - opened).total_seconds() / 60)
    out = []
    for pid, name in patients.items():
        p = per[pid]
        times = sorted(acks[pid])
        out.append(Report(pid, name, p["scheduled"], p["taken"], p["on_time"], p["missed"], int(extra.get(pid, 0)),
                          sum(1 for due, took in p["days"].values() if due and due == took), len(p["days"]),
                          counts[pid], times[len(times) // 2] if times else None))
    return out


@dataclass(frozen=True)
class MedicationReport(_Rates):
    """One medicine's adherence for one patient over a period (the reports page's "By medicine")."""

    patient_id: int
    patient: str
    medication: str
    scheduled: int
    taken: int
    on_time: int
    missed: int
    extra: int


def medication_report(session: Session, user: User, start: datetime, end: datetime) -> list[MedicationReport]:
    """Dose adherence and on-time % per visible patient and medicine over [start, end), with the
    extra (unscheduled) doses recorded as that medicine. Schedules from before medications were
    data are baclofen."""
    names = dict(session.execute(select(Patient.id, Patient.name).where(_scope(Patient.id, user, False))).all())
    drugs: dict[int | None, str] = {None: "baclofen"}
    drugs.update(session.execute(select(Medication.id, Medication.name).where(
        _scope(Medication.patient_id, user, False))).all())
    counts: dict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for pid, medication_id, status, taken_at, check_at in session.execute(
            select(Dose.patient_id, DoseSchedule.medication_id, Dose.status, Dose.taken_at, Dose.check_at)
            .join(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
            .where(Dose.due_at >= start, Dose.due_at < end, Dose.status.in_(("taken", "missed")),
                   _scope(Dose.patient_id, user, False))):
        c = counts[(pid, medication_id)]
        c[0] += 1
        if status == "taken":
            c[1] += 1
            c[2] += taken_at is not None and taken_at <= check_at
        else:
            c[3] += 1
    for pid, medication_id, n in session.execute(
            select(DoseEvent.patient_id, DoseEvent.medication_id, func.count())
            .where(DoseEvent.taken_at >= start, DoseEvent.taken_at < end, DoseEvent.dose_id.is_(None),
                   DoseEvent.medication_id.is_not(None), _scope(DoseEvent.patient_id, user, False))
            .group_by(DoseEvent.patient_id, DoseEvent.medication_id)):
        counts[(pid, medication_id)][4] += n
    rows = [MedicationReport(pid, names[pid], drugs.get(mid, "?"), *c) for (pid, mid), c in counts.items()
            if pid in names]
    return sorted(rows, key=lambda r: (r.patient, r.patient_id, r.medication.lower()))


@dataclass(frozen=True)
class NextDose:
    medication: str
    due_at: datetime
    dose_mg: Any


def next_doses(session: Session, patient: Patient) -> list[NextDose]:
    """Each medicine's next dose (the soonest of its schedules' pending doses), soonest first."""
    rows = session.execute(select(Dose.due_at, Dose.dose_mg, DoseSchedule.medication_id, Medication.name)
                           .join(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
                           .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
                           .where(Dose.patient_id == patient.id, Dose.status == "pending").order_by(Dose.due_at))
    first: dict[int | None, NextDose] = {}
    for due_at, dose_mg, medication_id, name in rows:
        first.setdefault(medication_id, NextDose(name or "baclofen", due_at, dose_mg))
    return list(first.values())

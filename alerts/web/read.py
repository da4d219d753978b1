"""Read models for the console's pages: a few grouped queries per page, never one per patient.

The patients list for 1,000 patients and a patient page over 90 days of data (a reading a minute)
must render in well under 200 ms (``bench/console.py``); every query here is bounded by an index
range (patient, time) or by the small set of open and pending rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from alerts.domain.clinical.history import ClinicalSettings
from alerts.models import (
    Alert,
    AlertNote,
    AlertPause,
    Caregiver,
    CheckIn,
    DeviceEvent,
    Dose,
    DoseEvent,
    Notification,
    Patient,
    Reading,
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


def patients_overview(session: Session, user: User, now: datetime, *, mine_only: bool = False,
                      search: str = "") -> list[PatientRow]:
    """One row per visible patient, in a stable order (by name): rows never jump while it polls."""
    stmt = select(Patient.id, Patient.name, Patient.timezone).where(_scope(Patient.id, user, mine_only))
    if search.strip():
        stmt = stmt.where(func.lower(Patient.name).contains(search.strip().lower(), autoescape=True))
    rows = {pid: PatientRow(pid, name, tz) for pid, name, tz in session.execute(stmt.order_by(Patient.name, Patient.id))}
    if not rows:
        return []
    scope = _scope(Dose.patient_id, user, mine_only)
    for pid, due in session.execute(select(Dose.patient_id, func.min(Dose.due_at))
                                    .where(Dose.status == "pending", scope).group_by(Dose.patient_id)):
        if pid in rows:
            rows[pid].next_dose = due
    since7, since30 = now - timedelta(days=7), now - timedelta(days=30)
    due = Dose.status.in_(("taken", "missed"))
    taken = Dose.status == "taken"
    stats = select(
        Dose.patient_id,
        func.sum(case((and_(due, Dose.due_at >= since7), 1), else_=0)),
        func.sum(case((and_(taken, Dose.due_at >= since7), 1), else_=0)),
        func.sum(case((due, 1), else_=0)),
        func.sum(case((taken, 1), else_=0)),
        func.max(Dose.taken_at),
    ).where(Dose.due_at >= since30, Dose.due_at <= now, scope).group_by(Dose.patient_id)
    for pid, d7, t7, d30, t30, last in session.execute(stats):
        if pid in rows:
            r = rows[pid]
            r.adherence_7, r.adherence_30, r.last_dose = percent(t7 or 0, d7 or 0), percent(t30 or 0, d30 or 0), last
    # Doses of each patient's local today: the local dates "today" can be in the zones shown (one
    # or two), inside a window wide enough for every zone; then each row against its own zone.
    today_in = {tz: local_today(tz, now) for tz in {r.timezone for r in rows.values()}}
    for pid, local_date, local_time, status in session.execute(
            select(Dose.patient_id, Dose.local_date, Dose.local_time, Dose.status)
            .where(Dose.due_at >= now - timedelta(hours=38), Dose.due_at <= now + timedelta(hours=38),
                   Dose.local_date.in_(set(today_in.values())), scope)
            .order_by(Dose.patient_id, Dose.local_time)):
        r = rows.get(pid)
        if r is not None and local_date == today_in[r.timezone]:
            r.today.append((local_time, status))
    for alert in session.scalars(select(Alert).where(Alert.status == "open", _scope(Alert.patient_id, user, mine_only))):
        if alert.patient_id in rows:
            rows[alert.patient_id].alerts.append(alert)
    for r in rows.values():
        r.alerts.sort(key=lambda a: (SEVERITY.get(a.kind, 2), a.opened_at))
    for pid, last in session.execute(select(CheckIn.patient_id, func.max(CheckIn.recorded_at))
                                     .where(CheckIn.recorded_at >= since30, _scope(CheckIn.patient_id, user, mine_only))
                                     .group_by(CheckIn.patient_id)):
        if pid in rows:
            rows[pid].last_checkin = last
    for pid, key, _at in session.execute(select(VitalFinding.patient_id, VitalFinding.key, VitalFinding.at)
                                         .where(VitalFinding.at >= since7,
                                                _scope(VitalFinding.patient_id, user, mine_only))
                                         .order_by(VitalFinding.at)):
        if pid in rows:
            rows[pid].finding = key.replace("_", " ")
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


@dataclass
class VitalRow:
    kind: str
    unit: str
    band: str
    last: float | None
    low: float | None
    high: float | None
    count: int
    outside: bool


def vital_bands(settings: ClinicalSettings) -> dict[str, tuple[str, float | None, float | None]]:
    """Each vital the rules read: (band in words, alert at or below, alert at or above)."""
    s = settings
    return {
        "respiratory_rate": (f"emergency at ≤ {s.resp_rate_emergency_max:g} /min", s.resp_rate_emergency_max, None),
        "spo2": (f"emergency at ≤ {s.spo2_emergency_max:g} %", s.spo2_emergency_max, None),
        "heart_rate": (f"alert at ≤ {s.slow_heart_rate_max:g} or ≥ {s.fast_heart_rate_min:g} /min",
                       s.slow_heart_rate_max, s.fast_heart_rate_min),
        "body_temperature": (f"alert at ≤ {s.low_temperature_max_c:g} or ≥ {s.fever_min_c:g} °C",
                             s.low_temperature_max_c, s.fever_min_c),
        "bp_systolic": (f"alert at ≤ {s.low_systolic_max:g} mmHg", s.low_systolic_max, None),
    }


UNITS = {"respiratory_rate": "/min", "spo2": "%", "heart_rate": "/min", "body_temperature": "°C",
         "bp_systolic": "mmHg"}


def vitals_summary(session: Session, patient_id: int, now: datetime, settings: ClinicalSettings,
                   hours: int = 24) -> list[VitalRow]:
    out = []
    since = now - timedelta(hours=hours)
    for kind, (band, low_at, high_at) in vital_bands(settings).items():
        # One index range per kind (patient, kind, measured_at): 1,440 rows a day at a reading a minute.
        count, lo, hi = session.execute(select(func.count(), func.min(Reading.value), func.max(Reading.value)).where(
            Reading.patient_id == patient_id, Reading.kind == kind, Reading.measured_at >= since)).one()
        last = session.scalar(select(Reading.value).where(Reading.patient_id == patient_id, Reading.kind == kind)
                              .order_by(Reading.measured_at.desc()).limit(1))
        outside = bool(count) and ((low_at is not None and lo is not None and lo <= low_at)
                                   or (high_at is not None and hi is not None and hi >= high_at))
        out.append(VitalRow(kind.replace("_", " "), UNITS[kind], band, last, lo, hi, count, outside))
    return out


def adherence_calendar(session: Session, patient: Patient, now: datetime, days: int = 30) -> list[CalendarDay]:
    tz = ZoneInfo(patient.timezone)
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    cal = {first + timedelta(days=i): CalendarDay(first + timedelta(days=i)) for i in range(days)}
    for local_date, status, taken_at, check_at in session.execute(
            select(Dose.local_date, Dose.status, Dose.taken_at, Dose.check_at)
            .where(Dose.patient_id == patient.id, Dose.local_date >= first, Dose.local_date <= today)):
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
    since = datetime.combine(first, datetime.min.time(), tz)
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


@dataclass
class Report:
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

    @property
    def adherence(self) -> int | None:
        return percent(self.taken, self.scheduled)

    @property
    def on_time_pct(self) -> int | None:
        return percent(self.on_time, self.scheduled)


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


@dataclass
class SymptomTrend:
    days: list[date]
    # symptom label -> the day's highest severity (None: not reported that day)
    rows: dict[str, list[int | None]]


def symptom_trend(session: Session, patient: Patient, now: datetime, days: int = 14) -> SymptomTrend:
    """Each symptom's highest reported severity per local day: the "are the twitches getting
    worse?" question, as a table a screen reader reads row by row."""
    from alerts.domain.symptoms import SYMPTOMS

    tz = ZoneInfo(patient.timezone)
    today = now.astimezone(tz).date()
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    index = {d: i for i, d in enumerate(span)}
    rows: dict[str, list[int | None]] = {}
    for recorded_at, symptoms in session.execute(select(CheckIn.recorded_at, CheckIn.symptoms).where(
            CheckIn.patient_id == patient.id, CheckIn.recorded_at >= now - timedelta(days=days + 1))):
        i = index.get(recorded_at.astimezone(tz).date())
        if i is None:
            continue
        for key, severity in (symptoms or {}).items():
            label = SYMPTOMS[key].label if key in SYMPTOMS else key.replace("_", " ")
            row = rows.setdefault(label, [None] * days)
            row[i] = severity if row[i] is None else max(row[i], severity)  # type: ignore[type-var]
    return SymptomTrend(span, dict(sorted(rows.items())))

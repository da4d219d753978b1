"""A patient's current state in one SMS, for a caregiver who texts STATUS. Pure: facts in, text out.

Times are wall-clock in the patient's zone (the caregiver may live elsewhere, but doses are taken
where the patient is), as "today 14:05", "yesterday 20:00" or a date for anything further away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from alerts.domain.delivery import day_name
from alerts.domain.messages import render
from alerts.domain.supply import BEFORE_REFILL, OUT, REFILL_OVERDUE, SupplyOutlook

# The words around the facts, per language (Spanish without accents, as the templates: GSM-7).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "no_alerts": "no open alerts", "open": "open", "none": "none recorded", "today": "today",
        "yesterday": "yesterday", "tomorrow": "tomorrow", "reply": "reply OK + code",
        "missed_dose": "missed dose", "emergency": "EMERGENCY", "urgent": "urgent",
        "withdrawal_risk": "withdrawal risk", "toxicity_risk": "toxicity risk", "consult_soon": "see a doctor soon",
        "handled": "being handled", "handled_by": "by", "low_supply": "low supply", "left": "left",
        "supply_out": "out of supply", "none_left": "none left", "refill_overdue": "refill overdue",
        "refill_was_due": "due {day}, no new count since", "before_refill": "runs out before the refill due {day}",
    },
    "es": {
        "no_alerts": "sin alertas abiertas", "open": "abiertas", "none": "ninguna registrada", "today": "hoy",
        "yesterday": "ayer", "tomorrow": "manana", "reply": "responda OK + codigo",
        "missed_dose": "dosis olvidada", "emergency": "EMERGENCIA", "urgent": "urgente",
        "withdrawal_risk": "riesgo de abstinencia", "toxicity_risk": "riesgo de toxicidad",
        "consult_soon": "consultar pronto al medico",
        "handled": "en atencion", "handled_by": "por", "low_supply": "queda poco", "left": "quedan",
        "supply_out": "sin existencias", "none_left": "no queda nada", "refill_overdue": "reposicion pendiente",
        "refill_was_due": "era el {day}, sin nuevo conteo", "before_refill": "se acaba antes de la reposicion del {day}",
    },
}


@dataclass(frozen=True)
class PatientState:
    """What STATUS reports about one patient."""

    name: str
    timezone: str
    open_alerts: Sequence[tuple[str, str]]  # (kind, code), oldest first
    last_dose_at: datetime | None
    next_dose_at: datetime | None
    # Alerts acknowledged lately, (kind, code, who took it on), oldest first: a seizure a minute ago
    # that Ann is handling is not "no open alerts".
    handled_alerts: Sequence[tuple[str, str, str]] = ()
    # Each medicine's next dose, (name, instant), soonest first. With two or more, the next dose
    # is given per medicine; with one (or none listed), as ``next_dose_at`` alone.
    next_by_medicine: Sequence[tuple[str, datetime]] = ()
    # Medicines in a low-supply episode (``alerts.domain.supply``): (name, what the count means now).
    low_supply: Sequence[tuple[str, SupplyOutlook]] = ()


def status_text(state: PatientState, language: str | None, now: datetime) -> str:
    """The STATUS reply for one patient, in ``language``."""
    words = WORDS.get(language or "en", WORDS["en"])
    if state.open_alerts:
        listing = ", ".join(f"{words.get(kind, kind)} {code}" for kind, code in state.open_alerts)
        alerts = f"{words['open']}: {listing} ({words['reply']})"
    else:
        alerts = words["no_alerts"]
    if state.handled_alerts:
        listing = ", ".join(f"{words.get(kind, kind)} {code} ({words['handled_by']} {who})".replace(" ()", "")
                            for kind, code, who in state.handled_alerts)
        alerts = f"{alerts}; {words['handled']}: {listing}"
    if state.low_supply:
        alerts = "; ".join([alerts, *_supply_listing(state.low_supply, language, words)])
    zone = ZoneInfo(state.timezone)
    next_dose = _when(state.next_dose_at, zone, now, words)
    if len(state.next_by_medicine) > 1:
        next_dose = ", ".join(f"{_when(at, zone, now, words)} ({name})" for name, at in state.next_by_medicine)
    return render("status", language, patient_name=state.name, alerts=alerts,
                  last_dose=_when(state.last_dose_at, zone, now, words), next_dose=next_dose)


def _supply_listing(low: Sequence[tuple[str, SupplyOutlook]], language: str | None,
                    words: dict[str, str]) -> list[str]:
    """The medicines in a low-supply episode, under a heading that says why (facts only: no advice
    about a dose): "refill overdue: metformin (due Mon 15 Jun, no new count since)" for a refill
    day gone by with no count since, whatever the old count; "out of supply" for none left; "low
    supply" with the count otherwise, and the refill day it runs out before when there is one."""
    lang = language if language in WORDS else "en"
    groups: dict[str, list[str]] = {}
    for name, view in low:
        if view.reason == OUT:
            heading, detail = "supply_out", words["none_left"]
        elif view.reason == REFILL_OVERDUE and view.refill_date is not None:
            heading, detail = "refill_overdue", words["refill_was_due"].format(day=day_name(view.refill_date, lang))
        else:
            heading, detail = "low_supply", f"{view.on_hand.normalize():f} {words['left']}"
            if view.reason == BEFORE_REFILL and view.refill_date is not None:
                detail += ", " + words["before_refill"].format(day=day_name(view.refill_date, lang))
        groups.setdefault(heading, []).append(f"{name} ({detail})")
    return [f"{words[heading]}: {', '.join(items)}" for heading, items in groups.items()]


def _when(instant: datetime | None, zone: ZoneInfo, now: datetime, words: dict[str, str]) -> str:
    if instant is None:
        return words["none"]
    local = instant.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    day = {0: words["today"], -1: words["yesterday"], 1: words["tomorrow"]}.get(days, local.date().isoformat())
    return f"{day} {local:%H:%M}"

"""A medicine's supply on hand: how long it lasts and when it is low. Pure: counts in, decisions out.

Each medication keeps its own count (pills, tablets, units), taken down by its units a dose (the
schedule's, else the medication's, else 1) for each dose recorded and set again by a refill or a recount. How long that lasts is read from the
medication's active schedules: doses a day times units a dose. A count that lasts fewer days than
the configured threshold is *low*; a patient told once per low episode has time to get a refill
before the last pill (a refill or a recount that lasts past the threshold ends the episode).

The next refill day, when one is recorded (local to the patient), changes what "low" means, as a
patient or caregiver who wrote it down would expect (:func:`outlook`, in this order):

* **Out** (nothing left) is low whatever the refill day.
* **Refill overdue**: the refill day has passed and no count was recorded on or after it. Either
  the refill came and nobody counted it (the count is stale, and counting it down to zero would
  raise a false "ran out") or it did not come: both are a reason to ask, whatever the old count says.
* **Runs out before the refill**: the count's run-out day comes before the refill day. Low from the
  usual threshold before the *run-out* day (not the refill day), and the reminder names both days,
  so there is the usual time to arrange an earlier refill.
* **Covered until the refill**: the count lasts to the refill day (it runs out that day or later).
  Not low, however few days are left: the refill is already arranged, and a reminder would only
  nag. If the day passes without a new count, the refill is overdue (above).
* Otherwise (no refill day, or a past one a newer count replaced): the threshold alone.

Whatever the reason, it is one low episode and one reminder (the caller's dedupe key).

Only the refill day's passing makes a count low with nothing recorded: every other reason changes
with a count or a dose. So the one check planned ahead (:func:`overdue_check_at`) is the morning
after the refill day, at :data:`OVERDUE_CHECK_TIME` local, for a patient who records nothing.

No advice about the dose itself follows from a count: the reminder asks for a refill (or for the
new count), never to change, skip, space out or stop a dose. For baclofen the brief's sentence is
that it must never be stopped abruptly, so its reminders carry it, and its running out (a count at
zero) is what its pack's supply rule reads; for a medicine without a pack it is adherence only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Final, Literal
from zoneinfo import ZoneInfo

from alerts.domain.delivery import day_name
from alerts.domain.messages import render
from alerts.domain.schedule import local_to_utc

ZERO = Decimal(0)

# Why an outlook is low (:attr:`SupplyOutlook.reason`), in the order :func:`outlook` decides them.
Reason = Literal["out", "refill_overdue", "before_refill", "low"]
OUT: Final = "out"
REFILL_OVERDUE: Final = "refill_overdue"
BEFORE_REFILL: Final = "before_refill"
LOW: Final = "low"
# What staff read beside "low" for each reason (the console, ``dosewatch admin show-supply``).
REASON_WORDS: Final[dict[str, str]] = {
    OUT: "none left", REFILL_OVERDUE: "the refill day passed with no new count",
    BEFORE_REFILL: "runs out before the refill day", LOW: "fewer days left than the threshold"}


def units_per_day(schedules: Iterable[tuple[Sequence[str], Decimal | None]], units_per_dose: Decimal) -> Decimal:
    """Units a day the active schedules use: each schedule's dose times a day, times its units a
    dose (None: the medication's ``units_per_dose``)."""
    return sum((len(times) * (units if units is not None else units_per_dose) for times, units in schedules),
               Decimal(0))


def taken_down(on_hand: Decimal, units_per_dose: Decimal) -> Decimal:
    """The count after one dose: never below zero (a dose recorded past an empty count, because the
    count was wrong, is not a negative number of pills)."""
    return max(ZERO, on_hand - units_per_dose)


@dataclass(frozen=True)
class SupplyOutlook:
    """What a count means today."""

    on_hand: Decimal
    per_day: Decimal
    # Whole days the count lasts (None: no active schedule uses it, so it is not used up).
    days_left: int | None
    # The first local day without a whole day's doses at this rate (None as ``days_left``).
    runs_out_on: date | None
    low: bool
    out: bool
    # The next refill day as recorded (local; None: none known), and why the count is low (None: it is not).
    refill_date: date | None = None
    reason: Reason | None = None


def outlook(on_hand: Decimal, per_day: Decimal, threshold_days: int, today: date, *,
            refill_date: date | None = None, counted_on: date | None = None) -> SupplyOutlook:
    """A count against its daily use, the low-supply threshold (days of supply) and the next refill
    day (``refill_date``; ``counted_on``: the local day the count was recorded). The rules and their
    order are the module's; a medicine no active schedule uses is low only when its count is zero
    or its refill is overdue (nothing says how fast it goes)."""
    out = on_hand <= ZERO
    days = None if per_day <= ZERO else int((on_hand / per_day).to_integral_value(rounding=ROUND_FLOOR))
    runs_out_on = None if days is None else today + timedelta(days=days)
    reason: Reason | None = None
    if out:
        reason = OUT
    elif refill_date is not None and refill_date < today and (counted_on is None or counted_on < refill_date):
        reason = REFILL_OVERDUE
    elif days is not None and days < threshold_days:
        if refill_date is None or refill_date < today:
            reason = LOW
        elif runs_out_on is not None and runs_out_on < refill_date:
            reason = BEFORE_REFILL
        # else: it lasts to the refill day, already arranged: no reminder
    return SupplyOutlook(on_hand, per_day, days, runs_out_on, reason is not None, out, refill_date, reason)


# When a refill day gone by with no new count is checked: the next morning, local to the patient
# (not midnight: the patient's reminder is not held by quiet hours, a caregiver's is).
OVERDUE_CHECK_TIME: Final = time(9, 0)


def overdue_check_at(refill_date: date | None, counted_on: date | None, tz: ZoneInfo) -> datetime | None:
    """The UTC instant from which :func:`outlook` calls this refill overdue, checked at
    :data:`OVERDUE_CHECK_TIME` on the day after the refill day in ``tz`` (a wall-clock time: the
    same morning hour either side of a DST change). None when nothing is to be checked: no refill
    day, or a count recorded on or after it (that count is the refill's)."""
    if refill_date is None or (counted_on is not None and counted_on >= refill_date):
        return None
    return local_to_utc(refill_date + timedelta(days=1), OVERDUE_CHECK_TIME, tz)


def amount_left(view: SupplyOutlook, language: str) -> str:
    """How much is left, as the low-supply reminder says it: the count, and how long it lasts in
    whole days when a schedule says how fast it goes ("less than a day", never "about 0 days").
    A count that runs out before the refill day says so, with both days (the patient's local days)."""
    count = f"{view.on_hand.normalize():f}"
    spanish = language == "es"
    if view.out:
        return "ya no queda nada" if spanish else "none left"
    if view.days_left is None:
        return count if spanish else f"{count} left"
    if view.days_left == 0:
        amount = f"{count}, para menos de un dia" if spanish else f"{count} left, less than a day's doses"
    elif view.days_left == 1:
        amount = f"{count}, para un dia" if spanish else f"{count} left, enough for about 1 day"
    else:
        amount = (f"{count}, para unos {view.days_left} dias" if spanish
                  else f"{count} left, enough for about {view.days_left} days")
    if view.reason != BEFORE_REFILL or view.runs_out_on is None or view.refill_date is None:
        return amount
    refill = day_name(view.refill_date, language)
    if spanish:
        when = "hoy" if view.days_left == 0 else f"hacia el {day_name(view.runs_out_on, language)}"
        return f"{amount}: se acaba {when}, antes de la reposicion del {refill}"
    when = "today" if view.days_left == 0 else f"about {day_name(view.runs_out_on, language)}"
    return f"{amount}: it runs out {when}, before the refill due {refill}"


def reminder(view: SupplyOutlook, recipient_kind: str, language: str, *, patient_name: str, medication: str,
             baclofen: bool) -> str:
    """The low-supply reminder to the patient or a caregiver (``recipient_kind``), for the reason the
    count is low: a refill to arrange (low, out, or running out before the refill day: the amount
    says which) or, when the refill day passed with no new count, the new count or the refill.
    Baclofen's templates carry the brief's sentence that it must never be stopped suddenly; any
    other medicine is named and gets no clinical claim."""
    if view.reason == REFILL_OVERDUE and view.refill_date is not None:
        template = "supply_refill_overdue_" + recipient_kind
    else:
        template = "supply_low_" + recipient_kind
    values: dict[str, object] = {"patient_name": patient_name, "amount": amount_left(view, language)}
    if view.refill_date is not None:
        values["refill_date"] = day_name(view.refill_date, language)
    if not baclofen:
        template += "_medication"
        values["medication"] = medication
    return render(template, language, **values)

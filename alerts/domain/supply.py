"""A medicine's supply on hand: how long it lasts and when it is low. Pure: counts in, decisions out.

Each medication keeps its own count (pills, tablets, units), taken down by its units a dose (the
schedule's, else the medication's, else 1) for each dose recorded and set again by a refill or a recount. How long that lasts is read from the
medication's active schedules: doses a day times units a dose. A count that lasts fewer days than
the configured threshold is *low*; a patient told once per low episode has time to get a refill
before the last pill (a refill or a recount that lasts past the threshold ends the episode).

No advice about the dose itself follows from a count: the reminder asks for a refill. For baclofen
the brief's sentence is that it must never be stopped abruptly, so its running out (a count at
zero) is what its pack's supply rule reads; for a medicine without a pack it is adherence only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

ZERO = Decimal(0)


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
    # The local day the count is used up at this rate (None as ``days_left``).
    runs_out_on: date | None
    low: bool
    out: bool


def outlook(on_hand: Decimal, per_day: Decimal, threshold_days: int, today: date) -> SupplyOutlook:
    """A count against its daily use and the low-supply threshold (days of supply).

    Low: fewer whole days left than the threshold, or nothing left at all. A medicine no active
    schedule uses is low only when its count is zero (nothing says how fast it goes)."""
    out = on_hand <= ZERO
    if per_day <= ZERO:
        return SupplyOutlook(on_hand, per_day, None, None, out, out)
    days = int((on_hand / per_day).to_integral_value(rounding=ROUND_FLOOR))
    return SupplyOutlook(on_hand, per_day, days, today + timedelta(days=days), out or days < threshold_days, out)


def amount_left(view: SupplyOutlook, language: str) -> str:
    """How much is left, as the low-supply reminder says it: the count, and how long it lasts in
    whole days when a schedule says how fast it goes ("less than a day", never "about 0 days")."""
    count = f"{view.on_hand.normalize():f}"
    spanish = language == "es"
    if view.out:
        return "ya no queda nada" if spanish else "none left"
    if view.days_left is None:
        return count if spanish else f"{count} left"
    if view.days_left == 0:
        return f"{count}, para menos de un dia" if spanish else f"{count} left, less than a day's doses"
    if view.days_left == 1:
        return f"{count}, para un dia" if spanish else f"{count} left, enough for about 1 day"
    return f"{count}, para unos {view.days_left} dias" if spanish else f"{count} left, enough for about {view.days_left} days"

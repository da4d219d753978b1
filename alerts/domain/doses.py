"""Which scheduled dose a dose-taken report belongs to. Pure: doses and an instant in, a choice out.

A patient may take several medicines. A report that names its medicine is matched to that
medicine's doses only; one that does not ("took it", a dose posted without a medication) is matched
to the due dose nearest in time, whichever medicine it is (:func:`match_dose`), and "took it" when
two medicines are due together covers both (:func:`doses_due_now`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Doses of different medicines due within this long of each other are "the doses due now" that one
# "took it" covers: a morning round taken at the table, 08:00 and 08:30 alike.
DUE_TOGETHER = timedelta(minutes=60)


@dataclass(frozen=True)
class DoseSlot:
    id: int
    due_at: datetime
    status: str  # pending | missed
    # The medication the slot's schedule is for (None: a schedule from before medications; baclofen).
    medication_id: int | None = None
    # Whether the medication has a clinical pack: on an exact tie in time, that dose is the one a
    # report without a medicine is taken to mean, so baclofen's rules never miss a dose.
    clinical: bool = False


def _open(slot: DoseSlot) -> bool:
    return slot.status in ("pending", "missed")


def _within(slot: DoseSlot, at: datetime, early: timedelta, late: timedelta) -> bool:
    return slot.due_at - early <= at <= slot.due_at + late


def _rank(slot: DoseSlot, at: datetime) -> tuple[timedelta, datetime, bool, int]:
    return abs(at - slot.due_at), slot.due_at, not slot.clinical, slot.id


def match_dose(candidates: Sequence[DoseSlot], taken_at: datetime, *, early_window: timedelta,
               late_window: timedelta, medication_id: int | None = None) -> DoseSlot | None:
    """The scheduled dose a dose taken at ``taken_at`` satisfies, or None (an unscheduled dose).

    A dose may be taken up to ``early_window`` before it is due (people take the evening dose with
    dinner) and up to ``late_window`` after. When two doses qualify, e.g. a missed 08:00 dose and
    the 14:00 dose at 13:50, the nearest in time wins: that is the one the patient meant. With
    ``medication_id`` only that medicine's doses qualify; without it any medicine's may.
    """
    fits = [s for s in candidates if _open(s) and _within(s, taken_at, early_window, late_window)
            and (medication_id is None or s.medication_id == medication_id)]
    return min(fits, key=lambda s: _rank(s, taken_at), default=None)


def doses_due_now(candidates: Sequence[DoseSlot], now: datetime, *, early_window: timedelta,
                  late_window: timedelta, together: timedelta = DUE_TOGETHER) -> list[DoseSlot]:
    """The doses a "took it" sent at ``now`` covers, oldest first: the dose it is nearest to
    (:func:`match_dose`) and, for each other medicine, its own nearest dose when that is due within
    ``together`` of the first. One dose per medicine: "took it" never covers yesterday's and
    today's dose of the same medicine at once."""
    first = match_dose(candidates, now, early_window=early_window, late_window=late_window)
    if first is None:
        return []
    chosen = [first]
    others = {s.medication_id for s in candidates if s.medication_id != first.medication_id}
    for medication_id in sorted(others, key=lambda m: (m is None, m)):
        slot = match_dose(candidates, now, early_window=early_window, late_window=late_window,
                          medication_id=medication_id)
        if slot is not None and abs(slot.due_at - first.due_at) <= together:
            chosen.append(slot)
    return sorted(chosen, key=lambda s: (s.due_at, not s.clinical, s.id))


@dataclass(frozen=True)
class MedicationChoice:
    """Which medicine a dose report is about, and how that was decided (the API says so)."""

    medication_id: int | None
    # "given" (the report named it), "only" (the patient takes one), "nearest_due" (the due dose
    # nearest in time decided among several), "unknown" (several, none due: left unattributed).
    basis: str


def choose_medication(named: int | None, active: Sequence[int | None], matched: DoseSlot | None) -> MedicationChoice:
    """The medicine of a dose report: the one it named; else that of the scheduled dose it was
    matched to (the patient's only medicine, or among several the due dose nearest in time); else,
    unmatched, the patient's only medicine; else unknown (recorded without one, never guessed).

    ``active`` lists the patient's medicines; ``None`` among them is a schedule from before
    medications were data (baclofen, unnamed)."""
    if named is not None:
        return MedicationChoice(named, "given")
    if matched is not None:
        only = len(active) <= 1 and (not active or matched.medication_id == active[0])
        return MedicationChoice(matched.medication_id, "only" if only else "nearest_due")
    if len(active) == 1:
        return MedicationChoice(active[0], "only")
    return MedicationChoice(None, "unknown")

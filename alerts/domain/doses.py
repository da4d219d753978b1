"""Which scheduled dose a dose-taken report belongs to. Pure: doses and an instant in, a choice out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class DoseSlot:
    id: int
    due_at: datetime
    status: str  # pending | missed


def match_dose(candidates: Sequence[DoseSlot], taken_at: datetime, *, early_window: timedelta,
               late_window: timedelta) -> DoseSlot | None:
    """The scheduled dose a dose taken at ``taken_at`` satisfies, or None (an unscheduled dose).

    A dose may be taken up to ``early_window`` before it is due (people take the evening dose with
    dinner) and up to ``late_window`` after. When two doses qualify, e.g. a missed 08:00 dose and
    the 14:00 dose at 13:50, the nearest in time wins: that is the one the patient meant.
    """
    best: DoseSlot | None = None
    best_gap: timedelta | None = None
    for slot in candidates:
        if slot.status not in ("pending", "missed"):
            continue
        if not (slot.due_at - early_window <= taken_at <= slot.due_at + late_window):
            continue
        gap = abs(taken_at - slot.due_at)
        if best_gap is None or gap < best_gap or (gap == best_gap and slot.due_at < best.due_at):  # type: ignore[union-attr]
            best, best_gap = slot, gap
    return best

"""Which scheduled dose a dose-taken report satisfies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.domain.doses import DoseSlot, MedicationChoice, choose_medication, doses_due_now, match_dose

EARLY, LATE = timedelta(hours=2), timedelta(hours=12)


def at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 6, 15, h, m, tzinfo=UTC)


def match(slots: list[DoseSlot], taken: datetime) -> int | None:
    chosen = match_dose(slots, taken, early_window=EARLY, late_window=LATE)
    return chosen.id if chosen else None


def test_dose_taken_on_time_matches_its_scheduled_dose() -> None:
    assert match([DoseSlot(1, at(8), "pending")], at(8, 5)) == 1


def test_dose_taken_a_little_early_still_counts() -> None:
    assert match([DoseSlot(1, at(8), "pending")], at(6, 0)) == 1
    assert match([DoseSlot(1, at(8), "pending")], at(5, 59)) is None


def test_late_dose_matches_the_missed_dose() -> None:
    assert match([DoseSlot(1, at(8), "missed")], at(9, 20)) == 1


def test_between_a_missed_dose_and_the_next_one_the_nearest_wins() -> None:
    slots = [DoseSlot(1, at(8), "missed"), DoseSlot(2, at(14), "pending")]
    assert match(slots, at(9, 0)) == 1
    assert match(slots, at(13, 50)) == 2


def test_taken_doses_are_never_matched_twice() -> None:
    assert match([DoseSlot(1, at(8), "taken")], at(8)) is None


def test_dose_long_after_the_late_window_is_unscheduled() -> None:
    assert match([DoseSlot(1, at(8), "missed")], at(8) + LATE + timedelta(minutes=1)) is None


# -- several medicines -------------------------------------------------------------------------------

BACLOFEN, METFORMIN = 100, 200


def bac(id_: int, due: datetime, status: str = "pending") -> DoseSlot:
    return DoseSlot(id_, due, status, BACLOFEN, clinical=True)


def met(id_: int, due: datetime, status: str = "pending") -> DoseSlot:
    return DoseSlot(id_, due, status, METFORMIN)


def test_a_dose_naming_its_medicine_matches_that_medicines_dose_even_when_another_is_nearer() -> None:
    slots = [bac(1, at(14)), met(2, at(14, 30))]
    chosen = match_dose(slots, at(14, 5), early_window=EARLY, late_window=LATE, medication_id=METFORMIN)
    assert chosen is not None and chosen.id == 2
    assert match_dose(slots, at(14, 5), early_window=EARLY, late_window=LATE, medication_id=999) is None


def test_on_an_exact_tie_an_unnamed_dose_is_the_medicine_with_clinical_rules() -> None:
    # Both due at 08:00: the toxicity rules must read an unnamed dose rather than file it as metformin.
    assert match([met(1, at(8)), bac(2, at(8))], at(8, 10)) == 2


def test_took_it_covers_the_doses_of_each_medicine_due_together() -> None:
    slots = [bac(1, at(8)), met(2, at(8)), bac(3, at(14))]
    due = doses_due_now(slots, at(8, 5), early_window=EARLY, late_window=LATE)
    assert [s.id for s in due] == [1, 2]


def test_took_it_does_not_cover_another_medicine_due_hours_away() -> None:
    # Metformin at 09:30 is within its early window at 08:05, but not due with the 08:00 baclofen.
    slots = [bac(1, at(8)), met(2, at(9, 30))]
    assert [s.id for s in doses_due_now(slots, at(8, 5), early_window=EARLY, late_window=LATE)] == [1]
    # At 08:50 the metformin is the nearer: "took it" is that dose, the baclofen 90 min apart is not.
    assert [s.id for s in doses_due_now(slots, at(8, 50), early_window=EARLY, late_window=LATE)] == [2]
    # A morning round within the hour is covered together.
    round_ = [bac(1, at(8)), met(2, at(8, 45))]
    assert [s.id for s in doses_due_now(round_, at(8, 5), early_window=EARLY, late_window=LATE)] == [1, 2]


def test_took_it_covers_one_dose_per_medicine() -> None:
    # A missed 08:00 and a due 09:00 baclofen: one report is one dose of it, the nearer.
    slots = [bac(1, at(8), "missed"), bac(2, at(9)), met(3, at(9))]
    assert [s.id for s in doses_due_now(slots, at(9), early_window=EARLY, late_window=LATE)] == [2, 3]


def test_nothing_due_covers_nothing() -> None:
    assert doses_due_now([bac(1, at(20))], at(8), early_window=EARLY, late_window=LATE) == []


def test_the_medicine_of_a_report_is_the_one_named_else_the_matched_dose_else_the_only_one() -> None:
    assert choose_medication(METFORMIN, [BACLOFEN, METFORMIN], bac(1, at(8))) == MedicationChoice(METFORMIN, "given")
    assert choose_medication(None, [BACLOFEN], bac(1, at(8))) == MedicationChoice(BACLOFEN, "only")
    assert choose_medication(None, [BACLOFEN, METFORMIN], met(1, at(8))) == MedicationChoice(METFORMIN, "nearest_due")
    assert choose_medication(None, [METFORMIN], None) == MedicationChoice(METFORMIN, "only")
    assert choose_medication(None, [BACLOFEN, METFORMIN], None) == MedicationChoice(None, "unknown")
    # A schedule from before medications (None) beside a new medicine: an unmatched dose is not guessed.
    assert choose_medication(None, [None, METFORMIN], None) == MedicationChoice(None, "unknown")

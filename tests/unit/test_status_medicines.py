"""STATUS with several medicines gives each one's next dose (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from alerts.domain.status import PatientState, status_text

NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)  # 12:00 in New York
BACLOFEN_NEXT = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)
METFORMIN_NEXT = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)


def state(**kw: object) -> PatientState:
    return PatientState("Rosa", "America/New_York", [], None, BACLOFEN_NEXT, **kw)  # type: ignore[arg-type]


def test_with_two_medicines_each_ones_next_dose_is_named() -> None:
    text = status_text(state(next_by_medicine=[("baclofen", BACLOFEN_NEXT), ("metformin", METFORMIN_NEXT)]),
                       "en", NOW)
    assert text.endswith("Next dose: today 14:00 (baclofen), today 22:00 (metformin).")


def test_with_one_medicine_the_next_dose_reads_as_before() -> None:
    assert status_text(state(next_by_medicine=[("baclofen", BACLOFEN_NEXT)]), "en", NOW).endswith(
        "Next dose: today 14:00.")
    assert status_text(state(), "es", NOW).endswith("Proxima dosis: hoy 14:00.")


def test_a_medicine_running_low_is_named_with_what_is_left_in_each_language() -> None:
    from decimal import Decimal

    low = [("metformin", Decimal("27.00"))]
    assert status_text(state(low_supply=low), "en", NOW).startswith(
        "dosewatch: Rosa: no open alerts; low supply: metformin (27 left). Last dose")
    assert "queda poco: metformin (27 quedan)" in status_text(state(low_supply=low), "es", NOW)

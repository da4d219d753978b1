"""STATUS with several medicines gives each one's next dose, and why any is low (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from alerts.domain.status import PatientState, status_text
from alerts.domain.supply import outlook
from tests.unit.test_supply import DOSE_ADVICE

NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)  # 12:00 in New York
BACLOFEN_NEXT = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)
METFORMIN_NEXT = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)
DAY = date(2026, 6, 15)


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
    low = [("metformin", outlook(Decimal("27.00"), Decimal(4), 7, DAY))]
    assert status_text(state(low_supply=low), "en", NOW).startswith(
        "dosewatch: Rosa: no open alerts; low supply: metformin (27 left). Last dose")
    assert "queda poco: metformin (27 quedan)" in status_text(state(low_supply=low), "es", NOW)


# Why each medicine is low (``alerts.domain.supply``), today Mon 15 Jun at 4 tablets a day.
OVERDUE = outlook(Decimal(100), Decimal(4), 7, DAY, refill_date=date(2026, 6, 12), counted_on=date(2026, 6, 1))
BEFORE_REFILL = outlook(Decimal(24), Decimal(4), 7, DAY, refill_date=date(2026, 6, 30))
OUT = outlook(Decimal(0), Decimal(3), 7, DAY)


def test_the_supply_line_says_why_a_medicine_is_listed_not_a_low_count_for_an_overdue_refill() -> None:
    low = [("metformin", OVERDUE), ("baclofen", OUT), ("lisinopril", BEFORE_REFILL)]
    assert status_text(state(low_supply=low), "en", NOW).startswith(
        "dosewatch: Rosa: no open alerts; refill overdue: metformin (due Fri 12 Jun, no new count since); "
        "out of supply: baclofen (none left); low supply: lisinopril (24 left, runs out before the refill due "
        "Tue 30 Jun). Last dose")
    assert status_text(state(low_supply=low), "es", NOW).startswith(
        "dosewatch: Rosa: sin alertas abiertas; reposicion pendiente: metformin (era el vie 12 jun, sin nuevo "
        "conteo); sin existencias: baclofen (no queda nada); queda poco: lisinopril (24 quedan, se acaba antes de "
        "la reposicion del mar 30 jun).")
    for language in ("en", "es"):  # facts about the supply, never about the dose (DOSE_ADVICE: test_supply)
        assert not DOSE_ADVICE.search(status_text(state(low_supply=low), language, NOW))

"""Which medications the clinical rules speak about.

The clinical rules (``alerts.domain.clinical``) are baclofen's: its red flags, withdrawal and
toxicity, from the clinical brief. A patient's other medicines get adherence features only
(reminders, missed-dose escalation, the all-clear) and never a clinical claim: there is no sourced
rule for them, and a withdrawal warning about a vitamin would be false and teach caregivers to
ignore the real one.
"""

from __future__ import annotations

from typing import Literal

Route = Literal["oral", "intrathecal"]
ROUTES: tuple[Route, ...] = ("oral", "intrathecal")

BACLOFEN = "baclofen"

# Drugs with a clinical pack, by normalised name. One entry today: the brief covers baclofen only.
CLINICAL_PACKS: frozenset[str] = frozenset({BACLOFEN})


def normalise_name(name: str) -> str:
    return " ".join(name.split()).lower()


def clinical_pack(name: str | None) -> str | None:
    """The clinical pack that applies to a medication named ``name``, or None (adherence only).

    ``None`` as the name is a schedule with no medication row: one from before medications were
    data, which was baclofen by definition.
    """
    if name is None:
        return BACLOFEN
    key = normalise_name(name)
    return key if key in CLINICAL_PACKS else None


def is_baclofen(name: str | None) -> bool:
    return name is None or normalise_name(name) == BACLOFEN

"""Which medications the clinical rules speak about.

Clinical rules come in packs keyed by drug (``alerts.domain.packs``): baclofen's red flags,
withdrawal and toxicity, from the clinical brief. A medication without a pack gets adherence
features only (reminders, missed-dose escalation, the all-clear) and never a clinical claim: there
is no sourced rule for it, and a withdrawal warning about a vitamin would be false and teach
caregivers to ignore the real one.
"""

from __future__ import annotations

from typing import Literal

from alerts.domain.packs import registry

Route = Literal["oral", "intrathecal"]
ROUTES: tuple[Route, ...] = ("oral", "intrathecal")

BACLOFEN = registry.LEGACY.key

__all__ = ["BACLOFEN", "ROUTES", "Route", "clinical_pack", "is_baclofen"]


def clinical_pack(name: str | None, rxnorm_code: str | None = None) -> str | None:
    """The key of the clinical pack that applies to a medication, or None (adherence only).

    ``None`` as the name (and no code) is a schedule with no medication row: one from before
    medications were data, which was baclofen by definition.
    """
    pack = registry.pack_for(name, rxnorm_code)
    return pack.key if pack is not None else None


def is_baclofen(name: str | None) -> bool:
    """Whether the messages name this medication as baclofen (its texts have their own words)."""
    return clinical_pack(name) == BACLOFEN

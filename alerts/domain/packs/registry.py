"""The packs dosewatch ships, and which one applies to a medication.

Adding a pack is its folder (``alerts/domain/packs/<drug>/``) and one line in :data:`SHIPPED`.
Tests register a test-only pack with :func:`registered`; nothing else changes the registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from alerts.domain.clinical.wording import short_reasons
from alerts.domain.packs import baclofen, reported
from alerts.domain.packs.pack import RulePack

# The registration lines. Order matters only when a patient takes two drugs that both have a pack:
# their check-ins and device findings are read by each, in this order (see ``packs_for``).
SHIPPED: tuple[RulePack, ...] = (
    baclofen.PACK,
)

# A medication row written before medications were data has no name: it was baclofen by definition
# (the service watched nothing else), and so is a schedule with no medication.
LEGACY = baclofen.PACK

_packs: dict[str, RulePack] = {p.key: p for p in SHIPPED}


def all_packs() -> tuple[RulePack, ...]:
    """Every registered pack, in registration order."""
    return tuple(_packs.values())


def named(key: str | None) -> RulePack | None:
    """The pack registered under ``key`` (as an alert's details name it), or None."""
    return _packs.get(key) if key else None


def pack_for(name: str | None, rxnorm_code: str | None = None) -> RulePack | None:
    """The pack for a medication with this name and RxNorm code, or None: adherence features only.

    No name and no code is a schedule with no medication row (:data:`LEGACY`).
    """
    if name is None and not rxnorm_code:
        return LEGACY
    return next((p for p in _packs.values() if p.matches(name, rxnorm_code)), None)


def packs_for(medications: Iterable[tuple[str | None, str | None, bool]]) -> tuple[RulePack, ...]:
    """The packs of a patient's medications ((name, RxNorm code, active) for each), each once, in
    registration order: the packs that read the patient's own signs (check-ins, device findings).

    Only active medications count. A patient with no medication recorded at all is
    :data:`LEGACY`'s: dosewatch is a service for people who take baclofen, and patients enrolled
    before medications were data have none.
    """
    rows = list(medications)
    if not rows:
        return (LEGACY,)
    keys = {p.key for p in (pack_for(n, c) for n, c, active in rows if active) if p is not None}
    return tuple(p for p in _packs.values() if p.key in keys)


def alert_reasons(details: Mapping[str, Any], lang: str | None) -> str:
    """An alert's ``$reasons`` in ``lang``, in the words of the pack that raised it (``details["pack"]``;
    an alert from before packs names none: :data:`LEGACY`'s). ``None``: a patient with no pack,
    whose signs are told as reported. Raises KeyError for a code its words do not have."""
    pack = named(details.get("pack", LEGACY.key))
    codes, facts = details.get("codes") or [], details.get("facts") or {}
    return pack.reasons(codes, lang, facts) if pack else short_reasons(codes, lang, facts, reported.WORDS)


def alert_assessment(details: Mapping[str, Any], lang: str | None) -> str | None:
    """An alert's ``$assessment`` in ``lang``, in its pack's words; None when it carries no verdict."""
    pack = named(details.get("pack", LEGACY.key))
    verdict = details.get("verdict")
    return pack.verdict_text(verdict, lang) if pack is not None and verdict else None


@contextmanager
def registered(pack: RulePack) -> Iterator[RulePack]:
    """Register ``pack`` for the duration of a ``with`` block (tests: a pack that is not shipped)."""
    if pack.key in _packs:
        raise ValueError(f"a pack {pack.key!r} is already registered")
    _packs[pack.key] = pack
    try:
        yield pack
    finally:
        del _packs[pack.key]

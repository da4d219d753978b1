"""What a clinical rule pack is: one drug's rules as data and pure functions, each with its source.

A pack is written by a clinician with a source document in hand. Every rule and threshold it holds
is listed in :attr:`RulePack.rules` with the document's own words (:class:`Source`), and a test
finds those words in the document: a rule nobody can trace is not shipped. The functions are the
ones the services call; they read the plain values of ``alerts.domain.clinical.history`` and return
the decisions of ``alerts.domain.clinical`` (a triage, an assessment, risk decisions, a response),
so a pack decides *what* is said and the services decide *how* it is sent.

Callables are positional (no keyword-only parameters) so that a pack's adapters are checked
against these signatures by ``mypy --strict``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from alerts.domain.clinical.assessment import Assessment, Verdict
from alerts.domain.clinical.history import (
    CheckInRecord,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    Finding,
    SupplyReport,
)
from alerts.domain.clinical.patterns import RiskDecision
from alerts.domain.clinical.redflags import Level, Triage
from alerts.domain.clinical.response import Response
from alerts.domain.clinical.wording import assessment_text, short_reasons


def normalise_name(name: str) -> str:
    """How drug names are compared: case and spacing do not matter ("  Baclofen " is baclofen)."""
    return " ".join(name.split()).lower()


@dataclass(frozen=True)
class Document:
    """The written source of a pack. ``path`` is relative to the repository's root (the clinical
    brief is ``../shared/seed/...``, beside the repository), so the source tests can read it."""

    title: str
    path: str


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a section of the pack's document and its words, verbatim
    (whitespace aside). ``note`` says what the pack's author read into them, when that is more
    than the words say (a number the document does not give, a severity for "profound")."""

    section: str
    quote: str
    note: str = ""
    # Another document than the pack's own (a standard a threshold comes from); None: the pack's.
    document: Document | None = None


@dataclass(frozen=True)
class Rule:
    """One rule or threshold of a pack: a stable id, what it does, and its sources (at least one)."""

    id: str
    says: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Drug:
    """Which medications a pack applies to: an RxNorm ingredient code (RXCUI) and normalised names.

    A medication matches when its RxNorm code is one of ``rxnorm`` or, without a code, when its
    normalised name is one of ``names``."""

    rxnorm: frozenset[str]
    names: frozenset[str]


# The evidence that re-reads a pack's dose-pattern rules (see ``RulePack.rules_read_on``): a check-in
# stored, a dose recorded, the tick's sweep of patients whose check is due.
TRIGGERS: tuple[str, ...] = ("checkin", "dose", "tick")

# The shapes of a pack's functions (what the services call).
TriageSymptoms = Callable[[Mapping[str, int], Mapping[str, int] | None, ClinicalSettings], Triage]
TriageFindings = Callable[[Iterable[str]], Triage]
Assess = Callable[[ClinicalProfile, Sequence[DoseRecord], Sequence[DoseTaken], Sequence[Finding], datetime,
                   ClinicalSettings, Sequence[SupplyReport]], Assessment]
Respond = Callable[[Level, Assessment, Mapping[str, int] | None, ClinicalSettings], Response]
MayBeARisk = Callable[[Mapping[str, int], bool, bool, ClinicalSettings], bool]
MarkedSigns = Callable[[Mapping[str, int], Verdict, ClinicalSettings], list[str]]
DosePatternRisks = Callable[[ClinicalProfile, Sequence[DoseRecord], Sequence[DoseTaken], Sequence[SupplyReport],
                             Sequence[CheckInRecord], datetime, ClinicalSettings], list[RiskDecision]]
CheckinRisks = Callable[[Sequence[SupplyReport], Sequence[CheckInRecord], datetime, ClinicalSettings],
                        list[RiskDecision]]


@dataclass(frozen=True)
class RulePack:
    """One drug's clinical rules. See ``docs/rule-packs.md`` for what each field means.

    Patient-level (a check-in's symptoms, a device's findings are the patient's, not a dose's):
    ``triage_symptoms``, ``triage_findings``, ``assess``, ``respond``, ``may_be_a_risk``,
    ``marked_signs``. Dose-level (read against this drug's doses only): ``dose_pattern_risks``,
    ``checkin_risks``, with ``rules_read_on`` saying which evidence re-reads which risk and
    ``closed_by_a_dose`` which risks a dose taken ends. Words: ``templates`` (the message
    templates its decisions name), ``short_reasons`` and ``assessment_text`` (language -> code ->
    phrase, filling ``$reasons`` and ``$assessment``).
    """

    key: str
    drug: Drug
    document: Document
    rules: tuple[Rule, ...]
    triage_symptoms: TriageSymptoms
    triage_findings: TriageFindings
    assess: Assess
    respond: Respond
    may_be_a_risk: MayBeARisk
    marked_signs: MarkedSigns
    dose_pattern_risks: DosePatternRisks
    checkin_risks: CheckinRisks
    rules_read_on: Mapping[str, tuple[str, ...]]
    templates: frozenset[str]
    short_reasons: Mapping[str, Mapping[str, str]]
    assessment_text: Mapping[str, Mapping[Verdict, str]]
    closed_by_a_dose: tuple[str, ...] = ()
    # Alert kinds whose later evidence joins the one open alert rather than opening another.
    joined_kinds: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.key or self.key != normalise_name(self.key):
            raise ValueError(f"pack key {self.key!r} must be a normalised name")
        if not self.drug.rxnorm and not self.drug.names:
            raise ValueError(f"pack {self.key!r} names no drug")
        if any(n != normalise_name(n) for n in self.drug.names):
            raise ValueError(f"pack {self.key!r}: drug names must be normalised (lower case, single spaces)")
        ids = [r.id for r in self.rules]
        if not ids or len(ids) != len(set(ids)):
            raise ValueError(f"pack {self.key!r}: rules must be listed, each id once")
        unsourced = [r.id for r in self.rules if not r.sources or not all(s.quote.strip() for s in r.sources)]
        if unsourced:
            raise ValueError(f"pack {self.key!r}: rules without a quoted source: {', '.join(unsourced)}")
        if "en" not in self.short_reasons or "en" not in self.assessment_text:
            raise ValueError(f"pack {self.key!r}: English words are the fallback and must be given")
        unknown = set(self.rules_read_on) - set(TRIGGERS)
        if unknown:
            raise ValueError(f"pack {self.key!r}: rules_read_on names unknown evidence {sorted(unknown)}")

    def reasons(self, codes: Sequence[str], lang: str | None, facts: Mapping[str, str] | None = None) -> str:
        """The ``$reasons`` of this pack's alert in ``lang`` (English fallback)."""
        return short_reasons(codes, lang, facts, self.short_reasons)

    def verdict_text(self, verdict: Verdict, lang: str | None) -> str:
        """The ``$assessment`` of this pack's alert in ``lang`` (English fallback)."""
        return assessment_text(verdict, lang, self.assessment_text)

    def matches(self, name: str | None, rxnorm_code: str | None) -> bool:
        """Whether a medication with this name and RxNorm code is this pack's drug: its ingredient
        code, or its name. Either is enough: an app may store a product's code (a tablet strength has
        its own RXCUI), and a baclofen tablet must not lose its red flags for that."""
        if rxnorm_code and rxnorm_code.strip() in self.drug.rxnorm:
            return True
        return name is not None and normalise_name(name) in self.drug.names

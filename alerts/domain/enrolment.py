"""What an administrator adds: a patient, a caregiver, a dose schedule, a medication, an API token.

Plain values, as ``alerts.services.admin`` takes them: the API, the console and the CLI each check
their own input (``schemas.admin``) and hand these over, so the service knows nothing of a wire
format. ``None`` means "not given": the service fills in the configured default or the rule's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class NewPatient:
    name: str
    timezone: str  # IANA zone name
    phone: str | None  # E.164; None if the patient cannot use a phone
    language: str
    renal_impairment: bool
    intrathecal_pump: bool
    escalation_minutes: int | None  # None: DEFAULT_ESCALATION_MINUTES
    escalation_policy: list[dict[str, Any]] | None  # steps as data (alerts.domain.escalation)
    clinical_settings: dict[str, int | float] | None  # a clinician's overrides, by ClinicalSettings name
    checkin_prompt_time: str | None  # local HH:MM of the daily check-in text; None: no prompt


@dataclass(frozen=True)
class NewCaregiver:
    name: str
    phone: str  # E.164
    position: int | None  # place in the escalation list; None: after the last
    language: str
    quiet_hours: tuple[str, str] | None  # local ("HH:MM", "HH:MM") routine texts wait out; None: none
    timezone: str | None  # IANA zone of the quiet hours; None: the patient's


@dataclass(frozen=True)
class NewSchedule:
    times: list[str]  # local wall-clock HH:MM
    dose_mg: Decimal
    grace_minutes: int | None  # None: DEFAULT_GRACE_MINUTES
    starts_on: date | None  # None: today
    medication_id: int | None  # None: the patient's baclofen
    units_per_dose: Decimal | None = None  # None: the medication's (its supply)


@dataclass(frozen=True)
class NewMedication:
    name: str
    strength: str | None  # as the label says it
    route: str  # "oral" or "intrathecal"
    rxnorm_code: str | None


@dataclass(frozen=True)
class NewToken:
    name: str
    role: str  # "client", "admin", "device" or "clinician"
    patient_ids: list[int]
    caregiver_id: int | None

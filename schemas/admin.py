"""Admin: patients, caregivers, dose schedules and API tokens."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, PlainSerializer, model_validator

from alerts.domain.clinical.history import ClinicalSettings, validate_overrides
from alerts.domain.enrolment import NewCaregiver, NewMedication, NewPatient, NewSchedule, NewToken
from alerts.domain.escalation import MAX_POSITION, parse_steps
from alerts.domain.quiet_hours import check_quiet_hours
from alerts.domain.schedule import parse_times
from schemas.common import (
    NO_NUL,
    Day,
    DoseMg,
    DoseMgOut,
    InputModel,
    Language,
    OutputModel,
    Phone,
    RowId,
    TimeZoneName,
)

Name = Annotated[str, Field(min_length=1, max_length=120, pattern=NO_NUL)]  # PostgreSQL text cannot hold NUL
EscalationMinutes = Annotated[int, Field(ge=1, le=240, description="Minutes between escalation steps.")]


def _check_policy(value: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The same validation the alert code applies when it reads the policy back.
    parse_steps(value)
    return value


EscalationPolicy = Annotated[
    list[dict[str, Any]],
    Field(description='Escalation steps as data: [{"target": "patient"|"caregiver"|"all_caregivers"|"everyone", '
                      '"after_minutes": 0-1440, "position": n (caregiver steps only)}]. Null: the default '
                      "policy (patient, then each caregiver in order, then everyone).",
          examples=[[{"target": "patient", "after_minutes": 0}, {"target": "caregiver", "position": 1,
                                                                 "after_minutes": 15}]]),
    AfterValidator(_check_policy),
]


ClinicalOverrides = Annotated[
    dict[str, int | float],
    Field(description="A clinician's overrides of the clinical rules' thresholds for this patient, by name: "
                      + ", ".join(f.name for f in dataclasses.fields(ClinicalSettings))
                      + ". Null: the server's defaults.",
          examples=[{"no_dose_window_hours": 12, "consecutive_missed_threshold": 2}]),
    AfterValidator(validate_overrides),
]


def _check_times(value: list[str]) -> list[str]:
    return [t.strftime("%H:%M") for t in parse_times(value)]


def _check_time(value: str) -> str:
    return _check_times([value])[0]


PromptTime = Annotated[
    str,
    Field(description='When the patient gets the daily check-in text ("How are your twitches today, 0-10?"): '
                      "local wall-clock time HH:MM in the patient's zone. Null: no daily prompt.",
          examples=["19:00"]),
    AfterValidator(_check_time),
]


DoseTimes = Annotated[
    list[str],
    Field(min_length=1, max_length=24, description="Local wall-clock dose times, HH:MM (24-hour).",
          examples=[["08:00", "14:00", "20:00"]]),
    AfterValidator(_check_times),
]


class PatientIn(InputModel):
    name: Name
    timezone: TimeZoneName
    phone: Phone | None = Field(None, description="E.164; null if the patient cannot use a phone.")
    language: Language = "en"
    renal_impairment: bool = Field(False, description="Raises toxicity risk (the drug is cleared by the kidneys).")
    intrathecal_pump: bool = Field(False, description="Raises withdrawal risk.")
    escalation_minutes: EscalationMinutes | None = Field(None, description="Default: server configuration.")
    escalation_policy: EscalationPolicy | None = None
    clinical_settings: ClinicalOverrides | None = None
    checkin_prompt_time: PromptTime | None = None

    def to_domain(self) -> NewPatient:
        return NewPatient(**self.model_dump())


class PatientPatch(InputModel):
    """Fields to change; omitted fields are left alone. A new time zone re-plans pending doses."""

    name: Name | None = None
    timezone: TimeZoneName | None = None
    phone: Phone | None = None
    language: Language | None = None
    renal_impairment: bool | None = None
    intrathecal_pump: bool | None = None
    escalation_minutes: EscalationMinutes | None = None
    escalation_policy: EscalationPolicy | None = None
    clinical_settings: ClinicalOverrides | None = None
    checkin_prompt_time: PromptTime | None = None

    # Fields that may be set to null (cleared); the others must carry a value when given.
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"phone", "escalation_policy", "clinical_settings",
                                                    "checkin_prompt_time"})

    @model_validator(mode="after")
    def _no_null_for_required(self) -> PatientPatch:
        bad = sorted(k for k in self.model_fields_set if getattr(self, k) is None and k not in self.NULLABLE)
        if bad:
            raise ValueError(f"{', '.join(bad)} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values."""
        return {name: getattr(self, name) for name in self.model_fields_set}


def _check_quiet_time(value: str) -> str:
    try:
        return _check_time(value)
    except ValueError:
        raise ValueError("not a time HH:MM (24-hour), e.g. 22:00") from None


QuietTime = Annotated[
    str,
    Field(description="Quiet hours: local wall-clock HH:MM in the caregiver's timezone (the patient's if they "
                      "have none). Between quiet_start and "
                      "quiet_end (across midnight if the end is earlier) routine texts to this caregiver "
                      "(missed-dose escalation, its all-clear, pump refill reminders) wait until quiet_end; "
                      "emergencies and urgent alerts never wait. Both or neither; null: no quiet hours.",
          examples=["22:00"]),
    AfterValidator(_check_quiet_time),
]


CaregiverZone = Annotated[
    TimeZoneName,
    Field(description="The caregiver's own IANA time zone, in which their quiet hours are read, so a "
                      "caregiver who lives elsewhere keeps their night when the patient travels and the "
                      "patient's zone changes. Null: the patient's zone.",
          examples=["America/Los_Angeles"]),
]


class CaregiverIn(InputModel):
    name: Name
    phone: Phone
    position: int | None = Field(None, ge=1, le=MAX_POSITION,
                                 description="Place in the escalation list (1 is called first). "
                                             "Default: after the last caregiver.")
    language: Language = "en"
    timezone: CaregiverZone | None = None
    quiet_start: QuietTime | None = None
    quiet_end: QuietTime | None = None

    @model_validator(mode="after")
    def _quiet_pair(self) -> CaregiverIn:
        check_quiet_hours(self.quiet_start, self.quiet_end)
        return self

    def to_domain(self) -> NewCaregiver:
        return NewCaregiver(name=self.name, phone=self.phone, position=self.position, language=self.language,
                            quiet_hours=check_quiet_hours(self.quiet_start, self.quiet_end), timezone=self.timezone)


class CaregiverPatch(InputModel):
    """A caregiver's settings to change; omitted fields are left alone. Quiet hours change as a pair
    (both null: none); a null timezone is the patient's zone. Texts already queued keep the hold they
    were given."""

    language: Language | None = None
    timezone: CaregiverZone | None = None
    quiet_start: QuietTime | None = None
    quiet_end: QuietTime | None = None

    @model_validator(mode="after")
    def _checked(self) -> CaregiverPatch:
        sent = self.model_fields_set
        if not sent:
            raise ValueError("give at least one of language, timezone, quiet_start and quiet_end")
        if "language" in sent and self.language is None:
            raise ValueError("language cannot be null")
        if ("quiet_start" in sent) != ("quiet_end" in sent):
            raise ValueError("quiet_start and quiet_end change together: send both (both null for none)")
        check_quiet_hours(self.quiet_start, self.quiet_end)
        return self

    def quiet_hours(self, *, kept: tuple[str | None, str | None]) -> tuple[str, str] | None:
        """The quiet hours after this patch: the ones sent, else ``kept`` (the caregiver's now)."""
        if "quiet_start" in self.model_fields_set:
            return check_quiet_hours(self.quiet_start, self.quiet_end)
        return check_quiet_hours(*kept)

    def timezone_after(self, *, kept: str | None) -> str | None:
        """The caregiver's zone after this patch: the one sent (null: the patient's), else ``kept``."""
        return self.timezone if "timezone" in self.model_fields_set else kept


ScheduleUnits = Annotated[Decimal, Field(gt=0, le=1000, max_digits=8, decimal_places=2, examples=[2])]


class ScheduleIn(InputModel):
    times: DoseTimes
    dose_mg: DoseMg
    grace_minutes: int | None = Field(None, ge=0, le=720,
                                      description="Minutes after a dose time before it counts as missed. "
                                                  "Default: server configuration.")
    starts_on: Day | None = Field(None, description="First local day of the schedule (default: today).")
    medication_id: RowId | None = Field(None, description="The patient's medication this schedule is for "
                                                              "(default: the patient's baclofen).")
    units_per_dose: ScheduleUnits | None = Field(
        None, description="Units (tablets) one dose of this schedule takes off the medication's supply. "
                          "Default: the medication's units_per_dose.")

    def to_domain(self) -> NewSchedule:
        return NewSchedule(**self.model_dump())


class ScheduleEditIn(InputModel):
    """Change a schedule from its next dose on (omitted fields are kept). Doses already due keep
    their times, and the day the change is made gets no dose twice and loses none: if the new
    times cannot start today without that, they start tomorrow. The answer is the new version."""

    times: DoseTimes | None = None
    dose_mg: DoseMg | None = None
    grace_minutes: int | None = Field(None, ge=0, le=720,
                                      description="Minutes after a dose time before it counts as missed.")
    units_per_dose: ScheduleUnits | None = Field(None, description="Units one dose takes off the supply.")

    @model_validator(mode="after")
    def _something(self) -> ScheduleEditIn:
        if not self.model_fields_set or any(getattr(self, k) is None for k in self.model_fields_set):
            raise ValueError("give at least one of times, dose_mg, grace_minutes, units_per_dose, none of them null")
        return self


Strength = Annotated[str, Field(min_length=1, max_length=60, pattern=NO_NUL)]
RxNormCode = Annotated[str, Field(pattern=r"^[0-9]{1,16}$")]
MedicationRoute = Literal["oral", "intrathecal"]


class MedicationIn(InputModel):
    """A medicine the patient takes. Only baclofen has clinical rules; any other gets reminders and
    missed-dose escalation, never a withdrawal or toxicity warning."""

    name: Name = Field(examples=["baclofen", "levetiracetam"])
    strength: Strength | None = Field(None, description="As the label says it, e.g. '10 mg tablet'.")
    route: MedicationRoute = "oral"
    rxnorm_code: RxNormCode | None = Field(None, description="RxNorm concept id (RXCUI), digits only.")

    def to_domain(self) -> NewMedication:
        return NewMedication(**self.model_dump())


class MedicationPatch(InputModel):
    """Correct what a medication is (omitted fields are kept; ``strength`` and ``rxnorm_code`` may be
    null to clear them). Its schedules, doses and supply stay as they are. Which clinical rules read
    it follows the new name and code from then on: the next dose, check-in or reply is read by the
    pack that applies now (``clinical_rules`` in the answer)."""

    name: Name | None = Field(None, examples=["baclofen"])
    strength: Strength | None = Field(None, description="As the label says it, e.g. '10 mg tablet'.")
    route: MedicationRoute | None = None
    rxnorm_code: RxNormCode | None = Field(None, description="RxNorm concept id (RXCUI), digits only.")

    @model_validator(mode="after")
    def _something(self) -> MedicationPatch:
        if not self.model_fields_set:
            raise ValueError("give at least one of name, strength, route, rxnorm_code")
        for field in ("name", "route"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class MedicationStopIn(InputModel):
    """Record that the prescriber stopped this medication. Its schedules end from the next dose (doses
    already taken or missed stay as they are); it is no longer reminded, escalated or offered as
    due in replies. No message tells the patient or a caregiver about it: stopping is the
    prescriber's decision, recorded here. Baclofen must never be stopped abruptly, so for a
    medication read by the baclofen rules ``confirm_prescriber_ordered`` must be true."""

    confirm_prescriber_ordered: bool = Field(
        False, description="The prescriber ordered this stop (required true for baclofen).")


Units = Annotated[Decimal, Field(ge=0, le=100000, max_digits=8, decimal_places=2,
                                 description="Pills, tablets or other units, as the label counts them.",
                                 examples=[60])]
UnitsOut = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class SupplyIn(InputModel):
    """A refill, a recount or the next refill day (omitted fields are kept). ``on_hand`` is the
    count now: each dose recorded for this medication afterwards takes ``units_per_dose`` off it;
    null stops counting. When what is on hand lasts fewer days than the server's low-supply
    threshold, the patient and the first caregiver get one reminder (again only after a refill)."""

    on_hand: Units | None = None
    units_per_dose: Annotated[Decimal, Field(gt=0, le=1000, max_digits=8, decimal_places=2)] | None = Field(
        None, description="Units one dose takes (default 1).")
    refill_date: Day | None = Field(
        None, description="The next refill day, local to the patient; null: none known. A count that lasts to it "
                          "is not reminded about; one that runs out before it is, naming both days; once it has "
                          "passed with no count recorded on or after it, the patient and first caregiver are asked.")

    @model_validator(mode="after")
    def _something(self) -> SupplyIn:
        if not self.model_fields_set:
            raise ValueError("give at least one of on_hand, units_per_dose, refill_date")
        if "units_per_dose" in self.model_fields_set and self.units_per_dose is None:
            raise ValueError("units_per_dose cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class ScheduleMedicationIn(InputModel):
    """Move a schedule to another of the patient's medications, from its next dose on."""

    medication_id: RowId


class TokenIn(InputModel):
    name: Name
    role: Literal["client", "admin", "device", "clinician"] = Field(
        "client", description="client: an app, for its patients; device: a wearable, pill bottle or pump, for "
                              "exactly one patient and only the device routes; clinician: reads its patients' "
                              "records as FHIR (read only); admin: everything.")
    patient_ids: list[RowId] = Field(
        default_factory=list, max_length=1000,
        description="Patients a client token may post for (required for client tokens; exactly one for device tokens).")
    caregiver_id: RowId | None = Field(
        None, description="Issue the token to this caregiver (their app): a client token for their patient "
                                "that acknowledges alerts as them. Only a caregiver's token acknowledges.")

    def to_domain(self) -> NewToken:
        return NewToken(**self.model_dump())


class CaregiverOut(OutputModel):
    id: int
    patient_id: int
    name: str
    phone: str
    position: int
    language: str
    timezone: str | None = Field(None, description="The caregiver's own IANA zone, in which their quiet hours "
                                                   "are read; null: the patient's zone.")
    quiet_start: str | None = Field(None, description="Start of quiet hours (local HH:MM); null: none.")
    quiet_end: str | None = Field(None, description="End of quiet hours (local HH:MM); null: none.")
    created_at: datetime


class ScheduleOut(OutputModel):
    id: int
    patient_id: int
    times: list[str]
    dose_mg: DoseMgOut
    grace_minutes: int
    active: bool
    starts_on: date | None
    created_at: datetime
    medication_id: int | None = Field(None, description="Null: a schedule from before medications; baclofen.")
    units_per_dose: Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")] | None = Field(
        None, description="Units one dose takes off the supply; null: the medication's.")
    next_dose_at: datetime | None = Field(None, description="When the next pending dose is due (UTC).")
    replaces_id: int | None = Field(None, description="The version this one replaced (a schedule change).")
    effective_from: datetime | None = Field(None, description="Due time of this version's first dose (UTC); "
                                                              "null: from its creation.")
    ended_at: datetime | None = Field(None, description="When this version was replaced (UTC).")


class SupplyOut(OutputModel):
    on_hand: UnitsOut | None = Field(None, description="Units on hand now; null: not counted (nothing is "
                                                        "taken down, no low-supply reminder).")
    units_per_dose: UnitsOut = Decimal(1)
    counted_at: datetime | None = Field(None, description="When the count was last set (a refill or recount).")
    refill_date: date | None = None
    units_per_day: UnitsOut | None = Field(None, description="What the active schedules use a day.")
    days_left: int | None = Field(None, description="Whole days the count lasts at that rate (null: not counted, "
                                                    "or no active schedule).")
    runs_out_on: date | None = Field(None, description="The local day the count is used up at that rate.")
    low: bool = Field(False, description="Someone should see to a refill (one reminder per low episode); why: "
                                         "``low_reason``.")
    low_reason: Literal["out", "refill_overdue", "before_refill", "low"] | None = Field(
        None, description="out: none left; refill_overdue: the refill day passed with no count recorded since; "
                          "before_refill: fewer days left than the low-supply threshold, running out before the "
                          "refill day; low: fewer days left than the threshold, no refill day ahead. A count that "
                          "lasts to the refill day is not low. Null: not low.")
    low_since: datetime | None = Field(None, description="When the current low episode began (its reminder).")


class MedicationOut(OutputModel):
    id: int
    patient_id: int
    name: str
    strength: str | None
    route: str
    rxnorm_code: str | None
    active: bool
    created_at: datetime
    clinical_rules: bool = Field(False, description="Whether the clinical rules (withdrawal, toxicity, red "
                                                    "flags) read this medication's doses; else adherence only.")
    supply: SupplyOut = Field(default_factory=SupplyOut)


class MedicationList(OutputModel):
    medications: list[MedicationOut]


class PatientOut(OutputModel):
    id: int
    name: str
    timezone: str
    phone: str | None
    language: str
    renal_impairment: bool
    intrathecal_pump: bool
    escalation_minutes: int
    escalation_policy: list[dict[str, Any]] | None
    clinical_settings: dict[str, int | float] | None
    checkin_prompt_time: str | None
    checkin_prompt_at: datetime | None = Field(None, description="When the next daily check-in text goes (UTC).")
    created_at: datetime


class PatientDetailOut(PatientOut):
    caregivers: list[CaregiverOut]
    schedules: list[ScheduleOut]


class PatientList(OutputModel):
    patients: list[PatientOut]


class TokenOut(OutputModel):
    id: int
    name: str
    role: str
    patient_ids: list[int]
    caregiver_id: int | None = None
    created_at: datetime
    token: str = Field(description="The bearer secret. Shown once: only its hash is stored.")

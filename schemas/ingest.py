"""Ingest: what apps and devices post (doses taken, symptom check-ins) and what they get back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, ValidationInfo, field_validator, model_validator

from alerts.domain.symptoms import SEVERITY_MAX, SEVERITY_MIN, SYMPTOMS
from schemas.common import NO_NUL, DoseMg, DoseMgOut, InputModel, OutputModel, RowId

Source = Literal["app", "device", "pill_bottle", "sms", "web", "caregiver"]

# Reports older than this are refused. The late-dose window is 12 hours and missed-dose alerts are
# about today's doses, so a week-old "taken" can no longer close anything; it is nearly always a
# device whose clock is wrong or a backlog replayed by mistake, and storing it would muddle the
# dose history clinicians read.
MAX_EVENT_AGE = timedelta(days=7)

EventId = Annotated[str, Field(min_length=1, max_length=128, pattern=NO_NUL,
                               description="Client's unique id for this event; a replay with the same id "
                                           "returns the original and stores nothing.")]
Note = Annotated[str, Field(max_length=1000, pattern=NO_NUL)]  # PostgreSQL text cannot hold NUL
Severity = Annotated[int, Field(ge=SEVERITY_MIN, le=SEVERITY_MAX)]


def check_instant(value: datetime, info: ValidationInfo) -> datetime:
    """Refuse an instant in the future (beyond clock skew) or older than :data:`MAX_EVENT_AGE`.

    Needs ``now`` and ``max_future_skew`` in the validation context (the route passes them);
    without a context (building a model in code) only the type is checked.
    """
    context: dict[str, Any] = info.context or {}
    now: datetime | None = context.get("now")
    if now is None:
        return value
    skew: timedelta = context.get("max_future_skew", timedelta(minutes=5))
    if value > now + skew:
        raise ValueError(f"is {_ago(value - now)} in the future (server time {now.isoformat()}); "
                         f"more than {int(skew.total_seconds())} s ahead means the device clock is wrong")
    if value < now - MAX_EVENT_AGE:
        raise ValueError(f"is {_ago(now - value)} old; reports older than {MAX_EVENT_AGE.days} days are not "
                         "accepted because no alert about them can still help (check the device clock)")
    return value


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 3600:
        return f"{seconds} s"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


class MedicationRef(InputModel):
    """Which of the patient's medicines: exactly one of its id, its name or its RxNorm code."""

    id: RowId | None = None
    name: Annotated[str, Field(min_length=1, max_length=120, pattern=NO_NUL)] | None = Field(
        None, description="The name as the patient's medication list has it (case and spacing ignored).")
    rxnorm_code: Annotated[str, Field(pattern=r"^[0-9]{1,16}$")] | None = Field(
        None, description="RxNorm concept id (RXCUI) the medication was added with.")

    @model_validator(mode="after")
    def _exactly_one(self) -> MedicationRef:
        given = [k for k in ("id", "name", "rxnorm_code") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of id, name or rxnorm_code")
        return self


MedicationBasis = Literal["given", "only", "nearest_due", "unknown"]


class DoseEventIn(InputModel):
    """A dose of one of the patient's medicines was taken."""

    taken_at: AwareDatetime = Field(description="When the dose was taken, with a UTC offset.",
                                    examples=["2026-06-15T12:05:00Z"])
    medication: MedicationRef | None = Field(
        None, description="The medicine taken. Omitted: the patient's only medicine; with several, the "
                          "medicine of the due dose nearest in time (the answer's medication_basis says so).",
        examples=[{"name": "baclofen"}])
    source: Source = "app"
    dose_mg: DoseMg | None = None
    event_id: EventId | None = None
    note: Note | None = None

    _taken_at_plausible = field_validator("taken_at")(check_instant)


SupplyProblem = Literal["ran_out", "no_refill"]


class CheckInIn(InputModel):
    """How the patient feels: severity 0 (absent) to 10 (worst) for one or more symptoms, and/or a
    supply problem (ran out of baclofen, cannot get a refill)."""

    recorded_at: AwareDatetime = Field(description="When the patient felt this, with a UTC offset.",
                                       examples=["2026-06-15T12:05:00Z"])
    supply_problem: SupplyProblem | None = Field(
        None, description="The patient ran out of baclofen (ran_out) or cannot get a refill (no_refill): "
                          "caregivers are warned of withdrawal risk at once.")
    symptoms: dict[str, Severity] = Field(
        default_factory=dict, validate_default=True,
        description="Symptom key -> severity 0-10. Keys: " + ", ".join(SYMPTOMS) + ". "
                    "Required unless supply_problem is given.",
        examples=[{"tremor": 3, "drowsiness": 1}],
        json_schema_extra={"propertyNames": {"enum": list(SYMPTOMS)}},
    )
    source: Source = "app"
    event_id: EventId | None = None
    note: Note | None = None

    _recorded_at_plausible = field_validator("recorded_at")(check_instant)

    @field_validator("symptoms")
    @classmethod
    def _known_symptoms(cls, value: dict[str, int], info: ValidationInfo) -> dict[str, int]:
        if not value and info.data.get("supply_problem") is None:
            raise ValueError("a check-in needs at least one symptom (or a supply_problem)")
        unknown = sorted(k for k in value if k not in SYMPTOMS)
        if unknown:
            raise ValueError(f"unknown symptom {', '.join(map(repr, unknown))}; valid symptoms are: "
                             + ", ".join(SYMPTOMS))
        return value


class ScheduledDoseOut(OutputModel):
    """The scheduled dose a report was matched to."""

    id: int
    due_at: datetime
    local_date: date
    local_time: str
    status: str


class DoseEventOut(OutputModel):
    id: int
    patient_id: int
    taken_at: datetime
    source: str
    dose_mg: DoseMgOut | None
    note: str | None
    event_id: str | None = Field(description="The idempotency key the event was stored under.")
    received_at: datetime
    matched_dose: ScheduledDoseOut | None = Field(
        description="The scheduled dose this report satisfied, or null for an unscheduled dose.")
    medication_id: int | None = Field(None, description="The medicine the dose was recorded as (null: the "
                                                        "patient takes several, none was due and none was named).")
    medication_name: str | None = None
    medication_basis: MedicationBasis | None = Field(
        None, description="How the medicine was decided: given (the report "
                          "named it), only (the patient's only medicine), nearest_due (several medicines, none "
                          "named: the due dose nearest in time decided), unknown (several, none due or named); null for doses recorded before medications were data.")


class CheckInOut(OutputModel):
    id: int
    patient_id: int
    recorded_at: datetime
    symptoms: dict[str, int]
    supply_problem: SupplyProblem | None
    source: str
    note: str | None
    event_id: str | None
    received_at: datetime
    alert_id: int | None = Field(None, description="The alert this check-in raised or joined (or found already "
                                                   "open for its signs), if any: who was told is on the alert.")


AlertStatus = Literal["open", "acknowledged", "resolved"]


class AlertOut(OutputModel):
    id: int
    patient_id: int
    kind: str
    status: str
    code: str = Field(description="Short code a caregiver can text back to acknowledge.")
    opened_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    next_step: int
    next_step_at: datetime | None
    details: dict[str, Any]


class AcknowledgeIn(InputModel):
    """A caregiver has seen the alert and is on it (from the app or web page)."""

    # Optional: the token says who acknowledges. When sent it must be the token's own caregiver.
    caregiver_id: RowId | None = None

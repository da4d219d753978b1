"""Query strings of the FHIR export routes (``$everything``, ``$export``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from alerts.fhir.resources import TYPES


def _types(value: str | None) -> tuple[str, ...]:
    if value is None or not value.strip():
        return TYPES
    wanted = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in TYPES]
    if unknown:
        raise ValueError(f"dosewatch exports {', '.join(TYPES)}; not {', '.join(unknown)}")
    return tuple(t for t in TYPES if t in wanted)  # in reference order, whatever order was asked


class _Query(BaseModel):
    # Query strings are text: lax mode reads "2026-06-01T00:00:00Z" as a datetime. Unknown
    # parameters are refused (a misspelt ``_sinse`` would otherwise export everything).
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    since: AwareDatetime | None = Field(None, alias="_since",
                                        description="Only what dosewatch recorded at or after this instant.")
    type_: str | None = Field(None, alias="_type", description="Comma-separated resource types (default: all).")

    @field_validator("type_")
    @classmethod
    def _known_types(cls, value: str | None) -> str | None:
        _types(value)
        return value

    @property
    def types(self) -> tuple[str, ...]:
        return _types(self.type_)


class EverythingQuery(_Query):
    start: AwareDatetime | date | None = Field(None, description="Only what happened at or after this (a date: "
                                                                 "from its start, UTC).")
    end: AwareDatetime | date | None = Field(None, description="Only what happened up to this (a date: to its "
                                                               "end, UTC).")
    bundle: str = Field("searchset", description="searchset (default), or transaction: the same resources as a "
                                                 "transaction Bundle to POST to another FHIR server.")

    @field_validator("bundle")
    @classmethod
    def _bundle_kind(cls, value: str) -> str:
        if value not in ("searchset", "transaction"):
            raise ValueError("bundle is searchset or transaction")
        return value

    @property
    def start_at(self) -> datetime | None:
        return _instant(self.start, end=False)

    @property
    def end_at(self) -> datetime | None:
        return _instant(self.end, end=True)


class ExportQuery(_Query):
    output_format: str | None = Field(None, alias="_outputFormat")

    @field_validator("output_format")
    @classmethod
    def _ndjson(cls, value: str | None) -> str | None:
        if value is not None and value not in ("application/fhir+ndjson", "application/ndjson", "ndjson"):
            raise ValueError("dosewatch writes NDJSON only (application/fhir+ndjson)")
        return value


def _instant(value: datetime | date | None, *, end: bool) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    day = datetime.combine(value, time(0), tzinfo=UTC)
    return day + timedelta(days=1) - timedelta(microseconds=1) if end else day

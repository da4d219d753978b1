"""RFC 9457 problem details, as the API returns them (``alerts.api.problems`` writes them)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProblemError(BaseModel):
    loc: str = Field(description="Where: a dotted field path (``symptoms.tremor``), or a header name.")
    msg: str
    type: str = Field(description="Machine-readable error type (pydantic's), e.g. ``extra_forbidden``.")


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemError] | None = Field(None, description="One entry per invalid field (422).")

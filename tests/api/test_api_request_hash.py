"""The idempotency hash of a body: its bytes are stored with each recorded event and compared on every
replay, so a key stored by any earlier release must still match the same body. Digests pinned from
the code as it was when the hash's encoder was made once per process instead of once per call."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from alerts.api.ingest import request_hash
from schemas.ingest import CheckInIn, DoseEventIn


@pytest.mark.parametrize(("model", "body", "digest"), [
    (CheckInIn, {"symptoms": {"tremor": 3, "spasms": 2}, "source": "app", "recorded_at": "2026-06-15T12:05:00+02:00"},
     "e1b95abd49b8fd23b0b64701b4f8764264e1bb420bffb650045050ba71996460"),
    # Non-ASCII and quotes in the note: the canonical JSON escapes them (ensure_ascii), as it always did.
    (CheckInIn, {"recorded_at": "2026-06-15T12:05:00.250Z", "supply_problem": "ran_out",
                 "note": "mareada, náuseas \u2014 \"peor\"", "event_id": "ev-1"},
     "c149846ad0e00f11c3feebb9090075f7f7fc65497ec2adc28ce2cf82fe4a4893"),
    (DoseEventIn, {"taken_at": "2026-06-15T08:01:00Z", "dose_mg": 10, "medication": {"name": "baclofen"}},
     "2c7b37e4b46282059840be2ffb1be156ff65f3b01b288716f7f78d2855422353"),
])
def test_a_bodys_idempotency_hash_is_the_one_stored_keys_were_made_with(
        model: type[BaseModel], body: dict[str, object], digest: str) -> None:
    parsed = model.model_validate_json(json.dumps(body))
    assert request_hash(parsed) == digest
    # ...however the keys were ordered or spaced on the wire.
    assert request_hash(model.model_validate_json(json.dumps(dict(reversed(body.items())), indent=2))) == digest

"""The paging behaviours again on PostgreSQL (timestamptz keys, production's database)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.api.test_api_history import (  # noqa: F401  (collected here again, on PostgreSQL)
    test_alerts_are_paged_and_filtered_by_status_as_before,
    test_checkins_come_newest_first_in_pages_that_cover_every_row_once,
    test_readings_and_device_events_are_read_back,
    test_rows_at_the_same_instant_are_ordered_by_id_and_never_split_wrongly,
    test_rows_written_between_pages_never_repeat_or_hide_a_row,
    test_since_and_until_bound_the_listing,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    return pg_app

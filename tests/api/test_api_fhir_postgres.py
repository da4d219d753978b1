"""The FHIR export and medication events again on PostgreSQL: its server-side cursors (``yield_per``),
the export's REPEATABLE READ snapshot, and the same answers as on SQLite."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.api.test_api_fhir import (  # noqa: F401  (the tests re-run here)
    test_a_second_dose_too_soon_reads_the_toxicity_rules_as_any_dose,
    test_everything_is_a_bundle_of_valid_fhir_r4_resources,
    test_the_same_administration_sent_twice_is_one_dose,
    test_vitals_exported_and_posted_to_a_fresh_database_are_the_same_readings,
)
from tests.api.test_api_fhir_export import (  # noqa: F401
    test_a_job_runs_once_however_often_its_message_is_delivered,
    test_an_export_deleted_while_it_runs_stops_and_leaves_no_files,
    test_system_export_runs_in_the_background_and_ends_with_a_manifest_of_ndjson_files,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    return pg_app

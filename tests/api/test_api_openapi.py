"""GET /openapi.json: generated from ``schemas``, listing every route the app serves."""

from __future__ import annotations

import re

import pytest

from schemas.openapi import REF_TEMPLATE, ROUTES


@pytest.fixture
def document(client):  # type: ignore[no-untyped-def]
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.json


# Served, but not part of the JSON API this document describes: the care console's pages (HTML for
# browsers), the API reference page itself, the /fhir routes (described by FHIR's own operation
# definitions, answered as application/fhir+json; posting doses as FHIR, under /v1, is documented),
# and the monitors' /readyz and /metrics (a stalled service answers /readyz with 503 by design: it is
# a probe, not an API call).
OUTSIDE_THE_DOCUMENT = {"docs", "metrics"}
OUTSIDE_PATHS = {"/openapi.json", "/readyz"}


def _served_routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    served = set()
    for rule in app.url_map.iter_rules():
        if (rule.endpoint == "static" or rule.rule in OUTSIDE_PATHS or rule.rule.startswith("/fhir/")
                or rule.endpoint.split(".", 1)[0] in OUTSIDE_THE_DOCUMENT
                or rule.endpoint.startswith("console")):  # every console blueprint: console, console_auth, ...
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((method.lower(), path))
    return served


def test_every_route_is_in_the_document(app, document) -> None:
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops}

    assert _served_routes(app) == documented


def test_every_route_that_reads_the_database_documents_its_503_and_retry_after(document) -> None:
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if path == "/ping":
                assert "503" not in op["responses"]
                continue
            assert op["responses"]["503"]["headers"]["Retry-After"]["required"] is True, (method, path)


def test_path_ids_are_bounded_by_the_id_columns(document) -> None:
    from schemas.common import ID_MAX

    for path, ops in document["paths"].items():
        for op in ops.values():
            for param in op["parameters"]:
                if param["in"] == "path":
                    assert param["schema"] == {"type": "integer", "minimum": 1, "maximum": ID_MAX}, path
                    assert "404" in op["responses"], path


def test_request_schemas_in_the_document_are_the_pydantic_models(document) -> None:
    components = document["components"]["schemas"]
    for route in ROUTES:
        if route.request is None:
            continue
        op = document["paths"][route.path][route.method]
        assert op["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": REF_TEMPLATE.format(model=route.request.__name__)}
        expected = route.request.model_json_schema(ref_template=REF_TEMPLATE)
        # Nested models (a batch's items) are components of their own, referenced by name.
        for name, nested in expected.pop("$defs", {}).items():
            assert components[name] == nested
        assert components[route.request.__name__] == expected


def test_every_reference_resolves(document) -> None:
    text = str(document)
    refs = set(re.findall(r"#/components/schemas/(\w+)", text))

    assert refs <= set(document["components"]["schemas"])


def test_errors_are_documented_as_problem_json(document) -> None:
    op = document["paths"]["/v1/patients/{patient_id}/doses"]["post"]

    assert {"400", "401", "403", "404", "413", "415", "422"} <= set(op["responses"])
    assert set(op["responses"]["422"]["content"]) == {"application/problem+json"}
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in op["parameters"])
    assert op["security"] == [{"bearerAuth": []}]


def test_symptom_keys_are_listed_for_client_authors(document) -> None:
    from alerts.domain.symptoms import SYMPTOMS

    symptoms = document["components"]["schemas"]["CheckInIn"]["properties"]["symptoms"]
    assert symptoms["propertyNames"]["enum"] == list(SYMPTOMS)


INGEST_OPERATIONS = [
    # path, request schema, 201 response schema
    ("/v1/patients/{patient_id}/doses", "DoseEventIn", "DoseEventOut"),
    ("/v1/patients/{patient_id}/checkins", "CheckInIn", "CheckInOut"),
]


def test_document_is_openapi_3_1_with_the_ingest_endpoints_and_their_component_schemas(document) -> None:
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    components = document["components"]["schemas"]
    for path, request, response in INGEST_OPERATIONS:
        op = document["paths"][path]["post"]
        assert op["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": REF_TEMPLATE.format(model=request)}
        assert op["responses"]["201"]["content"]["application/json"]["schema"] == {
            "$ref": REF_TEMPLATE.format(model=response)}
        assert components[request]["type"] == "object"
        assert components[response]["type"] == "object"
    assert components["DoseEventIn"]["required"] == ["taken_at"]
    assert components["CheckInIn"]["properties"]["symptoms"]["additionalProperties"] == {
        "maximum": 10, "minimum": 0, "type": "integer"}


def test_a_caregivers_own_zone_is_documented_where_it_is_read_and_edited(document) -> None:  # type: ignore[no-untyped-def]
    schemas = document["components"]["schemas"]
    for name in ("CaregiverIn", "CaregiverPatch", "CaregiverOut"):
        assert "timezone" in schemas[name]["properties"], name
    assert "caregiver's own" in str(schemas["CaregiverIn"]["properties"]["timezone"])

"""HTTP: blueprints for health, ingest, wearables, FHIR, admin, Twilio webhooks and the OpenAPI document."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from alerts.api import (
        admin, docs, fhir, health, history, ingest, metrics, openapi, problems, twilio_webhooks, wearables,
    )

    problems.init_app(app)
    for module in (health, metrics, ingest, wearables, fhir, admin, twilio_webhooks, openapi, history, docs):
        app.register_blueprint(module.bp)

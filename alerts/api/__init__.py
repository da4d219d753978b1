"""HTTP: blueprints for health, ingest, wearables, admin, Twilio webhooks and the OpenAPI document."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from alerts.api import admin, health, ingest, metrics, openapi, problems, twilio_webhooks, wearables
    from alerts.api.deps import init_request_session

    init_request_session(app)
    problems.init_app(app)
    for module in (health, metrics, ingest, wearables, admin, twilio_webhooks, openapi):
        app.register_blueprint(module.bp)

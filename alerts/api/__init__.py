"""HTTP: blueprints for health, ingest, wearables, admin, Twilio webhooks and the OpenAPI document."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from alerts.api import admin, docs, health, history, ingest, openapi, problems, twilio_webhooks, wearables
    problems.init_app(app)
    for module in (health, ingest, wearables, admin, twilio_webhooks, openapi, history, docs):
        app.register_blueprint(module.bp)

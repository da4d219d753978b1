from __future__ import annotations

from flask import Blueprint

bp = Blueprint("twilio_webhooks", __name__)

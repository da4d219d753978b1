from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ingest", __name__)

"""``GET /openapi.json``: the API description, generated from ``schemas`` (no auth: it holds no data)."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response, json

from schemas.openapi import build_document

bp = Blueprint("openapi", __name__)


@cache
def _document_json() -> str:
    # The document depends only on code, so it is built once per process.
    return json.dumps(build_document())


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return Response(_document_json(), mimetype="application/json")

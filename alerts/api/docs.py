"""``GET /docs``: the API reference (Redoc, vendored in ``static/redoc``) rendering ``/openapi.json``.

No auth, like the document itself: it holds no data. Every asset is served from here; the page
names no other host.
"""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("docs", __name__, static_folder="static", static_url_path="/docs/static")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dosewatch API reference</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/docs/static/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


# Redoc's sidebar footer shows a logo image from cdn.redoc.ly (no option turns it off); the browser
# is told to load images, fonts and data from this server only, so the page makes no request
# elsewhere (the logo's onError hides it). Scripts and styles are not restricted: the bundle
# injects its styles inline and was not written for a strict policy.
POLICY = "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"


@bp.get("/docs")
def reference() -> Response:
    response = Response(PAGE, mimetype="text/html")
    response.headers["Content-Security-Policy"] = POLICY
    return response

"""GET /docs: the API reference page, served entirely from this server (no CDN)."""

from __future__ import annotations

import re


def _references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html)


def test_docs_serves_the_reference_page_for_the_openapi_document(client) -> None:
    response = client.get("/docs")

    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<redoc spec-url="/openapi.json"' in html
    assert "/docs/static/redoc/redoc.standalone.js" in _references(html)


def test_docs_references_only_assets_this_server_serves(client) -> None:
    html = client.get("/docs").get_data(as_text=True)
    refs = _references(html)

    assert refs and all(ref.startswith("/") and not ref.startswith("//") for ref in refs), refs
    assert not re.search(r"https?://", html)
    for ref in refs:
        asset = client.get(ref)
        assert asset.status_code == 200 and len(asset.data) > 0, ref


def test_the_vendored_bundle_ships_with_its_licence(client) -> None:
    licence = client.get("/docs/static/redoc/LICENSE").get_data(as_text=True)

    assert "MIT License" in licence and "Rebilly" in licence
    assert client.get("/docs/static/redoc/redoc.standalone.js").headers["Content-Type"].startswith(
        ("application/javascript", "text/javascript"))


def test_the_browser_may_load_images_fonts_and_data_only_from_this_server(client) -> None:
    # The bundle's footer logo points at cdn.redoc.ly; the policy keeps the page from fetching it.
    policy = client.get("/docs").headers["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives == {"img-src": "'self' data:", "font-src": "'self' data:", "connect-src": "'self'"}

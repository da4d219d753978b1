"""Wire models (pydantic v2): the one definition of what the HTTP API accepts and returns.

Routes validate request bodies with these models, the admin CLI validates its options with them,
and ``schemas.openapi`` builds ``GET /openapi.json`` from them, so the document cannot drift from
what the server enforces.
"""

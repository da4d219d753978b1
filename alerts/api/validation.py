"""Request parsing: a JSON body (or query string) into a pydantic model, or a problem response;
and its mirror, :func:`json_response`, rendering a response model.

- not JSON (``Content-Type``)  -> 415
- not parseable as JSON        -> 400
- body over MAX_CONTENT_LENGTH -> 413 (Werkzeug raises it while reading; ``problems`` renders it)
- wrong shape, type or value   -> 422 with ``errors``: one entry per field (path, message, type)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from flask import Request, Response, request
from pydantic import BaseModel, ValidationError

from alerts.api.problems import Problem

M = TypeVar("M", bound=BaseModel)

# Messages are cut to this length: a validator that quotes the offending value must not make us
# echo a 60 kB string back (or into logs).
_MAX_MSG = 300


def _loc(parts: Iterable[Any]) -> str:
    return ".".join(str(p) for p in parts) or "(body)"


def _msg(message: str) -> str:
    # pydantic prefixes the text of a ValueError raised in a validator; the field path already says where.
    message = message.removeprefix("Value error, ")
    return message if len(message) <= _MAX_MSG else message[: _MAX_MSG - 1] + "…"


def error_list(exc: ValidationError) -> list[dict[str, str]]:
    """pydantic's errors as ``{"loc", "msg", "type"}``, without the input values (no echo)."""
    return [{"loc": _loc(e["loc"]), "msg": _msg(e["msg"]), "type": e["type"]}
            for e in exc.errors(include_input=False, include_url=False, include_context=False)]


def invalid(errors: list[dict[str, str]], title: str = "Invalid request") -> Problem:
    summary = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return Problem(422, title, summary + more, errors=errors)


def parse_body(model: type[M], *, context: Mapping[str, Any] | None = None, current: Request | None = None) -> M:
    """Validate the request's JSON body as ``model``; raise :class:`Problem` (4xx) if it is not one.
    ``current``: the request already resolved from Flask's proxy, if the caller has it."""
    current = current or request
    if not current.is_json:
        raise Problem(415, "Unsupported Media Type",
                      f"Send the body as application/json (got {current.mimetype or 'no Content-Type'}).")
    raw = current.get_data(cache=True)  # raises RequestEntityTooLarge (413) past MAX_CONTENT_LENGTH
    try:
        return model.model_validate_json(raw, context=dict(context or {}))
    except ValidationError as exc:
        errors = error_list(exc)
        if any(e["type"] == "json_invalid" for e in errors):
            raise Problem(400, "Malformed JSON", errors[0]["msg"]) from None
        raise invalid(errors) from None


def parse_query(model: type[M]) -> M:
    """Validate the query string as ``model`` (422 with ``errors`` if it does not fit)."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise invalid(error_list(exc), "Invalid query") from None


def json_response(model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """``model`` as an ``application/json`` response (serialised by pydantic, as the OpenAPI doc says)."""
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    if headers:  # most answers add none: no empty update on every request
        response.headers.update(headers)
    return response

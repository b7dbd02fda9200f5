"""What a route reads by hand: the raw body of a signed call as a protocol model, and bounded
integer query parameters. Either refuses bad input as Invalid("invalid_request"), the same
answer FastAPI's own validation gives (`http_errors`)."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from wallet_sync.central.errors import Invalid

M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first: dict[str, Any] = dict(exc.errors()[0]) if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise Invalid("invalid_request", f"{where}: {first.get('msg', 'invalid')}") from exc


def int_param(request: Request, name: str, default: int, low: int, high: int, *,
              max_digits: int = 19) -> int:
    """`name` from the query string, `default` when absent. `max_digits` bounds how long the
    text may be (leading zeros count) before it is read as a number at all."""
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or len(text) > max_digits or not low <= int(text) <= high:
        raise Invalid("invalid_request", f"{name} must be an integer {low}..{high}")
    return int(text)

"""What a route reads beyond FastAPI's own parameters: the raw body of a signed call as a
protocol model (refused as Invalid("invalid_request"), the same answer FastAPI's validation
gives, `http_errors`; `signed_body` puts the model in the OpenAPI entry, since FastAPI never
sees that body), and the bounds every integer in a path or a query is declared with, so
a number no column can hold is a 422 before any query runs (and the OpenAPI document says
so)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Path
from pydantic import BaseModel, ValidationError

from wallet_sync.central.errors import Invalid

M = TypeVar("M", bound=BaseModel)
MAX_ID = 2**63 - 1  # a BIGINT primary key: nothing above it names a row

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


def signed_body(model: type[BaseModel]) -> dict[str, Any]:
    """A route's `openapi_extra=`: `model` as the JSON request body it reads by hand, with the
    model's own definitions inlined (they are not among the document's components)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": inline(schema)}}}}


def parse_body(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first: dict[str, Any] = dict(exc.errors()[0]) if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise Invalid("invalid_request", f"{where}: {first.get('msg', 'invalid')}") from exc

"""The edge where errors become HTTP answers, all in the protocol's JSON body
{"error", "message", ...} that the terminal client (`wallet_sync/client.py`) and the admin
client parse: ONE handler maps each kind of service refusal (`errors.Refusal`) to its status,
and the others give FastAPI's and Starlette's own failures (request validation, an unknown path
or method, a crash) that same shape; `body_limit` answers oversized bodies with it too."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from wallet_sync.central.errors import (
    Forbidden,
    Invalid,
    NotFound,
    Refusal,
    StateConflict,
    Unauthenticated,
)

STATUS: dict[type[Refusal], int] = {
    Invalid: 422,
    NotFound: 404,
    StateConflict: 409,
    Forbidden: 403,
    Unauthenticated: 401,
    Refusal: 400,  # a refusal that does not say which kind: nothing raises one today
}

REASONS = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}


def status_of(exc: Refusal) -> int:
    """The status of the nearest kind of refusal `exc` is."""
    return next(STATUS[kind] for kind in type(exc).__mro__ if kind in STATUS)


def error_response(status: int, error: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(Refusal)
    async def refused(_: Request, exc: Refusal) -> JSONResponse:
        return error_response(status_of(exc), exc.reason, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "invalid_request",
                              f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        reason = REASONS.get(exc.status_code, "http_error")
        return error_response(exc.status_code, reason, str(exc.detail))

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, "internal_error", type(exc).__name__)

"""The edge where errors become HTTP answers, all in the protocol's JSON body
{"error", "message", ...} that the terminal client (`wallet_sync/client.py`) and the admin
client parse: ONE handler maps each kind of service refusal (`errors.Refusal`) to its status,
and the others give FastAPI's and Starlette's own failures (request validation, an unknown path
or method, a crash) that same shape; `body_limit` answers oversized bodies with it too.

The same table documents the answers: a route declares the kinds of refusal it may raise
(`responses=refusals(Invalid, NotFound, ...)`) and its OpenAPI entry lists their statuses with
this body, beside what any route may answer (413, and 422 where it takes input). A 405 names
the methods the path does take in `Allow`. A client that hung up before its body arrived
(`ClientDisconnect`) is noted at debug level, not logged as a crash: nobody reads the answer."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from wallet_sync.central.errors import (
    Forbidden,
    Invalid,
    NotFound,
    Refusal,
    StateConflict,
    Unauthenticated,
)
from wallet_sync.protocol import ErrorBody

STATUS: dict[type[Refusal], int] = {
    Invalid: 422,
    NotFound: 404,
    StateConflict: 409,
    Forbidden: 403,
    Unauthenticated: 401,
    Refusal: 400,  # a refusal that does not say which kind: nothing raises one today
}

log = logging.getLogger("walletpos.central")
REASONS = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}


DESCRIPTIONS = {
    401: "Unauthenticated: no admin key, or a request signature that does not verify",
    403: "Forbidden: a known caller that may not do this (unknown or quarantined terminal, "
         "a key without the scope, a spent enrollment code)",
    404: "NotFound: what the request names does not exist",
    409: "StateConflict: contradicts what central holds now (a journal gap, a reused "
         "request id, a case already resolved)",
    413: "The request body is larger than central reads",
    422: "Invalid: malformed or out-of-range input",
}


def status_of(exc: Refusal) -> int:
    """The status of the nearest kind of refusal `exc` is."""
    return next(STATUS[kind] for kind in type(exc).__mro__ if kind in STATUS)


def refusals(*kinds: type[Refusal]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: the statuses of the kinds of refusal it may raise, plus 413
    (any body over the cap) and 422 (input FastAPI refuses), each with the error body."""
    statuses = {413, 422, *(STATUS[kind] for kind in kinds)}
    return {status: {"model": ErrorBody, "description": DESCRIPTIONS[status]}
            for status in sorted(statuses)}


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
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI could not read the body (not UTF-8, not JSON)
            return error_response(422, "invalid_request", str(exc.detail))
        reason = REASONS.get(exc.status_code, "http_error")
        response = error_response(exc.status_code, reason, str(exc.detail))
        response.headers.update(exc.headers or {})  # a 405's Allow
        if exc.status_code == 405:
            # Starlette names only the first route of the path; a path served by several
            # routes (GET and POST /v1/admin/customers) takes all of their methods.
            response.headers["allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception_handler(ClientDisconnect)
    async def hung_up(request: Request, _: ClientDisconnect) -> JSONResponse:
        log.debug("client hung up during %s %s", request.method, request.url.path)
        return error_response(400, "client_disconnected", "the client closed the connection")

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, "internal_error", type(exc).__name__)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app takes at the request's path."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        regex, taken = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and taken and regex.match(request.url.path):
            methods |= set(taken)
    return sorted(methods)

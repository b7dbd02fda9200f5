"""The central FastAPI app: routes for terminals (enroll, authorize, journal push, changes) and
for head office (programs, enroll codes, cards, conflicts), error handling, and authentication.

Terminal requests are authenticated by RFC 9421 signatures over the raw body (`httpsig`), so
their handlers read the body themselves and validate it with the protocol models; admin routes
use a Bearer key. Every error is JSON {"error", "message"}; validation failures are 422
"invalid_request". Database work runs in the threadpool inside one transaction per request.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from httpx import Headers
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.keys import public_from_bytes
from wallet_sync.central import (
    auth,
    authorize,
    cards,
    changes,
    code_pool,
    conflicts,
    enrollment,
    escrow,
    exposure,
    ingest,
    member_routes,
    programs,
    staff,
    store_routes,
)
from wallet_sync.central.db import Database, Terminal
from wallet_sync.central.errors import ApiError
from wallet_sync.central.keys import SigningKey, load_central_key
from wallet_sync.httpsig import SignableMessage, SignatureRejected, verify_request
from wallet_sync.protocol import (
    API_PREFIX,
    MAX_PAGE,
    AuthorizeRequest,
    AuthorizeResponse,
    CardView,
    EnrollCodeRequest,
    EnrollRequest,
    EnrollResponse,
    IssueCardsRequest,
    LoadRequest,
    ProgramsUpload,
    PushRequest,
    PushResponse,
    ResolveRequest,
    SignedChangePage,
)

MAX_BODY = 8 * 1024 * 1024  # a full batch (1000 x 6000 chars) fits with room to spare
M = TypeVar("M", bound=BaseModel)


class Central:
    """What the routes share: the database, central's signing key and the clock."""

    def __init__(self, db: Database, key: SigningKey, clock: Callable[[], float]) -> None:
        self.db = db
        self.key = key
        self.clock = clock

    def now(self) -> int:
        return int(self.clock())


def _error(status: int, error: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status)


def _parse(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first: dict[str, Any] = dict(exc.errors()[0]) if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ApiError(422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}"
                       ) from exc


def create_app(db_url: str, *, clock: Callable[[], float] = time.time) -> FastAPI:
    db = Database(db_url)
    with db.read() as session:
        key = load_central_key(session)
    if key is None:
        raise RuntimeError("central has no signing key: run `walletpos central init` first")
    central = Central(db, key, clock)
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(title="walletpos central", version="1", docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.central = central
    _install_errors(app)

    def terminal_auth(request: Request, body: bytes) -> str:
        """Verify the request signature; return the active terminal's id."""
        seen: dict[str, Terminal | None] = {}

        def lookup(key_id: str) -> Ed25519PublicKey | None:
            with db.read() as session:
                row = session.get(Terminal, key_id) if len(key_id) <= 16 else None
            seen[key_id] = row
            return public_from_bytes(row.public_key) if row is not None else None

        message = SignableMessage(request.method, str(request.url),
                                  Headers(list(request.headers.items())), body)
        try:
            terminal_id = verify_request(message, lookup)
        except SignatureRejected as exc:
            if seen and all(row is None for row in seen.values()):
                raise ApiError(403, "unknown_terminal", "this terminal is not enrolled") from exc
            raise ApiError(401, "bad_request_signature", str(exc)[:200]) from exc
        row = seen.get(terminal_id)
        if row is None:
            raise ApiError(403, "unknown_terminal", "this terminal is not enrolled")
        if row.status != "active":
            raise ApiError(403, "quarantined", f"terminal {terminal_id} is {row.status}")
        return terminal_id

    def admin(request: Request) -> int:
        with db.read() as session:
            return auth.check_bearer(session, request.headers.get("authorization"))

    member_routes.install(app, central, terminal_auth, admin)  # loyalty members and points

    staff.add_routes(app, db, admin, central.now)  # store staff and their PIN hashes
    code_pool.add_routes(app, db, key, terminal_auth, central.now)  # offline issuance codes
    store_routes.add_routes(app, db, terminal_auth, central.now)  # a store's own cases

    @app.get(f"{API_PREFIX}/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "key_id": key.key_id, "time": central.now()}

    @app.post(f"{API_PREFIX}/enroll", response_model=EnrollResponse)
    def enroll(req: EnrollRequest) -> EnrollResponse:
        with db.write() as session:
            return enrollment.enroll(session, req, key, central.now())

    @app.post(f"{API_PREFIX}/authorize", response_model=AuthorizeResponse)
    async def authorize_route(request: Request) -> AuthorizeResponse:
        body = await request.body()

        def work() -> AuthorizeResponse:
            terminal = terminal_auth(request, body)
            req = _parse(AuthorizeRequest, body)
            for attempt in (1, 2):
                try:
                    with db.write() as session:
                        return authorize.authorize(session, terminal, req, central.now(),
                                                   lock=db.postgres, key=key)
                except IntegrityError:
                    if attempt == 2:  # a concurrent retry stored its answer; read it once more
                        raise
            raise AssertionError("unreachable")
        return await run_in_threadpool(work)

    @app.post(f"{API_PREFIX}/journal", response_model=PushResponse)
    async def journal(request: Request) -> PushResponse:
        body = await request.body()

        def work() -> PushResponse:
            terminal = terminal_auth(request, body)
            push = _parse(PushRequest, body)
            if push.terminal != terminal:
                raise ApiError(403, "wrong_terminal", "batch is for another terminal")
            with db.read() as session:
                raw = session.scalar(select(Terminal.public_key).where(Terminal.id == terminal))
            batch = ingest.check_batch(terminal, push, public_from_bytes(raw))
            with db.write() as session:
                outcome = ingest.apply_batch(session, terminal, batch, central.now(),
                                             lock=db.postgres)
            if isinstance(outcome, ingest.Fork):
                raise ApiError(403, "quarantined",
                               f"fork at seq {outcome.seq}: terminal quarantined "
                               f"(conflict {outcome.conflict_id})")
            return outcome
        return await run_in_threadpool(work)

    @app.get(f"{API_PREFIX}/changes", response_model=SignedChangePage)
    async def changes_route(request: Request) -> Response:
        body = await request.body()

        def work() -> Response:
            terminal = terminal_auth(request, body)
            cursor = _int_param(request, "cursor", 0, 0, 2**62)
            limit = _int_param(request, "limit", 1000, 1, MAX_PAGE)
            if "head" in request.query_params:
                # The first page of a sync: the terminal is online and says how far its journal
                # goes, so central settles its holds and grants before the page is read.
                head = _int_param(request, "head", 0, 0, 2**62)
                with db.write() as session:
                    escrow.maintain(session, terminal, head, central.now(), lock=db.postgres)
            with db.read() as session:
                page = changes.read_page_json(session, terminal, cursor, limit, key,
                                              central.now())
            # Sent as built: FastAPI re-validating thousands of changes per page against the
            # response model was a third of a bootstrap's time at central.
            return Response(page, media_type="application/json")
        return await run_in_threadpool(work)

    @app.post(f"{API_PREFIX}/admin/programs")
    def load_programs(req: ProgramsUpload, _: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return {"programs": programs.load_programs(session, req.source, req.format,
                                                       req.filename, central.now())}

    @app.post(f"{API_PREFIX}/admin/enroll-codes")
    def enroll_code(req: EnrollCodeRequest, _: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return enrollment.create_code(session, req.store, central.now())

    @app.post(f"{API_PREFIX}/admin/cards")
    def issue_cards(req: IssueCardsRequest, key_row: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return {"cards": cards.issue_cards(session, key, req.program, req.count, req.value,
                                               req.activate, central.now(),
                                               actor=f"api_key:{key_row}")}

    @app.get(f"{API_PREFIX}/admin/cards/{{code}}", response_model=CardView)
    def card(code: str, _: int = Depends(admin)) -> CardView:
        with db.read() as session:
            return cards.card_view(session, code)

    @app.post(f"{API_PREFIX}/admin/cards/{{code}}/load", response_model=CardView)
    def load_card(code: str, req: LoadRequest, key_row: int = Depends(admin)) -> CardView:
        with db.write() as session:
            return cards.load_card(session, code, req.amount, central.now(), lock=db.postgres,
                                   actor=f"api_key:{key_row}")

    @app.get(f"{API_PREFIX}/admin/conflicts")
    def list_conflicts(status: str | None = None, _: int = Depends(admin)) -> dict[str, Any]:
        with db.read() as session:
            return {"conflicts": conflicts.list_cases(session, status)}

    @app.post(f"{API_PREFIX}/admin/conflicts/{{conflict_id}}/resolve")
    def resolve_conflict(conflict_id: int, req: ResolveRequest, key_row: int = Depends(admin)
                         ) -> dict[str, Any]:
        with db.write() as session:
            return {"conflict": conflicts.resolve(session, conflict_id, req.reason,
                                                  central.now(), actor=f"api_key:{key_row}")}

    @app.get(f"{API_PREFIX}/admin/exposure")
    def exposure_report(_: int = Depends(admin)) -> dict[str, Any]:
        with db.read() as session:
            return exposure.report(session)

    return app


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or len(text) > 19 or not low <= int(text) <= high:
        raise ApiError(422, "invalid_request", f"{name} must be an integer {low}..{high}")
    return int(text)


def _install_errors(app: FastAPI) -> None:
    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[..., Any]) -> Any:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return _error(413, "request_too_large", f"request bodies are at most {MAX_BODY} bytes")
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, reason, str(exc.detail))

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        return _error(500, "internal_error", type(exc).__name__)

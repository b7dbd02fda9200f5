"""The central FastAPI app: what `create_app` builds is the shared state (database, central's
signing key, the clock), the error edge and the routers, one per area (`routes/`).

Terminal requests are authenticated by RFC 9421 signatures over the raw body
(`routes.callers.Signed`), admin routes by a Bearer key (`routes.callers.AdminKey`). Every
error is JSON {"error", "message"} (`routes.http_errors`); validation failures are 422
"invalid_request". Database work runs in the threadpool inside one transaction per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from wallet_sync.central.automation import Automation, AutomationWorker
from wallet_sync.central.daily import DailySegments
from wallet_sync.central.db import Database
from wallet_sync.central.keys import (
    SigningKey,
    has_plain_keys,
    load_central_key,
    seal_plain_keys,
)
from wallet_sync.central.routes import (
    authorize,
    automation_admin,
    cards,
    code_pool,
    customers,
    enrollment,
    health,
    http_errors,
    members,
    office_admin,
    office_audit,
    office_auth,
    office_customers,
    office_programs,
    office_reports,
    office_risk,
    office_web,
    programs,
    risk,
    staff,
    store,
    sync,
    unsubscribe,
)
from wallet_sync.central.routes.body_limit import BodyLimit
from wallet_sync.central.routes.state import Central

log = logging.getLogger("walletpos.central")
ROUTERS = (
    health.router, enrollment.router, sync.router, authorize.router,  # terminals
    code_pool.router, members.router, customers.router, store.router,  # terminals, head office
    programs.router, cards.router, staff.router, risk.router, office_admin.router,  # head office
    automation_admin.router, unsubscribe.router,  # webhooks, trigger results; unsubscribe links
    # The head-office console's pages (/office, not in the OpenAPI document).
    office_auth.router, office_reports.router, office_risk.router, office_programs.router,
    office_audit.router, office_customers.router,
)


def create_app(db_url: str, *, clock: Callable[[], float] = time.time,
               daily: bool = False, automation: bool = False,
               read_url: str | None = None) -> FastAPI:
    """DAILY: run the daily segment pass on a thread; AUTOMATION: run the jobs (webhooks,
    messages, triggers) on a thread. The serve process runs both; tests leave them off and
    call the passes themselves. READ_URL: a streaming standby of `db_url` that answers pulls
    and reports (`Database.feed`, `Database.report`)."""
    db = Database(db_url, read_url)
    try:
        key = open_central_key(db)
    except BaseException:
        db.dispose()
        raise

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        job = DailySegments(db, clock) if daily else None
        worker = AutomationWorker(Automation(db, key, clock)) if automation else None
        for thread in (job, worker):
            if thread is not None:
                thread.start()
        try:
            yield
        finally:
            for thread in (worker, job):
                if thread is not None:
                    thread.stop()
            db.dispose()

    app = _api(lifespan)
    app.state.central = Central(db, key, clock)
    return app


def open_central_key(db: Database) -> SigningKey:
    """Central's signing key, decrypted: a key a database from before holds in the clear is
    encrypted first (`keys.seal_plain_keys`). KeyUnavailable without its secret."""
    with db.read() as session:
        plain = has_plain_keys(session)
    if plain:
        with db.write() as session:
            for key_id, where in seal_plain_keys(session).items():
                log.warning("central's signing key %s is now encrypted; its secret: %s "
                            "(back it up apart from the database)", key_id, where)
    with db.read() as session:
        key = load_central_key(session)
    if key is None:
        raise RuntimeError("central has no signing key: run `walletpos central init` first")
    return key


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document every central serves at /openapi.json, without a database."""
    return _api().openapi()


def _api(lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None
         ) -> FastAPI:
    app = FastAPI(title="walletpos central", version="1", docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    http_errors.install(app)
    office_web.install(app)  # the console's login redirect, refusal page, headers, static
    app.add_middleware(BodyLimit)  # counts a body as it streams, before any route reads it
    for router in ROUTERS:
        app.include_router(router)
    return app

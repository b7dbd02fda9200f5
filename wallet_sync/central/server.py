"""Running central under uvicorn. One process by default; with `workers > 1` uvicorn starts
that many processes, each building its own app from `WALLETPOS_CENTRAL_DB` (the app is
stateless between requests, so any number of processes can share one PostgreSQL)."""

from __future__ import annotations

import gc
import os

import uvicorn
from fastapi import FastAPI

from wallet_sync.central.app import create_app, open_central_key
from wallet_sync.central.db import Database
from wallet_sync.client import SERVER_KEEPALIVE_S

ENV_DB = "WALLETPOS_CENTRAL_DB"
ENV_READ_DB = "WALLETPOS_CENTRAL_READ_DB"


def app_from_env() -> FastAPI:
    return _settled(create_app(os.environ[ENV_DB], daily=True, automation=True,
                               read_url=os.environ.get(ENV_READ_DB) or None))


def _settled(app: FastAPI) -> FastAPI:
    """Move everything built at start-up (modules, the app, SQLAlchemy's mappers) out of the
    garbage collector's sight: a push allocates thousands of objects, and each full collection
    walked those ~170,000 long-lived ones again (some 15% of ingest CPU)."""
    gc.collect()
    gc.freeze()
    return app


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8750, workers: int = 1,
          log_level: str = "info", read_url: str | None = None) -> None:
    """Raises KeyUnavailable (central's key cannot be decrypted here) or RuntimeError (no key
    yet) before listening."""
    if workers > 1:
        db = Database(db_url, read_url)  # each worker opens the key itself: refuse first
        try:
            open_central_key(db)
        finally:
            db.dispose()
        os.environ[ENV_DB] = db_url
        os.environ[ENV_READ_DB] = read_url or ""
        uvicorn.run("wallet_sync.central.server:app_from_env", factory=True, host=host,
                    port=port, workers=workers, log_level=log_level,
                    timeout_keep_alive=SERVER_KEEPALIVE_S)
    else:
        uvicorn.run(_settled(create_app(db_url, daily=True, automation=True,
                                        read_url=read_url)),
                    host=host, port=port, log_level=log_level,
                    timeout_keep_alive=SERVER_KEEPALIVE_S)

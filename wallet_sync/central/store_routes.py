"""Routes a terminal reads about its own store, installed on the central app by `create_app`.

`GET /v1/store/conflicts?status=open|all&limit=N` (terminal-signed, RFC 9421): the conflict
cases raised by the terminals of the CALLER'S store, newest first — what the manager screen's
"Sync and conflicts" panel lists. The store comes from the signing terminal's enrollment, never
from the request, so a terminal cannot ask about another store. Each case is `conflicts.list_cases`'
item without what belongs to head office: the signed entries behind it (an overdraft lists
other stores' terminals) and who resolved it (an API key).

Public: add_routes, store_case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from wallet_sync.central import conflicts
from wallet_sync.central.db import Database, Terminal
from wallet_sync.central.errors import ApiError
from wallet_sync.protocol import API_PREFIX

STATUSES = {"open": "open", "all": None}  # query value -> list_cases status
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
CASE_FIELDS = ("id", "card", "terminal", "seq", "reason", "shortfall", "currency", "status",
               "opened_at")


def store_case(case: dict[str, Any]) -> dict[str, Any]:
    """One `list_cases` item as a store's terminal sees it."""
    item = {k: case[k] for k in CASE_FIELDS}
    res = case.get("resolution")
    item["resolution"] = ({"reason": res["reason"], "resolved_at": res["resolved_at"]}
                          if res else None)
    return item


def _limit(request: Request) -> int:
    text = request.query_params.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or len(text) > 6 or not 1 <= int(text) <= MAX_LIMIT:
        raise ApiError(422, "invalid_request", f"limit must be an integer 1..{MAX_LIMIT}")
    return int(text)


def add_routes(app: FastAPI, db: Database, terminal_auth: Callable[[Request, bytes], str],
               now: Callable[[], int]) -> None:
    """GET /v1/store/conflicts (signed) -> {"store", "as_of", "conflicts": [...]}."""

    @app.get(f"{API_PREFIX}/store/conflicts")
    async def store_conflicts(request: Request) -> dict[str, Any]:
        body = await request.body()

        def work() -> dict[str, Any]:
            terminal = terminal_auth(request, body)  # 401/403, quarantined included
            status_text = request.query_params.get("status", "open")
            if status_text not in STATUSES:
                raise ApiError(422, "invalid_request", "status must be one of open, all")
            limit = _limit(request)
            with db.read() as session:
                store = session.scalar(select(Terminal.store).where(Terminal.id == terminal))
                cases = conflicts.list_cases(session, STATUSES[status_text], limit=limit,
                                             store=store, newest_first=True)
            return {"store": store, "as_of": now(),
                    "conflicts": [store_case(c) for c in cases]}
        return await run_in_threadpool(work)

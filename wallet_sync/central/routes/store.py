"""What a terminal reads about its own store (terminal-signed, RFC 9421).

`GET /v1/store/conflicts?status=open|all&limit=N`: the conflict cases raised by the terminals of
the CALLER'S store, newest first — what the manager screen's "Sync and conflicts" panel lists.
The store comes from the signing terminal's enrollment, never from the request, so a terminal
cannot ask about another store. Each case is `conflicts.list_cases`' item without what belongs
to head office: the signed entries behind it (an overdraft lists other stores' terminals) and
who resolved it (an API key). -> {"store", "as_of", "conflicts": [...]}.

Public: router, store_case.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select

from wallet_sync.central import conflicts
from wallet_sync.central.errors import Invalid
from wallet_sync.central.routes.callers import Signed
from wallet_sync.central.routes.inputs import int_param
from wallet_sync.central.routes.state import CentralState
from wallet_sync.central.tables import Terminal
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)
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


@router.get("/store/conflicts")
def store_conflicts(request: Request, call: Signed, central: CentralState) -> dict[str, Any]:
    status_text = request.query_params.get("status", "open")
    if status_text not in STATUSES:
        raise Invalid("invalid_request", "status must be one of open, all")
    limit = int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, max_digits=6)
    with central.db.read() as session:
        store = session.scalar(select(Terminal.store).where(Terminal.id == call.terminal))
        cases = conflicts.list_cases(session, STATUSES[status_text], limit=limit, store=store,
                                     newest_first=True)
    return {"store": store, "as_of": central.now(), "conflicts": [store_case(c) for c in cases]}

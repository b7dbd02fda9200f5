"""What a terminal reads about its own store (terminal-signed, RFC 9421).

`GET /v1/store/conflicts?status=open|all&limit=N` -> {"store", "as_of", "conflicts": [...]}: the
conflict cases raised by the terminals of the CALLER'S store, newest first — what the manager
screen's "Sync and conflicts" panel lists (`conflicts.store_view`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from wallet_sync.central import conflicts
from wallet_sync.central.errors import Invalid
from wallet_sync.central.routes.callers import Signed
from wallet_sync.central.routes.inputs import int_param
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)
STATUSES = {"open": "open", "all": None}  # query value -> list_cases status
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@router.get("/store/conflicts")
def store_conflicts(request: Request, call: Signed, central: CentralState) -> dict[str, Any]:
    status_text = request.query_params.get("status", "open")
    if status_text not in STATUSES:
        raise Invalid("invalid_request", "status must be one of open, all")
    limit = int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, max_digits=6)
    with central.db.read() as session:
        return conflicts.store_view(session, call.terminal, STATUSES[status_text], limit,
                                    central.now())

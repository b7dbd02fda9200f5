"""What a terminal reads about its own store (terminal-signed, RFC 9421).

`GET /v1/store/conflicts?status=open|all&limit=N` -> {"store", "as_of", "conflicts": [...]}: the
conflict cases raised by the terminals of the CALLER'S store, newest first — what the manager
screen's "Sync and conflicts" panel lists (`conflicts.store_view`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from wallet_sync.central import conflicts
from wallet_sync.central.errors import Invalid
from wallet_sync.central.routes.callers import SIGNED_REFUSALS, Signed
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)
STATUSES = {"open": "open", "all": None}  # query value -> list_cases status
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@router.get("/store/conflicts", responses=refusals(*SIGNED_REFUSALS, Invalid))
def store_conflicts(call: Signed, central: CentralState,
                    status: Literal["open", "all"] = "open",
                    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
                    ) -> dict[str, Any]:
    with central.db.read() as session:
        return conflicts.store_view(session, call.terminal, STATUSES[status], limit,
                                    central.now())

"""`GET /v1/health`: that central answers, with its key id and its clock (terminals estimate
central's time from it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)


@router.get("/health", responses=refusals())
def health(central: CentralState) -> dict[str, Any]:
    return {"status": "ok", "key_id": central.key.key_id, "time": central.now()}

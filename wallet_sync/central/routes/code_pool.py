"""`POST /v1/code-pool` (terminal-signed) CodePoolRequest -> {"program", "codes": [{code, qr}]}:
top the caller's reserved gift-card codes up to a target (`central.code_pool`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import code_pool
from wallet_sync.central.errors import Invalid, NotFound
from wallet_sync.central.routes.callers import SIGNED_REFUSALS, Signed
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.inputs import signed_body
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, CodePoolRequest

router = APIRouter(prefix=API_PREFIX)


@router.post("/code-pool", responses=refusals(*SIGNED_REFUSALS, Invalid, NotFound),
             openapi_extra=signed_body(CodePoolRequest))
def top_up(call: Signed, central: CentralState) -> dict[str, Any]:
    try:
        req = CodePoolRequest.model_validate_json(call.body)
    except ValueError as exc:  # pydantic's own text, kept as this route has always said it
        raise Invalid("invalid_request", str(exc)[:300]) from exc
    with central.db.write() as session:
        codes = code_pool.top_up(session, central.key, call.terminal, req.program, req.target,
                                 central.now())
    return {"program": req.program, "codes": codes}

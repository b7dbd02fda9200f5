"""Head office's risk view (admin key): the conflict cases central opened, resolving one with a
reason (`central.conflicts`), and the exposure report (`central.exposure`)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from wallet_sync.central import conflicts, exposure
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.inputs import RowId
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, ResolveRequest

router = APIRouter(prefix=API_PREFIX)


@router.get("/admin/conflicts", responses=refusals(*ADMIN_REFUSALS, Invalid))
def list_conflicts(_: AdminKey, central: CentralState,
                   status: Literal["open", "resolved"] | None = None) -> dict[str, Any]:
    with central.db.read() as session:
        return {"conflicts": conflicts.list_cases(session, status)}


@router.post("/admin/conflicts/{conflict_id}/resolve",
             responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict))
def resolve_conflict(conflict_id: RowId, req: ResolveRequest, key_row: AdminKey,
                     central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return {"conflict": conflicts.resolve(session, conflict_id, req.reason, central.now(),
                                              actor=f"api_key:{key_row}")}


@router.get("/admin/exposure", responses=refusals(*ADMIN_REFUSALS))
def exposure_report(_: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.read() as session:
        return exposure.report(session)

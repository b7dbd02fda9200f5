"""Head office's risk view (admin key): the conflict cases central opened, resolving one with a
reason (`central.conflicts`), the exposure report (`central.exposure`), and the terminals with
their flags, clearing a flagged terminal with a reason (`central.terminal_flags`), and retiring
one that will not come back (`central.decommission`)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from wallet_sync.central import conflicts, decommission, exposure, terminal_flags
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


@router.get("/admin/terminals", responses=refusals(*ADMIN_REFUSALS))
def list_terminals(_: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.read() as session:
        return {"terminals": terminal_flags.listing(session)}


@router.post("/admin/terminals/{terminal_id}/clear-flag",
             responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict))
def clear_flag(terminal_id: str, req: ResolveRequest, key_row: AdminKey, central: CentralState
               ) -> dict[str, Any]:
    with central.db.write() as session:
        return {"terminal": terminal_flags.clear(session, terminal_id, req.reason,
                                                 f"api_key:{key_row}", central.now())}


@router.post("/admin/terminals/{terminal_id}/decommission",
             responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict))
def decommission_terminal(terminal_id: str, req: ResolveRequest, key_row: AdminKey,
                          central: CentralState) -> dict[str, Any]:
    """409 `too_early` with `allowed_at` while the terminal may still spend offline."""
    with central.db.write() as session:
        return {"decommission": decommission.decommission(
            session, terminal_id, req.reason, f"api_key:{key_row}", central.now())}

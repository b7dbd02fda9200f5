"""`POST /v1/admin/programs` (admin key): head office loads a YAML/JSON program file
(`central.programs`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import programs
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, ProgramsUpload

router = APIRouter(prefix=API_PREFIX)


@router.post("/admin/programs",
             responses=refusals(*ADMIN_REFUSALS, Invalid, StateConflict))
def load_programs(req: ProgramsUpload, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return {"programs": programs.load_programs(session, req.source, req.format,
                                                   req.filename, central.now())}

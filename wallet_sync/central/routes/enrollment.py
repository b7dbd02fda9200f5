"""Terminals joining: head office makes a one-time code for a store (`POST
/v1/admin/enroll-codes`, admin key) and a terminal spends it on its public key (`POST
/v1/enroll`, unsigned: the terminal has no enrolled key yet). See `central.enrollment`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import enrollment
from wallet_sync.central.errors import Forbidden, Invalid, StateConflict
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, EnrollCodeRequest, EnrollRequest, EnrollResponse

router = APIRouter(prefix=API_PREFIX)


@router.post("/enroll", response_model=EnrollResponse,
             responses=refusals(Invalid, Forbidden, StateConflict))
def enroll(req: EnrollRequest, central: CentralState) -> EnrollResponse:
    with central.db.write() as session:
        return enrollment.enroll(session, req, central.key, central.now())


@router.post("/admin/enroll-codes", responses=refusals(*ADMIN_REFUSALS, Invalid))
def enroll_code(req: EnrollCodeRequest, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return enrollment.create_code(session, req.store, central.now())

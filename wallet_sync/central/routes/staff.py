"""`POST /v1/admin/staff` (admin key): add a cashier or manager to a store, with a PIN central
keeps only as a hash (`central.staff`) -> {"id", "store", "name", "role"}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import staff
from wallet_sync.central.errors import Invalid
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)


@router.post("/admin/staff", responses=refusals(*ADMIN_REFUSALS, Invalid))
def create_staff(req: staff.CreateStaffRequest, _: AdminKey, central: CentralState
                 ) -> dict[str, Any]:
    with central.db.write() as session:
        return staff.create_staff(session, req, central.now())

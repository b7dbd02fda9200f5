"""The console's part of the admin API (admin key): creating a console user
(`walletpos admin create-user`) and the liability figures the report pages show
(`walletpos admin liability`, `walletpos admin points-liability`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.office import liability, users
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)


@router.post("/admin/office-users", responses=refusals(*ADMIN_REFUSALS, Invalid, StateConflict))
def create_user(req: users.CreateUserRequest, key_row: AdminKey, central: CentralState
                ) -> dict[str, Any]:
    with central.db.write() as session:
        return users.create_user(session, req, central.now(), f"api_key:{key_row}")


@router.get("/admin/reports/liability", responses=refusals(*ADMIN_REFUSALS, Invalid))
def gift_liability(_: AdminKey, central: CentralState, as_of: str | None = None
                   ) -> dict[str, Any]:
    day = liability.parse_as_of(as_of, central.now())
    with central.db.report() as session:
        return liability.gift_cards(session, day)


@router.get("/admin/reports/points-liability", responses=refusals(*ADMIN_REFUSALS, Invalid))
def points_liability(_: AdminKey, central: CentralState, as_of: str | None = None
                     ) -> dict[str, Any]:
    day = liability.parse_as_of(as_of, central.now())
    with central.db.report() as session:
        return liability.points(session, day)

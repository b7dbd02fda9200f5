"""Loyalty members: head office creates and looks up members and runs the expiry sweep (admin
key); a terminal reads a member's signed snapshot before a quote (terminal-signed), so an
online quote burns from central's current points, not a stale replica (`central.members`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import members
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, SIGNED_REFUSALS, AdminKey, Signed
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, CreateMemberRequest, SignedMemberSnapshot

router = APIRouter(prefix=API_PREFIX)


@router.post("/admin/members",
             responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict))
def create_member(req: CreateMemberRequest, _: AdminKey, central: CentralState
                  ) -> dict[str, Any]:
    with central.db.write() as session:
        return members.create_member(session, req.program, req.country, central.now())


@router.get("/admin/members/{code}",
            responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict))
def member(code: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    # A write: looking a member up expires what has lapsed first.
    with central.db.write() as session:
        return members.member_view(session, code, central.now(), lock=central.db.postgres)


@router.post("/admin/points/expire", responses=refusals(*ADMIN_REFUSALS))
def expire_points(_: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return members.expire_all(session, central.now(), lock=central.db.postgres)


@router.get("/members/{code}", response_model=SignedMemberSnapshot,
            responses=refusals(*SIGNED_REFUSALS, Invalid, NotFound))
def member_snapshot(code: str, call: Signed, central: CentralState) -> SignedMemberSnapshot:
    with central.db.read() as session:
        return members.signed_snapshot(session, call.terminal, code, central.key, central.now())

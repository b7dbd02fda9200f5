"""Loyalty routes, installed on the central app by `create_app`: member creation and look-up
for head office, the expiry sweep, and the signed member snapshot a terminal reads before a
quote (so an online quote burns from central's current points, not a stale replica)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from wallet_sync.central import members
from wallet_sync.central.db import Terminal
from wallet_sync.central.errors import ApiError
from wallet_sync.protocol import (
    API_PREFIX,
    CreateMemberRequest,
    MemberSnapshot,
    SignedMemberSnapshot,
    canonical_json,
)


def install(app: FastAPI, central: Any, terminal_auth: Callable[[Request, bytes], str],
            admin: Callable[..., int]) -> None:
    db = central.db

    @app.post(f"{API_PREFIX}/admin/members")
    def create_member(req: CreateMemberRequest, _: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return members.create_member(session, req.program, req.country, central.now())

    @app.get(f"{API_PREFIX}/admin/members/{{code}}")
    def member(code: str, _: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return members.member_view(session, code, central.now(), lock=db.postgres)

    @app.post(f"{API_PREFIX}/admin/points/expire")
    def expire_points(_: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return members.expire_all(session, central.now(), lock=db.postgres)

    @app.get(f"{API_PREFIX}/members/{{code}}", response_model=SignedMemberSnapshot)
    async def member_snapshot(code: str, request: Request) -> SignedMemberSnapshot:
        body = await request.body()

        def work() -> SignedMemberSnapshot:
            terminal = terminal_auth(request, body)
            with db.read() as session:
                acked = session.execute(select(Terminal.last_seq)
                                        .where(Terminal.id == terminal)).scalar_one()
                found = members.find(session, code)
                rows = members.member_changes_for(session, [found])
            if not rows:
                raise ApiError(404, "unknown_member", "no such member")
            snap = MemberSnapshot(member=rows[0], acked_seq=int(acked),
                                  server_time=central.now())
            return SignedMemberSnapshot(snapshot=snap,
                                        signature=central.key.sign(canonical_json(snap)))
        return await run_in_threadpool(work)

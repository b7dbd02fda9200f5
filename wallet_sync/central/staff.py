"""Store staff on central: who may log in at a store's terminals, as cashier or manager.

Central keeps each person's PIN only as an argon2id hash (argon2-cffi's PasswordHasher) and
sends the hashes to the terminals of that store in the change feed (kind "staff"), so a
terminal checks a PIN with no network at all. Every change gets its own `change_seq` from the
shared counter (`changes.allocate`), like cards and programs, so staff ride the same signed,
resumable pages. Deactivating someone is a change too: terminals drop them at the next sync.

Public: StaffMember (model), create_staff, staff_changes, add_routes (the admin route hook).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from argon2 import PasswordHasher
from fastapi import Depends, FastAPI
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.codes import ALPHABET
from wallet_sync.central.changes import allocate
from wallet_sync.central.db import Base, Database, Store, Terminal
from wallet_sync.central.errors import ApiError
from wallet_sync.protocol import API_PREFIX, Change

ROLES = ("cashier", "manager")
PIN_LENGTHS = range(4, 9)  # a PIN pad at a counter: 4 to 8 digits


class StaffMember(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    store: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)


class CreateStaffRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    store: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=80)
    role: str = Field(max_length=16)
    pin: str = Field(min_length=4, max_length=8)


def _check(req: CreateStaffRequest) -> None:
    if req.role not in ROLES:
        raise ApiError(422, "invalid_role", f"role must be one of {', '.join(ROLES)}")
    if not (req.pin.isascii() and req.pin.isdigit() and len(req.pin) in PIN_LENGTHS):
        raise ApiError(422, "invalid_pin", "a PIN is 4 to 8 digits")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in req.name) or not req.name.strip():
        raise ApiError(422, "invalid_name", "a name is printable text")


def create_staff(session: Session, req: CreateStaffRequest, now: int) -> dict[str, Any]:
    """Add one person to a store; returns their id (never the PIN or its hash)."""
    _check(req)
    if session.get(Store, req.store) is None:
        session.add(Store(id=req.store, created_at=now))
    staff_id = "S-" + "".join(secrets.choice(ALPHABET) for _ in range(8))
    pin_hash = PasswordHasher().hash(req.pin)  # slow on purpose; before taking the counter lock
    row = StaffMember(id=staff_id, store=req.store, name=req.name.strip(), role=req.role,
                      pin_hash=pin_hash, active=True, created_at=now,
                      change_seq=allocate(session, 1))
    session.add(row)
    return {"id": staff_id, "store": req.store, "name": row.name, "role": row.role}


def staff_data(row: StaffMember) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "role": row.role, "pin_hash": row.pin_hash,
            "active": row.active}


def staff_changes(session: Session, terminal_id: str, cursor: int, limit: int) -> list[Change]:
    """Staff of this terminal's store changed after `cursor` (at most `limit`): a terminal
    never learns the hashes of another store's people."""
    store = session.scalar(select(Terminal.store).where(Terminal.id == terminal_id))
    rows = session.scalars(select(StaffMember)
                           .where(StaffMember.store == store, StaffMember.change_seq > cursor)
                           .order_by(StaffMember.change_seq).limit(limit)).all()
    return [Change(change_seq=r.change_seq, kind="staff", key=r.id, data=staff_data(r))
            for r in rows]


def add_routes(app: FastAPI, db: Database, admin: Callable[..., int],
               now: Callable[[], int]) -> None:
    """POST /v1/admin/staff (admin key) -> {"id","store","name","role"}."""

    @app.post(f"{API_PREFIX}/admin/staff")
    def create_staff_route(req: CreateStaffRequest, _: int = Depends(admin)) -> dict[str, Any]:
        with db.write() as session:
            return create_staff(session, req, now())

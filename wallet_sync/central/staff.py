"""Store staff on central: who may log in at a store's terminals, as cashier or manager.

Central keeps each person's PIN only as an argon2id hash (argon2-cffi's PasswordHasher) and
sends the hashes to the terminals of that store in the change feed (kind "staff"), so a
terminal checks a PIN with no network at all. Every change gets its own `change_seq` from the
shared counter (`change_seq.allocate`), like cards and programs, so staff ride the same signed,
resumable pages. Deactivating someone is a change too: terminals drop them at the next sync.

The table is `tables.StaffMember`; the admin route is `routes/staff.py`.

Central also answers who an entry's `staff` id is (`role_of`): value a terminal creates (a
card sold, a top-up, a points adjustment, a void) needs a manager of the terminal's own store.

Public: CreateStaffRequest, create_staff, staff_changes, role_of, staff_reason.
"""

from __future__ import annotations

import secrets
from typing import Any

from argon2 import PasswordHasher
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.codes import ALPHABET
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.errors import Invalid
from wallet_sync.central.stores import ensure_store
from wallet_sync.central.tables import StaffMember, Terminal
from wallet_sync.protocol import MANAGER_PIN_MIN, PIN_LENGTHS, STAFF_ROLES, Change

ROLES = STAFF_ROLES


class CreateStaffRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    store: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=80)
    role: str = Field(max_length=16)
    pin: str = Field(min_length=4, max_length=8)


def _check(req: CreateStaffRequest) -> None:
    if req.role not in ROLES:
        raise Invalid("invalid_role", f"role must be one of {', '.join(ROLES)}")
    if not (req.pin.isascii() and req.pin.isdigit() and len(req.pin) in PIN_LENGTHS):
        raise Invalid("invalid_pin", "a PIN is 4 to 8 digits")
    if req.role == "manager" and len(req.pin) < MANAGER_PIN_MIN:
        raise Invalid("invalid_pin", f"a manager's PIN is {MANAGER_PIN_MIN} to 8 digits")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in req.name) or not req.name.strip():
        raise Invalid("invalid_name", "a name is printable text")


def create_staff(session: Session, req: CreateStaffRequest, now: int) -> dict[str, Any]:
    """Add one person to a store; returns their id (never the PIN or its hash)."""
    _check(req)
    ensure_store(session, req.store, now)
    staff_id = "S-" + "".join(secrets.choice(ALPHABET) for _ in range(8))
    pin_hash = PasswordHasher().hash(req.pin)  # slow on purpose; before taking the counter lock
    row = StaffMember(id=staff_id, store=req.store, name=req.name.strip(), role=req.role,
                      pin_hash=pin_hash, active=True, created_at=now,
                      change_seq=allocate(session, 1))
    session.add(row)
    return {"id": staff_id, "store": req.store, "name": row.name, "role": row.role}


def role_of(session: Session, staff_id: str | None, store: str) -> str | None:
    """The role of an active person of STORE with this id, else None."""
    if not isinstance(staff_id, str) or not 1 <= len(staff_id) <= 16:
        return None
    row = session.get(StaffMember, staff_id)
    return row.role if row is not None and row.active and row.store == store else None


def staff_reason(session: Session, staff_id: str | None, store: str, role: str | None
                 ) -> str | None:
    """None when STAFF_ID is an active person of STORE with ROLE (any role when None), else
    the refusal: `unknown_staff` or `manager_required`."""
    found = role_of(session, staff_id, store)
    if found is None:
        return "unknown_staff"
    if role is not None and found != role:
        return f"{role}_required"
    return None


def staff_data(row: StaffMember) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "role": row.role, "pin_hash": row.pin_hash,
            "active": row.active}


def staff_changes(session: Session, terminal_id: str, cursor: int, limit: int) -> list[Change]:
    """Staff of this terminal's store changed after `cursor` (at most `limit`): a terminal
    never learns the hashes of another store's people."""
    row = session.get(Terminal, terminal_id)  # a page's read has it already (`changes`)
    store = row.store if row is not None else None
    rows = session.scalars(select(StaffMember)
                           .where(StaffMember.store == store, StaffMember.change_seq > cursor)
                           .order_by(StaffMember.change_seq).limit(limit)).all()
    return [Change(change_seq=r.change_seq, kind="staff", key=r.id, data=staff_data(r))
            for r in rows]

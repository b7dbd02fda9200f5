"""Staff on the terminal: the replica of the store's people.

Central sends each cashier's and manager's argon2 PIN hash in the change feed (kind "staff");
`apply_change` stores it inside the page's transaction, sealed with the terminal's data key
(`data_keys.seal_pin`, in SQL as `wp_seal_pin`): the database file alone holds no hash to
guess PINs against. The offline PIN check over these rows
is `staff_login.StaffLogin`.

Public: StaffMember, LoginResult, apply_change, ROLES.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from wallet_sync.agent import SyncError
from wallet_sync.protocol import STAFF_ROLES

MAX_FAILURES = 5
LOCKOUT_MS = 5 * 60 * 1000
ROLES = STAFF_ROLES


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    name: str
    role: str  # cashier | manager


@dataclass(frozen=True, slots=True)
class LoginResult:
    status: str  # ok | wrong_pin | locked | unknown_staff
    staff: StaffMember | None
    attempts_left: int
    locked_until_ms: int | None = None
    reason: str | None = None  # why it is locked, when not five wrong PINs (lockout.TAMPERED)


def apply_change(conn: Connection, data: dict[str, Any], change_seq: int) -> None:
    """One staff change from a page; an inactive person is removed from the replica."""
    sid, name, role, pin_hash = (data.get("id"), data.get("name"), data.get("role"),
                                 data.get("pin_hash"))
    if not all(isinstance(v, str) for v in (sid, name, role, pin_hash)) or role not in ROLES:
        raise SyncError("malformed staff change", reason="bad_change")
    if not data.get("active", True):
        conn.execute(text("DELETE FROM staff WHERE id = :i AND change_seq <= :c"),
                     {"i": sid, "c": change_seq})
        return
    conn.execute(
        text("INSERT INTO staff (id, name, role, pin_hash, active, change_seq) VALUES "
             "(:i, :n, :r, wp_seal_pin(:i, :h), 1, :c) "
             "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
             "role = excluded.role, pin_hash = excluded.pin_hash, "
             "change_seq = excluded.change_seq WHERE excluded.change_seq >= staff.change_seq"),
        {"i": sid, "n": name[:80], "r": role, "h": pin_hash, "c": change_seq})

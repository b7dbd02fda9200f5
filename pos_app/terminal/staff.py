"""Staff on the terminal: the replica of the store's people and the offline PIN check.

Central sends each cashier's and manager's argon2 PIN hash in the change feed (kind "staff");
`apply_change` stores it inside the page's transaction. `login` checks a PIN against that hash
with no network, and counts failures in the terminal's own database: after MAX_FAILURES wrong
PINs in a row the terminal refuses every login for LOCKOUT_MS, and because the count and the
lock time live in SQLite a restart does not reset them. The lockout is per terminal, not per
person: with per-person counters a stranger could try 5 PINs on each name on the screen.

Public: StaffMember, LoginResult, apply_change, list_staff, login, MAX_FAILURES, LOCKOUT_MS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, text

from core.errors import InvalidInput

if TYPE_CHECKING:
    from pos_app.terminal.store import Store

MAX_FAILURES = 5
LOCKOUT_MS = 5 * 60 * 1000
ROLES = ("cashier", "manager")


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


def apply_change(conn: Connection, data: dict[str, Any], change_seq: int) -> None:
    """One staff change from a page; an inactive person is removed from the replica."""
    sid, name, role, pin_hash = (data.get("id"), data.get("name"), data.get("role"),
                                 data.get("pin_hash"))
    if not all(isinstance(v, str) for v in (sid, name, role, pin_hash)) or role not in ROLES:
        from wallet_sync.agent import SyncError

        raise SyncError("malformed staff change", reason="bad_change")
    if not data.get("active", True):
        conn.execute(text("DELETE FROM staff WHERE id = :i AND change_seq <= :c"),
                     {"i": sid, "c": change_seq})
        return
    conn.execute(
        text("INSERT INTO staff (id, name, role, pin_hash, active, change_seq) VALUES "
             "(:i, :n, :r, :h, 1, :c) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
             "role = excluded.role, pin_hash = excluded.pin_hash, "
             "change_seq = excluded.change_seq WHERE excluded.change_seq >= staff.change_seq"),
        {"i": sid, "n": name[:80], "r": role, "h": pin_hash, "c": change_seq})


def list_staff(store: Store) -> list[StaffMember]:
    """Everyone who may log in here, managers first then by name (the login screen's order)."""
    with store.read() as conn:
        rows = conn.execute(text("SELECT id, name, role FROM staff WHERE active = 1 "
                                 "ORDER BY role = 'cashier', name")).all()
    return [StaffMember(*r) for r in rows]


def _meta_int(conn: Connection, key: str) -> int:
    row = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).first()
    return int(row[0]) if row else 0


def _set_meta(conn: Connection, key: str, value: int) -> None:
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) ON CONFLICT(key) "
                      "DO UPDATE SET value = excluded.value"), {"k": key, "v": str(value)})


def lock_state(store: Store, now_ms: int) -> LoginResult:
    """Whether the login screen is locked right now (for a countdown), without a PIN."""
    with store.read() as conn:
        until = _meta_int(conn, "login_locked_until_ms")
        failures = _meta_int(conn, "login_failures")
    if now_ms < until:
        return LoginResult("locked", None, 0, until)
    return LoginResult("ok", None, MAX_FAILURES - failures)


def login(store: Store, staff_id: str, pin: str, now_ms: int,
          role: str | None = None) -> LoginResult:
    """Check `pin` for `staff_id` offline; `role="manager"` for a manager's approval."""
    if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit()) or len(pin) > 8:
        raise InvalidInput("a PIN is up to 8 digits", reason="invalid_pin")
    with store.read() as conn:
        until = _meta_int(conn, "login_locked_until_ms")
        row = conn.execute(text("SELECT id, name, role, pin_hash FROM staff WHERE id = :i "
                                "AND active = 1"), {"i": staff_id}).first()
    if now_ms < until:
        return LoginResult("locked", None, 0, until)  # no hash is even tried while locked
    ok = False
    if row is not None and (role is None or row[2] == role):
        try:
            ok = PasswordHasher().verify(row[3], pin)  # ~50 ms: outside the write lock
        except (VerificationError, InvalidHashError):
            ok = False
    with store.write() as conn:
        if ok:
            _set_meta(conn, "login_failures", 0)
            return LoginResult("ok", StaffMember(row[0], row[1], row[2]), MAX_FAILURES)
        failures = _meta_int(conn, "login_failures") + 1
        if failures >= MAX_FAILURES:
            _set_meta(conn, "login_failures", 0)
            _set_meta(conn, "login_locked_until_ms", now_ms + LOCKOUT_MS)
            return LoginResult("locked", None, 0, now_ms + LOCKOUT_MS)
        _set_meta(conn, "login_failures", failures)
    status = "wrong_pin" if row is not None else "unknown_staff"
    return LoginResult(status, None, MAX_FAILURES - failures)

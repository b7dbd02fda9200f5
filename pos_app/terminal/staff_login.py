"""The offline PIN check (`StaffLogin`) over the staff replica, and the manager check every
manager-only job asks.

`login` checks a PIN against the argon2 hash central sent, with no network, and counts failures
in the terminal's own database: after MAX_FAILURES wrong PINs in a row the terminal refuses
every login for LOCKOUT_MS, and because the count and the lock time live in SQLite a restart
does not reset them. The lockout is per terminal, not per person: with per-person counters a
stranger could try 5 PINs on each name on the screen.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text

from core.errors import Declined, InvalidInput
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.staff import LOCKOUT_MS, MAX_FAILURES, LoginResult, StaffMember


class StaffLogin:
    def __init__(self, ctx: TerminalContext) -> None:
        self._ctx = ctx

    def people(self) -> list[StaffMember]:
        """Everyone who may log in here, managers first then by name (the login screen's
        order)."""
        with self._ctx.db.read() as conn:
            rows = conn.execute(text("SELECT id, name, role FROM staff WHERE active = 1 "
                                     "ORDER BY role = 'cashier', name")).all()
        return [StaffMember(*r) for r in rows]

    def manager(self, staff_id: str,
                message: str = "only a manager of this store may do this") -> StaffMember:
        """The manager `staff_id` of this store, or Declined `manager_required`."""
        found = next((p for p in self.people() if p.id == staff_id), None)
        if found is None or found.role != "manager":
            raise Declined(message, "manager_required")
        return found

    def lock_state(self) -> LoginResult:
        """Whether the login screen is locked right now (for a countdown), without a PIN."""
        now_ms = self._ctx.now_ms()
        with self._ctx.db.read() as conn:
            until = TerminalDB.get_int(conn, "login_locked_until_ms")
            failures = TerminalDB.get_int(conn, "login_failures")
        if now_ms < until:
            return LoginResult("locked", None, 0, until)
        return LoginResult("ok", None, MAX_FAILURES - failures)

    def login(self, staff_id: str, pin: str, role: str | None = None) -> LoginResult:
        """Check `pin` for `staff_id` offline; `role="manager"` for a manager's approval."""
        if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit()) or len(pin) > 8:
            raise InvalidInput("a PIN is up to 8 digits", reason="invalid_pin")
        now_ms = self._ctx.now_ms()
        db = self._ctx.db
        with db.read() as conn:
            until = TerminalDB.get_int(conn, "login_locked_until_ms")
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
        with db.write() as conn:
            if ok and row is not None:
                TerminalDB.set_meta(conn, "login_failures", 0)
                return LoginResult("ok", StaffMember(row[0], row[1], row[2]), MAX_FAILURES)
            failures = TerminalDB.get_int(conn, "login_failures") + 1
            if failures >= MAX_FAILURES:
                TerminalDB.set_meta(conn, "login_failures", 0)
                TerminalDB.set_meta(conn, "login_locked_until_ms", now_ms + LOCKOUT_MS)
                return LoginResult("locked", None, 0, now_ms + LOCKOUT_MS)
            TerminalDB.set_meta(conn, "login_failures", failures)
        status = "wrong_pin" if row is not None else "unknown_staff"
        return LoginResult(status, None, MAX_FAILURES - failures)

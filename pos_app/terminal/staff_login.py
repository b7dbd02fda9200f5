"""The offline PIN check (`StaffLogin`) over the staff replica, and the manager check every
manager-only job asks.

`login` checks a PIN against the argon2 hash central sent (unsealed with the terminal's data
key only for the check), with no network; a manager's PIN has at least MANAGER_PIN_MIN digits.
Failures are counted in the terminal's own database: after MAX_FAILURES wrong PINs in a row the
terminal refuses every login for LOCKOUT_MS. The count and the lock time live in SQLite, so a
restart does not reset them, and carry an HMAC from the terminal's key (`lockout`), so editing
the row does not either. The lockout is per terminal, not per person: with per-person counters a
stranger could try 5 PINs on each name on the screen.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text

from core.errors import Declined, InvalidInput
from pos_app.terminal import lockout
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.staff import LOCKOUT_MS, MAX_FAILURES, LoginResult, StaffMember
from wallet_sync.protocol import MANAGER_PIN_MIN


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
        keys = self._ctx.db.data_keys()
        with self._ctx.db.read() as conn:
            state = lockout.verified(conn, keys)
        if state is None:  # tampered: replaced by a lock from now (the only write here)
            with self._ctx.db.write() as conn:
                state = lockout.load(conn, keys, now_ms)
        if now_ms < state.locked_until_ms:
            return LoginResult("locked", None, 0, state.locked_until_ms, state.reason)
        return LoginResult("ok", None, MAX_FAILURES - state.failures)

    def login(self, staff_id: str, pin: str, role: str | None = None) -> LoginResult:
        """Check `pin` for `staff_id` offline; `role="manager"` for a manager's approval."""
        if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit()) or len(pin) > 8:
            raise InvalidInput("a PIN is up to 8 digits", reason="invalid_pin")
        now_ms = self._ctx.now_ms()
        db = self._ctx.db
        keys = db.data_keys()
        with db.read() as conn:
            state = lockout.verified(conn, keys)
            row = conn.execute(text("SELECT id, name, role, pin_hash FROM staff WHERE id = :i "
                                    "AND active = 1"), {"i": staff_id}).first()
        if state is None:  # tampered: locked from now, written below
            with db.write() as conn:
                state = lockout.load(conn, keys, now_ms)
        if now_ms < state.locked_until_ms:  # no hash is even tried while locked
            return LoginResult("locked", None, 0, state.locked_until_ms, state.reason)
        ok = False
        if row is not None and (role is None or row[2] == role) and (
                row[2] != "manager" or len(pin) >= MANAGER_PIN_MIN):
            pin_hash = keys.open_pin(row[0], row[3])
            try:  # a row this key did not seal (edited, moved) matches no PIN
                ok = pin_hash is not None and PasswordHasher().verify(pin_hash, pin)
            except (VerificationError, InvalidHashError):  # ~50 ms: outside the write lock
                ok = False
        with db.write() as conn:
            state = lockout.load(conn, keys, now_ms)  # again: another process may have counted
            if now_ms < state.locked_until_ms:
                return LoginResult("locked", None, 0, state.locked_until_ms, state.reason)
            if ok and row is not None:
                lockout.save(conn, keys, 0, state.locked_until_ms)
                return LoginResult("ok", StaffMember(row[0], row[1], row[2]), MAX_FAILURES)
            failures = state.failures + 1
            if failures >= MAX_FAILURES:
                lockout.save(conn, keys, 0, now_ms + LOCKOUT_MS)
                return LoginResult("locked", None, 0, now_ms + LOCKOUT_MS)
            lockout.save(conn, keys, failures, state.locked_until_ms)
        status = "wrong_pin" if row is not None else "unknown_staff"
        return LoginResult(status, None, MAX_FAILURES - failures)

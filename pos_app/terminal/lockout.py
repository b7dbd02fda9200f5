"""The terminal-wide login lockout state, kept in `meta` with an HMAC from the terminal's data
key (`data_keys.lockout_mac`): `login_failures`, `login_locked_until_ms` and `login_mac`.

Editing a row (failures back to 0, the lock time to the past, the MAC deleted) does not reset
it: a state whose MAC does not verify counts as the maximum of failures, so the terminal locks
for LOCKOUT_MS from the moment it notices, exactly as five wrong PINs would (`TAMPERED`), and
then starts a fresh, signed count. Whoever edits the file gains no try over whoever waits.

The MAC is made when the terminal enrolls, and once when a home from before it (schema < 0007)
is first opened with its key (`anchor_upgrade`); a home with no MAC after that is tampered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from pos_app.terminal.data_keys import DataKeys
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.staff import LOCKOUT_MS, MAX_FAILURES

TAMPERED = "lockout_tampered"
FAILURES, UNTIL, MAC = "login_failures", "login_locked_until_ms", "login_mac"


@dataclass(frozen=True, slots=True)
class LockState:
    failures: int
    locked_until_ms: int
    reason: str | None = None  # TAMPERED when the stored state did not verify


def save(conn: Connection, keys: DataKeys, failures: int, until: int) -> None:
    TerminalDB.set_meta(conn, FAILURES, failures)
    TerminalDB.set_meta(conn, UNTIL, until)
    TerminalDB.set_meta(conn, MAC, keys.lockout_mac(failures, until))


def verified(conn: Connection, keys: DataKeys) -> LockState | None:
    """The stored state when its MAC verifies, else None (any transaction: reads only)."""
    failures, until = TerminalDB.get_int(conn, FAILURES), TerminalDB.get_int(conn, UNTIL)
    if keys.lockout_ok(failures, until, TerminalDB.get_meta(conn, MAC)):
        return LockState(failures, until)
    return None


def load(conn: Connection, keys: DataKeys, now_ms: int) -> LockState:
    """The verified state; a tampered one is replaced (inside `conn`, a write transaction) by
    a lock starting now."""
    state = verified(conn, keys)
    if state is not None:
        return state
    save(conn, keys, 0, now_ms + LOCKOUT_MS)
    return LockState(MAX_FAILURES, now_ms + LOCKOUT_MS, TAMPERED)


def anchor(conn: Connection, keys: DataKeys) -> None:
    """A new terminal's state: no failures, no lock, signed (at enrollment)."""
    save(conn, keys, 0, 0)


def anchor_upgrade(conn: Connection, keys: DataKeys) -> None:
    """Once, for a home upgraded from before the MAC: sign the state it had."""
    if TerminalDB.get_meta(conn, MAC) is None:
        save(conn, keys, TerminalDB.get_int(conn, FAILURES), TerminalDB.get_int(conn, UNTIL))

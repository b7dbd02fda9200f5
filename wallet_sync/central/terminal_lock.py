"""Locking a terminal's row for the transactions that serialise one till's work (a push, a
sync's first page, a decommission).

The lock is `FOR NO KEY UPDATE`, not `FOR UPDATE`: rows that reference the terminal (an
online authorization's hold, a value authorization, a points hold) take `FOR KEY SHARE` on it
when they are inserted, and `FOR UPDATE` conflicts with that. A till's background sync (the
terminal row, then the cards it grants on) and its own online spend (the card, then a hold
that references the terminal) then deadlocked on PostgreSQL. The row's key never changes,
so the weaker lock serialises these transactions among themselves just the same. SQLite
serialises writers at BEGIN and takes no row locks.

A transaction that already holds the lock (a sync's first page holds the terminal to its head,
then settles its escrow) gets the row it locked back without a second SELECT: the session's
identity map would hand back that same object anyway.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import Terminal

# session.info: terminal id -> (transaction, its row, whether it was locked)
_LOCKED = "locked_terminals"
_READ = select(Terminal).where(Terminal.id == bindparam("id"))
_LOCK = _READ.with_for_update(key_share=True)


def locked_terminal(session: Session, terminal_id: str, *, lock: bool) -> Terminal | None:
    """The terminal's row, locked (PostgreSQL, `lock`) until the transaction ends."""
    transaction = session.get_transaction()
    locked: dict[str, tuple[object, Terminal, bool]] = session.info.setdefault(_LOCKED, {})
    held = locked.get(terminal_id)
    if held is not None and transaction is not None and held[0] is transaction \
            and (held[2] or not lock):
        return held[1]
    row = session.scalars(_LOCK if lock else _READ, {"id": terminal_id}).first()
    if row is not None and transaction is not None:
        locked[terminal_id] = (transaction, row, lock)
    return row

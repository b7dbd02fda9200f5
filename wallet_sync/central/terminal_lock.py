"""Locking a terminal's row for the transactions that serialise one till's work (a push, a
sync's first page, a decommission).

The lock is `FOR NO KEY UPDATE`, not `FOR UPDATE`: rows that reference the terminal (an
online authorization's hold, a value authorization, a points hold) take `FOR KEY SHARE` on it
when they are inserted, and `FOR UPDATE` conflicts with that. A till's background sync (the
terminal row, then the cards it grants on) and its own online spend (the card, then a hold
that references the terminal) then deadlocked on PostgreSQL. The row's key never changes,
so the weaker lock serialises these transactions among themselves just the same. SQLite
serialises writers at BEGIN and takes no row locks.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import Terminal


def locked_terminal(session: Session, terminal_id: str, *, lock: bool) -> Terminal | None:
    """The terminal's row, locked (PostgreSQL, `lock`) until the transaction ends."""
    stmt = select(Terminal).where(Terminal.id == terminal_id)
    if lock:
        stmt = stmt.with_for_update(key_share=True)
    return session.scalars(stmt).first()

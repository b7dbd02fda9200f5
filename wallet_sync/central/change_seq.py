"""Where every writing transaction gets its change_seqs: the place of each changed card,
program, grant, member or staff row in the change feed (`changes.py` reads the feed).

`allocate` is one `UPDATE counters ... RETURNING` taken as the transaction's last statement.
The row lock is held until commit, so a transaction with a higher change_seq cannot commit
before one with a lower one, and a reader at cursor N can never skip a change that commits
later with a seq <= N. It sits apart from the feed so that the services that write (cards,
programs, members, staff, escrow) and the feed that reads them never import each other.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from wallet_sync.central.tables import COUNTER_CHANGES, Counter

LAST_ALLOCATED = "walletpos_last_change_seq"


def allocate(session: Session, count: int) -> int:
    """Reserve `count` consecutive change_seqs; return the first."""
    if count <= 0:
        raise ValueError("allocate at least one change_seq")
    stmt = (update(Counter).where(Counter.name == COUNTER_CHANGES)
            .values(value=Counter.value + count).returning(Counter.value))
    last = int(session.execute(stmt).scalar_one())
    session.info[LAST_ALLOCATED] = last  # what a read after this write must include
    return last - count + 1

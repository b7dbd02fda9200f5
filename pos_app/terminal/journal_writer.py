"""The one place the terminal's signed chain is written.

The chain rule: the next entry takes seq = last seq + 1 and prev_hash = the last entry's hash
(or the genesis hash), the wall time and the next monotonic counter, is signed with the
terminal's key, appended to the append-only journal, and the card's cached balance view is
refreshed from central's figure and the journal. Every job that journals — redeeming, the
basket commit, card care, issuing, day close, handing grants back — calls `append` inside its
own write transaction, so nothing else knows how a seq or a hash is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection

from core.journal import GENESIS_HASH, EntryBody, SignedEntry, sign_entry
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.enrollment import NotEnrolled


class JournalWriter:
    def __init__(self, db: TerminalDB, key: Callable[[], Ed25519PrivateKey],
                 clock: Callable[[], int]) -> None:
        self._db = db
        self._key = key
        self._clock = clock

    def append(self, conn: Connection, op: str, *, card: str | None = None,
               program: str | None = None, program_version: int | None = None,
               amount: int = 0, currency: str | None = None, staff: str | None = None,
               auth: str | None = None, grant: str | None = None, ref: int | None = None,
               offline: bool = False, extra: dict[str, Any] | None = None,
               request_id: str | None = None, wall_ms: int | None = None) -> SignedEntry:
        """Sign and append the next entry inside `conn`'s write transaction (a rollback takes
        it back with everything else)."""
        terminal = TerminalDB.get_meta(conn, "terminal_id")
        if terminal is None:
            raise NotEnrolled("this terminal is not enrolled; run `walletpos terminal enroll`")
        last_seq, last_hash = TerminalDB.last_entry(conn)
        body = EntryBody(
            terminal=terminal, seq=last_seq + 1, prev_hash=last_hash or GENESIS_HASH,
            wall_ms=self._clock() if wall_ms is None else wall_ms, mono=self._db.next_mono(conn),
            op=op, amount=amount, currency=currency, card=card, program=program,
            program_version=program_version, staff=staff, auth=auth, grant=grant, ref=ref,
            offline=offline, extra=dict(extra or {}))
        entry = sign_entry(body, self._key())
        TerminalDB.append(conn, entry, request_id)
        if card is not None:
            self._db.refresh_balance(conn, card)  # a no-op for codes that are not gift cards
        return entry

"""`terminal verify`: prove the local journal is the one this terminal signed.

Runs core.journal's chain check (continuity, prev_hash links, Ed25519 signatures, terminal id)
over the rows as stored, plus the checks only the store can do: a row's body must decode, and
its indexed copy columns (seq, hash, card, amount, ...) must match the signed body, because the
balance view and the offline caps are computed from those columns. The public key comes from
the encrypted key file, not from the database, so editing the database alone cannot re-key it.

Before the chain, the file itself: the full `PRAGMA integrity_check` (every page and index,
whatever the size; `integrity.DatabaseCorrupt`, exit 2, when it fails). After it, the balance
view: every card's `cards.balance` recomputed from central's figure and the journal
(`balance.all_mismatches`), and the cards an offline spend was refused for because they did not
agree (`balance_mismatch`, recorded at the counter). A card that disagrees now makes the
report not ok; a recorded refusal is always named, also once a sync has healed the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.errors import InvalidInput
from core.journal import SignedEntry, iter_chain_faults
from pos_app.terminal import balance, integrity
from pos_app.terminal.database import DB_NAME, TerminalDB

BALANCE_MISMATCH = "balance_mismatch"


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries: int
    seq: int | None = None
    why: str | None = None
    # cards whose balance view is not what the journal says, now
    cards: tuple[balance.BalanceMismatch, ...] = ()
    # cards an offline spend was refused for on that ground (code -> what was seen, when)
    refused: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = ({"ok": True, "entries": self.entries} if self.ok else
                               {"ok": False, "seq": self.seq, "why": self.why})
        if self.cards:
            out["cards"] = [c.as_json() for c in self.cards]
        if self.refused:
            out["refused_offline"] = self.refused
        return out


def _row_fault(row: dict[str, Any], entry: SignedEntry) -> str | None:
    body = entry.body
    expected = {"seq": body.seq, "hash": entry.hash, "op": body.op, "card": body.card,
                "program": body.program, "amount": body.amount, "currency": body.currency,
                "offline": int(body.offline), "wall_ms": body.wall_ms,
                "grant_id": body.grant}
    for column, value in expected.items():
        stored = row[column]
        if isinstance(stored, memoryview):
            stored = bytes(stored)
        if stored != value:
            return f"row_mismatch:{column}"
    return None


def verify_journal(store: TerminalDB, public_key: Ed25519PublicKey, terminal: str) -> VerifyReport:
    with store.read() as conn:
        integrity.full_check(conn, store.home / DB_NAME)
    rows = store.journal_rows()
    faults: list[tuple[int, str]] = []
    entries: list[SignedEntry] = []
    for position, row in enumerate(rows, start=1):
        try:
            entry = SignedEntry.from_wire(bytes(row["data"]), bytes(row["sig"]))
        except InvalidInput:
            faults.append((int(row["seq"]), "malformed_entry"))
            continue
        fault = _row_fault(row, entry)
        if fault is not None:
            faults.append((min(int(row["seq"]), entry.body.seq, position), fault))
        entries.append(entry)
    chain = next(iter(iter_chain_faults(entries, public_key, terminal=terminal)), None)
    if chain is not None:
        faults.append(chain)
    with store.read() as conn:
        cards = tuple(balance.all_mismatches(conn))
        refused = balance.recorded_mismatches(conn)
    if faults:
        # Same seq found by both: the chain's reason says more than "a copy column differs".
        seq, why = min(faults, key=lambda f: (f[0], f[1].startswith("row_mismatch")))
        return VerifyReport(False, len(rows), seq, why, cards, refused)
    if cards:
        return VerifyReport(False, len(rows), None, BALANCE_MISMATCH, cards, refused)
    # A refusal the next sync has since healed (central's figure rewrote the view) is still
    # named, but no longer makes the till unsound.
    return VerifyReport(True, len(rows), refused=refused)

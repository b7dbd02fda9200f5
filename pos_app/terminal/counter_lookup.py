"""What the counter screen asks the replica besides money: which code shapes exist (so typed
codes get check-character feedback as they are typed), what a scanned payload is, and the hash
of a journal entry for its receipt. Reads only; runs on the GUI's worker thread through
`TerminalService`, never on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from core.codes import CodePattern
from core.payload import Identifier, parse_payload
from pos_app.terminal import replica
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.enrollment import Identity


def code_patterns(db: TerminalDB) -> tuple[list[str], list[str]]:
    """(gift-card patterns, loyalty member patterns) of the programs in the replica."""
    with db.read() as conn:
        programs = replica.load_programs(conn)
    members = sorted({p.program.member_code_pattern for p in programs.values()
                      if p.program.member_code_pattern})
    return replica.card_patterns(programs), members


def is_member_code(db: TerminalDB, code: str) -> bool:
    """Whether CODE has the shape of a loyalty member code of this replica."""
    _, members = code_patterns(db)
    return any(CodePattern(p).is_valid(code) for p in members)


def identify(db: TerminalDB, identity: Identity, payload: str) -> Identifier:
    """core.payload.parse_payload with this terminal's patterns and central's key; raises an
    InvalidInput subclass (with a reason the screen translates) for anything else."""
    cards, members = code_patterns(db)
    return parse_payload(payload, code_patterns=cards, member_patterns=members,
                         issuer_keys={identity.central_key_id: identity.central_key})


def entry_hash(db: TerminalDB, seq: int) -> bytes | None:
    with db.read() as conn:
        row = conn.execute(text("SELECT hash FROM journal WHERE seq = :s"), {"s": seq}).first()
    return bytes(row[0]) if row else None


@dataclass(frozen=True)
class OfflineMode:
    program: str
    kind: str  # gift_card | loyalty
    names: dict[str, str]
    mode: str  # online | escrow | floor
    per_sale: int | None  # floor cap per transaction (minor units; points for loyalty)
    currency: str
    till_total: int | None = None  # floor cap for this terminal until the next sync
    max_hours: int | None = None  # no offline spending this long after the last sync


def offline_modes(db: TerminalDB) -> list[OfflineMode]:
    """Each program's offline policy, for the banner that tells the cashier what still works."""
    with db.read() as conn:
        programs = replica.load_programs(conn)
    return [OfflineMode(pid, e.program.kind, dict(e.program.name) or {"en": pid},
                        e.program.offline.mode, e.program.offline.floor_per_transaction,
                        e.program.currency, e.program.offline.terminal_total,
                        e.program.offline.max_offline_hours)
            for pid, e in sorted(programs.items())]

"""The journal heads terminals report, and the forks they reveal.

Every signed request from a terminal carries its journal head — the last seq and that entry's
hash — in the signed `Wallet-Head` header. Central holds the terminal to what it said:

- a head at or below what central stored must be the stored entry's hash (else a **fork**:
  the terminal's journal is not the one it pushed);
- a head beyond what central stored is remembered (`terminal_heads`); the entry with that seq
  must arrive with that hash (`check_batch_heads`, before a push is applied) — a terminal that
  deleted or rewrote an entry whose head it had reported is a fork;
- a head lower than one it reported and never pushed is a **rollback** (entries central saw
  the head of are gone) once the lower report cannot be an older request still in flight:
  signatures are refused after `httpsig.MAX_AGE`, so a report arriving ROLLBACK_AFTER_S after
  the higher head was recorded was signed after it.

A fork or rollback quarantines the terminal (`quarantine`): from then on every signed
request is refused 403 `quarantined`, which the terminal shows at the till. The head a refused
request still carries is kept, seq only (`note_refused`): how far the quarantined terminal's
journal has gone past what central applied is what the exposure report shows as its unsynced
entries. The honest common case — a terminal whose head is what central stored — costs no
database access.

Public: Head, Reported, ROLLBACK_AFTER_S, quarantine, record, hold, refuse, check,
check_batch_heads, honest, note_refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from core.journal import GENESIS_HASH
from wallet_sync.central import terminal_flags
from wallet_sync.central.conflicts import Ref, open_case
from wallet_sync.central.db import Database
from wallet_sync.central.errors import Forbidden, Invalid
from wallet_sync.central.tables import Entry, Terminal, TerminalHead
from wallet_sync.central.terminal_lock import locked_terminal
from wallet_sync.httpsig import MAX_AGE
from wallet_sync.protocol import parse_head

ROLLBACK_AFTER_S = int(MAX_AGE.total_seconds()) + 60


@dataclass(frozen=True)
class Head:
    seq: int
    hash: bytes

    @classmethod
    def parse(cls, value: str | None) -> Head | None:
        if value is None:
            return None
        parsed = parse_head(value)
        if parsed is None:
            raise Invalid("invalid_head", "the Wallet-Head header is malformed")
        return cls(*parsed)


@dataclass(frozen=True)
class Reported:
    """What a head revealed: nothing, or the quarantine's reason and case."""

    fork: str | None = None
    conflict_id: int | None = None


def quarantine(session: Session, terminal: str, seq: int, reason: str, refs: list[Ref],
               now: int, *, card: str | None = None, currency: str | None = None) -> int:
    """Stop TERMINAL and open the case showing why; the caller commits, then refuses."""
    session.execute(update(Terminal).where(Terminal.id == terminal)
                    .values(status="quarantined", status_reason=reason[:200]))
    return open_case(session, card=card, terminal=terminal, seq=seq, reason="fork",
                     shortfall=0, currency=currency, refs=refs, now=now)


def _stored_hash(session: Session, term: Terminal, seq: int) -> bytes | None:
    if seq == 0:
        return GENESIS_HASH
    if seq == term.last_seq:
        return bytes(term.last_hash)
    found = session.scalar(select(Entry.hash).where(Entry.terminal == term.id, Entry.seq == seq))
    return bytes(found) if found is not None else None


def record(session: Session, term: Terminal, head: Head, now: int) -> Reported:
    """Hold TERM (locked by the caller) to HEAD inside the caller's write transaction; a fork
    or rollback quarantines it (the caller commits and refuses)."""
    ref: Ref = (term.id, head.seq, head.hash.hex())
    if head.seq <= term.last_seq:
        stored = _stored_hash(session, term, head.seq)
        if stored is not None and stored != head.hash:
            why = f"fork at seq {head.seq}: reported head differs from the pushed entry"
            return Reported(why, quarantine(session, term.id, head.seq, why,
                                            [(term.id, head.seq, stored.hex()), ref], now))
    else:
        known = session.get(TerminalHead, (term.id, head.seq))
        if known is not None and bytes(known.hash) != head.hash:
            why = f"fork at seq {head.seq}: two heads with one seq"
            return Reported(why, quarantine(session, term.id, head.seq, why,
                                            [(term.id, head.seq, bytes(known.hash).hex()), ref],
                                            now))
        if known is None:
            session.execute(insert(TerminalHead).values(terminal=term.id, seq=head.seq,
                                                        hash=head.hash, reported_at=now))
    if term.head_seq > max(head.seq, term.last_seq):
        lost = session.scalars(select(TerminalHead).where(
            TerminalHead.terminal == term.id, TerminalHead.seq > max(head.seq, term.last_seq))
            .order_by(TerminalHead.seq)).all()
        old = [h for h in lost if h.reported_at + ROLLBACK_AFTER_S <= now]
        if old:
            why = (f"rollback: journal head {head.seq} after head {old[-1].seq} was reported "
                   "and never pushed")
            return Reported(why, quarantine(
                session, term.id, old[-1].seq, why,
                [(term.id, h.seq, bytes(h.hash).hex()) for h in old] + [ref], now))
    if head.seq > term.head_seq:
        session.execute(update(Terminal).where(Terminal.id == term.id)
                        .values(head_seq=head.seq))
        term.head_seq = head.seq
    return Reported()


def honest(term: Terminal, head: Head | None) -> bool:
    """True when HEAD is exactly what central stored and nothing reported is pending: the
    common case, decided without the database."""
    return head is None or (head.seq == term.last_seq and head.hash == bytes(term.last_hash)
                            and term.head_seq <= term.last_seq)


def hold(session: Session, terminal: str, head: Head | None, now: int, *, lock: bool
         ) -> Reported:
    """Lock the terminal's row and hold it to HEAD, inside the caller's write transaction
    (a sync's first page does this before its maintenance)."""
    term = locked_terminal(session, terminal, lock=lock)
    assert term is not None  # the signed call resolved it
    if term.status != "active":
        raise terminal_flags.refused(terminal, term.status, term.status_reason)
    return Reported() if head is None else record(session, term, head, now)


def refuse(reported: Reported) -> None:
    """After the commit: a fork or rollback refuses the request that revealed it."""
    if reported.fork is not None:
        raise Forbidden("quarantined", f"{reported.fork}: terminal quarantined "
                                       f"(conflict {reported.conflict_id})")


def check(db: Database, term: Terminal, head: Head | None, now: int) -> None:
    """The head of a signed request that is not a push or a sync's first page (those hold the
    terminal to its head inside their own transaction). Forbidden once quarantined."""
    if honest(term, head):
        return
    with db.write() as session:
        reported = hold(session, term.id, head, now, lock=db.postgres)
    refuse(reported)


def check_batch_heads(session: Session, term: Terminal, hashes: dict[int, bytes]
                      ) -> tuple[int, bytes] | None:
    """Before a push is applied: (seq, reported hash) of the first new entry whose seq has a
    reported head with another hash, else None. Matched heads are dropped (bookkeeping)."""
    if term.head_seq <= term.last_seq or not hashes:
        return None
    heads = session.scalars(select(TerminalHead).where(
        TerminalHead.terminal == term.id, TerminalHead.seq >= min(hashes),
        TerminalHead.seq <= max(hashes)).order_by(TerminalHead.seq)).all()
    for h in heads:
        if hashes[h.seq] != bytes(h.hash):
            return h.seq, bytes(h.hash)
    if heads:
        session.execute(delete(TerminalHead).where(TerminalHead.terminal == term.id,
                                                   TerminalHead.seq <= max(hashes)))
    return None


def note_refused(db: Database, term: Terminal, raw_head: str | None) -> None:
    """A quarantined terminal signed a request (refused by the caller): keep the seq of the
    head it reported when it is beyond any it reported before. Its hashes are no longer held
    to anything; the seq says how many entries it journaled that central will never apply."""
    parsed = parse_head(raw_head) if raw_head is not None else None
    if parsed is None or parsed[0] <= max(term.head_seq, term.last_seq):
        return
    with db.write() as session:
        session.execute(update(Terminal).where(Terminal.id == term.id,
                                               Terminal.head_seq < parsed[0])
                        .values(head_seq=parsed[0]))

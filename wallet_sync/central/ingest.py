"""Journal push (`POST /v1/journal`): verify a terminal's batch, then store and apply it in one
transaction, exactly as PROTOCOL.md says.

Everything CPU-bound and stateless (base64, strict CBOR decode, Ed25519 verify, chain links
inside the batch) happens in `check_batch` before any lock is taken; `apply_batch` then locks
the terminal row, settles duplicates / gaps / forks against central's last seq, applies the new
entries to in-memory accounts loaded once for the batch, and writes with bulk statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.journal import EntryBody, SignedEntry, entry_hash
from core.keys import unb64
from core.money import MAX_MINOR
from wallet_sync.central import (
    accounts,
    bulk,
    code_pool,
    escrow,
    event_hooks,
    heads,
    referrals,
    terminal_flags,
)
from wallet_sync.central.applying import Applier
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.tables import Entry, ForkedEntry, Terminal, table_of
from wallet_sync.central.terminal_lock import locked_terminal
from wallet_sync.protocol import EntryResult, PushRequest, PushResponse

MAX_SEQ = 2**62  # far beyond any journal; keeps hostile giant integers out of BIGINT columns
LEDGER_OPS = frozenset({"issue", "redeem", "activate", "load", "void", "block", "unblock",
                        "release", "refund"})
HOMING_OPS = frozenset({"activate", "load"})  # a card is homed where it was sold or topped up


@dataclass(frozen=True)
class Checked:
    entry: SignedEntry
    hash: bytes

    @property
    def seq(self) -> int:
        return self.entry.body.seq


@dataclass(frozen=True)
class Fork:
    seq: int
    conflict_id: int


def check_batch(terminal_id: str, push: PushRequest, public_key: Ed25519PublicKey
                ) -> list[Checked]:
    """Decode and verify a batch without touching the database; any defect is Invalid."""
    checked: list[Checked] = []
    for i, wire in enumerate(push.entries):
        try:
            entry = SignedEntry.from_wire(unb64(wire.data), unb64(wire.sig))
        except InvalidInput as exc:
            raise Invalid("malformed_entry", f"entries[{i}]: {exc.message}") from exc
        if entry.body.terminal != terminal_id:
            raise Invalid("wrong_terminal", f"entries[{i}] names another terminal")
        if entry.body.seq > MAX_SEQ:
            raise Invalid("malformed_entry", f"entries[{i}]: seq out of range")
        checked.append(Checked(entry, entry_hash(entry.data)))
    for prev, cur in zip(checked, checked[1:], strict=False):
        if cur.seq != prev.seq + 1:
            raise Invalid("broken_chain", f"batch is not consecutive at seq {cur.seq}")
        if cur.entry.body.prev_hash != prev.hash:
            raise Invalid("broken_chain", f"prev_hash does not link at seq {cur.seq}")
    for c in checked:
        if not c.entry.verify(public_key):
            raise Invalid("bad_signature",
                          f"entry seq {c.seq} is not signed by {terminal_id}")
    return checked


def apply_batch(session: Session, terminal_id: str, batch: list[Checked], now: int, *,
                lock: bool, head: heads.Head | None = None) -> PushResponse | Fork:
    """Apply a verified batch; HEAD is the journal head the push's signature carries, held
    against what central stores and the heads the terminal reported before (`heads`)."""
    term = locked_terminal(session, terminal_id, lock=lock)
    assert term is not None  # the signed call resolved it
    if term.status != "active":
        raise terminal_flags.refused(terminal_id, term.status, term.status_reason)
    last = term.last_seq
    if batch[0].seq > last + 1:
        raise StateConflict("gap", f"expected seq {last + 1}", expected_seq=last + 1)

    results: list[EntryResult] = []
    dups = [c for c in batch if c.seq <= last]
    if dups:
        stored = {row.seq: row for row in session.execute(
            select(Entry.seq, Entry.hash, Entry.status, Entry.reason)
            .where(Entry.terminal == terminal_id, Entry.seq >= dups[0].seq,
                   Entry.seq <= dups[-1].seq))}
        for c in dups:
            row = stored.get(c.seq)
            if row is None or bytes(row.hash) != c.hash:
                return _quarantine(session, term, c, None if row is None else bytes(row.hash),
                                   now)
            results.append(EntryResult(seq=c.seq, status=row.status, reason=row.reason))

    new = [c for c in batch if c.seq > last]
    if new:
        if new[0].entry.body.prev_hash != term.last_hash:
            raise Invalid("broken_chain", f"seq {new[0].seq} does not link to seq {last}")
        # An entry whose head the terminal reported must be that entry.
        mismatch = heads.check_batch_heads(session, term, {c.seq: c.hash for c in new})
        if mismatch is not None:
            forked = next(c for c in new if c.seq == mismatch[0])
            return _quarantine(session, term, forked, mismatch[1], now)
        results.extend(_apply_new(session, term, new, now, lock=lock))
    if head is not None:
        reported = heads.record(session, term, head, now)
        if reported.fork is not None:
            return Fork(seq=head.seq, conflict_id=reported.conflict_id or 0)
    return PushResponse(acked=term.last_seq, results=results)


def _apply_new(session: Session, term: Terminal, new: list[Checked], now: int, *, lock: bool
               ) -> list[EntryResult]:
    codes = {c.entry.body.card for c in new
             if c.entry.body.op in LEDGER_OPS and c.entry.body.card}
    # Cards issued from this terminal's code pool exist (empty) before the batch is loaded.
    issued = {c.seq: code_pool.issue_card(session, term.id, term.store, c.entry.body, now)
              for c in new if c.entry.body.op == "issue"}
    working = accounts.load(session, codes, lock=lock)
    applier = Applier(session, term, working, now, issued)
    bodies = [c.entry.body for c in new]
    applier.backing.load(bodies)
    applier.check.expect(bodies)
    applier.loyalty.prepare(bodies, lock=lock)
    applier.load_holds({c.entry.body.auth for c in new
                        if c.entry.body.op == "redeem" and c.entry.body.auth})
    applier.load_grants({c.entry.body.grant for c in new
                         if c.entry.body.op in ("redeem", "release") and c.entry.body.grant})
    rows = []
    results = []
    applied: list[tuple[EntryBody, str]] = []
    for c in new:
        body = c.entry.body
        status, reason = applier.apply(c.entry, c.hash)
        applied.append((body, status))
        amount = body.amount if body.amount <= MAX_MINOR else 0
        rows.append({
            "terminal": term.id, "seq": body.seq, "hash": c.hash, "data": c.entry.data,
            "signature": c.entry.signature, "op": body.op, "card": body.card, "amount": amount,
            "currency": body.currency, "auth": body.auth, "grant_id": body.grant,
            "ref": body.ref if body.ref is not None and abs(body.ref) <= MAX_SEQ else None,
            "status": status, "reason": reason, "received_at": now,
            "offline": body.offline, "program": body.program,
        })
        # pydantic checks the Literal at run time; the applier returns plain str
        results.append(EntryResult(seq=body.seq, status=status,  # type: ignore[arg-type]
                                   reason=reason))
    bulk.insert_rows(session, table_of(Entry), rows)
    applier.flush()
    session.execute(update(Terminal).where(Terminal.id == term.id)
                    .values(last_seq=new[-1].seq, last_hash=new[-1].hash))
    term.last_seq, term.last_hash = new[-1].seq, new[-1].hash
    seen: dict[str, bool] = {}
    for c in new:
        body = c.entry.body
        if body.card in working:
            seen[body.card] = seen.get(body.card, False) or body.op in HOMING_OPS
    escrow.seen(session, term.store, seen, now)
    terminal_flags.raise_flags(session, term.id, applier.flags, now)
    event_hooks.entries(session, term.id, term.store, applied,
                        {code: w.card.customer for code, w in working.items()}, now)
    referrals.purchases(session, applied, now)  # a referred friend's first purchase
    # Last: takes the change counter, so its row lock is held for as short a time as possible.
    applier.loyalty.save()  # members' points and reward cards (wallet_sync.central.points)
    accounts.save(session, working, now)
    # The reserve absorbs whatever changed the balance, less what left open holds and grants.
    escrow.add_reserve(session, {
        code: w.card.balance_minor - w.stored_balance + applier.freed.get(code, 0)
        for code, w in working.items()})
    escrow.stamp(session, [gid for gid, _ in applier.released])
    escrow.check(session, working)
    return results


def _quarantine(session: Session, term: Terminal, forked: Checked, stored_hash: bytes | None,
                now: int) -> Fork:
    """Same seq, different hash (a stored entry, or a head the terminal reported): keep the
    evidence, stop the terminal, open a case. Committed by the caller even though the
    request is then refused (Forbidden)."""
    session.add(ForkedEntry(terminal=term.id, seq=forked.seq, hash=forked.hash,
                            data=forked.entry.data, signature=forked.entry.signature,
                            received_at=now))
    refs = [(term.id, forked.seq, forked.hash.hex())]
    if stored_hash is not None:
        refs.insert(0, (term.id, forked.seq, stored_hash.hex()))
    conflict_id = heads.quarantine(session, term.id, forked.seq, f"fork at seq {forked.seq}",
                                   refs, now, card=forked.entry.body.card,
                                   currency=forked.entry.body.currency)
    return Fork(seq=forked.seq, conflict_id=conflict_id)

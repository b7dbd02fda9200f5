"""Working copies of gift-card accounts inside one transaction: load cards and their lots once
for a whole batch (locked on PostgreSQL), apply core.ledger operations in memory, record each
as a card_event, then write everything back in a few bulk statements.

The `cards.balance_minor` and `lots.remaining` columns are cached views; `card_events` is the
record that `core.ledger.replay` rebuilds them from (see the replay test).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.ledger import GiftCardAccount, LedgerEvent, Lot
from wallet_sync.central import bulk
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.tables import Card, CardEvent, CardLot, table_of


@dataclass
class Working:
    card: Card
    account: GiftCardAccount
    original: dict[str, int]  # lot id -> remaining as loaded
    events: list[dict[str, Any]] = field(default_factory=list)
    stored_balance: int = 0  # cards.balance_minor as loaded: escrow settles the difference

    def record(self, account: GiftCardAccount, event: LedgerEvent, *, terminal: str | None = None,
               seq: int | None = None, actor: str | None = None) -> None:
        self.account = account
        self.events.append({
            "card": self.card.code, "op": event.op, "amount": event.amount,
            "lot_id": event.lot_id, "expires_at": event.expires_at,
            "allocation": [[lot, amt] for lot, amt in event.allocation], "at": event.at,
            "terminal": terminal, "seq": seq, "actor": actor,
        })


def account_of(card: Card, lots: Iterable[CardLot | Any]) -> GiftCardAccount:
    ordered = sorted(lots, key=lambda lot: lot.lot_id)
    return GiftCardAccount(
        code=card.code, currency=card.currency, state=card.state,  # type: ignore[arg-type]
        lots=tuple(Lot(lot.lot_id, lot.amount, lot.remaining, lot.expires_at) for lot in ordered),
        expires_at=card.expires_at,
    )


def load(session: Session, codes: Iterable[str], *, lock: bool) -> dict[str, Working]:
    """Working copies for the cards that exist among `codes`. Locks rows in code order so two
    batches touching the same cards cannot deadlock."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    stmt = select(Card).where(bulk.among(session, Card.code, wanted)).order_by(Card.code)
    if lock:
        stmt = stmt.with_for_update()
    cards = session.scalars(stmt).all()
    # Plain tuples (lot id, amount, remaining, expires_at): a batch loads hundreds.
    lots: dict[str, list[tuple[str, int, int, int | None]]] = {c.code: [] for c in cards}
    if cards:
        for card, lot_id, amount, remaining, expires_at in session.execute(
                select(CardLot.card, CardLot.lot_id, CardLot.amount, CardLot.remaining,
                       CardLot.expires_at).where(bulk.among(session, CardLot.card, list(lots)))):
            lots[card].append((lot_id, amount, remaining, expires_at))
    working = {}
    for c in cards:
        code = c.code
        mine = sorted(lots[code])
        account = GiftCardAccount(code=code, currency=c.currency,
                                  state=c.state,  # type: ignore[arg-type]
                                  lots=tuple(Lot(*lot) for lot in mine), expires_at=c.expires_at)
        working[code] = Working(c, account, {lot[0]: lot[2] for lot in mine},
                                stored_balance=c.balance_minor)
    return working


def save(session: Session, working: dict[str, Working], now: int) -> int:
    """Write back every changed account; return how many cards changed. The lots and events go
    first: only the cards' own rows need change_seqs, whose counter lock (`allocate`) every
    writer waits for, so it is taken as late as possible."""
    changed = sorted((w for w in working.values() if w.events), key=lambda w: w.card.code)
    if not changed:
        return 0
    lot_updates: list[dict[str, Any]] = []
    lot_inserts: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for w in changed:
        acct = w.account
        for lot in acct.lots:
            if lot.lot_id not in w.original:
                lot_inserts.append({"card": acct.code, "lot_id": lot.lot_id, "amount": lot.amount,
                                    "remaining": lot.remaining, "expires_at": lot.expires_at})
            elif w.original[lot.lot_id] != lot.remaining:
                lot_updates.append({"card": acct.code, "lot_id": lot.lot_id,
                                    "remaining": lot.remaining})
        events.extend(w.events)
        w.original = {lot.lot_id: lot.remaining for lot in acct.lots}
        w.events = []
    bulk.update_rows(session, table_of(CardLot), ["card", "lot_id"], lot_updates,
                     set_=["remaining"])
    bulk.insert_rows(session, table_of(CardLot), lot_inserts)
    bulk.insert_rows(session, table_of(CardEvent), events)
    first = allocate(session, len(changed))
    card_updates: list[dict[str, Any]] = []
    for offset, w in enumerate(changed):
        acct = w.account
        balance = acct.balance(now)
        card_updates.append({"code": acct.code, "state": acct.state, "balance_minor": balance,
                             "change_seq": first + offset})
        # Keep the ORM objects truthful for callers that read them after save.
        # (set_committed_value: the bulk UPDATE below writes them; the ORM must not again).
        set_committed_value(w.card, "state", acct.state)
        set_committed_value(w.card, "balance_minor", balance)
        set_committed_value(w.card, "change_seq", first + offset)
    bulk.update_rows(session, table_of(Card), ["code"], card_updates,
                     set_=["state", "balance_minor", "change_seq"])
    return len(changed)


def events_of(session: Session, code: str) -> list[LedgerEvent]:
    """A card's recorded ledger events, in application order, for core.ledger.replay."""
    rows = session.scalars(select(CardEvent).where(CardEvent.card == code)
                           .order_by(CardEvent.id)).all()
    return [LedgerEvent(op=r.op, amount=r.amount, lot_id=r.lot_id, expires_at=r.expires_at,
                        allocation=tuple((str(a), int(b)) for a, b in r.allocation), at=r.at)
            for r in rows]

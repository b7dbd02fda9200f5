"""The rules engine at central's authorize: `valid_when`, recurring windows and the card's count
and amount limits (`per_card_*`, counted from the card's redeem entries from every terminal —
voided ones left out — plus its open holds; `per_customer_*` the same over every card of the
program linked to the card's customer) decide an online gift-card spend exactly as the
terminal's quote does. Central has no store clock of its own: its windows are UTC (the
terminal applies the store's zone before asking, so a spend refused there never gets here)."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from core.ledger import GiftCardAccount, Lot
from core.programs import Program
from core.rules.basket import Basket
from core.rules.context import Store
from core.rules.limits import PERIODS, UsageRecord, period_start, tally
from core.rules.quote import CardHolding, quote
from wallet_sync.central.tables import Card, Entry, Hold, table_of

ZONE = "UTC"


def authorize_reason(session: Session, card: Card, program: Program | None, amount: int,
                     now: int, basket: Basket | None = None) -> str | None:
    """On the order's BASKET when the request carries one (a card restricted to some lines
    needs it: without lines it is `not_valid_now: order.lines`), else a total of AMOUNT."""
    if program is None or (program.when is None and not program.limits.counters
                            and not program.limits.windows
                            and not (program.eligibility is not None
                                     and "order.lines" in program.eligibility.paths)):
        return None
    since = min(period_start(p, now, ZONE) for p in PERIODS)
    # A card linked to a customer counts the customer's other cards too (`per_customer_*`).
    customer = card.customer
    codes = [card.code] if customer is None else sorted(set(session.scalars(
        select(Card.code).where(Card.customer == customer, Card.program == program.id)))
        | {card.code})
    voids = select(Entry.terminal, Entry.ref).where(Entry.op == "void", Entry.card.in_(codes))
    voided = {(t, r) for t, r in session.execute(voids)}
    records = [UsageRecord(at, program.id, "", amt, code, customer)
               for term, seq, at, amt, code in session.execute(
                   select(Entry.terminal, Entry.seq, Entry.received_at, Entry.amount,
                          Entry.card)
                   .where(Entry.card.in_(codes), Entry.op == "redeem",
                          Entry.received_at >= since))
               if (term, seq) not in voided]
    open_hold = and_(Hold.card.in_(codes), Hold.consumed_seq.is_(None), Hold.expires_at > now)
    if "released_at" in table_of(Hold).c:
        open_hold = and_(open_hold, table_of(Hold).c.released_at.is_(None))
    records += [UsageRecord(at, program.id, "", amt, code, customer)
                for at, amt, code in session.execute(
                    select(Hold.created_at, Hold.amount, Hold.card).where(open_hold))]
    usage = tally(records, now=now, time_zone=ZONE, card=card.code, customer=customer)
    account = GiftCardAccount(card.code, card.currency, "active",
                              (Lot("central", amount, amount),), None)
    q = quote(basket or Basket(card.currency, (), amount), {program.id: program},
              cards=[CardHolding(program.id, account)], store=Store("", ZONE), usage=usage,
              now=now)
    refusal = q.refusal(f"gift:{card.code}")
    if refusal is not None:
        return refusal.code
    offer = q.gift_cards[0]
    if offer.spendable < amount and offer.capped_by:
        return f"limit_reached: {offer.capped_by}"
    return None

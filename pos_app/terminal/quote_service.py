"""Quotes from the terminal's replica: which identifiers are members and which gift cards, the
local views of their balances and points, the limit usage tallied from this terminal's journal,
and the store's clock — handed to the pure `core.rules.quote.quote`.

Usage is counted from the journal as it grows (`usage_cache`: offline entries not yet synced
included, voided ones left out). The same engine answers the plain gift-card redeem path
(`gift_card_reason`), so `valid_when` and count limits decline a `terminal redeem` exactly as
they decline a quote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from core.codes import normalize_code
from core.errors import InvalidCode
from core.ledger import GiftCardAccount, Lot
from core.money import format_minor
from core.programs import Program
from core.rules.basket import Basket
from core.rules.context import Customer, Store, zone
from core.rules.limits import Usage
from core.rules.loyalty import period_bounds
from core.rules.offers import Quote, Refusal
from core.rules.orders import OrderSoFar, room
from core.rules.quote import CardHolding, Membership, quote
from pos_app.terminal import members, replica, usage_cache
from pos_app.terminal.database import CardRow, TerminalDB


@dataclass(frozen=True)
class QuoteRequest:
    basket: Basket
    identifiers: tuple[str, ...]
    events: tuple[str, ...] = ()
    customer: Customer | None = None


@dataclass(frozen=True)
class TerminalQuote:
    """A quote as the terminal made it: what was asked, the engine's answer, the identifiers
    the replica does not know, and whether central could be reached for the members."""

    request: QuoteRequest
    quote: Quote
    unknown: tuple[Refusal, ...] = ()
    offline: bool = False
    members: tuple[str, ...] = ()
    cards: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        q, cur = self.quote, self.quote.currency

        def money(minor: int) -> str:
            return format_minor(minor, cur)

        return {
            "status": "quoted", "currency": cur, "total": money(q.total), "token": q.token,
            "offline": self.offline, "points_to_earn": q.points_to_earn,
            "gift_cards": [{"benefit": g.benefit, "card": g.card, "balance": money(g.balance),
                            "spendable": money(g.spendable), "capped_by": g.capped_by,
                            # a card for some lines only: their amount and which lines
                            **({"eligible": money(g.eligible), "lines": list(g.lines)}
                               if g.lines is not None and g.eligible is not None else {})}
                           for g in q.gift_cards],
            "earn": [{"benefit": e.benefit, "rule": e.rule, "points": e.points,
                      "base": e.base_points, "multiplier": str(e.multiplier)} for e in q.earn],
            "rewards": [{"benefit": r.benefit, "reward": r.reward, "cost": r.cost,
                         "gives": r.gives.kind, "value": money(r.value)} for r in q.rewards],
            "refused": [{"benefit": r.benefit, "program": r.program, "reason": r.code}
                        for r in (*self.unknown, *q.refused)],
            "members": [{"member": m.member, "program": m.program, "tier": m.tier,
                         "next_tier": m.next_tier, "points_to_next": m.points_to_next,
                         "points": m.points, "points_to_earn": m.points_to_earn,
                         "eligible": m.eligible} for m in q.members],
        }


@dataclass
class ReplicaView:
    """What one quote reads, from one transaction."""

    conn: Connection
    terminal: str
    store: Store
    programs: dict[str, replica.ReplicaProgram] = field(default_factory=dict)

    @classmethod
    def open(cls, conn: Connection, terminal: str, store_id: str, time_zone: str) -> ReplicaView:
        zone(time_zone)
        return cls(conn, terminal, Store(store_id, time_zone),
                   replica.load_programs(conn))

    def by_id(self) -> Mapping[str, Program]:
        return {pid: rp.program for pid, rp in self.programs.items()}

    def member_patterns(self) -> list[str]:
        return sorted({rp.program.member_code_pattern for rp in self.programs.values()
                       if rp.program.member_code_pattern})

    def resolve(self, text_in: str) -> tuple[str, str] | None:
        """("member" | "card", canonical code), or None when neither replica has it."""
        for kind, patterns in (("member", self.member_patterns()),
                               ("card", replica.card_patterns(self.programs))):
            try:
                code = normalize_code(text_in, patterns)
            except InvalidCode:
                continue
            if kind == "member" and members.get(self.conn, code) is not None:
                return kind, code
            if kind == "card" and TerminalDB.get_card(self.conn, code) is not None:
                return kind, code
        return None

    def member_code(self, text_in: str) -> str | None:
        try:
            return normalize_code(text_in, self.member_patterns())
        except InvalidCode:
            return None

    def membership(self, code: str, now: int) -> Membership | None:
        row = members.get(self.conn, code)
        rp = self.programs.get(row.program) if row else None
        if row is None or rp is None or rp.program.loyalty is None:
            return None
        loyalty = rp.program.loyalty
        local = members.local(self.conn, row, self.terminal)
        start, end = period_bounds(loyalty, now)
        prev = period_bounds(loyalty, start - 1)[0]
        lots = local.account.lots
        return members.membership(
            local, sum(lot.points for lot in lots if start <= lot.earned_at < end),
            sum(lot.points for lot in lots if prev <= lot.earned_at < start))

    def usage(self, now: int, holdings: Sequence[tuple[str, str]], customer: str | None
              ) -> Usage:
        """Tallies for each (program, code) presented, merged (programs differ per key)."""
        return usage_cache.usage(self.conn, now, self.store.time_zone, self.store.id,
                                 holdings, customer)


def build(rep: ReplicaView, request: QuoteRequest, now: int, *, indexed: bool = True
          ) -> TerminalQuote:
    """The quote of REQUEST over this replica. INDEXED (every scan) evaluates only the rules
    the basket and member can trigger; `indexed=False` lists every refusal, to explain why a
    benefit asked for by name is not offered."""
    cards: list[CardHolding] = []
    memberships: list[Membership] = []
    unknown: list[Refusal] = []
    seen: set[str] = set()
    for ident in request.identifiers:
        found = rep.resolve(ident)
        if found is None or found[1] in seen:
            if found is None:
                unknown.append(Refusal(f"code:{ident[:64]}", "", "unknown_code"))
            continue
        kind, code = found
        seen.add(code)
        if kind == "member":
            m = rep.membership(code, now)
            if m is None:
                row = members.get(rep.conn, code)
                unknown.append(Refusal(f"member:{code}", row.program if row else "",
                                       replica.refusal(rep.conn, row.program if row else None)))
            else:
                memberships.append(m)
        else:
            cards.append(holding(TerminalDB.get_card(rep.conn, code)))  # type: ignore[arg-type]
    customer = request.customer or (memberships[0].customer if memberships else None)
    who = customer.id if customer else None
    holds = [(c.program, c.account.code) for c in cards] + \
            [(m.program, m.member) for m in memberships]
    q = quote(request.basket, rep.by_id(), cards=cards, members=memberships,
              customer=customer, store=rep.store, usage=rep.usage(now, holds, who), now=now,
              events=request.events, indexed=indexed)
    return TerminalQuote(request, q, tuple(unknown), members=tuple(m.member for m in memberships),
                         cards=tuple(c.account.code for c in cards))


def holding(card: CardRow) -> CardHolding:
    """A gift card's local balance view as a one-lot account (the card carries the expiry)."""
    lots = (Lot("local", card.balance, card.balance),) if card.balance > 0 else ()
    state: Any = card.state
    return CardHolding(card.program, GiftCardAccount(card.code, card.currency, state, lots,
                                                     card.expires_at))


def gift_card_reason(conn: Connection, rp: replica.ReplicaProgram, card: CardRow, amount: int,
                     currency: str, now_ms: int, terminal: str, store_id: str, time_zone: str,
                     basket: Basket | None = None, before: OrderSoFar | None = None
                     ) -> str | None:
    """`valid_when`, eligibility, recurring windows and count/amount limits for a plain
    gift-card redeem of `amount`, through the same engine as a quote — on the order's BASKET
    (default: a total-only order of `amount`) after what the order already holds (BEFORE): a
    card restricted to some lines pays only their room, a reward of a program that does not
    combine with gift cards keeps every card out, and no card pays more than is left."""
    program = rp.program
    before = before or OrderSoFar("")
    if before.no_gift_cards() is not None:
        return "stacking: combine_with_gift_cards"
    order = basket if basket is not None else Basket(currency, (), amount)
    left = order.total - before.paid - before.discount
    if amount > left:
        return "nothing_to_pay" if left <= 0 else "over_order_total"
    restricted = any(e is not None and "order.lines" in e.paths
                     for e in (program.when, program.eligibility))
    if not restricted and program.when is None and program.eligibility is None \
            and not program.limits.counters and not program.limits.windows:
        return None
    rep = ReplicaView(conn, terminal, Store(store_id, time_zone), {program.id: rp})
    now = now_ms // 1000
    q = quote(order, {program.id: program}, cards=[holding(card)],
              store=rep.store, usage=rep.usage(now, [(program.id, card.code)], None), now=now)
    refusal = q.refusal(f"gift:{card.code}")
    if refusal is not None:
        return refusal.code
    offer = q.gift_cards[0] if q.gift_cards else None
    if offer is not None and offer.lines is not None:
        cap = min(offer.spendable, room(q.line_amounts, order.total, before.placed(),
                                        offer.lines))
        if amount > cap:
            return "nothing_to_pay: order.lines" if cap <= 0 else "limit_reached: order.lines"
    if offer is not None and offer.spendable < amount:
        return f"limit_reached: {offer.capped_by}" if offer.capped_by else "insufficient_funds"
    return None


def eligible_lines(conn: Connection, rp: replica.ReplicaProgram, card: CardRow,
                   basket: Basket, now_ms: int, store_id: str, time_zone: str
                   ) -> tuple[int, ...] | None:
    """The lines of BASKET a restricted card may pay (None: the whole order), for its part."""
    program = rp.program
    if not any(e is not None and "order.lines" in e.paths
               for e in (program.when, program.eligibility)):
        return None
    q = quote(basket, {program.id: program}, cards=[holding(card)],
              store=Store(store_id, time_zone), now=now_ms // 1000)
    return q.gift_cards[0].lines if q.gift_cards else ()

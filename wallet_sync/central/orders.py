"""Orders at central's online authorization (issue 16): a spend names the order it belongs to,
and central decides it on that order — not on the amount alone.

- The order's basket is recorded at its first authorization (`orders`); a later request on the
  same order must carry the same basket (`order_changed`).
- A gift card restricted to some lines (its `valid_when` / `eligibility` reads `order.lines`)
  may pay only their room once the cards central already authorized on the order are placed
  (`core.rules.orders.room`, the function the terminal calls), and no card more than what is
  left of the order (`over_order_total`).
- Stacking across kinds: a gift card on an order holding a points hold for a reward of a
  program that does not combine with gift cards, or a reward on an order a gift card already
  paid, is declined `stacking: combine_with_gift_cards`; `max_rewards_per_order` and
  `exclusive_groups` count the reward holds on the order, whichever came first.

What counts as "on the order": approved authorizations and points holds of this terminal that
were not released (a hold released unused paid nothing).

Public: basket_of, record, card_reason, reward_reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.ledger import GiftCardAccount, Lot
from core.money import parse_minor
from core.programs import Program as ProgramDef
from core.rules.basket import Basket, Line
from core.rules.context import Store
from core.rules.quote import CardHolding, quote
from wallet_sync.central.errors import Invalid
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import Authorization, Card, Hold, Order, PointsHold, Program
from wallet_sync.protocol import OrderInfo


def basket_of(info: OrderInfo, currency: str) -> Basket:
    """The order's basket in CURRENCY from the request (Invalid on a malformed one)."""
    try:
        lines = tuple(Line(ln.sku, ln.category, ln.qty, parse_minor(ln.price, currency,
                                                                    allow_zero=True))
                      for ln in info.lines)
        total = parse_minor(info.total, currency, allow_zero=True)
        return Basket(currency, lines, total if not lines else -1)
    except InvalidInput as exc:
        raise Invalid(exc.reason, f"order: {exc.message}") from exc


def record(session: Session, terminal: str, order_id: str, basket: Basket, now: int
           ) -> str | None:
    """Record the order's basket at its first authorization; `order_changed` when a known
    order comes with another basket."""
    lines = [[ln.sku, ln.category, ln.qty, ln.unit_price] for ln in basket.lines]
    row = session.get(Order, (terminal, order_id))
    if row is None:
        session.add(Order(terminal=terminal, id=order_id, currency=basket.currency,
                          total=basket.total, lines=lines, created_at=now))
        session.flush()
        return None
    if (row.currency, row.total, [list(x) for x in row.lines]) != (basket.currency,
                                                                    basket.total, lines):
        return "order_changed"
    return None


def _open(hold: Any) -> Any:
    return hold.released_at.is_(None)


def _cards_on(session: Session, terminal: str, order_id: str) -> list[tuple[str, int]]:
    """(card, amount) of the approved, unreleased card authorizations on the order."""
    rows = session.execute(select(Authorization.response, Authorization.card).where(
        Authorization.terminal == terminal, Authorization.order_id == order_id)).all()
    ids = {str(r.get("auth_id")): card for r, card in rows
           if isinstance(r, dict) and r.get("status") == "approved" and r.get("auth_id")}
    if not ids:
        return []
    held = session.execute(select(Hold.auth_id, Hold.card, Hold.amount).where(
        Hold.auth_id.in_(sorted(ids)), _open(Hold))).all()
    return [(card, int(amount)) for _, card, amount in sorted(held)]


def _rewards_on(session: Session, terminal: str, order_id: str) -> list[tuple[str, str]]:
    """(program, reward) of the unreleased reward holds on the order."""
    return [(p, r or "") for p, r in session.execute(
        select(PointsHold.program, PointsHold.reward).where(
            and_(PointsHold.terminal == terminal, PointsHold.order_id == order_id,
                 _open(PointsHold))).order_by(PointsHold.created_at, PointsHold.auth_id))]


def _program(session: Session, program_id: str) -> ProgramDef | None:
    row = session.get(Program, program_id)
    return parsed(row) if row is not None else None


def _lines(program: ProgramDef, code: str, basket: Basket, now: int
           ) -> tuple[tuple[int, ...] | None, str | None]:
    """(eligible lines or None for the whole order, refusal) of a card of PROGRAM."""
    if not any(e is not None and "order.lines" in e.paths
               for e in (program.when, program.eligibility)):
        return None, None
    big = max(basket.total, 1)
    account = GiftCardAccount(code, basket.currency, "active", (Lot("central", big, big),), None)
    q = quote(basket, {program.id: program}, cards=[CardHolding(program.id, account)],
              store=Store("", "UTC"), now=now)
    refusal = q.refusal(f"gift:{code}")
    if refusal is not None:
        return (), refusal.code
    return q.gift_cards[0].lines, None


def card_reason(session: Session, terminal: str, order_id: str, card: Card,
                program: ProgramDef | None, amount: int, basket: Basket, now: int
                ) -> str | None:
    """Why CARD may not pay AMOUNT of the order, else None (see the module's rules)."""
    from core.rules.orders import room

    for prog_id, _ in _rewards_on(session, terminal, order_id):
        loyalty = _program(session, prog_id)
        if loyalty is not None and loyalty.loyalty is not None \
                and not loyalty.loyalty.stacking.combine_with_gift_cards:
            return "stacking: combine_with_gift_cards"
    placed: list[tuple[tuple[int, ...] | None, int]] = []
    for code, paid in _cards_on(session, terminal, order_id):
        other = session.get(Card, code)
        prog = _program(session, other.program) if other is not None else None
        placed.append(((_lines(prog, code, basket, now)[0] if prog else None), paid))
    left = basket.total - sum(a for _, a in placed)
    if amount > left:
        return "nothing_to_pay" if left <= 0 else "over_order_total"
    if program is None:
        return None
    lines, refused = _lines(program, card.code, basket, now)
    if refused is not None:
        return refused
    if lines is not None:
        cap = room([ln.amount for ln in basket.lines], basket.total, placed, lines)
        if amount > cap:
            return "nothing_to_pay: order.lines" if cap <= 0 else "limit_reached: order.lines"
    return None


def reward_reason(session: Session, terminal: str, order_id: str, program: ProgramDef | None,
                  reward: str | None) -> str | None:
    """Why a reward of PROGRAM may not join the order, else None."""
    if program is None or program.loyalty is None:
        return None
    stacking = program.loyalty.stacking
    if not stacking.combine_with_gift_cards and _cards_on(session, terminal, order_id):
        return "stacking: combine_with_gift_cards"
    mine = [r for p, r in _rewards_on(session, terminal, order_id) if p == program.id]
    if stacking.max_rewards_per_order is not None and len(mine) >= stacking.max_rewards_per_order:
        return "stacking: max_rewards_per_order"
    for group in stacking.exclusive_groups:
        if reward in group and any(r in group for r in mine):
            return "stacking: exclusive_groups"
    return None

"""Online authorization (`POST /v1/authorize`): check a card for a spend, take the amount out
of the card's escrow reserve (one conditional UPDATE, see `escrow.take_reserve`) into a hold,
and answer with an authorization central signs (auth id, terminal, card, amount, currency,
expiry). A hold never touches the ledger; the redeem entry that names it does. Holds expire
after ten minutes and go back to the reserve once proven unused (`escrow`).

The card row is locked (`FOR UPDATE` on PostgreSQL; SQLite serialises writers at BEGIN
IMMEDIATE). A request_id answered before gets the stored answer (and signature) again.

A request may carry its order (lines or a total, `protocol.OrderInfo`): restricted cards are
decided on its lines and the stacking rules against what was authorized on it (`orders`).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Declined, InvalidInput
from core.ledger import check_spendable
from core.money import format_minor, parse_minor
from wallet_sync.central import escrow, gift_rules, limit_counts, orders
from wallet_sync.central.accounts import account_of
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.escrow import HOLD_TTL_S
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import Authorization, Card, CardLot, Hold, Program, Terminal
from wallet_sync.protocol import AuthorizeRequest, AuthorizeResponse, authorization_message


def _stored(session: Session, terminal: str, req: AuthorizeRequest) -> AuthorizeResponse | None:
    row = session.get(Authorization, (terminal, req.request_id))
    if row is None:
        return None
    if (row.card, row.amount, row.currency, row.order_id) != (
            req.card, req.amount, req.currency, req.order.id if req.order else None):
        raise StateConflict("request_id_reused",
                            "this request_id was used for a different authorization")
    return AuthorizeResponse.model_validate(row.response)


_stores: dict[str, str] = {}  # terminal -> store; a terminal never changes store


def _store_of(session: Session, terminal: str) -> str:
    if terminal not in _stores:
        _stores[terminal] = str(session.scalar(select(Terminal.store)
                                               .where(Terminal.id == terminal)))
    return _stores[terminal]


def authorize(session: Session, terminal: str, req: AuthorizeRequest, now: int, *, lock: bool,
              key: SigningKey) -> AuthorizeResponse:
    stmt = select(Card).where(Card.code == req.card)
    # PostgreSQL: the stored answer is looked up once, under the card lock (a concurrent
    # retry may have answered meanwhile); SQLite's writers are serialised already.
    card = session.scalars(stmt.with_for_update()).first() if lock else None
    previous = _stored(session, terminal, req)
    if previous is not None:
        return previous
    try:
        amount = parse_minor(req.amount, req.currency)
    except InvalidInput as exc:
        raise Invalid(exc.reason, exc.message) from exc
    if not lock:
        card = session.scalars(stmt).first()
    answer = _decide(session, terminal, req, card, amount, now, key)
    if card is not None:
        escrow.seen(session, _store_of(session, terminal), {card.code: False}, now)
    session.add(Authorization(terminal=terminal, request_id=req.request_id, card=req.card,
                              amount=req.amount, currency=req.currency,
                              response=answer.model_dump(mode="json"), created_at=now,
                              order_id=req.order.id if req.order else None))
    session.flush()
    return answer


def _decide(session: Session, terminal: str, req: AuthorizeRequest, card: Card | None,
            amount: int, now: int, key: SigningKey) -> AuthorizeResponse:
    def declined(reason: str, **extra: Any) -> AuthorizeResponse:
        return AuthorizeResponse(status="declined", reason=reason, **extra)

    if card is None:
        return declined("unknown_card")
    account = account_of(card, session.scalars(select(CardLot).where(CardLot.card == card.code)))
    try:
        check_spendable(account, amount, now, req.currency)
    except Declined as exc:
        return declined(exc.reason)
    program = session.get(Program, card.program)
    limit = parsed(program).limits.per_order_max if program is not None else None
    if limit is not None and amount > limit:
        return declined("over_order_limit")
    basket = orders.basket_of(req.order, req.currency) if req.order is not None else None
    rules = gift_rules.authorize_reason(session, card, parsed(program) if program else None,
                                        amount, now, basket)  # valid_when, windows, limits
    if rules is not None:
        return declined(rules)
    if req.order is not None and basket is not None:  # the same order: lines and stacking
        why = orders.record(session, terminal, req.order.id, basket, now) or \
            orders.card_reason(session, terminal, req.order.id, card,
                               parsed(program) if program else None, amount, basket, now)
        if why is not None:
            return declined(why)
    # Customer- and program-scoped limits, counted on central across every till.
    _, counters = limit_counts.counters_of(session, card.program)
    counted = limit_counts.check(session, card.program, counters, card.customer, amount, now)
    if counted is not None:
        return declined(counted)
    # What is granted to terminals or held for other sales is not central's to promise again.
    reserve = escrow.take_reserve(session, card.code, amount)
    if reserve is None:
        left = int(session.scalar(select(Card.reserve).where(Card.code == card.code)) or 0)
        # Other tills hold the rest as escrow grants: ask for them back (the holders release
        # at their next pull) and say how much can be paid now.
        if escrow.recall_for(session, card.code, terminal, amount, left, now) is not None:
            return declined("reserved_elsewhere",
                            balance=format_minor(max(left, 0), card.currency),
                            currency=card.currency)
        return declined("insufficient_funds", balance=format_minor(max(left, 0), card.currency),
                        currency=card.currency)
    auth_id = "A-" + secrets.token_hex(8)
    expires_at = now + HOLD_TTL_S
    session.add(Hold(auth_id=auth_id, terminal=terminal, card=card.code, amount=amount,
                     expires_at=expires_at, created_at=now))
    session.flush()
    if counters:
        limit_counts.hold(session, terminal, auth_id, card.program, "", card.customer, amount,
                          now, expires_at)
    escrow.check(session, [card.code])
    signature = key.sign(authorization_message(auth_id, terminal, card.code, amount,
                                               card.currency, expires_at))
    return AuthorizeResponse(status="approved", auth_id=auth_id,
                             balance=format_minor(max(reserve, 0), card.currency),
                             currency=card.currency, expires_at=expires_at,
                             signature=signature)

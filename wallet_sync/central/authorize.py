"""Online authorization (`POST /v1/authorize`): check a card for a spend and put a hold on the
amount for ten minutes. Open holds (not consumed, not expired) reduce what later authorizations
see as available; a hold never touches the ledger, the redeem entry that names it does.

The card row is locked (`FOR UPDATE` on PostgreSQL; SQLite serialises writers at BEGIN
IMMEDIATE), so two authorizations for one card cannot both see the same available balance.
A request_id answered before gets the stored answer again.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Declined, InvalidInput
from core.ledger import check_spendable
from core.money import format_minor, parse_minor
from wallet_sync.central.accounts import account_of
from wallet_sync.central.db import Authorization, Card, CardLot, Hold, Program
from wallet_sync.central.errors import ApiError
from wallet_sync.central.programs import parsed
from wallet_sync.protocol import AuthorizeRequest, AuthorizeResponse

HOLD_TTL_S = 10 * 60


def _stored(session: Session, terminal: str, req: AuthorizeRequest) -> AuthorizeResponse | None:
    row = session.get(Authorization, (terminal, req.request_id))
    if row is None:
        return None
    if (row.card, row.amount, row.currency) != (req.card, req.amount, req.currency):
        raise ApiError(409, "request_id_reused",
                       "this request_id was used for a different authorization")
    return AuthorizeResponse.model_validate(row.response)


def open_holds(session: Session, card: str, now: int) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(Hold.amount), 0)).where(
        Hold.card == card, Hold.consumed_seq.is_(None), Hold.expires_at > now)) or 0)


def authorize(session: Session, terminal: str, req: AuthorizeRequest, now: int, *, lock: bool
              ) -> AuthorizeResponse:
    previous = _stored(session, terminal, req)
    if previous is not None:
        return previous
    try:
        amount = parse_minor(req.amount, req.currency)
    except InvalidInput as exc:
        raise ApiError(422, exc.reason, exc.message) from exc
    stmt = select(Card).where(Card.code == req.card)
    card = session.scalars(stmt.with_for_update() if lock else stmt).first()
    # Checked again under the card lock: a concurrent retry may have answered meanwhile.
    previous = _stored(session, terminal, req) if card is not None and lock else None
    if previous is not None:
        return previous
    answer = _decide(session, terminal, req, card, amount, now)
    session.add(Authorization(terminal=terminal, request_id=req.request_id, card=req.card,
                              amount=req.amount, currency=req.currency,
                              response=answer.model_dump(mode="json"), created_at=now))
    session.flush()
    return answer


def _decide(session: Session, terminal: str, req: AuthorizeRequest, card: Card | None,
            amount: int, now: int) -> AuthorizeResponse:
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
    available = account.balance(now) - open_holds(session, card.code, now)
    if available < amount:
        return declined("insufficient_funds",
                        balance=format_minor(max(available, 0), card.currency),
                        currency=card.currency)
    auth_id = "A-" + secrets.token_hex(8)
    session.add(Hold(auth_id=auth_id, terminal=terminal, card=card.code, amount=amount,
                     expires_at=now + HOLD_TTL_S, created_at=now))
    return AuthorizeResponse(status="approved", auth_id=auth_id,
                             balance=format_minor(available - amount, card.currency),
                             currency=card.currency, expires_at=now + HOLD_TTL_S)

"""Value needs authority: central's online approval for an entry that raises a balance or
points (`POST /v1/authorize-value`), and the check at ingest that an entry has one.

A terminal asks before it journals an `activate` or `load` of a gift card (selling a card at the
till, a top-up, the new card of a balance transfer) or a points `adjust` up. Central checks the
approving manager (an active manager of the terminal's own store), the card or member, the
amount and currency, and for a transfer the old card (same currency, balance enough); it records
an authorization `(auth_id, terminal, op, card, amount, staff, expires_at)` and signs it
(`protocol.value_authorization_message`). The entry names it in `auth` and consumes it once
(`Backing.take`): the same op, card, amount and staff, from the same terminal. Anything else
is applied by no one: the applier opens a `no_authority` case and holds the card.

The same request_id from the same terminal gets the same answer (a lost answer costs nothing).

Public: authorize_value, Backing, AUTH_TTL_S.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.journal import EntryBody
from core.money import MAX_MINOR, parse_minor
from core.rules.schema import MAX_POINTS
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.central.staff import staff_reason
from wallet_sync.central.tables import (
    Card,
    Member,
    Program,
    Terminal,
    ValueAuthorization,
)
from wallet_sync.protocol import (
    ValueAuthorizeRequest,
    ValueAuthorizeResponse,
    value_authorization_message,
)

AUTH_TTL_S = 10 * 60  # as a spend's hold; the terminal commits within AUTH_COMMIT_WINDOW_S


def _amount(req: ValueAuthorizeRequest) -> int:
    try:
        if req.op == "adjust":
            if req.currency is not None or not req.amount.isdigit():
                raise Invalid("invalid_amount", "an adjustment is whole points, no currency")
            value = int(req.amount)
            if not 0 < value <= MAX_POINTS:
                raise Invalid("invalid_amount", "points must be above zero")
            return value
        if req.currency is None:
            raise Invalid("invalid_request", "a gift-card authorization needs its currency")
        value = parse_minor(req.amount, req.currency, allow_zero=req.op == "activate")
    except InvalidInput as exc:
        raise Invalid(exc.reason, exc.message) from exc
    if req.op == "load" and not 0 < value <= MAX_MINOR:
        raise Invalid("invalid_amount", "a load must be above zero")
    if req.op == "activate" and value != 0:
        raise Invalid("invalid_amount", "an activation carries no amount")
    return value


def _decline_reason(session: Session, store: str, req: ValueAuthorizeRequest, amount: int,
                    now: int) -> str | None:
    why = staff_reason(session, req.staff, store, "manager")
    if why is not None:
        return why
    if req.op == "adjust":
        member = session.get(Member, req.card)
        return None if member is not None else "unknown_member"
    card = session.get(Card, req.card)
    if card is None:
        return "unknown_card"
    program = session.get(Program, card.program)
    if program is None or parsed(program).kind != "gift_card":
        return "unknown_program"
    if req.currency != card.currency:
        return "wrong_currency"
    if card.state not in ("inactive", "active"):
        return f"card_{card.state}"
    if card.expires_at is not None and now >= card.expires_at:
        return "expired"
    if req.op == "activate" and card.state != "inactive":
        return "nothing_to_do"
    if req.transfer_from is not None:
        source = session.get(Card, req.transfer_from)
        if source is None or source.code == card.code:
            return "unknown_card"
        if source.currency != card.currency:
            return "wrong_currency"
        if source.balance_minor < amount:
            return "insufficient_funds"
    return None


def authorize_value(session: Session, terminal: str, req: ValueAuthorizeRequest, now: int, *,
                    key: SigningKey) -> ValueAuthorizeResponse:
    stored = session.scalars(select(ValueAuthorization).where(
        ValueAuthorization.terminal == terminal,
        ValueAuthorization.request_id == req.request_id)).first()
    if stored is not None:
        if (stored.op, stored.card, stored.staff, stored.transfer_from) != (
                req.op, req.card, req.staff, req.transfer_from):
            raise StateConflict("request_id_reused",
                                "this request_id was used for a different authorization")
        return ValueAuthorizeResponse.model_validate(stored.response)
    amount = _amount(req)
    store = str(session.scalar(select(Terminal.store).where(Terminal.id == terminal)))
    reason = _decline_reason(session, store, req, amount, now)
    if reason is not None:
        # Declines are not kept: nothing was promised, asking again is harmless.
        return ValueAuthorizeResponse(status="declined", reason=reason)
    auth_id = "V-" + secrets.token_hex(8)
    expires_at = now + AUTH_TTL_S
    signature = key.sign(value_authorization_message(auth_id, terminal, req.op, req.card, amount,
                                                     req.currency, req.staff, expires_at))
    answer = ValueAuthorizeResponse(status="approved", auth_id=auth_id, expires_at=expires_at,
                                    signature=signature)
    session.add(ValueAuthorization(
        auth_id=auth_id, terminal=terminal, request_id=req.request_id, op=req.op, card=req.card,
        amount=amount, currency=req.currency, staff=req.staff, transfer_from=req.transfer_from,
        expires_at=expires_at, created_at=now, response=answer.model_dump(mode="json")))
    session.flush()
    return answer


class Backing:
    """The value authorizations a batch's entries name, loaded once; `take` consumes one."""

    def __init__(self, session: Session, terminal: str) -> None:
        self.session = session
        self.terminal = terminal
        self.rows: dict[str, ValueAuthorization] = {}
        self.consumed: list[tuple[str, int]] = []
        self.sources: list[tuple[str, int]] = []

    def load(self, bodies: list[EntryBody]) -> None:
        ids = sorted({b.auth for b in bodies if b.auth and b.op in ("activate", "load", "adjust")})
        if ids:
            self.rows = {r.auth_id: r for r in self.session.scalars(
                select(ValueAuthorization).where(ValueAuthorization.auth_id.in_(ids),
                                                 ValueAuthorization.terminal == self.terminal,
                                                 ValueAuthorization.consumed_seq.is_(None)))}

    def take(self, body: EntryBody) -> bool:
        """True (and consumed) when BODY is exactly what central authorized."""
        row = self.rows.get(body.auth or "")
        if row is None or row.op != body.op or row.card != body.card or row.staff != body.staff:
            return False
        if body.op != "activate" and row.amount != body.amount:
            return False
        if body.op != "adjust" and row.currency != body.currency:
            return False
        transfer = body.extra.get("transfer_from")
        if body.op == "load" and (transfer if isinstance(transfer, str) else None) \
                != row.transfer_from:
            return False
        del self.rows[row.auth_id]
        self.consumed.append((row.auth_id, body.seq))
        return True

    def transfer_source(self, body: EntryBody) -> bool:
        """True when a `transfer_to` redeem of the old card is backed: central authorized the
        load of exactly this amount onto the new card from this card, and no redeem used it."""
        target = body.extra.get("transfer_to")
        if not isinstance(target, str):
            return False
        row = self.session.scalars(select(ValueAuthorization).where(
            ValueAuthorization.terminal == self.terminal, ValueAuthorization.op == "load",
            ValueAuthorization.card == target, ValueAuthorization.transfer_from == body.card,
            ValueAuthorization.amount == body.amount, ValueAuthorization.source_seq.is_(None))
            .order_by(ValueAuthorization.created_at)).first()
        if row is None or any(a == row.auth_id for a, _ in self.sources):
            return False
        self.sources.append((row.auth_id, body.seq))
        return True

    def flush(self) -> None:
        for auth_id, seq in self.consumed:
            self.session.execute(update(ValueAuthorization).where(
                ValueAuthorization.auth_id == auth_id, ValueAuthorization.consumed_seq.is_(None))
                .values(consumed_seq=seq))
        for auth_id, seq in self.sources:
            self.session.execute(update(ValueAuthorization).where(
                ValueAuthorization.auth_id == auth_id, ValueAuthorization.source_seq.is_(None))
                .values(source_seq=seq))


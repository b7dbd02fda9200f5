"""The money path: redeeming (part of) a gift card at the counter.

1. Parse and check against the local replica (state, expiry, amount, currency, local balance
   view, per-order limit). A decline writes nothing.
2. Authorize (`authorization.SpendAuthority`, the step the basket commit shares): online
   first, else the program's offline policy (`offline_policy`) or this terminal's grant.
3. Commit in ONE BEGIN IMMEDIATE transaction: re-check the card (another process may have spent
   it), the authorization, the grant or the floor caps (and, offline, this till's share of
   limits counted across tills: `limit_shares`), then append the signed entry through
   the journal writer. Only after the commit returns does the caller print anything.
4. After an online commit, one quick best-effort push; sync carries anything it misses.

Every redemption belongs to an order (`orders`): a new one by default (its total the amount, or
the lines given), or the order named, to which it is added after what that order already holds.
The entry names the order in `extra.order`. `pay` spends several cards on one order, in the
default order (soonest-expiring first, then smallest balance) or as given: each card's part is
planned by `core.rules.choose` (restricted cards on their eligible lines), authorized on its own,
and all the parts are journaled in ONE transaction, one signed entry each.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from core.errors import Declined, InvalidInput, WalletError
from core.money import format_minor, parse_minor
from core.rules.basket import Basket, order_basket
from core.rules.choose import Choices, choose
from core.rules.offers import Refusal
from core.rules.orders import OrderSoFar, Part, card_order, check_order_id
from core.rules.quote import quote
from core.rules.refunds import order_of_reference
from core.text_input import check_text
from pos_app.terminal import limit_shares, offline_clock, orders, replica
from pos_app.terminal.authorization import Authorization, Spend, SpendAuthority
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import CardRow, TerminalDB
from pos_app.terminal.quote_service import eligible_lines, gift_card_reason, holding

MAX_STAFF_LENGTH = 64
_STATE_REASONS = {"inactive": "card_inactive", "blocked": "card_blocked", "voided": "card_voided"}


@dataclass(frozen=True)
class RedeemResult:
    status: str  # "approved" | "declined"
    reason: str | None
    amount: int
    currency: str
    balance_after: int | None
    seq: int | None
    request_id: str
    offline: bool
    code: str | None = None
    # reserved_elsewhere: what can be paid now (the rest is held at another till until its
    # next sync releases it)
    available: int | None = None
    order: str | None = None  # the order this spend belongs to

    def as_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = ({"available": format_minor(self.available, self.currency)}
                                 if self.available is not None else {})
        if self.order is not None:
            extra["order"] = self.order
        return {**extra,
            "status": self.status, "reason": self.reason,
            "amount": format_minor(self.amount, self.currency), "currency": self.currency,
            "balance_after": (format_minor(self.balance_after, self.currency)
                              if self.balance_after is not None else None),
            "seq": self.seq, "request_id": self.request_id, "offline": self.offline,
        }


@dataclass(frozen=True)
class OrderInput:
    """Which order a spend belongs to: `id` of an order to add to (None: a new one), and for
    a new order its `lines` (JSON, as a lines file holds them) or its `total` (a decimal;
    default: the amount redeemed)."""

    id: str | None = None
    lines: Any = None
    total: str | None = None


@dataclass(frozen=True)
class PaymentResult:
    """Several cards on one order: each card's part (approved or declined, in the order of
    use), the benefits dropped before asking (stacking, nothing left to pay) and what is left."""

    order: str
    currency: str
    total: int
    parts: tuple[RedeemResult, ...]
    dropped: tuple[Refusal, ...]
    to_pay: int

    @property
    def status(self) -> str:
        return "approved" if any(p.status == "approved" for p in self.parts) else "declined"

    @property
    def amount(self) -> int:
        return sum(p.amount for p in self.parts if p.status == "approved")

    def as_json(self) -> dict[str, Any]:
        first_decline = next((p.reason for p in self.parts if p.status != "approved"), None)
        reason = None if self.status == "approved" else (
            first_decline or (self.dropped[0].code if self.dropped else "nothing_to_pay"))
        return {"status": self.status, "reason": reason, "order": self.order,
                "currency": self.currency, "total": format_minor(self.total, self.currency),
                "amount": format_minor(self.amount, self.currency),
                "to_pay": format_minor(self.to_pay, self.currency),
                "parts": [{"code": p.code, **p.as_json()} for p in self.parts],
                "dropped": [{"benefit": d.benefit, "reason": d.code} for d in self.dropped],
                "offline": any(p.offline for p in self.parts if p.status == "approved")}


@dataclass(frozen=True)
class PaymentPlan:
    """What `pay` would do: each card's part in the order of use, and what is dropped."""

    order: str
    currency: str
    basket: Basket
    takes: tuple[tuple[str, int], ...]  # (card, minor units)
    dropped: tuple[Refusal, ...]
    programs: dict[str, replica.ReplicaProgram]
    balances: dict[str, int]  # each offered card's balance now
    to_pay: int  # what is left of the order after these parts


class _Declined(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def card_reason(card: CardRow | None, program: replica.ReplicaProgram | None, amount: int,
                currency: str, now_s: int, unusable: str = "program_unavailable") -> str | None:
    """The replica checks, in the order a cashier should hear them; None when spendable.
    `unusable` is why the card's program is missing (`program_tampered`: edited on disk)."""
    if card is None:
        return "unknown_card"
    if program is None:
        return unusable
    if card.state != "active":
        return _STATE_REASONS.get(card.state, "card_inactive")
    if card.expires_at is not None and now_s >= card.expires_at:
        return "expired"
    if amount <= 0:
        return "invalid_amount"
    if currency != card.currency or currency != program.program.currency:
        return "wrong_currency"
    if amount > card.balance:
        return "insufficient_funds"
    limit = program.program.limits.per_order_max
    if limit is not None and amount > limit:
        return "over_order_limit"
    return None


class Redeemer:
    """Redeems gift cards; holds the context and the shared authorization step."""

    def __init__(self, ctx: TerminalContext, authority: SpendAuthority) -> None:
        self._ctx = ctx
        self._authority = authority

    def redeem(self, code_text: str, amount_text: str, *, staff: str | None = None,
               currency: str | None = None, order: OrderInput | None = None) -> RedeemResult:
        order = order or OrderInput()
        if order.id is not None:
            check_order_id(order.id)
        check_text(code_text, "code")
        check_text(amount_text, "amount")
        check_text(currency, "currency", 3)
        check_text(staff, "staff id", MAX_STAFF_LENGTH)
        if staff is not None and not staff.strip():
            raise InvalidInput("staff id is empty", reason="invalid_input")
        request_id = secrets.token_urlsafe(12)
        db = self._ctx.db
        with db.read() as conn:
            programs = replica.load_programs(conn)
            code, by_pattern = replica.normalize_known(conn, programs, code_text)
            card = TerminalDB.get_card(conn, code)
            program = programs.get(card.program) if card else by_pattern
            unusable = replica.refusal(conn, card.program) if card and program is None \
                else "program_unavailable"
        if card is not None:
            card_currency = card.currency
        else:  # not in the replica: normalize_known found it by a trusted pattern
            assert by_pattern is not None
            card_currency = by_pattern.program.currency
        # Malformed amounts ("abc", "1.234" in EUR, negative) are errors, not declines.
        amount = parse_minor(amount_text, card_currency)
        want = currency or card_currency
        order_id = order.id or orders.new_order_id()
        with db.read() as conn:
            basket = self._order_basket(conn, order, order_id, want if _known(want)
                                        else card_currency, amount_text)
            before = orders.so_far(conn, order_id)

        def declined(reason: str, offline: bool = False,
                     available: int | None = None) -> RedeemResult:
            balance = self._balance(code) if card else None
            return RedeemResult("declined", reason, amount, want if _known(want) else
                                card_currency, balance, None, request_id, offline, code,
                                available if reason == "reserved_elsewhere" else None,
                                order_id)

        reason = card_reason(card, program, amount, want, self._ctx.now_ms() // 1000, unusable)
        if reason is None and card is not None and program is not None:
            with db.read() as conn:  # valid_when, windows, limits: the rules engine
                reason = self._rules_reason(conn, program, card, amount, want,
                                            self._ctx.now_ms(), basket, before)
        if reason is not None or card is None or program is None:
            return declined(reason or "unknown_card")

        spend = Spend(code, amount, want, program, order_id, basket)
        ident = self._ctx.identity()
        with self._ctx.client(ident) as client:
            authorization = self._authority.ask(client, spend, request_id, ident)
            if authorization.mode == "declined":
                return declined(authorization.reason or "declined_by_central",
                                available=authorization.available)
            try:
                result = self.commit(spend, authorization, staff, request_id)
            except Declined as exc:
                return declined(exc.reason, authorization.offline, authorization.available)
            except _Declined as exc:
                return declined(exc.reason, authorization.offline, authorization.available)
            if not authorization.offline:
                self._authority.push_soon(client, ident)
        return result

    def commit(self, spend: Spend, authorization: Authorization, staff: str | None,
               request_id: str) -> RedeemResult:
        """The commit step alone: ONE write transaction that re-checks the card, checks the
        authorization (or the offline policy) and journals the redeem."""
        with self._ctx.db.write() as conn:
            return self._commit_one(conn, spend, authorization, staff, request_id)

    def _commit_one(self, conn: Connection, spend: Spend, authorization: Authorization,
                    staff: str | None, request_id: str) -> RedeemResult:
        """Inside the caller's write transaction: re-check, journal, record the order part."""
        extra: dict[str, Any] = {"request_id": request_id}
        if authorization.mode == "online":
            extra.update(authorization.extra)
        code, amount, currency = spend.card, spend.amount, spend.currency
        now = self._ctx.now_ms()
        basket = spend.basket
        if spend.order is not None and basket is not None:
            orders.check_basket(conn, spend.order, basket)
            extra["order"] = spend.order
        before = orders.so_far(conn, spend.order)
        card = TerminalDB.get_card(conn, code)  # fresh: another process may have spent it
        reason = card_reason(card, spend.program, amount, currency, now // 1000)
        if reason is None and card is not None:
            reason = self._rules_reason(conn, spend.program, card, amount, currency, now,
                                        basket, before)
        grant: str | None = None
        if reason is None:
            reason, grant = self._authority.check(conn, spend, authorization, now)
        if reason is None and authorization.mode in ("offline", "grant"):
            # Not held by central: limits counted across tills need this till's share.
            reason, draw = limit_shares.offline_reason(
                conn, spend.program.program, None, amount,
                offline_clock.central_now(conn, now, self._ctx.boot()))
            if reason is None and draw is not None:
                extra["limit_shares"] = limit_shares.take(conn, draw)
        if reason is not None:
            raise _Declined(reason)  # rolls back; nothing was written anyway
        if spend.order is not None and basket is not None:
            orders.open_order(conn, spend.order, basket, now)
        entry = self._ctx.journal.append(
            conn, "redeem", amount=amount, currency=currency, card=code,
            program=spend.program.program.id, program_version=spend.program.version,
            staff=staff, auth=authorization.auth_id, grant=grant,
            offline=authorization.offline, extra=extra, request_id=request_id, wall_ms=now)
        if spend.order is not None and basket is not None and card is not None:
            ident = self._ctx.identity()
            lines = eligible_lines(conn, spend.program, card, basket, now, ident.store_id,
                                   ident.config.time_zone)
            orders.record(conn, spend.order, entry.body.seq,
                          Part("redeem", spend.program.program.id, amount, code, lines=lines))
        after = TerminalDB.get_card(conn, code)
        assert after is not None
        return RedeemResult("approved", None, amount, currency, after.balance, entry.body.seq,
                            request_id, authorization.offline, code, order=spend.order)

    # ---- several cards on one order ---------------------------------------------------------

    def plan(self, code_texts: list[str], amount_text: str | None, *,
             order: OrderInput | None = None, as_given: bool = False) -> PaymentPlan:
        """What each card would pay of the order, in the order of use, and what is dropped
        (stacking, restricted lines, nothing left) — read only; `pay` commits it."""
        order = order or OrderInput()
        if order.id is not None:
            check_order_id(order.id)
        if not code_texts:
            raise InvalidInput("give at least one card code", "invalid_code")
        check_text(amount_text, "amount")
        order_id = order.id or orders.new_order_id()
        now_ms = self._ctx.now_ms()
        with self._ctx.db.read() as conn:
            programs = replica.load_programs(conn)
            found: list[tuple[str, CardRow | None]] = []
            for text_in in code_texts:
                check_text(text_in, "code")
                code, _ = replica.normalize_known(conn, programs, text_in)
                if all(code != c for c, _ in found):
                    found.append((code, TerminalDB.get_card(conn, code)))
            known = [c for _, c in found if c is not None]
            currency = known[0].currency if known else replica.main_currency(programs)
            if currency is None:
                raise Declined("this terminal has no programs yet: sync first",
                               "program_unavailable")
            basket = self._order_basket(conn, order, order_id, currency, amount_text)
            before = orders.so_far(conn, order_id)
            rep = self._ctx.replica_view(conn)
            holdings = [holding(c) for c in known]
            q = quote(basket, rep.by_id(), cards=holdings, store=rep.store,
                      usage=rep.usage(now_ms // 1000,
                                      [(h.program, h.account.code) for h in holdings], None),
                      now=now_ms // 1000)
        want = parse_minor(amount_text, currency) if amount_text is not None else None
        offers = {g.card: g for g in q.gift_cards}
        ordered = [c for c, _ in found if c in offers]
        if not as_given:
            ordered = [o.card for o in card_order(offers[c] for c in ordered)]
        chosen = choose(q, Choices(gift_cards=tuple((c, None) for c in ordered), earn=False),
                        before)
        dropped = [r for r in q.refused] + [Refusal(f"gift:{c}", "", "unknown_card")
                                            for c, row in found if row is None]
        dropped += list(chosen.dropped)
        takes: list[tuple[str, int]] = []
        left = want
        for op in chosen.operations:
            take = op.amount if left is None else min(op.amount, left)
            if take > 0:
                takes.append((op.card, take))
                left = None if left is None else left - take
        return PaymentPlan(order_id, currency, basket, tuple(takes), tuple(dropped),
                           {c: programs[offers[c].program] for c, _ in takes},
                           {c: offers[c].balance for c in offers},
                           max(0, basket.total - before.paid - before.discount
                               - sum(t for _, t in takes)))

    def pay(self, code_texts: list[str], amount_text: str | None, *, staff: str | None = None,
            order: OrderInput | None = None, as_given: bool = False) -> PaymentResult:
        """Pay AMOUNT (default: all that is left of the order) from several cards, in the
        default order of use or AS_GIVEN; each card's part its own authorization and entry."""
        check_text(staff, "staff id", MAX_STAFF_LENGTH)
        planned = self.plan(code_texts, amount_text, order=order, as_given=as_given)
        db = self._ctx.db
        ident = self._ctx.identity()
        order_id, currency, basket = planned.order, planned.currency, planned.basket
        takes, dropped = list(planned.takes), list(planned.dropped)
        parts: list[RedeemResult] = []
        asked: list[tuple[Spend, Authorization, str]] = []
        with self._ctx.client(ident) as client:
            for code, take in takes:
                request_id = secrets.token_urlsafe(12)
                spend = Spend(code, take, currency, planned.programs[code], order_id, basket)
                answer = self._authority.ask(client, spend, request_id, ident)
                if answer.mode == "declined":
                    parts.append(RedeemResult("declined", answer.reason or "declined_by_central",
                                              take, currency, self._balance(code), None,
                                              request_id, False, code, answer.available,
                                              order_id))
                    continue
                asked.append((spend, answer, request_id))
            committed = self._commit_parts(asked, staff)
            parts += committed
            if any(p.status == "approved" and not p.offline for p in committed):
                self._authority.push_soon(client, ident)
        by_card = {p.code: p for p in parts}
        parts = [by_card[c] for c, _ in takes if c in by_card]
        with db.read() as conn:
            after = orders.so_far(conn, order_id)
        paid_now = sum(p.amount for p in parts if p.status == "approved")
        to_pay = max(0, basket.total - after.paid - after.discount) if after.parts else \
            basket.total - paid_now
        return PaymentResult(order_id, currency, basket.total, tuple(parts), tuple(dropped),
                             to_pay)

    def _commit_parts(self, asked: list[tuple[Spend, Authorization, str]], staff: str | None
                      ) -> list[RedeemResult]:
        """Every authorized part in ONE write transaction; a part its re-check refuses is
        declined before it writes anything, and the others stand."""
        out: list[RedeemResult] = []
        if not asked:
            return out
        with self._ctx.db.write() as conn:
            for spend, answer, request_id in asked:
                try:
                    out.append(self._commit_one(conn, spend, answer, staff, request_id))
                except (_Declined, Declined) as exc:
                    out.append(RedeemResult("declined", exc.reason, spend.amount,
                                            spend.currency, None, None, request_id,
                                            answer.offline, spend.card, answer.available,
                                            spend.order))
        return [r if r.balance_after is not None or r.status == "approved"
                else RedeemResult(r.status, r.reason, r.amount, r.currency,
                                  self._balance(r.code or ""), None, r.request_id, r.offline,
                                  r.code, r.available, r.order) for r in out]

    def order(self, order_id: str) -> dict[str, Any]:
        order_id = order_of_reference(order_id)  # an order id, or a receipt's QR `WPO:<id>`
        with self._ctx.db.read() as conn:
            basket = orders.basket_of(conn, order_id)
            if basket is None:
                raise InvalidInput(f"no order {order_id} at this terminal", "unknown_order")
            return orders.order_json(conn, order_id, basket.currency)

    def _order_basket(self, conn: Connection, order: OrderInput, order_id: str,
                      currency: str, amount_text: str | None) -> Basket:
        """The order's basket: the one recorded for a known order (new lines must match, at
        commit), else from the lines or total given, else a total of the amount."""
        known = orders.basket_of(conn, order_id)
        if known is not None and order.lines is None and order.total is None:
            return known
        total = order.total
        if order.lines is None and total is None:
            total = amount_text if amount_text is not None else "0"
        return order_basket(currency, total, order.lines)

    def _rules_reason(self, conn: Connection, program: replica.ReplicaProgram, card: CardRow,
                      amount: int, currency: str, now_ms: int, basket: Basket | None = None,
                      before: OrderSoFar | None = None) -> str | None:
        ident = self._ctx.identity()
        return gift_card_reason(conn, program, card, amount, currency, now_ms,
                                ident.terminal_id, ident.store_id, ident.config.time_zone,
                                basket, before)

    def _balance(self, code: str) -> int | None:
        with self._ctx.db.read() as conn:
            card = TerminalDB.get_card(conn, code)
        return card.balance if card else None


def _known(currency: str) -> bool:
    try:
        format_minor(0, currency)
    except WalletError:
        return False
    return True

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
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from core.errors import InvalidInput, WalletError
from core.money import format_minor, parse_minor
from core.text_input import check_text
from pos_app.terminal import limit_shares, offline_clock, replica
from pos_app.terminal.authorization import Authorization, Spend, SpendAuthority
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import CardRow, TerminalDB
from pos_app.terminal.quote_service import gift_card_reason

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

    def as_json(self) -> dict[str, Any]:
        extra = ({"available": format_minor(self.available, self.currency)}
                 if self.available is not None else {})
        return {**extra,
            "status": self.status, "reason": self.reason,
            "amount": format_minor(self.amount, self.currency), "currency": self.currency,
            "balance_after": (format_minor(self.balance_after, self.currency)
                              if self.balance_after is not None else None),
            "seq": self.seq, "request_id": self.request_id, "offline": self.offline,
        }


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
               currency: str | None = None) -> RedeemResult:
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

        def declined(reason: str, offline: bool = False,
                     available: int | None = None) -> RedeemResult:
            balance = self._balance(code) if card else None
            return RedeemResult("declined", reason, amount, want if _known(want) else
                                card_currency, balance, None, request_id, offline, code,
                                available if reason == "reserved_elsewhere" else None)

        reason = card_reason(card, program, amount, want, self._ctx.now_ms() // 1000, unusable)
        if reason is None and card is not None and program is not None:
            with db.read() as conn:  # valid_when, windows, limits: the rules engine
                reason = self._rules_reason(conn, program, card, amount, want,
                                            self._ctx.now_ms())
        if reason is not None or card is None or program is None:
            return declined(reason or "unknown_card")

        spend = Spend(code, amount, want, program)
        ident = self._ctx.identity()
        with self._ctx.client(ident) as client:
            authorization = self._authority.ask(client, spend, request_id, ident)
            if authorization.mode == "declined":
                return declined(authorization.reason or "declined_by_central",
                                available=authorization.available)
            try:
                result = self.commit(spend, authorization, staff, request_id)
            except _Declined as exc:
                return declined(exc.reason, authorization.offline, authorization.available)
            if not authorization.offline:
                self._authority.push_soon(client, ident)
        return result

    def commit(self, spend: Spend, authorization: Authorization, staff: str | None,
               request_id: str) -> RedeemResult:
        """The commit step alone: ONE write transaction that re-checks the card, checks the
        authorization (or the offline policy) and journals the redeem."""
        extra: dict[str, Any] = {"request_id": request_id}
        if authorization.mode == "online":
            extra.update(authorization.extra)
        code, amount, currency = spend.card, spend.amount, spend.currency
        with self._ctx.db.write() as conn:
            now = self._ctx.now_ms()
            card = TerminalDB.get_card(conn, code)  # fresh: another process may have spent it
            reason = card_reason(card, spend.program, amount, currency, now // 1000)
            if reason is None and card is not None:
                reason = self._rules_reason(conn, spend.program, card, amount, currency, now)
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
            entry = self._ctx.journal.append(
                conn, "redeem", amount=amount, currency=currency, card=code,
                program=spend.program.program.id, program_version=spend.program.version,
                staff=staff, auth=authorization.auth_id, grant=grant,
                offline=authorization.offline, extra=extra, request_id=request_id, wall_ms=now)
            after = TerminalDB.get_card(conn, code)
        assert after is not None
        return RedeemResult("approved", None, amount, currency, after.balance, entry.body.seq,
                            request_id, authorization.offline, code)

    def _rules_reason(self, conn: Connection, program: replica.ReplicaProgram, card: CardRow,
                      amount: int, currency: str, now_ms: int) -> str | None:
        ident = self._ctx.identity()
        return gift_card_reason(conn, program, card, amount, currency, now_ms,
                                ident.terminal_id, ident.store_id, ident.config.time_zone)

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

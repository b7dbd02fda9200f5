"""The one authorization step every gift-card spend goes through — a plain `terminal redeem` and
each card of a basket commit alike.

1. `ask`: online first, `POST /v1/authorize` within the budget. An approval counts only with
   central's valid signature (the client checks it; the entry keeps `auth` and extra
   `auth_sig`/`auth_exp`). Central's decline is final — except `insufficient_funds` or
   `reserved_elsewhere` on an escrow card, which this terminal's own grant may still cover
   (central's reserve excludes what it granted here). `reserved_elsewhere` carries what can
   be paid now (central's reserve); the rest is recalled from other tills' grants and is free
   once they release it, within their next background sync. Central unreachable: the
   offline policy will decide.
2. `check`, inside the commit transaction: an approval must be committed within
   AUTH_COMMIT_WINDOW_S of asking (central releases the hold on that promise); offline, the
   program's policy (`offline_policy`); on a grant, the grant must cover the amount. A grant
   that cannot is `insufficient_funds`, the reason central gave. Offline, a card whose
   balance view is not what its journal says is refused (`balance_mismatch`), and recorded
   for `verify` when `ask` found central unreachable.
3. `push_soon`: after an online commit, one quick best-effort push; sync carries what it misses.

Value needs the same care the other way round (`ValueAuthority`): an entry that raises a balance
or points — a card sold or topped up, the new card of a balance transfer, points added by hand —
carries central's signed value authorization for exactly that card, amount and manager, asked
online just before it is journaled. Without central there is no such entry (`needs_central`);
central applies none that lacks one. Points a reward burns online are held the same way
(`PointsAuthority`): two tills can never both take the same points.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection

from core.errors import Declined, WalletError
from core.money import format_minor, parse_minor
from core.rules.basket import Basket
from pos_app.terminal import balance, grants, offline_clock, offline_policy, replica
from pos_app.terminal.context import BEST_EFFORT_PUSH_TIMEOUT_S, TerminalContext
from pos_app.terminal.enrollment import Identity
from wallet_sync.agent import push_outbox
from wallet_sync.client import CentralClient, CentralRefused, CentralUnreachable
from wallet_sync.protocol import (
    AUTH_COMMIT_WINDOW_S,
    AuthorizeRequest,
    OrderInfo,
    OrderLine,
    PointsAuthorizeRequest,
    ValueAuthorizeRequest,
)

log = logging.getLogger(__name__)
Mode = Literal["online", "offline", "grant", "declined"]
ValueOp = Literal["activate", "load", "adjust"]


@dataclass(frozen=True)
class Spend:
    """One gift card's part of an order, as the terminal will journal it."""

    card: str
    amount: int  # minor units
    currency: str
    program: replica.ReplicaProgram
    order: str | None = None  # the order it belongs to
    basket: Basket | None = None  # that order's basket

    def order_info(self) -> OrderInfo | None:
        return order_info(self.order, self.basket)


def order_info(order: str | None, basket: Basket | None) -> OrderInfo | None:
    """The order as central's authorize reads it (None for a spend without one)."""
    if order is None or basket is None:
        return None
    cur = basket.currency
    return OrderInfo(id=order, total=format_minor(basket.total, cur),
                     lines=[OrderLine(sku=ln.sku, category=ln.category, qty=ln.qty,
                                      price=format_minor(ln.unit_price, cur))
                            for ln in basket.lines])


@dataclass(frozen=True)
class Authorization:
    """What `ask` decided for one spend; handed unchanged to `check` at commit."""

    mode: Mode  # approved online | offline policy | this terminal's grant | declined
    reason: str | None = None  # why declined
    auth_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # auth_sig, auth_exp for the entry
    asked: float = 0.0  # time.monotonic() when central was asked
    available: int | None = None  # reserved_elsewhere: what central can authorize now

    @property
    def offline(self) -> bool:
        return self.mode == "offline"


class SpendAuthority:
    def __init__(self, ctx: TerminalContext) -> None:
        self._ctx = ctx

    def ask(self, client: CentralClient, spend: Spend, request_id: str,
            identity: Identity | None = None) -> Authorization:
        asked = time.monotonic()
        try:
            answer = client.authorize(
                AuthorizeRequest(request_id=request_id, card=spend.card,
                                 amount=format_minor(spend.amount, spend.currency),
                                 currency=spend.currency, order=spend.order_info()),
                timeout=self._ctx.authorize_budget(identity))
        except CentralUnreachable:
            self._note_balance_mismatch(spend.card)
            return Authorization("offline", asked=asked)
        except CentralRefused as exc:
            return Authorization("declined", exc.reason, asked=asked)  # central's refusal stands
        if answer.status == "approved" and answer.auth_id:
            return Authorization("online", None, answer.auth_id,
                                 {"auth_sig": answer.signature, "auth_exp": answer.expires_at},
                                 asked)
        available = None
        if answer.reason == "reserved_elsewhere" and answer.balance is not None:
            available = _minor(answer.balance, spend.currency)
        if answer.reason in ("insufficient_funds", "reserved_elsewhere") \
                and spend.program.program.offline.mode == "escrow":
            return Authorization("grant", answer.reason, asked=asked, available=available)
        return Authorization("declined", answer.reason or "declined_by_central", asked=asked,
                             available=available)

    def check(self, conn: Connection, spend: Spend, authorization: Authorization,
              now_ms: int) -> tuple[str | None, str | None]:
        """(decline reason, grant id to draw on), inside the commit transaction."""
        boot = self._ctx.boot()
        if authorization.mode == "online":
            if time.monotonic() - authorization.asked > AUTH_COMMIT_WINDOW_S:
                return "authorization_expired", None
            return None, None
        if authorization.mode == "offline":
            return offline_policy.offline_decision(conn, spend.program, spend.card,
                                                   spend.amount, now_ms, boot)
        if authorization.mode == "grant":
            grant, reason = grants.choose(conn, spend.card, spend.amount,
                                          offline_clock.central_now(conn, now_ms, boot))
            # No grant here covers it: central's own reason stands.
            return ((authorization.reason or "insufficient_funds") if reason else None), grant
        return authorization.reason or "declined_by_central", None

    def _note_balance_mismatch(self, card: str) -> None:
        """Before an offline decision: a card whose balance view disagrees with its journal is
        recorded for `verify` here, in its own transaction, because the commit that refuses it
        (`offline_policy`, `balance_mismatch`) rolls back."""
        with self._ctx.db.read() as conn:
            found = balance.mismatch(conn, card)
        if found is None:
            return
        log.warning("balance view of %s is %s, its journal says %s: refused offline",
                    card, found.view, found.journal)
        with self._ctx.db.write() as conn:
            balance.record_mismatch(conn, found, self._ctx.now_ms())

    def push_soon(self, client: CentralClient, identity: Identity) -> None:
        try:
            push_outbox(self._ctx.db, client, batch=identity.config.push_batch,
                        timeout=BEST_EFFORT_PUSH_TIMEOUT_S, retries=0, max_batches=1)
        except (WalletError, OSError):
            pass  # the entry is committed and queued; the next sync carries it


def _minor(text: str, currency: str) -> int | None:
    try:
        return parse_minor(text, currency, allow_zero=True)
    except WalletError:
        return None  # a malformed figure from central: the reason still stands


@dataclass(frozen=True)
class ValueApproval:
    """Central's authority for one value-raising entry: its id goes in the entry's `auth`,
    the signature and expiry in `extra` (`auth_sig`, `auth_exp`), as a spend's do."""

    auth_id: str
    extra: dict[str, Any]


class ValueAuthority:
    def __init__(self, ctx: TerminalContext) -> None:
        self._ctx = ctx

    def ask(self, client: CentralClient, op: ValueOp, card: str, amount: int,
            currency: str | None, staff: str, transfer_from: str | None = None
            ) -> ValueApproval:
        """Central's approval for OP on CARD (AMOUNT minor units, or points for `adjust`),
        approved by STAFF; Declined with central's reason, or `needs_central`."""
        text = str(amount) if currency is None else format_minor(amount, currency)
        try:
            answer = client.authorize_value(
                ValueAuthorizeRequest(request_id=secrets.token_urlsafe(12), op=op, card=card,
                                      amount=text, currency=currency, staff=staff,
                                      transfer_from=transfer_from),
                timeout=self._ctx.authorize_budget())
        except CentralUnreachable as exc:
            raise Declined("this needs head office online", "needs_central") from exc
        except CentralRefused as exc:
            raise Declined(exc.message, exc.reason) from exc
        if answer.status != "approved" or not answer.auth_id:
            reason = answer.reason or "declined_by_central"
            raise Declined(f"head office declined: {reason}", reason)
        return ValueApproval(answer.auth_id, {"auth_sig": answer.signature,
                                              "auth_exp": answer.expires_at})


@dataclass(frozen=True)
class PointsApproval:
    mode: Literal["online", "offline", "declined"]
    reason: str | None = None
    auth_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class PointsAuthority:
    def __init__(self, ctx: TerminalContext) -> None:
        self._ctx = ctx

    def ask(self, client: CentralClient, member: str, program: str, points: int,
            order: OrderInfo | None = None, reward: str | None = None) -> PointsApproval:
        """A hold on POINTS of MEMBER for an online burn (the reward REWARD on ORDER: central
        also holds one use of its limits counted across tills and checks the order's
        stacking); central unreachable means the loyalty program's offline policy decides."""
        try:
            answer = client.authorize_points(
                PointsAuthorizeRequest(request_id=secrets.token_urlsafe(12), member=member,
                                       program=program, points=points, order=order,
                                       reward=reward),
                timeout=self._ctx.authorize_budget())
        except CentralUnreachable:
            return PointsApproval("offline")
        except CentralRefused as exc:
            return PointsApproval("declined", exc.reason)
        if answer.status == "approved" and answer.auth_id:
            return PointsApproval("online", None, answer.auth_id,
                                  {"auth_sig": answer.signature, "auth_exp": answer.expires_at})
        return PointsApproval("declined", answer.reason or "declined_by_central")

"""Quote and commit at the till (`Loyalty`, held by `TerminalService`).

`quote(basket, identifiers)` refreshes each presented member from central (a signed snapshot,
within the authorize budget; unreachable means the quote is *offline*), then asks the engine
over the replica (`quote_service`). `commit(choices)` turns the quote into journal entries:
`choose` plans them, gift-card redemptions go through the same authorization step as a plain
redeem (`authorization`: online first, else the card program's offline policy or this
terminal's grant), and ONE BEGIN IMMEDIATE transaction re-quotes at the quote's time,
refuses with `quote_changed` if the token differs, checks the offline policies, and appends
every entry. A declined commit writes nothing.

Online, every burn first takes a hold on the member's points at central
(`authorization.PointsAuthority`) and names it: two tills redeeming the same points at the same
moment get one approval and one `insufficient_points`. Offline (the quote was, or central did
not answer the hold), earning is always allowed; burning points follows the loyalty program's
`offline` policy: `online` → `offline_not_allowed`, `escrow` → `no_offline_grant` (points have
no grants), `floor` → `floor_per_transaction` and `terminal_total` in points since the last
complete sync, within `max_offline_hours`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from core.codes import generate_code
from core.errors import Declined, InvalidInput
from core.money import format_minor
from core.programs import Program
from core.rules.basket import Basket, order_basket
from core.rules.choose import Choices, Plan, PlannedOp, choose
from core.rules.context import Customer
from core.rules.offers import GiftCardOffer, MemberView, Refusal
from core.rules.orders import Part, check_order_id
from pos_app.terminal import (
    event_claims,
    limit_shares,
    members,
    offline_clock,
    offline_policy,
    orders,
    quote_service,
    replica,
)
from pos_app.terminal.authorization import (
    Authorization,
    PointsApproval,
    PointsAuthority,
    Spend,
    SpendAuthority,
    order_info,
)
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.quote_service import QuoteRequest, TerminalQuote
from wallet_sync.client import CentralRefused, CentralUnreachable

QUOTE_TTL_S = 600  # a quote older than this is re-quoted, not committed


class _Declined(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class CommitResult:
    status: str  # committed | declined
    reason: str | None = None
    plan: Plan | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    offline: bool = False
    points: dict[str, int] = field(default_factory=dict)  # member -> points after
    order: str | None = None  # the order every entry names

    def as_json(self, currency: str) -> dict[str, Any]:
        plan = self.plan
        return {
            "status": self.status, "reason": self.reason, "offline": self.offline,
            "order": self.order,
            "entries": self.entries, "points_after": self.points,
            "dropped": [{"benefit": d.benefit, "reason": d.code} for d in plan.dropped]
            if plan else [],
            "discount": format_minor(plan.discount, currency) if plan else None,
            "to_pay": format_minor(plan.to_pay, currency) if plan else None,
        }


@dataclass(frozen=True)
class MemberOrder:
    """A member's order as the counter flows build it: the canonical code, the basket in the
    program's currency, and whether central answered the member refresh (else: offline)."""

    code: str
    basket: Basket
    online: bool


def _part(op: PlannedOp, card: str, views: dict[tuple[str, str], MemberView],
          offers: dict[str, GiftCardOffer]) -> Part:
    """The order part one planned entry adds: a reward with the discount it gave and its
    program's stacking rule, a card's payment on its eligible lines, an earn's points."""
    if op.op == "burn":
        gives = op.extra.get("gives") or {}
        value = int(gives.get("value") or 0) if gives.get("kind") in DISCOUNTS else 0
        view = views.get((op.program, card))
        combine = view.stacking.combine_with_gift_cards if view else True
        return Part("burn", op.program, value, card, str(op.extra.get("reward") or ""),
                    combine_with_gift_cards=combine)
    if op.op == "redeem":
        offer = offers.get(card)
        return Part("redeem", op.program, op.amount, card,
                    lines=offer.lines if offer else None)
    return Part(op.op, op.program, op.amount, card)


DISCOUNTS = ("amount_off", "percent_off", "free_item")


class Loyalty:
    """Quote and commit at the till, and the member flows (earn, reward) built on them."""

    def __init__(self, ctx: TerminalContext, authority: SpendAuthority) -> None:
        self._ctx = ctx
        self._authority = authority
        self._points = PointsAuthority(ctx)

    # ---- quote ------------------------------------------------------------------------------

    def refresh_members(self, identifiers: Sequence[str]) -> bool:
        """Pull each presented member's snapshot from central; False when unreachable."""
        db = self._ctx.db
        with db.read() as conn:
            rep = self._ctx.replica_view(conn)
            codes = [c for c in (rep.member_code(i) for i in identifiers) if c]
        if not codes:
            return True
        ident = self._ctx.identity()
        budget = self._ctx.authorize_budget(ident)
        try:
            with self._ctx.client(ident) as client:
                snaps = []
                for code in codes:
                    try:
                        snaps.append(client.member(code, timeout=budget))
                    except CentralRefused as exc:
                        if exc.reason != "unknown_member":
                            raise
        except CentralUnreachable:
            return False
        with db.write() as conn:
            for snap in snaps:
                cseq = conn.execute(text("SELECT change_seq FROM members "
                                         "WHERE code = wp_card_key(:c)"),
                                    {"c": snap.member.get("code")}).scalar() or 0
                members.apply_change(conn, snap.member, snap.acked_seq, int(cseq))
        return True

    def quote(self, basket: Basket, identifiers: Sequence[str], *, events: Sequence[str] = (),
              customer: Customer | None = None, online: bool = True,
              explain: bool = False) -> TerminalQuote:
        """What this basket can have from the presented members and cards now. `online=False`
        skips the member refresh and marks the quote offline. EXPLAIN lists a refusal for
        every rule, those the basket or member could not trigger included (slower with many
        rules; the same offers)."""
        for ident in identifiers:
            if not isinstance(ident, str) or not 0 < len(ident) <= 64:
                raise InvalidInput("an identifier is 1 to 64 characters", "invalid_code")
        request = QuoteRequest(basket, tuple(identifiers), tuple(events), customer)
        offline = not self.refresh_members(identifiers) if online else True
        now = self._ctx.now_ms() // 1000
        with self._ctx.db.read() as conn:
            result = quote_service.build(self._ctx.replica_view(conn), request, now,
                                         indexed=not explain)
        return TerminalQuote(request, result.quote, result.unknown, offline, result.members,
                             result.cards)

    def warm(self) -> None:
        """Parse the programs and count this year's limit usage now, as the first quote of the
        process would (a screen does it while the cashier logs in, not on the first scan)."""
        now = self._ctx.now_ms() // 1000
        with self._ctx.db.read() as conn:
            self._ctx.replica_view(conn).usage(now, (), None)

    def explain(self, quoted: TerminalQuote) -> tuple[Refusal, ...]:
        """Every refusal of QUOTED's request at its time, the rules it could not trigger
        included (a quote lists only those it evaluated): why a benefit is not offered."""
        with self._ctx.db.read() as conn:
            full = quote_service.build(self._ctx.replica_view(conn), quoted.request,
                                       quoted.quote.now, indexed=False)
        return (*full.unknown, *full.quote.refused)

    # ---- commit -----------------------------------------------------------------------------

    def commit(self, choices: Choices, quoted: TerminalQuote, order: str | None = None
               ) -> CommitResult:
        """Journal what CHOICES take of QUOTED on ORDER (default: a new order of the quoted
        basket): gift cards authorized first (the same step as a plain redeem), event earns
        counted per customer claimed from central, then ONE transaction that re-quotes and
        appends every entry, each naming the order."""
        if quoted is None:
            raise InvalidInput("commit needs a quote first", reason="no_quote")
        if order is not None:
            check_order_id(order)
        order_id = order or orders.new_order_id()
        q = quoted.quote
        if self._ctx.now_ms() // 1000 - q.now > QUOTE_TTL_S:
            return CommitResult("declined", "quote_expired", order=order_id)
        with self._ctx.db.read() as conn:
            before = orders.so_far(conn, order_id)
            known = orders.basket_of(conn, order_id)
        if known is not None and known != quoted.request.basket:
            return CommitResult("declined", "order_changed", order=order_id)
        plan = choose(q, choices, before)
        info = order_info(order_id, quoted.request.basket)
        claims = event_claims.claim(self._ctx, quoted, plan)
        if isinstance(claims, str):
            return CommitResult("declined", claims, plan, offline=quoted.offline)
        txn = secrets.token_urlsafe(12)
        redeems = [op for op in plan.operations if op.op == "redeem" and op.card is not None]
        ident = self._ctx.identity()
        with self._ctx.db.read() as conn:
            programs = replica.load_programs(conn) if redeems else {}
        with self._ctx.client(ident) as client:
            holds: list[PointsApproval] = []
            for op in plan.operations:
                if op.op == "burn":
                    reward = op.extra.get("reward")
                    held = (PointsApproval("offline") if quoted.offline else
                            self._points.ask(client, op.card or "", op.program, op.amount,
                                             info, reward if isinstance(reward, str) and reward
                                             else None))
                    if held.mode == "declined":
                        return CommitResult("declined", held.reason, plan)
                    holds.append(held)
            auths: dict[str, Authorization] = {}
            for op in redeems:
                spend = Spend(op.card or "", op.amount, op.currency or "", programs[op.program],
                              order_id, quoted.request.basket)
                answer = self._authority.ask(client, spend, secrets.token_urlsafe(12), ident)
                if answer.mode == "declined":
                    return CommitResult("declined", answer.reason, plan)
                auths[spend.card] = answer
            result = self._commit_or_decline(quoted, choices, plan, auths, holds, txn,
                                             claims, order_id)
            if result.status == "committed" and not result.offline:
                self._authority.push_soon(client, ident)  # the next sync carries what it misses
        return result

    def _commit_or_decline(self, quoted: TerminalQuote, choices: Choices, plan: Plan,
                           auths: dict[str, Authorization], holds: list[PointsApproval],
                           txn: str, claims: event_claims.Claims, order: str) -> CommitResult:
        try:
            return self._journal(quoted, choices, auths, holds, txn, claims, order)
        except _Declined as exc:
            return CommitResult("declined", exc.reason, plan, offline=quoted.offline,
                                order=order)

    def _journal(self, quoted: TerminalQuote, choices: Choices,
                 auths: dict[str, Authorization], holds: list[PointsApproval], txn: str,
                 claims: event_claims.Claims, order: str) -> CommitResult:
        boot = self._ctx.boot()
        entries: list[dict[str, Any]] = []
        basket = quoted.request.basket
        with self._ctx.db.write() as conn:
            now_ms = self._ctx.now_ms()
            rep = self._ctx.replica_view(conn)
            fresh = quote_service.build(rep, quoted.request, quoted.quote.now)
            if fresh.quote.token != quoted.quote.token:
                raise _Declined("quote_changed")
            try:
                orders.check_basket(conn, order, basket)
            except Declined as exc:
                raise _Declined(exc.reason) from exc
            plan = choose(fresh.quote, choices, orders.so_far(conn, order))
            if not plan.operations:
                raise _Declined(plan.dropped[0].code if plan.dropped else "nothing_to_commit")
            burns = [op for op in plan.operations if op.op == "burn"]
            if len(burns) != len(holds):  # the re-quote planned other rewards than were held
                raise _Declined("quote_changed")
            burned: dict[str, int] = {}  # points burned offline, per program
            for op, held in zip(burns, holds, strict=True):
                if held.mode == "offline":
                    burned[op.program] = burned.get(op.program, 0) + op.amount
            for pid, points in burned.items():
                why = offline_policy.burn_offline_reason(conn, rep.programs[pid].program,
                                                         points, now_ms, boot)
                if why:
                    raise _Declined(why)
            held_by = iter(holds)
            offline_auth = Authorization("offline")
            grants: dict[str, str | None] = {}
            for op in plan.operations:
                if op.op == "redeem" and op.card is not None:
                    spend = Spend(op.card, op.amount, op.currency or "", rep.programs[op.program])
                    why, grants[op.card] = self._authority.check(
                        conn, spend, auths.get(op.card, offline_auth), now_ms)
                    if why:
                        raise _Declined(why)
            shared = self._limit_shares(conn, rep, plan, auths, holds, now_ms)
            visit = fresh.quote.total > 0
            orders.open_order(conn, order, basket, now_ms)
            views = {(v.program, v.member): v for v in fresh.quote.members}
            offers = {g.card: g for g in fresh.quote.gift_cards}
            for index, op in enumerate(plan.operations):
                extra: dict[str, Any] = {**op.extra, "txn": txn, "order": order}
                card, auth, offline = op.card, None, quoted.offline
                if op.op == "earn" and visit:
                    extra["visit"], visit = True, False
                    # The order total (minor units): central sums it into lifetime spend.
                    extra["order_total"] = fresh.quote.total
                if op.op == "earn" and (op.card, op.extra.get("rule")) in claims:
                    extra["claim"] = claims[(op.card, str(op.extra["rule"]))]
                if op.op == "load":
                    card = self._new_card_code(conn, rep.programs[op.program].program)
                if op.op == "redeem":
                    decided = auths.get(op.card or "", offline_auth)
                    auth = decided.auth_id
                    if decided.mode == "online":
                        extra.update({k: v for k, v in decided.extra.items() if v is not None})
                    extra["request_id"] = txn
                    offline = decided.offline
                if op.op == "burn":
                    held = next(held_by)
                    auth, offline = held.auth_id, held.mode == "offline"
                    extra.update({k: v for k, v in held.extra.items() if v is not None})
                if index in shared:
                    extra["limit_shares"] = shared[index]
                entry = self._ctx.journal.append(
                    conn, op.op, amount=op.amount, currency=op.currency, card=card,
                    program=op.program, program_version=op.program_version, auth=auth,
                    grant=grants.get(card or "") if op.op == "redeem" else None,
                    offline=offline, extra=extra, request_id=txn, wall_ms=now_ms)
                entries.append({"seq": entry.body.seq, "op": op.op, "card": card,
                                "program": op.program, "amount": op.amount})
                orders.record(conn, order, entry.body.seq,
                              _part(op, card or "", views, offers))
            points_after: dict[str, int] = {}
            for view in fresh.quote.members:
                m = rep.membership(view.member, now_ms // 1000)
                if m is not None:
                    points_after[view.member] = m.account.balance(now_ms // 1000,
                                                                  view.rolling_months)
        return CommitResult("committed", None, plan, entries, quoted.offline or bool(burned),
                            points_after, order)

    def _limit_shares(self, conn: Connection, rep: quote_service.ReplicaView, plan: Plan,
                      auths: dict[str, Authorization], holds: list[PointsApproval],
                      now_ms: int) -> dict[int, list[str]]:
        """Every redemption and reward burn central did not hold a use for (offline, or on
        this till's grant) draws on this till's shares of the limits counted across tills
        (`limit_shares`), in this transaction: operation index -> the shares it names."""
        central_now = offline_clock.central_now(conn, now_ms, self._ctx.boot())
        burns = iter(holds)
        out: dict[int, list[str]] = {}
        for index, op in enumerate(plan.operations):
            reward: str | None = None
            if op.op == "burn":
                if next(burns).mode != "offline":
                    continue
                raw = op.extra.get("reward")
                reward = raw if isinstance(raw, str) else None
            elif op.op == "redeem" and op.card is not None:
                if auths.get(op.card, Authorization("offline")).mode not in ("offline", "grant"):
                    continue
            else:
                continue
            why, draw = limit_shares.offline_reason(conn, rep.programs[op.program].program,
                                                    reward, op.amount, central_now)
            if why:
                raise _Declined(why)
            if draw is not None:
                out[index] = limit_shares.take(conn, draw)
        return out

    @staticmethod
    def _new_card_code(conn: Connection, program: Program) -> str:
        """A gift-card credit reward issues a new card: the code is made here so the receipt
        can print it; central creates the card when the `load` entry arrives."""
        for _ in range(20):
            code = generate_code(program.code_pattern or "GC-####-####-####")
            if TerminalDB.get_card(conn, code) is None:
                return code
        raise _Declined("codes_exhausted")  # pragma: no cover

    # ---- the two counter flows the CLI offers ---------------------------------------------

    def member_order(self, member: str, amount: str | None, lines: Any = None,
                     currency: str | None = None) -> MemberOrder:
        """Refresh MEMBER from central, then their canonical code and a basket in their
        program's currency (malformed input raises InvalidInput: the CLI's exit 2)."""
        online = self.refresh_members([member])
        with self._ctx.db.read() as conn:
            code = self._ctx.replica_view(conn).member_code(member)
            if code is None:
                raise InvalidInput(f"{member[:64]!r} is not a member code", "invalid_code")
            row = members.get(conn, code)
            programs = replica.load_programs(conn)
        rp = programs.get(row.program) if row else None
        # An unknown member still gets a quote (it says why nothing applies) in the store's
        # currency.
        cur = currency or (rp.program.currency if rp else replica.main_currency(programs))
        if cur is None:
            raise Declined("this terminal has no programs yet: sync first", "program_unavailable")
        return MemberOrder(code, order_basket(cur, amount, lines), online)

    def member_quote(self, order: MemberOrder, events: Sequence[str]) -> TerminalQuote:
        """The quote of a member's order, offline when the refresh did not reach central."""
        result = self.quote(order.basket, [order.code], events=events, online=False)
        return TerminalQuote(result.request, result.quote, result.unknown, not order.online,
                             result.members, result.cards)

    def earn(self, member: str, amount: str | None, lines: Any = None,
             event: str | None = None) -> dict[str, Any]:
        order = self.member_order(member, amount, lines)
        code = order.code
        q = self.member_quote(order, [event] if event else [])
        refused = (*q.unknown, *q.quote.refused) if q.quote.earn else self.explain(q)
        mine = [r for r in refused
                if r.benefit.startswith(("earn:", "milestone:", "member:", "code:"))]
        view = next((v for v in q.quote.members if v.member == code), None)
        out: dict[str, Any] = {"member": code, "points_earned": 0,
                               "points_after": view.points if view else None,
                               "tier": view.tier if view else None, "offline": q.offline,
                               "refused": [{"benefit": r.benefit, "reason": r.code}
                                           for r in mine], "entries": []}
        if not q.quote.earn:
            reason = mine[0].code if mine else "nothing_to_earn"
            return {"status": "declined", "reason": reason, **out}
        done = self.commit(Choices(earn=True), q)
        if done.status != "committed":
            return {"status": "declined", "reason": done.reason, **out}
        return {**out, "status": "earned", "reason": None,
                "points_earned": q.quote.points_to_earn,
                "points_after": done.points.get(code), "entries": done.entries}

    def redeem_reward(self, member: str, reward: str, basket: Basket | None = None, *,
                      amount: str | None = None, lines: Any = None, order: str | None = None
                      ) -> dict[str, Any]:
        order_id = order
        if basket is None and order_id is not None and amount is None and lines is None:
            with self._ctx.db.read() as conn:
                basket = orders.basket_of(conn, check_order_id(order_id))
        if basket is None:
            sale = self.member_order(member, amount, lines)
        else:
            sale = MemberOrder(member, basket, self.refresh_members([member]))
        code = sale.code
        q = self.member_quote(sale, [])
        view = next((v for v in q.quote.members if v.member == code), None)
        benefit = f"reward:{view.program}:{reward}" if view else f"reward:?:{reward}"
        out: dict[str, Any] = {"member": code, "reward": reward, "points_burned": 0,
                               "points_after": view.points if view else None,
                               "offline": q.offline, "entries": [], "order": order_id}
        offer = next((r for r in q.quote.rewards if r.benefit == benefit), None)
        if offer is None:
            refusal = q.quote.refusal(benefit) or next(
                (r for r in self.explain(q) if r.benefit == benefit), None) \
                or next(iter(q.unknown), None)
            return {"status": "declined",
                    "reason": refusal.code if refusal else "unknown_reward", **out}
        done = self.commit(Choices(rewards=(benefit,), earn=False), q, order_id)
        out["order"] = done.order
        if done.status != "committed":
            plan = done.plan
            reason = done.reason or (plan.dropped[0].code if plan and plan.dropped else None)
            return {"status": "declined", "reason": reason, **out,
                    "dropped": [{"benefit": d.benefit, "reason": d.code}
                                for d in (plan.dropped if plan else ())]}
        burn_op = next(e for e in done.entries if e["op"] == "burn")
        card = next((e["card"] for e in done.entries if e["op"] == "load"), None)
        return {**out, "status": "approved", "reason": None, "points_burned": burn_op["amount"],
                "points_after": done.points.get(code), "gives": offer.gives.kind,
                "value": format_minor(offer.value, offer.currency),
                "discount": format_minor(done.plan.discount if done.plan else 0,
                                         offer.currency),
                "card": card, "entries": done.entries}

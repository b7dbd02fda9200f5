"""The quote: everything the cards and memberships presented can do for this basket now.

`quote` is a pure function of its inputs — basket, programs, card and member snapshots, the
customer and store, the usage counts the caller tallied from its journal, and the clock — so a
terminal, central or a benchmark can call it over any storage. Every benefit is either offered
or refused with a machine-readable reason; a CEL expression that fails at run time refuses only
its own benefit (`rule_error: <field>`). Points to earn are computed on the basket total before
rewards. What the caller adds itself: the offline policy (`offline_limit`, grants).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import cel

from core.ledger import GiftCardAccount
from core.money import exponent, format_minor
from core.programs import Program, ProgramSet
from core.rules.basket import Basket
from core.rules.context import (
    CardFacts,
    Customer,
    Store,
    build_context,
    card_vars,
    customer_vars,
    local_time,
    order_vars,
)
from core.rules.expressions import Expression, Verdict, describe_paths, evaluate
from core.rules.limits import Usage, check_limits
from core.rules.loyalty import EarnRule, Loyalty, Reward, tier_status
from core.rules.offers import EarnOffer, GiftCardOffer, MemberView, Quote, Refusal, RewardOffer
from core.rules.points import PointsAccount, lot_expiry
from core.rules.rule_index import index_of


@dataclass(frozen=True, slots=True)
class CardHolding:
    """A gift card presented for this order: its program and ledger account snapshot."""

    program: str
    account: GiftCardAccount


@dataclass(frozen=True, slots=True)
class Membership:
    """A loyalty member presented for this order. `period_points` / `previous_period_points`
    are the points earned in the current and previous tier period (see `period_bounds`)."""

    program: str
    account: PointsAccount
    period_points: int = 0
    previous_period_points: int = 0
    customer: Customer | None = None  # overrides quote(customer=...) for this member

    @property
    def member(self) -> str:
        return self.account.member


@dataclass(slots=True)
class _Out:
    gift: list[GiftCardOffer] = field(default_factory=list)
    earn: list[EarnOffer] = field(default_factory=list)
    rewards: list[RewardOffer] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    members: list[MemberView] = field(default_factory=list)
    # Verdicts by source for the current context: many rewards share a condition. Cleared
    # whenever `card` or `customer` is swapped in the context.
    memo: dict[str, Verdict] = field(default_factory=dict)
    sums: dict[str, dict[str, int]] = field(default_factory=dict)
    programs: Mapping[str, Program] = field(default_factory=dict)

    def evaluate(self, expr: Expression, ctx: cel.Context) -> Verdict:
        verdict = self.memo.get(expr.source)
        if verdict is None:
            verdict = self.memo[expr.source] = evaluate(expr, ctx)
        return verdict

    def set_var(self, ctx: cel.Context, name: str, value: dict[str, object]) -> None:
        ctx.add_variable(name, value)
        self.memo.clear()

    def refuse(self, benefit: str, program: str, reason: str, detail: str = "",
               message: str = "") -> None:
        self.refused.append(Refusal(benefit, program, reason, detail, message))


def quote(basket: Basket, programs: ProgramSet | Mapping[str, Program] | Iterable[Program], *,
          cards: Sequence[CardHolding] = (), members: Sequence[Membership] = (),
          customer: Customer | None = None, store: Store | None = None,
          usage: Usage | None = None, now: int, events: Sequence[str] = (),
          indexed: bool = False) -> Quote:
    """List every benefit the presented cards and memberships offer, and every refusal.
    INDEXED evaluates only the rules this basket and member can trigger (`rule_index`): the
    same offers in the same order, refusals only for the rules evaluated — what a till asks
    for at every scan; the full listing explains why anything was not offered."""
    by_id = _index(programs)
    store = store or Store()
    usage = usage or Usage()
    customer = customer or Customer()
    ctx = build_context(basket, customer, store, now)
    out = _Out(programs=by_id)
    for holding in sorted(cards, key=lambda h: h.account.code):
        _gift_card(out, holding, by_id.get(holding.program), basket, ctx, store, usage, now)
    for membership in sorted(members, key=lambda m: (m.program, m.member)):
        _loyalty(out, membership, by_id.get(membership.program), basket, ctx, customer, store,
                 usage, now, tuple(events), indexed)
    body = (basket.currency, basket.total, now, tuple(out.gift), tuple(out.earn),
            tuple(out.rewards), tuple(out.refused), tuple(out.members))
    token = _token(basket, now, out)
    return Quote(*body, token, tuple(ln.amount for ln in basket.lines))


def _token(basket: Basket, now: int, out: _Out) -> str:
    """A digest of what was offered and refused and of the snapshots `choose` relies on —
    built from plain tuples because dataclass reprs of a thousand offers cost milliseconds."""
    parts = (
        basket.currency, basket.total, now,
        [(g.benefit, g.balance, g.spendable, g.lines) for g in out.gift],
        [(e.benefit, e.points, e.expires_at) for e in out.earn],
        [(r.benefit, r.cost, r.value, r.uses_left) for r in out.rewards],
        [(r.benefit, r.reason, r.detail) for r in out.refused],
        [(m.program, m.member, m.tier, m.points,
          [(lot.lot_id, lot.remaining, lot.expires_at) for lot in m.account.lots])
         for m in out.members],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _index(programs: ProgramSet | Mapping[str, Program] | Iterable[Program]
           ) -> Mapping[str, Program]:
    if isinstance(programs, ProgramSet):
        return {p.id: p for p in programs.programs}
    if isinstance(programs, Mapping):
        return programs
    return {p.id: p for p in programs}


def _check(out: _Out, expr: Expression | None, ctx: cel.Context, benefit: str, program: str,
           reason: str) -> bool:
    """Evaluate an optional condition; refuse `benefit` with `reason: <fields>` if it fails."""
    if expr is None:
        return True
    verdict = out.evaluate(expr, ctx)
    if verdict.error is not None:
        out.refuse(benefit, program, "rule_error", expr.field, verdict.error)
    elif not verdict.passed:
        out.refuse(benefit, program, reason, describe_paths(expr), expr.source)
    return verdict.passed


def _gift_card(out: _Out, holding: CardHolding, program: Program | None, basket: Basket,
               ctx: cel.Context, store: Store, usage: Usage, now: int) -> None:
    acct = holding.account
    benefit, pid = f"gift:{acct.code}", holding.program
    if program is None:
        return out.refuse(benefit, pid, "program_unavailable")
    if program.kind != "gift_card":
        return out.refuse(benefit, pid, "wrong_program_kind")
    if acct.currency != basket.currency:
        return out.refuse(benefit, pid, "wrong_currency", acct.currency)
    if acct.state != "active":
        return out.refuse(benefit, pid, f"card_{acct.state}")
    if acct.expired(now):
        return out.refuse(benefit, pid, "expired")
    balance = acct.balance(now)
    out.set_var(ctx, "card", card_vars(CardFacts(acct.code, pid, "gift_card", acct.currency,
                                                 acct.state, balance, acct.expires_at)))
    checks = ((program.eligibility, "not_eligible"), (program.when, "not_valid_now"))
    by_line = [(e, r) for e, r in checks if e is not None and "order.lines" in e.paths]
    if by_line and not basket.lines:  # restricted to some lines, and none were given
        expr, reason = by_line[0]
        return out.refuse(benefit, pid, reason, "order.lines", expr.source)
    if not all(_check(out, e, ctx, benefit, pid, r) for e, r in checks
               if (e, r) not in by_line):
        return None
    lines: tuple[int, ...] | None = None
    if by_line:
        lines = _eligible_lines(out, [e for e, _ in by_line], basket, ctx, store)
        if not lines:
            expr, reason = by_line[0]
            return out.refuse(benefit, pid, reason, describe_paths(expr), expr.source)
    limit = check_limits(program.limits, pid, "", usage, now, store.time_zone)
    if limit.refused:
        return out.refuse(benefit, pid, *_limit_reason(limit.refused))
    if balance <= 0:
        return out.refuse(benefit, pid, "insufficient_funds")
    if basket.total <= 0:
        return out.refuse(benefit, pid, "nothing_to_pay")
    eligible = sum(basket.lines[i].amount for i in lines) if lines is not None else None
    spendable, capped_by = min(balance, basket.total if eligible is None else eligible), None
    if limit.cap is not None and limit.cap < spendable:
        spendable, capped_by = limit.cap, limit.cap_by
    if spendable <= 0:
        return out.refuse(benefit, pid, "nothing_to_pay")
    out.gift.append(GiftCardOffer(benefit, pid, program.version, acct.code, acct.currency,
                                  balance, spendable, capped_by, acct.expires_at, lines,
                                  eligible))
    return None


def _eligible_lines(out: _Out, exprs: list[Expression], basket: Basket, ctx: cel.Context,
                    store: Store) -> tuple[int, ...]:
    """The lines a restricted card may pay: each line on its own passes every expression that
    reads `order.lines` (the order's other fields stay the whole order's). A line whose check
    fails at run time is not eligible."""
    whole = order_vars(basket, store)
    eligible = []
    for i, line_vars in enumerate(whole["lines"]):
        ctx.add_variable("order", {**whole, "lines": [line_vars]})
        if all(evaluate(e, ctx).passed for e in exprs):
            eligible.append(i)
    ctx.add_variable("order", whole)
    out.memo.clear()
    return tuple(eligible)


def _limit_reason(name: str) -> tuple[str, str]:
    return ("outside_window", "") if name == "window" else ("limit_reached", name)


def _loyalty(out: _Out, m: Membership, program: Program | None, basket: Basket,
             ctx: cel.Context, customer: Customer, store: Store, usage: Usage, now: int,
             events: tuple[str, ...], indexed: bool) -> None:
    pid, member = m.program, m.member
    if program is None or program.loyalty is None:
        reason = "program_unavailable" if program is None else "wrong_program_kind"
        return out.refuse(f"member:{pid}:{member}", pid, reason)
    loyalty = program.loyalty
    status = tier_status(loyalty, m.period_points, m.previous_period_points)
    policy = loyalty.expiry_for(status.tier)
    rolling = policy.rolling_months if policy else None
    points = m.account.balance(now, rolling)
    who = m.customer or customer
    local = local_time(now, store.time_zone).date()
    out.set_var(ctx, "customer", customer_vars(who, basket.currency, local, status.tier,
                                               points, store.time_zone))
    out.set_var(ctx, "card", card_vars(CardFacts(member, pid, "loyalty", None, "active",
                                                 points)))
    tier = loyalty.tier(status.tier)
    multiplier = tier.earn_multiplier if tier else Fraction(1)
    purchase = basket.total > 0
    if indexed:
        index = index_of(loyalty)
        rules = index.earning(loyalty, basket, events)
        rewards = index.rewards(loyalty, basket, status.tier, points)
    else:
        rules = [r for r in loyalty.earning
                 if (r.on == "purchase" and purchase)
                 or (r.on != "purchase" and r.on.removeprefix("event:") in events)]
        rewards = list(loyalty.rewards)
    candidates = ([f"earn:{pid}:{r.id}" for r in rules]
                  + [f"reward:{pid}:{r.id}" for r in rewards])
    eligible = True
    for expr, reason in ((program.eligibility, "not_eligible"), (program.when, "not_valid_now")):
        verdict = out.evaluate(expr, ctx) if expr is not None else None
        if verdict is not None and not verdict.passed:
            eligible = False
            for benefit in candidates:
                if verdict.error is not None:
                    out.refuse(benefit, pid, "rule_error", expr.field if expr else "",
                               verdict.error)
                else:
                    out.refuse(benefit, pid, reason, describe_paths(expr) if expr else "")
            break
    earned_before = len(out.earn)
    if eligible:
        expires_at = lot_expiry(policy, now)
        for rule in rules:
            _earn(out, rule, program, member, basket, ctx, multiplier, expires_at)
        if purchase:
            _milestones(out, loyalty, program, member, who.visits + 1, ctx, expires_at)
        for reward in rewards:
            _reward(out, reward, program, loyalty, member, status.tier, points, basket, ctx,
                    usage, now, store)
    out.members.append(MemberView(
        pid, program.version, member, status.tier, status.next_tier, status.points_to_next,
        points, sum(e.points for e in out.earn[earned_before:]), m.account, rolling,
        loyalty.stacking, program.limits.per_order_max, eligible))
    return None


def _earn(out: _Out, rule: EarnRule, program: Program, member: str, basket: Basket,
          ctx: cel.Context, multiplier: Fraction, expires_at: int | None) -> None:
    pid, benefit = program.id, f"earn:{program.id}:{rule.id}"
    if rule.on == "purchase":
        if rule.categories and not rule.skus:
            by_cat = out.sums.get("category") or out.sums.setdefault("category", _sums(
                basket, "category"))
            qualifying = sum(by_cat.get(c, 0) for c in set(rule.categories))
        elif rule.categories or rule.skus:
            qualifying = sum(ln.amount for ln in basket.lines
                             if ln.category in rule.categories or ln.sku in rule.skus)
        else:
            qualifying = basket.total
        if rule.min_order is not None and qualifying < rule.min_order:
            return out.refuse(benefit, pid, "below_min_order",
                              format_minor(rule.min_order, basket.currency))
    if not _check(out, rule.condition, ctx, benefit, pid, "condition_failed"):
        return None
    if rule.points is not None:
        base = rule.points
    else:
        base = (qualifying // 10 ** exponent(basket.currency)) * (rule.points_per_unit or 0)
    factor = multiplier if rule.tier_multiplier else Fraction(1)
    points = base * factor.numerator // factor.denominator  # floor: points are whole
    if points <= 0:
        return out.refuse(benefit, pid, "nothing_to_earn")
    out.earn.append(EarnOffer(benefit, pid, program.version, member, rule.id, base, factor,
                              points, expires_at))
    return None


def _sums(basket: Basket, attr: str) -> dict[str, int]:
    sums: dict[str, int] = {}
    for ln in basket.lines:
        key = getattr(ln, attr)
        sums[key] = sums.get(key, 0) + ln.amount
    return sums


def _milestones(out: _Out, loyalty: Loyalty, program: Program, member: str, visit: int,
                ctx: cel.Context, expires_at: int | None) -> None:
    for ms in loyalty.milestones:
        reached = (visit % ms.every_visits == 0) if ms.every_visits else visit == ms.at_visits
        benefit = f"milestone:{program.id}:{ms.id}"
        if reached and _check(out, ms.condition, ctx, benefit, program.id, "condition_failed"):
            out.earn.append(EarnOffer(benefit, program.id, program.version, member, ms.id,
                                      ms.points, Fraction(1), ms.points, expires_at))


def _reward(out: _Out, reward: Reward, program: Program, loyalty: Loyalty, member: str,
            tier: str, points: int, basket: Basket, ctx: cel.Context, usage: Usage, now: int,
            store: Store) -> None:
    pid, benefit = program.id, f"reward:{program.id}:{reward.id}"
    allowed = loyalty.allowed_tiers(reward)
    if allowed and tier not in allowed:
        return out.refuse(benefit, pid, "tier_required", ",".join(allowed))
    if not _check(out, reward.condition, ctx, benefit, pid, "condition_failed"):
        return None
    gives = reward.gives
    items_left: int | None = None
    if gives.kind == "free_item":
        prices = [ln.unit_price for ln in basket.lines if ln.sku == gives.sku]
        if not prices:
            return out.refuse(benefit, pid, "item_not_in_basket", gives.sku)
        value = max(prices)
        items_left = sum(ln.qty for ln in basket.lines if ln.sku == gives.sku)
    elif gives.kind == "amount_off":
        value = min(gives.amount, basket.total)
    elif gives.kind == "percent_off":
        value = basket.total * gives.percent // 100
    else:
        value = gives.amount
    if value <= 0 and gives.kind in ("amount_off", "percent_off"):
        return out.refuse(benefit, pid, "nothing_to_discount")
    uses_left, uses_by = items_left, "item_quantity" if items_left is not None else None
    for limits, key in ((program.limits, ""), (reward.limits, reward.id)):
        check = check_limits(limits, pid, key, usage, now, store.time_zone)
        if check.refused:
            return out.refuse(benefit, pid, *_limit_reason(check.refused))
        if check.cap is not None and check.cap < reward.cost:
            return out.refuse(benefit, pid, "limit_reached", check.cap_by or "")
        if check.uses_left is not None and (uses_left is None or check.uses_left < uses_left):
            uses_left, uses_by = check.uses_left, check.uses_by
    if points < reward.cost:
        return out.refuse(benefit, pid, "insufficient_points", str(reward.cost - points))
    credited = out.programs.get(gives.program) if gives.program else None
    out.rewards.append(RewardOffer(benefit, pid, program.version, member, reward.id,
                                   reward.cost, gives, value, basket.currency, uses_left,
                                   uses_by, credited.version if credited else 0))
    return None

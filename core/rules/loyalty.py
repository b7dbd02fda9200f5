"""The loyalty part of a program: earning rules, milestones, tiers, rewards and stacking, parsed
strictly from the program file, plus tier status.

Tier status is a pure function of the points *earned* (not burned) in the current tier period
and in the previous one: a member holds the highest tier either period qualifies for. So an
upgrade takes effect the moment the threshold is crossed, the tier is kept through the whole
next period, and a downgrade happens only when a period ends without qualifying. Periods are
calendar-aligned blocks of `tier_period.months` (default 12: the calendar year, UTC).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from core.money import exponent
from core.rules.expressions import Expression, compile_expression
from core.rules.limits import Limits, parse_limits
from core.rules.points import ExpiryPolicy
from core.rules.schema import (
    ProgramError,
    amount,
    boolean,
    date,
    identifier,
    integer,
    items,
    mapping,
    names,
    ratio,
    text,
    text_list,
)

_EVENT = re.compile(r"^event:[a-z0-9_.-]{1,64}$")
GIVES = ("amount_off", "percent_off", "free_item", "gift_card_credit")


@dataclass(frozen=True, slots=True)
class EarnRule:
    id: str
    on: str  # "purchase" or "event:NAME"
    points: int | None = None  # fixed
    points_per_unit: int | None = None  # proportional: per whole currency unit
    min_order: int | None = None  # minor units, against the qualifying amount
    categories: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    condition: Expression | None = None
    tier_multiplier: bool = True
    # Per-customer limits of an event rule, counted on central (`central.customer_events`):
    once_per_customer: bool = False
    max_per_customer: int | None = None
    cooldown_days: int | None = None

    @property
    def per_customer(self) -> bool:
        """Whether central must count this rule's awards per customer before one is paid."""
        return (self.once_per_customer or self.max_per_customer is not None
                or self.cooldown_days is not None)

    @property
    def max_awards(self) -> int | None:
        return 1 if self.once_per_customer else self.max_per_customer


@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    points: int
    every_visits: int | None = None
    at_visits: int | None = None
    condition: Expression | None = None


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    min_points: int
    earn_multiplier: Fraction = Fraction(1)
    points_expiry: ExpiryPolicy | None = None
    rewards: tuple[str, ...] = ()  # this tier's catalog: rewards it unlocks
    name: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Gives:
    kind: str  # amount_off | percent_off | free_item | gift_card_credit
    amount: int = 0  # amount_off, gift_card_credit (minor units)
    percent: int = 0
    sku: str = ""
    program: str = ""  # gift_card_credit: the gift-card program credited


@dataclass(frozen=True, slots=True)
class Reward:
    id: str
    name: tuple[tuple[str, str], ...]
    cost: int
    gives: Gives
    condition: Expression | None = None
    tiers: tuple[str, ...] = ()  # empty: every tier
    limits: Limits = Limits()
    expiry_days: int | None = None  # gift_card_credit: the credited card's expiry instead


@dataclass(frozen=True, slots=True)
class Stacking:
    max_rewards_per_order: int | None = None
    exclusive_groups: tuple[tuple[str, ...], ...] = ()
    combine_with_gift_cards: bool = True


@dataclass(frozen=True, slots=True)
class Loyalty:
    earning: tuple[EarnRule, ...]
    milestones: tuple[Milestone, ...]
    tiers: tuple[Tier, ...]
    rewards: tuple[Reward, ...]
    stacking: Stacking
    points_expiry: ExpiryPolicy | None
    tier_period_months: int = 12

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    def allowed_tiers(self, reward: Reward) -> tuple[str, ...]:
        """Tiers that may take `reward`: its own list plus tiers whose catalog names it."""
        if not any(t.rewards for t in self.tiers):
            return reward.tiers
        extra = tuple(t.id for t in self.tiers if reward.id in t.rewards)
        return tuple(dict.fromkeys(reward.tiers + extra))

    def expiry_for(self, tier_id: str) -> ExpiryPolicy | None:
        tier = self.tier(tier_id)
        return tier.points_expiry if tier and tier.points_expiry else self.points_expiry


def earn_consistent(loyalty: Loyalty, benefit: str, rule_id: Any, base: Any, multiplier: Any,
                    points: int, currency: str) -> bool:
    """Whether an `earn` entry's figures can come from this program's rules: the rule or
    milestone it names exists, its base points are what that rule gives for some qualifying
    order, the multiplier is one a tier of the program has (1 when the rule ignores tiers) and
    the points are base x multiplier rounded down, as the quote computes them. (The order
    itself is the terminal's word: see SECURITY.md, Insider risk.)"""
    try:
        factor = Fraction(str(multiplier))
    except (ValueError, ZeroDivisionError):
        return False
    if not isinstance(base, int) or isinstance(base, bool) or base <= 0:
        return False
    if benefit.startswith("milestone:"):
        ms = next((m for m in loyalty.milestones if m.id == rule_id), None)
        return ms is not None and base == ms.points and factor == 1 and points == ms.points
    if not benefit.startswith("earn:"):
        return False
    rule = next((r for r in loyalty.earning if r.id == rule_id), None)
    if rule is None:
        return False
    if rule.points is not None:
        if base != rule.points:
            return False
    else:
        per_unit = rule.points_per_unit or 0
        if per_unit <= 0 or base % per_unit:
            return False
        units = base // per_unit
        unit = 10 ** exponent(currency)
        if rule.min_order is not None and (units + 1) * unit <= rule.min_order:
            return False
    allowed = {Fraction(1)} | ({t.earn_multiplier for t in loyalty.tiers}
                               if rule.tier_multiplier else set())
    return factor in allowed and points == base * factor.numerator // factor.denominator


LOYALTY_FIELDS = ("member_code_pattern", "earning", "milestones", "tiers", "tier_period",
                  "points_expiry", "rewards", "stacking")


def parse_loyalty(data: dict[str, Any], where: str, currency: str) -> Loyalty:
    earning = tuple(_earn(r, f"{where}.earning[{i}]", f"earning[{i}]", currency)
                    for i, r in enumerate(items(data, "earning", where)))
    milestones = tuple(_milestone(m, f"{where}.milestones[{i}]", f"milestones[{i}]")
                       for i, m in enumerate(items(data, "milestones", where)))
    tiers = tuple(_tier(t, f"{where}.tiers[{i}]") for i, t in enumerate(items(data, "tiers",
                                                                                   where)))
    rewards = tuple(_reward(r, f"{where}.rewards[{i}]", f"rewards[{i}]", currency)
                    for i, r in enumerate(items(data, "rewards", where)))
    for label, ids in (("earning", [r.id for r in earning]), ("tiers", [t.id for t in tiers]),
                       ("rewards", [r.id for r in rewards]),
                       ("milestones", [m.id for m in milestones])):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ProgramError(f"{where}.{label}: duplicate ids {dupes}")
    if tiers and tiers[0].min_points != 0:
        raise ProgramError(f"{where}.tiers[0].min_points: the first tier starts at 0")
    for i in range(1, len(tiers)):
        if tiers[i].min_points <= tiers[i - 1].min_points:
            raise ProgramError(f"{where}.tiers[{i}].min_points: tiers must be in increasing "
                               f"order of min_points ({tiers[i].min_points} after "
                               f"{tiers[i - 1].min_points})")
    tier_ids, reward_ids = {t.id for t in tiers}, {r.id for r in rewards}
    for i, reward in enumerate(rewards):
        for t in reward.tiers:
            if t not in tier_ids:
                raise ProgramError(f"{where}.rewards[{i}].tiers: unknown tier {t!r}")
    for i, tier in enumerate(tiers):
        for r in tier.rewards:
            if r not in reward_ids:
                raise ProgramError(f"{where}.tiers[{i}].rewards: unknown reward {r!r}")
    period = data.get("tier_period")
    months = 12
    if period is not None:
        mapping(period, f"{where}.tier_period", {"months"}, {"months"})
        months = integer(period, "months", f"{where}.tier_period", minimum=1) or 12
        if 12 % months:
            raise ProgramError(f"{where}.tier_period.months: must divide the year "
                               "(1, 2, 3, 4, 6 or 12)")
    return Loyalty(earning, milestones, tiers, rewards,
                   _stacking(data.get("stacking"), f"{where}.stacking", reward_ids),
                   expiry_policy(data.get("points_expiry"), f"{where}.points_expiry"), months)


def _earn(raw: Any, where: str, path: str, currency: str) -> EarnRule:
    mapping(raw, where, {"id", "name", "on", "points", "points_per_unit", "min_order",
                         "categories", "skus", "condition", "tier_multiplier",
                         "once_per_customer", "max_per_customer", "cooldown_days"},
            {"id", "on"})
    on = text(raw, "on", where, required=True)
    if on != "purchase" and not _EVENT.match(on or ""):
        raise ProgramError(f"{where}.on: must be 'purchase' or 'event:NAME'")
    fixed = integer(raw, "points", where, minimum=1)
    per_unit = integer(raw, "points_per_unit", where, minimum=1)
    if (fixed is None) == (per_unit is None):
        raise ProgramError(f"{where}: give exactly one of points or points_per_unit")
    if per_unit is not None and on != "purchase":
        raise ProgramError(f"{where}.points_per_unit: only purchases have an amount")
    if on != "purchase" and any(k in raw for k in ("min_order", "categories", "skus")):
        raise ProgramError(f"{where}: min_order, categories and skus apply to purchases only")
    names(raw, "name", where, "")
    once = boolean(raw, "once_per_customer", where, False)
    most = integer(raw, "max_per_customer", where, minimum=1, maximum=10**6)
    cooldown = integer(raw, "cooldown_days", where, minimum=1, maximum=36600)
    if (once or most is not None or cooldown is not None) and on == "purchase":
        raise ProgramError(f"{where}: once_per_customer, max_per_customer and cooldown_days "
                           "apply to event rules (on: event:NAME)")
    if once and most is not None:
        raise ProgramError(f"{where}: give once_per_customer or max_per_customer, not both")
    return EarnRule(
        id=identifier(raw, "id", where), on=on or "", points=fixed, points_per_unit=per_unit,
        min_order=amount(raw, "min_order", where, currency),
        categories=text_list(raw, "categories", where), skus=text_list(raw, "skus", where),
        condition=_expr(raw, "condition", where, path),
        tier_multiplier=boolean(raw, "tier_multiplier", where, True),
        once_per_customer=once, max_per_customer=most, cooldown_days=cooldown)


def _milestone(raw: Any, where: str, path: str) -> Milestone:
    mapping(raw, where, {"id", "name", "points", "every_visits", "at_visits", "condition"},
            {"id", "points"})
    every = integer(raw, "every_visits", where, minimum=1)
    at = integer(raw, "at_visits", where, minimum=1)
    if (every is None) == (at is None):
        raise ProgramError(f"{where}: give exactly one of every_visits or at_visits")
    names(raw, "name", where, "")
    points = integer(raw, "points", where, minimum=1)
    assert points is not None
    return Milestone(identifier(raw, "id", where), points, every, at,
                     _expr(raw, "condition", where, path))


def _tier(raw: Any, where: str) -> Tier:
    mapping(raw, where, {"id", "name", "min_points", "earn_multiplier", "points_expiry",
                         "rewards"}, {"id", "min_points"})
    min_points = integer(raw, "min_points", where)
    assert min_points is not None
    tid = identifier(raw, "id", where)
    return Tier(tid, min_points, ratio(raw, "earn_multiplier", where) or Fraction(1),
                expiry_policy(raw.get("points_expiry"), f"{where}.points_expiry"),
                text_list(raw, "rewards", where),
                tuple(sorted(names(raw, "name", where, tid).items())))


def _reward(raw: Any, where: str, path: str, currency: str) -> Reward:
    mapping(raw, where, {"id", "name", "cost", "gives", "condition", "tiers", "limits",
                         "expiry"}, {"id", "cost", "gives"})
    rid = identifier(raw, "id", where)
    cost = integer(raw, "cost", where)
    assert cost is not None
    gives = _gives(raw["gives"], f"{where}.gives", currency)
    days = None
    if raw.get("expiry") is not None:
        expiry = mapping(raw["expiry"], f"{where}.expiry", {"days_after_issue"},
                         {"days_after_issue"})
        days = integer(expiry, "days_after_issue", f"{where}.expiry", minimum=1, maximum=36600)
        if gives.kind != "gift_card_credit":
            raise ProgramError(f"{where}.expiry: only a gift_card_credit reward issues "
                               "something that expires")
    return Reward(rid, tuple(sorted(names(raw, "name", where, rid).items())), cost, gives,
                  _expr(raw, "condition", where, path), text_list(raw, "tiers", where),
                  parse_limits(raw.get("limits"), f"{where}.limits", currency, True,
                               counts_only=True), days)


def _gives(raw: Any, where: str, currency: str) -> Gives:
    mapping(raw, where, GIVES)
    if len(raw) != 1:
        raise ProgramError(f"{where}: give exactly one of {', '.join(GIVES)}")
    kind = next(iter(raw))
    if kind == "amount_off":
        value = amount(raw, kind, where, currency)
        if not value:
            raise ProgramError(f"{where}.amount_off: must be more than zero")
        return Gives(kind, amount=value)
    if kind == "percent_off":
        pct = integer(raw, kind, where, minimum=1, maximum=100)
        return Gives(kind, percent=pct or 0)
    if kind == "free_item":
        sku = text(raw, kind, where, required=True)
        return Gives(kind, sku=sku or "")
    credit = mapping(raw[kind], f"{where}.{kind}", {"program", "amount"}, {"program", "amount"})
    value = amount(credit, "amount", f"{where}.{kind}", currency)
    if not value:
        raise ProgramError(f"{where}.{kind}.amount: must be more than zero")
    return Gives(kind, amount=value, program=text(credit, "program", f"{where}.{kind}") or "")


def _stacking(raw: Any, where: str, reward_ids: set[str]) -> Stacking:
    if raw is None:
        return Stacking()
    mapping(raw, where, {"max_rewards_per_order", "exclusive_groups", "combine_with_gift_cards"})
    groups = []
    for i, group in enumerate(items(raw, "exclusive_groups", where)):
        if not isinstance(group, list) or len(group) < 2:
            raise ProgramError(f"{where}.exclusive_groups[{i}]: a list of two or more rewards")
        for rid in group:
            if rid not in reward_ids:
                raise ProgramError(f"{where}.exclusive_groups[{i}]: unknown reward {rid!r}")
        groups.append(tuple(group))
    return Stacking(integer(raw, "max_rewards_per_order", where, minimum=1), tuple(groups),
                    boolean(raw, "combine_with_gift_cards", where, True))


def expiry_policy(raw: Any, where: str) -> ExpiryPolicy | None:
    if raw is None:
        return None
    mapping(raw, where, {"rolling_months", "months_after_earn", "fixed_date"})
    if len(raw) != 1:
        raise ProgramError(f"{where}: give exactly one of rolling_months, months_after_earn "
                           "or fixed_date")
    return ExpiryPolicy(integer(raw, "rolling_months", where, minimum=1, maximum=1200),
                        integer(raw, "months_after_earn", where, minimum=1, maximum=1200),
                        date(raw, "fixed_date", where))


def _expr(raw: dict[str, Any], key: str, where: str, path: str) -> Expression | None:
    if raw.get(key) is None:
        return None
    return compile_expression(raw[key], f"{where}.{key}", f"{path}.{key}")


@dataclass(frozen=True, slots=True)
class TierStatus:
    tier: str
    period_points: int
    next_tier: str | None = None
    points_to_next: int = 0


def period_bounds(loyalty: Loyalty, at: int) -> tuple[int, int]:
    """The tier period containing `at`: [start, end) in unix seconds (UTC, calendar-aligned)."""
    t = dt.datetime.fromtimestamp(at, dt.UTC)
    months = loyalty.tier_period_months
    first = (t.month - 1) // months * months
    start = dt.datetime(t.year, first + 1, 1, tzinfo=dt.UTC)
    nxt = first + months
    end = dt.datetime(t.year + nxt // 12, nxt % 12 + 1, 1, tzinfo=dt.UTC)
    return int(start.timestamp()), int(end.timestamp())


def tier_status(loyalty: Loyalty, period_points: int, previous_period_points: int = 0
                ) -> TierStatus:
    """The member's tier from points earned this period and last period (see module doc)."""
    if not loyalty.tiers:
        return TierStatus("", period_points)
    best = max(period_points, previous_period_points)
    current = [t for t in loyalty.tiers if t.min_points <= best][-1]
    higher = [t for t in loyalty.tiers if t.min_points > current.min_points]
    if not higher:
        return TierStatus(current.id, period_points)
    return TierStatus(current.id, period_points, higher[0].id,
                      max(0, higher[0].min_points - period_points))

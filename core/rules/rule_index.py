"""The rules of a loyalty program indexed by what can trigger them, so a quote's cost follows
the rules this basket and member can meet, not the number of rules the program holds.

A rule is a *candidate* when it could be offered: an earning rule by its event, or for a
purchase by a category or SKU of the basket (a rule with neither, or one paying fixed points
without a minimum, is a candidate for every purchase); a reward by the member's tier, by the
SKU a free item needs, and by its cost against the member's points. Everything else can only
be refused, for a reason the basket or member already shows (`nothing_to_earn`,
`below_min_order`, `item_not_in_basket`, `tier_required`, `insufficient_points`), and an
indexed quote leaves it out instead of evaluating it. Candidates come back in the program's
own order, so an indexed quote offers exactly what the full one offers, in the same order.

An index is built once per parsed `Loyalty` (programs are parsed once per version) and kept
beside it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from core.rules.basket import Basket
from core.rules.loyalty import EarnRule, Loyalty, Reward

_ANY_TIER = ""


@dataclass(frozen=True, slots=True)
class _Priced:
    """Rewards sorted by cost (and their positions in the program) for one tier."""

    costs: tuple[int, ...]
    positions: tuple[int, ...]

    def affordable(self, points: int) -> tuple[int, ...]:
        return self.positions[:bisect_right(self.costs, points)]


@dataclass(frozen=True, slots=True)
class RuleIndex:
    purchase_always: tuple[int, ...]
    by_category: dict[str, tuple[int, ...]]
    by_sku: dict[str, tuple[int, ...]]
    by_event: dict[str, tuple[int, ...]]
    # rewards that give no free item, per tier that may take them (`""`: a tier not listed)
    priced: dict[str, _Priced]
    free_item_by_sku: dict[str, tuple[int, ...]]

    def earning(self, loyalty: Loyalty, basket: Basket, events: Iterable[str]
                ) -> list[EarnRule]:
        """The earning rules this basket and these events could pay, in program order."""
        found: set[int] = set()
        if basket.total > 0:
            found.update(self.purchase_always)
            for category in {ln.category for ln in basket.lines}:
                found.update(self.by_category.get(category, ()))
            for sku in {ln.sku for ln in basket.lines}:
                found.update(self.by_sku.get(sku, ()))
        for event in set(events):
            found.update(self.by_event.get(event, ()))
        return [loyalty.earning[i] for i in sorted(found)]

    def rewards(self, loyalty: Loyalty, basket: Basket, tier: str, points: int
                ) -> list[Reward]:
        """The rewards a member of TIER with POINTS could take on this basket, in order."""
        priced = self.priced.get(tier) or self.priced[_ANY_TIER]
        found = set(priced.affordable(points))
        for sku in {ln.sku for ln in basket.lines}:
            found.update(i for i in self.free_item_by_sku.get(sku, ())
                         if loyalty.rewards[i].cost <= points and _tier_ok(loyalty, i, tier))
        return [loyalty.rewards[i] for i in sorted(found)]


def _tier_ok(loyalty: Loyalty, position: int, tier: str) -> bool:
    allowed = loyalty.allowed_tiers(loyalty.rewards[position])
    return not allowed or tier in allowed


def build_index(loyalty: Loyalty) -> RuleIndex:
    always: list[int] = []
    by_category: dict[str, list[int]] = {}
    by_sku: dict[str, list[int]] = {}
    by_event: dict[str, list[int]] = {}
    for i, rule in enumerate(loyalty.earning):
        if rule.on != "purchase":
            by_event.setdefault(rule.on.removeprefix("event:"), []).append(i)
        elif _every_purchase(rule):
            always.append(i)
        else:
            for category in set(rule.categories):
                by_category.setdefault(category, []).append(i)
            for sku in set(rule.skus):
                by_sku.setdefault(sku, []).append(i)
    tiers = [_ANY_TIER, *(t.id for t in loyalty.tiers)]
    priced: dict[str, _Priced] = {}
    free_items: dict[str, list[int]] = {}
    for i, reward in enumerate(loyalty.rewards):
        if reward.gives.kind == "free_item":
            free_items.setdefault(reward.gives.sku or "", []).append(i)
    for tier in tiers:
        open_ = sorted((r.cost, i) for i, r in enumerate(loyalty.rewards)
                       if r.gives.kind != "free_item" and _tier_ok(loyalty, i, tier))
        priced[tier] = _Priced(tuple(c for c, _ in open_), tuple(i for _, i in open_))
    return RuleIndex(tuple(always), _frozen(by_category), _frozen(by_sku), _frozen(by_event),
                     priced, _frozen(free_items))


def _every_purchase(rule: EarnRule) -> bool:
    """A purchase rule whose outcome does not need a matching line: no category or SKU
    filter, or fixed points with no minimum on the qualifying amount."""
    if not rule.categories and not rule.skus:
        return True
    return rule.points is not None and (rule.min_order is None or rule.min_order <= 0)


def _frozen(groups: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(positions) for key, positions in groups.items()}


_INDEXES: dict[int, tuple[Loyalty, RuleIndex]] = {}
_KEEP = 256


def index_of(loyalty: Loyalty) -> RuleIndex:
    """The index of LOYALTY, built on first use and kept with the object it indexes (the
    object is held too, so its id cannot be reused while the entry lives)."""
    found = _INDEXES.get(id(loyalty))
    if found is not None and found[0] is loyalty:
        return found[1]
    if len(_INDEXES) >= _KEEP:
        _INDEXES.clear()
    index = build_index(loyalty)
    _INDEXES[id(loyalty)] = (loyalty, index)
    return index

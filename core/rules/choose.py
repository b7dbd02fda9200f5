"""From a quote and the customer's choices to the journal operations that carry them out.

`choose` is deterministic — the same quote and choices always give the same plan — so a
terminal can commit exactly what it showed. It applies the order-level rules a quote cannot
decide alone because they depend on the combination chosen: stacking (maximum rewards per
order, exclusive groups, whether rewards combine with gift cards), the points balance across
several rewards, per-order limits, and how much is left to pay. Anything it drops is returned
with a reason (`stacking: max_rewards_per_order`, `insufficient_points`, ...).

Choices are applied in this order: rewards (in the order given), then gift cards (in the order
given, on what is left to pay after discounts), then the points earned. `before` is what the
order already holds from earlier commits (`core.rules.orders.OrderSoFar`): its rewards count
towards `max_rewards_per_order` and `exclusive_groups`, a reward of a program that does not
combine with gift cards drops every gift card after it and is itself dropped when the order
already has a gift card, and what was paid or discounted is no longer to pay. A restricted
card pays at most its eligible lines' `room` (`orders.room`). Operations come out as
burns (each with the benefit it buys), gift-card loads (rewards that credit a gift card),
redemptions, then earns. Points burned follow the quote's account snapshot, soonest-expiring
lot first; re-quote at commit and compare `Quote.token` to know the snapshot is still current.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import Declined
from core.rules.offers import MemberView, Quote, Refusal, RewardOffer
from core.rules.orders import OrderSoFar, room
from core.rules.points import PointsAccount, burn


@dataclass(frozen=True, slots=True)
class Choices:
    rewards: tuple[str, ...] = ()  # reward benefit ids ("reward:club:coffee") or reward ids
    gift_cards: tuple[tuple[str, int | None], ...] = ()  # (card code, amount or None = most)
    earn: bool = True


@dataclass(frozen=True, slots=True)
class PlannedOp:
    """One journal entry to write. `amount` is points for earn/burn (currency None) and minor
    units for load/redeem. `card` is the member code or gift-card code ("" for a new card)."""

    op: str  # burn | load | redeem | earn
    program: str
    program_version: int
    card: str
    amount: int
    currency: str | None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    operations: tuple[PlannedOp, ...]
    dropped: tuple[Refusal, ...]
    discount: int  # minor units taken off by rewards
    gift_card_total: int  # minor units paid by gift cards
    to_pay: int  # what is left for other tenders
    quote_token: str


@dataclass(slots=True)
class _MemberState:
    view: MemberView
    account: PointsAccount
    points: int
    burned: int = 0
    rewards: int = 0
    groups: set[int] = field(default_factory=set)
    uses: dict[str, int] = field(default_factory=dict)


def choose(quote: Quote, choices: Choices, before: OrderSoFar | None = None) -> Plan:
    before = before or OrderSoFar("")
    remaining = max(0, quote.total - before.paid - before.discount)
    burns: list[PlannedOp] = []
    loads: list[PlannedOp] = []
    redeems: list[PlannedOp] = []
    dropped: list[Refusal] = []
    states = {(v.program, v.member): _MemberState(v, v.account, v.points)
              for v in quote.members}
    for state in states.values():
        for reward in before.rewards_of(state.view.program):
            state.rewards += 1  # (its count limits are in the quote's usage already)
            state.groups.update(i for i, g in enumerate(state.view.stacking.exclusive_groups)
                                if reward in g)
    offers = {r.benefit: r for r in quote.rewards}
    discount = 0
    combined_with_rewards = before.no_gift_cards() is not None
    for wanted in choices.rewards:
        offer = offers.get(wanted) or next(
            (r for r in quote.rewards if r.reward == wanted), None)
        if offer is None:
            dropped.append(Refusal(wanted, "", "not_offered"))
            continue
        state = states[(offer.program, offer.member)]
        why = _stacking(state, offer)
        if why is None and before.cards and not state.view.stacking.combine_with_gift_cards:
            why = ("stacking", "combine_with_gift_cards")  # a gift card already paid
        if why is not None:
            dropped.append(Refusal(offer.benefit, offer.program, *why))
            continue
        try:
            state.account, allocation = burn(state.account, offer.cost, quote.now,
                                             state.view.rolling_months)
        except Declined:
            dropped.append(Refusal(offer.benefit, offer.program, "insufficient_points",
                                   str(offer.cost - state.points)))
            continue
        _commit_stacking(state, offer)
        value = offer.value
        if offer.gives.kind in ("amount_off", "percent_off", "free_item"):
            value = min(value, remaining)
            remaining -= value
            discount += value
        combined_with_rewards |= not state.view.stacking.combine_with_gift_cards
        burns.append(PlannedOp("burn", offer.program, offer.program_version, offer.member,
                               offer.cost, None, _burn_extra(offer, value, allocation)))
        if offer.gives.kind == "gift_card_credit":
            loads.append(PlannedOp("load", offer.gives.program, offer.credit_program_version, "",
                                   offer.gives.amount,
                                   offer.currency, {"reward": offer.reward,
                                                    "benefit": offer.benefit,
                                                    "member": offer.member}))
    cards = {g.card: g for g in quote.gift_cards}
    used_cards: set[str] = set()
    paid = 0
    # What is in the order, for the room of restricted cards: earlier parts, this plan's
    # discounts, then the cards as they are taken.
    placed = [*before.placed(), (None, discount)]
    lines_total = sum(quote.line_amounts) if quote.line_amounts else quote.total
    for code, amount in choices.gift_cards:
        gift = cards.get(code)
        benefit = f"gift:{code}"
        if gift is None:
            dropped.append(Refusal(benefit, "", "not_offered"))
            continue
        if code in used_cards:
            dropped.append(Refusal(benefit, gift.program, "duplicate"))
            continue
        if combined_with_rewards:
            dropped.append(Refusal(benefit, gift.program, "stacking", "combine_with_gift_cards"))
            continue
        cap = gift.spendable
        if gift.lines is not None:
            cap = min(cap, room(quote.line_amounts, lines_total, placed, gift.lines))
            if cap <= 0:
                dropped.append(Refusal(benefit, gift.program, "nothing_to_pay", "order.lines"))
                continue
        take = min(cap, remaining) if amount is None else amount
        if take > cap:
            dropped.append(Refusal(benefit, gift.program, "limit_reached",
                                   gift.capped_by or
                                   ("order.lines" if gift.lines is not None else "balance")))
            continue
        if take > remaining or take <= 0:
            dropped.append(Refusal(benefit, gift.program, "nothing_to_pay"))
            continue
        used_cards.add(code)
        remaining -= take
        paid += take
        placed.append((gift.lines, take))
        redeems.append(PlannedOp("redeem", gift.program, gift.program_version, code, take,
                                 gift.currency, {"benefit": benefit}))
    earns = [PlannedOp("earn", e.program, e.program_version, e.member, e.points, None,
                       {"benefit": e.benefit, "rule": e.rule, "base": e.base_points,
                        "multiplier": str(e.multiplier), "expires_at": e.expires_at})
             for e in quote.earn] if choices.earn else []
    return Plan(tuple(burns + loads + redeems + earns), tuple(dropped), discount, paid,
                remaining, quote.token)


def _stacking(state: _MemberState, offer: RewardOffer) -> tuple[str, str] | None:
    rules = state.view.stacking
    if rules.max_rewards_per_order is not None and state.rewards >= rules.max_rewards_per_order:
        return "stacking", "max_rewards_per_order"
    for i, group in enumerate(rules.exclusive_groups):
        if offer.reward in group and i in state.groups:
            return "stacking", "exclusive_groups"
    used = state.uses.get(offer.reward, 0)
    if offer.uses_left is not None and used >= offer.uses_left:
        return "limit_reached", offer.uses_by or ""
    cap = state.view.per_order_max_points
    if cap is not None and state.burned + offer.cost > cap:
        return "limit_reached", "per_order_max"
    return None


def _commit_stacking(state: _MemberState, offer: RewardOffer) -> None:
    state.rewards += 1
    state.burned += offer.cost
    state.uses[offer.reward] = state.uses.get(offer.reward, 0) + 1
    state.groups.update(i for i, g in enumerate(state.view.stacking.exclusive_groups)
                        if offer.reward in g)


def _burn_extra(offer: RewardOffer, value: int, allocation: tuple[tuple[str, int], ...]
                ) -> dict[str, Any]:
    gives: dict[str, Any] = {"kind": offer.gives.kind, "value": value,
                             "currency": offer.currency}
    if offer.gives.kind == "free_item":
        gives["sku"] = offer.gives.sku
    if offer.gives.kind == "percent_off":
        gives["percent"] = offer.gives.percent
    if offer.gives.kind == "gift_card_credit":
        gives["program"] = offer.gives.program
    return {"benefit": offer.benefit, "reward": offer.reward, "gives": gives,
            "allocation": [[lot, pts] for lot, pts in allocation]}

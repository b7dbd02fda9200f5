"""The example program file, rule by rule: every field changes what a quote offers or refuses."""

from __future__ import annotations

import dataclasses

import pytest
from rules_fixtures import BERLIN, GERMAN, SATURDAY, WEDNESDAY, basket, gift, member

from core.programs import ProgramSet
from core.rules.basket import Basket, Line
from core.rules.choose import Choices, choose
from core.rules.context import Customer
from core.rules.limits import UsageRecord, tally
from core.rules.quote import quote


def q(programs: ProgramSet, b: Basket, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("customer", GERMAN)
    kw.setdefault("store", BERLIN)
    kw.setdefault("now", WEDNESDAY)
    return quote(b, programs, **kw)


@pytest.mark.parametrize(("total", "period_points", "expected"), [
    ("99.99", 0, None),        # below min_order 100.00: nothing under `base`
    ("100.00", 0, 200),        # 2 points per 1.00
    ("100.00", 1000, 400),     # gold: earn_multiplier 2
    ("150.99", 0, 300),        # whole units only
    ("100.00", 999, 200),      # one point short of gold
])
def test_base_earning(programs: ProgramSet, total: str, period_points: int,
                      expected: int | None) -> None:
    result = q(programs, basket(total), members=[member(0, period_points)])
    earned = {e.rule: e.points for e in result.earn}
    assert earned.get("base") == expected
    if expected is None:
        assert result.refusal("earn:club:base").code == "below_min_order: 100.00"


def test_member_from_france_is_not_eligible(programs: ProgramSet) -> None:
    result = q(programs, basket("120.00"), members=[member(500)],
               customer=Customer("C2", "FR"))
    assert not result.earn and not result.rewards
    codes = {r.benefit: r.code for r in result.refused}
    assert codes["earn:club:base"] == "not_eligible: customer.country"
    assert codes["reward:club:coffee"] == "not_eligible: customer.country"


@pytest.mark.parametrize(("period_points", "total", "code"), [
    (0, "60.00", "tier_required: gold"),
    (1000, "49.99", "condition_failed: order.total"),
    (1000, "50.00", None),
])
def test_five_off_needs_gold_and_fifty(programs: ProgramSet, period_points: int, total: str,
                                       code: str | None) -> None:
    result = q(programs, basket(total), members=[member(300, period_points)])
    offered = {r.reward: r for r in result.rewards}
    if code is None:
        assert offered["five-off"].value == 500 and offered["five-off"].cost == 250
    else:
        assert "five-off" not in offered
        assert result.refusal("reward:club:five-off").code == code


def test_newsletter_event_gives_fifty(programs: ProgramSet) -> None:
    result = q(programs, basket("0"), members=[member()], events=["newsletter_signup"])
    assert [(e.rule, e.points) for e in result.earn] == [("newsletter", 50)]
    other = q(programs, basket("0"), members=[member()], events=["something_else"])
    assert not other.earn


def test_coffee_needs_the_item_and_the_points(programs: ProgramSet) -> None:
    b = basket(None, ("SKU-COFFEE", "drinks", 1, 350))
    assert q(programs, b, members=[member(100)]).rewards[0].value == 350
    short = q(programs, b, members=[member(99)])
    assert short.refusal("reward:club:coffee").code == "insufficient_points: 1"
    no_item = q(programs, basket("3.50"), members=[member(100)])
    assert no_item.refusal("reward:club:coffee").code == "item_not_in_basket: SKU-COFFEE"


@pytest.mark.parametrize(("now", "offered"), [(WEDNESDAY, False), (SATURDAY, True)])
def test_weekend_voucher_valid_when(programs: ProgramSet, now: int, offered: bool) -> None:
    result = q(programs, basket("30.00"), cards=[gift("WV-1", 1000, "gift-weekend")], now=now)
    assert bool(result.gift_cards) is offered
    if not offered:
        assert result.refusal("gift:WV-1").code == "not_valid_now: now.weekday"


def test_stacking_max_two_rewards(programs: ProgramSet) -> None:
    b = basket(None, ("SKU-COFFEE", "drinks", 3, 350), ("CAKE", "food", 1, 6000))
    result = q(programs, b, members=[member(1000, 1000)])
    plan = choose(result, Choices(rewards=("coffee", "five-off", "coffee")))
    assert [op.extra["reward"] for op in plan.operations if op.op == "burn"] == \
        ["coffee", "five-off"]
    assert [d.code for d in plan.dropped] == ["stacking: max_rewards_per_order"]
    assert plan.discount == 850


def test_free_item_only_as_often_as_in_basket(programs: ProgramSet) -> None:
    b = basket(None, ("SKU-COFFEE", "drinks", 1, 350), ("CAKE", "food", 1, 6000))
    plan = choose(q(programs, b, members=[member(1000)]), Choices(rewards=("coffee", "coffee")))
    assert [d.code for d in plan.dropped] == ["limit_reached: item_quantity"]


def _redeems(n: int, amount: int = 100) -> list[UsageRecord]:
    return [UsageRecord(WEDNESDAY - 60 * (i + 1), "gift-eur", "", amount, card="GC-1")
            for i in range(n)]


@pytest.mark.parametrize(("used", "offered"), [(4, True), (5, False)])
def test_per_card_daily_count(programs: ProgramSet, used: int, offered: bool) -> None:
    usage = tally(_redeems(used), now=WEDNESDAY, time_zone=BERLIN.time_zone, card="GC-1")
    result = q(programs, basket("10.00"), cards=[gift()], usage=usage)
    assert bool(result.gift_cards) is offered
    if not offered:
        assert result.refusal("gift:GC-1").code == "limit_reached: per_card_daily_count"


def test_yesterdays_redemptions_do_not_count(programs: ProgramSet) -> None:
    records = [dataclasses.replace(r, at=r.at - 86400) for r in _redeems(5)]
    usage = tally(records, now=WEDNESDAY, time_zone=BERLIN.time_zone, card="GC-1")
    assert q(programs, basket("10.00"), cards=[gift()], usage=usage).gift_cards


def test_per_order_max(programs: ProgramSet) -> None:
    result = q(programs, basket("500.00"), cards=[gift(value=30000)])
    offer = result.gift_cards[0]
    assert (offer.balance, offer.spendable, offer.capped_by) == (30000, 20000, "per_order_max")
    plan = choose(result, Choices(gift_cards=(("GC-1", 25000),)))
    assert [d.code for d in plan.dropped] == ["limit_reached: per_order_max"]
    plan = choose(result, Choices(gift_cards=(("GC-1", None),)))
    assert plan.gift_card_total == 20000 and plan.to_pay == 30000


def test_spendable_never_exceeds_the_basket(programs: ProgramSet) -> None:
    result = q(programs, basket("12.00"), cards=[gift(value=5000)])
    assert result.gift_cards[0].spendable == 1200


def test_card_states_and_currency(programs: ProgramSet) -> None:
    from core.ledger import issue, set_blocked
    from core.rules.quote import CardHolding
    blocked = CardHolding("gift-eur", set_blocked(gift().account, True))
    inactive = CardHolding("gift-eur", issue("GC-3", "EUR", 100, "L0"))
    usd = CardHolding("gift-eur", gift("GC-4").account.__class__("GC-4", "USD", "active"))
    result = q(programs, basket("10.00"), cards=[blocked, inactive, usd])
    assert {r.benefit: r.code for r in result.refused} == {
        "gift:GC-1": "card_blocked", "gift:GC-3": "card_inactive",
        "gift:GC-4": "wrong_currency: USD"}


def test_gift_card_and_rewards_combine_as_configured(programs: ProgramSet) -> None:
    b = basket(None, ("SKU-COFFEE", "drinks", 1, 350), ("CAKE", "food", 1, 1000))
    result = q(programs, b, members=[member(500)], cards=[gift()])
    plan = choose(result, Choices(rewards=("coffee",), gift_cards=(("GC-1", None),)))
    assert [op.op for op in plan.operations] == ["burn", "redeem"]  # 13.50 earns nothing
    assert plan.discount == 350 and plan.gift_card_total == 1000 and plan.to_pay == 0


def test_rolling_expiry_follows_the_tier(programs: ProgramSet) -> None:
    thirteen_months = WEDNESDAY - 400 * 86400
    basic = q(programs, basket("1.00"), members=[member(500, 0, at=thirteen_months)])
    gold = q(programs, basket("1.00"), members=[member(500, 1000, at=thirteen_months)])
    assert basic.members[0].points == 0 and basic.members[0].rolling_months == 12
    assert gold.members[0].points == 500 and gold.members[0].rolling_months == 24


def test_member_view_shows_progress(programs: ProgramSet) -> None:
    view = q(programs, basket("100.00"), members=[member(0, 700)]).members[0]
    assert (view.tier, view.next_tier, view.points_to_next, view.points_to_earn) == \
        ("basic", "gold", 300, 200)


def test_example_line_items_count_toward_min_order(programs: ProgramSet) -> None:
    b = Basket("EUR", (Line("A", "food", 2, 4000), Line("B", "food", 1, 2000)))
    assert q(programs, b, members=[member()]).earn[0].points == 200


def test_expired_card_and_token_tracks_state(programs: ProgramSet) -> None:
    from core.rules.quote import CardHolding
    old = gift().account
    expired = CardHolding("gift-eur", dataclasses.replace(old, expires_at=WEDNESDAY - 1))
    assert q(programs, basket("10.00"), cards=[expired]).refusal("gift:GC-1").code == "expired"
    b = basket(None, ("SKU-COFFEE", "drinks", 1, 350))
    first = q(programs, b, members=[member(300)])
    assert first.token == q(programs, b, members=[member(300)]).token
    assert first.token != q(programs, b, members=[member(301)]).token


def test_burn_plan_records_the_allocation_to_void(programs: ProgramSet) -> None:
    b = basket(None, ("SKU-COFFEE", "drinks", 1, 350))
    plan = choose(q(programs, b, members=[member(300)]), Choices(rewards=("reward:club:coffee",)))
    burn = plan.operations[0]
    assert (burn.op, burn.card, burn.amount, burn.currency) == ("burn", "LM-00000001", 100, None)
    assert burn.extra["allocation"] == [["L1", 100]]
    assert burn.extra["gives"] == {"kind": "free_item", "value": 350, "currency": "EUR",
                                   "sku": "SKU-COFFEE"}

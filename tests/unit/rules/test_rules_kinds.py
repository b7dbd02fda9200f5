"""Each rule kind beyond the example file: per-category earning, milestones, percent off,
gift-card credit, exclusive groups, gift cards that do not combine, recurring windows, amount
limits, run-time CEL errors and tier periods."""

from __future__ import annotations

import datetime as dt

import pytest
from rules_fixtures import BERLIN, GERMAN, SATURDAY, WEDNESDAY, gift

from core.programs import ProgramSet, parse_programs
from core.rules.basket import Basket, Line
from core.rules.choose import Choices, choose
from core.rules.context import Customer
from core.rules.limits import UsageRecord, tally
from core.rules.loyalty import period_bounds, tier_status
from core.rules.points import PointsAccount, earn
from core.rules.quote import Membership, quote

SOURCE = """
version: 1
programs:
  - id: gift
    kind: gift_card
    currency: EUR
    code_pattern: "GC-####"
    limits:
      per_customer_monthly_amount: "100.00"
      windows: [{weekdays: [Sat, Sun], from_hour: 9, to_hour: 18}]
  - id: bakery
    kind: loyalty
    currency: EUR
    eligibility: 'customer.attributes["vip"] == true'
    earning:
      - {id: bread, on: purchase, points_per_unit: 5, categories: [bread]}
      - {id: big, on: purchase, points: 20, min_order: "10.00", tier_multiplier: false}
      - {id: review, on: "event:review", points: 10, condition: 'customer.visits > 0'}
    milestones:
      - {id: tenth, every_visits: 10, points: 100}
      - {id: first, at_visits: 1, points: 25}
    tiers:
      - {id: crumb, min_points: 0}
      - {id: loaf, min_points: 100, earn_multiplier: 1.5, rewards: [credit]}
    tier_period: {months: 3}
    points_expiry: {months_after_earn: 6}
    rewards:
      - {id: tenpct, cost: 10, gives: {percent_off: 10}}
      - {id: twoff, cost: 10, gives: {amount_off: "2.00"}, limits: {per_card_daily_count: 1}}
      - {id: credit, cost: 50, gives: {gift_card_credit: {program: gift, amount: "5.00"}}}
      - id: broken
        cost: 1
        gives: {amount_off: "1.00"}
        condition: 'customer.attributes["x"] > 1'
    stacking:
      max_rewards_per_order: 3
      exclusive_groups: [[tenpct, twoff]]
      combine_with_gift_cards: false
"""
VIP = Customer("C9", "DE", attributes={"vip": True}, visits=9)


@pytest.fixture(scope="module")
def progs() -> ProgramSet:
    return parse_programs(SOURCE, filename="bakery.yaml")


def _member(points: int = 200, period: int = 0) -> Membership:
    return Membership("bakery", earn(PointsAccount("M1", "bakery"), points, "L1",
                                     WEDNESDAY - 100), period)


BREAD = Basket("EUR", (Line("BAGUETTE", "bread", 2, 250), Line("JAM", "jar", 1, 700)))


def test_per_category_milestone_and_fixed(progs: ProgramSet) -> None:
    result = quote(BREAD, progs, members=[_member()], customer=VIP, store=BERLIN, now=WEDNESDAY)
    assert {e.rule: e.points for e in result.earn} == {"bread": 25, "big": 20, "tenth": 100}
    assert result.earn[0].expires_at == int(dt.datetime(2024, 11, 8, 12, 0, 0,
                                                        tzinfo=dt.UTC).timestamp())


def test_tier_multiplier_is_fractional_and_optional(progs: ProgramSet) -> None:
    result = quote(BREAD, progs, members=[_member(period=100)], customer=VIP, store=BERLIN,
                   now=WEDNESDAY)
    earned = {e.rule: (e.base_points, e.points) for e in result.earn}
    assert earned["bread"] == (25, 37) and earned["big"] == (20, 20)


def test_event_condition_and_eligibility_attribute(progs: ProgramSet) -> None:
    first_visit = Customer("C9", "DE", attributes={"vip": True}, visits=0)
    result = quote(Basket("EUR", total=0), progs, members=[_member()], customer=first_visit,
                   store=BERLIN, now=WEDNESDAY, events=["review"])
    assert result.refusal("earn:bakery:review").code == "condition_failed: customer.visits"
    plain = quote(BREAD, progs, members=[_member()], customer=GERMAN, store=BERLIN,
                  now=WEDNESDAY)
    # a missing attribute is a run-time error: refused with the field, never raised
    assert plain.refusal("earn:bakery:bread").code == "rule_error: eligibility"


def test_runtime_cel_error_declines_only_that_reward(progs: ProgramSet) -> None:
    result = quote(BREAD, progs, members=[_member()], customer=VIP, store=BERLIN, now=WEDNESDAY)
    assert result.refusal("reward:bakery:broken").code == "rule_error: rewards[3].condition"
    assert {r.reward for r in result.rewards} == {"tenpct", "twoff"}


def test_percent_off_exclusive_groups_and_tier_catalog(progs: ProgramSet) -> None:
    result = quote(BREAD, progs, members=[_member()], customer=VIP, store=BERLIN, now=WEDNESDAY)
    assert result.refusal("reward:bakery:credit").code == "tier_required: loaf"
    assert {r.reward: r.value for r in result.rewards} == {"tenpct": 120, "twoff": 200}
    plan = choose(result, Choices(rewards=("tenpct", "twoff")))
    assert [d.code for d in plan.dropped] == ["stacking: exclusive_groups"]
    assert plan.discount == 120


def test_gift_card_credit_and_no_combining(progs: ProgramSet) -> None:
    result = quote(BREAD, progs, members=[_member(period=150)], cards=[gift(program="gift")],
                   customer=VIP, store=BERLIN, now=SATURDAY)
    plan = choose(result, Choices(rewards=("credit",), gift_cards=(("GC-1", None),)))
    ops = [(op.op, op.program, op.amount) for op in plan.operations]
    assert ops[:2] == [("burn", "bakery", 50), ("load", "gift", 500)]
    assert [d.code for d in plan.dropped] == ["stacking: combine_with_gift_cards"]


def test_reward_count_limit_from_usage(progs: ProgramSet) -> None:
    usage = tally([UsageRecord(WEDNESDAY - 10, "bakery", "twoff", 10, card="M1")],
                  now=WEDNESDAY, time_zone="Europe/Berlin", card="M1")
    result = quote(BREAD, progs, members=[_member()], customer=VIP, store=BERLIN,
                   now=WEDNESDAY, usage=usage)
    assert result.refusal("reward:bakery:twoff").code == "limit_reached: per_card_daily_count"


@pytest.mark.parametrize(("now", "code"), [(WEDNESDAY, "outside_window"),
                                           (SATURDAY + 8 * 3600, "outside_window"),
                                           (SATURDAY, None)])
def test_recurring_window(progs: ProgramSet, now: int, code: str | None) -> None:
    result = quote(BREAD, progs, cards=[gift(program="gift")], store=BERLIN, now=now)
    assert (result.refused[0].code if result.refused else None) == code


def test_customer_monthly_amount_caps_spendable(progs: ProgramSet) -> None:
    records = [UsageRecord(SATURDAY - 3 * 86400, "gift", "", 9000, card="GC-9", customer="C9")]
    usage = tally(records, now=SATURDAY, time_zone="Europe/Berlin", card="GC-1",
                  customer="C9")
    result = quote(BREAD, progs, cards=[gift(program="gift")], store=BERLIN, now=SATURDAY,
                   usage=usage, customer=VIP)
    assert (result.gift_cards[0].spendable, result.gift_cards[0].capped_by) == \
        (1000, "per_customer_monthly_amount")


def test_tier_upgrade_now_downgrade_at_period_end(progs: ProgramSet) -> None:
    loyalty = progs.get("bakery").loyalty  # type: ignore[union-attr]
    assert loyalty is not None
    assert tier_status(loyalty, 99).tier == "crumb"
    assert tier_status(loyalty, 100).tier == "loaf"          # upgrade immediately
    assert tier_status(loyalty, 0, 120).tier == "loaf"       # kept through the next period
    assert tier_status(loyalty, 0, 0).tier == "crumb"        # dropped when a period ends empty
    start, end = period_bounds(loyalty, WEDNESDAY)
    assert (dt.datetime.fromtimestamp(start, dt.UTC).month,
            dt.datetime.fromtimestamp(end, dt.UTC).month) == (4, 7)

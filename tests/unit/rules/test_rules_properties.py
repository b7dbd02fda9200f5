"""Hypothesis properties of quote and choose over random baskets, members, cards, usage and
clocks: never raises (even when CEL fails at run time), deterministic end to end, never spends
more points or money than there is."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rules_fixtures import BERLIN, EXAMPLE, WEDNESDAY

from core.ledger import activate, issue
from core.programs import parse_programs
from core.rules.basket import Basket, Line
from core.rules.choose import Choices, choose
from core.rules.context import Customer
from core.rules.limits import UsageRecord, tally
from core.rules.points import PointsAccount, earn
from core.rules.quote import CardHolding, Membership, quote

# The example plus a program whose expressions fail at run time for most customers
# (missing attribute keys, string/number mix-ups, division by zero).
HOSTILE = """
  - id: fragile
    kind: loyalty
    currency: EUR
    eligibility: 'customer.attributes["level"] > 2'
    earning:
      - {id: odd, on: purchase, points: 5, condition: '100 / customer.visits > 1'}
    rewards:
      - {id: r, cost: 1, gives: {amount_off: "1.00"}, condition: 'customer.attributes["a"] == "b"'}
"""
PROGRAMS = parse_programs(EXAMPLE.read_text(encoding="utf-8") + HOSTILE)
SKUS = ["SKU-COFFEE", "CAKE", "TEA"]

lines = st.lists(st.builds(Line, st.sampled_from(SKUS), st.sampled_from(["food", "drinks"]),
                           st.integers(1, 5), st.integers(0, 20_000)), max_size=6)
attrs = st.dictionaries(st.sampled_from(["level", "a"]),
                        st.one_of(st.integers(-3, 5), st.text(max_size=3), st.booleans()),
                        max_size=2)
customers = st.builds(Customer, st.just("C1"), st.sampled_from(["DE", "AT", "FR", ""]), attrs,
                      visits=st.integers(0, 30))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[object, ...]:
    basket = Basket("EUR", tuple(draw(lines)))
    now = WEDNESDAY + draw(st.integers(0, 14 * 86400))
    members = []
    for pid in draw(st.lists(st.sampled_from(["club", "fragile"]), max_size=2, unique=True)):
        acct = PointsAccount("M1", pid)
        for i, pts in enumerate(draw(st.lists(st.integers(1, 600), max_size=3))):
            acct = earn(acct, pts, f"L{i}", WEDNESDAY - draw(st.integers(0, 800)) * 86400,
                        draw(st.one_of(st.none(), st.integers(WEDNESDAY, now + 86400))))
        members.append(Membership(pid, acct, draw(st.integers(0, 2000))))
    cards = [CardHolding(pid, activate(issue(f"GC-{i}", "EUR", draw(st.integers(0, 40_000)),
                                             "L0")))
             for i, pid in enumerate(draw(st.lists(
                 st.sampled_from(["gift-eur", "store-credit", "gift-weekend"]), max_size=2)))]
    records = [UsageRecord(now - draw(st.integers(0, 40)) * 3600, "gift-eur", "", 100,
                           card="GC-0") for _ in range(draw(st.integers(0, 7)))]
    usage = tally(records, now=now, time_zone=BERLIN.time_zone, card="GC-0")
    choices = Choices(
        rewards=tuple(draw(st.lists(st.sampled_from(["coffee", "five-off", "r"]), max_size=4))),
        gift_cards=tuple((c.account.code, draw(st.one_of(st.none(), st.integers(1, 30_000))))
                         for c in cards))
    return basket, members, cards, draw(customers), usage, now, choices


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.lists(st.sampled_from(["newsletter_signup", "x"]), max_size=2))
def test_quote_never_raises_and_choose_is_deterministic(scenario: tuple, events: list[str]
                                                        ) -> None:  # type: ignore[type-arg]
    basket, members, cards, customer, usage, now, choices = scenario
    kw = dict(cards=cards, members=members, customer=customer, store=BERLIN, usage=usage,
              now=now, events=events)
    first = quote(basket, PROGRAMS, **kw)
    again = quote(basket, PROGRAMS, **kw)
    assert first == again and first.token == again.token
    plan = choose(first, choices)
    assert plan == choose(again, choices)
    # money: discounts and gift cards never exceed the basket
    assert 0 <= plan.to_pay == basket.total - plan.discount - plan.gift_card_total
    # points: never burn more than the member has, never a negative amount
    for view in first.members:
        burned = sum(op.amount for op in plan.operations
                     if op.op == "burn" and op.card == view.member and op.program == view.program)
        assert burned <= view.points
    assert all(op.amount > 0 for op in plan.operations)
    for offer in first.gift_cards:
        assert 0 < offer.spendable <= min(offer.balance, basket.total)
    # every refusal carries a reason code
    assert all(r.reason and " " not in r.reason for r in first.refused)

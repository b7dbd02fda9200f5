"""The order model in the engine: a restricted card pays only its eligible lines, the stacking
rules hold across commits of one order whichever comes first, several cards share the lines."""

from __future__ import annotations

import pytest
from rules_fixtures import BERLIN, WEDNESDAY, gift

from core.ledger import activate, issue
from core.programs import ProgramSet, parse_programs
from core.rules.basket import Basket, Line
from core.rules.choose import Choices, choose
from core.rules.context import Customer
from core.rules.orders import OrderSoFar, Part, card_order, room
from core.rules.points import PointsAccount, earn
from core.rules.quote import CardHolding, Membership, quote

SOURCE = """
version: 1
programs:
  - id: books
    kind: gift_card
    currency: EUR
    code_pattern: "BK-####"
    valid_when: 'order.lines.all(l, l.category == "books")'
  - id: gift
    kind: gift_card
    currency: EUR
    code_pattern: "GC-####"
  - id: club
    kind: loyalty
    currency: EUR
    earning: [{id: base, on: purchase, points_per_unit: 1}]
    rewards:
      - {id: five, cost: 10, gives: {amount_off: "5.00"}}
      - {id: two, cost: 10, gives: {amount_off: "2.00"}}
      - {id: one, cost: 10, gives: {amount_off: "1.00"}}
    stacking: {max_rewards_per_order: 2, exclusive_groups: [[five, two]],
               combine_with_gift_cards: false}
"""
MIXED = Basket("EUR", (Line("NOVEL", "books", 1, 1500), Line("PEN", "office", 2, 500),
                       Line("ATLAS", "books", 1, 500)))


@pytest.fixture(scope="module")
def progs() -> ProgramSet:
    return parse_programs(SOURCE, filename="orders.yaml")


def _card(code: str, value: int, program: str, expires_at: int | None = None) -> CardHolding:
    return CardHolding(program, activate(issue(code, "EUR", value, "L0", expires_at)))


def _member() -> Membership:
    return Membership("club", earn(PointsAccount("M1", "club"), 100, "L1", WEDNESDAY - 100))


def test_books_only_card_pays_the_books_of_a_mixed_basket(progs: ProgramSet) -> None:
    q = quote(MIXED, progs, cards=[_card("BK-1", 3000, "books")], store=BERLIN, now=WEDNESDAY)
    offer = q.gift_cards[0]
    assert (offer.spendable, offer.eligible, offer.lines) == (2000, 2000, (0, 2))
    plan = choose(q, Choices(gift_cards=(("BK-1", None),)))
    assert [(op.card, op.amount) for op in plan.operations if op.op == "redeem"] == \
        [("BK-1", 2000)]
    assert plan.to_pay == 1000


def test_restricted_card_without_lines_is_refused(progs: ProgramSet) -> None:
    q = quote(Basket("EUR", (), 2000), progs, cards=[_card("BK-1", 3000, "books")],
              store=BERLIN, now=WEDNESDAY)
    assert q.refusal("gift:BK-1").code == "not_valid_now: order.lines"


def test_no_eligible_line_is_refused(progs: ProgramSet) -> None:
    q = quote(Basket("EUR", (Line("PEN", "office", 1, 500),)), progs,
              cards=[_card("BK-1", 3000, "books")], store=BERLIN, now=WEDNESDAY)
    assert q.refusal("gift:BK-1").code == "not_valid_now: order.lines"


def test_two_restricted_cards_share_the_eligible_lines(progs: ProgramSet) -> None:
    q = quote(MIXED, progs, cards=[_card("BK-1", 1200, "books"), _card("BK-2", 3000, "books"),
                                   _card("GC-1", 5000, "gift")], store=BERLIN, now=WEDNESDAY)
    plan = choose(q, Choices(gift_cards=(("BK-1", None), ("BK-2", None), ("GC-1", None))))
    assert [(op.card, op.amount) for op in plan.operations] == \
        [("BK-1", 1200), ("BK-2", 800), ("GC-1", 1000)]
    assert plan.to_pay == 0


def test_room_places_restricted_parts_on_their_lines_first() -> None:
    amounts = (1500, 1000, 500)
    assert room(amounts, 3000, [], (0, 2)) == 2000
    assert room(amounts, 3000, [(None, 2500)], (0, 2)) == 500  # the total caps it
    assert room(amounts, 3000, [((0,), 1500)], (0, 2)) == 500
    assert room(amounts, 3000, [((0, 2), 2000)], None) == 1000


def test_a_gift_card_after_a_reward_that_does_not_combine_is_dropped(progs: ProgramSet
                                                                     ) -> None:
    before = OrderSoFar("O-1", (Part("burn", "club", 500, "M1", "five",
                                     combine_with_gift_cards=False),))
    q = quote(MIXED, progs, cards=[gift(program="gift")], members=[_member()], store=BERLIN,
              now=WEDNESDAY)
    plan = choose(q, Choices(gift_cards=(("GC-1", None),), earn=False), before)
    assert [d.code for d in plan.dropped] == ["stacking: combine_with_gift_cards"]
    assert plan.operations == ()


def test_a_reward_after_a_gift_card_that_does_not_combine_is_dropped(progs: ProgramSet
                                                                     ) -> None:
    before = OrderSoFar("O-1", (Part("redeem", "gift", 1000, "GC-1"),))
    q = quote(MIXED, progs, members=[_member()], store=BERLIN, now=WEDNESDAY)
    plan = choose(q, Choices(rewards=("five",), earn=False), before)
    assert [d.code for d in plan.dropped] == ["stacking: combine_with_gift_cards"]
    assert plan.to_pay == 3000 - 1000


def test_rewards_already_in_the_order_count(progs: ProgramSet) -> None:
    before = OrderSoFar("O-1", (Part("burn", "club", 500, "M1", "five"),
                                Part("burn", "club", 100, "M1", "one")))
    q = quote(MIXED, progs, members=[_member()], store=BERLIN, now=WEDNESDAY)
    assert [d.code for d in choose(q, Choices(rewards=("two",)), before).dropped] == \
        ["stacking: max_rewards_per_order"]
    one = OrderSoFar("O-1", before.parts[:1])
    assert [d.code for d in choose(q, Choices(rewards=("two",)), one).dropped] == \
        ["stacking: exclusive_groups"]


def test_default_card_order_is_soonest_expiring_then_smallest(progs: ProgramSet) -> None:
    cards = [_card("GC-1", 900, "gift"), _card("GC-2", 500, "gift", WEDNESDAY + 9000),
             _card("GC-3", 800, "gift", WEDNESDAY + 5000), _card("GC-4", 300, "gift")]
    q = quote(MIXED, progs, cards=cards, customer=Customer(), store=BERLIN, now=WEDNESDAY)
    assert [o.card for o in card_order(q.gift_cards)] == ["GC-3", "GC-2", "GC-4", "GC-1"]

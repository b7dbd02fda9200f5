"""What a refund gives back (core.rules.refunds): cards last-used first (a card for some lines on
its own lines first), lines prorated over what the cards paid with the last lines sweeping the
rest, points taken back in proportion, rewards returned with the whole order, and the refusals;
lots come back in reverse order of drawing (core.ledger.refund_allocation)."""

from __future__ import annotations

import pytest

from core.errors import Declined, InvalidInput
from core.ledger import refund_allocation
from core.rules.refunds import Original, order_of_reference, plan_refund, receipt_reference

LINES = [6000, 2000, 2000]  # a 100.00 basket
A = Original(3, "redeem", "A", "gift", 2000)
B = Original(4, "redeem", "B", "gift", 7000)
EARN = Original(5, "earn", "M", "club", 200)
BURN = Original(2, "burn", "M", "club", 500)  # a 10.00 discount: cards paid 90.00


def test_whole_refund_goes_back_last_card_first_with_points_and_reward() -> None:
    plan = plan_refund(10000, LINES, [BURN, A, B, EARN], set())
    assert [(b.original.card, b.original.op, b.amount) for b in plan.backs] == \
        [("B", "redeem", 7000), ("A", "redeem", 2000), ("M", "earn", 200), ("M", "burn", 500)]
    assert (plan.whole, plan.lines, plan.amount) == (True, (0, 1, 2), 9000)


def test_lines_are_prorated_and_the_last_lines_sweep_the_rest() -> None:
    first = plan_refund(10000, LINES, [BURN, A, B, EARN], set(), lines=[0])
    assert [(b.original.card, b.amount) for b in first.backs] == [("B", 5400), ("M", 120)]
    assert not first.whole
    b_after = Original(4, "redeem", "B", "gift", 7000, refunded=5400)
    e_after = Original(5, "earn", "M", "club", 200, refunded=120)
    rest = plan_refund(10000, LINES, [BURN, A, b_after, e_after], {0}, lines=[1, 2])
    assert [(b.original.card, b.original.op, b.amount) for b in rest.backs] == \
        [("B", "redeem", 1600), ("A", "redeem", 2000), ("M", "earn", 80), ("M", "burn", 500)]
    assert rest.whole and rest.amount == 3600
    with pytest.raises(Declined) as twice:
        plan_refund(10000, LINES, [BURN, A, b_after, e_after], {0}, lines=[0])
    assert twice.value.reason == "already_refunded"
    with pytest.raises(InvalidInput):
        plan_refund(10000, LINES, [A], set(), lines=[7])


def test_amounts_are_bounded_by_what_is_left_and_a_done_order_is_refused() -> None:
    with pytest.raises(Declined) as over:
        plan_refund(10000, LINES, [A, B], set(), amount=9001)
    assert over.value.reason == "refund_over_paid"
    part = plan_refund(10000, LINES, [A, B], set(), amount=7500)
    assert [(b.original.card, b.amount) for b in part.backs] == [("B", 7000), ("A", 500)]
    done = [Original(3, "redeem", "A", "gift", 2000, refunded=2000),
            Original(4, "redeem", "B", "gift", 7000, refunded=7000)]
    with pytest.raises(Declined) as again:
        plan_refund(10000, LINES, done, {0, 1, 2})
    assert again.value.reason == "already_refunded"


def test_a_card_for_some_lines_gets_back_only_from_its_refunded_lines_first() -> None:
    books = Original(3, "redeem", "BOOKS", "books", 2000, lines=(0,))  # paid the novel
    other = Original(2, "redeem", "SC", "gift", 8000)
    pen = plan_refund(10000, LINES, [other, books], set(), lines=[2])
    assert [(b.original.card, b.amount) for b in pen.backs] == [("SC", 2000)]
    novel = plan_refund(10000, LINES, [other, books], set(), lines=[0])
    assert [(b.original.card, b.amount) for b in novel.backs] == [("BOOKS", 2000),
                                                                   ("SC", 4000)]


def test_lots_come_back_in_reverse_order_of_drawing() -> None:
    drawn = (("L0", 300), ("L1", 500))
    assert refund_allocation(drawn, 0, 600) == (("L1", 500), ("L0", 100))
    assert refund_allocation(drawn, 600, 500) == (("L0", 200),)
    assert refund_allocation(drawn, 800, 100) == ()


def test_receipt_reference_finds_the_order() -> None:
    assert order_of_reference(receipt_reference("O-0123abcd")) == "O-0123abcd"
    assert order_of_reference(" wpo:O-1 ") == "O-1"
    with pytest.raises(InvalidInput):
        order_of_reference("WPO:")

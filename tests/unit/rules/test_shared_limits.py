"""Which limits central counts across tills (customer- and program-scoped, of the program and
of a reward), when one more use is refused, and how big an offline share of what is left is."""

from __future__ import annotations

from core.programs import program_from_dict
from core.rules.shared_limits import has_customer_scope, refusal, share_size, shared_counters

CLUB = {
    "id": "club", "kind": "loyalty", "currency": "EUR", "member_code_pattern": "LM-####",
    "earning": [{"id": "base", "on": "purchase", "points_per_unit": 1}],
    "tiers": [{"id": "basic", "min_points": 0}],
    "limits": {"per_program_daily_count": 100, "per_card_daily_count": 3},
    "rewards": [{"id": "coffee", "cost": 10, "gives": {"free_item": "SKU-1"},
                 "limits": {"per_customer_yearly_count": 1, "per_store_daily_count": 9}},
                {"id": "cake", "cost": 10, "gives": {"free_item": "SKU-2"}}],
}
GIFT = {"id": "camp", "kind": "gift_card", "currency": "EUR", "code_pattern": "GC-####",
        "limits": {"per_program_weekly_amount": "500.00", "per_customer_daily_count": 2}}


def test_only_customer_and_program_scopes_are_counted_across_tills() -> None:
    club = program_from_dict(CLUB, "club")
    coffee = shared_counters(club, "coffee")
    assert [(c.benefit, c.counter.name) for c in coffee] == [
        ("", "per_program_daily_count"), ("coffee", "per_customer_yearly_count")]
    assert has_customer_scope(coffee)
    assert [(c.benefit, c.counter.name) for c in shared_counters(club, "cake")] == [
        ("", "per_program_daily_count")]
    gift = program_from_dict(GIFT, "camp")
    assert sorted(c.counter.name for c in shared_counters(gift)) == [
        "per_customer_daily_count", "per_program_weekly_amount"]


def test_one_more_use_fits_or_says_which_limit() -> None:
    gift = program_from_dict(GIFT, "camp")
    count = next(c.counter for c in shared_counters(gift) if c.counter.measure == "count")
    amount = next(c.counter for c in shared_counters(gift) if c.counter.measure == "amount")
    assert refusal(count, 1, 0, 100) is None
    assert refusal(count, 2, 0, 100) == "limit_reached: per_customer_daily_count"
    assert refusal(amount, 3, 49_000, 1000) is None
    assert refusal(amount, 3, 49_500, 1000) == "limit_reached: per_program_weekly_amount"


def test_a_share_is_half_of_what_is_left_and_one_left_stays_online() -> None:
    assert [share_size(n) for n in (0, 1, 2, 3, 4, 100, -5)] == [0, 0, 1, 1, 2, 50, 0]
    # Two tills pulling one after the other never take more than what is left.
    left = 4
    first = share_size(left)
    second = share_size(left - first)
    assert (first, second, left - first - second) == (2, 1, 1)

"""Baskets: bad input is refused with a reason code and nothing else happens."""

from __future__ import annotations

from typing import Any

import pytest

from core.rules.basket import MAX_LINES, Basket, BasketError, Line, parse_basket

GOOD = {"currency": "EUR", "lines": [{"sku": "A", "category": "food", "qty": 2,
                                      "price": "1.25"}]}


def test_good_basket() -> None:
    b = parse_basket(GOOD)
    assert (b.total, b.lines[0].unit_price) == (250, 125)
    assert parse_basket({"currency": "JPY", "total": "500"}).total == 500


@pytest.mark.parametrize(("data", "reason"), [
    ({"currency": "XXX", "total": "1.00"}, "unknown_currency"),
    ({"total": "1.00"}, "unknown_currency"),
    ({"currency": "EUR"}, "bad_basket"),
    ({"currency": "EUR", "total": "-1.00"}, "bad_total"),
    ({"currency": "EUR", "total": 1.5}, "bad_total"),
    ({"currency": "EUR", "total": "99999999999.00"}, "total_out_of_range"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": -1, "price": "1.00"}]}, "bad_quantity"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": 0, "price": "1.00"}]}, "bad_quantity"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": True, "price": "1.00"}]},
     "bad_quantity"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": 1, "price": "-1.00"}]}, "bad_price"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": 1, "price": "1.001"}]}, "bad_price"),
    ({"currency": "EUR", "lines": [{"sku": "A\x00", "qty": 1, "price": "1"}]}, "bad_line"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": 1, "price": "1", "x": 1}]}, "bad_line"),
    ({"currency": "EUR", "lines": [{"sku": "A", "qty": 1, "price": "1"}] * (MAX_LINES + 1)},
     "basket_too_large"),
    ({"currency": "EUR", "total": "5.00", "lines": GOOD["lines"]}, "total_mismatch"),
    ({"currency": "EUR", "total": "1", "coupon": "x"}, "bad_basket"),
])
def test_bad_baskets_refused(data: dict[str, Any], reason: str) -> None:
    with pytest.raises(BasketError) as err:
        parse_basket(data)
    assert err.value.reason == reason


def test_constructed_baskets_are_checked_too() -> None:
    with pytest.raises(BasketError):
        Basket("EUR", (Line("A", "", 1, -5),))
    with pytest.raises(BasketError):
        Basket("EUR", (Line("A", "", 20_000, 5),))

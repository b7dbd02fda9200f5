"""Central decides an online spend on its order (issue 16), on SQLite and PostgreSQL: a
books-only card only on the books of the order and no more than is left of them, the order's
basket fixed at its first authorization, and the stacking rules across gift cards and rewards
whichever the terminal asked for first."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from starlette.testclient import TestClient

from wallet_sync.central.tables import Authorization, Order, PointsHold

from .helpers import EXAMPLE_PROGRAMS, Term, count, issue
from .test_loyalty import base_earn, loyalty_entry, member

BOOKS = """
  - id: books
    kind: gift_card
    currency: EUR
    code_pattern: "BT-####-####"
    default_value: "30.00"
    valid_when: 'order.lines.exists(l, l.category == "books")'
    offline: {mode: online}
"""
LINES = [{"sku": "NOVEL", "category": "books", "qty": 1, "price": "15.00"},
         {"sku": "ATLAS", "category": "books", "qty": 1, "price": "5.00"},
         {"sku": "PEN", "category": "office", "qty": 2, "price": "5.00"}]


def load(client: TestClient, combine: bool = True) -> None:
    source = open(EXAMPLE_PROGRAMS, encoding="utf-8").read()
    if not combine:
        source = source.replace("combine_with_gift_cards: true", "combine_with_gift_cards: false")
    resp = client.post("/v1/admin/programs", json={"source": source.rstrip("\n") + "\n" + BOOKS,
                                                   "format": "yaml"})
    assert resp.status_code == 200, resp.text


def order(order_id: str, lines: list[dict[str, Any]] | None = None, total: str = "30.00"
          ) -> dict[str, Any]:
    return {"id": order_id, "total": total, "lines": LINES if lines is None else lines}


def spend(term: Term, card: str, amount: str, the_order: dict[str, Any] | None
          ) -> tuple[str, str | None]:
    payload: dict[str, Any] = {"request_id": secrets.token_hex(8), "card": card,
                               "amount": amount, "currency": "EUR"}
    if the_order is not None:
        payload["order"] = the_order
    resp = term.request("POST", "/v1/authorize", payload)
    assert resp.status_code == 200, resp.text
    return resp.json()["status"], resp.json()["reason"]


def reward(term: Term, code: str, the_order: dict[str, Any], name: str = "coffee"
           ) -> tuple[str, str | None]:
    resp = term.request("POST", "/v1/authorize-points", {
        "request_id": secrets.token_hex(8), "member": code, "program": "club", "points": 100,
        "order": the_order, "reward": name})
    assert resp.status_code == 200, resp.text
    return resp.json()["status"], resp.json()["reason"]


@pytest.fixture
def term(client: TestClient) -> Term:
    load(client)
    return Term(client)


def test_a_books_only_card_pays_only_the_books_of_its_order(client: TestClient, env: Any,
                                                            term: Term) -> None:
    (token,) = issue(client, "books", value="30.00")
    (other,) = issue(client, "books", value="30.00")
    assert spend(term, token, "5.00", None) == ("declined", "not_valid_now: order.lines")
    assert spend(term, token, "20.01", order("O-1")) == ("declined", "limit_reached: order.lines")
    assert spend(term, token, "12.00", order("O-1")) == ("approved", None)
    # A second books-only card on the same order: only what is left of the books.
    assert spend(term, other, "8.01", order("O-1")) == ("declined", "limit_reached: order.lines")
    assert spend(term, other, "8.00", order("O-1")) == ("approved", None)
    assert spend(term, other, "0.01", order("O-1")) == \
        ("declined", "nothing_to_pay: order.lines")
    # The order's basket is the one of its first authorization.
    assert spend(term, other, "1.00", order("O-1", LINES[:1], "15.00")) == \
        ("declined", "order_changed")
    # An order of office supplies alone has nothing for it.
    assert spend(term, other, "1.00", order("O-2", LINES[2:], "10.00")) == \
        ("declined", "not_valid_now: order.lines")
    # A plain card pays the rest of the order, never more.
    (gift,) = issue(client, "gift-eur", value="50.00")
    assert spend(term, gift, "10.01", order("O-1")) == ("declined", "over_order_total")
    assert spend(term, gift, "10.00", order("O-1")) == ("approved", None)
    assert count(env.db_url, Order) == 1  # O-2 was refused before it was kept
    assert count(env.db_url, Authorization, Authorization.order_id == "O-1") == 8


def test_rewards_and_gift_cards_that_do_not_combine(client: TestClient, env: Any,
                                                     term: Term) -> None:
    load(client, combine=False)
    code = member(client)
    term.push([loyalty_entry(term, "earn", code, 400, **base_earn(400, expires_at=None,
                                                                  visit=True))])
    (gift,) = issue(client, "gift-eur", value="50.00")
    coffee = [{"sku": "SKU-COFFEE", "category": "drinks", "qty": 1, "price": "3.50"}]
    first = order("O-R", coffee, "3.50")
    assert reward(term, code, first) == ("approved", None)
    assert spend(term, gift, "1.00", first) == ("declined", "stacking: combine_with_gift_cards")
    second = order("O-G", coffee, "3.50")
    assert spend(term, gift, "1.00", second) == ("approved", None)
    assert reward(term, code, second) == ("declined", "stacking: combine_with_gift_cards")
    assert count(env.db_url, PointsHold, PointsHold.order_id == "O-R") == 1


def test_rewards_per_order_count_across_requests(client: TestClient, term: Term) -> None:
    code = member(client)
    term.push([loyalty_entry(term, "earn", code, 600, **base_earn(600, expires_at=None,
                                                                  visit=True))])
    the_order = order("O-M", [{"sku": "SKU-COFFEE", "category": "drinks", "qty": 3,
                               "price": "3.50"}], "10.50")
    # The example club allows two rewards per order.
    assert reward(term, code, the_order) == ("approved", None)
    assert reward(term, code, the_order) == ("approved", None)
    assert reward(term, code, the_order) == ("declined", "stacking: max_rewards_per_order")

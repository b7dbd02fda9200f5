"""Hostile input at central's API (issue 13): amounts that are not plain ASCII decimals above
zero, and ids out of any range, get a typed 4xx and change nothing — never a 500, which a
terminal would take for "central is down" and spend offline."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from .helpers import Env, Term, issue, load_example_programs, table_counts

NOT_AMOUNTS = ["0", "0.00", "-1", "-0.01", "٣", "１２.００", "12.٠٠", "²", " 12.00", "12.00 ",
               "12.00\n", "+1", ""]


@pytest.fixture
def term(client: TestClient) -> Term:
    load_example_programs(client)
    return Term(client)


def test_authorize_refuses_what_is_not_an_amount(client: TestClient, env: Env,
                                                 term: Term) -> None:
    (code,) = issue(client, value="50.00")
    before = table_counts(env.db_url)
    for amount in NOT_AMOUNTS:
        resp = term.authorize(code, amount)
        assert resp.status_code == 422, (amount, resp.text)
        assert resp.json()["error"] == "invalid_amount", amount
    assert table_counts(env.db_url) == before
    assert term.authorize(code, "12.00").json()["status"] == "approved"


def test_head_office_amounts_are_ascii_decimals_above_zero(client: TestClient, env: Env,
                                                           term: Term) -> None:
    (code,) = issue(client, value="50.00")
    before = table_counts(env.db_url)
    for amount in NOT_AMOUNTS:
        resp = client.post(f"/v1/admin/cards/{code}/load", json={"amount": amount})
        assert (resp.status_code, resp.json()["error"]) == (422, "invalid_amount"), amount
    for value in ("-1", "٣", "１２.００", " 5.00", "5.00 "):
        resp = client.post("/v1/admin/cards", json={"program": "gift-eur", "count": 1,
                                                    "value": value})
        assert (resp.status_code, resp.json()["error"]) == (422, "invalid_amount"), value
    assert table_counts(env.db_url) == before
    # A blank card is issued with nothing on it: zero is a value here, and only here.
    (blank,) = issue(client, value="0.00", activate=False)
    assert client.get(f"/v1/admin/cards/{blank}").json()["balance"] == "0.00"

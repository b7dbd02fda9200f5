"""Online authorization with holds: open holds reduce what is available, an expired hold
releases once the terminal proves it unused, a retried request_id gets the same answer (and the
same signature), and the entry naming a hold consumes it."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from wallet_sync.central.tables import Authorization, Hold

from .helpers import Clock, Env, Term, count, issue, load_example_programs


@pytest.fixture
def term(client: TestClient) -> Term:
    load_example_programs(client)
    return Term(client)


def test_two_holds_cannot_exceed_the_balance(client: TestClient, env: Env, term: Term) -> None:
    (code,) = issue(client, value="50.00")
    first = term.authorize(code, "30.00")
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "approved" and first.json()["balance"] == "20.00"
    second = term.authorize(code, "30.00")
    assert second.json()["status"] == "declined"
    assert second.json()["reason"] == "insufficient_funds"
    assert term.authorize(code, "20.00").json()["status"] == "approved"
    assert count(env.db_url, Hold) == 2


def test_expired_hold_releases_once_the_terminal_shows_it_unused(
        client: TestClient, env: Env, term: Term, clock: Clock) -> None:
    (code,) = issue(client, value="50.00")
    assert term.authorize(code, "40.00").json()["status"] == "approved"
    assert term.authorize(code, "40.00").json()["reason"] == "insufficient_funds"
    clock.advance(10 * 60 + 1)
    # Expired, but the terminal has not shown central its journal since: still held (an entry
    # committed under it may be waiting in a partitioned terminal's outbox).
    assert term.authorize(code, "40.00").json()["reason"] == "insufficient_funds"
    # A pull reporting a head central does not hold yet proves nothing.
    resp = term.request("GET", "/v1/changes", params={"cursor": 0, "head": 1})
    assert resp.status_code == 200
    assert count(env.db_url, Hold, Hold.released_at.is_not(None)) == 0
    # Head 0 = everything central holds: no entry can name the hold any more.
    resp = term.request("GET", "/v1/changes", params={"cursor": 0, "head": 0})
    assert resp.status_code == 200
    assert count(env.db_url, Hold, Hold.released_at.is_not(None)) == 1
    # Back in the reserve, of which this pull granted the till its share (half of 50.00
    # stays online: keep_online_percent).
    assert term.authorize(code, "25.00").json()["status"] == "approved"
    # A second pull does not release it twice (the reserve would grow out of nothing).
    term.request("GET", "/v1/changes", params={"cursor": 0, "head": 0})
    assert term.authorize(code, "0.01").json()["reason"] == "insufficient_funds"


def test_approval_is_signed_by_central(client: TestClient, env: Env, term: Term) -> None:
    from core.keys import public_from_bytes, unb64, verify
    from core.money import parse_minor
    from wallet_sync.protocol import authorization_message

    (code,) = issue(client, value="50.00")
    answer = term.authorize(code, "12.34", request_id="req-signed-1").json()
    key = public_from_bytes(unb64(term.enrolled["central_public_key"]))
    message = authorization_message(answer["auth_id"], term.id, code, parse_minor("12.34", "EUR"),
                                    "EUR", answer["expires_at"])
    assert verify(key, unb64(answer["signature"]), message)
    # Any other amount, card or terminal does not verify.
    other = authorization_message(answer["auth_id"], term.id, code, 1235, "EUR",
                                  answer["expires_at"])
    assert not verify(key, unb64(answer["signature"]), other)
    assert term.authorize(code, "12.34", request_id="req-signed-1").json() == answer


def test_same_request_id_same_answer(client: TestClient, env: Env, term: Term) -> None:
    (code,) = issue(client, value="50.00")
    first = term.authorize(code, "45.00", request_id="req-000001")
    again = term.authorize(code, "45.00", request_id="req-000001")
    assert first.json() == again.json() and first.json()["status"] == "approved"
    assert count(env.db_url, Hold) == 1
    reused = term.authorize(code, "1.00", request_id="req-000001")
    assert reused.status_code == 409 and reused.json()["error"] == "request_id_reused"


def test_entry_naming_the_hold_consumes_it(client: TestClient, env: Env, term: Term) -> None:
    (code,) = issue(client, value="50.00")
    auth = term.authorize(code, "30.00").json()["auth_id"]
    resp = term.push([term.entry(card=code, amount=3000, auth=auth)])
    assert resp.json()["results"][0]["status"] == "applied"
    assert count(env.db_url, Hold, Hold.consumed_seq == 1) == 1
    # The hold no longer counts: the full remaining 20.00 is available.
    assert term.authorize(code, "20.00").json()["status"] == "approved"


def test_decline_reasons(client: TestClient, env: Env, term: Term, clock: Clock) -> None:
    (inactive,) = issue(client, value="50.00", activate=False)
    (big,) = issue(client, value="300.00")
    (weekend,) = issue(client, program="gift-weekend", value="10.00")
    cases = {
        ("GC-0000-0000-0000", "1.00", "EUR"): "unknown_card",
        (inactive, "1.00", "EUR"): "card_inactive",
        (big, "1.00", "USD"): "wrong_currency",
        (big, "250.00", "EUR"): "over_order_limit",
        (weekend, "10.01", "EUR"): "insufficient_funds",
    }
    for (code, amount, currency), reason in cases.items():
        resp = term.authorize(code, amount, currency=currency)
        assert resp.status_code == 200, resp.text
        assert (resp.json()["status"], resp.json()["reason"]) == ("declined", reason), code
    clock.advance(25 * 31 * 86400)  # past gift-eur's 24-month expiry
    assert term.authorize(big, "1.00").json()["reason"] == "expired"
    assert count(env.db_url, Hold) == 0


def test_bad_amounts_are_422_and_store_nothing(client: TestClient, env: Env, term: Term) -> None:
    (code,) = issue(client, value="50.00")
    for amount in ("-1.00", "1.234", "1e3", "abc", "0.5.1"):
        resp = term.authorize(code, amount)
        assert resp.status_code == 422, amount
        assert resp.json()["error"] in ("invalid_amount", "invalid_request")
    resp = term.request("POST", "/v1/authorize", raw=b"{not json")
    assert resp.status_code == 422 and resp.json()["error"] == "invalid_request"
    assert count(env.db_url, Authorization) == 0

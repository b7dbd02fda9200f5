"""GET /v1/store/conflicts: a terminal lists the conflict cases raised by the terminals of its
own store (never another store's), newest first, open ones by default; only a signed request
from an active terminal gets an answer."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from .helpers import Clock, Term, issue, load_example_programs

UNKNOWN = "GC-0000-0000-0000"  # a card central has never issued: every redeem is a case


@pytest.fixture
def terms(client: TestClient) -> tuple[Term, Term, Term]:
    load_example_programs(client)
    return Term(client, store="A"), Term(client, store="A"), Term(client, store="B")


def cases(term: Term, **params: object) -> dict:
    resp = term.request("GET", "/v1/store/conflicts", params=params or None)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_a_store_sees_its_own_terminals_cases_only(client: TestClient, clock: Clock,
                                                   terms: tuple[Term, Term, Term]) -> None:
    a1, a2, b = terms
    code = issue(client, "store-credit", value="50.00")[0]
    b.synced()  # B's outage starts with the card at 50.00
    assert a1.push([a1.entry(card=UNKNOWN, amount=500)]).json()["results"][0]["reason"] \
        == "unknown_card"
    assert a1.push([a1.entry(card=code, amount=4000, program="store-credit")]
                   ).json()["results"][0]["status"] == "applied"
    assert b.push([b.entry(card=code, amount=2000, offline=True, program="store-credit")]
                  ).json()["results"][0]["reason"] == "overdraft"

    before = int(clock())
    seen_by_a2 = cases(a2)
    assert before <= seen_by_a2["as_of"] <= int(clock())
    assert seen_by_a2["store"] == "A"
    assert seen_by_a2["conflicts"] == [{
        "id": seen_by_a2["conflicts"][0]["id"], "card": UNKNOWN, "terminal": a1.id, "seq": 1,
        "reason": "unknown_card", "shortfall": "5.00", "currency": "EUR", "status": "open",
        "opened_at": seen_by_a2["conflicts"][0]["opened_at"], "resolution": None}]
    assert cases(a1)["conflicts"] == seen_by_a2["conflicts"]  # the raiser sees it too

    # Store B's overdraft involves a1's entry on the card, but it is B's case, and B's list
    # names no terminal of store A (no signed-entry refs in a store's view).
    seen_by_b = cases(b)
    assert seen_by_b["store"] == "B"
    [overdraft] = seen_by_b["conflicts"]
    assert (overdraft["reason"], overdraft["card"], overdraft["terminal"],
            overdraft["shortfall"]) == ("overdraft", code, b.id, "10.00")
    assert a1.id not in str(seen_by_b)
    everything = client.get("/v1/admin/conflicts").json()["conflicts"]
    assert len(everything) == 2  # head office still sees both


def test_requests_must_be_signed_by_an_active_terminal(client: TestClient,
                                                       terms: tuple[Term, Term, Term]) -> None:
    a1, a2, _ = terms
    a1.push([a1.entry(card=UNKNOWN, amount=100)])
    unsigned = client.get("/v1/store/conflicts")  # the admin key is no terminal signature
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "bad_request_signature"
    ghost = a2.request("GET", "/v1/store/conflicts", key_id="T-NOTATERM")
    assert ghost.status_code == 403 and ghost.json()["error"] == "unknown_terminal"

    code = issue(client, value="50.00")[0]
    original = [a2.entry(card=code, amount=100), a2.entry(card=code, amount=200)]
    assert a2.push(original).status_code == 200
    a2.seq, a2.prev = 1, original[0].hash  # rewrite history from seq 2: a fork
    assert a2.push([a2.entry(card=code, amount=5000)]).status_code == 403
    refused = a2.request("GET", "/v1/store/conflicts")
    assert refused.status_code == 403 and refused.json()["error"] == "quarantined"
    # The rest of the store still reads its cases, the fork among them.
    assert [c["reason"] for c in cases(a1)["conflicts"]] == ["fork", "unknown_card"]


def test_resolved_cases_leave_the_open_list_and_limit_is_honoured(
        client: TestClient, terms: tuple[Term, Term, Term]) -> None:
    a1, a2, _ = terms
    a1.push([a1.entry(card=UNKNOWN, amount=n * 100) for n in (1, 2, 3)])
    oldest_first = [c["id"] for c in client.get("/v1/admin/conflicts").json()["conflicts"]]
    first, middle, last = oldest_first
    resp = client.post(f"/v1/admin/conflicts/{middle}/resolve", json={"reason": "refunded"})
    assert resp.status_code == 200, resp.text

    assert [c["id"] for c in cases(a2)["conflicts"]] == [last, first]  # open, newest first
    assert [c["id"] for c in cases(a2, status="open")["conflicts"]] == [last, first]
    every = cases(a2, status="all")["conflicts"]
    assert [c["id"] for c in every] == [last, middle, first]
    resolved = every[1]
    assert resolved["status"] == "resolved"
    assert resolved["resolution"]["reason"] == "refunded"
    assert isinstance(resolved["resolution"]["resolved_at"], int)
    assert "actor" not in resolved["resolution"]  # which admin key resolved it stays central's

    assert [c["id"] for c in cases(a2, status="all", limit=2)["conflicts"]] == [last, middle]
    assert [c["id"] for c in cases(a2, limit=1)["conflicts"]] == [last]
    for bad in ({"status": "resolved"}, {"status": "nope"}, {"limit": 0}, {"limit": 501},
                {"limit": "x"}):
        resp = a2.request("GET", "/v1/store/conflicts", params=bad)
        assert resp.status_code == 422 and resp.json()["error"] == "invalid_request", bad

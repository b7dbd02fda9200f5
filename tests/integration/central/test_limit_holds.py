"""Limits counted across tills (issue 17) against central's API, as a hostile or racing
terminal would use it (signed requests and entries of `helpers.Term`), over SQLite and
PostgreSQL: a till that spends past its offline share (of uses, of an amount, of a reward's
own limit) is a `breach:limit_share` case and gets no new share; a hold never committed is
released once proven and a replayed batch counts once. (Races: test_limit_races.py.)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from wallet_sync.central.tables import LimitHold, LimitUse

from .helpers import Clock, Env, LiveServer, Term, count
from .limit_world import PROGRAMS


@pytest.fixture
def http(live: LiveServer, env: Env) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": f"Bearer {env.admin_key}"}) as client:
        resp = client.post("/v1/admin/programs", json={"source": PROGRAMS, "format": "yaml"})
        assert resp.status_code == 200, resp.text
        yield client


def issue(http: httpx.Client, program: str, n: int) -> list[str]:
    resp = http.post("/v1/admin/cards", json={"program": program, "count": n,
                                              "value": "20.00", "activate": True})
    assert resp.status_code == 200, resp.text
    return [c["code"] for c in resp.json()["cards"]]


def shares_of(term: Term) -> list[dict[str, Any]]:
    page = term.synced().json()["page"]
    return [c["data"] for c in page["changes"] if c["kind"] == "limit_share"]


def test_a_till_spending_past_its_share_is_a_breach_case(http: httpx.Client, env: Env) -> None:
    term = Term(http)
    first = shares_of(term)
    share = next(s for s in first if s["program"] == "outdoor")
    assert share["uses"] == 2
    cards = issue(http, "outdoor", 4)

    def offline(card: str, shares: list[str]) -> Any:
        return term.entry("redeem", card=card, amount=100, offline=True, program="outdoor",
                          data={"limit_shares": shares})

    results = term.push([offline(cards[0], [share["id"]]), offline(cards[1], [share["id"]]),
                         offline(cards[2], [share["id"]]),  # past the share of 2
                         offline(cards[3], [])]).json()["results"]  # names no share
    assert [r["reason"] for r in results] == [None, None, "breach:limit_share",
                                              "breach:limit_share"]
    report = http.get("/v1/admin/exposure").json()
    assert [c["reason"] for c in report["cases"]] == ["breach:limit_share"] * 2
    assert report["flagged"][0]["rules"] == ["breach:limit_share"]
    # The sales happened: all four are counted, and the flagged till gets no new share.
    assert count(env.db_url, LimitUse) == 4
    assert [(s["id"], s["status"]) for s in shares_of(term) if s["program"] == "outdoor"] == [
        (share["id"], "closed")]
    assert {s["id"] for s in shares_of(term)} == {s["id"] for s in first}  # none new


MORE = """\
version: 1
programs:
  - id: bakery
    kind: gift_card
    name: {en: "Bakery days", ja: "ベーカリーデー"}
    currency: EUR
    code_pattern: "BK-####-####"
    default_value: "20.00"
    limits: {per_program_daily_amount: "10.00"}
    offline: {mode: floor, floor_per_transaction: "20.00", terminal_total: "300.00",
              max_offline_hours: 24}
  - id: tea
    kind: loyalty
    name: {en: "Tea club", ja: "ティークラブ"}
    currency: EUR
    member_code_pattern: "TM-########"
    earning:
      - {id: base, on: purchase, points_per_unit: 10}
    tiers:
      - {id: basic, min_points: 0}
    rewards:
      - id: tasting
        name: {en: "Tasting", ja: "試飲"}
        cost: 10
        gives: {amount_off: "1.00"}
        limits: {per_program_daily_count: 2}
    offline: {mode: floor, floor_per_transaction: 300, terminal_total: 3000,
              max_offline_hours: 72}
"""


def test_shares_cover_amount_limits_and_a_rewards_own_limit(http: httpx.Client) -> None:
    resp = http.post("/v1/admin/programs", json={"source": MORE, "format": "yaml"})
    assert resp.status_code == 200, resp.text
    term = Term(http)
    shares = {s["program"]: s for s in shares_of(term)}
    bakery, tea = shares["bakery"], shares["tea"]
    assert (bakery["benefit"], bakery["uses"], bakery["amount"]) == ("", None, 500)
    assert (tea["benefit"], tea["uses"], tea["amount"]) == ("tasting", 1, None)
    cards = [c["code"] for c in http.post("/v1/admin/cards", json={
        "program": "bakery", "count": 3, "value": "20.00", "activate": True}).json()["cards"]]
    member = http.post("/v1/admin/members", json={"program": "tea"}).json()["code"]

    def spend(card: str, amount: int) -> Any:
        return term.entry("redeem", card=card, amount=amount, offline=True, program="bakery",
                          data={"limit_shares": [bakery["id"]]})

    def burn() -> Any:
        return term.entry("burn", card=member, amount=10, currency=None, program="tea",
                          offline=True, data={"benefit": "reward:tea:tasting",
                                              "reward": "tasting", "txn": secrets.token_hex(4),
                                              "limit_shares": [tea["id"]]})

    earn = term.entry("earn", card=member, amount=100, currency=None, program="tea",
                      offline=False, data={"benefit": "earn:tea:base", "rule": "base",
                                           "base": 100, "multiplier": "1"})
    results = term.push([earn, spend(cards[0], 300), spend(cards[1], 200),
                         spend(cards[2], 1),  # past the 5.00 shared
                         burn(), burn()]).json()["results"]  # the share holds one tasting
    assert [r["reason"] for r in results] == [None, None, None, "breach:limit_share", None,
                                              "breach:limit_share"]


def test_a_hold_never_committed_is_released_once_proven_and_a_replay_counts_once(
        http: httpx.Client, clock: Clock, env: Env) -> None:
    a, b = Term(http), Term(http)
    cards = issue(http, "campaign", 5)
    held = [a.hold(c, 100) for c in cards[:3]]  # three holds, nothing journaled yet
    assert all(held)
    refused = b.authorize(cards[3], "1.00").json()
    assert refused["reason"] == "limit_reached: per_program_daily_count"
    batch = [a.entry("redeem", card=cards[0], amount=100, auth=held[0], offline=False,
                     program="campaign")]
    for _ in range(2):  # the same batch again: the same answer, counted once
        assert a.push(batch).json()["results"][0]["status"] == "applied"
    assert count(env.db_url, LimitUse) == 1
    clock.advance(11 * 60)  # past the holds' ten minutes; A proves it holds nothing unsent
    a.synced()
    assert count(env.db_url, LimitHold, LimitHold.released_at.is_not(None)) == 2
    assert b.authorize(cards[3], "1.00").json()["status"] == "approved"
    assert b.authorize(cards[4], "1.00").json()["status"] == "approved"
    assert b.authorize(cards[4], "1.00").json()["reason"] == \
        "limit_reached: per_program_daily_count"

"""Limits counted across tills (issue 17) against central's API, as a hostile or racing
terminal would use it (signed requests and entries of `helpers.Term`), over SQLite and
PostgreSQL: a till that spends past its offline share is a `breach:limit_share` case and gets
no new share; a hold never committed is released once proven and a replayed batch counts
once; two tills racing (barrier-started) for the last use of a campaign or for a reward limited
once per customer never both get it.
"""

from __future__ import annotations

import secrets
import threading
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
    (share,) = shares_of(term)
    assert (share["program"], share["uses"]) == ("outdoor", 2)
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
    assert [(s["id"], s["status"]) for s in shares_of(term)] == [(share["id"], "closed")]


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


RACE = """\
version: 1
programs:
  - id: {id}
    kind: gift_card
    name: {{en: "Last call", ja: "ラストコール"}}
    currency: EUR
    code_pattern: "{prefix}-####-####"
    default_value: "20.00"
    limits: {{per_program_daily_count: 1}}
    offline: {{mode: online}}
"""


def test_two_tills_racing_for_the_last_use_never_both_get_it(http: httpx.Client) -> None:
    tills = (Term(http), Term(http))
    doubled = 0
    for n in range(10):  # a race is a race: run it ten times, one use left each time
        program = f"race-{n}"
        resp = http.post("/v1/admin/programs", json={
            "source": RACE.format(id=program, prefix="R" + "ABCDEFGHJK"[n]), "format": "yaml"})
        assert resp.status_code == 200, resp.text
        cards = issue(http, program, 2)
        answers = race(tills, lambda t, i, own, cards=cards: t.request("POST", "/v1/authorize", {
            "request_id": secrets.token_hex(8), "card": cards[i], "amount": "1.00",
            "currency": "EUR"}, http=own).json())
        approved = [x for x in answers if x["status"] == "approved"]
        doubled += len(approved) > 1
        loser = next((x for x in answers if x["status"] == "declined"), None)
        assert loser is not None and loser["reason"] == \
            "limit_reached: per_program_daily_count", answers
    assert doubled == 0


def test_two_tills_racing_for_a_reward_once_per_customer_get_one_approval(
        http: httpx.Client) -> None:
    tills = (Term(http), Term(http))
    for _ in range(10):
        code = http.post("/v1/admin/members", json={"program": "club"}).json()["code"]
        earned = tills[0].push([tills[0].entry(
            "earn", card=code, amount=50, currency=None, program="club", offline=False,
            data={"benefit": "earn:club:base", "rule": "base", "base": 50,
                  "multiplier": "1"})])
        assert earned.json()["results"][0]["status"] == "applied"
        answers = race(tills, lambda t, i, own, code=code: t.request(
            "POST", "/v1/authorize-points", {
            "request_id": secrets.token_hex(8), "member": code, "program": "club",
            "points": 10, "reward": "welcome"}, http=own).json())
        assert sorted(x["status"] for x in answers) == ["approved", "declined"], answers
        loser = next(x for x in answers if x["status"] == "declined")
        assert loser["reason"] == "limit_reached: per_customer_yearly_count"


def race(tills: tuple[Term, Term], ask: Any) -> list[dict[str, Any]]:
    """Both tills ask at one barrier, each on its own connection: ask(till, index, client)."""
    start = threading.Barrier(len(tills))
    answers: list[dict[str, Any]] = [{} for _ in tills]

    def go(i: int) -> None:
        with httpx.Client(base_url=str(tills[i].http.base_url), timeout=30) as own:
            start.wait()
            answers[i] = ask(tills[i], i, own)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(tills))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers

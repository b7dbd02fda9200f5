"""Two tills racing for the last use (issue 17), barrier-started like the points-hold race,
against the real central on loopback over SQLite and PostgreSQL: the last use of a campaign,
and a reward limited once per customer, are never approved twice."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .helpers import Env, LiveServer, Term
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

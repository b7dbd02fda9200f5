"""Limits counted across tills (issue 17), black-box from the `walletpos` CLI against the REAL
central on loopback, two tills, over SQLite and PostgreSQL:

- a campaign limited to 3 uses a day: the 4th is refused at the other till, online;
- a reward limited to 1 per customer: the second till is refused; offline it is refused too
  (only central knows what the other till paid);
- a gift-card limit per customer counts the customer's cards at every till;
- offline, each till spends only its share of what is left, so two tills together stay within
  the limit; a till that spends past its share is a `breach:limit_share` case at ingest;
- a hold never committed is released once proven, a replayed batch counts once, and two tills
  racing for the last uses never get more than the limit.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.tables import LimitHold, LimitUse

from .helpers import Clock, Env, LiveServer, Term, count

PROGRAMS = """\
version: 1
programs:
  - id: campaign
    kind: gift_card
    name: {en: "Campaign voucher", ja: "キャンペーン券"}
    currency: EUR
    code_pattern: "CV-####-####"
    default_value: "20.00"
    limits: {per_program_daily_count: 3}
    offline: {mode: online}
  - id: outdoor
    kind: gift_card
    name: {en: "Outdoor days", ja: "アウトドアデー"}
    currency: EUR
    code_pattern: "OD-####-####"
    default_value: "20.00"
    limits: {per_program_daily_count: 4}
    offline: {mode: floor, floor_per_transaction: "20.00", terminal_total: "300.00",
              max_offline_hours: 24}
  - id: family
    kind: gift_card
    name: {en: "Family card", ja: "ファミリーカード"}
    currency: EUR
    code_pattern: "FC-####-####"
    default_value: "20.00"
    limits: {per_customer_daily_count: 1}
    offline: {mode: online}
  - id: club
    kind: loyalty
    name: {en: "Club", ja: "クラブ"}
    currency: EUR
    member_code_pattern: "LM-########"
    earning:
      - {id: base, on: purchase, points_per_unit: 10}
    tiers:
      - {id: basic, min_points: 0}
    rewards:
      - id: welcome
        name: {en: "Welcome gift", ja: "ウェルカムギフト"}
        cost: 10
        gives: {amount_off: "1.00"}
        limits: {per_customer_yearly_count: 1}
    offline: {mode: floor, floor_per_transaction: 300, terminal_total: 3000,
              max_offline_hours: 72}
"""


def run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


class World:
    """Head office's CLI and two tills' CLIs against one live central."""

    def __init__(self, tmp: Path, live: LiveServer, env: Env) -> None:
        self.live = live
        self.office = ["admin", "--central", live.url, "--key", env.admin_key]
        source = tmp / "programs.yaml"
        source.write_text(PROGRAMS, encoding="utf-8")
        run(*self.office, "load-programs", str(source))
        self.homes = {}
        for name in ("A", "B"):
            home = tmp / f"till-{name}"
            code = run(*self.office, "enroll-code", "--store", "S1")["code"]
            run("terminal", "--home", str(home), "enroll", "--central", live.url,
                "--code", code)
            self.homes[name] = home

    def till(self, name: str, *args: str) -> dict[str, Any]:
        return run("terminal", "--home", str(self.homes[name]), *args)

    def cards(self, program: str, n: int, *extra: str) -> list[str]:
        out = run(*self.office, "issue-cards", "--program", program, "--count", str(n),
                  "--activate", *extra)
        for name in self.homes:  # the tills learn the new cards at their next sync
            self.till(name, "sync")
        return [c["code"] for c in out["cards"]]

    def redeem(self, name: str, code: str, amount: str = "1.00") -> dict[str, Any]:
        return self.till(name, "redeem", "--code", code, "--amount", amount)

    def cases(self) -> list[str]:
        return [c["reason"] for c in run(*self.office, "conflicts")["conflicts"]]


@pytest.fixture
def world(tmp_path: Path, live: LiveServer, env: Env) -> World:
    return World(tmp_path, live, env)


def test_a_campaign_of_three_uses_refuses_the_fourth_at_the_other_till(world: World,
                                                                       env: Env) -> None:
    cards = world.cards("campaign", 5)
    assert [world.redeem("A", c)["status"] for c in cards[:3]] == ["approved"] * 3
    fourth = world.redeem("B", cards[3])
    assert (fourth["status"], fourth["reason"], fourth["offline"]) == (
        "declined", "limit_reached: per_program_daily_count", False)
    assert world.redeem("A", cards[4])["reason"] == "limit_reached: per_program_daily_count"
    for name in ("A", "B"):
        assert world.till(name, "sync")["conflicts"] == 0
    # Counted once each: three uses, every hold consumed by its entry.
    assert count(env.db_url, LimitUse) == 3
    assert count(env.db_url, LimitHold, LimitHold.consumed_seq.is_(None)) == 0
    assert world.cases() == []


def test_a_reward_once_per_customer_is_refused_at_the_second_till(world: World) -> None:
    member = run(*world.office, "create-member", "--program", "club")["code"]
    earned = world.till("A", "earn", "--member", member, "--amount", "10.00")
    assert earned["points_earned"] == 100
    world.till("A", "sync")  # central holds the points now
    first = world.till("A", "redeem-reward", "--member", member, "--reward", "welcome",
                       "--amount", "5.00")
    assert first["status"] == "approved", first
    second = world.till("B", "redeem-reward", "--member", member, "--reward", "welcome",
                        "--amount", "5.00")
    assert (second["status"], second["reason"]) == (
        "declined", "limit_reached: per_customer_yearly_count")
    world.live.stop()
    try:  # offline, only central could say what the other till paid
        offline = world.till("B", "redeem-reward", "--member", member, "--reward", "welcome",
                             "--amount", "5.00")
        assert (offline["status"], offline["reason"]) == ("declined", "offline_customer_limit")
    finally:
        world.live.start()
    assert world.till("A", "sync")["conflicts"] == 0
    assert world.cases() == []


def test_a_gift_card_limit_per_customer_counts_the_customers_cards_at_every_till(
        world: World) -> None:
    member = run(*world.office, "create-member", "--program", "club")["code"]
    mine = world.cards("family", 2, "--customer", member)
    assert world.redeem("A", mine[0])["status"] == "approved"
    other = world.redeem("B", mine[1])
    assert (other["status"], other["reason"]) == ("declined",
                                                  "limit_reached: per_customer_daily_count")
    stranger = world.cards("family", 1)[0]  # linked to no one: nobody to count it for
    assert world.redeem("B", stranger)["status"] == "approved"


def test_offline_tills_spend_only_their_shares_and_stay_within_the_limit(world: World,
                                                                         env: Env) -> None:
    # At enrolment each till pulled a share of the 4 uses: A half (2), B half the rest (1).
    cards = world.cards("outdoor", 8)
    world.live.stop()
    try:
        a = [world.redeem("A", c)["reason"] for c in cards[:3]]
        b = [world.redeem("B", c)["reason"] for c in cards[3:5]]
    finally:
        world.live.start()
    assert a == [None, None, "limit_share_exhausted"]
    assert b == [None, "limit_share_exhausted"]
    for name in ("A", "B"):
        assert world.till(name, "sync")["conflicts"] == 0
    assert count(env.db_url, LimitUse) == 3
    # Online, what is left (1) is central's to give, once.
    assert world.redeem("A", cards[5])["status"] == "approved"
    assert world.redeem("B", cards[6])["reason"] == "limit_reached: per_program_daily_count"
    assert world.cases() == []


# ---- the same against central's API, as a hostile or racing terminal would ----------------


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
        answers = race(tills, lambda t, i, own: t.request("POST", "/v1/authorize", {
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
        answers = race(tills, lambda t, i, own: t.request("POST", "/v1/authorize-points", {
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

"""Limits counted across tills (issue 17), black-box from the `walletpos` CLI against the REAL
central on loopback, two tills, over SQLite and PostgreSQL:

- a campaign limited to 3 uses a day: the 4th is refused at the other till, online;
- a reward limited to 1 per customer: the second till is refused; offline it is refused too
  (only central knows what the other till paid);
- a gift-card limit per customer counts the customer's cards at every till;
- offline, each till spends only its share of what is left, so two tills together stay within
  the limit (a till past its share, holds, replays and races: test_limit_holds.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.tables import LimitHold, LimitUse

from .helpers import Env, LiveServer, count

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
    said = CliRunner().invoke(cli, ["terminal", "--home", str(world.homes["B"]), "redeem",
                                    "--code", cards[4], "--amount", "1.00"])
    assert said.exit_code == 0 and "DECLINED: limit_reached: per_program_daily_count" in \
        said.output
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

"""Limits counted across tills (issue 17), black-box from the `walletpos` CLI against the REAL
central on loopback, two tills, over SQLite and PostgreSQL, online: a campaign limited to 3
uses a day refuses the 4th at the other till; a gift-card limit per customer counts the
customer's cards at every till. (Rewards and offline shares: test_limits_offline_tills.py;
a till past its share, holds, replays and races: test_limit_holds.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.tables import LimitHold, LimitUse

from .helpers import Env, LiveServer, count
from .limit_world import World, run


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

"""Limits counted across tills (issue 17), black-box from the `walletpos` CLI against the REAL
central on loopback, two tills, over SQLite and PostgreSQL: a reward limited to 1 per customer
is refused at the second till (and offline: only central knows what the other till paid);
offline, each till spends only its share of a campaign's uses, so two tills together stay
within the limit, and what is left is central's to give online once."""

from __future__ import annotations

from pathlib import Path

import pytest

from wallet_sync.central.tables import LimitUse

from .helpers import Env, LiveServer, count
from .limit_world import World, run


@pytest.fixture
def world(tmp_path: Path, live: LiveServer, env: Env) -> World:
    return World(tmp_path, live, env)


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

"""A reward limited per program (two tastings a day, all tills), black-box from the CLI with
two tills against the REAL central on loopback, over SQLite and PostgreSQL: offline, a till
takes it only within its share of what is left (`limit_share_exhausted` past it,
`no_limit_share` without one), and what was taken is counted once on central."""

from __future__ import annotations

from pathlib import Path

import pytest

from wallet_sync.central.tables import LimitUse

from .helpers import Env, LiveServer, count
from .limit_world import World, run


@pytest.fixture
def world(tmp_path: Path, live: LiveServer, env: Env) -> World:
    return World(tmp_path, live, env)


def test_a_reward_limited_per_program_is_taken_offline_only_within_the_share(
        world: World, env: Env) -> None:
    # Two tastings a day at all tills: A pulled a share of one, B of none (one stays online).
    member = run(*world.office, "create-member", "--program", "club")["code"]
    world.till("A", "earn", "--member", member, "--amount", "10.00")
    for name in ("A", "B"):
        world.till(name, "sync")
    world.live.stop()
    try:
        taken = [world.till(name, "redeem-reward", "--member", member, "--reward", "tasting",
                            "--amount", "5.00") for name in ("A", "A", "B")]
    finally:
        world.live.start()
    assert [(t["status"], t["reason"], t["offline"]) for t in taken] == [
        ("approved", None, True), ("declined", "limit_share_exhausted", True),
        ("declined", "no_limit_share", True)]
    for name in ("A", "B"):
        assert world.till(name, "sync")["conflicts"] == 0
    assert count(env.db_url, LimitUse) == 1
    assert world.cases() == []


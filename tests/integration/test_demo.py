"""`walletpos demo` on a fresh folder: a central on SQLite with the example programs, cards in
each interesting state and an enrolled terminal — then the story the demo tells: with central
gone, store credit still redeems offline within its caps and the online-only voucher declines."""

import json
import subprocess
import sys
from pathlib import Path

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def cli(*args: str) -> dict:
    proc = subprocess.run([WALLETPOS, *args, "--json"], capture_output=True, text=True,
                          timeout=120)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_demo_sets_up_a_working_world_that_keeps_working_offline(tmp_path):
    world = cli("demo", "--home", str(tmp_path / "demo"), "--no-wait")
    programs = {card["program"] for card in world["cards"]}
    assert {"store-credit", "gift-eur", "gift-weekend"} <= programs
    assert all(card["qr"].startswith("WP1:") for card in world["cards"])
    home = world["terminal_home"]
    credit = next(c["code"] for c in world["cards"]
                  if c["program"] == "store-credit" and c["active"])
    inactive = next(c["code"] for c in world["cards"] if not c["active"])
    voucher = next(c["code"] for c in world["cards"] if c["program"] == "gift-weekend")

    # --no-wait stopped central: this is the terminal on its own.
    assert cli("terminal", "--home", home, "balance", "--code", credit)["balance"] == "50.00"
    offline = cli("terminal", "--home", home, "redeem", "--code", credit, "--amount", "12.50")
    assert (offline["status"], offline["offline"], offline["balance_after"]) == \
        ("approved", True, "37.50")
    over_cap = cli("terminal", "--home", home, "redeem", "--code", credit, "--amount", "5.00")
    assert (over_cap["status"], over_cap["reason"]) == ("declined", "offline_card_used")
    assert cli("terminal", "--home", home, "redeem", "--code", voucher,
               "--amount", "1.00")["status"] == "declined"
    assert cli("terminal", "--home", home, "redeem", "--code", inactive,
               "--amount", "1.00")["reason"] == "card_inactive"
    assert cli("terminal", "--home", home, "verify") == {"ok": True, "entries": 1}

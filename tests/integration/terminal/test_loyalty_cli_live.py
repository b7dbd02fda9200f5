"""Loyalty at the till through the `walletpos` executable against the REAL central: members
created by head office, quotes that say why a benefit is refused, points earned and spent at
the terminal arriving on central."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from terminal_live import LiveCentral

from wallet_sync.central.admin_client import AdminClient

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def walletpos(*args: str, home: Path | None = None) -> tuple[int, dict[str, Any]]:
    env = {**os.environ}
    if home is not None:
        env["WALLETPOS_HOME"] = str(home)
    proc = subprocess.run([WALLETPOS, *args, "--json"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_member_story(tmp_path: Path, central: LiveCentral, admin: AdminClient) -> None:
    till = tmp_path / "till"
    head_office = ["admin", "--central", central.url, "--key",
                   central.admin_key]  # type: ignore[attr-defined]

    def terminal(*args: str) -> tuple[int, dict[str, Any]]:
        return walletpos("terminal", *args, home=till)

    status, _ = terminal("enroll", "--central", central.url, "--code",
                         admin.enroll_code("S1")["code"])
    assert status == 0

    # A member from France is not eligible for the Coffee Club: the quote says why.
    status, french = walletpos(*head_office, "create-member", "--program", "club",
                               "--country", "FR")
    assert status == 0 and french["code"].startswith("LM-")
    status, quoted = terminal("quote", "--member", french["code"], "--amount", "120.00")
    assert status == 0 and quoted["points_to_earn"] == 0
    reasons = {r["benefit"]: r["reason"] for r in quoted["refused"]}
    assert reasons["earn:club:base"] == "not_eligible: customer.country"
    status, earned = terminal("earn", "--member", french["code"], "--amount", "120.00")
    assert (status, earned["status"], earned["reason"]) == (0, "declined",
                                                            "not_eligible: customer.country")

    # A German member: 99.99 earns nothing, 100.00 earns 200, and central sees 200.
    _, german = walletpos(*head_office, "create-member", "--program", "club", "--country", "DE")
    code = german["code"]
    status, below = terminal("earn", "--member", code, "--amount", "99.99")
    assert (status, below["status"], below["reason"]) == (0, "declined",
                                                          "below_min_order: 100.00")
    status, earned = terminal("earn", "--member", code.lower(), "--amount", "100.00")
    assert status == 0 and earned["status"] == "earned", earned
    assert (earned["points_earned"], earned["points_after"]) == (200, 200)
    assert terminal("sync")[0] == 0
    status, seen = walletpos(*head_office, "member", code)
    assert (status, seen["points"], seen["tier"]) == (0, 200, "basic")
    assert (seen["next_tier"], seen["points_to_next"]) == ("gold", 800)
    assert seen["expiring"] and seen["expiring"][0]["points"] == 200  # rolling 12 months

    # Rewards: gold-only is refused with the tier; a free coffee needs the item in the basket.
    lines = tmp_path / "lines.json"
    lines.write_text(json.dumps([{"sku": "SKU-COFFEE", "category": "drinks", "qty": 1,
                                  "price": "3.50"},
                                 {"sku": "SKU-CAKE", "category": "bakery", "qty": 2,
                                  "price": "4.00"}]))
    status, quoted = terminal("quote", "--member", code, "--lines", str(lines))
    assert status == 0
    assert {r["reward"]: r["value"] for r in quoted["rewards"]} == {"coffee": "3.50"}
    assert {r["benefit"]: r["reason"] for r in quoted["refused"]}[
        "reward:club:five-off"] == "tier_required: gold"
    status, gold_only = terminal("redeem-reward", "--member", code, "--reward", "five-off",
                                 "--amount", "60.00")
    assert (status, gold_only["status"], gold_only["reason"]) == (0, "declined",
                                                                  "tier_required: gold")
    status, coffee = terminal("redeem-reward", "--member", code, "--reward", "coffee",
                              "--lines", str(lines))
    assert status == 0 and coffee["status"] == "approved", coffee
    assert (coffee["points_burned"], coffee["points_after"], coffee["value"]) == (100, 100,
                                                                                  "3.50")
    assert terminal("sync")[0] == 0
    assert walletpos(*head_office, "member", code)[1]["points"] == 100

    # Malformed input is an error (exit 2), not a decline.
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"sku": "X", "category": "c", "qty": -1, "price": "1.00"}]))
    status, err = terminal("earn", "--member", code, "--lines", str(bad))
    assert status == 2 and err["error"] == "bad_quantity"
    status, err = terminal("earn", "--member", "LM-NOPE", "--amount", "1.00")
    assert status == 2 and err["error"] == "invalid_code"
    status, err = terminal("quote", "--member", code, "--amount", "12.345")
    assert status == 2 and err["error"] in ("bad_total", "invalid_amount")
    assert terminal("verify")[1]["ok"] is True

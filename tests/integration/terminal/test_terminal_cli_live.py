"""The `walletpos` executable end to end against the REAL central: enroll, redeem, balance,
sync, verify (and a tampered journal making verify exit 1), malformed input exit 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from terminal_live import LiveCentral, issue

from wallet_sync.central.admin_client import AdminClient

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def cli(home: Path, *args: str) -> tuple[int, dict[str, Any]]:
    env = {**os.environ, "WALLETPOS_HOME": str(home)}
    proc = subprocess.run([WALLETPOS, "terminal", *args, "--json"], capture_output=True,
                          text=True, env=env, timeout=60)
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_cli_against_live_central(tmp_path: Path, central: LiveCentral,
                                  admin: AdminClient) -> None:
    home = tmp_path / "till"
    code, = issue(admin, "store-credit")
    status, out = cli(home, "enroll", "--central", central.url, "--code",
                      admin.enroll_code("S1")["code"])
    assert status == 0 and out["sync"]["pulled"] >= 5, out
    status, out = cli(home, "redeem", "--code", code.lower(), "--amount", "12.5",
                      "--staff", "alice")
    assert status == 0 and out["status"] == "approved" and out["balance_after"] == "37.50"
    assert out["request_id"] and out["seq"] == 1 and out["offline"] is False
    status, out = cli(home, "redeem", "--code", code, "--amount", "abc")
    assert status == 2 and out["error"] == "invalid_amount"
    status, out = cli(home, "redeem", "--code", "x" * 5000, "--amount", "1")
    assert status == 2 and out["error"] == "input_too_long"
    status, out = cli(home, "redeem", "--code", code, "--amount", "100.00")
    assert (status, out["status"], out["reason"]) == (0, "declined", "insufficient_funds")
    assert cli(home, "sync")[0] == 0
    status, out = cli(home, "balance", "--code", code)
    assert (status, out["balance"], out["currency"], out["state"]) == (0, "37.50", "EUR",
                                                                         "active")
    assert admin.card(code)["balance"] == "37.50"
    assert cli(home, "verify") == (0, {"ok": True, "entries": 1})

    conn = sqlite3.connect(home / "terminal.db")
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("UPDATE journal SET amount = 1")
    conn.commit()
    conn.close()
    status, out = cli(home, "verify")
    assert status == 1 and out["ok"] is False and out["seq"] == 1

"""`walletpos terminal ...` through typer's runner, against the in-memory central: JSON shapes,
exit codes, typed errors for malformed input, WALLETPOS_HOME."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from terminal_fake_central import FakeCentral
from typer.testing import CliRunner

from pos_app.cli import terminal_app, terminal_cmd
from pos_app.terminal.service import TerminalService

runner = CliRunner()


@pytest.fixture
def cli(central: FakeCentral, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    def service(home: Path) -> TerminalService:
        return TerminalService(home, transport=central.transport(), authorize_timeout=0.3)

    monkeypatch.setattr(terminal_app, "TerminalService", service)
    monkeypatch.setenv("WALLETPOS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(terminal_cmd.app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def journal_count(home: Path) -> int:
    return sqlite3.connect(home / "terminal.db").execute("SELECT COUNT(*) FROM journal"
                                                         ).fetchone()[0]


def test_cli_end_to_end(cli: Path, central: FakeCentral) -> None:
    code = central.issue("store-credit")
    status, out = run("enroll", "--central", "http://central.test", "--code",
                      central.enroll_code())
    assert status == 0 and out["terminal_id"].startswith("T-")
    status, out = run("redeem", "--code", code, "--amount", "12.50", "--staff", "s1")
    assert status == 0
    assert set(out) == {"status", "reason", "amount", "currency", "balance_after", "seq",
                        "request_id", "offline", "order"}  # every spend belongs to an order
    assert out["order"].startswith("O-")
    assert (out["status"], out["amount"], out["balance_after"], out["seq"], out["offline"]) == (
        "approved", "12.50", "37.50", 1, False)
    status, out = run("redeem", "--code", code, "--amount", "99.00")
    assert (status, out["status"], out["reason"]) == (0, "declined", "insufficient_funds")
    status, out = run("sync")
    assert status == 0 and set(out) == {"pushed", "pulled", "conflicts"}
    status, out = run("balance", "--code", code)
    assert status == 0
    assert {k: out[k] for k in ("code", "state", "balance", "currency")} == {
        "code": code, "state": "active", "balance": "37.50", "currency": "EUR"}
    assert out["as_of"]
    assert run("verify") == (0, {"ok": True, "entries": 1})


def test_cli_home_option_beats_nothing(central: FakeCentral, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    monkeypatch.delenv("WALLETPOS_HOME", raising=False)
    result = runner.invoke(terminal_cmd.app, ["verify", "--json"])
    assert result.exit_code == 2  # --home is required
    result = runner.invoke(terminal_cmd.app, ["--home", str(tmp_path), "verify", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == "not_enrolled"


@pytest.mark.parametrize(("code", "amount", "error"), [
    ("GC-0000-0000-0001", "1.00", "invalid_code"),
    (None, "abc", "invalid_amount"),
    (None, "1" * 5000, "input_too_long"),
    ("\u202egc" * 2000, "1.00", "input_too_long"),
    ("GC-\u202e1234", "1.00", "invalid_code"),
])
def test_cli_malformed_input(cli: Path, central: FakeCentral, code: str | None, amount: str,
                             error: str) -> None:
    good = central.issue("store-credit")
    run("enroll", "--central", "http://central.test", "--code", central.enroll_code())
    status, out = run("redeem", "--code", code or good, "--amount", amount)
    assert status == 2
    assert out["error"] in (error, "code_check_failed") and out["message"]
    assert journal_count(cli) == 0


def test_cli_verify_failure_exits_1(cli: Path, central: FakeCentral) -> None:
    code = central.issue("store-credit")
    run("enroll", "--central", "http://central.test", "--code", central.enroll_code())
    run("redeem", "--code", code, "--amount", "1.00")
    conn = sqlite3.connect(cli / "terminal.db")
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("UPDATE journal SET sig = zeroblob(64)")
    conn.commit()
    status, out = run("verify")
    assert status == 1 and out["ok"] is False and out["seq"] == 1
    assert out["why"] == "bad_signature"

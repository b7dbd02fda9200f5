"""The command line as a new user meets it at a till, against a real demo world (central on
loopback, an enrolled terminal): a mistyped --home is an error that creates nothing, `--json`
works before or after the subcommand, missing files exit 2, a PIN prompt with no terminal to
ask on exits 2 (not click's "Aborted." with 1, `verify`'s code), a cashier's own PIN at a
manager prompt is refused without counting toward the lockout, times are ISO 8601 with a zone,
`terminal issue-cards --activate` sells the cards, `demo --keep` lists the real cards, and the
admin card sheet names the program and its currency."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos_app import demo
from pos_app.terminal.service import TerminalService

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")


def run(*args: str) -> tuple[int, Any, str]:
    proc = subprocess.run([WALLETPOS, *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    out = proc.stdout.strip()
    try:
        data = json.loads(out.splitlines()[-1]) if out else None
    except ValueError:
        data = None
    return proc.returncode, data, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = demo.build(tmp_path_factory.mktemp("till") / "demo")
    yield w
    w.central.stop()


def _ids(world, role: str) -> str:
    return next(s["id"] for s in world.staff if s["role"] == role)


def test_a_mistyped_home_is_an_error_that_creates_nothing(tmp_path):
    wrong = tmp_path / "tерминал"  # a Cyrillic "е": looks right, is another folder
    for args in (("terminal", "--home", str(wrong), "balance", "--code", "SC-0000", "--json"),
                 ("--json", "terminal", "--home", str(wrong), "balance", "--code", "SC-0000"),
                 ("terminal", "--home", str(wrong), "--json", "redeem", "--code", "SC-0000",
                  "--amount", "1.00"),
                 ("scan", "--home", str(wrong), "--json", str(tmp_path / "x.png"))):
        code, data, _ = run(*args)
        assert (code, data["error"]) == (2, "not_enrolled"), args
    assert not wrong.exists()


def test_json_before_or_after_the_subcommand_and_iso_times(world):
    card = next(c["code"] for c in world.cards if c["active"])
    admin = ("admin", "--central", world.central.url, "--key", world.admin_key)
    after = run(*admin, "card", card, "--json")[1]
    before = run("--json", *admin, "card", card)[1]
    assert after == before and after["code"] == card
    assert ISO.match(after["expires"]), after["expires"]
    assert isinstance(after["expires_at"], int)  # the Unix time stays for scripts
    code, _, human = run(*admin, "card", card)
    assert code == 0 and f"expires {after['expires']}" in human


def test_missing_image_files_exit_2_after_reporting(tmp_path):
    code, data, _ = run("scan", str(tmp_path / "missing.png"), "--json")
    assert code == 2
    assert data["results"][0]["error"]["message"] == "no such file"


def test_manager_prompt_without_a_terminal_and_a_cashier_pin_at_it(world, tmp_path):
    home = str(world.terminal_home)
    base = ("terminal", "--home", home, "issue-cards", "--program", "gift-eur", "--count", "1")
    code, data, text = run(*base, "--staff", _ids(world, "manager"), "--json")
    assert (code, data["error"]) == (2, "pin_required") and "Aborted" not in text
    # Alex is a cashier: the right cashier PIN at a manager prompt is refused, and no try is
    # used up towards the terminal-wide lockout; a wrong PIN is.
    code, data, _ = run(*base, "--staff", _ids(world, "cashier"), "--pin", "1234", "--json")
    assert (code, data["error"]) == (2, "manager_required") and "not_manager" in data["message"]
    with TerminalService(world.terminal_home) as svc:
        assert svc.login_lock().attempts_left == 5
    run(*base, "--staff", _ids(world, "cashier"), "--pin", "0000", "--json")
    with TerminalService(world.terminal_home) as svc:
        assert svc.login_lock().attempts_left == 4
        assert svc.login(_ids(world, "manager"), "999999", role="manager").status == "ok"


def test_terminal_issue_cards_activate_sells_them(world):
    home = str(world.terminal_home)
    code, data, _ = run("terminal", "--home", home, "issue-cards", "--program", "store-credit",
                        "--count", "2", "--staff", _ids(world, "manager"), "--pin", "999999",
                        "--value", "15.00", "--activate", "--json")
    assert code == 0, data
    for card in data["cards"]:
        assert card["state"] == "active"
        balance = run("terminal", "--home", home, "balance", "--code", card["code"],
                      "--json")[1]
        assert (balance["state"], balance["balance"]) == ("active", "15.00")


def test_demo_keep_lists_the_real_cards_and_commands(tmp_path):
    home = str(tmp_path / "demo")
    fresh = run("demo", "--home", home, "--no-wait", "--json")[1]
    assert len(fresh["cards"]) >= 5
    code, _, human = run("demo", "--home", home, "--keep", "--no-wait")
    assert code == 0
    assert all(card["code"] in human for card in fresh["cards"])  # the same cards, kept
    assert "MANAGER_ID" not in human and " CODE" not in human
    assert "Demo: go offline" in human  # the offline walk-through, as the README tells it


def test_admin_card_sheet_names_the_program_and_the_value_with_its_currency(world, tmp_path,
                                                                            monkeypatch):
    from typer.testing import CliRunner

    from pos_app.cli import build_app
    from pos_app.printing import cards_pdf

    printed: list[Any] = []  # the card printer is what cannot exist here: catch its cards
    monkeypatch.setattr(cards_pdf, "write_card_sheet",
                        lambda path, cards, **_kw: printed.extend(cards) or 1)
    result = CliRunner().invoke(build_app(), [
        "admin", "--central", world.central.url, "--key", world.admin_key, "issue-cards",
        "--program", "gift-eur", "--count", "2", "--pdf", str(tmp_path / "s.pdf"), "--json"])
    assert result.exit_code == 0, result.output
    assert [(c.program_name, c.value) for c in printed] == [("Gift card", "50.00 EUR")] * 2

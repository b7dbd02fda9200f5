"""A damaged terminal.db on a real SQLite file: one flipped byte in the header or in a page of
the card table is the typed `database_corrupt` answer (the real CLI: exit 2, its JSON error, no
traceback), at open when the file is small enough for the quick check, and from whichever
statement first meets the damage when it is not."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from terminal_fake_central import FakeCentral
from typer.testing import CliRunner

from core.rules.choose import Choices
from pos_app.cli import terminal_cmd
from pos_app.cli.screen_args import prepare_screen
from pos_app.terminal import integrity
from pos_app.terminal.integrity import DatabaseCorrupt
from pos_app.terminal.service import TerminalService

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


@pytest.fixture
def closed_terminal(terminal: TerminalService, central: FakeCentral, home: Path) -> str:
    """An enrolled terminal with a few cards, closed (its WAL folded back into the file); the
    code of one of its cards."""
    codes = [central.issue("store-credit") for _ in range(3)]
    terminal.enroll("http://central.test", central.enroll_code())
    assert terminal.redeem(codes[0], "1.00").status == "approved"
    terminal.close()
    assert not (home / "terminal.db-wal").exists()
    return codes[0]


def flip_header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[0] ^= 0xFF  # "SQLite format 3" no longer
    db.write_bytes(bytes(data))


def flip_card_page(db: Path) -> None:
    """The page-type byte of the cards table's root page, a page inside the file."""
    with sqlite3.connect(db) as raw:
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cards'").fetchone()[0]
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(db.read_bytes())
    assert 1 < root < len(data) // page_size  # neither the first page nor the last
    data[(root - 1) * page_size] = 0x77  # no b-tree page has this type
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [flip_header, flip_card_page])
def test_the_real_cli_answers_a_damaged_file_with_exit_2(closed_terminal: str, home: Path,
                                                         damage: object) -> None:
    damage(home / "terminal.db")  # type: ignore[operator]
    done = subprocess.run([WALLETPOS, "terminal", "--home", str(home), "balance", "--code",
                           closed_terminal, "--json"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["error"] == "database_corrupt"
    assert "backup" in answer["message"] and "enroll" in answer["message"]
    assert "Traceback" not in done.stderr and "sqlite3" not in done.stderr


def test_a_file_too_big_for_the_start_check_still_fails_typed(
        closed_terminal: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flip_card_page(home / "terminal.db")
    with pytest.raises(DatabaseCorrupt):
        TerminalService(home).close()  # the quick check at open finds it
    monkeypatch.setattr(integrity, "QUICK_CHECK_MAX_BYTES", 0)
    with TerminalService(home) as svc:  # opens: nothing it read at open is damaged
        with pytest.raises(DatabaseCorrupt) as caught:
            svc.balance(closed_terminal)  # the first read of the damaged page
        assert caught.value.reason == "database_corrupt"
        with pytest.raises(DatabaseCorrupt):
            svc.verify()  # the full integrity_check, whatever the size


def test_errors_that_are_not_damage_keep_their_type() -> None:
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
    assert not integrity.is_corruption(locked)
    assert not integrity.is_corruption(ValueError("malformed"))


def test_the_screens_refuse_a_damaged_home_before_any_window(
        closed_terminal: str, home: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    flip_card_page(home / "terminal.db")
    monkeypatch.setattr(integrity, "QUICK_CHECK_MAX_BYTES", 0)  # a screen checks any size
    with pytest.raises(typer.Exit) as stopped:
        prepare_screen(home, None, None, None)
    assert stopped.value.exit_code == 2
    assert "(database_corrupt)" in capsys.readouterr().err


def test_an_edited_balance_is_refused_offline_and_named_by_verify(
        terminal: TerminalService, central: FakeCentral, home: Path) -> None:
    code = central.issue("store-credit", value="11.00")
    terminal.enroll("http://central.test", central.enroll_code())
    assert terminal.redeem(code, "2.00").status == "approved"  # online, not yet synced
    assert terminal.balance(code)["balance"] == "9.00"
    with sqlite3.connect(home / "terminal.db") as raw:  # the issue's one edited byte
        raw.execute("UPDATE cards SET balance = 21380 WHERE code = ?",
                    (terminal.store.data_keys().card_id(code),))
    raw.close()
    central.down = True
    refused = terminal.redeem(code, "15.00")  # within the 20.00 offline cap, above 9.00
    assert (refused.status, refused.reason, refused.offline) == ("declined", "balance_mismatch",
                                                                 True)
    report = terminal.verify()
    assert (report.ok, report.seq, report.why) == (False, None, "balance_mismatch")
    assert [c.as_json() for c in report.cards] == [
        {"code": code, "view": "213.80", "journal": "9.00", "currency": "EUR"}]
    assert report.refused[code]["view"] == "213.80"
    done = CliRunner().invoke(terminal_cmd.app, ["--home", str(home), "verify", "--json"])
    assert done.exit_code == 1
    assert json.loads(done.stdout.splitlines()[-1])["cards"][0]["code"] == code
    # Central's figure rewrites the view at the next sync; the refusal stays on record.
    central.down = False
    central.touch(code)
    terminal.sync()
    healed = terminal.verify()
    assert healed.ok and code in healed.as_json()["refused_offline"]
    assert terminal.balance(code)["balance"] == "9.00"


def test_a_basket_paid_offline_with_an_edited_card_is_refused(
        terminal: TerminalService, central: FakeCentral, home: Path) -> None:
    code = central.issue("store-credit", value="9.00")
    terminal.enroll("http://central.test", central.enroll_code())
    with sqlite3.connect(home / "terminal.db") as raw:
        raw.execute("UPDATE cards SET balance = 21380 WHERE code = ?",
                    (terminal.store.data_keys().card_id(code),))
    raw.close()
    central.down = True
    quoted = terminal.quote(terminal.basket("EUR", "15.00"), [code], online=False)
    result = terminal.commit(Choices(gift_cards=((code, 1500),), earn=False), quoted)
    assert (result.status, result.reason) == ("declined", "balance_mismatch")
    assert code in terminal.verify().refused

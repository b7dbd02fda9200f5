"""Card codes in the terminal replica are keyed hashes (HMAC-SHA256 with the terminal's data
key): a stolen terminal.db hands out no spendable code, and a typed or scanned code is hashed
and found by the same index. An older replica's plain codes are hashed at first start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from terminal_fake_central import FakeCentral
from terminal_helpers import assert_views_consistent, enrolled

from core.errors import WalletError
from pos_app.terminal.service import TerminalService


def stored_codes(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "terminal.db")
    try:
        return [r[0] for r in conn.execute("SELECT code FROM cards")]
    finally:
        conn.close()


def test_the_replica_holds_no_code(terminal: TerminalService, central: FakeCentral,
                                   home: Path) -> None:
    codes = [central.issue("store-credit") for _ in range(3)]
    svc = enrolled(terminal, central)
    stored = stored_codes(home)
    assert len(stored) >= 3 and all(s.startswith("h:") and len(s) == 34 for s in stored)
    svc.store.close()
    for path in home.glob("terminal.db*"):  # nowhere in the file, its WAL or its index
        data = path.read_bytes()
        assert not any(code.encode() in data for code in codes), path.name
    with TerminalService(home, transport=central.transport()) as again:
        card = again.balance(codes[0].lower())  # typed as a cashier would
        assert (card["code"], card["balance"]) == (codes[0], "50.00")
        result = again.redeem(codes[1], "5.00")
        assert result.status == "approved" and result.balance_after == 4500
        assert_views_consistent(again)


def test_a_stolen_hash_is_not_a_code(terminal: TerminalService, central: FakeCentral,
                                     home: Path) -> None:
    central.issue("store-credit")
    svc = enrolled(terminal, central)
    stolen = stored_codes(home)[0]
    with pytest.raises(WalletError):
        svc.balance(stolen)


def test_plain_codes_of_an_older_replica_are_hashed_at_start(terminal: TerminalService,
                                                             central: FakeCentral,
                                                             home: Path) -> None:
    code = central.issue("store-credit")
    svc = enrolled(terminal, central)
    hashed = svc.store.data_keys().card_id(code)
    svc.close()
    conn = sqlite3.connect(home / "terminal.db")  # as migration 0007 finds a 0006 replica
    conn.execute("UPDATE cards SET code = ? WHERE code = ?", (code, hashed))
    conn.execute("INSERT INTO code_pool (code, program, qr) VALUES "
                 "('GC-AAAA-BBBB-CCCC', 'gift-eur', 'WP1:a-qr-credential')")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('secrets_pending', '1')")
    conn.commit()
    conn.close()
    with TerminalService(home, transport=central.transport()) as svc:
        assert all(s.startswith("h:") for s in stored_codes(home))
        assert svc.balance(code)["balance"] == "50.00"
        assert svc.store.meta("secrets_pending") is None
        raw = sqlite3.connect(home / "terminal.db")
        (stored, sealed), = raw.execute("SELECT code, qr FROM code_pool").fetchall()
        raw.close()
        assert stored.startswith("h:") and "WP1" not in sealed
        assert svc.store.data_keys().open_pool(stored, sealed) == ("GC-AAAA-BBBB-CCCC",
                                                                   "WP1:a-qr-credential")

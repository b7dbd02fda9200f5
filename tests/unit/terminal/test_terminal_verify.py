"""`verify` over a real journal file: a sound chain passes; every kind of tampering names the
first bad seq. Tests drop the append-only triggers with raw sqlite3 first, as an attacker with
the file would."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from terminal_fake_central import FakeCentral

from core.journal import EntryBody
from pos_app.terminal.service import TerminalService


@pytest.fixture
def four_entries(terminal: TerminalService, central: FakeCentral) -> TerminalService:
    cards = [central.issue("store-credit") for _ in range(4)]
    terminal.enroll("http://central.test", central.enroll_code())
    for code in cards:
        assert terminal.redeem(code, "3.00").status == "approved"
    return terminal


def raw(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "terminal.db")
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("DROP TRIGGER journal_no_delete")
    return conn


def edit_signed_amount(conn: sqlite3.Connection) -> None:
    data = conn.execute("SELECT data FROM journal WHERE seq = 2").fetchone()[0]
    body = dataclasses.replace(EntryBody.decode(bytes(data)), amount=1)
    conn.execute("UPDATE journal SET data = ? WHERE seq = 2", (body.encode(),))


def edit_amount_column(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE journal SET amount = 1 WHERE seq = 2")


def delete_entry(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM journal WHERE seq = 2")


def reorder_pair(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE journal SET seq = -2 WHERE seq = 2")
    conn.execute("UPDATE journal SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE journal SET seq = 3 WHERE seq = -2")


def forge_signature(conn: sqlite3.Connection) -> None:
    from core.keys import new_private_key
    data = conn.execute("SELECT data FROM journal WHERE seq = 2").fetchone()[0]
    conn.execute("UPDATE journal SET sig = ? WHERE seq = 2",
                 (new_private_key().sign(bytes(data)),))


def garbage_body(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE journal SET data = x'ff00' WHERE seq = 2")


def test_sound_journal_verifies(four_entries: TerminalService) -> None:
    assert four_entries.verify().as_json() == {"ok": True, "entries": 4}


@pytest.mark.parametrize(("tamper", "why"), [
    (edit_signed_amount, "bad_signature"),
    (edit_amount_column, "row_mismatch:amount"),
    (delete_entry, "gap"),
    (reorder_pair, None),
    (forge_signature, "bad_signature"),
    (garbage_body, "malformed_entry"),
])
def test_tampering_names_first_bad_seq(four_entries: TerminalService, home: Path,
                                       tamper: Callable[[sqlite3.Connection], None],
                                       why: str | None) -> None:
    conn = raw(home)
    tamper(conn)
    conn.commit()
    conn.close()
    report = four_entries.verify()
    assert not report.ok
    assert report.seq == 2
    if why is not None:
        assert report.why == why

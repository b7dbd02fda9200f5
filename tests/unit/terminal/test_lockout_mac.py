"""The login lockout cannot be reset by editing terminal.db: its state carries an HMAC from
the terminal's data key, and a state that does not verify counts as five wrong PINs (locked
from the moment the terminal notices, reason `lockout_tampered`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from argon2 import PasswordHasher
from terminal_fake_central import FakeCentral
from terminal_helpers import Clock, enrolled

from pos_app.terminal import lockout, staff
from pos_app.terminal.service import TerminalService

FAST = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def with_cashier(svc: TerminalService) -> TerminalService:
    with svc.store.write() as conn:
        staff.apply_change(conn, {"id": "S-A", "name": "A", "role": "cashier",
                                  "pin_hash": FAST.hash("1234"), "active": True}, 1)
    return svc


def edit(home: Path, *statements: str) -> None:
    conn = sqlite3.connect(home / "terminal.db")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


RESET = ("UPDATE meta SET value = '0' WHERE key IN ('login_failures', 'login_locked_until_ms')",)


def test_editing_the_lockout_row_keeps_the_lock(terminal: TerminalService, central: FakeCentral,
                                                home: Path, clock: Clock) -> None:
    svc = with_cashier(enrolled(terminal, central))
    for _ in range(5):
        last = svc.login("S-A", "0000")
    assert last.status == "locked"
    edit(home, *RESET)
    result = svc.login("S-A", "1234")  # the right PIN, and the rows say "never failed"
    assert (result.status, result.reason) == ("locked", lockout.TAMPERED)
    assert svc.login_lock().status == "locked"
    clock.advance_hours(0.1)  # the lock runs out like any other: a fresh, signed count
    assert svc.login("S-A", "1234").status == "ok"


def test_resetting_the_count_or_deleting_the_mac_locks(terminal: TerminalService,
                                                       central: FakeCentral, home: Path) -> None:
    svc = with_cashier(enrolled(terminal, central))
    assert svc.login("S-A", "0000").attempts_left == 4
    assert svc.login("S-A", "0000").attempts_left == 3
    edit(home, "UPDATE meta SET value = '0' WHERE key = 'login_failures'")
    assert svc.login("S-A", "1234").reason == lockout.TAMPERED
    svc.close()
    home_db = home
    with TerminalService(home_db, clock=lambda: 10**13) as later:  # long after the lock
        assert later.login("S-A", "1234").status == "ok"
        edit(home, "DELETE FROM meta WHERE key LIKE 'login_%'")
        assert later.login("S-A", "1234").status == "locked"


def test_an_untouched_count_still_counts(terminal: TerminalService, central: FakeCentral) -> None:
    svc = with_cashier(enrolled(terminal, central))
    assert svc.login("S-A", "0000").attempts_left == 4
    assert svc.login("S-A", "1234").status == "ok"
    assert svc.login_lock().attempts_left == 5

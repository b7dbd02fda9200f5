"""Staff PIN hashes on the terminal are sealed with its data key (AES-GCM, the argon2 hash
inside): terminal.db alone gives nothing to guess PINs against offline. Hashes an older
install kept in the clear are sealed at start; a manager's PIN has at least 6 digits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from terminal_fake_central import FakeCentral
from terminal_helpers import enrolled

from pos_app.terminal import staff
from pos_app.terminal.service import TerminalService

# Cheap parameters: the test is about where the hash lives, not argon2's cost.
FAST = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def add(svc: TerminalService, sid: str, role: str, pin: str, cseq: int = 1) -> None:
    with svc.store.write() as conn:
        staff.apply_change(conn, {"id": sid, "name": sid, "role": role,
                                  "pin_hash": FAST.hash(pin), "active": True}, cseq)


def raw_hashes(home: Path) -> dict[str, str]:
    conn = sqlite3.connect(home / "terminal.db")
    try:
        return dict(conn.execute("SELECT id, pin_hash FROM staff").fetchall())
    finally:
        conn.close()


def test_pin_hashes_are_sealed_and_still_checked(terminal: TerminalService,
                                                 central: FakeCentral, home: Path) -> None:
    svc = enrolled(terminal, central)
    add(svc, "S-CASH", "cashier", "1234")
    add(svc, "S-MGR", "manager", "246810")
    stored = raw_hashes(home)
    assert all(h.startswith("s1:") and "argon2" not in h for h in stored.values())
    svc.store.close()  # everything on disk: no argon2 hash anywhere in the files
    for path in home.glob("terminal.db*"):
        assert b"$argon2" not in path.read_bytes(), path.name
    with TerminalService(home) as again:
        assert again.login("S-CASH", "1234").status == "ok"
        assert again.login("S-MGR", "246810", role="manager").status == "ok"
        assert again.login("S-MGR", "000000").status == "wrong_pin"


def test_a_sealed_hash_moved_to_another_row_matches_nothing(terminal: TerminalService,
                                                           central: FakeCentral,
                                                           home: Path) -> None:
    svc = enrolled(terminal, central)
    add(svc, "S-A", "cashier", "1111")
    add(svc, "S-B", "cashier", "2222")
    conn = sqlite3.connect(home / "terminal.db")
    conn.execute("UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE id = 'S-A') "
                 "WHERE id = 'S-B'")
    conn.commit()
    conn.close()
    assert svc.login("S-B", "1111").status == "wrong_pin"  # bound to S-A by the seal


def test_plain_hashes_of_an_older_install_are_sealed_at_start(terminal: TerminalService,
                                                              central: FakeCentral,
                                                              home: Path) -> None:
    enrolled(terminal, central).close()
    conn = sqlite3.connect(home / "terminal.db")
    conn.execute("INSERT INTO staff (id, name, role, pin_hash, active, change_seq) "
                 "VALUES ('S-OLD', 'Old', 'cashier', ?, 1, 1)", (FAST.hash("4321"),))
    conn.commit()
    conn.close()
    with TerminalService(home) as svc:
        assert raw_hashes(home)["S-OLD"].startswith("s1:")
        assert svc.login("S-OLD", "4321").status == "ok"


def test_a_manager_pin_has_six_digits(terminal: TerminalService, central: FakeCentral) -> None:
    svc = enrolled(terminal, central)
    # An old 4-digit manager PIN (central refuses new ones) no longer approves anything here.
    add(svc, "S-MGR", "manager", "9999")
    result = svc.login("S-MGR", "9999", role="manager")
    assert result.status == "wrong_pin"


@pytest.mark.parametrize("pin", ["123456", "12345678"])
def test_six_to_eight_digit_manager_pins_work(terminal: TerminalService, central: FakeCentral,
                                              pin: str) -> None:
    svc = enrolled(terminal, central)
    add(svc, "S-MGR", "manager", pin)
    assert svc.login("S-MGR", pin, role="manager").status == "ok"

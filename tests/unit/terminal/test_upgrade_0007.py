"""A home from before issue 13 (schema 0006, the secret in HOME/.wrapping-key, plain PIN hashes
and card codes, a lockout count with no MAC) keeps working: its first start moves the secret
out, hashes the codes, seals the hashes and signs the lockout state it had."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from argon2 import PasswordHasher
from terminal_fake_central import FakeCentral
from terminal_helpers import enrolled

from pos_app.terminal import keystore
from pos_app.terminal.service import TerminalService

FAST = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def make_old(home: Path, code: str, hashed: str) -> None:
    """Turn an enrolled home back into what schema 0006 left on disk."""
    secret_file = keystore.PLACE.file(keystore.secret_id(home) or "")
    (home / ".wrapping-key").write_bytes(secret_file.read_bytes())
    (home / ".wrapping-key").chmod(0o600)
    secret_file.unlink()
    (home / "terminal.id").unlink()
    conn = sqlite3.connect(home / "terminal.db")
    conn.execute("UPDATE cards SET code = ? WHERE code = ?", (code, hashed))
    conn.execute("INSERT INTO staff (id, name, role, pin_hash, active, change_seq) VALUES "
                 "('S-OLD', 'Old', 'manager', ?, 1, 1)", (FAST.hash("135790"),))
    conn.execute("INSERT INTO members (code, program, country, data, acked_seq, change_seq) "
                 "VALUES ('LM-OLD-MEMBER', 'club', 'DE', "
                 "'{\"code\": \"LM-OLD-MEMBER\", \"points\": 7}', 0, 1)")
    conn.execute("DELETE FROM meta WHERE key IN ('login_mac', 'secrets_pending')")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('login_failures', '2')")
    conn.execute("DROP TABLE order_parts")  # 0009_orders came later
    conn.execute("DROP TABLE orders")
    conn.execute("UPDATE alembic_version SET version_num = '0006'")
    conn.commit()
    conn.close()


def test_an_old_home_is_upgraded_at_first_start(terminal: TerminalService,
                                                central: FakeCentral, home: Path) -> None:
    code = central.issue("store-credit")
    svc = enrolled(terminal, central)
    hashed = svc.store.data_keys().card_id(code)
    svc.close()
    make_old(home, code, hashed)

    with TerminalService(home, transport=central.transport()) as svc:
        assert not (home / ".wrapping-key").exists()
        assert keystore.PLACE.file(keystore.secret_id(home) or "").is_file()
        raw = sqlite3.connect(home / "terminal.db")
        codes = [r[0] for r in raw.execute("SELECT code FROM cards")]
        pins = [r[0] for r in raw.execute("SELECT pin_hash FROM staff")]
        (member,) = raw.execute("SELECT code || data FROM members").fetchone()
        raw.close()
        assert hashed in codes and code not in codes
        assert all(p.startswith("s1:") for p in pins)
        assert member.startswith("h:") and "LM-OLD-MEMBER" not in member
        assert svc.balance(code)["balance"] == "50.00"
        assert svc.login_lock().attempts_left == 3  # the count it had, now signed
        assert svc.login("S-OLD", "135790", role="manager").status == "ok"
        assert svc.redeem(code, "1.00").status == "approved"  # and it still signs

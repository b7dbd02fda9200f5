"""The local store and keystore on real SQLite files: settings, migrations, append-only journal,
encrypted key at rest."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from core.keys import new_private_key, public_bytes
from pos_app.terminal import keystore
from pos_app.terminal.database import SCHEMA_HEAD, TerminalDB


def test_open_twice_migrates_once_and_sets_pragmas(tmp_path: Path) -> None:
    TerminalDB.open(tmp_path).close()
    store = TerminalDB.open(tmp_path)
    with store.write() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    store.close()
    raw = sqlite3.connect(tmp_path / "terminal.db")
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]


def test_journal_is_append_only(tmp_path: Path) -> None:
    TerminalDB.open(tmp_path).close()
    raw = sqlite3.connect(tmp_path / "terminal.db")
    raw.execute("INSERT INTO journal (seq, hash, data, sig, op, card, program, amount, currency, "
                "offline, wall_ms, request_id) VALUES (1, x'01', x'02', x'03', 'redeem', 'C', "
                "'p', 5, 'EUR', 0, 0, NULL)")
    raw.commit()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE journal SET amount = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM journal")


def test_push_pointer_moves_forward_only_unless_told(tmp_path: Path) -> None:
    store = TerminalDB.open(tmp_path)
    store.set_push_pointer(5)
    store.set_push_pointer(3)
    assert store.push_pointer() == 5
    store.set_push_pointer(3, allow_backward=True)
    assert store.push_pointer() == 3
    store.close()


def test_key_is_encrypted_at_rest_and_its_secret_kept_outside_the_home(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keystore.PASSPHRASE_ENV, raising=False)
    key = new_private_key()
    keystore.save_key(tmp_path, key)
    pem = (tmp_path / "terminal.key").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in pem
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terminal.id", "terminal.key"]
    secret_file = keystore.PLACE.file(keystore.secret_id(tmp_path) or "")
    assert not secret_file.is_relative_to(tmp_path)  # the null keyring: the config folder
    for path in (tmp_path / "terminal.key", secret_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_bytes(keystore.load_key(tmp_path)) == public_bytes(key)
    secret_file.write_bytes(b"not-the-secret")
    with pytest.raises(keystore.KeyStoreError):
        keystore.load_key(tmp_path)
    secret_file.unlink()
    with pytest.raises(keystore.KeyStoreError) as err:
        keystore.load_key(tmp_path)
    assert err.value.reason == "key_unavailable" and str(secret_file) in err.value.message


def test_legacy_wrapping_file_is_moved_out(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keystore.PASSPHRASE_ENV, raising=False)
    key = new_private_key()
    old_secret = b"legacy-secret-from-an-old-install"
    (tmp_path / "terminal.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(old_secret)))
    (tmp_path / ".wrapping-key").write_bytes(old_secret + b"\n")
    assert keystore.migrate_legacy(tmp_path)
    assert not (tmp_path / ".wrapping-key").exists()
    assert keystore.PLACE.file(keystore.secret_id(tmp_path) or "").read_bytes().strip() == \
        old_secret
    assert public_bytes(keystore.load_key(tmp_path)) == public_bytes(key)
    assert not keystore.migrate_legacy(tmp_path)


def test_key_passphrase_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, "correct horse battery staple")
    key = new_private_key()
    keystore.save_key(tmp_path, key)
    assert not (tmp_path / ".wrapping-key").exists()
    assert public_bytes(keystore.load_key(tmp_path)) == public_bytes(key)
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, "wrong")
    with pytest.raises(keystore.KeyStoreError):
        keystore.load_key(tmp_path)


def test_missing_key_means_not_enrolled(tmp_path: Path) -> None:
    with pytest.raises(keystore.KeyStoreError) as err:
        keystore.load_key(tmp_path)
    assert err.value.reason == "not_enrolled"


def test_older_page_applied_late_does_not_roll_back(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, "a store that was never enrolled")
    from wallet_sync.protocol import Change, ChangePage

    def page(cursor: int, balance: int, acked: int) -> ChangePage:
        return ChangePage(cursor_from=0, cursor=cursor, more=False, acked_seq=acked,
                          server_time=0, changes=[Change(
                              change_seq=cursor, kind="card", key="C",
                              data={"code": "C", "program": "p", "currency": "EUR",
                                    "state": "active", "balance_minor": balance,
                                    "expires_at": None})])

    store = TerminalDB.open(tmp_path)
    store.apply_page(page(9, 700, 3))
    store.apply_page(page(5, 1000, 0))  # a slower concurrent sync's older page
    with store.read() as conn:
        card = TerminalDB.get_card(conn, "C")
    assert card is not None and (card.balance_minor, card.acked_seq) == (700, 3)
    assert store.pull_cursor() == 9
    store.close()

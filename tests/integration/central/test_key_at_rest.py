"""Central's signing key at rest (issue 13): central.db holds it only encrypted, under a secret
kept outside the database (an environment variable, a secret file, the OS keyring, a 0600
file in the OS user's config folder). A copied database without that secret cannot sign:
`central serve` says so and exits 2. A database from before is encrypted on its next start.
The SQLite file itself is the OS user's alone (0600)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import select, update

from core.keys import private_bytes, public_bytes
from wallet_sync.central.app import create_app
from wallet_sync.central.db import Database
from wallet_sync.central.embedded import free_port
from wallet_sync.central.key_secret import FILE_ENV, PASSPHRASE_ENV
from wallet_sync.central.keys import KeyUnavailable, load_central_key
from wallet_sync.central.setup import init_central
from wallet_sync.central.tables import CentralKey

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


class MemoryKeyring(KeyringBackend):
    """An OS keyring that answers, held in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This OS user's config folder, empty."""
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def _row(db_url: str) -> CentralKey:
    db = Database(db_url)
    try:
        with db.read() as session:
            return session.scalars(select(CentralKey)).one()
    finally:
        db.dispose()


def _signing_key(db_url: str):  # type: ignore[no-untyped-def]
    db = Database(db_url)
    try:
        with db.read() as session:
            return load_central_key(session)
    finally:
        db.dispose()


def _serve(db_url: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([WALLETPOS, "central", "serve", "--db", db_url,
                           "--port", str(free_port())], capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_key_is_encrypted_and_a_copied_database_cannot_sign(
        tmp_path: Path, machine: Path) -> None:
    db_file = tmp_path / "central.db"
    url = f"sqlite:///{db_file}"
    result = init_central(url)
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    secret_file = Path(result["key_secret"].removeprefix("file:"))
    assert secret_file.is_relative_to(machine)
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700
    row = _row(url)
    assert row.private_key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    key = _signing_key(url)
    assert key is not None and public_bytes(key.private) == row.public_key
    raw = private_bytes(key.private)
    for path in tmp_path.glob("central.db*"):  # the file and its WAL
        assert raw not in path.read_bytes(), path
    # The same database on another machine, or under another OS user: no secret there.
    copy = tmp_path / "elsewhere" / "central.db"
    copy.parent.mkdir()
    for path in tmp_path.glob("central.db*"):
        shutil.copy(path, copy.parent / path.name)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "other-user")}
    served = _serve(f"sqlite:///{copy}", env)
    assert served.returncode == 2, served.stderr[-2000:]
    assert "key_unavailable" in served.stderr and PASSPHRASE_ENV in served.stderr
    assert "Traceback" not in served.stderr
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path / "other-user")
    try:
        with pytest.raises(KeyUnavailable):
            create_app(f"sqlite:///{copy}")
    finally:
        os.environ["XDG_CONFIG_HOME"] = str(machine)
    create_app(url)  # where the secret is, central starts


def test_a_passphrase_from_the_environment(tmp_path: Path, machine: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery staple")
    assert init_central(url)["key_secret"] == "env"
    assert not machine.exists()  # nothing written beside it
    assert _signing_key(url) is not None
    monkeypatch.setenv(PASSPHRASE_ENV, "wrong horse")
    with pytest.raises(KeyUnavailable):
        _signing_key(url)
    monkeypatch.delenv(PASSPHRASE_ENV)
    with pytest.raises(KeyUnavailable):
        create_app(url)


def test_a_secret_file_named_by_the_deployment(tmp_path: Path, machine: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # What a systemd unit gives: WALLETPOS_CENTRAL_KEY_FILE=/var/lib/walletpos/... .
    url = f"sqlite:///{tmp_path / 'central.db'}"
    secret = tmp_path / "var-lib-walletpos" / "central-key.secret"
    monkeypatch.setenv(FILE_ENV, str(secret))
    assert init_central(url)["key_secret"] == f"file:{secret}"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert _signing_key(url) is not None
    served = _serve(url, {**os.environ, FILE_ENV: str(tmp_path / "missing.secret")})
    assert served.returncode == 2 and "key_unavailable" in served.stderr


def test_the_os_keyring_where_there_is_one(tmp_path: Path, machine: Path,
                                           os_keyring: MemoryKeyring) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    assert init_central(url)["key_secret"] == "keyring"
    assert not machine.exists()
    assert len(os_keyring.items) == 1
    assert _signing_key(url) is not None
    os_keyring.items.clear()
    with pytest.raises(KeyUnavailable):
        _signing_key(url)


def test_a_database_from_before_is_encrypted_on_its_first_start(
        db_url: str, machine: Path) -> None:
    init_central(db_url)
    key = _signing_key(db_url)
    assert key is not None
    db = Database(db_url)
    try:  # what central init wrote before keys were encrypted: the raw 32 bytes
        with db.write() as session:
            session.execute(update(CentralKey).values(private_key=private_bytes(key.private)))
    finally:
        db.dispose()
    shutil.rmtree(machine)
    assert len(_row(db_url).private_key) == 32
    app = create_app(db_url)
    sealed = _row(db_url)
    assert sealed.private_key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert app.state.central.key.key_id == key.key_id
    assert public_bytes(app.state.central.key.private) == sealed.public_key
    app.state.central.db.dispose()
    again = _signing_key(db_url)
    assert again is not None and again.key_id == key.key_id

"""Where the terminal's secret is kept: the OS keyring when one answers (nothing under the
config folder then), keyring's null and fail backends counting as no keyring, and
WALLETPOS_KEY_PASSPHRASE before both. The home itself never holds it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from core.keys import new_private_key, public_bytes
from pos_app.terminal import keystore


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
def ring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(before)


def test_a_keyring_that_answers_holds_the_secret(tmp_path: Path, ring: MemoryKeyring) -> None:
    key = new_private_key()
    keystore.save_key(tmp_path, key)
    name = keystore.secret_id(tmp_path) or ""
    assert list(ring.items) == [("walletpos-terminal", name)]
    assert not keystore.PLACE.file(name).exists()
    assert public_bytes(keystore.load_key(tmp_path)) == public_bytes(key)
    ring.items.clear()  # another account's keyring: the key cannot be opened
    with pytest.raises(keystore.KeyStoreError) as err:
        keystore.load_key(tmp_path)
    assert err.value.reason == "key_unavailable" and name in err.value.message


@pytest.mark.parametrize("backend", [null.Keyring, fail.Keyring])
def test_null_and_fail_keyrings_count_as_none(tmp_path: Path, backend: type) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(backend())
    try:
        keystore.save_key(tmp_path, new_private_key())
        assert keystore.PLACE.file(keystore.secret_id(tmp_path) or "").is_file()
        keystore.load_key(tmp_path)
    finally:
        keyring.set_keyring(before)


def test_the_passphrase_wins_and_nothing_is_kept(tmp_path: Path, ring: MemoryKeyring,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, "from the service's environment")
    keystore.save_key(tmp_path, new_private_key())
    assert ring.items == {}
    assert keystore.secret_id(tmp_path) is None  # no entry needed a name
    keystore.load_key(tmp_path)

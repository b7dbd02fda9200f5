"""Where the secret that wraps central's signing key comes from, never the database: a copy of
central.db (a backup, a stolen disk image) holds the key only encrypted (`keys.py`), and signs
nothing without this secret.

Looked for in this order, and made in the first place that can hold one when a key is created:
1. `WALLETPOS_CENTRAL_KEY_PASSPHRASE`: the passphrase itself (a systemd `Environment=` from a
   root-only drop-in, a container secret);
2. `WALLETPOS_CENTRAL_KEY_FILE`: a file holding it (`/var/lib/walletpos/central-key.secret`,
   systemd's `$CREDENTIALS_DIRECTORY/...`); made 0600 with a random secret if missing;
3. the OS keyring through the `keyring` library (macOS Keychain, Windows Credential Locker,
   the Secret Service of a desktop session), where one answers;
4. a 0600 file under the OS user's config folder (platformdirs:
   `~/.config/walletpos/central-keys/` on Linux, in a 0700 folder).
Each key has its own secret, named after its public key, so several centrals on one machine
(tests, a staging copy) never share one.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from core.secret_store import SecretPlace, fresh_secret, read_file, write_once

PASSPHRASE_ENV = "WALLETPOS_CENTRAL_KEY_PASSPHRASE"
FILE_ENV = "WALLETPOS_CENTRAL_KEY_FILE"
KEYRING_SERVICE = "walletpos-central"


@dataclass(frozen=True)
class Secret:
    value: bytes
    where: str  # "env", "file:<path>", "keyring": said at `central init`, for the backup


def secret_name(public_raw: bytes) -> str:
    return "central-key-" + hashlib.sha256(public_raw).hexdigest()[:32]


def config_file(name: str) -> Path:
    return _PLACE.file(name)


def find_secrets(name: str) -> list[Secret]:
    """Every secret a key called `name` may be wrapped with, in the order above."""
    found: list[Secret] = []
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        found.append(Secret(passphrase.encode("utf-8"), "env"))
    named = os.environ.get(FILE_ENV)
    if named and (value := _read(Path(named))):
        found.append(Secret(value, f"file:{named}"))
    if stored := _keyring_get(name):
        found.append(Secret(stored.encode("utf-8"), "keyring"))
    if value := _read(config_file(name)):
        found.append(Secret(value, f"file:{config_file(name)}"))
    return found


def create_secret(name: str) -> Secret:
    """The secret a new key called `name` is wrapped with, made where it can be kept."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        return Secret(passphrase.encode("utf-8"), "env")
    fresh = fresh_secret()
    named = os.environ.get(FILE_ENV)
    if named:
        return Secret(_write_once(Path(named), fresh), f"file:{named}")
    if _keyring_set(name, fresh.decode()):
        return Secret(fresh, "keyring")
    path = config_file(name)
    return Secret(_write_once(path, fresh), f"file:{path}")


# ---- internals (the keyring and the file: core.secret_store) ------------------------------

_PLACE = SecretPlace(KEYRING_SERVICE, "central-keys")
_read = read_file
_write_once = write_once
_keyring_get = _PLACE.keyring_get
_keyring_set = _PLACE.keyring_set

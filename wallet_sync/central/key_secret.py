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

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir

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
    return Path(user_config_dir("walletpos")) / "central-keys" / f"{name}.secret"


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
    fresh = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=")
    named = os.environ.get(FILE_ENV)
    if named:
        return Secret(_write_once(Path(named), fresh), f"file:{named}")
    if _keyring_set(name, fresh.decode()):
        return Secret(fresh, "keyring")
    path = config_file(name)
    return Secret(_write_once(path, fresh), f"file:{path}")


# ---- internals --------------------------------------------------------------------------

def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes().strip() or None
    except OSError:
        return None


def _write_once(path: Path, value: bytes) -> bytes:
    """`value` into a new 0600 file (its folder 0700 if we make it); what is there already
    wins, so two processes starting at once end up with one secret."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        existing = _read(path)
        if existing is None:
            raise
        return existing
    try:
        os.write(fd, value + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return value


def _keyring_get(name: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception:  # no backend, a locked or absent Secret Service: there is no keyring
        return None


def _keyring_set(name: str, value: str) -> bool:
    """Whether the keyring now holds `value` (the null backend accepts and forgets)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, name, value)
        return keyring.get_password(KEYRING_SERVICE, name) == value
    except Exception:  # as above: no usable keyring here
        return False

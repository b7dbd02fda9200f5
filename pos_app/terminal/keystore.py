"""The terminal's Ed25519 signing key at rest: HOME/terminal.key, encrypted (PKCS#8 PEM with
`BestAvailableEncryption`), as PROTOCOL.md specifies, and the secret it is wrapped with, which
is never kept in the terminal home: a copy of the folder (a backup, a stolen disk, another
account on the same PC) holds the key only encrypted and cannot sign.

The wrapping secret is looked for in this order (`find_secret`), and made in the first place
that can hold one at enrollment:
1. `WALLETPOS_KEY_PASSPHRASE`: the passphrase itself (a service's environment, a secrets
   manager);
2. the OS keyring through `keyring` (service `walletpos-terminal`), where a usable one answers;
3. a 0600 file under the OS user's config folder,
   `~/.config/walletpos/terminal-secrets/<id>.secret` (XDG_CONFIG_HOME honoured).
The entry is named by HOME/terminal.id, a random id made with the key, so two terminal homes
on one account (a test rig, a second till) never share a secret. The same secret is where the
data keys come from (`data_keys`: sealed PIN hashes, the lockout MAC, hashed card codes).

An install from before this kept the secret in HOME/.wrapping-key: `migrate_legacy` moves it
out at start and removes the file. Files are written atomically (temp file, fsync, rename) so a
crash mid-write never leaves a half key that would make every later entry unsignable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.errors import WalletError
from core.secret_store import SecretPlace, fresh_secret, read_file, write_once

KEY_FILE = "terminal.key"
ID_FILE = "terminal.id"
LEGACY_FILE = ".wrapping-key"  # where the secret was kept before issue 13
PASSPHRASE_ENV = "WALLETPOS_KEY_PASSPHRASE"
PLACE = SecretPlace("walletpos-terminal", "terminal-secrets")


class KeyStoreError(WalletError):
    reason = "key_unavailable"


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # make the rename itself durable
    finally:
        os.close(dir_fd)


def secret_id(home: Path, *, create: bool = False) -> str | None:
    """The name this home's secret is kept under (HOME/terminal.id), made when `create`."""
    found = read_file(home / ID_FILE)
    if found:
        return found.decode("ascii", "replace")
    if not create:
        return None
    name = "terminal-" + secrets.token_hex(16)
    _write_private(home / ID_FILE, name.encode("ascii") + b"\n")
    return name


def where_looked(home: Path) -> str:
    """Where the secret was looked for, for the message of a home that cannot sign."""
    name = secret_id(home) or "(no terminal.id)"
    return (f"{PASSPHRASE_ENV} (not set), the OS keyring (service {PLACE.service!r}, entry "
            f"{name!r}) and the file {PLACE.file(name)}")


def find_secret(home: Path) -> bytes | None:
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env.encode("utf-8")
    name = secret_id(home)
    if name is None:
        return None
    stored = PLACE.keyring_get(name)
    if stored:
        return stored.encode("utf-8")
    return read_file(PLACE.file(name))


def _keep(name: str, value: bytes) -> bytes:
    """VALUE kept under NAME in the keyring, else in the 0600 file; what is kept already wins."""
    if PLACE.keyring_set(name, value.decode("utf-8")):
        return value
    return write_once(PLACE.file(name), value)


def wrapping_secret(home: Path, *, create: bool = False) -> bytes:
    found = find_secret(home)
    if found:
        return found
    if not create:
        raise KeyStoreError(
            f"the secret that unlocks {home / KEY_FILE} is not on this account; looked in "
            f"{where_looked(home)}. A terminal folder copied from another account or machine "
            "cannot sign: restore its secret (docs/SECURITY.md, Terminal) or enroll it again")
    return _keep(secret_id(home, create=True) or "", fresh_secret())


def migrate_legacy(home: Path) -> bool:
    """Move a pre-issue-13 HOME/.wrapping-key out of the home (into the keyring or the config
    folder file) and remove it; True when there was one. A passphrase in the environment wins
    as before, and the old file is then removed unread."""
    legacy = home / LEGACY_FILE
    value = read_file(legacy)
    if value is None:
        return False
    if not os.environ.get(PASSPHRASE_ENV):
        name = secret_id(home, create=True) or ""
        stored = find_secret(home)
        if stored is None:
            stored = _keep(name, value)
        if stored != value:  # a different secret is kept already: keep both, say so
            raise KeyStoreError(f"{legacy} and the kept secret {where_looked(home)} differ; "
                                "move one away by hand", "key_conflict")
    legacy.unlink()
    return True


def save_key(home: Path, key: Ed25519PrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(wrapping_secret(home, create=True)),
    )
    _write_private(home / KEY_FILE, pem)


def load_key(home: Path) -> Ed25519PrivateKey:
    path = home / KEY_FILE
    try:
        pem = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyStoreError(f"no terminal key at {path}; enroll first",
                            reason="not_enrolled") from exc
    try:
        key = serialization.load_pem_private_key(pem, password=wrapping_secret(home))
    except (ValueError, TypeError) as exc:
        raise KeyStoreError(f"cannot decrypt {path}: wrong passphrase or damaged file") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyStoreError(f"{path} does not hold an Ed25519 key")
    return key

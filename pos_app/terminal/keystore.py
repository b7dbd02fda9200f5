"""The terminal's Ed25519 signing key at rest: HOME/terminal.key, encrypted (PKCS#8 PEM with
`BestAvailableEncryption`), as PROTOCOL.md specifies.

The wrapping secret comes from `WALLETPOS_KEY_PASSPHRASE` when set (a deployment can feed it
from the OS keyring or a secrets manager), else from HOME/.wrapping-key, created once with
32 random bytes and mode 0600. Files are written atomically (temp file, fsync, rename) so a
crash mid-write never leaves a half key that would make every later entry unsignable.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.errors import WalletError

KEY_FILE = "terminal.key"
WRAPPING_FILE = ".wrapping-key"
PASSPHRASE_ENV = "WALLETPOS_KEY_PASSPHRASE"


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


def wrapping_secret(home: Path, *, create: bool = False) -> bytes:
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env.encode("utf-8")
    path = home / WRAPPING_FILE
    if path.exists():
        return path.read_bytes().strip()
    if not create:
        raise KeyStoreError(f"no key passphrase: set {PASSPHRASE_ENV} or restore {path}")
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=")
    _write_private(path, secret)
    return secret


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

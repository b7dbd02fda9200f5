"""Central's Ed25519 signing key: made once by `central init`, kept in `central_keys`, used to
sign change pages and card credentials. The key id is the first 4 characters of
base64url(SHA-256(raw public key)), per PROTOCOL.md (4 at most so a WP1 credential fits the
120-byte QR budget).

At rest the private key is encrypted PKCS#8 (`BestAvailableEncryption`, the terminal key's
format) under a secret that lives outside the database (`key_secret`: an environment
variable, a secret file, the OS keyring). A database from before that holds the raw 32 bytes;
`seal_plain_keys` encrypts those on the next `central init` or start. Without the secret a
copied database cannot sign: `load_central_key` raises `KeyUnavailable`, and `central serve`
says so and exits 2.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import WalletError
from core.keys import (
    b64,
    key_id,
    new_private_key,
    private_from_bytes,
    public_bytes,
)
from wallet_sync.central import key_secret
from wallet_sync.central.key_secret import Secret
from wallet_sync.central.tables import CentralKey

RAW_KEY_BYTES = 32  # what a database from before encryption holds


class KeyUnavailable(WalletError):
    """Central's signing key cannot be decrypted here: no secret, or not the right one."""

    reason = "key_unavailable"


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return public_bytes(self.private)

    def sign(self, data: bytes) -> str:
        return b64(self.private.sign(data))


def key_id_for(public_raw: bytes) -> str:
    return key_id(public_raw)


def ensure_central_key(session: Session) -> tuple[SigningKey, bool, str]:
    """The active key, creating one if there is none; whether it was created, and where its
    secret is kept (`key_secret.Secret.where`)."""
    sealed = seal_plain_keys(session)
    existing = _active_row(session)
    if existing is not None:
        key, secret = _unwrap(existing)
        return key, False, sealed.get(existing.key_id, secret.where)
    private = new_private_key()
    raw = public_bytes(private)
    secret = key_secret.create_secret(key_secret.secret_name(raw))
    session.add(CentralKey(key_id=key_id_for(raw), private_key=_wrap(private, secret),
                           public_key=raw, active=True, created_at=int(time.time())))
    session.flush()
    return SigningKey(key_id_for(raw), private), True, secret.where


def load_central_key(session: Session) -> SigningKey | None:
    """The active key, decrypted; None when central has none yet (KeyUnavailable when it
    cannot be decrypted here)."""
    row = _active_row(session)
    return _unwrap(row)[0] if row is not None else None


def seal_plain_keys(session: Session) -> dict[str, str]:
    """Encrypt every key a database from before encryption holds in the clear (inside the
    caller's write transaction, rows locked); key id -> where its new secret is kept."""
    rows = session.scalars(select(CentralKey).with_for_update()).all()
    sealed: dict[str, str] = {}
    for row in rows:
        if len(row.private_key) == RAW_KEY_BYTES:
            secret = key_secret.create_secret(key_secret.secret_name(row.public_key))
            row.private_key = _wrap(private_from_bytes(row.private_key), secret)
            sealed[row.key_id] = secret.where
    session.flush()
    return sealed


def has_plain_keys(session: Session) -> bool:
    rows = session.scalars(select(CentralKey.private_key)).all()
    return any(len(data) == RAW_KEY_BYTES for data in rows)


# ---- internals --------------------------------------------------------------------------

def _active_row(session: Session) -> CentralKey | None:
    return session.scalars(
        select(CentralKey).where(CentralKey.active.is_(True)).order_by(CentralKey.created_at)
    ).first()


def _wrap(private: Ed25519PrivateKey, secret: Secret) -> bytes:
    return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.BestAvailableEncryption(secret.value))


def _unwrap(row: CentralKey) -> tuple[SigningKey, Secret]:
    if len(row.private_key) == RAW_KEY_BYTES:  # not sealed yet (`seal_plain_keys`)
        return SigningKey(row.key_id, private_from_bytes(row.private_key)), Secret(b"", "none")
    candidates = key_secret.find_secrets(key_secret.secret_name(row.public_key))
    for secret in candidates:
        try:
            private = serialization.load_pem_private_key(row.private_key, secret.value)
        except (ValueError, TypeError):
            continue  # not this one
        if isinstance(private, Ed25519PrivateKey) and public_bytes(private) == row.public_key:
            return SigningKey(row.key_id, private), secret
    tried = ", ".join(s.where for s in candidates) or "none found"
    raise KeyUnavailable(
        f"central's signing key {row.key_id} is encrypted and its secret is not here "
        f"(tried: {tried}). Set {key_secret.PASSPHRASE_ENV} or {key_secret.FILE_ENV}, or run "
        f"central as the OS user whose keyring or config folder "
        f"({key_secret.config_file(key_secret.secret_name(row.public_key)).parent}) holds it.")

"""Central's Ed25519 signing key: made once by `central init`, kept in `central_keys`, used to
sign change pages and card credentials. The key id is the first 4 characters of
base64url(SHA-256(raw public key)), per PROTOCOL.md (4 at most so a WP1 credential fits the
120-byte QR budget)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.keys import (
    b64,
    key_id,
    new_private_key,
    private_bytes,
    private_from_bytes,
    public_bytes,
)
from wallet_sync.central.tables import CentralKey


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


def ensure_central_key(session: Session) -> tuple[SigningKey, bool]:
    """The active key, creating one if there is none; the flag says whether it was created."""
    existing = load_central_key(session)
    if existing is not None:
        return existing, False
    private = new_private_key()
    raw = public_bytes(private)
    session.add(CentralKey(key_id=key_id_for(raw), private_key=private_bytes(private),
                           public_key=raw, active=True, created_at=int(time.time())))
    session.flush()
    return SigningKey(key_id_for(raw), private), True


def load_central_key(session: Session) -> SigningKey | None:
    row = session.scalars(
        select(CentralKey).where(CentralKey.active.is_(True)).order_by(CentralKey.created_at)
    ).first()
    if row is None:
        return None
    return SigningKey(row.key_id, private_from_bytes(row.private_key))

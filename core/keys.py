"""Ed25519 key handling shared by terminal and central: raw-bytes encodings for the wire, and
cached public-key objects because loading a key costs more than verifying with it (central
verifies thousands of entries a second from a handful of terminals)."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.errors import InvalidInput


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_bytes(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def private_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


@lru_cache(maxsize=4096)
def public_from_bytes(raw: bytes) -> Ed25519PublicKey:
    if not isinstance(raw, bytes) or len(raw) != 32:
        raise InvalidInput("an Ed25519 public key is 32 bytes", reason="invalid_key")
    return Ed25519PublicKey.from_public_bytes(raw)


# A key id names a signing key inside a `WP1:` credential, which must stay within 120 bytes:
# 4 characters of base64url SHA-256 (24 bits) tell a handful of issuer keys apart.
KEY_ID_LENGTH = 4


def key_id(public_raw: bytes) -> str:
    """The short id of a public key, the same on central, terminal and scanner."""
    return b64(hashlib.sha256(public_raw).digest())[:KEY_ID_LENGTH]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str) -> bytes:
    if not isinstance(text, str) or len(text) > 1_000_000:
        raise InvalidInput("expected base64url text", reason="invalid_input")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise InvalidInput("not valid base64url", reason="invalid_input") from exc


def verify(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True

"""Keys for central's own data at rest, derived (HKDF-SHA256) from central's signing key, which
the database holds only encrypted under a secret kept elsewhere (`keys.py`, `key_secret.py`).
Whoever holds only a copy of the database holds none of these:

- `seal`/`open`: a secret central must use again later (a webhook endpoint's signing secret),
  AES-256-GCM with the row's id as associated data (a sealed value cannot move to another row);
- `token`/`token_ok`: an HMAC-SHA256 tag for a link central mails out (an unsubscribe link), so
  the link proves itself without a table of tokens.

Each use has its own HKDF `info` (the terminal's `pos_app.terminal.data_keys` does the same).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wallet_sync.central.keys import SigningKey

SALT = b"walletpos-central-data-keys-v1"
SEALED_PREFIX = "s1:"


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=purpose).derive(secret)


class DataKeys:
    def __init__(self, key: SigningKey) -> None:
        raw = key.private.private_bytes(serialization.Encoding.Raw,
                                        serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
        self._seal = AESGCM(_derive(raw, b"sealed-secrets"))
        self._links = _derive(raw, b"mailed-links")

    def seal(self, row_id: str, value: str) -> str:
        nonce = os.urandom(12)
        sealed = self._seal.encrypt(nonce, value.encode("utf-8"), row_id.encode("utf-8"))
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, row_id: str, sealed: str) -> str | None:
        """The value inside, or None when this key did not seal it for this row."""
        if not sealed.startswith(SEALED_PREFIX):
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX):])
            return self._seal.decrypt(raw[:12], raw[12:], row_id.encode("utf-8")).decode()
        except (ValueError, InvalidTag, UnicodeDecodeError):
            return None

    def token(self, message: str) -> str:
        tag = hmac.new(self._links, message.encode("utf-8"), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(tag).decode("ascii")

    def token_ok(self, message: str, token: str) -> bool:
        return hmac.compare_digest(self.token(message), token)

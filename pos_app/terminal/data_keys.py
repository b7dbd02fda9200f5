"""Keys for the terminal's data at rest, derived (HKDF-SHA256) from the secret that wraps the
signing key (`keystore`), so whoever holds only `terminal.db` holds none of them:

- `seal_pin`/`open_pin`: a staff member's argon2 PIN hash as central sent it, AES-256-GCM
  sealed with the staff id as associated data (a sealed hash cannot be moved to another
  person's row). A copied database alone allows no offline PIN guessing.
- `lockout_mac`: an HMAC over the login lockout state (failures, locked-until), so editing the
  row does not reset it (`staff_login`).
- `seal_pool`/`open_pool`: a code of the code pool with its QR credential, AES-256-GCM sealed
  under the code's `card_id` (the row's key), so issuing and reprinting a batch still have the
  plain code and QR, and the file alone has neither.
- `card_id`: a card code as the replica stores it, HMAC-SHA256 truncated to 128 bits, so the
  replica hands out no spendable codes; a typed or scanned code is hashed and looked up by the
  same index as before.

Each key has its own HKDF `info`; changing one purpose never touches another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SALT = b"walletpos-terminal-data-keys-v1"
SEALED_PREFIX = "s1:"  # a sealed PIN hash; a plain one starts with "$argon2"
CARD_PREFIX = "h:"  # a hashed card code; no code pattern has a ':' (core.codes)


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=purpose).derive(secret)


class DataKeys:
    def __init__(self, secret: bytes) -> None:
        self._pin = AESGCM(_derive(secret, b"staff-pin-hash"))
        self._lockout = _derive(secret, b"login-lockout")
        # Keyed once; each code copies it (half the cost of hmac.new per code, and a
        # bootstrap hashes a million of them).
        self._card = hmac.new(_derive(secret, b"card-code"), digestmod=hashlib.sha256)
        self._pool = AESGCM(_derive(secret, b"code-pool"))

    # ---- PIN hashes -------------------------------------------------------------------------

    def seal_pin(self, staff_id: str, pin_hash: str) -> str:
        if pin_hash.startswith(SEALED_PREFIX):
            return pin_hash  # sealed already (a page applied twice, a start-up re-run)
        nonce = os.urandom(12)
        sealed = self._pin.encrypt(nonce, pin_hash.encode("utf-8"), staff_id.encode("utf-8"))
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open_pin(self, staff_id: str, sealed: str) -> str | None:
        """The argon2 hash inside, or None when the row is not one this key sealed for this
        person (edited, moved, or a plain hash written into the file by hand)."""
        if not sealed.startswith(SEALED_PREFIX):
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX):])
            return self._pin.decrypt(raw[:12], raw[12:], staff_id.encode("utf-8")).decode()
        except (ValueError, InvalidTag, UnicodeDecodeError):
            return None

    # ---- lockout ----------------------------------------------------------------------------

    def lockout_mac(self, failures: int, locked_until_ms: int) -> str:
        message = f"login-lockout:{failures}:{locked_until_ms}".encode("ascii")
        return hmac.new(self._lockout, message, hashlib.sha256).hexdigest()

    def lockout_ok(self, failures: int, locked_until_ms: int, mac: str | None) -> bool:
        return mac is not None and hmac.compare_digest(
            self.lockout_mac(failures, locked_until_ms), mac)

    # ---- card codes -------------------------------------------------------------------------

    def card_id(self, code: str) -> str:
        # Always hashed, even text that looks like an id: a stolen id must not look a card up.
        mac = self._card.copy()
        mac.update(code.encode("utf-8"))
        return CARD_PREFIX + mac.hexdigest()[:32]

    # ---- the code pool ----------------------------------------------------------------------

    def seal_pool(self, code: str, qr: str) -> str:
        if qr.startswith(SEALED_PREFIX):
            return qr  # sealed already
        nonce = os.urandom(12)
        plain = json.dumps({"code": code, "qr": qr}, separators=(",", ":")).encode("utf-8")
        sealed = self._pool.encrypt(nonce, plain, self.card_id(code).encode("ascii"))
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open_pool(self, card_id: str, sealed: str) -> tuple[str, str] | None:
        """(code, QR credential) of a pool row stored under CARD_ID, or None when the row is
        not one this key sealed there."""
        if not sealed.startswith(SEALED_PREFIX):
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX):])
            found = json.loads(self._pool.decrypt(raw[:12], raw[12:], card_id.encode("ascii")))
            return str(found["code"]), str(found["qr"])
        except (ValueError, InvalidTag, KeyError, TypeError):
            return None

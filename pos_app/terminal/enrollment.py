"""Enrollment: turning an empty HOME into a terminal central knows, and reading that identity
back.

The key pair is made here, locally; only the public key leaves the machine. Central answers
with the terminal id, the store, its own public key (which from then on is the only key change
pages are accepted under) and the terminal configuration. The identity lives in the store's
meta table; the private key in the keystore.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import text

from core.errors import InvalidInput, WalletError
from core.keys import key_id, new_private_key, public_bytes, public_from_bytes, unb64
from core.text_input import check_text
from pos_app.terminal import keystore, lockout
from pos_app.terminal.database import TerminalDB, now_ms
from wallet_sync.client import CentralClient
from wallet_sync.protocol import TerminalConfig


class NotEnrolled(WalletError):
    reason = "not_enrolled"


@dataclass(frozen=True)
class Identity:
    terminal_id: str
    store_id: str
    central_url: str
    central_key: Ed25519PublicKey
    central_key_id: str
    config: TerminalConfig


def check_central_url(url: str) -> str:
    check_text(url, "central URL", 2048)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"not an http(s) URL: {url[:80]!r}", reason="invalid_url")
    return url.rstrip("/")


IDENTITY_KEYS = ("terminal_id", "store_id", "central_url", "central_public_key", "config")


def load_identity(store: TerminalDB) -> Identity:
    # One query for the five values: every redemption and sync reads the identity, often more
    # than once, so it is a noticeable share of a terminal's SQLite round trips.
    with store.read() as conn:
        rows = conn.execute(text("SELECT key, value FROM meta WHERE key IN "
                                 "('terminal_id', 'store_id', 'central_url', "
                                 "'central_public_key', 'config')")).all()
    values = dict(rows)
    if any(values.get(k) is None for k in IDENTITY_KEYS):
        raise NotEnrolled("this terminal is not enrolled; run `walletpos terminal enroll`")
    return _identity(*(str(values[k]) for k in IDENTITY_KEYS))


@lru_cache(maxsize=16)
def _identity(terminal_id: str, store_id: str, central_url: str, central_public_key: str,
              config: str) -> Identity:
    """Parsed once per distinct set of stored values (the Identity is immutable)."""
    raw = unb64(central_public_key)
    return Identity(
        terminal_id=terminal_id,
        store_id=store_id,
        central_url=central_url,
        central_key=public_from_bytes(raw),
        central_key_id=key_id(raw),
        config=TerminalConfig.model_validate_json(config),
    )


def enroll(store: TerminalDB, central_url: str, code: str, *, name: str | None = None,
           transport: httpx.BaseTransport | None = None) -> Identity:
    """Enroll with a one-time code; raises if already enrolled or central refuses."""
    url = check_central_url(central_url)
    check_text(code, "enrollment code", 64)
    check_text(name, "terminal name", 80)
    if store.meta("terminal_id") is not None:
        raise WalletError("this HOME already holds an enrolled terminal",
                          reason="already_enrolled")
    key: Ed25519PrivateKey = new_private_key()
    with CentralClient(url, transport=transport) as client:
        answer = client.enroll(code.strip(), public_bytes(key), name)
    central_raw = unb64(answer.central_public_key)
    public_from_bytes(central_raw)  # refuse a malformed central key now, not at first pull
    # Key first, then identity: a crash between the two leaves "not enrolled" (re-enroll with a
    # new code), never an identity whose key is missing.
    keystore.save_key(store.home, key)
    with store.write() as conn:
        store.set_meta(conn, "terminal_id", answer.terminal_id)
        store.set_meta(conn, "store_id", answer.store)
        store.set_meta(conn, "central_url", url)
        store.set_meta(conn, "central_public_key", answer.central_public_key)
        store.set_meta(conn, "config", json.dumps(answer.config.model_dump(mode="json")))
        store.set_meta(conn, "acked_seq", 0)
        store.set_meta(conn, "cursor", 0)
        store.set_meta(conn, "enrolled_ms", now_ms())
        lockout.anchor(conn, store.data_keys())  # the login lockout's first signed state
        # A new terminal's replica is empty: nothing from before issue 13 to hash at next start.
        conn.execute(text("DELETE FROM meta WHERE key = 'secrets_pending'"))
    return load_identity(store)

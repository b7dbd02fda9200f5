"""Admin API keys: `wpk_` + 32 random bytes base64url, stored only as SHA-256 (a high-entropy
secret needs no slow hash), presented as `Authorization: Bearer`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.keys import b64
from wallet_sync.central.errors import Forbidden, Unauthenticated
from wallet_sync.central.tables import ApiKey

PREFIX = "wpk_"
ADMIN = "admin"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(session: Session, scope: str = ADMIN) -> str:
    key = PREFIX + b64(secrets.token_bytes(32))
    session.add(ApiKey(key_hash=hash_key(key), scope=scope, revoked=False,
                       created_at=int(time.time())))
    session.flush()
    return key


def check_bearer(session: Session, authorization: str | None, scope: str = ADMIN) -> int:
    """Return the key's row id, or raise Unauthenticated (Forbidden without the scope). Looks
    up by hash, then compares in constant time."""
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthenticated("unauthorized", "an admin key is required (Authorization: Bearer)")
    key = authorization[len("Bearer "):].strip()
    if not key.startswith(PREFIX) or len(key) > 100:
        raise Unauthenticated("unauthorized", "admin key not recognised")
    digest = hash_key(key)
    row = session.scalars(select(ApiKey).where(ApiKey.key_hash == digest)).first()
    if row is None or row.revoked or not hmac.compare_digest(row.key_hash, digest):
        raise Unauthenticated("unauthorized", "admin key not recognised")
    if row.scope != scope:
        raise Forbidden("forbidden", f"this key lacks the {scope} scope")
    return row.id

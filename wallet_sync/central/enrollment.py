"""Terminal enrollment: one-time codes (8 Crockford base32 characters shown `XXXX-XXXX`, valid
15 minutes, stored as SHA-256) made by an admin for a store, and `POST /v1/enroll` which spends a
code on a terminal public key and answers with the terminal id, store and central's key."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.codes import ALPHABET
from core.errors import InvalidInput
from core.journal import GENESIS_HASH
from core.keys import b64, public_from_bytes, unb64
from wallet_sync.central.db import rows_changed
from wallet_sync.central.errors import Forbidden, Invalid, StateConflict
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.stores import ensure_store
from wallet_sync.central.tables import EnrollCode, Terminal
from wallet_sync.protocol import EnrollRequest, EnrollResponse, TerminalConfig

CODE_TTL_S = 15 * 60
_ALIASES = {"O": "0", "I": "1", "L": "1"}


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def _compact(code: str) -> str:
    text = "".join(ch for ch in code.strip().upper() if ch not in " -_.")
    return "".join(_ALIASES.get(ch, ch) for ch in text)


def _hash(code: str) -> str:
    return hashlib.sha256(_compact(code).encode("ascii", "replace")).hexdigest()


def create_code(session: Session, store: str, now: int) -> dict[str, Any]:
    store = store.strip()
    if not store or not store.isprintable():
        raise Invalid("invalid_store", "store id must be printable text")
    ensure_store(session, store, now)
    raw = _random(8)
    session.add(EnrollCode(code_hash=_hash(raw), store=store, expires_at=now + CODE_TTL_S,
                           created_at=now))
    session.flush()
    return {"code": f"{raw[:4]}-{raw[4:]}", "expires_at": now + CODE_TTL_S, "store": store}


def enroll(session: Session, request: EnrollRequest, key: SigningKey, now: int
           ) -> EnrollResponse:
    try:
        raw_key = unb64(request.public_key)
        public_from_bytes(raw_key)
    except (InvalidInput, ValueError) as exc:
        raise Invalid("invalid_key", "public_key must be a base64url Ed25519 key") from exc
    row = session.get(EnrollCode, _hash(request.code))
    if row is None:
        raise Forbidden("invalid_enroll_code", "unknown enrollment code")
    if row.used_at is not None:
        raise Forbidden("enroll_code_used", "this enrollment code was already used")
    if now >= row.expires_at:
        raise Forbidden("enroll_code_expired", "this enrollment code has expired")
    terminal_id = "T-" + _random(8)
    # Conditional update: of two concurrent enrollments with one code, exactly one wins.
    won = rows_changed(session.execute(
        update(EnrollCode).where(EnrollCode.code_hash == row.code_hash,
                                 EnrollCode.used_at.is_(None))
        .values(used_at=now, terminal_id=terminal_id)
    ))
    if won != 1:
        raise Forbidden("enroll_code_used", "this enrollment code was already used")
    try:
        with session.begin_nested():
            session.add(Terminal(id=terminal_id, store=row.store, name=request.name,
                                 public_key=raw_key, status="active", last_seq=0,
                                 last_hash=GENESIS_HASH, enrolled_at=now))
    except IntegrityError as exc:
        raise StateConflict("key_in_use", "this public key is already enrolled") from exc
    return EnrollResponse(terminal_id=terminal_id, store=row.store,
                          central_public_key=b64(key.public_raw), config=TerminalConfig())

"""Console sessions: a random token in an HttpOnly, SameSite=Strict cookie; central keeps only
its SHA-256 with the user, a CSRF token for the session's forms, and two expiries: after
`IDLE_SECONDS` without a request and `MAX_SECONDS` after sign-in, whichever comes first. Logout
ends the row; an ended or expired session is never revived."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from wallet_sync.central.office.users import User, user_of
from wallet_sync.central.tables import OfficeSession, OfficeUser

IDLE_SECONDS = 30 * 60
MAX_SECONDS = 8 * 3600
TOKEN_BYTES = 32


@dataclass(frozen=True)
class Signed:
    """A live session: who, and the CSRF token its forms carry."""

    user: User
    csrf: str
    token_hash: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(session: Session, user: User, now: int) -> tuple[str, Signed]:
    """A new session for USER: (the cookie's token, the session)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = OfficeSession(token_hash=digest(token), user_id=user.id,
                        csrf=secrets.token_urlsafe(TOKEN_BYTES), created_at=now, last_seen=now,
                        expires_at=now + MAX_SECONDS, ended_at=None)
    session.add(row)
    session.flush()
    return token, Signed(user, row.csrf, row.token_hash)


def find(session: Session, token: str | None, now: int) -> Signed | None:
    """The live session for a cookie's token (its idle clock restarted), else None."""
    if not token or len(token) > 100:
        return None
    row = session.get(OfficeSession, digest(token))
    if row is None or row.ended_at is not None or row.expires_at <= now \
            or row.last_seen + IDLE_SECONDS <= now:
        return None
    user = session.get(OfficeUser, row.user_id)
    if user is None or not user.active:
        return None
    if now > row.last_seen:
        row.last_seen = now
    return Signed(user_of(user), row.csrf, row.token_hash)


def end(session: Session, token_hash: str, now: int) -> None:
    session.execute(update(OfficeSession).where(OfficeSession.token_hash == token_hash,
                                                OfficeSession.ended_at.is_(None))
                    .values(ended_at=now))

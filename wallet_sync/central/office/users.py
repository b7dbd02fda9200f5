"""Console users: creating one (`walletpos admin create-user`), checking a password with a
lockout, and the user's language.

Passwords are argon2id hashes (argon2-cffi's PasswordHasher, as the staff PINs). After
`MAX_FAILURES` wrong passwords in a row an account is locked for `LOCK_SECONDS`; a right password
while locked is refused too (it would tell an attacker they guessed it). An unknown username
costs the same hash as a known one, so timing does not tell which names exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from wallet_sync.central.errors import (
    Forbidden,
    Invalid,
    Refusal,
    StateConflict,
    Unauthenticated,
)
from wallet_sync.central.office import audit
from wallet_sync.central.office.roles import ROLES
from wallet_sync.central.tables import OfficeUser

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
MIN_PASSWORD = 12
LANGUAGES = ("", "en", "ja")
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password anyone has")


class CreateUserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    username: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=80)
    role: str = Field(max_length=16)
    password: str = Field(min_length=1, max_length=256)
    language: str = Field(default="", max_length=8)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    role: str
    language: str


def user_of(row: OfficeUser) -> User:
    return User(row.id, row.username, row.name, row.role, row.language)


def _printable(text: str) -> bool:
    return bool(text.strip()) and not any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def create_user(session: Session, req: CreateUserRequest, now: int, actor: str
                ) -> dict[str, Any]:
    username = req.username.strip().lower()
    if req.role not in ROLES:
        raise Invalid("invalid_role", f"role must be one of {', '.join(ROLES)}")
    if not username.isascii() or not all(ch.isalnum() or ch in "._-" for ch in username):
        raise Invalid("invalid_username", "a username is letters, digits, '.', '_' or '-'")
    if not _printable(req.name):
        raise Invalid("invalid_name", "a name is printable text")
    if len(req.password) < MIN_PASSWORD:
        raise Invalid("weak_password", f"a password has at least {MIN_PASSWORD} characters")
    if req.language not in LANGUAGES:
        raise Invalid("invalid_language", "language is en, ja or empty (the browser's)")
    if session.scalar(select(OfficeUser.id).where(OfficeUser.username == username)):
        raise StateConflict("user_exists", f"user {username} exists")
    row = OfficeUser(username=username, name=req.name.strip(), role=req.role,
                     password_hash=_hasher.hash(req.password), language=req.language,
                     active=True, failed_logins=0, locked_until=None, created_at=now)
    session.add(row)
    session.flush()
    view = {"id": row.id, "username": row.username, "name": row.name, "role": row.role,
            "language": row.language}
    audit.record(session, actor=actor, role="api", action="user_created", at=now,
                 target=f"user:{username}", after=view)
    return view


def authenticate(session: Session, username: str, password: str, now: int
                 ) -> User | Refusal:
    """The user, or the refusal (Unauthenticated `bad_login`, Forbidden `locked`) RETURNED,
    not raised: a failure's count and its audit row must commit with the transaction."""
    name = username.strip().lower()[:64]
    row = session.scalars(select(OfficeUser).where(OfficeUser.username == name)
                          .with_for_update()).first()
    if row is None or not row.active:
        _verify(_DUMMY, password)
        audit.record(session, actor=name or "-", role="-", action="login_failed", at=now,
                     reason="unknown_user" if row is None else "inactive")
        return Unauthenticated("bad_login", "wrong username or password")
    if row.locked_until is not None and row.locked_until > now:
        audit.record(session, actor=name, role=row.role, action="login_refused", at=now,
                     reason="locked")
        return Forbidden("locked", "too many failed logins; try again later",
                        until=row.locked_until)
    if not _verify(row.password_hash, password):
        row.failed_logins += 1
        locked = row.failed_logins >= MAX_FAILURES
        if locked:
            row.locked_until, row.failed_logins = now + LOCK_SECONDS, 0
        audit.record(session, actor=name, role=row.role, action="login_failed", at=now,
                     reason="locked" if locked else "bad_password")
        if locked:
            return Forbidden("locked", "too many failed logins; try again later",
                            until=row.locked_until)
        return Unauthenticated("bad_login", "wrong username or password")
    row.failed_logins, row.locked_until = 0, None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    audit.record(session, actor=name, role=row.role, action="login", at=now)
    return user_of(row)


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


def set_language(session: Session, user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise Invalid("invalid_language", "language is en, ja or empty")
    row = session.get(OfficeUser, user_id)
    if row is not None:
        row.language = language

"""Marketing consent per channel, with double opt-in.

Consent is insert-only history (`consents`): the newest row of a (customer, channel) is in
force, each with its time and source, so what was allowed when can always be shown. Granting
takes two steps: `request` makes a one-time token (only its SHA-256 is kept; valid 7 days) for
a channel the customer has a contact for, and only `confirm` with that token records the
consent (the double opt-in a newsletter needs). `withdraw` records the withdrawal at once, and
`marketing_allowed` — the one check every sender must call — reads the newest row in the same
database, so a withdrawal stops marketing from the next send on.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wallet_sync.central.db import rows_changed
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.tables import Consent, ConsentToken, CustomerProfile, Member

# channel -> the contact field it needs (push: none; the retailer's push provider addresses the
# customer's devices by the member code)
CHANNELS: dict[str, str | None] = {"email": "email", "sms": "phone", "push": None}
TOKEN_TTL_S = 7 * 86400
MAX_SOURCE = 64


def _channel(channel: Any) -> str:
    if channel not in CHANNELS:
        raise Invalid("invalid_channel", f"channel is one of {', '.join(sorted(CHANNELS))}")
    return str(channel)


def _source(source: Any) -> str:
    if not isinstance(source, str) or not 1 <= len(source.strip()) <= MAX_SOURCE:
        raise Invalid("invalid_source", "source: 1 to 64 characters (where consent came from)")
    return source.strip()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request(session: Session, code: str, channel: Any, source: Any, now: int
            ) -> dict[str, Any]:
    """Start a double opt-in: a one-time token the caller sends to the customer's contact."""
    channel, source = _channel(channel), _source(source)
    member = session.get(Member, code)
    if member is None or member.erased_at is not None:
        raise NotFound("unknown_member", "no such customer")
    profile = session.get(CustomerProfile, code)
    contact = CHANNELS[channel]
    if contact is not None and (profile is None or not getattr(profile, contact)):
        raise StateConflict("no_contact", f"the customer has no {contact} for {channel}")
    token = secrets.token_urlsafe(24)
    session.add(ConsentToken(token_hash=_hash(token), member=code, channel=channel,
                             source=source, created_at=now, expires_at=now + TOKEN_TTL_S))
    session.flush()
    return {"customer": code, "channel": channel, "token": token,
            "expires_at": now + TOKEN_TTL_S, "status": "pending"}


def confirm(session: Session, token: Any, now: int) -> dict[str, Any]:
    """The token came back: consent is granted now (once; a used or expired token is
    refused)."""
    if not isinstance(token, str) or not 1 <= len(token) <= 128:
        raise Invalid("invalid_token", "a consent token")
    row = session.get(ConsentToken, _hash(token), with_for_update=True)
    if row is None:
        raise NotFound("unknown_token", "no such consent token")
    if row.used_at is not None:
        raise StateConflict("token_used", "this consent token was already confirmed")
    if row.expires_at <= now:
        raise StateConflict("token_expired", "this consent token has expired: request again")
    # Conditional, so two confirmations racing record one consent.
    done = rows_changed(session.execute(update(ConsentToken).where(
        ConsentToken.token_hash == row.token_hash, ConsentToken.used_at.is_(None))
        .values(used_at=now)))
    if not done:
        raise StateConflict("token_used", "this consent token was already confirmed")
    session.add(Consent(member=row.member, channel=row.channel, status="granted", at=now,
                        source=f"double_opt_in:{row.source}"[:MAX_SOURCE]))
    session.flush()
    return {"customer": row.member, "channel": row.channel, "status": "granted", "at": now}


def withdraw(session: Session, code: str, channel: Any, source: Any, now: int
             ) -> dict[str, Any]:
    """Withdraw consent for CHANNEL now (recorded even when none was given: the wish is)."""
    channel, source = _channel(channel), _source(source)
    if session.get(Member, code) is None:
        raise NotFound("unknown_member", "no such customer")
    session.add(Consent(member=code, channel=channel, status="withdrawn", at=now,
                        source=source))
    session.flush()
    return {"customer": code, "channel": channel, "status": "withdrawn", "at": now}


def current(session: Session, code: str) -> dict[str, dict[str, Any]]:
    """Per channel: the consent in force {status, at, source}; channels never asked are
    `none`."""
    out: dict[str, dict[str, Any]] = {c: {"status": "none", "at": None, "source": None}
                                      for c in sorted(CHANNELS)}
    for row in session.scalars(select(Consent).where(Consent.member == code)
                               .order_by(Consent.id)):
        out[row.channel] = {"status": row.status, "at": row.at, "source": row.source}
    pending = session.scalars(select(ConsentToken.channel).where(
        ConsentToken.member == code, ConsentToken.used_at.is_(None))).all()
    for channel in pending:
        if out[channel]["status"] != "granted":
            out[channel]["pending"] = True
    return out


def history(session: Session, code: str) -> list[dict[str, Any]]:
    return [{"channel": r.channel, "status": r.status, "at": r.at, "source": r.source}
            for r in session.scalars(select(Consent).where(Consent.member == code)
                                     .order_by(Consent.id))]


def marketing_allowed(session: Session, code: str, channel: str) -> bool:
    """Whether a marketing message may go to CODE on CHANNEL now: the newest consent is a
    grant, the customer is not erased and still has the contact. Every sender calls this."""
    if channel not in CHANNELS:
        return False
    member = session.get(Member, code)
    if member is None or member.erased_at is not None:
        return False
    newest = session.scalars(select(Consent.status).where(
        Consent.member == code, Consent.channel == channel)
        .order_by(Consent.id.desc()).limit(1)).first()
    if newest != "granted":
        return False
    contact = CHANNELS[channel]
    if contact is None:
        return True
    profile = session.get(CustomerProfile, code)
    return profile is not None and bool(getattr(profile, contact))

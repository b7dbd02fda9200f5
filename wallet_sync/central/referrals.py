"""Referral on central (`core.rules.referral`): a member's code to give friends, the friend
registered with it, and the reward of both at the friend's first purchase — once, within the
referrer's limit.

- `code_for` makes a member's code on first ask (`R` and 7 of Crockford's base 32), kept in
  `referral_codes`.
- `record`: a customer created with `referred_by` gets a `referrals` row (the friend is its
  key, so a friend is referred once; a member cannot refer themself).
- `purchases`: ingest calls it with the batch's applied entries; a referred friend's first
  purchase (an earn with the visit, of at least `min_order`) stamps `purchased_at` — a
  conditional UPDATE, so two batches never both count it — and queues a `referral` job.
- `run_job` (the jobs' worker, its own transaction): the friend's actions, and the referrer's
  while they have been rewarded for fewer than `max_per_referrer` friends; `rewarded_at` and
  `outcome` record it. Actions are the triggers' (`triggers.run_actions`), named
  `referral:<friend>:<side>`, so a retried job does nothing twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.journal import EntryBody
from wallet_sync.central import jobs, members
from wallet_sync.central.db import rows_changed
from wallet_sync.central.errors import Invalid, NotFound
from wallet_sync.central.jobs import Taken
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.referral_definition import definition
from wallet_sync.central.tables import Member, ReferralCode
from wallet_sync.central.tables import Referral as ReferralRow
from wallet_sync.central.triggers import run_actions

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32


def code_for(session: Session, member_text: str, now: int) -> dict[str, Any]:
    code = members.find(session, member_text)
    existing = session.scalar(select(ReferralCode.code).where(ReferralCode.member == code))
    if existing is None:
        while True:
            existing = "R" + "".join(secrets.choice(ALPHABET) for _ in range(7))
            if session.get(ReferralCode, existing) is None:
                break
        session.add(ReferralCode(code=existing, member=code, created_at=now))
        session.flush()
    return {"customer": code, "referral_code": existing}


def record(session: Session, friend: str, referral_code: Any, now: int) -> None:
    """FRIEND (just created) was referred with REFERRAL_CODE."""
    text = referral_code.strip().upper() if isinstance(referral_code, str) else ""
    row = session.get(ReferralCode, text) if 1 <= len(text) <= 16 else None
    if row is None:
        raise NotFound("unknown_referral_code", "no such referral code")
    if row.member == friend:
        raise Invalid("self_referral", "a customer cannot refer themself")
    session.add(ReferralRow(friend=friend, referrer=row.member, created_at=now))
    session.flush()


def purchases(session: Session, applied: Sequence[tuple[EntryBody, str]], now: int) -> None:
    """The first purchase of referred friends in this pushed batch: stamped and queued."""
    visits = {b.card: b for b, status in applied if status == "applied" and b.op == "earn"
              and b.card and b.extra.get("visit") is True}
    if not visits:
        return
    pending = session.scalars(select(ReferralRow.friend).where(
        ReferralRow.friend.in_(sorted(visits)), ReferralRow.purchased_at.is_(None))).all()
    if not pending:
        return
    rules = definition(session)
    for friend in pending:
        total = visits[friend].extra.get("order_total")
        if rules is not None and rules.min_order is not None and not (
                isinstance(total, int) and total >= rules.min_order):
            continue
        if rows_changed(session.execute(update(ReferralRow).where(
                ReferralRow.friend == friend, ReferralRow.purchased_at.is_(None))
                .values(purchased_at=now))):
            jobs.add(session, "referral", f"referral:{friend}", now, target=friend)


def run_job(session: Session, job: Taken, now: int, key: SigningKey) -> str:
    row = session.get(ReferralRow, job.target or "", with_for_update=True)
    rules = definition(session)
    if row is None or row.rewarded_at is not None:
        return "already_rewarded"
    if rules is None:
        return "no_referral_program"
    friend = session.get(Member, row.friend)
    referrer = session.get(Member, row.referrer)
    if friend is None or friend.erased_at is not None:
        return "friend_gone"
    run_actions(session, rules.friend, friend, f"referral:{row.friend}:friend", "referral",
                "UTC", now, key)
    outcome = "both_rewarded"
    rewarded = int(session.scalar(select(func.count()).select_from(ReferralRow).where(
        ReferralRow.referrer == row.referrer, ReferralRow.outcome == "both_rewarded")) or 0)
    if referrer is None or referrer.erased_at is not None:
        outcome = "referrer_gone"
    elif rules.max_per_referrer is not None and rewarded >= rules.max_per_referrer:
        outcome = "referrer_limit"
    else:
        run_actions(session, rules.referrer, referrer, f"referral:{row.friend}:referrer",
                    "referral", "UTC", now, key)
    row.rewarded_at, row.outcome = now, outcome
    session.flush()
    return outcome


def referral_of(session: Session, code: str) -> dict[str, Any] | None:
    """A customer's referral as the single view shows it (who referred them, the outcome)."""
    row = session.get(ReferralRow, code)
    if row is None:
        return None
    return {"referrer": row.referrer, "created_at": row.created_at,
            "purchased_at": row.purchased_at, "rewarded_at": row.rewarded_at,
            "outcome": row.outcome}

"""The jobs table as a queue several central processes share.

Taking work is one short write transaction: due rows are selected `FOR UPDATE SKIP LOCKED` on
PostgreSQL (a row another process is taking is skipped, not waited for; on SQLite `BEGIN
IMMEDIATE` serialises the takers), and each taken row gets a lease (`lease_until`) and one more
attempt before the transaction commits. The work itself (an HTTP POST, an SMTP conversation)
runs outside any transaction; its outcome is written only if the lease is still ours
(`attempts` is the fencing token), so a process that stalled past its lease cannot overwrite
the row another process took over. A job is done, or retried with exponential backoff and
full jitter, or given up `give_up_s` after it was created — failed, with the last answer kept.
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wallet_sync.central.db import Database, rows_changed
from wallet_sync.central.tables import Job

ENV_PREFIX = "WALLETPOS_JOBS_"


@dataclass(frozen=True)
class JobSettings:
    batch: int = 20  # rows one process takes at a time
    lease_s: int = 120  # longer than any one attempt (HTTP and SMTP time out well before)
    backoff_base_s: float = 30.0  # first retry after up to this, doubling each time
    backoff_cap_s: float = 6 * 3600.0
    give_up_s: int = 3 * 86400  # Stripe retries for three days
    http_timeout_s: float = 10.0
    expiring_days: int = 14  # `points.expiring` announces lots this many days ahead

    @classmethod
    def from_env(cls) -> JobSettings:
        """WALLETPOS_JOBS_BATCH, _LEASE_S, _BACKOFF_BASE_S, _BACKOFF_CAP_S, _GIVE_UP_S,
        _HTTP_TIMEOUT_S, _EXPIRING_DAYS override the defaults."""
        values: dict[str, Any] = {}
        for name, kind in (("batch", int), ("lease_s", int), ("backoff_base_s", float),
                           ("backoff_cap_s", float), ("give_up_s", int),
                           ("http_timeout_s", float), ("expiring_days", int)):
            raw = os.environ.get(ENV_PREFIX + name.upper())
            if raw:
                values[name] = kind(raw)
        return cls(**values)


@dataclass(frozen=True)
class Taken:
    """A job as taken: enough to do it and to report back under the same lease."""

    id: int
    kind: str
    key: str
    event: str | None
    target: str | None
    payload: dict[str, Any]
    attempts: int
    created_at: int


def add(session: Session, kind: str, key: str, now: int, *, event: str | None = None,
        target: str | None = None, payload: dict[str, Any] | None = None,
        due_at: int | None = None) -> bool:
    """A new job unless one with KEY exists (made by this or another process): True if new."""
    if session.scalar(select(Job.id).where(Job.key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.execute(insert(Job).values(
                kind=kind, key=key, event=event, target=target, payload=payload or {},
                status="pending", attempts=0, due_at=now if due_at is None else due_at,
                created_at=now))
    except IntegrityError:  # another process made it between the look and the insert
        return False
    return True


def take(db: Database, now: int, settings: JobSettings, kinds: tuple[str, ...] | None = None
         ) -> list[Taken]:
    with db.write() as session:
        stmt = (select(Job).where(Job.status == "pending", Job.due_at <= now,
                                  or_(Job.lease_until.is_(None), Job.lease_until <= now))
                .order_by(Job.due_at, Job.id).limit(settings.batch))
        if kinds is not None:
            stmt = stmt.where(Job.kind.in_(kinds))
        if db.postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        rows = session.scalars(stmt).all()
        for row in rows:
            row.attempts += 1
            row.lease_until = now + settings.lease_s
        session.flush()
        return [Taken(r.id, r.kind, r.key, r.event, r.target, dict(r.payload or {}),
                      r.attempts, r.created_at) for r in rows]


def _ours(job: Taken) -> Any:
    return (Job.id == job.id) & (Job.attempts == job.attempts) & (Job.status == "pending")


def succeed(session: Session, job: Taken, now: int, *, status: int | None = None,
            note: str | None = None) -> bool:
    return bool(rows_changed(session.execute(update(Job).where(_ours(job)).values(
        status="done", done_at=now, lease_until=None, last_status=status, last_error=note))))


def renew(session: Session, job: Taken, now: int, settings: JobSettings) -> bool:
    """Extend the lease of a long job (a schedule's scan); False when it is no longer ours."""
    return bool(rows_changed(session.execute(update(Job).where(_ours(job)).values(
        lease_until=now + settings.lease_s))))


def backoff(attempt: int, settings: JobSettings, rng: random.Random | None = None) -> int:
    """Seconds before attempt ATTEMPT + 1: full jitter over base * 2^(attempt-1), capped."""
    ceiling = min(settings.backoff_cap_s, settings.backoff_base_s * 2 ** max(attempt - 1, 0))
    return max(1, math.ceil((rng or random).uniform(ceiling / 2, ceiling)))


def retry_or_give_up(session: Session, job: Taken, now: int, settings: JobSettings, *,
                     status: int | None, error: str) -> str:
    """After a failed attempt: 'retry' (due again after the backoff) or 'failed'."""
    due = now + backoff(job.attempts, settings)
    if due >= job.created_at + settings.give_up_s:
        session.execute(update(Job).where(_ours(job)).values(
            status="failed", done_at=now, lease_until=None, last_status=status,
            last_error=error[:500]))
        return "failed"
    session.execute(update(Job).where(_ours(job)).values(
        due_at=due, lease_until=None, last_status=status, last_error=error[:500]))
    return "retry"

"""Customer- and program-scoped limits counted on central, across every till (issue 17).

One counter (`core.rules.shared_limits`) is counted under its key — (program, benefit), plus
the customer for `per_customer_*` — in its current window (UTC on central, like
`gift_rules`), as

    used = Σ uses ingested (`limit_uses`, voided ones left out)
         + Σ open holds (`limit_holds`: asked online, entry not arrived yet)
         + Σ what open offline shares still hold (`limit_shares`, program scope), for the
           shares alive in this window

so that a use is approved only if it fits beside everything any till has used, is about to
use, or may use offline.

Online: the gift-card authorize (`authorize`) and the points hold of a reward burn
(`points_holds`) call `hold` inside their transaction and under their row lock; the counter
key is locked too (`pg_advisory_xact_lock` on PostgreSQL; SQLite serialises writers at BEGIN
IMMEDIATE), so two tills racing for the last use get one approval. The limit hold carries the
same id as the card or points hold: the entry naming it consumes both, once (`limit_ingest`), and a
hold whose entry never comes is released with them (`release_proven`).

At ingest every redemption or reward burn of a program with such limits is recorded once per
(terminal, seq) (`limit_ingest.Uses`); an offline one must fit in the terminal's share, else the
applier opens a `breach:<rule>` case (`limit_share`, or the customer counter it went past).

Public: counters_of, lock, usage, check, hold, release_proven.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import TextClause, text, update
from sqlalchemy.orm import Session

from core.programs import Program as ProgramDef
from core.rules.limits import period_start
from core.rules.shared_limits import SharedCounter, refusal, shared_counters
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import LimitHold, Program

ZONE = "UTC"  # central has no store clock; see gift_rules


def counters_of(session: Session, program: str, reward: str | None = None
                ) -> tuple[ProgramDef | None, tuple[SharedCounter, ...]]:
    row = session.get(Program, program)
    if row is None:
        return None, ()
    prog = parsed(row)
    return prog, shared_counters(prog, reward)


def lock(session: Session, program: str, counters: tuple[SharedCounter, ...],
         customer: str | None) -> None:
    """Serialise deciders on these counters' keys until the transaction ends."""
    _lock(session, [_key(program, sc, customer) for sc in counters])


def _lock(session: Session, keys: Iterable[str]) -> None:
    """Serialise deciders on these counter keys (PostgreSQL; SQLite already is)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                        {"k": zlib.crc32(key.encode()) - 2**31})


def _key(program: str, sc: SharedCounter, customer: str | None) -> str:
    return f"limit|{program}|{sc.benefit}|{customer if sc.scope == 'customer' else ''}"


@dataclass(frozen=True)
class Used:
    count: int
    amount: int


@lru_cache(maxsize=16)
def _usage_sql(benefit: bool, customer: bool, shares: bool) -> TextClause:
    """One statement per shape (SQL text: built once, one round trip per counter)."""
    key = (" AND benefit = :b" if benefit else "") + (" AND customer = :c" if customer else "")
    uses = f"FROM limit_uses WHERE program = :p AND at >= :s AND voided_seq IS NULL{key}"
    holds = (f"FROM limit_holds WHERE program = :p AND created_at >= :s AND consumed_seq IS NULL "
             f"AND released_at IS NULL{key}")
    parts = [f"(SELECT COUNT(*) {uses})", f"(SELECT COALESCE(SUM(amount), 0) {uses})",
             f"(SELECT COUNT(*) {holds})", f"(SELECT COALESCE(SUM(amount), 0) {holds})"]
    if shares:
        # What each share still holds (one drawn past its size holds nothing, not less); a
        # share that ran out before this window began was used, if at all, before it.
        alive = ("FROM limit_shares WHERE program = :p AND benefit = :b AND status = 'open' "
                 "AND expires_at > :s")
        parts += [f"(SELECT COALESCE(SUM(CASE WHEN uses > used_uses THEN uses - used_uses "
                  f"ELSE 0 END), 0) {alive})",
                  f"(SELECT COALESCE(SUM(CASE WHEN amount > used_amount THEN amount - "
                  f"used_amount ELSE 0 END), 0) {alive})"]
    return text("SELECT " + ", ".join(parts))


def usage(session: Session, program: str, sc: SharedCounter, customer: str | None, now: int,
          *, shares: bool = True) -> Used:
    """What counter SC has used in its current window (see the module docstring)."""
    since = period_start(sc.counter.period, now, ZONE)
    with_shares = shares and sc.scope == "program"
    stmt = _usage_sql(bool(sc.benefit), sc.scope == "customer", with_shares)
    row = [int(v or 0) for v in session.execute(stmt, {
        "p": program, "s": since, "b": sc.benefit, "c": customer or ""}).one()]
    count, amount = row[0] + row[2], row[1] + row[3]
    if with_shares:
        count, amount = count + max(row[4], 0), amount + max(row[5], 0)
    return Used(count, amount)


def check(session: Session, program: str, counters: tuple[SharedCounter, ...],
          customer: str | None, amount: int, now: int) -> str | None:
    """Lock the counters' keys and say why one more use of AMOUNT does not fit (None: it
    does)."""
    if not counters:
        return None
    lock(session, program, counters, customer)
    for sc in counters:
        if sc.scope == "customer" and not customer:
            continue  # a card linked to no one: nobody to count it for
        used = usage(session, program, sc, customer, now)
        why = refusal(sc.counter, used.count, used.amount, amount)
        if why is not None:
            return why
    return None


def hold(session: Session, terminal: str, auth_id: str, program: str, benefit: str,
         customer: str | None, amount: int, now: int, expires_at: int) -> None:
    """Hold one use under AUTH_ID (after `check` said it fits, in the same transaction)."""
    session.add(LimitHold(auth_id=auth_id, terminal=terminal, program=program, benefit=benefit,
                          customer=customer, amount=amount, created_at=now,
                          expires_at=expires_at))
    session.flush()


def release_proven(session: Session, terminal: str, now: int) -> int:
    """Release TERMINAL's expired limit holds; the caller has proof no entry will consume
    them (as for card and points holds, `escrow.maintain`)."""
    done = session.execute(update(LimitHold).where(
        LimitHold.terminal == terminal, LimitHold.consumed_seq.is_(None),
        LimitHold.released_at.is_(None), LimitHold.expires_at < now)
        .values(released_at=now).execution_options(synchronize_session=False))
    return int(getattr(done, "rowcount", 0) or 0)

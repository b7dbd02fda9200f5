"""Offline shares of program-scoped limits: the escrow idea for counts.

A `per_program_*` limit (a campaign: "300 uses a day, all stores") cannot be asked of central
offline. So at each pull (`escrow.maintain`), a terminal that is online and not flagged gets,
for every program that may be used offline (`offline.mode` not `online`) and every key
(program, benefit) with program-scoped counters, a share of what is left: half of the smallest
remainder over the key's counters (`shared_limits.share_size`), in uses and, for amount
counters, in amount. A share counts as used on central from the moment it is given
(`limit_counts.usage`), so the tills' shares together never exceed what is left: offline, a
limit can be exceeded only by a terminal that spends past its own share, and that is a
`breach:limit_share` case at ingest (`draw`).

A share expires at the end of its counters' current window (or after the program's
`max_offline_hours`, 24 h without), in central time; the terminal compares it with its
estimate of central's clock. Central closes a share once it is used up, or once it expired
and the terminal has since reported a journal head central holds (every use of it has
arrived) — never on time alone. Customer-scoped limits get no shares: offline they are
refused (`offline_customer_limit`).

Public: issue, close_proven, draw, share_data, feed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from core.rules.limits import period_start
from core.rules.shared_limits import SharedCounter, left, share_size, shared_counters
from wallet_sync.central import limit_counts
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import LimitShare, Program, Terminal, table_of

TTL_DEFAULT_S = 24 * 3600
ZONE = limit_counts.ZONE


def period_end(period: str, now: int) -> int:
    """When the current UTC window of PERIOD ends (the next one's start)."""
    start = dt.datetime.fromtimestamp(period_start(period, now, ZONE), dt.UTC)
    if period == "daily":
        end = start + dt.timedelta(days=1)
    elif period == "weekly":
        end = start + dt.timedelta(days=7)
    elif period == "monthly":
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    else:
        end = start.replace(year=start.year + 1)
    return int(end.timestamp())


def _keys(session: Session, programs: Sequence[Program] | None = None
          ) -> list[tuple[str, str, tuple[SharedCounter, ...], int]]:
    """(program, benefit, its program-scoped counters, share ttl) for every key that gets
    shares; PROGRAMS: every program row, in id order, when the caller has read them."""
    out = []
    rows = programs if programs is not None else session.scalars(
        select(Program).order_by(Program.id))
    for row in rows:
        prog = parsed(row)
        if prog.offline.mode == "online":
            continue
        hours = prog.offline.max_offline_hours
        ttl = hours * 3600 if hours else TTL_DEFAULT_S
        rewards = [r.id for r in prog.loyalty.rewards] if prog.loyalty else []
        by_key: dict[str, list[SharedCounter]] = {}
        for reward in [None, *rewards]:
            for sc in shared_counters(prog, reward):
                if sc.scope == "program" and (reward is None or sc.benefit == reward):
                    by_key.setdefault(sc.benefit, []).append(sc)
        out += [(prog.id, benefit, tuple(cs), ttl) for benefit, cs in sorted(by_key.items())]
    return out


def issue(session: Session, term: Terminal, now: int,
          programs: Sequence[Program] | None = None) -> list[str]:
    """Give TERM a share of every key it holds no open share of; the new shares' ids.
    PROGRAMS: every program row in id order, when the caller has read them already."""
    keys = _keys(session, programs)
    if not keys:  # no program-scoped limit: nothing to give (and no read of the held ones)
        return []
    held = {(p, b) for p, b in session.execute(
        select(LimitShare.program, LimitShare.benefit).where(
            LimitShare.terminal == term.id, LimitShare.status == "open"))}
    made: list[str] = []
    for program, benefit, counters, ttl in keys:
        if (program, benefit) in held:
            continue
        limit_counts.lock(session, program, counters, None)
        uses: int | None = None
        amount: int | None = None
        for sc in counters:
            used = limit_counts.usage(session, program, sc, None, now)
            size = share_size(left(sc.counter, used.count, used.amount))
            if sc.counter.measure == "count":
                uses = size if uses is None else min(uses, size)
            else:
                amount = size if amount is None else min(amount, size)
        if uses == 0 or amount == 0:
            continue
        expires = min([now + ttl] + [period_end(sc.counter.period, now) for sc in counters])
        share_id = "LS-" + secrets.token_hex(8)
        session.add(LimitShare(id=share_id, terminal=term.id, program=program, benefit=benefit,
                               uses=uses, amount=amount, used_uses=0, used_amount=0,
                               status="open", created_at=now, expires_at=expires,
                               change_seq=0))
        made.append(share_id)
    session.flush()
    stamp(session, made)
    return made


def close_proven(session: Session, terminal: str, now: int, *, proven: bool) -> int:
    """Close TERMINAL's used-up shares, and (PROVEN: it has reported a head central holds)
    its expired ones: what they still held is free for the next shares and online uses."""
    used_up = or_(LimitShare.used_uses >= LimitShare.uses,
                  LimitShare.used_amount >= LimitShare.amount)
    due = or_(used_up, LimitShare.expires_at <= now) if proven else used_up
    ids = list(session.scalars(select(LimitShare.id).where(
        LimitShare.terminal == terminal, LimitShare.status == "open", due)))
    if ids:
        session.execute(update(LimitShare).where(LimitShare.id.in_(ids))
                        .values(status="closed", closed_at=now)
                        .execution_options(synchronize_session=False))
        stamp(session, ids)
    return len(ids)


def stamp(session: Session, ids: Iterable[str]) -> None:
    """New change_seqs, so the owning terminal pulls the shares' new state."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    first = allocate(session, len(wanted))
    table = table_of(LimitShare)
    session.connection().execute(
        update(table).where(table.c.id == bindparam("k")).values(change_seq=bindparam("c")),
        [{"k": sid, "c": first + i} for i, sid in enumerate(wanted)])


def draw(session: Session, terminal: str, program: str, counters: tuple[SharedCounter, ...],
         share_ids: list[str], amount: int) -> str | None:
    """At ingest, a use no online hold covers: it must draw on one of this terminal's shares
    for each key with program-scoped counters. Draws and returns None, or the rule broken
    (`limit_share`: no such share named, one closed already — used up, or expired and proven
    — or past what it holds)."""
    keys = sorted({sc.benefit for sc in counters if sc.scope == "program"})
    if not keys:
        return None
    rows = {s.benefit: s for s in session.scalars(select(LimitShare).where(
        LimitShare.id.in_(share_ids[:8]), LimitShare.terminal == terminal,
        LimitShare.program == program))} if share_ids else {}
    broken = None
    for key in keys:
        share = rows.get(key)
        if share is None:
            broken = "limit_share"
            continue
        fits = share.status == "open" and (
                (share.uses is None or share.used_uses + 1 <= share.uses)
                and (share.amount is None or share.used_amount + amount <= share.amount))
        if not fits:
            broken = "limit_share"
        # Drawn even past the share: the use happened, and the share must say it is spent.
        share.used_uses += 1
        share.used_amount += amount
    session.flush()
    return broken


def share_data(share: LimitShare | Any) -> dict[str, Any]:
    """A share's feed data; `expires_at` is central time."""
    return {"id": share.id, "program": share.program, "benefit": share.benefit,
            "uses": share.uses, "amount": share.amount, "expires_at": share.expires_at,
            "status": share.status}


def feed(session: Session, terminal: str, cursor: int, limit: int
         ) -> list[tuple[int, str, dict[str, Any]]]:
    rows = session.scalars(select(LimitShare).where(LimitShare.terminal == terminal,
                                                    LimitShare.change_seq > cursor)
                           .order_by(LimitShare.change_seq).limit(limit + 1)).all()
    return [(r.change_seq, r.id, share_data(r)) for r in rows]

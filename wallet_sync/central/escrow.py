"""Escrow on central (bounded counters): each card's balance is split into a central `reserve`
and per-terminal grants, with online holds beside them. This module is the one place that
changes a reserve, a grant or a hold's open/released state, and it checks after every change:

    cards.balance_minor = cards.reserve + Σ open grants (amount - used) + Σ open holds

- Online spends take from the reserve with one conditional UPDATE (`reserve >= :amount`), so two
  authorizations can never both take the last of it (no read-then-write).
- Grants are given while the terminal is online (at its pull) and not flagged
  (`terminal_flags`), to escrow-program cards homed at
  its store (activated or loaded there) or seen there recently, up to `grant_per_card` and
  never below the program's keep-online share of the balance (`grant_size`); they
  travel in the change feed with an expiry in central time, are extended while the terminal
  keeps syncing, and come back only through the terminal's signed `release` entry — which sits
  after every use of the grant in its chain, so the unused rest is never counted twice or lost.
- A hold whose entry never arrives is released once it has expired AND the terminal has since
  reported a journal head central already holds: a terminal commits an authorized spend within
  AUTH_COMMIT_WINDOW_S of asking, far inside HOLD_TTL_S, so that entry would be at or below the
  head. Releasing on time alone could free money a partitioned terminal has already spent.

The reserve may go below zero only by entries central must accept after the fact (floor-mode
offline spends, entries naming no live hold or grant); escrow spends never take it there.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from wallet_sync.central import bulk, limit_counts, limit_shares, points_holds
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.db import rows_changed
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import (
    Card,
    CardStore,
    Grant,
    Hold,
    LimitHold,
    LimitShare,
    PointsHold,
    Program,
    Terminal,
    TerminalFlag,
    table_of,
)
from wallet_sync.central.terminal_lock import locked_terminal

HOLD_TTL_S = 10 * 60  # far beyond AUTH_COMMIT_WINDOW_S (protocol.py), which the proof uses
GRANT_TTL_DEFAULT_S = 24 * 3600
RECENT_S = 30 * 86400  # "seen at the store recently"
GRANTS_PER_PULL = 500
# After a recall, no new grant on that card for this long: the customer is paying online
# elsewhere, and a fresh grant at the holder's next pull would only be recalled again.
RECALL_COOLDOWN_S = 10 * 60


class EscrowBroken(AssertionError):
    """The invariant failed: a bug, never a user error. Raised inside the write transaction,
    so the change that broke it is rolled back."""


@dataclass(frozen=True)
class Maintenance:
    reserve_returned: int  # from released holds, minor units
    grants_issued: int
    grants_extended: int


# ---- reserve -------------------------------------------------------------------------------

TAKE_RESERVE = (update(Card).where(Card.code == bindparam("card"),
                                   Card.reserve >= bindparam("amount"))
                .values(reserve=Card.reserve - bindparam("amount")).returning(Card.reserve)
                .execution_options(synchronize_session=False))


def take_reserve(session: Session, card: str, amount: int) -> int | None:
    """Move `amount` out of the reserve if it is there, atomically whoever races us; return
    the reserve left, or None when it did not hold `amount`."""
    left = session.execute(TAKE_RESERVE, {"card": card, "amount": amount}).scalar()
    return None if left is None else int(left)


def add_reserve(session: Session, deltas: dict[str, int]) -> None:
    bulk.update_rows(session, table_of(Card), ["code"],
                     [{"code": code, "reserve": d} for code, d in sorted(deltas.items()) if d],
                     add=["reserve"])


def _broken_cards() -> Select[Any]:
    granted = (select(func.coalesce(func.sum(Grant.amount - Grant.used), 0))
               .where(Grant.card == Card.code, Grant.status == "open").scalar_subquery())
    held = (select(func.coalesce(func.sum(Hold.amount), 0))
            .where(Hold.card == Card.code, Hold.consumed_seq.is_(None),
                   Hold.released_at.is_(None)).scalar_subquery())
    return (select(Card.code, Card.balance_minor, Card.reserve, granted, held)
            .where(Card.code.in_(bindparam("codes", expanding=True)),
                   Card.balance_minor != Card.reserve + granted + held))


# Built once: every authorization, push and pull checks, and building this statement (and its
# cache key) cost more than running it.
BROKEN_CARDS = _broken_cards()


def check(session: Session, codes: Iterable[str]) -> None:
    """Assert the invariant for these cards (read inside the writing transaction)."""
    wanted = sorted(set(codes))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        bad = session.execute(BROKEN_CARDS, {"codes": chunk}).all()
        if bad:
            raise EscrowBroken("escrow invariant broken (code, balance, reserve, grants, holds): "
                               f"{[tuple(r) for r in bad[:5]]}")


# ---- where cards are seen ------------------------------------------------------------------

def seen(session: Session, store: str, cards: dict[str, bool], now: int) -> None:
    """Record that these cards were presented at `store` (True: homed there)."""
    if not cards:
        return
    rows = [{"store": store, "card": code, "home": home, "last_seen": now}
            for code, home in sorted(cards.items())]
    bulk.upsert_rows(session, table_of(CardStore), ["store", "card"], rows,
                     "last_seen = excluded.last_seen, home = card_stores.home OR excluded.home")


# ---- grants --------------------------------------------------------------------------------

@dataclass(frozen=True)
class EscrowTerms:
    """What an escrow gift-card program says about its grants."""

    per_card: int  # grant_per_card, minor units
    ttl: int  # a grant's lifetime, seconds (max_offline_hours)
    keep_percent: int  # keep_online_percent: the share of a balance never granted out


def _escrow_programs(rows: Iterable[Program]) -> dict[str, EscrowTerms]:
    """program id -> its grant terms, for escrow gift-card programs among ROWS."""
    out: dict[str, EscrowTerms] = {}
    for row in rows:
        prog = parsed(row)
        policy = prog.offline
        if prog.kind == "gift_card" and policy.mode == "escrow" and policy.grant_per_card:
            hours = policy.max_offline_hours
            out[row.id] = EscrowTerms(policy.grant_per_card,
                                      hours * 3600 if hours else GRANT_TTL_DEFAULT_S,
                                      policy.keep_online_percent)
    return out


def grant_size(terms: EscrowTerms, balance: int, reserve: int) -> int:
    """How much a new grant on a card may take: at most `grant_per_card`, and never so much
    that the reserve (what any till can be authorized online at once) falls below the
    program's keep-online share of the balance. The grantable part is what the reserve holds
    above that share, so the grants of several terminals together never exceed it: they split
    it, first pull first."""
    keep = -(-max(balance, 0) * terms.keep_percent // 100)  # rounded up: keep at least that
    return max(0, min(terms.per_card, reserve - keep))


def grant_use(session: Session, uses: dict[str, int]) -> None:
    bulk.update_rows(session, table_of(Grant), ["id"],
                     [{"id": gid, "used": u} for gid, u in sorted(uses.items()) if u],
                     add=["used"])


def close_grant(session: Session, grant_id: str, seq: int, now: int) -> bool:
    """Mark a grant released by the terminal's entry `seq`; False if it was not open."""
    result = session.execute(update(Grant).where(Grant.id == grant_id, Grant.status == "open")
                             .values(status="released", released_at=now, released_seq=seq)
                             .execution_options(synchronize_session=False))
    return rows_changed(result) == 1


def stamp(session: Session, grant_ids: Iterable[str]) -> None:
    """New change_seqs, so the owning terminal pulls the grants' new state."""
    ids = sorted(set(grant_ids))
    if not ids:
        return
    first = allocate(session, len(ids))
    table = table_of(Grant)
    session.connection().execute(
        update(table).where(table.c.id == bindparam("k")).values(change_seq=bindparam("c")),
        [{"k": gid, "c": first + i} for i, gid in enumerate(ids)])


def _issue(session: Session, term: Terminal, now: int, programs: dict[str, EscrowTerms]
           ) -> tuple[list[dict[str, object]], set[str]]:
    if not programs:
        return [], set()
    has_open = exists().where(Grant.terminal == term.id, Grant.card == Card.code,
                              Grant.status == "open")
    recalled = exists().where(Grant.card == Card.code,
                              Grant.recalled_at >= now - RECALL_COOLDOWN_S)
    candidates = session.execute(
        select(Card.code, Card.program, Card.reserve, Card.balance_minor)
        .join(CardStore, CardStore.card == Card.code)
        .where(CardStore.store == term.store,
               or_(CardStore.home.is_(True), CardStore.last_seen >= now - RECENT_S),
               Card.state == "active", Card.reserve > 0, Card.program.in_(sorted(programs)),
               or_(Card.expires_at.is_(None), Card.expires_at > now), ~has_open, ~recalled)
        .order_by(CardStore.last_seen.desc()).limit(GRANTS_PER_PULL)).all()
    rows: list[dict[str, object]] = []
    for code, program, reserve, balance in sorted(candidates):  # code order: the lock order
        terms = programs[program]
        ttl = terms.ttl
        amount = grant_size(terms, int(balance), int(reserve))
        if amount > 0 and take_reserve(session, code, amount) is not None:
            rows.append({"id": "G-" + secrets.token_hex(8), "terminal": term.id, "card": code,
                         "program": program, "amount": amount, "used": 0, "status": "open",
                         "expires_at": now + ttl, "created_at": now, "released_at": None,
                         "released_seq": None})
    return rows, {str(r["card"]) for r in rows}


def _extend(session: Session, term: Terminal, now: int, programs: dict[str, EscrowTerms]
            ) -> list[str]:
    """Open grants past half their life get a fresh expiry: grants outlive an online terminal
    but run out on one that stops syncing."""
    extended: list[str] = []
    for gid, program, expires_at in session.execute(
            select(Grant.id, Grant.program, Grant.expires_at)
            .where(Grant.terminal == term.id, Grant.status == "open",
                   Grant.recalled_at.is_(None))).all():
        terms = programs.get(program)
        ttl = terms.ttl if terms is not None else GRANT_TTL_DEFAULT_S
        if expires_at - now < ttl // 2:
            session.execute(update(Grant).where(Grant.id == gid, Grant.status == "open")
                            .values(expires_at=now + ttl)
                            .execution_options(synchronize_session=False))
            extended.append(gid)
    return extended


@dataclass(frozen=True)
class Recall:
    """What an online spend that the reserve cannot cover learns about the other terminals'
    grants on the card: the reserve now, and what their grants hold unused."""

    reserve: int
    elsewhere: int  # Σ (amount - used) of other terminals' open grants
    recalled: list[str]  # the grants newly marked for recall by this spend


def recall_for(session: Session, card: str, terminal: str, amount: int, reserve: int,
               now: int) -> Recall | None:
    """Mark other terminals' open grants on CARD for recall, largest unused rest first, until
    the reserve plus what is recalled covers AMOUNT; None when even all of them would not
    (the card simply does not hold it). Marking frees nothing: the value comes back only with
    the holder's signed `release` entry, after every spend it made from the grant (a holder
    cut off may already have spent it). The marks go into the holders' change feeds."""
    rows = session.execute(select(Grant.id, Grant.amount - Grant.used, Grant.recalled_at)
                           .where(Grant.card == card, Grant.status == "open",
                                  Grant.terminal != terminal)
                           .order_by((Grant.amount - Grant.used).desc(), Grant.id)).all()
    elsewhere = sum(max(int(rest), 0) for _, rest, _ in rows)
    if elsewhere <= 0 or reserve + elsewhere < amount:
        return None
    covered = max(reserve, 0) + sum(max(int(rest), 0) for _, rest, at in rows if at is not None)
    marked: list[str] = []
    for gid, rest, at in rows:
        if covered >= amount:
            break
        if at is None and rest > 0:
            marked.append(gid)
            covered += int(rest)
    if marked:
        session.execute(update(Grant).where(Grant.id.in_(marked), Grant.recalled_at.is_(None))
                        .values(recalled_at=now).execution_options(synchronize_session=False))
        stamp(session, marked)
    return Recall(reserve, elsewhere, marked)


def return_grants(session: Session, terminal: str, now: int) -> tuple[dict[str, int], int]:
    """A decommissioned terminal's open grants back to their cards' reserves (decommission.py
    calls this only after the terminal's maximum offline time: it can no longer spend them);
    (card -> minor units returned, grants returned). The grants become `returned`, with new
    change_seqs."""
    rows = session.execute(select(Grant.id, Grant.card, Grant.amount - Grant.used)
                           .where(Grant.terminal == terminal, Grant.status == "open")
                           .order_by(Grant.card)).all()
    if not rows:
        return {}, 0
    session.execute(select(Card.code).where(Card.code.in_(sorted({r.card for r in rows})))
                    .order_by(Card.code).with_for_update()).all()
    back: dict[str, int] = {}
    count = 0
    for gid, card, rest in rows:
        done = session.execute(update(Grant).where(Grant.id == gid, Grant.status == "open")
                               .values(status="returned", released_at=now)
                               .execution_options(synchronize_session=False))
        if rows_changed(done) == 1:
            back[card] = back.get(card, 0) + int(rest)
            count += 1
    add_reserve(session, back)
    stamp(session, [r.id for r in rows])
    check(session, set(back))
    return back, count


def release_proven_holds(session: Session, term: Terminal, head: int, now: int, *,
                         lock: bool) -> dict[str, int]:
    """Release this terminal's expired holds if central holds its journal up to `head`."""
    if head > term.last_seq:
        return {}
    holds = session.execute(select(Hold.auth_id, Hold.card, Hold.amount).where(
        Hold.terminal == term.id, Hold.consumed_seq.is_(None), Hold.released_at.is_(None),
        Hold.expires_at < now)).all()
    if not holds:
        return {}
    if lock:  # card rows first, in code order, like every other writer
        session.execute(select(Card.code).where(Card.code.in_(sorted({h.card for h in holds})))
                        .order_by(Card.code).with_for_update()).all()
    back: dict[str, int] = {}
    for auth_id, card, amount in holds:
        done = session.execute(update(Hold).where(
            Hold.auth_id == auth_id, Hold.consumed_seq.is_(None), Hold.released_at.is_(None))
            .values(released_at=now).execution_options(synchronize_session=False))
        if rows_changed(done) == 1:
            back[card] = back.get(card, 0) + int(amount)
    add_reserve(session, back)
    return back


def _maintenance_due() -> Any:
    terminal: Any = bindparam("terminal")
    now: Any = bindparam("now")
    return select(
        exists().where(Hold.terminal == terminal, Hold.consumed_seq.is_(None),
                       Hold.released_at.is_(None), Hold.expires_at < now).label("holds"),
        exists().where(PointsHold.terminal == terminal, PointsHold.consumed_seq.is_(None),
                       PointsHold.released_at.is_(None),
                       PointsHold.expires_at < now).label("points_holds"),
        exists().where(LimitHold.terminal == terminal, LimitHold.consumed_seq.is_(None),
                       LimitHold.released_at.is_(None),
                       LimitHold.expires_at < now).label("limit_holds"),
        exists().where(LimitShare.terminal == terminal, LimitShare.status == "open",
                       or_(LimitShare.used_uses >= LimitShare.uses,
                           LimitShare.used_amount >= LimitShare.amount)
                       ).label("shares_used_up"),
        exists().where(LimitShare.terminal == terminal, LimitShare.status == "open",
                       LimitShare.expires_at <= now).label("shares_expired"),
        exists().where(TerminalFlag.terminal == terminal,
                       TerminalFlag.cleared_at.is_(None)).label("flagged"))


# What a pull's maintenance may have to do, in one statement, built once: the release and
# close statements below (each with exactly the filter it runs with) mostly touch nothing, so
# each runs only when its rows exist. A row that appears just after this read is treated as
# if it had appeared just after the pull: the next pull settles it, as it would have then.
MAINTENANCE_DUE = _maintenance_due()


def maintain(session: Session, terminal_id: str, head: int | None, now: int, *, lock: bool
             ) -> Maintenance:
    """What central does when a terminal starts a pull (it is online): settle proven holds
    (gift-card value, points and limit uses), note its floor mark and when, extend and issue
    its grants and its offline limit shares (`limit_shares`) — none for a flagged terminal.
    One transaction; the terminal row is locked so this never interleaves with the same
    terminal's push. Shares are issued after the grants: card rows are locked before the
    counters' keys, in the order an online authorization takes them."""
    term = locked_terminal(session, terminal_id, lock=lock)
    assert term is not None  # the signed call resolved it
    released: dict[str, int] = {}
    proven = head is not None and head <= term.last_seq
    due = session.execute(MAINTENANCE_DUE, {"terminal": term.id, "now": now}).one()
    if proven:
        if due.holds:
            released = release_proven_holds(session, term, head or 0, now, lock=lock)
        if due.points_holds:
            points_holds.release_proven(session, term.id, now)
        if due.limit_holds:
            limit_counts.release_proven(session, term.id, now)
        # The outage of any later offline spend starts here (offline_check).
        session.execute(update(Terminal).where(Terminal.id == term.id)
                        .values(floor_mark_seq=term.last_seq, floor_mark_at=now))
    if due.shares_used_up or (proven and due.shares_expired):
        limit_shares.close_proven(session, term.id, now, proven=proven)
    if due.flagged:
        check(session, set(released))
        return Maintenance(sum(released.values()), 0, 0)
    every = session.scalars(select(Program).order_by(Program.id)).all()  # read once for all
    programs = _escrow_programs(every)
    extended = _extend(session, term, now, programs)
    rows, issued_cards = _issue(session, term, now, programs)
    if rows:
        session.execute(insert(Grant), [{**r, "change_seq": 0} for r in rows])
    stamp(session, extended + [str(r["id"]) for r in rows])
    check(session, set(released) | issued_cards)
    limit_shares.issue(session, term, now, every)  # offline shares of program-scoped limits, last
    return Maintenance(sum(released.values()), len(rows), len(extended))

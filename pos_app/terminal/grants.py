"""Escrow grants on the terminal: choosing the grant an offline spend draws on, and handing
grants back to central.

A grant is spending right on one card that central moved from the card's reserve to this
terminal (it arrives in the change feed). What is left of it is its amount less this terminal's
own redemptions that named it, summed from the journal inside the commit transaction — so a
restart or a second process can never spend it twice. Its expiry is in central's time and is
compared with `offline_clock.central_now`, never with the wall clock.

Handing back is a signed `release` entry, written in the same transaction that marks the grant
released locally: after it nothing draws on the grant, and because it comes after every use in
the chain, central returns exactly the unused rest — once, whenever the entry arrives.
`release_due` runs during a sync, after the outbox has reached central (so a terminal that is
offline keeps its grants), for grants that expired, are more than half used (the next pull
grants afresh) or whose card can no longer be spent.

A grant central **recalled** (an online spend at another till needs it: the change feed says
`recall`, kept locally as status `recalled`) is never drawn on again and is released right
after the pull that brought the recall (`recalled_pending`, then `release_due` and a push in
the same sync), so the other till can be paid within one background sync.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from pos_app.terminal import offline_clock
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.journal_writer import JournalWriter


@dataclass(frozen=True, slots=True)
class LocalGrant:
    id: str
    card: str
    program: str
    amount: int
    expires_at: int  # central time, unix seconds
    remaining: int


def open_grants(conn: Connection, card: str | None = None) -> list[LocalGrant]:
    """Grants this terminal may still draw on (not released by us, open at central)."""
    where = "g.released_seq IS NULL AND g.status = 'open'" + (" AND g.card = :c" if card else "")
    rows = conn.execute(text(
        "SELECT g.id, g.card, g.program, g.amount, g.expires_at, g.amount - COALESCE(("
        "SELECT SUM(j.amount) FROM journal j WHERE j.grant_id = g.id AND j.op = 'redeem'), 0) "
        f"FROM grants g WHERE {where} ORDER BY g.expires_at DESC, g.id"), {"c": card}).all()
    return [LocalGrant(*row) for row in rows]


def choose(conn: Connection, card: str, amount: int, central_now: int | None
           ) -> tuple[str | None, str | None]:
    """(grant id, None) for a grant that covers `amount` now, else (None, decline reason)."""
    grants = open_grants(conn, card)
    if not grants:
        return None, "no_offline_grant"
    live = [g for g in grants if central_now is not None and central_now < g.expires_at]
    if not live:
        return None, "grant_expired"
    for grant in live:
        if grant.remaining >= amount:
            return grant.id, None
    return None, "grant_exhausted"


def _held(conn: Connection) -> list[tuple[LocalGrant, bool]]:
    """Every grant not released by us yet, open or recalled at central, with `recalled`."""
    rows = conn.execute(text(
        "SELECT g.id, g.card, g.program, g.amount, g.expires_at, g.amount - COALESCE(("
        "SELECT SUM(j.amount) FROM journal j WHERE j.grant_id = g.id AND j.op = 'redeem'), 0), "
        "g.status = 'recalled' FROM grants g WHERE g.released_seq IS NULL "
        "AND g.status IN ('open', 'recalled') ORDER BY g.id")).all()
    return [(LocalGrant(*row[:6]), bool(row[6])) for row in rows]


def recalled_pending(conn: Connection) -> int:
    """How many recalled grants this terminal has not released yet."""
    return int(conn.execute(text("SELECT COUNT(*) FROM grants WHERE status = 'recalled' "
                                 "AND released_seq IS NULL")).scalar_one())


def release_due(db: TerminalDB, journal: JournalWriter, wall_ms: int,
                boot: tuple[str, int]) -> int:
    """Journal a release for every grant due back (recalled ones included); return how
    many."""
    released = 0
    with db.write() as conn:
        now = offline_clock.central_now(conn, wall_ms, boot)
        for grant, recalled in _held(conn):
            card = TerminalDB.get_card(conn, grant.card)
            due = (recalled or now is None or now >= grant.expires_at
                   or grant.remaining * 2 < grant.amount
                   or card is None or card.state != "active")
            if not due:
                continue
            entry = journal.append(
                conn, "release", amount=max(grant.remaining, 0),
                currency=card.currency if card else None, card=grant.card,
                program=grant.program, grant=grant.id, wall_ms=wall_ms)
            conn.execute(text("UPDATE grants SET released_seq = :s WHERE id = :i"),
                         {"s": entry.body.seq, "i": grant.id})
            released += 1
    return released

"""Retiring a terminal that will not come back (`POST /v1/admin/terminals/{id}/decommission`,
`walletpos admin ... decommission-terminal`): its open escrow grants go back to their cards'
reserves and its unused code pool is released — but only once the terminal can no longer
spend any of it offline.

A terminal spends a grant offline only while central's time is before the grant's expiry
(`grants.py` on the terminal, measured with its boot clock), and it spends nothing offline
longer than its programs' `max_offline_hours` after its last complete sync. So the earliest
safe moment is the later of its open grants' expiries and its last complete sync
(`terminals.floor_mark_at`, else its enrollment) plus the longest offline window of any
program, plus SKEW_S for clocks. Before that the request is refused (`too_early`) with that
time, and nothing changes. After it: the grants become `returned` (new change_seqs), the
reserve takes back their unused rest (`escrow.return_grants`, which checks the invariant), the
unissued reservations get `released_at` (their codes are never reused: a credential was signed
for each), the terminal's status becomes `decommissioned` (every later signed request is
refused 403 `decommissioned`, pushes included) and a `decommissions` row records what came
back; the exposure report lists it.

What the terminal did offline and never pushed is not on central and will not be: once the
window has passed, that is the risk head office accepts by retiring it (docs/SECURITY.md).

Public: allowed_at, decommission, listing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.money import format_minor
from wallet_sync.central import escrow
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.db import rows_changed
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import (
    Card,
    CodeReservation,
    Decommission,
    Grant,
    Program,
    Terminal,
)
from wallet_sync.central.terminal_lock import locked_terminal

SKEW_S = 300  # the clock skew offline_check allows a terminal's entries


def _longest_offline_s(session: Session) -> int:
    hours = [parsed(row).offline.max_offline_hours for row in session.scalars(select(Program))]
    known = [h * 3600 for h in hours if h]
    return max(known, default=escrow.GRANT_TTL_DEFAULT_S)


def allowed_at(session: Session, term: Terminal) -> int:
    """Central time from which TERMINAL can spend nothing more offline."""
    grant_end = session.scalar(select(func.max(Grant.expires_at)).where(
        Grant.terminal == term.id, Grant.status == "open")) or 0
    last_sync = term.floor_mark_at or term.enrolled_at
    return max(int(grant_end), int(last_sync) + _longest_offline_s(session)) + SKEW_S


def decommission(session: Session, terminal: str, reason: str, actor: str | None, now: int
                 ) -> dict[str, Any]:
    """Retire TERMINAL (inside the caller's write transaction); its record as `listing`
    shows it. Refused `too_early` (with `allowed_at`) before its offline window closed."""
    reason = reason.strip()
    if not reason or any(ord(ch) < 32 and ch not in "\n\t" for ch in reason):
        raise Invalid("invalid_reason", "decommissioning a terminal needs a readable reason")
    term = locked_terminal(session, terminal, lock=True) if len(terminal) <= 16 else None
    if term is None:
        raise NotFound("unknown_terminal", f"no terminal {terminal!r}")
    if term.status == "decommissioned":
        raise StateConflict("already_decommissioned", f"terminal {terminal} is retired already")
    when = allowed_at(session, term)
    if now < when:
        raise StateConflict(
            "too_early", f"terminal {terminal} may still spend offline until {when} (unix s): "
            "its grants and codes can be returned from then on", allowed_at=when)
    back, returned = escrow.return_grants(session, terminal, now)
    currencies = dict(session.execute(select(Card.code, Card.currency)
                                      .where(Card.code.in_(sorted(back)))).all()) if back else {}
    value: dict[str, int] = defaultdict(int)
    for card, amount in back.items():
        value[currencies[card]] += amount
    released = session.execute(update(CodeReservation).where(
        CodeReservation.terminal == terminal, CodeReservation.issued_seq.is_(None),
        CodeReservation.released_at.is_(None)).values(released_at=now)
        .execution_options(synchronize_session=False))
    session.execute(update(Terminal).where(Terminal.id == terminal)
                    .values(status="decommissioned", status_reason=reason,
                            change_seq=allocate(session, 1)))
    row = Decommission(terminal=terminal, decommissioned_at=now, reason=reason, actor=actor,
                       grants_returned=returned, value_returned=dict(sorted(value.items())),
                       codes_released=rows_changed(released))
    session.add(row)
    session.flush()
    return view(row, term.store)


def view(row: Decommission, store: str | None) -> dict[str, Any]:
    return {"terminal": row.terminal, "store": store, "decommissioned_at": row.decommissioned_at,
            "reason": row.reason, "actor": row.actor, "grants_returned": row.grants_returned,
            "value_returned": [{"currency": cur, "amount": format_minor(int(v), cur)}
                               for cur, v in sorted(row.value_returned.items())],
            "codes_released": row.codes_released}


def listing(session: Session, stores: dict[str, str]) -> list[dict[str, Any]]:
    """Every decommissioned terminal and what came back, oldest first (exposure report)."""
    return [view(row, stores.get(row.terminal)) for row in session.scalars(
        select(Decommission).order_by(Decommission.decommissioned_at, Decommission.terminal))]

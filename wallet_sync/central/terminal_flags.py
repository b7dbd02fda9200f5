"""Terminals central caught breaking a rule an honest terminal cannot break — an offline spend
over its program's caps, value or a spend without central's authority — and the person who
clears them.

A flag is a `terminal_flags` row naming the rule and the conflict case that shows it. While a
terminal has an open flag, central gives it no escrow grants and extends none (`escrow`), and
its own row in the change feed says `state: "flagged"`, so an honest terminal stops spending
offline too. Only a person clears a flag (`walletpos admin clear-flag`, `POST
/v1/admin/terminals/{id}/clear-flag` with a reason): the flag rows get who, when and why; the
conflict cases stay as they are (resolving a case is a separate decision).

Quarantine (a fork, a rolled-back head) is stronger and separate: `terminals.status`, and
nothing from the terminal is accepted again.

A decommissioned terminal (decommission.py) is refused the same way, with its own reason.

Public: Flag, raise_flags, open_flags, flagged_terminals, clear, feed, listing, refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from wallet_sync.central.change_seq import allocate
from wallet_sync.central.db import rows_changed
from wallet_sync.central.errors import Forbidden, Invalid, NotFound, StateConflict
from wallet_sync.central.tables import Terminal, TerminalFlag


@dataclass(frozen=True)
class Flag:
    reason: str  # the rule, e.g. "breach:terminal_total"
    seq: int  # the entry that broke it
    conflict_id: int | None


def raise_flags(session: Session, terminal: str, flags: list[Flag], now: int) -> None:
    """Record FLAGS on TERMINAL (inside the writer's transaction) and put its row in its feed.
    Takes a change number: call it late, with the other feed writers."""
    if not flags:
        return
    session.execute(insert(TerminalFlag), [
        {"terminal": terminal, "reason": f.reason[:64], "conflict_id": f.conflict_id,
         "seq": f.seq, "raised_at": now} for f in flags])
    session.execute(update(Terminal).where(Terminal.id == terminal)
                    .values(change_seq=allocate(session, 1)))


def refused(terminal: str, status: str, reason: str | None) -> Forbidden:
    """The refusal for a terminal that is not active: 403 `quarantined` (a fork, a rolled
    back head) or `decommissioned` (retired by head office)."""
    code = "decommissioned" if status == "decommissioned" else "quarantined"
    return Forbidden(code, f"terminal {terminal} is {status}: {reason}")


def open_flags(session: Session, terminal: str) -> list[TerminalFlag]:
    return list(session.scalars(select(TerminalFlag).where(
        TerminalFlag.terminal == terminal, TerminalFlag.cleared_at.is_(None))
        .order_by(TerminalFlag.id)))


def flagged_terminals(session: Session) -> set[str]:
    return set(session.scalars(select(TerminalFlag.terminal).where(
        TerminalFlag.cleared_at.is_(None)).distinct()))


def clear(session: Session, terminal: str, reason: str, actor: str | None, now: int
          ) -> dict[str, Any]:
    """A person clears every open flag of TERMINAL with a reason."""
    reason = reason.strip()
    if not reason or any(ord(ch) < 32 and ch not in "\n\t" for ch in reason):
        raise Invalid("invalid_reason", "clearing a flag needs a readable reason")
    row = session.get(Terminal, terminal) if len(terminal) <= 16 else None
    if row is None:
        raise NotFound("unknown_terminal", f"no terminal {terminal!r}")
    done = session.execute(update(TerminalFlag).where(
        TerminalFlag.terminal == terminal, TerminalFlag.cleared_at.is_(None))
        .values(cleared_at=now, cleared_by=actor, clear_reason=reason)
        .execution_options(synchronize_session=False))
    if rows_changed(done) == 0:
        raise StateConflict("not_flagged", f"terminal {terminal} has no open flag")
    session.execute(update(Terminal).where(Terminal.id == terminal)
                    .values(change_seq=allocate(session, 1)))
    return terminal_view(session, row)


def feed(session: Session, terminal: str, cursor: int) -> list[tuple[int, dict[str, Any]]]:
    """The terminal's own row for its change page when it changed after CURSOR."""
    row = session.get(Terminal, terminal)
    if row is None or row.change_seq <= cursor:
        return []
    flags = open_flags(session, terminal)
    return [(row.change_seq, {"id": terminal, "state": "flagged" if flags else "active",
                              "reason": flags[0].reason if flags else None})]


def terminal_view(session: Session, row: Terminal) -> dict[str, Any]:
    flags = session.scalars(select(TerminalFlag).where(TerminalFlag.terminal == row.id)
                            .order_by(TerminalFlag.id)).all()
    return {"id": row.id, "store": row.store, "name": row.name, "status": row.status,
            "status_reason": row.status_reason, "last_seq": row.last_seq,
            "version": row.software_version,
            "flagged": any(f.cleared_at is None for f in flags),
            "flags": [{"reason": f.reason, "seq": f.seq, "conflict": f.conflict_id,
                       "raised_at": f.raised_at, "cleared_at": f.cleared_at,
                       "cleared_by": f.cleared_by, "clear_reason": f.clear_reason}
                      for f in flags]}


def listing(session: Session) -> list[dict[str, Any]]:
    """Every terminal with its status and flags (head office's view)."""
    return [terminal_view(session, row)
            for row in session.scalars(select(Terminal).order_by(Terminal.id))]

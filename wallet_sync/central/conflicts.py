"""Conflict cases: what central learned from a terminal that it could not simply apply
(an overdraft, an unknown card, a fork, an operation central does not apply). A case lists the
signed entries involved by (terminal, seq, hash); the entries themselves stay in `entries` and
`forked_entries`. Cases and receivables are separate rows: entries are never edited.

A manager resolves a case with a reason: that is a `conflict_resolutions` row, inserted once and
never changed; a case's status is read from whether it has one (the case row stays as opened).

A store's terminals see the cases their store raised (`store_view`), without what belongs to
head office: the signed entries behind a case (an overdraft lists other stores' terminals) and
who resolved it (an API key).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.money import CURRENCY_EXPONENTS, format_minor
from wallet_sync.central import event_hooks
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.tables import (
    Conflict,
    ConflictEntry,
    ConflictResolution,
    Receivable,
    Terminal,
)

STATUSES = ("open", "resolved")
STORE_CASE_FIELDS = ("id", "card", "terminal", "seq", "reason", "shortfall", "currency",
                     "status", "opened_at")

Ref = tuple[str, int, str]  # terminal, seq, hash (hex)


def open_case(session: Session, *, card: str | None, terminal: str, seq: int, reason: str,
              shortfall: int, currency: str | None, refs: Iterable[Ref], now: int) -> int:
    conflict_id = session.execute(
        insert(Conflict).values(card=card, terminal=terminal, seq=seq, reason=reason,
                                shortfall=shortfall, currency=currency, status="open",
                                opened_at=now).returning(Conflict.id)
    ).scalar_one()
    unique = list(dict.fromkeys(refs))
    if unique:
        session.execute(insert(ConflictEntry), [
            {"conflict_id": conflict_id, "terminal": t, "seq": s, "hash": h}
            for t, s, h in unique
        ])
    event_hooks.conflict(session, int(conflict_id), card, terminal, seq, reason, shortfall,
                         currency, now)
    return int(conflict_id)


def add_receivable(session: Session, *, card: str, terminal: str, seq: int, amount: int,
                   currency: str, conflict_id: int, now: int) -> None:
    session.execute(insert(Receivable).values(
        card=card, terminal=terminal, seq=seq, amount=amount, currency=currency,
        conflict_id=conflict_id, status="open", created_at=now))


def _amount(minor: int, currency: str | None) -> str:
    if currency in CURRENCY_EXPONENTS:
        return format_minor(minor, currency)
    return str(minor)


def resolve(session: Session, conflict_id: int, reason: str, now: int,
            actor: str | None = None) -> dict[str, Any]:
    """Journal a manager's resolution of one case; a case is resolved once."""
    reason = reason.strip()
    if not reason or any(ord(ch) < 32 and ch not in "\n\t" for ch in reason):
        raise Invalid("invalid_reason", "a resolution needs a readable reason")
    if session.get(Conflict, conflict_id) is None:
        raise NotFound("unknown_conflict", f"no conflict case {conflict_id}")
    try:
        with session.begin_nested():
            session.execute(insert(ConflictResolution).values(
                conflict_id=conflict_id, reason=reason, actor=actor, resolved_at=now))
    except IntegrityError as exc:
        raise StateConflict("already_resolved",
                            f"case {conflict_id} is already resolved") from exc
    return list_cases(session, ids=[conflict_id])[0]


def list_cases(session: Session, status: str | None = None, limit: int = 1000,
               ids: list[int] | None = None, store: str | None = None,
               newest_first: bool = False) -> list[dict[str, Any]]:
    """Cases oldest first (`newest_first`: the reverse), optionally only those raised by a
    terminal of `store`."""
    if status is not None and status not in STATUSES:
        raise Invalid("invalid_request", f"status must be one of {', '.join(STATUSES)}")
    resolved = select(ConflictResolution.conflict_id)
    stmt = select(Conflict).order_by(Conflict.id.desc() if newest_first else Conflict.id
                                     ).limit(limit)
    if status == "open":
        stmt = stmt.where(Conflict.id.not_in(resolved))
    elif status == "resolved":
        stmt = stmt.where(Conflict.id.in_(resolved))
    if ids is not None:
        stmt = stmt.where(Conflict.id.in_(ids))
    if store is not None:
        stmt = stmt.where(Conflict.terminal.in_(select(Terminal.id)
                                                .where(Terminal.store == store)))
    cases = session.scalars(stmt).all()
    resolutions = {r.conflict_id: r for r in session.scalars(
        select(ConflictResolution).where(ConflictResolution.conflict_id.in_(
            [c.id for c in cases])))} if cases else {}
    refs: dict[int, list[dict[str, Any]]] = {c.id: [] for c in cases}
    if cases:
        rows = session.scalars(select(ConflictEntry)
                               .where(ConflictEntry.conflict_id.in_(list(refs)))
                               .order_by(ConflictEntry.terminal, ConflictEntry.seq))
        for r in rows:
            refs[r.conflict_id].append({"terminal": r.terminal, "seq": r.seq, "hash": r.hash})
    return [{
        "id": c.id, "card": c.card, "terminal": c.terminal, "seq": c.seq, "reason": c.reason,
        "shortfall": _amount(c.shortfall, c.currency), "currency": c.currency,
        "entries": refs[c.id], "opened_at": c.opened_at,
        "status": "resolved" if c.id in resolutions else "open",
        "resolution": ({"reason": resolutions[c.id].reason, "actor": resolutions[c.id].actor,
                        "resolved_at": resolutions[c.id].resolved_at}
                       if c.id in resolutions else None),
    } for c in cases]


def store_case(case: dict[str, Any]) -> dict[str, Any]:
    """One `list_cases` item as a store's terminal sees it."""
    item = {k: case[k] for k in STORE_CASE_FIELDS}
    res = case.get("resolution")
    item["resolution"] = ({"reason": res["reason"], "resolved_at": res["resolved_at"]}
                          if res else None)
    return item


def store_view(session: Session, terminal: str, status: str | None, limit: int, now: int
               ) -> dict[str, Any]:
    """The cases raised by the terminals of `terminal`'s store, newest first. The store comes
    from the terminal's enrollment, so a terminal cannot ask about another store."""
    store = session.scalar(select(Terminal.store).where(Terminal.id == terminal))
    cases = list_cases(session, status, limit=limit, store=store, newest_first=True)
    return {"store": store, "as_of": now, "conflicts": [store_case(c) for c in cases]}

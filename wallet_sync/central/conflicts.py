"""Conflict cases: what central learned from a terminal that it could not simply apply
(an overdraft, an unknown card, a fork, an operation central does not apply). A case lists the
signed entries involved by (terminal, seq, hash); the entries themselves stay in `entries` and
`forked_entries`. Cases and receivables are separate rows: entries are never edited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.money import CURRENCY_EXPONENTS, format_minor
from wallet_sync.central.db import Conflict, ConflictEntry, Receivable

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


def list_cases(session: Session, status: str | None = None, limit: int = 1000
               ) -> list[dict[str, Any]]:
    stmt = select(Conflict).order_by(Conflict.id).limit(limit)
    if status:
        stmt = stmt.where(Conflict.status == status)
    cases = session.scalars(stmt).all()
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
        "entries": refs[c.id], "status": c.status, "opened_at": c.opened_at,
    } for c in cases]

"""Liability as of a date, computed from the ledger (the recorded events, never the cached
balances), per program and currency.

Gift cards: a card counts from its activation (an unsold, inactive card is owed to nobody).
Per lot, value comes in (`issued`: a card's face value, lot L0; `loaded`: every later lot) and
goes out (`redeemed`: what redemptions drew from the lots, net of the voids and refunds since,
which put it back; `expired`: what lapsed in a lot past its expiry, the breakage; `voided`: what
is left on a card in the `voided` state). What remains is `outstanding`, so
issued + loaded - redeemed - expired - voided = outstanding holds per lot and so per program.
Points work the same way per loyalty program: earned - burned - expired = outstanding.

"As of" a date means the last second of that day (UTC): events after it are not counted, and a
lot that expires at or before the end of the day has expired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dates import end_of_day
from core.money import format_minor
from wallet_sync.central.errors import Invalid
from wallet_sync.central.tables import Card, CardEvent, Member, PointsEvent

GIFT_FIELDS = ("issued", "loaded", "redeemed", "expired", "voided", "outstanding")
POINTS_FIELDS = ("earned", "burned", "expired", "outstanding")


def parse_as_of(text: str | None, now: int) -> dt.date:
    """YYYY-MM-DD, or today (central's clock, UTC) when absent."""
    if not text:
        return dt.datetime.fromtimestamp(now, dt.UTC).date()
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1970 <= day.year <= 9998:
        raise Invalid("invalid_date", "as_of is a date, YYYY-MM-DD")
    return day


def moment_of(day: dt.date) -> int:
    """The last second of DAY (UTC)."""
    return end_of_day(day) - 1


@dataclass
class _Lot:
    amount: int
    remaining: int
    expires_at: int | None


@dataclass
class _Card:
    active: bool = False
    voided: bool = False
    issued: int = 0
    loaded: int = 0
    redeemed: int = 0
    expired: int = 0
    lots: dict[str, _Lot] = field(default_factory=dict)


def gift_cards(session: Session, day: dt.date) -> dict[str, Any]:
    """{"as_of", "programs": [{program, currency, issued, loaded, redeemed, expired, voided,
    outstanding}]} with decimal strings, programs in id order."""
    moment = moment_of(day)
    cards: dict[str, _Card] = {}
    program_of: dict[str, tuple[str, str]] = {}
    rows = session.execute(
        select(CardEvent.card, CardEvent.op, CardEvent.amount, CardEvent.lot_id,
               CardEvent.expires_at, CardEvent.allocation, Card.program, Card.currency,
               Card.state)
        .join(Card, Card.code == CardEvent.card).where(CardEvent.at <= moment)
        .order_by(CardEvent.card, CardEvent.id))
    for r in rows:
        c = cards.setdefault(r.card, _Card())
        program_of[r.card] = (r.program, r.currency)
        c.voided = r.state == "voided"  # no service voids a card yet: the column is ready
        _apply(c, r.op, r.amount, r.lot_id, r.expires_at, r.allocation)
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for code, c in cards.items():
        if not c.active:
            continue
        t = totals.setdefault(program_of[code], dict.fromkeys(GIFT_FIELDS, 0))
        t["issued"] += c.issued
        t["loaded"] += c.loaded
        t["redeemed"] += c.redeemed
        t["expired"] += c.expired
        for lot in c.lots.values():
            if lot.expires_at is not None and lot.expires_at <= moment:
                t["expired"] += lot.remaining
            elif c.voided:
                t["voided"] += lot.remaining
            else:
                t["outstanding"] += lot.remaining
    return {"as_of": day.isoformat(), "programs": [
        {"program": program, "currency": currency,
         **{k: format_minor(v, currency) for k, v in t.items()}}
        for (program, currency), t in sorted(totals.items())]}


def _apply(c: _Card, op: str, amount: int, lot_id: str | None, expires_at: int | None,
           allocation: list[Any]) -> None:
    taken = sum(int(a) for _, a in allocation or ())
    if op == "issue":
        c.issued += amount
        c.lots[lot_id or "L0"] = _Lot(amount, amount, expires_at)
    elif op == "activate":
        c.active = True
    elif op == "load":
        c.loaded += amount
        c.lots[lot_id or ""] = _Lot(amount, amount, expires_at)
    elif op in ("redeem", "expire", "void", "refund"):
        sign = 1 if op in ("void", "refund") else -1  # a refund is negative redeemed
        for lot_id_, part in allocation or ():
            lot = c.lots.get(str(lot_id_))
            if lot is not None:
                lot.remaining += sign * int(part)
        if op == "expire":
            c.expired += taken
        else:
            c.redeemed -= sign * taken


def points(session: Session, day: dt.date) -> dict[str, Any]:
    """{"as_of", "programs": [{program, earned, burned, expired, outstanding, members}]}:
    points are whole numbers, as integers."""
    moment = moment_of(day)
    lots: dict[tuple[str, str], _Lot] = {}
    totals: dict[str, dict[str, int]] = {}
    members: dict[str, set[str]] = {}
    rows = session.execute(
        select(PointsEvent.member, PointsEvent.op, PointsEvent.points, PointsEvent.lot_id,
               PointsEvent.expires_at, PointsEvent.allocation, Member.program)
        .join(Member, Member.code == PointsEvent.member).where(PointsEvent.at <= moment)
        .order_by(PointsEvent.member, PointsEvent.id))
    for r in rows:
        t = totals.setdefault(r.program, dict.fromkeys(POINTS_FIELDS, 0))
        members.setdefault(r.program, set()).add(r.member)
        if r.op == "earn":
            t["earned"] += r.points
            lots[(r.member, r.lot_id or "")] = _Lot(r.points, r.points, r.expires_at)
            continue
        sign = 1 if r.op == "void" else -1
        for lot_id, part in r.allocation or ():
            lot = lots.get((r.member, str(lot_id)))
            if lot is not None:
                lot.remaining += sign * int(part)
            if r.op == "expire":
                t["expired"] += int(part)
            else:
                t["burned"] -= sign * int(part)
    program_of = {m: p for p, ms in members.items() for m in ms}
    for (member, _), lot in lots.items():
        t = totals[program_of[member]]
        if lot.expires_at is not None and lot.expires_at <= moment:
            t["expired"] += lot.remaining
        else:
            t["outstanding"] += lot.remaining
    return {"as_of": day.isoformat(), "programs": [
        {"program": p, **t, "members": len(members[p])} for p, t in sorted(totals.items())]}

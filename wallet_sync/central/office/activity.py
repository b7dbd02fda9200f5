"""Redemptions and earnings per day (UTC) and store, from the ledger: gift-card value drawn by
redemptions (net of voids) and points earned and burned, for the terminals of each store over
the last N days; and the terminals with when central last heard from each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.money import format_minor
from wallet_sync.central import terminal_flags
from wallet_sync.central.tables import Card, CardEvent, Entry, PointsEvent, Terminal

DAY = 86400


def _day(at: int) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).date().isoformat()


def per_day(session: Session, now: int, days: int) -> dict[str, Any]:
    """{"days", "from", "rows": [{day, store, currency, redeemed, redemptions, points_earned,
    points_burned}]} oldest day first."""
    since = (now // DAY - days + 1) * DAY
    stores = dict(session.execute(select(Terminal.id, Terminal.store)).all())
    rows: dict[tuple[str, str, str], dict[str, int]] = {}

    def bucket(day: str, store: str, currency: str) -> dict[str, int]:
        return rows.setdefault((day, store, currency), {
            "redeemed": 0, "redemptions": 0, "points_earned": 0, "points_burned": 0})

    for r in session.execute(select(CardEvent.op, CardEvent.allocation, CardEvent.at,
                                    CardEvent.terminal, Card.currency)
                             .join(Card, Card.code == CardEvent.card)
                             .where(CardEvent.at >= since, CardEvent.op.in_(("redeem", "void")),
                                    CardEvent.terminal.is_not(None))):
        b = bucket(_day(r.at), stores.get(r.terminal, "?"), r.currency)
        taken = sum(int(a) for _, a in r.allocation or ())
        b["redeemed"] += taken if r.op == "redeem" else -taken
        b["redemptions"] += 1 if r.op == "redeem" else -1
    for r in session.execute(select(PointsEvent.op, PointsEvent.points, PointsEvent.allocation,
                                    PointsEvent.at, PointsEvent.terminal)
                             .where(PointsEvent.at >= since,
                                    PointsEvent.op.in_(("earn", "burn")),
                                    PointsEvent.terminal.is_not(None))):
        b = bucket(_day(r.at), stores.get(r.terminal, "?"), "")
        if r.op == "earn":
            b["points_earned"] += r.points
        else:
            b["points_burned"] += sum(int(a) for _, a in r.allocation or ())
    return {"days": days, "from": _day(since), "rows": [
        {"day": day, "store": store, "currency": cur,
         "redeemed": format_minor(v["redeemed"], cur) if cur else "",
         "redemptions": v["redemptions"], "points_earned": v["points_earned"],
         "points_burned": v["points_burned"]}
        for (day, store, cur), v in sorted(rows.items())]}


def terminals(session: Session) -> list[dict[str, Any]]:
    """Every terminal (terminal_flags.listing) with `last_seen`: the latest of its last entry
    received and its last full sync (central time), None if never."""
    received = dict(session.execute(select(Entry.terminal, func.max(Entry.received_at))
                                    .group_by(Entry.terminal)).all())
    marks = dict(session.execute(select(Terminal.id, Terminal.floor_mark_at)).all())
    out = []
    for view in terminal_flags.listing(session):
        seen = [t for t in (received.get(view["id"]), marks.get(view["id"])) if t]
        out.append({**view, "last_seen": max(seen) if seen else None})
    return out

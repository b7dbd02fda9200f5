"""The limit usage of this terminal's journal, kept counted per process (`UsageCounters`) and
read forward by seq: each quote reads only the entries journaled since the last one.

Usage is counted from the journal (offline entries not yet synced included, voided ones left
out): a `redeem` is a gift-card use of its program (benefit ""), a `burn` a use of its reward
(its card is the customer). The first read counts this year's entries; after that, the entry a
process counted last must still be the journal's entry of that seq (same hash), else the file
was replaced (a restore, another home at the same path) and the counts start again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from core.journal import EntryBody
from core.rules.limits import PERIODS, Usage, UsageRecord, period_start
from core.rules.usage_counters import UsageCounters

_LOCK = threading.Lock()
_MAX_HOMES = 64


@dataclass
class _Kept:
    counters: UsageCounters
    last_seq: int = 0
    last_hash: str | None = None


_KEPT: dict[tuple[str, str, str], _Kept] = {}


def usage(conn: Connection, now: int, time_zone: str, store_id: str,
          holdings: Sequence[tuple[str, str]], customer: str | None) -> Usage:
    """Tallies for each (program, code) presented, merged (programs differ per key)."""
    key = (str(conn.engine.url), time_zone, store_id)
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is None or not _same_file(conn, kept):
            if len(_KEPT) >= _MAX_HOMES:
                _KEPT.clear()
            kept = _KEPT[key] = _Kept(UsageCounters(time_zone, store_id))
            since = min(period_start(p, now, time_zone) for p in PERIODS) * 1000
            _read(conn, kept, "wall_ms >= :since", {"since": since}, store_id)
        else:
            # Unary + keeps SQLite off the op index: the new rows are found by seq (the key).
            _read(conn, kept, "seq > :last", {"last": kept.last_seq}, store_id, "+op")
        return kept.counters.usage(now, holdings, customer)


def _same_file(conn: Connection, kept: _Kept) -> bool:
    if kept.last_hash is None:
        return conn.execute(text("SELECT count(*) FROM journal WHERE seq <= :s"),
                            {"s": kept.last_seq}).scalar() == 0
    return conn.execute(text("SELECT hash FROM journal WHERE seq = :s"),
                        {"s": kept.last_seq}).scalar() == kept.last_hash


def _read(conn: Connection, kept: _Kept, where: str, params: dict[str, Any],
          store_id: str, op: str = "op") -> None:
    rows = conn.execute(text(
        "SELECT seq, op, card, program, amount, wall_ms, data, hash FROM journal "
        f"WHERE {op} IN ('redeem', 'burn', 'void') AND {where} ORDER BY seq"), params).all()
    for seq, op, card, program, amount, wall_ms, data, entry_hash in rows:
        kept.last_seq, kept.last_hash = seq, entry_hash
        if op == "void":
            kept.counters.void(_fields(data)[0])
            continue
        if program is None:
            continue
        benefit, customer = "", None
        if op == "burn":
            reward = _fields(data)[1]
            benefit, customer = (reward if isinstance(reward, str) else ""), card
        kept.counters.add(seq, UsageRecord(int(wall_ms) // 1000, program, benefit, int(amount),
                                           card, customer, store_id))


def _fields(data: bytes) -> tuple[Any, Any]:
    """(ref, extra.reward) of a journal entry."""
    body = EntryBody.decode(bytes(data))
    return body.ref, body.extra.get("reward")

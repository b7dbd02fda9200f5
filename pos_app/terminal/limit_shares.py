"""Offline uses of limits counted across tills, on the terminal.

A `per_customer_*` or `per_program_*` limit is counted on central (wallet_sync.central
.limit_counts): online, central holds the use when it authorizes the spend or the points of a
reward. Offline — or on this terminal's escrow grant, which central did not hold a use for —
a use is allowed only within what central shared with this terminal:

- a customer-scoped counter has no share: refused `offline_customer_limit` (only central knows
  what the customer used at the other tills);
- each program-scoped key (the program, or the reward) needs an open share, not expired by
  `offline_clock.central_now` (`no_limit_share`, `limit_share_expired`), with room for one
  more use and its amount (`limit_share_exhausted`).

`take` draws on the shares in the commit transaction that appends the entry, and the entry
names them (`extra.limit_shares`), so central checks them at ingest; a restart or a second
process can never draw the same share twice. Shares arrive in the change feed
(`apply_change`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from core.programs import Program
from core.rules.shared_limits import has_customer_scope, shared_counters
from wallet_sync.agent import SyncError


@dataclass(frozen=True, slots=True)
class Draw:
    """What one offline use will take: the shares (one per key) and the amount."""

    shares: tuple[str, ...]
    amount: int


def apply_change(conn: Connection, data: dict[str, Any], cseq: int) -> None:
    try:
        sid, program, benefit = str(data["id"]), str(data["program"]), str(data["benefit"])
        uses, amount, expires = data.get("uses"), data.get("amount"), data["expires_at"]
        status = str(data["status"])
        if not isinstance(expires, int) or not all(
                v is None or (isinstance(v, int) and v >= 0) for v in (uses, amount)):
            raise TypeError("uses/amount/expires_at")
    except (KeyError, TypeError) as exc:
        raise SyncError(f"malformed limit share change: {exc}", reason="bad_change") from exc
    # used_* are ours alone and are never touched by a page.
    conn.execute(text(
        "INSERT INTO limit_shares (id, program, benefit, uses, amount, expires_at, status, "
        "change_seq) VALUES (:i, :p, :b, :u, :a, :e, :s, :q) ON CONFLICT(id) DO UPDATE SET "
        "expires_at = excluded.expires_at, status = excluded.status, "
        "change_seq = excluded.change_seq WHERE excluded.change_seq >= limit_shares.change_seq"),
        {"i": sid, "p": program, "b": benefit, "u": uses, "a": amount, "e": expires,
         "s": status[:16], "q": cseq})


def offline_reason(conn: Connection, program: Program, reward: str | None, amount: int,
                   central_now: int | None) -> tuple[str | None, Draw | None]:
    """(decline reason, None) or (None, the draw to `take`); (None, None) when no limit of
    PROGRAM (and REWARD) is counted across tills."""
    counters = shared_counters(program, reward)
    if not counters:
        return None, None
    if has_customer_scope(counters):
        return "offline_customer_limit", None
    shares: list[str] = []
    for key in sorted({c.benefit for c in counters}):
        rows = conn.execute(text(
            "SELECT id, uses, amount, used_uses, used_amount, expires_at FROM limit_shares "
            "WHERE program = :p AND benefit = :b AND status = 'open' ORDER BY expires_at DESC"),
            {"p": program.id, "b": key}).all()
        if not rows:
            return "no_limit_share", None
        live = [r for r in rows if central_now is not None and central_now < r[5]]
        if not live:
            return "limit_share_expired", None
        room = next((r for r in live if (r[1] is None or r[3] + 1 <= r[1])
                     and (r[2] is None or r[4] + amount <= r[2])), None)
        if room is None:
            return "limit_share_exhausted", None
        shares.append(str(room[0]))
    return None, Draw(tuple(shares), amount)


def take(conn: Connection, draw: Draw | None) -> list[str]:
    """Draw one use on each share, in the caller's commit transaction; the ids for the
    entry's `extra.limit_shares`."""
    if draw is None:
        return []
    for sid in draw.shares:
        conn.execute(text("UPDATE limit_shares SET used_uses = used_uses + 1, "
                          "used_amount = used_amount + :a WHERE id = :i"),
                     {"a": draw.amount, "i": sid})
    return list(draw.shares)


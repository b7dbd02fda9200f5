"""What the self-service kiosk shows a customer about the card or member they scanned
(`Kiosk`, held by `TerminalService`). Read-only: it decides nothing and journals nothing.

Privacy by construction: the view carries the code only masked (`GC-••••-••••-4HBT`), at most a
first name, and activity without staff or terminal ids, so no screen can show more. Figures come
from the replica (works offline); `as_of_ms` is the last complete sync, and `behind` says the
replica may lag central (never synced, stale, or central unreachable for a member refresh).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from core.errors import Declined
from pos_app.terminal import counter_lookup, members, replica
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.loyalty import Loyalty

STALE_MS = 120_000  # a replica older than this may be behind central
EXPIRING_DAYS = 30
ACTIVITIES = 5
MASK = "•"


def mask_code(code: str) -> str:
    """Keep the prefix group (when there is a dash) and the last four characters."""
    head, sep, _ = code.partition("-")
    start = len(head) + 1 if sep else 0
    alnum = [i for i, ch in enumerate(code) if ch.isalnum() and i >= start]
    hidden = set(alnum[:-4]) if len(alnum) > 4 else set(alnum[:-1])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(code))


@dataclass(frozen=True)
class Activity:
    at_ms: int
    op: str  # journal op: redeem, earn, burn, load, activate, void, ...
    amount: int  # minor units (cards) or points (members)
    currency: str | None  # None: points


@dataclass(frozen=True)
class RewardLine:
    name: str
    cost: int  # points


@dataclass(frozen=True)
class KioskView:
    kind: str  # "card" | "member"
    masked: str
    program_name: str
    as_of_ms: int | None
    behind: bool
    state: str = "active"
    balance: int = 0  # cards: minor units
    currency: str = ""
    expires_at: int | None = None  # cards: unix seconds
    first_name: str | None = None
    points: int = 0
    tier: str | None = None
    next_tier: str | None = None
    points_to_next: int = 0
    progress: float = 1.0  # 0..1 towards the next tier (1.0 at the top tier)
    rewards: list[RewardLine] = field(default_factory=list)
    expiring: list[tuple[int, int]] = field(default_factory=list)  # (points, unix seconds)
    activities: list[Activity] = field(default_factory=list)


def _name(names: Any, lang: str, fallback: str) -> str:
    table = dict(names) if names else {}
    return str(table.get(lang) or table.get("en") or fallback)


class Kiosk:
    """Reads what a customer may see; the member's figures come through `loyalty`'s quote."""

    def __init__(self, ctx: TerminalContext, loyalty: Loyalty) -> None:
        self._ctx = ctx
        self._loyalty = loyalty

    def kiosk_view(self, payload: str, lang: str = "en") -> KioskView:
        ident = counter_lookup.identify(self._ctx.db, self._ctx.identity(), payload)
        now_ms = self._ctx.now_ms()
        with self._ctx.db.read() as conn:
            last = TerminalDB.get_meta(conn, "last_sync_ms")
            card = TerminalDB.get_card(conn, ident.code)
            programs = replica.load_programs(conn)
            rows = conn.execute(text(
                "SELECT wall_ms, op, amount, currency FROM journal WHERE card = :c "
                "ORDER BY seq DESC LIMIT :n"), {"c": ident.code, "n": ACTIVITIES}).all()
        as_of = int(last) if last is not None else None
        behind = as_of is None or now_ms - as_of > STALE_MS
        activities = [Activity(int(r[0]), str(r[1]), int(r[2]), r[3]) for r in rows]
        if card is not None:
            rp = programs.get(card.program)
            name = _name(rp.program.name.items() if rp else None, lang, card.program)
            return KioskView("card", mask_code(card.code), name, as_of, behind, state=card.state,
                             balance=card.balance, currency=card.currency,
                             expires_at=card.expires_at, activities=activities)
        return self._member_view(ident.code, lang, as_of, behind, activities, now_ms)

    def _member_view(self, code: str, lang: str, as_of: int | None, behind: bool,
                     activities: list[Activity], now_ms: int) -> KioskView:
        try:
            order = self._loyalty.member_order(code, None)
        except Exception as exc:  # not a member code either
            raise Declined("this card is not known here", reason="unknown_card") from exc
        code, online = order.code, order.online
        quoted = self._loyalty.member_quote(order, ())
        view = next((m for m in quoted.quote.members if m.member == code), None)
        with self._ctx.db.read() as conn:
            row = members.get(conn, code)
            programs = replica.load_programs(conn)
        if view is None or row is None:
            raise Declined("this card is not known here", reason="unknown_card")
        program = programs[view.program].program
        loyalty = program.loyalty
        tier = loyalty.tier(view.tier) if loyalty else None
        nxt = loyalty.tier(view.next_tier) if loyalty and view.next_tier else None
        progress = 1.0
        if tier is not None and nxt is not None and nxt.min_points > tier.min_points:
            have = nxt.min_points - view.points_to_next - tier.min_points
            progress = max(0.0, min(1.0, have / (nxt.min_points - tier.min_points)))
        # Rewards within reach at any checkout: affordable and open to this tier (a reward's
        # order condition is checked when the order is known, at the counter).
        rewards = [RewardLine(_name(r.name, lang, r.id), r.cost)
                   for r in (loyalty.rewards if loyalty else ())
                   if r.cost <= view.points and (not loyalty.allowed_tiers(r)
                                                 or view.tier in loyalty.allowed_tiers(r))]
        now_s, horizon = now_ms // 1000, now_ms // 1000 + EXPIRING_DAYS * 86_400
        expiring = sorted((lot.remaining, lot.expires_at) for lot in view.account.lots
                          if lot.remaining > 0 and lot.expires_at is not None
                          and now_s < lot.expires_at <= horizon)
        attrs = row.data.get("attributes") if isinstance(row.data.get("attributes"), dict) \
            else {}
        first = attrs.get("first_name") or str(attrs.get("name") or "").split(" ")[0] or None
        return KioskView(
            "member", mask_code(code), program.display_name(lang), as_of,
            behind or not online, first_name=str(first)[:24] if first else None,
            points=view.points, tier=_name(tier.name if tier else None, lang, view.tier),
            next_tier=_name(nxt.name, lang, nxt.id) if nxt else None,
            points_to_next=view.points_to_next, progress=progress, rewards=rewards,
            expiring=[(p, at) for at, p in sorted((at, p) for p, at in expiring)],
            activities=activities)

"""A loyalty member's points account: lots of points, each with its own expiry, changed only by
operations that each become an immutable journal entry (the same shape as `core.ledger`).

Three expiry policies (`ExpiryPolicy`): a fixed date, N months after each lot was earned, or
rolling inactivity — every point lapses once the account has had no earn or burn for N months.
The first two set a lot's `expires_at` when it is earned (`lot_expiry`); the rolling policy is
applied from the account's `last_activity`, with the policy of the member's current tier.
A burn takes the soonest-expiring lot first and records the lots it drew from so a void returns
points exactly where they came from; `expire` gives the allocation an `expire` entry records.
`replay` rebuilds an account from its recorded events, independent of the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from core.dates import add_months
from core.errors import Declined, InvalidAmount

Allocation = tuple[tuple[str, int], ...]  # (lot id, points) drawn from or returned to


@dataclass(frozen=True, slots=True)
class ExpiryPolicy:
    rolling_months: int | None = None
    months_after_earn: int | None = None
    fixed_date: dt.date | None = None  # points expire at the start of the next day (UTC)


def lot_expiry(policy: ExpiryPolicy | None, earned_at: int) -> int | None:
    """The expiry an earned lot carries; None when only inactivity (or nothing) expires it."""
    if policy is None:
        return None
    if policy.months_after_earn is not None:
        return add_months(earned_at, policy.months_after_earn)
    if policy.fixed_date is not None:
        end = policy.fixed_date + dt.timedelta(days=1)
        return int(dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC).timestamp())
    return None


@dataclass(frozen=True, slots=True)
class PointsLot:
    lot_id: str
    points: int
    remaining: int
    earned_at: int
    expires_at: int | None = None

    def live(self, now: int) -> bool:
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True, slots=True)
class PointsAccount:
    member: str
    program: str
    lots: tuple[PointsLot, ...] = ()
    last_activity: int | None = None  # unix seconds of the last earn or burn

    def dormant(self, now: int, rolling_months: int | None) -> bool:
        return (rolling_months is not None and self.last_activity is not None
                and now >= add_months(self.last_activity, rolling_months))

    def balance(self, now: int, rolling_months: int | None = None) -> int:
        if self.dormant(now, rolling_months):
            return 0
        return sum(lot.remaining for lot in self.lots if lot.live(now))


def _positive(points: int) -> None:
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise InvalidAmount("points must be a positive integer")


def earn(account: PointsAccount, points: int, lot_id: str, at: int,
         expires_at: int | None = None) -> PointsAccount:
    _positive(points)
    if any(lot.lot_id == lot_id for lot in account.lots):
        raise InvalidAmount(f"lot {lot_id} already exists")
    lot = PointsLot(lot_id, points, points, at, expires_at)
    return replace(account, lots=account.lots + (lot,), last_activity=at)


def burn(account: PointsAccount, points: int, now: int, rolling_months: int | None = None
         ) -> tuple[PointsAccount, Allocation]:
    """Spend points, soonest-expiring lot first; Declined(insufficient_points) rather than
    going below zero."""
    _positive(points)
    if account.balance(now, rolling_months) < points:
        raise Declined("not enough points", reason="insufficient_points")
    live = sorted((lot for lot in account.lots if lot.live(now) and lot.remaining > 0),
                  key=lambda lot: (lot.expires_at is None, lot.expires_at or 0, lot.earned_at,
                                   lot.lot_id))
    taken: dict[str, int] = {}
    left = points
    for lot in live:
        if left == 0:
            break
        take = min(lot.remaining, left)
        taken[lot.lot_id] = take
        left -= take
    allocation = tuple((lot.lot_id, taken[lot.lot_id]) for lot in account.lots
                       if lot.lot_id in taken)
    return _take(account, allocation, now), allocation


def _take(account: PointsAccount, allocation: Allocation, at: int | None) -> PointsAccount:
    taken = dict(allocation)
    unknown = set(taken) - {lot.lot_id for lot in account.lots}
    if unknown:
        raise InvalidAmount(f"allocation names unknown lots {sorted(unknown)}")
    lots = tuple(replace(lot, remaining=lot.remaining - taken.get(lot.lot_id, 0))
                 for lot in account.lots)
    if any(lot.remaining < 0 for lot in lots):
        raise InvalidAmount("allocation exceeds a lot")
    return replace(account, lots=lots,
                   last_activity=at if at is not None else account.last_activity)


def void(account: PointsAccount, allocation: Allocation) -> PointsAccount:
    """Return a burn's points to the lots they came from (never above what a lot held)."""
    back = dict(allocation)
    unknown = set(back) - {lot.lot_id for lot in account.lots}
    if unknown:
        raise InvalidAmount(f"void names unknown lots {sorted(unknown)}")
    lots = []
    for lot in account.lots:
        restored = lot.remaining + back.get(lot.lot_id, 0)
        if restored > lot.points:
            raise InvalidAmount(f"void would give lot {lot.lot_id} more than it ever held")
        lots.append(replace(lot, remaining=restored))
    return replace(account, lots=tuple(lots))


def expire(account: PointsAccount, now: int, rolling_months: int | None = None
           ) -> tuple[PointsAccount, Allocation]:
    """Zero what has lapsed by `now` — lots past their date, or every lot of a dormant
    account — and return the allocation the `expire` entry records (empty: nothing to do)."""
    dormant = account.dormant(now, rolling_months)
    gone = tuple((lot.lot_id, lot.remaining) for lot in account.lots
                 if lot.remaining > 0 and (dormant or not lot.live(now)))
    return (_take(account, gone, None), gone) if gone else (account, ())


@dataclass(frozen=True, slots=True)
class PointsEvent:
    """One applied change, as stored beside its journal entry (earn, burn, expire, void)."""

    op: str
    points: int = 0
    lot_id: str | None = None
    expires_at: int | None = None
    allocation: Allocation = ()
    at: int = 0


def apply_event(account: PointsAccount, event: PointsEvent) -> PointsAccount:
    """Re-apply a recorded event exactly as recorded (allocations are not recomputed)."""
    if event.op == "earn":
        return earn(account, event.points, event.lot_id or f"L{event.at}", event.at,
                    event.expires_at)
    if event.op == "burn":
        return _take(account, event.allocation, event.at)
    if event.op == "expire":
        return _take(account, event.allocation, None)
    if event.op == "void":
        return void(account, event.allocation)
    raise InvalidAmount(f"unknown points event {event.op}")


def replay(member: str, program: str, events: Iterable[PointsEvent]) -> PointsAccount:
    account = PointsAccount(member, program)
    for event in events:
        account = apply_event(account, event)
    return account

"""Limits on spending and redeeming, and the usage they are checked against.

A limit is named `per_<scope>_<window>_<measure>`: scope `card`, `customer`, `program` or
`store`; window `daily`, `weekly` (from Monday), `monthly` or `yearly`, each in the store's time
zone; measure `count` (how many redemptions) or `amount` (how much: money for gift cards, points
for loyalty). `per_order_max` caps one order; `windows` restricts use to recurring times
(`{weekdays: [Sat, Sun], from_hour: 9, to_hour: 18}`).

The engine never reads a journal: the caller passes `Usage`, the counts and sums in each
window. `tally` builds it from plain `UsageRecord`s the terminal maps its journal entries to
(including offline entries not yet synced), so the storage stays the caller's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.rules.context import WEEKDAYS, local_time
from core.rules.schema import ProgramError, integer, items, mapping, quantity, text_list

SCOPES = ("card", "customer", "program", "store")
PERIODS = ("daily", "weekly", "monthly", "yearly")
MEASURES = ("count", "amount")
COUNTER_NAMES = frozenset(f"per_{s}_{p}_{m}" for s in SCOPES for p in PERIODS for m in MEASURES)


@dataclass(frozen=True, slots=True)
class Counter:
    name: str  # e.g. per_card_daily_count — also the refusal detail
    scope: str
    period: str
    measure: str
    value: int


@dataclass(frozen=True, slots=True)
class TimeWindow:
    weekdays: tuple[str, ...] = WEEKDAYS
    from_hour: int = 0
    to_hour: int = 24

    def contains(self, local: dt.datetime) -> bool:
        return (WEEKDAYS[local.weekday()] in self.weekdays
                and self.from_hour <= local.hour < self.to_hour)


@dataclass(frozen=True, slots=True)
class Limits:
    per_order_max: int | None = None
    per_card_daily_count: int | None = None  # also in `counters`; kept for existing callers
    counters: tuple[Counter, ...] = ()
    windows: tuple[TimeWindow, ...] = ()


def parse_limits(data: Any, where: str, currency: str, points: bool,
                 counts_only: bool = False) -> Limits:
    if data is None:
        return Limits()
    allowed = {"per_order_max", "windows"} | set(COUNTER_NAMES)
    if counts_only:
        allowed = {n for n in COUNTER_NAMES if n.endswith("_count")} | {"windows"}
    mapping(data, where, allowed)
    counters = []
    for name in sorted(n for n in data if n in COUNTER_NAMES):
        _, scope, period, measure = name.split("_")
        value = (integer(data, name, where) if measure == "count"
                 else quantity(data, name, where, currency, points))
        assert value is not None
        counters.append(Counter(name, scope, period, measure, value))
    windows = []
    for i, raw in enumerate(items(data, "windows", where)):
        w = f"{where}.windows[{i}]"
        mapping(raw, w, {"weekdays", "from_hour", "to_hour"})
        days = text_list(raw, "weekdays", w) or WEEKDAYS
        bad = [d for d in days if d not in WEEKDAYS]
        if bad:
            raise ProgramError(f"{w}.weekdays: {bad[0]!r} is not one of {', '.join(WEEKDAYS)}")
        start = integer(raw, "from_hour", w, maximum=23)
        end = integer(raw, "to_hour", w, minimum=1, maximum=24)
        window = TimeWindow(days, 0 if start is None else start, 24 if end is None else end)
        if window.from_hour >= window.to_hour:
            raise ProgramError(f"{w}: from_hour must be before to_hour")
        windows.append(window)
    return Limits(
        per_order_max=quantity(data, "per_order_max", where, currency, points),
        per_card_daily_count=integer(data, "per_card_daily_count", where),
        counters=tuple(counters), windows=tuple(windows))


def period_start(period: str, now: int, time_zone: str) -> int:
    """Unix seconds at which the current daily/weekly/monthly/yearly window began (local)."""
    local = local_time(now, time_zone)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "weekly":
        day -= dt.timedelta(days=local.weekday())
    elif period == "monthly":
        day = day.replace(day=1)
    elif period == "yearly":
        day = day.replace(month=1, day=1)
    # Re-attach the zone so a DST change inside the window gives the right instant.
    start = dt.datetime(day.year, day.month, day.day, tzinfo=local.tzinfo)
    return int(start.timestamp())


@dataclass(frozen=True, slots=True)
class Tally:
    count: int = 0
    amount: int = 0


UsageKey = tuple[str, str, str, str]  # (program, benefit or "", scope, period)


@dataclass(frozen=True, slots=True)
class Usage:
    """Counts and sums per (program, benefit, scope, period) for the card, customer and store
    of the quote. Benefit "" is the whole program (gift-card redemptions and every reward)."""

    tallies: Mapping[UsageKey, Tally] = field(default_factory=dict)

    def get(self, program: str, benefit: str, scope: str, period: str) -> Tally:
        return self.tallies.get((program, benefit, scope, period), Tally())


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One past redemption as the terminal's journal knows it: a gift-card `redeem` (benefit
    "", amount in minor units) or a reward `burn` (benefit = reward id, amount = points)."""

    at: int
    program: str
    benefit: str
    amount: int
    card: str | None = None
    customer: str | None = None
    store: str | None = None


def tally(records: Iterable[UsageRecord], *, now: int, time_zone: str, card: str | None = None,
          customer: str | None = None, store: str | None = None) -> Usage:
    """Sum the records that fall in each current window and concern this card / customer /
    store. Records of voided entries must be left out by the caller."""
    starts = [(p, period_start(p, now, time_zone)) for p in PERIODS]
    oldest = min(start for _, start in starts)
    sums: dict[UsageKey, list[int]] = {}
    for rec in records:
        if rec.at < oldest:  # future-dated (clock skew) still counts: limits err safe
            continue
        scopes = ["program"]
        if card is not None and rec.card == card:
            scopes.append("card")
        if customer is not None and rec.customer == customer:
            scopes.append("customer")
        if store is not None and rec.store == store:
            scopes.append("store")
        benefits = ("", rec.benefit) if rec.benefit else ("",)
        for period, start in starts:
            if rec.at < start:
                continue
            for scope in scopes:
                for benefit in benefits:
                    acc = sums.setdefault((rec.program, benefit, scope, period), [0, 0])
                    acc[0] += 1
                    acc[1] += rec.amount
    out = {key: Tally(c, a) for key, (c, a) in sums.items()}
    return Usage(out)


@dataclass(frozen=True, slots=True)
class LimitCheck:
    refused: str | None = None  # the limit name, e.g. per_card_daily_count, or "window"
    cap: int | None = None  # the most this order may still spend / redeem (amount limits)
    cap_by: str | None = None  # the limit that set `cap`
    uses_left: int | None = None  # how many more uses the count limits allow
    uses_by: str | None = None


_UNLIMITED = LimitCheck()


def check_limits(limits: Limits, program: str, benefit: str, usage: Usage, now: int,
                 time_zone: str) -> LimitCheck:
    """Is one more use allowed now, and up to what amount?"""
    if not limits.counters and not limits.windows and limits.per_order_max is None:
        return _UNLIMITED
    if limits.windows and not any(w.contains(local_time(now, time_zone))
                                   for w in limits.windows):
        return LimitCheck("window")
    cap, cap_by = limits.per_order_max, "per_order_max" if limits.per_order_max is not None \
        else None
    uses: int | None = None
    uses_by: str | None = None
    for counter in limits.counters:
        used = usage.get(program, benefit, counter.scope, counter.period)
        if counter.measure == "count":
            left = counter.value - used.count
            if left <= 0:
                return LimitCheck(counter.name)
            if uses is None or left < uses:
                uses, uses_by = left, counter.name
        else:
            left = counter.value - used.amount
            if left <= 0:
                return LimitCheck(counter.name)
            if cap is None or left < cap:
                cap, cap_by = left, counter.name
    return LimitCheck(None, cap, cap_by, uses, uses_by)
